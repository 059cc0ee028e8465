"""The coordinator's year (docs/web.md "The year in the browser"): a new plan from the
companies and venues with the settings as a form, the settings of a plan (each change a new
version), its versions and their rosters, renaming; pages and JSON calls."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, JSONResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from camp_planner.i18n import N_, Message
from camp_planner.io.errors import InputProblem
from camp_planner.io.round_file import ROUND_TOML
from camp_planner.web.common import Problems, Web, plan_form, problems_json, web_of
from camp_planner.web.i18n import translations
from camp_planner.web.publish import published_job
from camp_planner.web.routes.api import ROSTER_FILES, plan_json_body
from camp_planner.web.settings import (
    FIELDS,
    check_settings,
    data_from_form,
    form_problems,
    form_values,
    read_written,
)
from camp_planner.web.store import Job
from camp_planner.web.uploads import assign_files
from camp_planner.web.versions import (
    SETTINGS,
    new_version,
    rename_plan,
    version_at,
    version_dir,
    versions,
)

router = APIRouter()
_KEYS = {spec.key for spec in FIELDS}
#: The longest name a plan may be given.
MAX_NAME = 200


def _jobs_by_version(web: Web, plan_id: str) -> dict[int, list[Job]]:
    """The plan's jobs, by the version each was started on (newest first)."""
    found: dict[int, list[Job]] = {}
    for job in web.store.jobs(plan_id, limit=500):
        found.setdefault(version_at(web.store, plan_id, job.created), []).append(job)
    return found


# -- a new plan from the companies and venues, the settings as a form ----------------------


@router.get("/plans/new")
def new_plan_page(request: Request) -> Response:
    web = web_of(request)
    return web.render(
        request,
        "new_plan.html",
        fields=FIELDS,
        values=form_values(None),
        problems=None,
        sheet_ok=True,
    )


@router.post("/plans/new")
async def new_plan_post(request: Request) -> Response:
    web = web_of(request)
    form = await web.page_form(request)
    if form is None:
        return web.forbidden(request)
    data = data_from_form(form, form.getlist)
    try:
        assigned = assign_files(await web.uploads_of(form))
        # a workbook may carry the settings on its sheet "round" (io/round_sheet.py): then
        # the form's name and dates are left empty
        on_sheet = "plan.xlsx" in assigned.files and not any(
            data.get(key) for key in ("name", "start", "end")
        )
        if ROUND_TOML not in assigned.files and not on_sheet:
            text, problems, _ = check_settings(data)  # name, start, end are required here
            if text is None:  # the form's fields named as the form names them
                gettext = translations(web.lang_of(request)).gettext
                raise Problems(assigned.problems + form_problems(problems, gettext))
            assigned.files[ROUND_TOML] = text.encode("utf-8")
        plan_id = await run_in_threadpool(web.plans.create, assigned, "upload")
    except Problems as exc:
        values = {**form_values(None), **_as_shown(form)}
        return web.render(
            request, "new_plan.html", status=422, fields=FIELDS, values=values,
            problems=exc.problems, sheet_ok=True,
        )  # fmt: skip
    return RedirectResponse(f"/plans/{plan_id}", status_code=303)


def _as_shown(form: Any) -> dict[str, Any]:
    """A refused form's own text, shown again as it was typed."""
    shown: dict[str, Any] = {}
    for spec in FIELDS:
        if spec.kind == "checks":
            shown[spec.key] = form.getlist(spec.key)
        elif spec.kind == "pair":
            shown[spec.key] = [form.get(f"{spec.key}_{i}", "") for i in (0, 1)]
        elif spec.kind == "levels":
            shown[spec.key] = {lv: form.get(f"{spec.key}_{lv}", "") for lv in "ABC"}
        elif spec.kind == "bool":
            shown[spec.key] = bool(form.get(spec.key))
        else:
            shown[spec.key] = form.get(spec.key, "")
    return shown


# -- a plan's settings: each change a new version ----------------------------------------


def _settings_page(
    request: Request, plan_id: str, status: int = 200, values: dict[str, Any] | None = None,
    problems: list[InputProblem] | None = None,
) -> Response:  # fmt: skip
    web = web_of(request)
    problem, _ = web.plans.get(plan_id)
    known = versions(web.store, plan_id)
    gettext = translations(web.lang_of(request)).gettext
    return web.render(
        request, "settings.html", status=status, nav="settings", plan=web.store.plan(plan_id),
        fields=FIELDS, values=values or form_values(problem.round),
        problems=form_problems(problems, gettext) if problems else None,
        version=known[-1].version,
    )  # fmt: skip


@router.get("/plans/{plan_id}/settings")
def settings_page(request: Request, plan_id: str) -> Response:
    web = web_of(request)
    if web.store.plan(plan_id) is None:
        return web.not_found(request)
    return _settings_page(request, plan_id)


def _change_settings(web: Web, plan_id: str, data: dict[str, Any]) -> int:
    """A new version with these settings (Problems when they, or the plan with them, do
    not read)."""
    before = read_written(web.store.plan_dir(plan_id))
    text, problems, _ = check_settings(data, before)
    if text is None:
        raise Problems(problems)
    return new_version(web, plan_id, {ROUND_TOML: text.encode("utf-8")}, SETTINGS)


@router.post("/plans/{plan_id}/settings")
async def settings_post(request: Request, plan_id: str) -> Response:
    found = await plan_form(request, plan_id)
    if isinstance(found, Response):
        return found
    web, form = found
    data = data_from_form(form, form.getlist)
    try:
        await run_in_threadpool(_change_settings, web, plan_id, data)
    except Problems as exc:
        return _settings_page(request, plan_id, 422, _as_shown(form), exc.problems)
    return RedirectResponse(f"/plans/{plan_id}/versions", status_code=303)


# -- versions, their rosters, renaming ----------------------------------------------------


@router.get("/plans/{plan_id}/versions")
def versions_page(request: Request, plan_id: str) -> Response:
    web = web_of(request)
    plan = web.store.plan(plan_id)
    if plan is None:
        return web.not_found(request)
    return web.render(
        request, "versions.html", nav="versions", plan=plan,
        versions=list(reversed(versions(web.store, plan_id))),
        jobs=_jobs_by_version(web, plan_id), files=list(ROSTER_FILES),
        replan_files=[*list(ROSTER_FILES)[:4], "changes.csv", "changed-invitations.zip"],
        published=published_job(web.store, plan_id),
    )  # fmt: skip


@router.get("/plans/{plan_id}/versions/{number}/round.toml")
@router.get("/api/plans/{plan_id}/versions/{number}/round.toml")
def version_round_file(request: Request, plan_id: str, number: int) -> Response:
    web = web_of(request)
    folder = version_dir(web.store, plan_id, number) if web.store.plan(plan_id) else None
    text = _round_toml(folder) if folder is not None else ""
    if not text:
        return web.not_found(request)
    disposition = f'attachment; filename="{ROUND_TOML}"'
    return Response(
        text, media_type="application/toml", headers={"content-disposition": disposition}
    )


def _round_toml(folder: Path) -> str:
    """A version's round.toml; made from the workbook's round sheet when it has none."""
    if (folder / ROUND_TOML).is_file():
        return (folder / ROUND_TOML).read_text("utf-8-sig")
    text, _, _ = check_settings(read_written(folder))
    return text or ""


@router.post("/plans/{plan_id}/rename")
async def rename_page(request: Request, plan_id: str) -> Response:
    found = await plan_form(request, plan_id)
    if isinstance(found, Response):
        return found
    web, form = found
    name = str(form.get("name") or "").strip()
    if name and len(name) <= MAX_NAME:
        rename_plan(web.store, plan_id, name)
    return RedirectResponse(f"/plans/{plan_id}/versions", status_code=303)


# -- the JSON API --------------------------------------------------------------------------


@router.get("/api/plans/{plan_id}/settings")
def settings_api(request: Request, plan_id: str) -> Response:
    web = web_of(request)
    if web.store.plan(plan_id) is None:
        return web.not_found(request)
    problem, _ = web.plans.get(plan_id)
    folder = web.store.plan_dir(plan_id)
    return JSONResponse(
        {
            "plan_id": plan_id,
            "version": versions(web.store, plan_id)[-1].version,
            "settings": problem.round.model_dump(mode="json"),
            "written": sorted(read_written(folder)),
            "round_toml": _round_toml(folder),
        }
    )


@router.put("/api/plans/{plan_id}/settings")
async def settings_put_api(request: Request, plan_id: str) -> Response:
    """New settings (round.toml's keys and values; dates as text): a new version."""
    found = await plan_json_body(request, plan_id)
    if isinstance(found, Response):
        return found
    web, body = found
    unknown = sorted(k for k in body if k not in _KEYS)
    problems = [
        InputProblem("(request)", None, key, None, N_("a setting of round.toml")) for key in unknown
    ]
    if problems:
        return problems_json(problems)
    try:
        number = await run_in_threadpool(_change_settings, web, plan_id, body)
    except Problems as exc:
        return problems_json(exc.problems)
    return JSONResponse({"plan_id": plan_id, "version": number}, status_code=201)


@router.get("/api/plans/{plan_id}/versions")
def versions_api(request: Request, plan_id: str) -> Response:
    web = web_of(request)
    plan = web.store.plan(plan_id)
    if plan is None:
        return web.not_found(request)
    jobs = _jobs_by_version(web, plan_id)
    listed = [
        {
            "version": v.version,
            "created": v.created,
            "made_by": v.note,
            "jobs": [
                {"job_id": j.job_id, "kind": j.kind, "status": j.status}
                for j in jobs.get(v.version, [])
            ],
        }  # fmt: skip
        for v in versions(web.store, plan_id)
    ]
    return JSONResponse({"plan_id": plan_id, "name": plan.round_name, "versions": listed})


@router.post("/api/plans/{plan_id}/rename")
async def rename_api(request: Request, plan_id: str) -> Response:
    found = await plan_json_body(request, plan_id)
    if isinstance(found, Response):
        return found
    web, body = found
    name = body.get("name")
    if not isinstance(name, str) or not name.strip() or len(name.strip()) > MAX_NAME:
        value = None if name is None else str(name)[:MAX_NAME]
        expected = Message(N_("a name of 1 to %(n)s characters"), n=MAX_NAME)
        return problems_json([InputProblem.of("(request)", None, "name", value, expected)])
    rename_plan(web.store, plan_id, name.strip())
    return JSONResponse({"plan_id": plan_id, "name": name.strip()})


@router.get("/api/jobs/{job_id}/files/{name}")
def job_file_api(request: Request, job_id: str, name: str) -> Response:
    """A roster file of any solve or replan of a plan (not only its latest); a replan's
    changes.csv and changed-invitations.zip too."""
    from camp_planner.web.map_pages import map_in, map_response
    from camp_planner.web.publish import CHANGED_ZIP

    web = web_of(request)
    job = web.store.job(job_id)
    known = dict(ROSTER_FILES)
    if job is not None and job.kind == "fit":
        known = {"fit.csv": ("out/fit.csv", "text/csv; charset=utf-8")}
    if job is not None and job.kind == "remedies":
        known = {"remedies.csv": ("out/remedies.csv", "text/csv; charset=utf-8")}
    if job is not None and job.kind == "replan":
        known["changes.csv"] = ("out/changes.csv", "text/csv; charset=utf-8")
        known[CHANGED_ZIP] = (CHANGED_ZIP, "application/zip")
    if job is None or job.kind not in ("solve", "replan", "fit", "remedies") or name not in known:
        return web.not_found(request)
    inner, media = known[name]
    path = web.store.job_dir(job_id) / inner
    if not path.is_file():
        return web.not_found(request)
    if name == "map.html":  # in the page's language
        return map_response(map_in(web.store, job, path, web.lang_of(request)))
    return FileResponse(path, media_type=media, filename=name)


def _compared(web: Web, plan_id: str, first: str, second: str) -> dict[str, Any] | None:
    """Two rosters of the plan compared (None when one is not a roster of it)."""
    from camp_planner.web.compare import compare_rosters
    from camp_planner.web.publish import publishable

    jobs = [web.store.job(first), web.store.job(second)]
    if not all(publishable(job, plan_id) for job in jobs):
        return None
    paths = [web.store.job_dir(job.job_id) / "out" / "roster.json" for job in jobs if job]
    if not all(path.is_file() for path in paths):
        return None
    problem, _ = web.plans.get(plan_id)
    names = {c.company_id: c.name for c in problem.companies}
    return compare_rosters(paths[0], paths[1], names)


@router.get("/plans/{plan_id}/compare")
def compare_page(request: Request, plan_id: str, a: str = "", b: str = "") -> Response:
    web = web_of(request)
    plan = web.store.plan(plan_id)
    compared = _compared(web, plan_id, a, b) if plan else None
    if compared is None:
        return web.not_found(request)
    return web.render(request, "compare.html", nav="versions", plan=plan, c=compared, a=a, b=b)


@router.get("/api/plans/{plan_id}/compare")
def compare_api(request: Request, plan_id: str, a: str = "", b: str = "") -> Response:
    """Two rosters of the plan (jobs ``a`` and ``b``): figures and who moved."""
    web = web_of(request)
    compared = _compared(web, plan_id, a, b) if web.store.plan(plan_id) else None
    if compared is None:
        return web.not_found(request)
    return JSONResponse({"plan_id": plan_id, "a_job": a, "b_job": b, **compared})


# -- a new solve of a published plan asks first ------------------------------------------


def resolve_question(request: Request, plan_id: str, limit: float) -> Response | None:
    """The question before a new solve of a published plan (None when it is not
    published): a new solve starts from nothing, it does not keep the published places as
    Replan does; how many companies the new solves since publishing moved."""
    from camp_planner.web.compare import compare_rosters
    from camp_planner.web.publish import published_roster

    web = web_of(request)
    path, job = published_roster(web.store, plan_id), published_job(web.store, plan_id)
    if path is None or job is None:
        return None
    problem, _ = web.plans.get(plan_id)
    names = {c.company_id: c.name for c in problem.companies}
    since = [
        j for j in web.store.jobs(plan_id, kind="solve", limit=20)
        if j.created > job.created and j.job_id != job.job_id
        and (web.store.job_dir(j.job_id) / "out" / "roster.json").is_file()
    ]  # fmt: skip
    earlier = None
    if since:
        latest = since[0]
        compared = compare_rosters(
            path, web.store.job_dir(latest.job_id) / "out" / "roster.json", names
        )
        earlier = {
            "job": latest, "moved": len(compared["moved"]), "lost": len(compared["only_a"]),
        }  # fmt: skip
    placed = compare_rosters(path, path, names)["a"]["placed"]
    return web.render(
        request, "resolve.html", nav="plan", plan=web.store.plan(plan_id), published=job,
        placed=placed, earlier=earlier, time_limit=limit,
    )  # fmt: skip
