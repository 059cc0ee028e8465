"""What the web app's routers share: the limits, the plans kept in memory, and
:class:`Web` (the data folder, the job queue and rendering a page in its language).

Each router (:mod:`camp_planner.web.routes`) finds the app's :class:`Web` with
:func:`web_of`.
"""

from __future__ import annotations

import dataclasses
import math
import os
import threading
import time
from collections import OrderedDict
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from starlette.datastructures import FormData, UploadFile

from camp_planner.i18n import Message
from camp_planner.io.errors import InputError, InputProblem
from camp_planner.models import PlanningProblem
from camp_planner.web import views
from camp_planner.web.current import roster_time
from camp_planner.web.i18n import DEFAULT, LANGUAGES, environment, translations
from camp_planner.web.jobs import (
    CANCELLED_TEXT,
    CRASHED,
    OVERRUN,
    RESTARTED,
    STOPPED,
    JobManager,
)
from camp_planner.web.parsing import load_isolated
from camp_planner.web.security import (
    CSRF_COOKIE,
    CSRF_FIELD,
    csrf_cookie,
    csrf_ok,
    new_csrf_token,
)
from camp_planner.web.store import CANCELLED, DONE, FINISHED, Job, Store, new_id
from camp_planner.web.uploads import Assigned, Upload, discard, save_plan_files
from camp_planner.web.worker import INTERNAL

__all__ = [
    "DEFAULT_TIME",
    "DEFAULT_WHATIF_TIME",
    "Plans",
    "Problems",
    "Web",
    "job_error",
    "problem_dict",
    "time_limit",
    "web_of",
]

#: Solver time limits a request may ask for, seconds.
MIN_TIME, MAX_TIME = 1.0, 3600.0
DEFAULT_TIME, DEFAULT_WHATIF_TIME = 60.0, 20.0
LANG_COOKIE = "cp_lang"
_ERRORS = {
    RESTARTED: views.N_("The server was restarted while this job was running; start it again."),
    STOPPED: views.N_("The server was stopped while this job was running; start it again."),
    CANCELLED_TEXT: views.N_("Stopped by the user."),
    OVERRUN: views.N_("The job took far longer than its time limit and was ended; start it again."),
}


class Problems(Exception):
    """Input problems found while handling a request (422 with every one of them)."""

    def __init__(self, problems: list[InputProblem]) -> None:
        super().__init__(f"{len(problems)} problems")
        self.problems = problems


#: Where a problem stands when it is no file of the user's: named in the page's language on
#: a page (the JSON API keeps these names).
PLACES = (
    views.N_("(request)"), views.N_("(plan)"), views.N_("(settings)"),
    views.N_("(programme)"), views.N_("(no file)"), views.N_("next-round"),
)  # fmt: skip


#: The fields of a form's problems (a place that is no file) as the page names them.
FIELDS_SHOWN = {
    "as_of": views.N_("Sessions before this day have been held"),
    "time_limit": views.N_("Time limit in seconds"), "company_id": views.N_("Company"),
    "rank": views.N_("Rank"), "remedy": views.N_("Remedy"), "name": views.N_("Name"),
    "withdrawn": views.N_("Withdrawals"), "late_signups_csv": views.N_("Late sign-ups"),
    "pins": views.N_("Pins"), "rounds": views.N_("Number of rounds"),
    "published": views.N_("Published roster"), "job_id": views.N_("Job"),
}  # fmt: skip


def problems_shown(problems: list[InputProblem], gettext: Any) -> list[InputProblem]:
    """The problems as a page shows them: a place that is no file, and the field of a form
    there, in the page's language."""
    shown = []
    for p in problems:
        if p.file in PLACES:
            column = FIELDS_SHOWN.get(p.column or "")
            p = dataclasses.replace(
                p, file=gettext(p.file), column=gettext(column) if column else p.column
            )
        shown.append(p)
    return shown


def problem_dict(problem: InputProblem) -> dict[str, Any]:
    """A problem as the JSON API shows it."""
    return {
        "file": problem.file,
        "row": problem.row,
        "column": problem.column,
        "value": problem.value,
        "expected": problem.expected,
    }


def problems_json(problems: list[InputProblem]) -> JSONResponse:
    """The JSON API's answer to bad input: 422 with every problem, in English."""
    return JSONResponse({"problems": [problem_dict(p) for p in problems]}, status_code=422)


class Plans:
    """Reading plans (a few kept in memory: a plan's files never change)."""

    def __init__(self, store: Store, size: int = 8) -> None:
        self.store, self.size = store, size
        self._cache: OrderedDict[str, tuple[PlanningProblem, list[Message]]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, plan_id: str) -> tuple[PlanningProblem, list[Message]]:
        with self._lock:
            if plan_id in self._cache:
                self._cache.move_to_end(plan_id)
                return self._cache[plan_id]
        loaded = load_isolated(self.store.plan_dir(plan_id))
        self._keep(plan_id, loaded)
        return loaded

    def _keep(self, plan_id: str, loaded: tuple[PlanningProblem, list[Message]]) -> None:
        with self._lock:
            self._cache[plan_id] = loaded
            while len(self._cache) > self.size:
                self._cache.popitem(last=False)

    def forget(self, plan_id: str) -> None:
        """Drop a plan from memory (it is being deleted)."""
        with self._lock:
            self._cache.pop(plan_id, None)

    def create(self, upload: Assigned, source: str) -> str:
        """Check the files and keep them as a new plan; returns its id.

        Raises:
            Problems: Every problem of the files (nothing is kept).
        """
        if upload.problems:
            raise Problems(upload.problems)
        tmp = self.store.tmp_dir()
        try:
            names = save_plan_files(upload.files, tmp, upload.names)
            try:
                problem, notes = load_isolated(tmp)
            except InputError as exc:
                problems = [_no_path(p, tmp) for p in exc.problems]
                raise Problems(problems + upload.unused_problems()) from None
            plan_id = new_id()
            os.replace(tmp, self.store.plan_dir(plan_id))
        finally:
            discard(tmp)
        self.store.add_plan(
            plan_id, source, problem.round.name, len(problem.companies), len(problem.venues),
            names, upload.ignored,
        )  # fmt: skip
        self._keep(plan_id, (problem, notes))  # the cache stays within its size
        return plan_id


def _no_path(problem: InputProblem, folder: Path) -> InputProblem:
    """The problem without the server's folder in any of its texts."""

    def clean(text: str | None) -> str | None:
        if text is None:
            return None
        return text.replace(f"{folder}{os.sep}", "").replace(str(folder), "")

    return dataclasses.replace(
        problem,
        file=clean(problem.file) or "",
        value=clean(problem.value),
        expected=clean(problem.expected) or "",
    )


def time_limit(value: Any, default: float) -> float:
    """A request's time limit in seconds (ValueError with a sentence when it is not one)."""
    if value in (None, ""):
        return default
    try:
        number = float(str(value).replace(",", "."))
    except ValueError:
        raise ValueError(f"time_limit: expected seconds, got {value!r}") from None
    if not math.isfinite(number) or not MIN_TIME <= number <= MAX_TIME:
        raise ValueError(f"time_limit: expected {MIN_TIME:g} to {MAX_TIME:g} seconds")
    return number


def job_error(job: Job, gettext: Any) -> str:
    """A finished job's sentence in the page's language (the solver's own in English)."""
    if job.error in _ERRORS:
        return str(gettext(_ERRORS[job.error]))
    prefix = CRASHED.split("{")[0]
    if job.error.startswith(prefix):
        return str(gettext(views.N_("The calculation ended unexpectedly; start it again.")))
    if job.error.startswith(INTERNAL):
        detail = job.error.removeprefix(INTERNAL)
        return str(gettext(views.N_("The solver stopped with an internal error %(detail)s"))) % {
            "detail": detail
        }
    return job.error


class Web:
    """One app's data folder, job queue and plans, and the helpers every page uses."""

    def __init__(
        self, store: Store, manager: JobManager, plans: Plans, solver_workers: int
    ) -> None:
        self.store, self.manager, self.plans = store, manager, plans
        self.solver_workers = solver_workers

    # -- pages ---------------------------------------------------------------------------------

    def lang_of(self, request: Request) -> str:
        wanted = request.query_params.get("lang")
        if wanted in LANGUAGES:
            return str(wanted)
        cookie = request.cookies.get(LANG_COOKIE)
        return cookie if cookie in LANGUAGES else DEFAULT

    def render(
        self, request: Request, template: str, status: int = 200, **context: Any
    ) -> Response:
        lang = self.lang_of(request)
        cookie = csrf_cookie(request.url.scheme)
        token = request.cookies.get(cookie) or new_csrf_token()
        gettext = translations(lang).gettext
        if context.get("problems"):
            context["problems"] = problems_shown(list(context["problems"]), gettext)
        page = (
            environment(lang)
            .get_template(template)
            .render(
                csrf_field=CSRF_FIELD,
                csrf=token,
                path=request.url.path,
                other_lang="en" if lang == "da" else "da",
                nav=context.pop("nav", None),
                views=views,
                progress_text=lambda line: views.progress_text(
                    line, gettext, environment(lang).filters["number"]
                ),
                job_error=lambda job: job_error(job, gettext),
                roster_time=roster_time,
                **context,
            )
        )
        response = HTMLResponse(page, status_code=status)
        if request.cookies.get(cookie) != token:
            response.set_cookie(
                cookie, token, httponly=True, samesite="strict", path="/",
                secure=cookie != CSRF_COOKIE,
            )  # fmt: skip
        if request.query_params.get("lang") in LANGUAGES:
            response.set_cookie(
                LANG_COOKIE, lang, samesite="lax", path="/", max_age=365 * 24 * 3600
            )
        return response

    def not_found(self, request: Request) -> Response:
        if request.url.path.startswith("/api/"):
            return JSONResponse({"detail": "not found"}, status_code=404)
        return self.render(request, "not_found.html", status=404)

    async def page_form(self, request: Request) -> FormData | None:
        """The page form, or None when its CSRF token is missing or wrong."""
        form = await request.form(max_files=20, max_fields=200)
        cookie = request.cookies.get(csrf_cookie(request.url.scheme))
        if not csrf_ok(cookie, str(form.get(CSRF_FIELD) or "")):
            return None
        return form

    def forbidden(self, request: Request) -> Response:
        return self.render(request, "forbidden.html", status=403)

    # -- plans and jobs ------------------------------------------------------------------------

    @staticmethod
    async def uploads_of(form: FormData) -> list[Upload]:
        found = []
        for key, value in form.multi_items():
            if isinstance(value, UploadFile):
                found.append(Upload(key, value.filename or "", await value.read()))
        return found

    def latest_roster_job(self, plan_id: str) -> Job | None:
        return self.store.latest_done(plan_id, "solve")

    def job_state(self, job: Job, lang: str) -> dict[str, Any]:
        gettext = translations(lang).gettext
        number = environment(lang).filters["number"]
        return {
            "status": job.status,
            "label": gettext(views.JOB_STATUS_LABELS.get(job.status, job.status)),
            "progress": views.progress_text(job.progress, gettext, number) if job.progress else "",
            "elapsed": None if (took := roster_time(job)) is None else round(took, 1),
            "finished": job.status in FINISHED and not job.stopping,
            "result_url": self.result_url(job),
        }

    @staticmethod
    def result_url(job: Job) -> str | None:
        if job.kind == "programme" and (job.status == DONE or job.kept):
            return f"/jobs/{job.job_id}/programme"
        if job.status == CANCELLED and job.kept:
            return f"/plans/{job.plan_id}/roster"
        if job.status != DONE:
            return None
        if job.kind == "whatif":
            return f"/jobs/{job.job_id}/whatif"
        if job.kind in ("replan", "fit", "remedies"):
            return f"/jobs/{job.job_id}/{job.kind}"
        return f"/plans/{job.plan_id}/roster"

    @staticmethod
    def preflight_of(problem: PlanningProblem, lang: str = "en") -> list[str]:
        """What the solver would refuse: in English for the JSON API, in the page's
        language on a page."""
        from camp_planner.scheduler.preflight import preflight

        return preflight(problem, lang)


def delete_plan(web: Web, plan_id: str) -> None:
    """A plan and everything made from it, gone (its jobs are stopped first)."""
    web.manager.end_plan_jobs(plan_id)
    web.plans.forget(plan_id)
    web.store.delete_plan(plan_id)


def delete_old_plans(web: Web, keep_days: float | None) -> int:
    """Delete the plans older than `keep_days` (None: keep every plan); returns how many."""
    if keep_days is None:
        return 0
    old = web.store.plans_before(time.time() - keep_days * 86400)
    for plan_id in old:
        delete_plan(web, plan_id)
    return len(old)


def web_of(request: Request) -> Web:
    """The app's :class:`Web`."""
    web: Web = request.app.state.web
    return web


async def plan_form(request: Request, plan_id: str) -> tuple[Web, FormData] | Response:
    """The web app and the form a page posted about an existing plan, or the page saying
    why not (404 for an unknown plan, 403 for a form without its CSRF token)."""
    web = web_of(request)
    if web.store.plan(plan_id) is None:
        return web.not_found(request)
    form = await web.page_form(request)
    if form is None:
        return web.forbidden(request)
    return web, form


def job_of(web: Web, job_id: str, kind: str) -> Job | None:
    """The job of that kind, or None (an unknown job, or one of another kind)."""
    job = web.store.job(job_id)
    return job if job is not None and job.kind == kind else None
