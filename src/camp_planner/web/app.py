"""The coordinators' web app: FastAPI, server-rendered pages (Jinja2, Danish by default) and
the JSON API, on the same library as the commands.

:func:`create_app` builds the app for one data folder; ``camp-planner serve`` runs it with
uvicorn. Pages: the start page (upload or demo, earlier plans), a plan (problems, groups,
venues, what the solver would refuse, Start), a job (live progress, Stop), the roster
(cohorts by venue, the facilitator's calendar, the unplaced, the map, downloads) and the
what-if (form, comparison table and chart). The routes are in :mod:`camp_planner.web.routes`
(one router per group of pages, and the JSON API, documented in docs/web.md).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
from collections.abc import AsyncIterator, Iterable
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.concurrency import run_in_threadpool

from camp_planner.io.errors import InputError
from camp_planner.web.common import (
    Plans,
    Web,
    delete_old_plans,
    job_error,
    problem_dict,
    web_of,
)
from camp_planner.web.jobs import JobManager
from camp_planner.web.routes import (
    after,
    api,
    changes,
    jobs,
    outbox,
    plans,
    programme,
    remedies,
    score,
    whatif,
    year,
)
from camp_planner.web.security import (
    AccessLog,
    BasicAuth,
    BodyLimit,
    ErrorGuard,
    Headers,
    HostCheck,
    SameOrigin,
)
from camp_planner.web.store import Store

__all__ = ["DEFAULT_DATA", "UPLOAD_LIMIT", "create_app", "job_error"]

DEFAULT_DATA = Path("camp-planner-data")
#: The most one request may carry (an upload of the planning files), bytes.
UPLOAD_LIMIT = 20 * 1024 * 1024


def create_app(
    data_dir: str | os.PathLike[str] = DEFAULT_DATA,
    *,
    password: str | None = None,
    allowed_hosts: Iterable[str] | None = None,
    max_jobs: int | None = None,
    solver_workers: int = 2,
    upload_limit: int = UPLOAD_LIMIT,
    keep_days: float | None = None,
) -> FastAPI:
    """The web app for one data folder.

    Args:
        data_dir: Where plans and jobs are kept (created if needed).
        password: When given, every page and call needs it (HTTP basic auth).
        allowed_hosts: Host names answered (lower case); None answers any.
        max_jobs: Jobs solving at once; None for one per two cores.
        solver_workers: Solver threads per job.
        upload_limit: The most bytes one request may carry.
        keep_days: Plans older than this many days are deleted (on start, then hourly);
            None keeps every plan.

    Returns:
        The ASGI app; its job queue runs while the app runs (lifespan).
    """
    store = Store(Path(data_dir))
    manager = JobManager(store, max_jobs)
    web = Web(store, manager, Plans(store), solver_workers)

    @contextlib.asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        store.clean_tmp()  # uploads a killed server was checking
        store.hold()  # reads keep working on a full disk
        manager.start()  # ends the workers a killed server left
        retention = asyncio.create_task(_retention(web, keep_days))
        try:
            yield
        finally:
            retention.cancel()
            await run_in_threadpool(manager.stop)
            store.release()

    app = FastAPI(
        title="camp-planner",
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
        lifespan=lifespan,
    )
    app.state.web = web
    app.state.store, app.state.manager, app.state.plans = store, manager, web.plans
    app.mount("/static", StaticFiles(directory=Path(__file__).with_name("static")), name="static")
    # Middleware added last runs first: Headers is the outermost (every answer gets the
    # security headers, the guards' 400/401/403/413 and a 500 too).
    app.add_middleware(BodyLimit, limit=upload_limit)
    app.add_middleware(SameOrigin)
    app.add_middleware(BasicAuth, password=password)
    hosts = frozenset(h.casefold() for h in allowed_hosts) if allowed_hosts is not None else None
    app.add_middleware(HostCheck, hosts=hosts)
    app.add_middleware(AccessLog)
    app.add_middleware(ErrorGuard)
    app.add_middleware(Headers)
    app.add_exception_handler(InputError, _unreadable_plan)  # type: ignore[arg-type]
    for router in (
        year.router,
        changes.router,
        after.router,
        remedies.router,
        outbox.router,
        plans.router,
        jobs.router,
        whatif.router,
        programme.router,
        score.router,
        api.router,
    ):
        app.include_router(router)
    return app


async def _retention(web: Web, keep_days: float | None) -> None:
    """Delete the plans older than `keep_days`, now and every hour (None: never)."""
    while keep_days is not None:
        with contextlib.suppress(Exception):  # a full disk, say: the next hour retries
            await run_in_threadpool(delete_old_plans, web, keep_days)
        await asyncio.sleep(3600)


async def _unreadable_plan(request: Request, exc: InputError) -> Response:
    """A kept plan whose files no longer read (e.g. after an upgrade): its problems."""
    if request.url.path.startswith("/api/"):
        problems = [problem_dict(p) for p in exc.problems]
        return JSONResponse({"problems": problems}, status_code=422)
    return web_of(request).render(request, "home.html", status=422, plans=[], problems=exc.problems)
