"""The JSON API (docs/web.md): upload a plan, read it, solve it, run what-ifs, poll and
stop jobs, download the roster's files."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, JSONResponse, Response
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool

from camp_planner.io.errors import InputProblem
from camp_planner.web.bodies import (
    JobAnswer,
    JobCreated,
    PlanAnswer,
    PlanCreated,
    Problem,
    ProblemsAnswer,
    SolveRequest,
    WhatifRequest,
)
from camp_planner.web.common import (
    DEFAULT_TIME,
    DEFAULT_WHATIF_TIME,
    Problems,
    Web,
    delete_plan,
    problem_dict,
    time_limit,
    web_of,
)
from camp_planner.web.current import current_roster
from camp_planner.web.map_pages import map_in, map_response
from camp_planner.web.publish import CHANGED_ZIP
from camp_planner.web.routes.whatif import whatif_params
from camp_planner.web.settings import with_form_settings
from camp_planner.web.store import Job
from camp_planner.web.uploads import assign_files
from camp_planner.web.worker import INVITATIONS_ZIP, OUT

router = APIRouter(prefix="/api")

#: The roster files of GET /api/plans/{plan_id}/<name>: name -> (file in the job, type).
ROSTER_FILES: dict[str, tuple[str, str]] = {
    "roster.json": (f"{OUT}/roster.json", "application/json"),
    "roster.xlsx": (
        f"{OUT}/roster.xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
    "participants.csv": (f"{OUT}/participants.csv", "text/csv; charset=utf-8"),
    "map.html": (f"{OUT}/map.html", "text/html; charset=utf-8"),
    "invitations.zip": (INVITATIONS_ZIP, "application/zip"),
}


def _json(model: BaseModel, status: int = 200) -> JSONResponse:
    return JSONResponse(model.model_dump(), status_code=status)


def _problems(problems: list[InputProblem], status: int = 422) -> JSONResponse:
    answer = ProblemsAnswer(problems=[Problem(**problem_dict(p)) for p in problems])
    return _json(answer, status)


@router.get("/health")
def health() -> dict[str, str]:
    return {"status": "ok"}


@router.post("/plans")
async def create_plan(request: Request) -> Response:
    web = web_of(request)
    content_type = request.headers.get("content-type", "")
    if not content_type.startswith("multipart/form-data"):
        expected = "multipart/form-data with the planning files"
        return _problems([InputProblem("(request)", None, None, None, expected)])
    form = await request.form(max_files=20, max_fields=50)
    try:
        assigned = assign_files(await web.uploads_of(form))
        assigned = with_form_settings(assigned, form)  # no round.toml: the settings' fields
        plan_id = await run_in_threadpool(web.plans.create, assigned, "upload")
    except Problems as exc:
        return _problems(exc.problems)
    return _json(PlanCreated(plan_id=plan_id), 201)


@router.get("/plans/{plan_id}")
def plan_api(request: Request, plan_id: str) -> Response:
    web = web_of(request)
    plan = web.store.plan(plan_id)
    if plan is None:
        return web.not_found(request)
    problem, notes = web.plans.get(plan_id)
    latest = web.latest_roster_job(plan_id)
    current = current_roster(web.store, plan_id)
    answer = PlanAnswer(
        plan_id=plan_id,
        round=plan.round_name,
        companies=plan.companies,
        venues=plan.venues,
        notes=[str(note) for note in notes],
        not_used=plan.ignored,
        refused=web.preflight_of(problem),
        latest_roster_job=latest.job_id if latest else None,
        current_roster_job=current.job.job_id if current else None,
    )
    return _json(answer)


@router.delete("/plans/{plan_id}")
async def delete_plan_api(request: Request, plan_id: str) -> Response:
    """The plan and everything made from it (jobs, rosters, maps, what-ifs, its files)."""
    web = web_of(request)
    if web.store.plan(plan_id) is None:
        return web.not_found(request)
    await run_in_threadpool(delete_plan, web, plan_id)
    return JSONResponse({"deleted": plan_id})


async def json_body(request: Request) -> dict[str, Any] | Response:
    """The request's JSON object, or the answer saying why there is none."""
    content_type = request.headers.get("content-type", "")
    if content_type.split(";")[0].strip().lower() != "application/json":
        return JSONResponse(
            {"detail": "expected a JSON body (content-type: application/json)"},
            status_code=415,
        )
    try:
        body = await request.json()
    except (ValueError, RecursionError):  # RecursionError: nested deeper than Python reads
        return JSONResponse({"detail": "the body is not valid JSON"}, status_code=422)
    if not isinstance(body, dict):
        return JSONResponse({"detail": "expected a JSON object"}, status_code=422)
    return body


async def plan_json_body(request: Request, plan_id: str) -> tuple[Web, dict[str, Any]] | Response:
    """The web app and the request's JSON object for an existing plan, or the answer saying
    why not (404 for an unknown plan, 422 for a body that is no JSON object)."""
    web = web_of(request)
    if web.store.plan(plan_id) is None:
        return web.not_found(request)
    body = await json_body(request)
    if isinstance(body, Response):
        return body
    return web, body


@router.post("/plans/{plan_id}/solve")
async def solve_api(request: Request, plan_id: str) -> Response:
    found = await plan_json_body(request, plan_id)
    if isinstance(found, Response):
        return found
    web, body = found
    asked = SolveRequest.model_validate(body)
    try:
        limit = time_limit(asked.time_limit, DEFAULT_TIME)
    except ValueError as exc:
        return JSONResponse({"detail": str(exc)}, status_code=422)
    problem, _ = web.plans.get(plan_id)
    refusals = web.preflight_of(problem)
    if refusals:
        return JSONResponse({"refused": refusals}, status_code=422)
    params = {"time_limit": limit, "workers": web.solver_workers}
    job = web.manager.submit(plan_id, "solve", params)
    return _json(JobCreated(job_id=job.job_id), 202)


@router.post("/plans/{plan_id}/whatif")
async def whatif_api(request: Request, plan_id: str) -> Response:
    found = await plan_json_body(request, plan_id)
    if isinstance(found, Response):
        return found
    web, body = found
    asked = WhatifRequest.model_validate(body)
    try:
        limit = time_limit(asked.time_limit, DEFAULT_WHATIF_TIME)
    except ValueError as exc:
        return JSONResponse({"detail": str(exc)}, status_code=422)
    params = {k: getattr(asked, k) for k in ("venues", "scenarios") if getattr(asked, k)}
    problem, _ = web.plans.get(plan_id)
    problems = whatif_params(problem, params)
    if problems:
        return JSONResponse({"problems": problems}, status_code=422)
    params |= {"time_limit": limit, "workers": web.solver_workers}
    job = web.manager.submit(plan_id, "whatif", params)
    return _json(JobCreated(job_id=job.job_id), 202)


def job_answer(job: Job) -> JobAnswer:
    """A job as the API shows it."""
    summary = dict(job.summary)
    summary.setdefault("kind", job.kind)
    summary["plan_id"] = job.plan_id
    summary["elapsed_s"] = None if job.elapsed is None else round(job.elapsed, 1)
    if job.error:
        summary["error"] = job.error
    if job.status == "cancelled":
        summary["kept"] = job.kept  # a stopped solve's best roster, downloadable
    progress = job.error if job.status in ("failed", "cancelled") and job.error else None
    return JobAnswer(status=job.status, progress=progress or job.progress, summary=summary)


@router.get("/jobs/{job_id}")
def job_api(request: Request, job_id: str) -> Response:
    web = web_of(request)
    job = web.store.job(job_id)
    if job is None:
        return web.not_found(request)
    return _json(job_answer(job))


@router.delete("/jobs/{job_id}")
async def cancel_api(request: Request, job_id: str) -> Response:
    web = web_of(request)
    if web.store.job(job_id) is None:
        return web.not_found(request)
    job = await run_in_threadpool(web.manager.cancel, job_id)
    assert job is not None
    return _json(job_answer(job))


@router.get("/plans/{plan_id}/{name}")
def roster_file(request: Request, plan_id: str, name: str) -> Response:
    web = web_of(request)
    if web.store.plan(plan_id) is None or name not in ROSTER_FILES:
        return web.not_found(request)
    current = current_roster(web.store, plan_id)  # a published replan once it is newer
    if current is None:
        return web.not_found(request)
    job = current.job
    inner, media = ROSTER_FILES[name]
    if job.kind == "replan" and name == "invitations.zip":  # a replan's: UIDs kept
        inner = CHANGED_ZIP
    path = web.store.job_dir(job.job_id) / inner
    if not path.is_file():
        return web.not_found(request)
    if name == "map.html":  # in the page's language
        return map_response(map_in(web.store, job, path, web.lang_of(request)))
    return FileResponse(path, media_type=media, filename=name)
