"""Publishing a roster, the changes after publishing and the replan (docs/web.md "The year
in the browser"): pages and JSON calls."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from camp_planner.i18n import N_, Message
from camp_planner.io.errors import InputProblem
from camp_planner.io.roster_file import RosterFileError, read_roster
from camp_planner.io.tables import csv_rows
from camp_planner.models import PlanningProblem
from camp_planner.replan.changes import summary_in
from camp_planner.web import views
from camp_planner.web.answers import declined_ids
from camp_planner.web.changes import Changes, changed_files
from camp_planner.web.common import (
    DEFAULT_TIME,
    Problems,
    Web,
    job_of,
    plan_form,
    problems_json,
    time_limit,
    web_of,
)
from camp_planner.web.current import current_roster
from camp_planner.web.form_days import typed_days
from camp_planner.web.i18n import translations
from camp_planner.web.publish import (
    publish,
    publishable,
    published_job,
    published_roster,
)
from camp_planner.web.routes.api import plan_json_body
from camp_planner.web.settings import form_problems
from camp_planner.web.store import Job
from camp_planner.web.versions import CHANGES, new_version, versions

router = APIRouter()


def _one(text: str, column: str, value: Any, expected: str | Message) -> list[InputProblem]:
    return [InputProblem.of(text, None, column, None if value is None else str(value), expected)]


#: What a pin may keep of a published cohort (camp-planner replan's pins.csv).
PIN_FIELDS = ("members", "venue", "dates")


def _unpublished(web: Web, plan_id: str) -> list[InputProblem]:
    """The problem of a plan without a published roster (none when it has one)."""
    if published_roster(web.store, plan_id) is not None:
        return []
    return _one("(plan)", "published", None, N_("a published roster (Publish first)"))


def _pins(web: Web, plan_id: str, asked: Any) -> tuple[list[list[str]], list[InputProblem]]:
    """The pins asked for ([cohort_id, field] pairs of published cohorts), or problems."""
    if not asked:
        return [], []
    path = published_roster(web.store, plan_id)
    cohorts = {c.cohort_id for c in read_roster(path).cohorts} if path else set()
    pins, problems = [], []
    for pin in asked if isinstance(asked, list) else [asked]:
        ok = isinstance(pin, list | tuple) and len(pin) == 2
        if not ok or pin[0] not in cohorts or pin[1] not in PIN_FIELDS:
            expected = N_("[cohort_id of the published roster, members | venue | dates]")
            problems += _one("(request)", "pins", pin, expected)
            continue
        pins.append([str(pin[0]), str(pin[1])])
    return pins, problems


def _start_replan(
    web: Web, plan_id: str, changes: Changes, as_of: Any, limit: Any, pins: Any = None
) -> Job:
    """Apply the changes as a new version (when there are any) and queue the replan.

    Raises:
        Problems: Every problem of the changes, the day or the time limit.
    """
    problems = _unpublished(web, plan_id)
    day = _day(as_of)
    if day is None:
        problems += _one("(request)", "as_of", as_of, N_("a date, e.g. 2027-02-01"))
    try:
        seconds = time_limit(limit, DEFAULT_TIME)
    except ValueError:
        problems += _one("(request)", "time_limit", limit, N_("1 to 3600 seconds"))
        seconds = DEFAULT_TIME
    kept, pin_problems = _pins(web, plan_id, pins) if not problems else ([], [])
    problems += pin_problems
    if problems:
        raise Problems(problems)
    if not changes.empty():
        files, drop = changed_files(web.store.plan_dir(plan_id), changes)
        new_version(web, plan_id, files, CHANGES, drop)
    params = {
        "as_of": str(day), "time_limit": seconds, "workers": web.solver_workers,
        "version": versions(web.store, plan_id)[-1].version, "pins": kept,
    }  # fmt: skip
    return web.manager.submit(plan_id, "replan", params)


def _day(value: Any) -> date | None:
    from camp_planner.io.tables import AmbiguousDateError, parse_date

    if isinstance(value, str) and value.strip():
        try:
            return parse_date(value.strip())
        except AmbiguousDateError:
            return None
    return None


def _dates(text: Any) -> list[str]:
    return typed_days(str(text or ""))


# -- pages -------------------------------------------------------------------------------


@router.post("/plans/{plan_id}/publish")
async def publish_page(request: Request, plan_id: str) -> Response:
    found = await plan_form(request, plan_id)
    if isinstance(found, Response):
        return found
    web, form = found
    job = web.store.job(str(form.get("job_id") or ""))
    if not publishable(job, plan_id):
        return web.not_found(request)
    assert job is not None
    await run_in_threadpool(publish, web.store, plan_id, job)
    return RedirectResponse(f"/plans/{plan_id}/changes", status_code=303)


def _changes_page(request: Request, plan_id: str, status: int = 200,
                  problems: list[InputProblem] | None = None) -> Response:  # fmt: skip
    web = web_of(request)
    problem, _ = web.plans.get(plan_id)
    path = published_roster(web.store, plan_id)
    roster = None
    if path is not None:
        try:
            roster = read_roster(path)
        except RosterFileError:
            roster = None
    placed = sorted(
        ((m, c) for c in (roster.cohorts if roster else []) for m in c.members),
        key=lambda mc: mc[0],
    )
    names = {c.company_id: c.name for c in problem.companies}
    lang = web.lang_of(request)
    if problems:  # the facilitator's days named as the form names them
        problems = form_problems(problems, translations(lang).gettext)
    return web.render(
        request, "changes.html", sentence_in=lambda text: summary_in(text, lang),
        status=status, nav="changes", plan=web.store.plan(plan_id),
        published=published_job(web.store, plan_id), roster=roster, placed=placed,
        names=names, venues=problem.venues, round=problem.round, problems=problems,
        declined=declined_ids(web.store, plan_id),  # answers: a decline ticked
        replans=web.store.jobs(plan_id, kind="replan", limit=20),
        today=date.today().isoformat(), latest=web.latest_roster_job(plan_id),
        unplaced_now=[(c.company_id, c.name) for c in problem.companies
                      if c.company_id not in {m for m, _ in placed}],
    )  # fmt: skip


@router.get("/plans/{plan_id}/changes")
def changes_page(request: Request, plan_id: str) -> Response:
    web = web_of(request)
    if web.store.plan(plan_id) is None:
        return web.not_found(request)
    return _changes_page(request, plan_id)


@router.post("/plans/{plan_id}/replan")
async def replan_page(request: Request, plan_id: str) -> Response:
    found = await plan_form(request, plan_id)
    if isinstance(found, Response):
        return found
    web, form = found
    late = form.get("late")
    late_bytes = await late.read() if isinstance(late, UploadFile) else None
    changes = Changes(
        withdrawn={str(v) for v in form.getlist("withdraw")},
        late=late_bytes or None,
        venue_days={
            str(k).removeprefix("venue_days_"): _dates(v)
            for k, v in form.multi_items()
            if str(k).startswith("venue_days_") and _dates(v)
        },
        facilitator_days=_dates(form.get("facilitator_days"))
        if form.get("facilitator_changed") else None,
    )  # fmt: skip
    try:
        if form.get("only_save"):  # the changes as a new version, no replan (e.g. to fit)
            await run_in_threadpool(_save_changes, web, plan_id, changes)
            return RedirectResponse(f"/plans/{plan_id}/changes", status_code=303)
        pins = [str(v).split(":", 1) for v in form.getlist("pin") if ":" in str(v)]
        job = await run_in_threadpool(
            _start_replan, web, plan_id, changes, form.get("as_of"), form.get("time_limit"),
            pins,
        )  # fmt: skip
    except Problems as exc:
        return _changes_page(request, plan_id, 422, exc.problems)
    return RedirectResponse(f"/jobs/{job.job_id}", status_code=303)


def _save_changes(web: Web, plan_id: str, changes: Changes) -> None:
    """The changes as a new version of the plan, without a replan."""
    if unpublished := _unpublished(web, plan_id):
        raise Problems(unpublished)
    if not changes.empty():
        files, drop = changed_files(web.store.plan_dir(plan_id), changes)
        new_version(web, plan_id, files, CHANGES, drop)


def _change_rows(job: Job, web: Web) -> list[dict[str, str]]:
    path = web.store.job_dir(job.job_id) / "out" / "changes.csv"
    if not path.is_file():
        return []
    return csv_rows(path.read_text("utf-8-sig"))


def _unplaced(web: Web, job: Job, problem: PlanningProblem) -> list[dict[str, Any]]:
    """The replanned roster's companies without a place, listed as on the roster page (each
    reason in the page's language from its code)."""
    try:
        roster = read_roster(web.store.job_dir(job.job_id) / "out" / "roster.json")
    except RosterFileError:
        return []
    return list(views.roster_view(problem, roster)["unplaced"])


def _company_shown(problem: PlanningProblem, company_id: str) -> str:
    """A company as the pages name it: ``Name (id)``; the id alone if the plan lacks it."""
    names = {c.company_id: c.name for c in problem.companies}
    return f"{names[company_id]} ({company_id})" if company_id in names else company_id


@router.get("/jobs/{job_id}/replan")
def replan_result_page(request: Request, job_id: str) -> Response:
    web = web_of(request)
    job = job_of(web, job_id, "replan")
    if job is None:
        return web.not_found(request)
    from camp_planner.replan.changes import summary_in

    current = published_job(web.store, job.plan_id)
    sentence = summary_in(str(job.summary.get("sentence", "")), web.lang_of(request))
    problem, _ = web.plans.get(job.plan_id)  # venues by name, dates day-first
    place = job.params.get("place")
    return web.render(
        request, "replan.html", nav="changes", plan=web.store.plan(job.plan_id), job=job,
        rows=views.places_shown(problem, _change_rows(job, web)),
        publishable=publishable(job, job.plan_id), sentence=sentence,
        chosen=views.places_shown(problem, [place])[0] if place else None,
        chosen_company=_company_shown(problem, str(place["company_id"])) if place else "",
        is_published=current is not None and current.job_id == job.job_id,
        unplaced=_unplaced(web, job, problem),
    )  # fmt: skip


# -- the JSON API --------------------------------------------------------------------------


@router.post("/api/plans/{plan_id}/publish")
async def publish_api(request: Request, plan_id: str) -> Response:
    """Publish a roster of the plan (``job_id``; default: its current roster, the one its
    roster page shows: after a published replan that replan, not the older solve)."""
    found = await plan_json_body(request, plan_id)
    if isinstance(found, Response):
        return found
    web, body = found
    asked = body.get("job_id")
    if asked is not None:
        job = web.store.job(str(asked))
    else:
        current = current_roster(web.store, plan_id)
        job = current.job if current is not None else None
    if not publishable(job, plan_id):
        expected = N_("a finished solve or replan of this plan")
        return problems_json(_one("(request)", "job_id", asked, expected))
    assert job is not None
    await run_in_threadpool(publish, web.store, plan_id, job)
    return JSONResponse({"plan_id": plan_id, "published_job": job.job_id})


@router.post("/api/plans/{plan_id}/replan")
async def replan_api(request: Request, plan_id: str) -> Response:
    """The changes since publishing, then the replan (a job)."""
    found = await plan_json_body(request, plan_id)
    if isinstance(found, Response):
        return found
    web, body = found
    problems: list[InputProblem] = []
    withdrawn = body.get("withdrawn", [])
    if not isinstance(withdrawn, list) or not all(isinstance(v, str) for v in withdrawn):
        problems += _one("(request)", "withdrawn", withdrawn, N_("a list of company ids"))
        withdrawn = []
    venue_days = body.get("venue_unavailable", {})
    if not isinstance(venue_days, dict) or not all(
        isinstance(v, list) and all(isinstance(d, str) for d in v) for v in venue_days.values()
    ):
        problems += _one("(request)", "venue_unavailable", venue_days,
                         N_("venue_id -> a list of dates"))  # fmt: skip
        venue_days = {}
    facilitator = body.get("facilitator_unavailable")
    if facilitator is not None and (
        not isinstance(facilitator, list) or not all(isinstance(d, str) for d in facilitator)
    ):
        problems += _one("(request)", "facilitator_unavailable", facilitator, N_("a list of dates"))
        facilitator = None
    late = body.get("late_signups_csv")
    if late is not None and not isinstance(late, str):
        problems += _one("(request)", "late_signups_csv", late, N_("the text of a companies CSV"))
        late = None
    changes = Changes(
        set(withdrawn), late.encode("utf-8") if late else None,
        {str(k): v for k, v in venue_days.items()}, facilitator,
    )  # fmt: skip
    try:
        if problems:
            raise Problems(problems)
        job = await run_in_threadpool(
            _start_replan, web, plan_id, changes, body.get("as_of"), body.get("time_limit"),
            body.get("pins"),
        )  # fmt: skip
    except Problems as exc:
        return problems_json(exc.problems)
    return JSONResponse({"job_id": job.job_id, "version": job.params["version"]}, status_code=202)


@router.get("/api/jobs/{job_id}/changes")
def changes_api(request: Request, job_id: str) -> Response:
    """A finished replan's change list (the rows of changes.csv) and its sentence."""
    web = web_of(request)
    job = job_of(web, job_id, "replan")
    if job is None:
        return web.not_found(request)
    return JSONResponse(
        {"status": job.status, "summary": job.summary, "changes": _change_rows(job, web)}
    )


# -- fit: the places for one company -----------------------------------------------------


def _start_fit(web: Web, plan_id: str, company_id: Any, as_of: Any, limit: Any) -> Job:
    """Queue a fit of one company of the plan (Problems: why not)."""
    problems = _unpublished(web, plan_id)
    problem, _ = web.plans.get(plan_id)
    if not isinstance(company_id, str) or company_id not in {
        c.company_id for c in problem.companies
    }:
        problems += _one("(request)", "company_id", company_id, N_("a company of the plan"))
    day = _day(as_of)
    if day is None:
        problems += _one("(request)", "as_of", as_of, N_("a date, e.g. 2027-02-01"))
    try:
        seconds = time_limit(limit, 30.0)
    except ValueError:
        problems += _one("(request)", "time_limit", limit, N_("1 to 3600 seconds"))
        seconds = 30.0
    if problems:
        raise Problems(problems)
    params = {"company_id": company_id, "as_of": str(day), "time_limit": seconds}
    return web.manager.submit(plan_id, "fit", params)


@router.post("/plans/{plan_id}/fit")
async def fit_page(request: Request, plan_id: str) -> Response:
    found = await plan_form(request, plan_id)
    if isinstance(found, Response):
        return found
    web, form = found
    try:
        job = await run_in_threadpool(
            _start_fit, web, plan_id, form.get("company_id"), form.get("as_of"),
            form.get("time_limit"),
        )  # fmt: skip
    except Problems as exc:
        return _changes_page(request, plan_id, 422, exc.problems)
    return RedirectResponse(f"/jobs/{job.job_id}", status_code=303)


@router.get("/jobs/{job_id}/fit")
def fit_result_page(request: Request, job_id: str) -> Response:
    web = web_of(request)
    job = job_of(web, job_id, "fit")
    if job is None:
        return web.not_found(request)
    from camp_planner.replan.fit import note_in

    lang = web.lang_of(request)
    problem, _ = web.plans.get(job.plan_id)
    options = views.places_shown(
        problem,
        [
            {**o, "note": note_in(str(o.get("note", "")), lang)}
            for o in job.summary.get("options", [])
        ],
    )
    return web.render(
        request, "fit.html", nav="changes", plan=web.store.plan(job.plan_id), job=job,
        options=options, today=job.params.get("as_of"),
        company=_company_shown(problem, str(job.params.get("company_id", ""))),
    )  # fmt: skip


@router.post("/api/plans/{plan_id}/fit")
async def fit_api(request: Request, plan_id: str) -> Response:
    """JSON ``{"company_id", "as_of", "time_limit"}``: the best places for one company."""
    found = await plan_json_body(request, plan_id)
    if isinstance(found, Response):
        return found
    web, body = found
    try:
        job = await run_in_threadpool(
            _start_fit, web, plan_id, body.get("company_id"), body.get("as_of"),
            body.get("time_limit"),
        )  # fmt: skip
    except Problems as exc:
        return problems_json(exc.problems)
    return JSONResponse({"job_id": job.job_id}, status_code=202)


def _choose(web: Web, plan_id: str, job_id: Any, rank: Any) -> Job:
    """Queue the roster of one ranked place of a fit job of the plan (a replan job with
    ``place``): Problems when the job or the rank is not one of the plan's fits."""
    fit_job = web.store.job(str(job_id or ""))
    if (
        fit_job is None
        or fit_job.plan_id != plan_id
        or fit_job.kind != "fit"
        or (fit_job.status != "done")
    ):
        raise Problems(_one("(request)", "job_id", job_id, N_("a finished fit of this plan")))
    ranked = {str(o.get("rank")): o for o in fit_job.summary.get("options", []) if o.get("rank")}
    option = ranked.get(str(rank))
    if option is None:
        expected: str | Message = N_("a place")
        if ranked:
            expected = Message(
                N_("a rank of the places: %(ranks)s"), ranks=", ".join(sorted(ranked))
            )
        raise Problems(_one("(request)", "rank", rank, expected))
    if unpublished := _unpublished(web, plan_id):
        raise Problems(unpublished)
    place = {
        "company_id": fit_job.params["company_id"], "cohort_id": option["cohort_id"],
        "venue_id": option["venue_id"], "dates": option["dates"], "rank": option["rank"],
    }  # fmt: skip
    params = {
        "as_of": fit_job.params["as_of"], "time_limit": fit_job.params["time_limit"],
        "workers": web.solver_workers, "version": versions(web.store, plan_id)[-1].version,
        "pins": [], "place": place, "fit_job": fit_job.job_id,
    }  # fmt: skip
    return web.manager.submit(plan_id, "replan", params)


@router.post("/plans/{plan_id}/fit/choose")
async def choose_page(request: Request, plan_id: str) -> Response:
    found = await plan_form(request, plan_id)
    if isinstance(found, Response):
        return found
    web, form = found
    try:
        job = await run_in_threadpool(_choose, web, plan_id, form.get("job_id"), form.get("rank"))
    except Problems as exc:
        return _changes_page(request, plan_id, 422, exc.problems)
    return RedirectResponse(f"/jobs/{job.job_id}", status_code=303)


@router.post("/api/plans/{plan_id}/fit/choose")
async def choose_api(request: Request, plan_id: str) -> Response:
    """JSON ``{"job_id": a fit job, "rank": 2}``: the roster with the company in that
    place, as a replan job (its changes and invitations as a replan's)."""
    found = await plan_json_body(request, plan_id)
    if isinstance(found, Response):
        return found
    web, body = found
    try:
        job = await run_in_threadpool(_choose, web, plan_id, body.get("job_id"), body.get("rank"))
    except Problems as exc:
        return problems_json(exc.problems)
    return JSONResponse({"job_id": job.job_id, "version": job.params["version"]}, status_code=202)
