"""A job's page (live progress, Stop) and its state for the page's script."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from camp_planner.web.common import web_of
from camp_planner.web.versions import version_at

router = APIRouter()


@router.get("/jobs/{job_id}", response_class=HTMLResponse)
def job_page(request: Request, job_id: str) -> Response:
    web = web_of(request)
    job = web.store.job(job_id)
    if job is None:
        return web.not_found(request)
    if job.kind == "send":  # the outbox's own job page
        return RedirectResponse(f"/jobs/{job_id}/send", status_code=303)
    plan = web.store.plan(job.plan_id)
    return web.render(
        request,
        "programme_job.html" if job.kind == "programme" else "job.html",
        nav={"solve": "roster", "programme": "plan"}.get(job.kind, "whatif"),
        plan=plan,
        job=job,
        state=web.job_state(job, web.lang_of(request)),
        version=version_at(web.store, job.plan_id, job.created),
    )


@router.get("/jobs/{job_id}/state")
def job_state_page(request: Request, job_id: str) -> Response:
    web = web_of(request)
    job = web.store.job(job_id)
    if job is None:
        return JSONResponse({"detail": "not found"}, status_code=404)
    return JSONResponse(web.job_state(job, web.lang_of(request)))


@router.post("/jobs/{job_id}/cancel")
async def cancel_page(request: Request, job_id: str) -> Response:
    web = web_of(request)
    if web.store.job(job_id) is None:
        return web.not_found(request)
    if await web.page_form(request) is None:
        return web.forbidden(request)
    await run_in_threadpool(web.manager.cancel, job_id)
    return RedirectResponse(f"/jobs/{job_id}", status_code=303)
