"""The coordinators' web app: FastAPI, server-rendered pages (Jinja2, Danish by default) and
the JSON API, on the same library as the commands.

:func:`create_app` builds the app for one data folder; ``camp-planner serve`` runs it with
uvicorn. Pages: the start page (upload or demo, earlier plans), a plan (problems, groups,
venues, what the solver would refuse, Start), a job (live progress, Stop), the roster
(cohorts by venue, the facilitator's calendar, the unplaced, the map, downloads) and the
what-if (form, comparison table and chart). The JSON API is documented in docs/web.md.
"""

from __future__ import annotations

import contextlib
import math
import os
import threading
from collections import OrderedDict
from collections.abc import AsyncIterator, Iterable
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData, UploadFile

from camp_planner.io.errors import InputError, InputProblem
from camp_planner.models import PlanningProblem
from camp_planner.web import views
from camp_planner.web.i18n import DEFAULT, LANGUAGES, environment, translations
from camp_planner.web.jobs import CANCELLED_TEXT, CRASHED, RESTARTED, STOPPED, JobManager
from camp_planner.web.security import (
    CSRF_COOKIE,
    CSRF_FIELD,
    MAP_CSP,
    AccessLog,
    BasicAuth,
    BodyLimit,
    ErrorGuard,
    Headers,
    HostCheck,
    SameOrigin,
    csrf_ok,
    new_csrf_token,
)
from camp_planner.web.store import ACTIVE, DONE, FINISHED, Job, Store, new_id
from camp_planner.web.uploads import (
    ALLOWED,
    Assigned,
    Upload,
    assign_files,
    discard,
    load_plan_folder,
    save_plan_files,
)
from camp_planner.web.worker import COMPARISON_JSON, INTERNAL, INVITATIONS_ZIP, OUT

__all__ = ["DEFAULT_DATA", "UPLOAD_LIMIT", "create_app"]

DEFAULT_DATA = Path("camp-planner-data")
#: The most one request may carry (an upload of the planning files), bytes.
UPLOAD_LIMIT = 20 * 1024 * 1024
#: Solver time limits a request may ask for, seconds.
MIN_TIME, MAX_TIME = 1.0, 3600.0
DEFAULT_TIME, DEFAULT_WHATIF_TIME = 60.0, 20.0
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
#: The what-if files a page links to.
WHATIF_FILES: dict[str, str] = {
    "whatif.xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "whatif.csv": "text/csv; charset=utf-8",
    "whatif.png": "image/png",
}
SCENARIO_ROWS = 3
_LANG_COOKIE = "cp_lang"
_ERRORS = {
    RESTARTED: views.N_("The server was restarted while this job was running; start it again."),
    STOPPED: views.N_("The server was stopped while this job was running; start it again."),
    CANCELLED_TEXT: views.N_("Stopped by the user."),
}


class _Problems(Exception):
    """Input problems found while handling a request (422 with every one of them)."""

    def __init__(self, problems: list[InputProblem]) -> None:
        super().__init__(f"{len(problems)} problems")
        self.problems = problems


def _problem_dict(problem: InputProblem) -> dict[str, Any]:
    return {
        "file": problem.file,
        "row": problem.row,
        "column": problem.column,
        "value": problem.value,
        "expected": problem.expected,
    }


class _Plans:
    """Reading plans (a few kept in memory: a plan's files never change)."""

    def __init__(self, store: Store, size: int = 8) -> None:
        self.store, self.size = store, size
        self._cache: OrderedDict[str, tuple[PlanningProblem, list[str]]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, plan_id: str) -> tuple[PlanningProblem, list[str]]:
        with self._lock:
            if plan_id in self._cache:
                self._cache.move_to_end(plan_id)
                return self._cache[plan_id]
        loaded = load_plan_folder(self.store.plan_dir(plan_id))
        with self._lock:
            self._cache[plan_id] = loaded
            while len(self._cache) > self.size:
                self._cache.popitem(last=False)
        return loaded

    def create(self, upload: Assigned, source: str) -> str:
        """Check the files and keep them as a new plan; returns its id.

        Raises:
            _Problems: Every problem of the files (nothing is kept).
        """
        if upload.problems:
            raise _Problems(upload.problems)
        tmp = self.store.tmp_dir()
        try:
            names = save_plan_files(upload.files, tmp)
            try:
                problem, notes = load_plan_folder(tmp)
            except InputError as exc:
                raise _Problems(exc.problems + upload.unused_problems()) from None
            plan_id = new_id()
            os.replace(tmp, self.store.plan_dir(plan_id))
        finally:
            discard(tmp)
        self.store.add_plan(
            plan_id, source, problem.round.name, len(problem.companies), len(problem.venues),
            names, upload.ignored,
        )  # fmt: skip
        with self._lock:
            self._cache[plan_id] = (problem, notes)
        return plan_id


def _time_limit(value: Any, default: float) -> float:
    if value in (None, ""):
        return default
    try:
        number = float(str(value).replace(",", "."))
    except ValueError:
        raise ValueError(f"time_limit: expected seconds, got {value!r}") from None
    if not math.isfinite(number) or not MIN_TIME <= number <= MAX_TIME:
        raise ValueError(f"time_limit: expected {MIN_TIME:g} to {MAX_TIME:g} seconds")
    return number


def _scenarios_from_form(
    form: FormData,
) -> tuple[dict[str, Any] | None, list[tuple[str, dict[str, Any]]]]:
    """The what-if request of the page's form: ``{"venues": "4-6"}`` or ``{"scenarios":
    [...]}``, or the problems (texts to translate, with their values)."""
    if form.get("mode") == "venues":
        low, high = str(form.get("venues_from") or "").strip(), str(form.get("venues_to") or "")
        return {"venues": f"{low}-{high.strip()}"}, []
    scenarios: list[dict[str, Any]] = []
    problems: list[tuple[str, dict[str, Any]]] = []
    for i in range(1, SCENARIO_ROWS + 1):
        entry: dict[str, Any] = {}
        name = str(form.get(f"s{i}_name") or "").strip()
        for key in ("max_venues", "facilitators", "max_travel_km"):
            text = str(form.get(f"s{i}_{key}") or "").strip()
            if text:
                entry[key] = text.replace(",", ".")
        for key in ("closed", "required"):
            ids = [str(v) for v in form.getlist(f"s{i}_{key}")]
            if ids:
                entry[key] = ids
        if not entry and not name:
            continue
        if not name:
            problems.append((views.N_("Scenario %(i)s: give it a name."), {"i": i}))
            continue
        entry["name"] = name
        scenarios.append(entry)
    if not scenarios and not problems:
        problems.append((views.N_("Fill in at least one scenario."), {}))
    return ({"scenarios": scenarios} if not problems else None), problems


def create_app(
    data_dir: str | os.PathLike[str] = DEFAULT_DATA,
    *,
    password: str | None = None,
    allowed_hosts: Iterable[str] | None = None,
    max_jobs: int | None = None,
    solver_workers: int = 2,
    upload_limit: int = UPLOAD_LIMIT,
) -> FastAPI:
    """The web app for one data folder.

    Args:
        data_dir: Where plans and jobs are kept (created if needed).
        password: When given, every page and call needs it (HTTP basic auth).
        allowed_hosts: Host names answered (lower case); None answers any.
        max_jobs: Jobs solving at once; None for one per two cores.
        solver_workers: Solver threads per job.
        upload_limit: The most bytes one request may carry.

    Returns:
        The ASGI app; its job queue runs while the app runs (lifespan).
    """
    store = Store(Path(data_dir))
    manager = JobManager(store, max_jobs)
    plans = _Plans(store)

    @contextlib.asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        manager.start()
        try:
            yield
        finally:
            await run_in_threadpool(manager.stop)

    app = FastAPI(
        title="camp-planner",
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
        lifespan=lifespan,
    )
    app.state.store, app.state.manager, app.state.plans = store, manager, plans
    app.mount("/static", StaticFiles(directory=Path(__file__).with_name("static")), name="static")
    # Middleware added last runs first: ErrorGuard is the outermost.
    app.add_middleware(Headers)
    app.add_middleware(BodyLimit, limit=upload_limit)
    app.add_middleware(SameOrigin)
    app.add_middleware(BasicAuth, password=password)
    hosts = frozenset(h.casefold() for h in allowed_hosts) if allowed_hosts is not None else None
    app.add_middleware(HostCheck, hosts=hosts)
    app.add_middleware(AccessLog)
    app.add_middleware(ErrorGuard)

    # -- helpers ------------------------------------------------------------------------------

    def lang_of(request: Request) -> str:
        wanted = request.query_params.get("lang")
        if wanted in LANGUAGES:
            return str(wanted)
        cookie = request.cookies.get(_LANG_COOKIE)
        return cookie if cookie in LANGUAGES else DEFAULT

    def render(request: Request, template: str, status: int = 200, **context: Any) -> Response:
        lang = lang_of(request)
        token = request.cookies.get(CSRF_COOKIE) or new_csrf_token()
        gettext = translations(lang).gettext
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
                **context,
            )
        )
        response = HTMLResponse(page, status_code=status)
        if request.cookies.get(CSRF_COOKIE) != token:
            response.set_cookie(CSRF_COOKIE, token, httponly=True, samesite="strict", path="/")
        if request.query_params.get("lang") in LANGUAGES:
            response.set_cookie(
                _LANG_COOKIE, lang, samesite="lax", path="/", max_age=365 * 24 * 3600
            )
        return response

    def not_found(request: Request) -> Response:
        if request.url.path.startswith("/api/"):
            return JSONResponse({"detail": "not found"}, status_code=404)
        return render(request, "not_found.html", status=404)

    async def page_form(request: Request) -> FormData | None:
        """The page form, or None when its CSRF token is missing or wrong."""
        form = await request.form(max_files=20, max_fields=200)
        if not csrf_ok(request.cookies.get(CSRF_COOKIE), str(form.get(CSRF_FIELD) or "")):
            return None
        return form

    def forbidden(request: Request) -> Response:
        return render(request, "forbidden.html", status=403)

    async def uploads_of(form: FormData) -> list[Upload]:
        found = []
        for key, value in form.multi_items():
            if isinstance(value, UploadFile):
                found.append(Upload(key, value.filename or "", await value.read()))
        return found

    def latest_roster_job(plan_id: str) -> Job | None:
        return store.latest_done(plan_id, "solve")

    def job_state(job: Job, lang: str) -> dict[str, Any]:
        gettext = translations(lang).gettext
        number = environment(lang).filters["number"]
        return {
            "status": job.status,
            "label": gettext(views.JOB_STATUS_LABELS.get(job.status, job.status)),
            "progress": views.progress_text(job.progress, gettext, number) if job.progress else "",
            "elapsed": None if job.elapsed is None else round(job.elapsed, 1),
            "finished": job.status in FINISHED,
            "result_url": result_url(job),
        }

    def result_url(job: Job) -> str | None:
        if job.status != DONE:
            return None
        if job.kind == "whatif":
            return f"/jobs/{job.job_id}/whatif"
        return f"/plans/{job.plan_id}/roster"

    def preflight_of(problem: PlanningProblem, lang: str = "en") -> list[str]:
        """What the solver would refuse: in English for the JSON API, in the page's
        language on a page."""
        from camp_planner.scheduler.preflight import preflight

        return preflight(problem, lang)

    @app.exception_handler(InputError)
    async def unreadable_plan(request: Request, exc: InputError) -> Response:
        """A kept plan whose files no longer read (e.g. after an upgrade): its problems."""
        if request.url.path.startswith("/api/"):
            problems = [_problem_dict(p) for p in exc.problems]
            return JSONResponse({"problems": problems}, status_code=422)
        return render(request, "home.html", status=422, plans=[], problems=exc.problems)

    # -- pages --------------------------------------------------------------------------------

    @app.get("/", response_class=HTMLResponse)
    def home(request: Request) -> Response:
        listed = []
        for plan in store.plans():
            jobs = store.jobs(plan.plan_id, limit=1)
            listed.append((plan, jobs[0] if jobs else None))
        return render(request, "home.html", plans=listed, problems=None)

    @app.post("/plans")
    async def upload_page(request: Request) -> Response:
        form = await page_form(request)
        if form is None:
            return forbidden(request)
        try:
            assigned = assign_files(await uploads_of(form))
            plan_id = await run_in_threadpool(plans.create, assigned, "upload")
        except _Problems as exc:
            problems = exc.problems
        else:
            return RedirectResponse(f"/plans/{plan_id}", status_code=303)
        listed = [(p, None) for p in store.plans()]
        return render(request, "home.html", status=422, plans=listed, problems=problems)

    @app.post("/plans/demo")
    async def demo_page(request: Request) -> Response:
        if await page_form(request) is None:
            return forbidden(request)
        from camp_planner.demo.generator import packaged_demo

        files = {n: text.encode("utf-8") for n, text in packaged_demo().items() if n in ALLOWED}
        plan_id = await run_in_threadpool(plans.create, Assigned(files, [], []), "demo")
        return RedirectResponse(f"/plans/{plan_id}", status_code=303)

    @app.get("/plans/{plan_id}", response_class=HTMLResponse)
    def plan_page(request: Request, plan_id: str) -> Response:
        plan = store.plan(plan_id)
        if plan is None:
            return not_found(request)
        problem, notes = plans.get(plan_id)
        return render(
            request,
            "plan.html",
            nav="plan",
            plan=plan,
            view=views.plan_view(problem),
            notes=notes,
            refusals=preflight_of(problem, lang_of(request)),
            jobs=store.jobs(plan_id, limit=20),
            has_roster=latest_roster_job(plan_id) is not None,
            time_limit=DEFAULT_TIME,
            error=None,
        )

    @app.post("/plans/{plan_id}/solve")
    async def solve_page(request: Request, plan_id: str) -> Response:
        plan = store.plan(plan_id)
        if plan is None:
            return not_found(request)
        form = await page_form(request)
        if form is None:
            return forbidden(request)
        problem, notes = plans.get(plan_id)
        try:
            limit = _time_limit(form.get("time_limit"), DEFAULT_TIME)
        except ValueError:
            return render(
                request,
                "plan.html",
                status=422,
                nav="plan",
                plan=plan,
                view=views.plan_view(problem),
                notes=notes,
                refusals=preflight_of(problem, lang_of(request)),
                jobs=store.jobs(plan_id, limit=20),
                has_roster=latest_roster_job(plan_id) is not None,
                time_limit=form.get("time_limit"),
                error="time_limit",
            )
        job = manager.submit(plan_id, "solve", {"time_limit": limit, "workers": solver_workers})
        return RedirectResponse(f"/jobs/{job.job_id}", status_code=303)

    @app.get("/plans/{plan_id}/roster", response_class=HTMLResponse)
    def roster_page(request: Request, plan_id: str) -> Response:
        from camp_planner.io.roster_file import RosterFileError, read_roster
        from camp_planner.outputs.roster_files import ROSTER_JSON

        plan = store.plan(plan_id)
        if plan is None:
            return not_found(request)
        job = latest_roster_job(plan_id)
        roster = view = None
        if job is not None:
            problem, _ = plans.get(plan_id)
            try:
                roster = read_roster(store.job_dir(job.job_id) / OUT / ROSTER_JSON)
            except RosterFileError:
                job = None
            else:
                view = views.roster_view(problem, roster)
        running = store.jobs(plan_id, status=ACTIVE, kind="solve", limit=1)
        return render(
            request,
            "roster.html",
            nav="roster",
            plan=plan,
            job=job,
            summary=job.summary if job else None,
            view=view,
            running=running[0] if running else None,
        )

    def whatif_form(
        request: Request, plan_id: str, status: int = 200, errors: list[str] | None = None,
        form: FormData | None = None,
    ) -> Response:  # fmt: skip
        plan = store.plan(plan_id)
        assert plan is not None
        problem, _ = plans.get(plan_id)
        count = len(problem.venues)
        current = problem.round.max_venues
        defaults = {
            "venues_from": max(1, min(current - 1, count)),
            "venues_to": min(count, current + 1),
        }
        return render(
            request,
            "whatif.html",
            status=status,
            nav="whatif",
            plan=plan,
            venues=[v for v in problem.venues],
            defaults=defaults,
            rows=SCENARIO_ROWS,
            errors=errors or [],
            form=form,
            time_limit=DEFAULT_WHATIF_TIME,
            earlier=store.jobs(plan_id, kind="whatif", limit=10),
        )

    @app.get("/plans/{plan_id}/whatif", response_class=HTMLResponse)
    def whatif_page(request: Request, plan_id: str) -> Response:
        if store.plan(plan_id) is None:
            return not_found(request)
        return whatif_form(request, plan_id)

    def whatif_params(problem: PlanningProblem, request: dict[str, Any]) -> list[str]:
        """Every problem of a what-if request (nothing is solved when there are any)."""
        from camp_planner.whatif import (
            Scenario,
            ScenarioError,
            venue_range_scenarios,
            with_baseline,
        )
        from camp_planner.whatif.runner import prepare_scenarios

        try:
            if request.get("venues"):
                scenarios = venue_range_scenarios(str(request["venues"]), len(problem.venues))
            else:
                raw = request.get("scenarios") or []
                if not isinstance(raw, list) or not raw:
                    return ["give 'venues' (e.g. \"4-6\") or a list of 'scenarios'"]
                problems, parsed = [], []
                for entry in raw:
                    try:
                        parsed.append(Scenario.model_validate(entry))
                    except Exception as exc:  # noqa: BLE001 - pydantic's message, shortened
                        problems.append(f"scenario {entry.get('name', '?')!r}: {exc}")
                if problems:
                    return problems
                scenarios = with_baseline(parsed)
            prepare_scenarios(problem, scenarios)
        except ScenarioError as exc:
            return exc.problems
        return []

    @app.post("/plans/{plan_id}/whatif")
    async def whatif_submit(request: Request, plan_id: str) -> Response:
        if store.plan(plan_id) is None:
            return not_found(request)
        form = await page_form(request)
        if form is None:
            return forbidden(request)
        gettext = translations(lang_of(request)).gettext
        params, problems = _scenarios_from_form(form)
        errors = [gettext(text) % values for text, values in problems]
        try:
            limit = _time_limit(form.get("time_limit"), DEFAULT_WHATIF_TIME)
        except ValueError:
            errors.append(gettext(views.N_("Give a time limit from 1 to 3600 seconds.")))
        if params is not None and not errors:
            problem, _ = plans.get(plan_id)
            errors = whatif_params(problem, params)
        if errors or params is None:
            return whatif_form(request, plan_id, 422, errors, form)
        params |= {"time_limit": limit, "workers": solver_workers}
        job = manager.submit(plan_id, "whatif", params)
        return RedirectResponse(f"/jobs/{job.job_id}", status_code=303)

    @app.get("/jobs/{job_id}", response_class=HTMLResponse)
    def job_page(request: Request, job_id: str) -> Response:
        job = store.job(job_id)
        if job is None:
            return not_found(request)
        plan = store.plan(job.plan_id)
        return render(
            request,
            "job.html",
            nav="roster" if job.kind == "solve" else "whatif",
            plan=plan,
            job=job,
            state=job_state(job, lang_of(request)),
        )

    @app.get("/jobs/{job_id}/state")
    def job_state_page(request: Request, job_id: str) -> Response:
        job = store.job(job_id)
        if job is None:
            return JSONResponse({"detail": "not found"}, status_code=404)
        return JSONResponse(job_state(job, lang_of(request)))

    @app.post("/jobs/{job_id}/cancel")
    async def cancel_page(request: Request, job_id: str) -> Response:
        if store.job(job_id) is None:
            return not_found(request)
        if await page_form(request) is None:
            return forbidden(request)
        await run_in_threadpool(manager.cancel, job_id)
        return RedirectResponse(f"/jobs/{job_id}", status_code=303)

    @app.get("/jobs/{job_id}/whatif", response_class=HTMLResponse)
    def comparison_page(request: Request, job_id: str) -> Response:
        import json

        job = store.job(job_id)
        if job is None or job.kind != "whatif":
            return not_found(request)
        plan = store.plan(job.plan_id)
        if job.status != DONE:
            return RedirectResponse(f"/jobs/{job_id}", status_code=303)
        problem, _ = plans.get(job.plan_id)
        table = json.loads((store.job_dir(job_id) / COMPARISON_JSON).read_text())
        names = {v.venue_id: v.name for v in problem.venues}
        return render(
            request,
            "comparison.html",
            nav="whatif",
            plan=plan,
            job=job,
            view=views.comparison_view(
                table["columns"],
                table["data"],
                names,
                job.params | {"slugs": [s["slug"] for s in job.summary.get("scenarios", [])]},
            ),
        )

    @app.get("/jobs/{job_id}/files/{name}")
    def whatif_file(request: Request, job_id: str, name: str) -> Response:
        job = store.job(job_id)
        if job is None or job.kind != "whatif" or job.status != DONE or name not in WHATIF_FILES:
            return not_found(request)
        path = store.job_dir(job_id) / OUT / name
        if not path.is_file():
            return not_found(request)
        inline = name.endswith(".png")
        return FileResponse(
            path,
            media_type=WHATIF_FILES[name],
            filename=name,
            content_disposition_type="inline" if inline else "attachment",
        )

    @app.get("/jobs/{job_id}/maps/{slug}")
    def whatif_map(request: Request, job_id: str, slug: str) -> Response:
        job = store.job(job_id)
        if job is None or job.kind != "whatif" or job.status != DONE:
            return not_found(request)
        known = {s["slug"] for s in job.summary.get("scenarios", [])}
        name = slug.removesuffix(".html")
        if name not in known:
            return not_found(request)
        path = store.job_dir(job_id) / OUT / "maps" / f"{name}.html"
        if not path.is_file():
            return not_found(request)
        return FileResponse(
            path,
            media_type="text/html; charset=utf-8",
            headers={"content-security-policy": MAP_CSP},
        )

    # -- the JSON API ---------------------------------------------------------------------------

    @app.get("/api/health")
    def health() -> dict[str, str]:
        return {"status": "ok"}

    @app.post("/api/plans")
    async def create_plan(request: Request) -> Response:
        content_type = request.headers.get("content-type", "")
        if not content_type.startswith("multipart/form-data"):
            problem = InputProblem(
                "(request)", None, None, None, "multipart/form-data with the planning files"
            )
            return JSONResponse({"problems": [_problem_dict(problem)]}, status_code=422)
        form = await request.form(max_files=20, max_fields=50)
        try:
            assigned = assign_files(await uploads_of(form))
            plan_id = await run_in_threadpool(plans.create, assigned, "upload")
        except _Problems as exc:
            problems = exc.problems
        else:
            return JSONResponse({"plan_id": plan_id}, status_code=201)
        return JSONResponse({"problems": [_problem_dict(p) for p in problems]}, status_code=422)

    @app.get("/api/plans/{plan_id}")
    def plan_api(request: Request, plan_id: str) -> Response:
        plan = store.plan(plan_id)
        if plan is None:
            return not_found(request)
        problem, notes = plans.get(plan_id)
        latest = latest_roster_job(plan_id)
        return JSONResponse(
            {
                "plan_id": plan_id,
                "round": plan.round_name,
                "companies": plan.companies,
                "venues": plan.venues,
                "notes": notes,
                "not_used": plan.ignored,
                "refused": preflight_of(problem),
                "latest_roster_job": latest.job_id if latest else None,
            }
        )

    async def json_body(request: Request) -> dict[str, Any] | Response:
        content_type = request.headers.get("content-type", "")
        if content_type.split(";")[0].strip().lower() != "application/json":
            return JSONResponse(
                {"detail": "expected a JSON body (content-type: application/json)"},
                status_code=415,
            )
        try:
            body = await request.json()
        except ValueError:
            return JSONResponse({"detail": "the body is not valid JSON"}, status_code=422)
        if not isinstance(body, dict):
            return JSONResponse({"detail": "expected a JSON object"}, status_code=422)
        return body

    @app.post("/api/plans/{plan_id}/solve")
    async def solve_api(request: Request, plan_id: str) -> Response:
        if store.plan(plan_id) is None:
            return not_found(request)
        body = await json_body(request)
        if isinstance(body, Response):
            return body
        try:
            limit = _time_limit(body.get("time_limit"), DEFAULT_TIME)
        except ValueError as exc:
            return JSONResponse({"detail": str(exc)}, status_code=422)
        problem, _ = plans.get(plan_id)
        refusals = preflight_of(problem)
        if refusals:
            return JSONResponse({"refused": refusals}, status_code=422)
        job = manager.submit(plan_id, "solve", {"time_limit": limit, "workers": solver_workers})
        return JSONResponse({"job_id": job.job_id}, status_code=202)

    @app.post("/api/plans/{plan_id}/whatif")
    async def whatif_api(request: Request, plan_id: str) -> Response:
        if store.plan(plan_id) is None:
            return not_found(request)
        body = await json_body(request)
        if isinstance(body, Response):
            return body
        try:
            limit = _time_limit(body.get("time_limit"), DEFAULT_WHATIF_TIME)
        except ValueError as exc:
            return JSONResponse({"detail": str(exc)}, status_code=422)
        params = {k: body[k] for k in ("venues", "scenarios") if body.get(k)}
        problem, _ = plans.get(plan_id)
        problems = whatif_params(problem, params)
        if problems:
            return JSONResponse({"problems": problems}, status_code=422)
        params |= {"time_limit": limit, "workers": solver_workers}
        job = manager.submit(plan_id, "whatif", params)
        return JSONResponse({"job_id": job.job_id}, status_code=202)

    def job_answer(job: Job) -> dict[str, Any]:
        summary = dict(job.summary)
        summary.setdefault("kind", job.kind)
        summary["plan_id"] = job.plan_id
        summary["elapsed_s"] = None if job.elapsed is None else round(job.elapsed, 1)
        if job.error:
            summary["error"] = job.error
        progress = job.error if job.status in ("failed", "cancelled") and job.error else None
        return {"status": job.status, "progress": progress or job.progress, "summary": summary}

    @app.get("/api/jobs/{job_id}")
    def job_api(request: Request, job_id: str) -> Response:
        job = store.job(job_id)
        if job is None:
            return not_found(request)
        return JSONResponse(job_answer(job))

    @app.delete("/api/jobs/{job_id}")
    async def cancel_api(request: Request, job_id: str) -> Response:
        if store.job(job_id) is None:
            return not_found(request)
        job = await run_in_threadpool(manager.cancel, job_id)
        assert job is not None
        return JSONResponse(job_answer(job))

    @app.get("/api/plans/{plan_id}/{name}")
    def roster_file(request: Request, plan_id: str, name: str) -> Response:
        if store.plan(plan_id) is None or name not in ROSTER_FILES:
            return not_found(request)
        job = latest_roster_job(plan_id)
        if job is None:
            return not_found(request)
        inner, media = ROSTER_FILES[name]
        path = store.job_dir(job.job_id) / inner
        if not path.is_file():
            return not_found(request)
        if name == "map.html":
            return FileResponse(
                path, media_type=media, headers={"content-security-policy": MAP_CSP}
            )
        return FileResponse(path, media_type=media, filename=name)

    return app


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
