"""The what-if pages: the form, the comparison of a finished what-if and its files and
maps."""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, RedirectResponse, Response
from pydantic import BaseModel
from starlette.datastructures import FormData

from camp_planner.models import PlanningProblem
from camp_planner.web import views
from camp_planner.web.common import (
    DEFAULT_WHATIF_TIME,
    Problems,
    plan_form,
    problem_dict,
    time_limit,
    web_of,
)
from camp_planner.web.i18n import translations
from camp_planner.web.map_pages import map_response
from camp_planner.web.store import DONE, Job
from camp_planner.web.whatif_chart import chart_in
from camp_planner.web.worker import COMPARISON_JSON, OUT

router = APIRouter()


class AdoptAnswer(BaseModel):
    """The answer of adopting a scenario: the plan's new version and its roster's job."""

    plan_id: str
    version: int
    job_id: str


SCENARIO_ROWS = 4
#: The most scenarios one what-if request may ask for (docs/web.md).
MAX_SCENARIOS = 12
#: The longest scenario name accepted (it names the scenario's files).
MAX_NAME = 80
#: The what-if files a page links to.
WHATIF_FILES: dict[str, str] = {
    "whatif.xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "whatif.csv": "text/csv; charset=utf-8",
    "whatif.png": "image/png",
}


def scenarios_from_form(
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


def whatif_params(problem: PlanningProblem, request: dict[str, Any]) -> list[str]:
    """Every problem of a what-if request (nothing is solved when there are any): at most
    :data:`MAX_SCENARIOS` scenarios, each an object with a name of at most
    :data:`MAX_NAME` characters."""
    from camp_planner.whatif import ScenarioError, venue_range_scenarios, with_baseline
    from camp_planner.whatif.runner import prepare_scenarios

    try:
        if request.get("venues"):
            if not isinstance(request["venues"], str | int):
                return ['venues: expected a range of venue counts such as "4-6"']
            scenarios = venue_range_scenarios(str(request["venues"]), len(problem.venues))
            if len(scenarios) > MAX_SCENARIOS:
                return [f"venues: at most {MAX_SCENARIOS} scenarios in one request"]
        else:
            parsed, problems = _scenarios(request.get("scenarios"))
            if problems:
                return problems
            scenarios = with_baseline(parsed)
        prepare_scenarios(problem, scenarios)
    except ScenarioError as exc:
        return exc.problems
    return []


def _scenarios(raw: Any) -> tuple[list[Any], list[str]]:
    """The scenarios of a request's list, or its problems (sentences, no traceback)."""
    from pydantic import ValidationError

    from camp_planner.whatif import Scenario

    if not isinstance(raw, list) or not raw:
        return [], ["give 'venues' (e.g. \"4-6\") or a list of 'scenarios'"]
    if len(raw) > MAX_SCENARIOS:
        return [], [f"scenarios: at most {MAX_SCENARIOS} in one request, got {len(raw)}"]
    problems, parsed = [], []
    for number, entry in enumerate(raw, 1):
        if not isinstance(entry, dict):
            problems.append(f"scenario {number}: expected an object with a 'name'")
            continue
        name = entry.get("name")
        if isinstance(name, str) and len(name) > MAX_NAME:
            problems.append(f"scenario {number}: a name of at most {MAX_NAME} characters")
            continue
        try:
            parsed.append(Scenario.model_validate(entry))
        except (ValidationError, ValueError, TypeError) as exc:
            shown = name if isinstance(name, str) else number
            problems.append(f"scenario {shown!r}: {_short(exc)}")
    return parsed, problems


def _short(exc: Exception) -> str:
    """pydantic's sentences without its links."""
    from pydantic import ValidationError

    if isinstance(exc, ValidationError):
        return "; ".join(
            f"{'.'.join(str(p) for p in e['loc']) or 'scenario'}: {e['msg']}"
            for e in exc.errors()[:5]
        )
    return str(exc)


def _whatif_form(
    request: Request, plan_id: str, status: int = 200, errors: list[str] | None = None,
    form: FormData | None = None,
) -> Response:  # fmt: skip
    web = web_of(request)
    plan = web.store.plan(plan_id)
    assert plan is not None
    problem, _ = web.plans.get(plan_id)
    count = len(problem.venues)
    current = problem.round.max_venues
    defaults = {
        "venues_from": max(1, min(current - 1, count)),
        "venues_to": min(count, current + 1),
    }
    return web.render(
        request,
        "whatif.html",
        status=status,
        nav="whatif",
        plan=plan,
        venues=list(problem.venues),
        defaults=defaults,
        rows=SCENARIO_ROWS,
        errors=errors or [],
        form=form,
        time_limit=DEFAULT_WHATIF_TIME,
        earlier=web.store.jobs(plan_id, kind="whatif", limit=10),
    )


@router.get("/plans/{plan_id}/whatif", response_class=HTMLResponse)
def whatif_page(request: Request, plan_id: str) -> Response:
    web = web_of(request)
    if web.store.plan(plan_id) is None:
        return web.not_found(request)
    return _whatif_form(request, plan_id)


@router.post("/plans/{plan_id}/whatif")
async def whatif_submit(request: Request, plan_id: str) -> Response:
    found = await plan_form(request, plan_id)
    if isinstance(found, Response):
        return found
    web, form = found
    gettext = translations(web.lang_of(request)).gettext
    params, problems = scenarios_from_form(form)
    errors = [gettext(text) % values for text, values in problems]
    try:
        limit = time_limit(form.get("time_limit"), DEFAULT_WHATIF_TIME)
    except ValueError:
        errors.append(gettext(views.N_("Give a time limit from 1 to 3600 seconds.")))
    if params is not None and not errors:
        problem, _ = web.plans.get(plan_id)
        errors = whatif_params(problem, params)
    if errors or params is None:
        return _whatif_form(request, plan_id, 422, errors, form)
    params |= {"time_limit": limit, "workers": web.solver_workers}
    job = web.manager.submit(plan_id, "whatif", params)
    return RedirectResponse(f"/jobs/{job.job_id}", status_code=303)


@router.get("/jobs/{job_id}/whatif", response_class=HTMLResponse)
def comparison_page(request: Request, job_id: str) -> Response:
    web = web_of(request)
    job = web.store.job(job_id)
    if job is None or job.kind != "whatif":
        return web.not_found(request)
    if job.status != DONE:
        return RedirectResponse(f"/jobs/{job_id}", status_code=303)
    return _comparison(request, job)


def _comparison(request: Request, job: Job, status: int = 200, error: str = "") -> Response:
    web = web_of(request)
    plan = web.store.plan(job.plan_id)
    problem, _ = web.plans.get(job.plan_id)
    table = json.loads((web.store.job_dir(job.job_id) / COMPARISON_JSON).read_text())
    names = {v.venue_id: v.name for v in problem.venues}
    slugs = [s["slug"] for s in job.summary.get("scenarios", [])]
    return web.render(
        request,
        "comparison.html",
        nav="whatif",
        plan=plan,
        job=job,
        view=views.comparison_view(
            table["columns"], table["data"], names, job.params | {"slugs": slugs}
        ),
        status=status,
        adopt_error=error,
    )


def _adopt(request: Request, job_id: str, slug: str) -> tuple[int, Job] | Response:
    """Adopt the scenario (:func:`camp_planner.web.adopt.adopt_scenario`); an answer for an
    unknown job or scenario (404). AdoptError and Problems pass to the caller."""
    from camp_planner.web.adopt import adopt_scenario

    web = web_of(request)
    job = web.store.job(job_id)
    if job is None or job.kind != "whatif" or job.status != DONE:
        return web.not_found(request)
    try:
        return adopt_scenario(web, job, slug)
    except LookupError:
        return web.not_found(request)


@router.post("/jobs/{job_id}/adopt/{slug}")
async def adopt_page(request: Request, job_id: str, slug: str) -> Response:
    """The comparison page's Adopt: the new version's roster page, or the comparison with
    the reason it cannot be adopted."""
    from camp_planner.web.adopt import AdoptError

    web = web_of(request)
    if await web.page_form(request) is None:
        return web.forbidden(request)
    gettext = translations(web.lang_of(request)).gettext
    try:
        adopted = _adopt(request, job_id, slug)
    except AdoptError as exc:
        job = web.store.job(job_id)
        assert job is not None
        return _comparison(request, job, 409, gettext(exc.message))
    except Problems as exc:
        job = web.store.job(job_id)
        assert job is not None
        shown = "; ".join(views.expected_text(p, web.lang_of(request)) for p in exc.problems)
        return _comparison(request, job, 422, shown)
    if isinstance(adopted, Response):
        return adopted
    _, solved = adopted
    return RedirectResponse(f"/plans/{solved.plan_id}/roster", status_code=303)


@router.post("/api/jobs/{job_id}/scenarios/{slug}/adopt", status_code=201)
def adopt_api(request: Request, job_id: str, slug: str) -> Response:
    """Adopt a scenario: ``201 {"plan_id", "version", "job_id"}`` (the job holds the
    roster); 404 unknown; 409 the plan changed or nothing to adopt; 422 problems."""
    from camp_planner.web.adopt import AdoptError

    try:
        adopted = _adopt(request, job_id, slug)
    except AdoptError as exc:
        return JSONResponse({"detail": exc.message}, status_code=409)
    except Problems as exc:
        return JSONResponse({"problems": [problem_dict(p) for p in exc.problems]}, status_code=422)
    if isinstance(adopted, Response):
        return adopted
    version, solved = adopted
    answer = AdoptAnswer(plan_id=solved.plan_id, version=version, job_id=solved.job_id)
    return JSONResponse(answer.model_dump(), status_code=201)


@router.get("/jobs/{job_id}/files/{name}")
def whatif_file(request: Request, job_id: str, name: str) -> Response:
    web = web_of(request)
    job = web.store.job(job_id)
    if job is None or job.kind != "whatif" or job.status != DONE or name not in WHATIF_FILES:
        return web.not_found(request)
    path = web.store.job_dir(job_id) / OUT / name
    if not path.is_file():
        return web.not_found(request)
    inline = name.endswith(".png")
    if inline:  # in the page's language, whatever the round's (one URL for both: no-cache)
        folder = web.store.job_dir(job_id)
        path = chart_in(folder, job.summary, web.lang_of(request), COMPARISON_JSON)
    return FileResponse(
        path,
        media_type=WHATIF_FILES[name],
        filename=name,
        content_disposition_type="inline" if inline else "attachment",
        headers={"Cache-Control": "no-cache", "Vary": "Cookie"} if inline else None,
    )


@router.get("/jobs/{job_id}/maps/{slug}")
def whatif_map(request: Request, job_id: str, slug: str) -> Response:
    web = web_of(request)
    job = web.store.job(job_id)
    if job is None or job.kind != "whatif" or job.status != DONE:
        return web.not_found(request)
    known = {s["slug"] for s in job.summary.get("scenarios", [])}
    name = slug.removesuffix(".html")
    if name not in known:
        return web.not_found(request)
    path = web.store.job_dir(job_id) / OUT / "maps" / f"{name}.html"
    if not path.is_file():
        return web.not_found(request)
    return map_response(path)


@router.get("/jobs/{job_id}/rosters/{slug}")
def whatif_roster(request: Request, job_id: str, slug: str) -> Response:
    """One scenario's roster (roster.json format), to download."""
    from camp_planner.outputs.whatif_files import ROSTERS_DIR

    web = web_of(request)
    job = web.store.job(job_id)
    if job is None or job.kind != "whatif" or job.status != DONE:
        return web.not_found(request)
    known = {s["slug"] for s in job.summary.get("scenarios", [])}
    name = slug.removesuffix(".json")
    if name not in known:
        return web.not_found(request)
    path = web.store.job_dir(job_id) / OUT / ROSTERS_DIR / f"{name}.json"
    if not path.is_file():
        return web.not_found(request)
    return FileResponse(
        path, media_type="application/json", filename=f"roster-{name}.json",
        content_disposition_type="attachment",
    )  # fmt: skip
