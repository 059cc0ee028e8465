/* camp-planner pages: follow a running job; keep forms from being sent twice. */
(function () {
  "use strict";

  function seconds(value) {
    if (value === null || value === undefined) return "";
    var total = Math.round(value), minutes = Math.floor(total / 60), secs = total % 60;
    return minutes ? minutes + " min " + (secs < 10 ? "0" : "") + secs + " s" : secs + " s";
  }

  function follow(box) {
    var url = box.getAttribute("data-state-url");
    var label = document.getElementById("job-label");
    var elapsed = document.getElementById("job-elapsed");
    var progress = document.getElementById("job-progress");
    var bar = document.getElementById("job-bar");
    function tick() {
      fetch(url, { headers: { "Accept": "application/json" }, credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (state) {
          if (!state) { window.setTimeout(tick, 2000); return; }
          label.textContent = state.label;
          label.className = "tag " + state.status;
          elapsed.textContent = seconds(state.elapsed);
          if (state.progress) progress.textContent = state.progress;
          if (bar && state.elapsed !== null) bar.value = Math.min(state.elapsed, bar.max);
          if (state.finished) {
            if (state.result_url) window.location.assign(state.result_url);
            else window.location.reload();
            return;
          }
          window.setTimeout(tick, 1000);
        })
        .catch(function () { window.setTimeout(tick, 2000); });
    }
    tick();
  }

  document.addEventListener("DOMContentLoaded", function () {
    var box = document.getElementById("job");
    if (box) {
      var status = box.getAttribute("data-status");
      if (status === "queued" || status === "running" || status === "stopping") follow(box);
    }
    Array.prototype.forEach.call(document.querySelectorAll("form[data-confirm]"), function (form) {
      form.addEventListener("submit", function (event) {
        if (!window.confirm(form.getAttribute("data-confirm"))) {
          event.preventDefault();
          event.stopImmediatePropagation();
        }
      });
    });
    Array.prototype.forEach.call(document.querySelectorAll("form[data-once]"), function (form) {
      form.addEventListener("submit", function () {
        Array.prototype.forEach.call(form.querySelectorAll("button[type=submit]"), function (b) {
          window.setTimeout(function () { b.disabled = true; }, 0);
        });
      });
    });
  });
})();
