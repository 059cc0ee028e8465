"""The programme (docs/web.md "The programme"): the form, the job's result (the timeline,
each round's roster and files), a round as a plan of its own; pages and JSON calls."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, JSONResponse, RedirectResponse, Response
from pydantic import BaseModel, ConfigDict
from starlette.concurrency import run_in_threadpool

from camp_planner.io.errors import InputProblem
from camp_planner.web.common import Problems, Web, job_of, plan_form, problems_json, web_of
from camp_planner.web.i18n import day_first, translations
from camp_planner.web.map_pages import map_response
from camp_planner.web.programme import (
    MAX_ROUNDS,
    check_programme,
    default_rounds,
    form_round_problems,
    form_rounds,
    programme_document,
)
from camp_planner.web.routes.api import plan_json_body
from camp_planner.web.store import ACTIVE, Job
from camp_planner.web.versions import version_at

router = APIRouter()

#: Files of a programme: name -> (file in the job's out/, type).
PROGRAMME_FILES = {
    "programme.xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "programme.json": "application/json",
}
#: Files of each round of a programme (rounds/<round>/ in the job's out/).
ROUND_FILES = {
    "roster.json": "application/json",
    "roster.xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "participants.csv": "text/csv; charset=utf-8",
    "map.html": "text/html; charset=utf-8",
}
DEFAULT_ROUNDS = 2


class ProgrammeRequest(BaseModel):
    """POST /api/plans/{plan_id}/programme: ``rounds`` (a number: the plan's round and the
    next ones, each moved by the round's length; or a list of rounds, each with keys of
    round.toml) and ``time_limit`` in seconds."""

    model_config = ConfigDict(extra="ignore")

    rounds: Any = DEFAULT_ROUNDS
    time_limit: Any = None


class ProgrammeCreated(BaseModel):
    job_id: str
    version: int


class RoundPlanCreated(BaseModel):
    plan_id: str
    roster_job: str | None
    from_job: str
    round: int


# -- the form -----------------------------------------------------------------------------------


def _count(text: Any) -> int:
    value = str(text or "")
    return min(int(value), MAX_ROUNDS) if value.isdigit() and int(value) >= 1 else DEFAULT_ROUNDS


def _form_page(
    request: Request, plan_id: str, rounds: list[dict[str, Any]], count: Any,
    limit: Any = 60, status: int = 200, problems: list[InputProblem] | None = None,
) -> Response:  # fmt: skip
    web = web_of(request)
    jobs = web.store.jobs(plan_id, kind="programme", limit=20)
    return web.render(
        request, "programme.html", status=status, nav="plan", plan=web.store.plan(plan_id),
        rounds=rounds, count=count, time_limit=limit, problems=problems, jobs=jobs,
        max_rounds=MAX_ROUNDS,
    )  # fmt: skip


@router.get("/plans/{plan_id}/programme")
def programme_form(request: Request, plan_id: str, rounds: str = "") -> Response:
    web = web_of(request)
    if web.store.plan(plan_id) is None:
        return web.not_found(request)
    problem, _ = web.plans.get(plan_id)
    count = _count(rounds)
    prefilled = default_rounds(problem.round, count, day=day_first)  # as the hint's example
    return _form_page(request, plan_id, prefilled, count)


def _submit(web: Web, plan_id: str, rounds: Any, limit: Any) -> Job:
    """The programme job (Problems: every problem of the rounds and the time limit)."""
    text, seconds, problems = check_programme(web.store, plan_id, rounds, limit)
    if problems:
        raise Problems(problems)
    params = {"time_limit": seconds, "workers": web.solver_workers, "programme_toml": text}
    return web.manager.submit(plan_id, "programme", params)


@router.post("/plans/{plan_id}/programme")
async def programme_post(request: Request, plan_id: str) -> Response:
    found = await plan_form(request, plan_id)
    if isinstance(found, Response):
        return found
    web, form = found
    count, rounds = form_rounds(form)
    limit = form.get("time_limit")
    try:
        job = await run_in_threadpool(_submit, web, plan_id, rounds, limit)
    except Problems as exc:
        shown = rounds or []
        gettext = translations(web.lang_of(request)).gettext
        problems = form_round_problems(exc.problems, gettext)
        return _form_page(request, plan_id, shown, count, limit, 422, problems)
    return RedirectResponse(f"/jobs/{job.job_id}", status_code=303)


@router.post("/api/plans/{plan_id}/programme")
async def programme_api(request: Request, plan_id: str) -> Response:
    found = await plan_json_body(request, plan_id)
    if isinstance(found, Response):
        return found
    web, body = found
    asked = ProgrammeRequest.model_validate(body)
    rounds = asked.rounds
    if isinstance(rounds, int) and not isinstance(rounds, bool) and 1 <= rounds <= MAX_ROUNDS:
        problem, _ = web.plans.get(plan_id)
        rounds = default_rounds(problem.round, rounds)
    try:
        job = await run_in_threadpool(_submit, web, plan_id, rounds, asked.time_limit)
    except Problems as exc:
        return problems_json(exc.problems)
    version = version_at(web.store, plan_id, job.created)
    return JSONResponse(
        ProgrammeCreated(job_id=job.job_id, version=version).model_dump(), status_code=202
    )


# -- the result ---------------------------------------------------------------------------------


@router.get("/jobs/{job_id}/programme")
def programme_page(request: Request, job_id: str) -> Response:
    from camp_planner.web.programme_view import programme_view

    web = web_of(request)
    job = job_of(web, job_id, "programme")
    if job is None:
        return web.not_found(request)
    found = programme_document(web.store, job)
    if found is None:
        if job.status in ACTIVE or job.stopping:
            return RedirectResponse(f"/jobs/{job_id}", status_code=303)
        return web.not_found(request)
    document, facts = found
    return web.render(
        request, "programme_result.html", nav="plan", plan=web.store.plan(job.plan_id),
        job=job, version=version_at(web.store, job.plan_id, job.created),
        view=programme_view(web.store, job, document, facts),
    )  # fmt: skip


@router.get("/api/jobs/{job_id}/programme")
def programme_result_api(request: Request, job_id: str) -> Response:
    """The programme's programme.json with the job's status, and each round's files."""
    web = web_of(request)
    job = job_of(web, job_id, "programme")
    found = programme_document(web.store, job) if job is not None else None
    if job is None or found is None:
        return web.not_found(request)
    document, facts = found
    base = f"/api/jobs/{job_id}/programme"
    rounds = [
        {
            "round": k + 1,
            "name": name,
            "start": facts["dates"][k][0],
            "end": facts["dates"][k][1],
            "files": {f: f"{base}/rounds/{k + 1}/{f}" for f in ROUND_FILES},
        }
        for k, name in enumerate(document["rounds"])
    ]
    return JSONResponse(
        {
            "job_id": job_id, "plan_id": job.plan_id, "status": job.status, "kept": job.kept,
            "version": version_at(web.store, job.plan_id, job.created),
            "programme": document, "rounds": rounds,
            "files": {f: f"{base}/{f}" for f in PROGRAMME_FILES},
        }
    )  # fmt: skip


def _file(web: Web, request: Request, job_id: str, inner: str, name: str, media: str) -> Response:
    job = job_of(web, job_id, "programme")
    if job is None or programme_document(web.store, job) is None:
        return web.not_found(request)
    path = web.store.job_dir(job_id) / "out" / inner
    if not path.is_file():
        return web.not_found(request)
    if name == "map.html":
        return map_response(path)
    return FileResponse(path, media_type=media, filename=name)


@router.get("/jobs/{job_id}/programme/files/{name}")
@router.get("/api/jobs/{job_id}/programme/{name}")
def programme_file(request: Request, job_id: str, name: str) -> Response:
    web = web_of(request)
    if name not in PROGRAMME_FILES:
        return web.not_found(request)
    return _file(web, request, job_id, name, name, PROGRAMME_FILES[name])


@router.get("/jobs/{job_id}/programme/rounds/{number}/{name}")
@router.get("/api/jobs/{job_id}/programme/rounds/{number}/{name}")
def round_file(request: Request, job_id: str, number: int, name: str) -> Response:
    web = web_of(request)
    job = job_of(web, job_id, "programme")
    found = programme_document(web.store, job) if job is not None else None
    if found is None or name not in ROUND_FILES or not 1 <= number <= len(found[1]["folders"]):
        return web.not_found(request)
    folder = found[1]["folders"][number - 1]
    return _file(web, request, job_id, f"rounds/{folder}/{name}", name, ROUND_FILES[name])


# -- a round as a plan of its own ---------------------------------------------------------------


def _round_plan(web: Web, job: Job, number: int) -> RoundPlanCreated:
    from camp_planner.web.programme_plans import round_plan

    plan_id = round_plan(web, job, number - 1)
    roster = web.latest_roster_job(plan_id)
    return RoundPlanCreated(
        plan_id=plan_id, roster_job=roster.job_id if roster else None, from_job=job.job_id,
        round=number,
    )  # fmt: skip


def _round_of(web: Web, job_id: str, number: int) -> Job | None:
    job = job_of(web, job_id, "programme")
    found = programme_document(web.store, job) if job is not None else None
    if found is None or not 1 <= number <= len(found[1]["folders"]):
        return None
    return job


@router.post("/jobs/{job_id}/programme/rounds/{number}/plan")
async def round_plan_page(request: Request, job_id: str, number: int) -> Response:
    web = web_of(request)
    job = _round_of(web, job_id, number)
    if job is None:
        return web.not_found(request)
    if await web.page_form(request) is None:
        return web.forbidden(request)
    try:
        made = await run_in_threadpool(_round_plan, web, job, number)
    except Problems as exc:
        from camp_planner.web.programme_view import programme_view

        found = programme_document(web.store, job)
        assert found is not None
        return web.render(
            request, "programme_result.html", status=422, nav="plan",
            plan=web.store.plan(job.plan_id), job=job, problems=exc.problems,
            version=version_at(web.store, job.plan_id, job.created),
            view=programme_view(web.store, job, *found),
        )  # fmt: skip
    return RedirectResponse(f"/plans/{made.plan_id}", status_code=303)


@router.post("/api/jobs/{job_id}/programme/rounds/{number}/plan")
async def round_plan_api(request: Request, job_id: str, number: int) -> Response:
    web = web_of(request)
    job = _round_of(web, job_id, number)
    if job is None:
        return web.not_found(request)
    try:
        made = await run_in_threadpool(_round_plan, web, job, number)
    except Problems as exc:
        return problems_json(exc.problems)
    return JSONResponse(made.model_dump(), status_code=201)
