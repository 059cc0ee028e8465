"""The start page (upload or demo, earlier plans), a plan's page (Start) and its roster."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from camp_planner.web import views
from camp_planner.web.answers import answers_of
from camp_planner.web.common import (
    DEFAULT_TIME,
    Problems,
    delete_plan,
    plan_form,
    time_limit,
    web_of,
)
from camp_planner.web.store import ACTIVE
from camp_planner.web.uploads import ALLOWED, Assigned, assign_files
from camp_planner.web.worker import OUT

router = APIRouter()


@router.get("/", response_class=HTMLResponse)
def home(request: Request) -> Response:
    web = web_of(request)
    listed = []
    for plan in web.store.plans():
        jobs = web.store.jobs(plan.plan_id, limit=1)
        listed.append((plan, jobs[0] if jobs else None))
    return web.render(request, "home.html", plans=listed, problems=None)


@router.post("/plans")
async def upload_page(request: Request) -> Response:
    web = web_of(request)
    form = await web.page_form(request)
    if form is None:
        return web.forbidden(request)
    try:
        assigned = assign_files(await web.uploads_of(form))
        plan_id = await run_in_threadpool(web.plans.create, assigned, "upload")
    except Problems as exc:
        problems = exc.problems
    else:
        return RedirectResponse(f"/plans/{plan_id}", status_code=303)
    listed = [(p, None) for p in web.store.plans()]
    return web.render(request, "home.html", status=422, plans=listed, problems=problems)


@router.post("/plans/demo")
async def demo_page(request: Request) -> Response:
    web = web_of(request)
    if await web.page_form(request) is None:
        return web.forbidden(request)
    from camp_planner.demo.generator import packaged_demo

    files = {n: text.encode("utf-8") for n, text in packaged_demo().items() if n in ALLOWED}
    plan_id = await run_in_threadpool(web.plans.create, Assigned(files, [], []), "demo")
    return RedirectResponse(f"/plans/{plan_id}", status_code=303)


def _plan_page(
    request: Request, plan_id: str, status: int = 200, limit: object = DEFAULT_TIME,
    error: str | None = None,
) -> Response:  # fmt: skip
    web = web_of(request)
    plan = web.store.plan(plan_id)
    problem, notes = web.plans.get(plan_id)
    return web.render(
        request,
        "plan.html",
        status=status,
        nav="plan",
        plan=plan,
        view=views.plan_view(problem),
        notes=[note.render(web.lang_of(request)) for note in notes],
        refusals=web.preflight_of(problem, web.lang_of(request)),
        jobs=web.store.jobs(plan_id, limit=20),
        has_roster=web.latest_roster_job(plan_id) is not None,
        time_limit=limit,
        error=error,
        answers=answers_of(web, plan_id),
    )


@router.get("/plans/{plan_id}", response_class=HTMLResponse)
def plan_page(request: Request, plan_id: str) -> Response:
    web = web_of(request)
    if web.store.plan(plan_id) is None:
        return web.not_found(request)
    return _plan_page(request, plan_id)


@router.post("/plans/{plan_id}/solve")
async def solve_page(request: Request, plan_id: str) -> Response:
    found = await plan_form(request, plan_id)
    if isinstance(found, Response):
        return found
    web, form = found
    try:
        limit = time_limit(form.get("time_limit"), DEFAULT_TIME)
    except ValueError:
        return _plan_page(request, plan_id, 422, form.get("time_limit"), "time_limit")
    if not form.get("confirmed"):  # a published plan asks first (routes/year.py)
        from camp_planner.web.routes.year import resolve_question

        asked = await run_in_threadpool(resolve_question, request, plan_id, limit)
        if asked is not None:
            return asked
    params = {"time_limit": limit, "workers": web.solver_workers}
    job = web.manager.submit(plan_id, "solve", params)
    return RedirectResponse(f"/jobs/{job.job_id}", status_code=303)


@router.post("/plans/{plan_id}/delete")
async def delete_page(request: Request, plan_id: str) -> Response:
    web = web_of(request)
    if web.store.plan(plan_id) is None:
        return web.not_found(request)
    if await web.page_form(request) is None:
        return web.forbidden(request)
    await run_in_threadpool(delete_plan, web, plan_id)
    return RedirectResponse("/", status_code=303)


@router.get("/plans/{plan_id}/roster", response_class=HTMLResponse)
def roster_page(request: Request, plan_id: str, job: str | None = None) -> Response:
    """The plan's current roster (web/current.py), or with ``?job=`` another of its rosters
    (a solve or a replan of the plan)."""
    from camp_planner.io.roster_file import RosterFileError, read_roster
    from camp_planner.outputs.roster_files import ROSTER_JSON
    from camp_planner.web.current import current_roster, roster_time
    from camp_planner.web.publish import publishable

    web = web_of(request)
    plan = web.store.plan(plan_id)
    if plan is None:
        return web.not_found(request)
    current = current_roster(web.store, plan_id)
    shown = current.job if current else None
    if job is not None:
        shown = web.store.job(job)
        if not publishable(shown, plan_id):
            return web.not_found(request)
    roster = view = summary = None
    if shown is not None:
        problem, _ = web.plans.get(plan_id)
        try:
            roster = read_roster(web.store.job_dir(shown.job_id) / OUT / ROSTER_JSON)
        except RosterFileError:
            shown = None
        else:
            view = views.roster_view(problem, roster)
            summary = shown.summary
            if shown.kind == "replan":  # the replan's own figures over the roster's
                from camp_planner.web.worker import roster_summary

                summary = roster_summary(problem, roster) | shown.summary
    running = web.store.jobs(plan_id, status=ACTIVE, kind="solve", limit=1)
    return web.render(
        request,
        "roster.html",
        nav="roster",
        plan=plan,
        job=shown,
        current=current,
        is_current=current is not None and shown is not None and shown.job_id == current.job.job_id,
        summary=summary,
        took=roster_time(shown) if shown else None,
        view=view,
        running=running[0] if running else None,
    )
