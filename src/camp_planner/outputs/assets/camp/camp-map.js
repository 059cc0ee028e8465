/* camp-planner's travel map: draws the companies of one layer from data (one call per
   layer instead of one Leaflet object per company in the page), in cohort colour and
   shape, and clusters companies that stand on (nearly) one spot. The project's own
   code; needs Leaflet and Leaflet.markercluster. */
var CampMap = (function () {
  "use strict";
  // Corners of the shapes on a unit radius (y grows downwards); 0 is a circle.
  var SHAPES = [
    null,
    [[-0.9, -0.9], [0.9, -0.9], [0.9, 0.9], [-0.9, 0.9]],
    [[0, -1.2], [1.1, 0.8], [-1.1, 0.8]],
    [[0, -1.3], [1.3, 0], [0, 1.3], [-1.3, 0]],
    [[-1.1, -0.8], [1.1, -0.8], [0, 1.2]]
  ];

  var Shape = L.CircleMarker.extend({
    options: { shape: 0 },
    _corners: function () {
      var p = this._point, r = this._radius;
      return SHAPES[this.options.shape].map(function (c) {
        return [p.x + c[0] * r, p.y + c[1] * r];
      });
    },
    _updatePath: function () {
      if (!SHAPES[this.options.shape]) {
        return L.CircleMarker.prototype._updatePath.call(this);
      }
      var renderer = this._renderer, corners = this._corners();
      if (renderer._ctx) {  // canvas
        if (!renderer._drawing || this._empty()) { return; }
        var ctx = renderer._ctx;
        ctx.beginPath();
        corners.forEach(function (c, i) { if (i) { ctx.lineTo(c[0], c[1]); } else { ctx.moveTo(c[0], c[1]); } });
        ctx.closePath();
        renderer._fillStroke(ctx, this);
      } else {  // SVG
        renderer._setPath(this, "M" + corners.map(function (c) { return c[0] + " " + c[1]; }).join("L") + "z");
      }
    }
  });

  function clusterIcon(cluster) {
    var counts = {}, order = [], total = 0;
    cluster.getAllChildMarkers().forEach(function (m) {
      var c = m.options.fillColor;
      if (!(c in counts)) { counts[c] = 0; order.push(c); }
      counts[c] += 1;
      total += 1;
    });
    var stops = [], at = 0;
    order.forEach(function (c) {
      var to = at + 360 * counts[c] / total;
      stops.push(c + " " + at.toFixed(1) + "deg " + to.toFixed(1) + "deg");
      at = to;
    });
    var size = total < 10 ? 28 : total < 100 ? 34 : 42;
    return L.divIcon({
      html: '<div class="camp-cluster-ring" style="background: conic-gradient(' + stops.join(", ") +
        ')"><span>' + total + "</span></div>",
      className: "camp-cluster",
      iconSize: L.point(size, size)
    });
  }

  /* One marker cluster group for the page (added to the map, not to the layer control). */
  function clusters(map) {
    return L.markerClusterGroup({
      maxClusterRadius: 24,
      spiderfyOnMaxZoom: true,
      showCoverageOnHover: false,
      chunkedLoading: true,
      iconCreateFunction: clusterIcon
    }).addTo(map);
  }

  /* Draw one layer's companies: data = {styles: [[fill, shape, dash]], points:
     [[lat, lon, style, radius, tooltip, venue lat, venue lon] ...]} (tooltip is HTML, venue
     null for no line). Lines go into the layer, markers into the clusters while the layer
     is shown. */
  function draw(map, group, cluster, data) {
    var markers = [];
    data.points.forEach(function (p) {
      var style = data.styles[p[2]];
      if (p[5] !== null) {
        L.polyline([[p[0], p[1]], [p[5], p[6]]], {
          color: style[0], weight: 2, opacity: 0.6, interactive: false
        }).addTo(group);
      }
      markers.push(new Shape([p[0], p[1]], {
        radius: p[3], color: "#333", weight: 1, dashArray: style[2], fill: true,
        fillColor: style[0], fillOpacity: 1, shape: style[1]
      }).bindTooltip(p[4]));
    });
    // the layer is put on the map later (and on and off by the layer control)
    if (map.hasLayer(group)) { cluster.addLayers(markers); }
    group.on("add", function () { cluster.addLayers(markers); });
    group.on("remove", function () { cluster.removeLayers(markers); });
  }

  /* The legend beside the map: the map takes the room it leaves when folded. */
  function legend(map) {
    var box = document.querySelector("details.camp-legend-box");
    if (box) { box.addEventListener("toggle", function () { map.invalidateSize(); }); }
  }

  /* The layer control: its button named in the page's language; folded on a phone (it
     would cover half the map), opened by its button, folded again by a click on the map. */
  function layers(map, control, label) {
    control._layersLink.title = label;
    control._layersLink.setAttribute("aria-label", label);
    if (window.matchMedia("(max-width: 700px)").matches) {
      control.collapse();
      map.on("click", control.collapse, control);
    }
  }

  return { clusters: clusters, draw: draw, layers: layers, legend: legend, Shape: Shape };
})();
