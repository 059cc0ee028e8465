"""Remedies for groups too small for a cohort (docs/web.md "The year in the browser"): the
plan page's *Find remedies*, the remedies table with an *Apply* button per row (a new
version with that setting), and the JSON calls."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, JSONResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from camp_planner.io.errors import InputProblem
from camp_planner.web.common import Problems, Web, problem_dict, time_limit, web_of
from camp_planner.web.i18n import translations
from camp_planner.web.remedies import (
    DEFAULT_PER_SOLVE,
    applicable,
    apply_remedy,
    settings_shown,
    solve_count,
)
from camp_planner.web.remedy_names import remedy_label
from camp_planner.web.routes.api import plan_json_body
from camp_planner.web.store import Job
from camp_planner.web.versions import versions

router = APIRouter()


def _problems(problems: list[InputProblem]) -> JSONResponse:
    return JSONResponse({"problems": [problem_dict(p) for p in problems]}, status_code=422)


def _start(web: Web, plan_id: str, limit: Any) -> Job:
    """Queue the remedies of the plan's latest version (Problems: a bad time per solve, or
    a round the solver would refuse)."""
    try:
        seconds = time_limit(limit, DEFAULT_PER_SOLVE)
    except ValueError:
        bad = InputProblem("(request)", None, "time_limit", str(limit), "1 to 3600 seconds")
        raise Problems([bad]) from None
    problem, _ = web.plans.get(plan_id)
    refused = web.preflight_of(problem)
    if refused:
        raise Problems([InputProblem("(plan)", None, None, None, r) for r in refused])
    solves = solve_count(problem)
    params = {
        "per_solve": seconds, "solves": solves, "time_limit": seconds * solves,
        "workers": web.solver_workers, "version": versions(web.store, plan_id)[-1].version,
    }  # fmt: skip
    return web.manager.submit(plan_id, "remedies", params)


def _job(web: Web, job_id: str) -> Job | None:
    job = web.store.job(job_id)
    return job if job is not None and job.kind == "remedies" else None


# -- pages -------------------------------------------------------------------------------


@router.post("/plans/{plan_id}/remedies")
async def remedies_start_page(request: Request, plan_id: str) -> Response:
    web = web_of(request)
    if web.store.plan(plan_id) is None:
        return web.not_found(request)
    form = await web.page_form(request)
    if form is None:
        return web.forbidden(request)
    try:
        job = await run_in_threadpool(_start, web, plan_id, form.get("per_solve"))
    except Problems as exc:
        return web.render(
            request, "remedies_problems.html", status=422, nav="plan",
            plan=web.store.plan(plan_id), problems=exc.problems,
        )  # fmt: skip
    return RedirectResponse(f"/jobs/{job.job_id}", status_code=303)


def _page(request: Request, job: Job, status: int = 200, problems: Any = None) -> Response:
    web = web_of(request)
    gettext = translations(web.lang_of(request)).gettext
    rows = [
        {**row, "label": remedy_label(str(row["remedy"]), gettext),
         "shown": settings_shown(row["apply"] or {}, gettext)}
        for row in job.summary.get("rows", [])
    ]  # fmt: skip
    return web.render(
        request, "remedies.html", status=status, nav="plan", plan=web.store.plan(job.plan_id),
        job=job, rows=rows, problems=problems,
        latest=versions(web.store, job.plan_id)[-1].version,
    )  # fmt: skip


@router.get("/jobs/{job_id}/remedies")
def remedies_page(request: Request, job_id: str) -> Response:
    web = web_of(request)
    job = _job(web, job_id)
    if job is None or job.status != "done":
        return web.not_found(request)
    return _page(request, job)


@router.get("/jobs/{job_id}/remedies.csv")
def remedies_csv(request: Request, job_id: str) -> Response:
    web = web_of(request)
    job = _job(web, job_id)
    path = web.store.job_dir(job_id) / "out" / "remedies.csv" if job else None
    if path is None or not path.is_file():
        return web.not_found(request)
    return FileResponse(path, media_type="text/csv; charset=utf-8", filename="remedies.csv")


@router.post("/plans/{plan_id}/remedies/apply")
async def apply_page(request: Request, plan_id: str) -> Response:
    web = web_of(request)
    if web.store.plan(plan_id) is None:
        return web.not_found(request)
    form = await web.page_form(request)
    if form is None:
        return web.forbidden(request)
    job = web.store.job(str(form.get("job_id") or ""))
    if not applicable(job, plan_id):
        return web.not_found(request)
    assert job is not None
    try:
        await run_in_threadpool(apply_remedy, web, plan_id, job, form.get("remedy"))
    except Problems as exc:
        return _page(request, job, 422, exc.problems)
    return RedirectResponse(f"/plans/{plan_id}#solve", status_code=303)


# -- the JSON API --------------------------------------------------------------------------


@router.post("/api/plans/{plan_id}/remedies")
async def remedies_api(request: Request, plan_id: str) -> Response:
    """JSON ``{"time_limit": seconds per solve}``: the remedies table, as a job."""
    found = await plan_json_body(request, plan_id)
    if isinstance(found, Response):
        return found
    web, body = found
    unknown = sorted(k for k in body if k != "time_limit")
    problems = [InputProblem("(request)", None, k, None, "time_limit only") for k in unknown]
    try:
        time_limit(body.get("time_limit"), DEFAULT_PER_SOLVE)
    except ValueError:
        value = str(body.get("time_limit"))
        problems.append(InputProblem("(request)", None, "time_limit", value, "1 to 3600 seconds"))
    try:
        if problems:
            raise Problems(problems)
        job = await run_in_threadpool(_start, web, plan_id, body.get("time_limit"))
    except Problems as exc:
        return _problems(exc.problems)
    answer = {"job_id": job.job_id, "solves": job.params["solves"]}
    return JSONResponse(answer, status_code=202)


@router.get("/api/jobs/{job_id}/remedies")
def remedies_result_api(request: Request, job_id: str) -> Response:
    """A remedies job's table: remedies.csv's rows, each with ``apply`` (the settings its
    Apply writes; none for the round as it is), and the remedies not tried."""
    web = web_of(request)
    job = _job(web, job_id)
    if job is None:
        return web.not_found(request)
    return JSONResponse(
        {
            "status": job.status,
            "plan_id": job.plan_id,
            "version": job.params.get("version"),
            "rows": job.summary.get("rows", []),
            "skipped": job.summary.get("skipped", []),
        }
    )


@router.post("/api/plans/{plan_id}/remedies/apply")
async def apply_api(request: Request, plan_id: str) -> Response:
    """JSON ``{"job_id", "remedy"}``: a new version of the plan with that remedy's
    settings."""
    found = await plan_json_body(request, plan_id)
    if isinstance(found, Response):
        return found
    web, body = found
    job = web.store.job(str(body.get("job_id") or ""))
    if not applicable(job, plan_id):
        expected = "a finished remedies job of this plan"
        value = body.get("job_id")
        return _problems(
            [InputProblem("(request)", None, "job_id", None if value is None else str(value),
                          expected)]
        )  # fmt: skip
    assert job is not None
    try:
        number = await run_in_threadpool(apply_remedy, web, plan_id, job, body.get("remedy"))
    except Problems as exc:
        return _problems(exc.problems)
    row = next(r for r in job.summary["rows"] if r["remedy"] == body["remedy"])
    return JSONResponse(
        {"plan_id": plan_id, "version": number, "settings": row["apply"]}, status_code=201
    )
