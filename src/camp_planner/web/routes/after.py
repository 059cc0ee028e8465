"""After the round (docs/web.md "The year in the browser"): attendance and the next
round's plan; a page and a JSON call."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from camp_planner.i18n import N_, Message
from camp_planner.io.errors import InputProblem
from camp_planner.io.roster_file import RosterFileError, read_roster
from camp_planner.web.common import Problems, Web, plan_form, problems_json, web_of
from camp_planner.web.i18n import translations
from camp_planner.web.next_round import (
    absent_of,
    next_round_plan,
    round_roster,
    save_absent,
    shifted,
)
from camp_planner.web.routes.api import plan_json_body
from camp_planner.web.settings import (
    FIELDS,
    check_settings,
    data_from_form,
    form_problems,
    form_values,
    read_written,
)

router = APIRouter()
_KEYS = {spec.key for spec in FIELDS}


def _placed(web: Web, plan_id: str) -> list[str]:
    path = round_roster(web, plan_id)
    if path is None:
        return []
    try:
        roster = read_roster(path)
    except RosterFileError:
        return []
    return sorted({m for c in roster.cohorts for m in c.members})


def _make(web: Web, plan_id: str, data: dict[str, Any], absent: set[str]) -> str:
    """Record the attendance and make the next round's plan (Problems: why not)."""
    placed = set(_placed(web, plan_id))
    problems = [
        InputProblem("absent", None, "company_id", cid, N_("a company placed in the roster"))
        for cid in sorted(absent - placed)
    ]
    text, found, config = check_settings(data)
    this, _ = web.plans.get(plan_id)
    if config is not None and config.start <= this.round.end:  # the command's refusal, in
        # the library's words (shown in the page's language)
        wanted = Message(
            "round %(round)s to start after round %(before)s ends (%(end)s)",
            round=config.name, before=this.round.name, end=this.round.end,
        )  # fmt: skip
        found.append(InputProblem.of("(settings)", None, "start", str(config.start), wanted))
    if problems or text is None or found:
        raise Problems(problems + found)
    save_absent(web, plan_id, absent)
    return next_round_plan(web, plan_id, text, absent)


def _page(request: Request, plan_id: str, status: int = 200, values: Any = None,
          absent: set[str] | None = None, problems: Any = None) -> Response:  # fmt: skip
    web = web_of(request)
    problem, _ = web.plans.get(plan_id)
    names = {c.company_id: c.name for c in problem.companies}
    if problems:  # the settings' fields named as the form names them
        problems = form_problems(problems, translations(web.lang_of(request)).gettext)
    return web.render(
        request, "next_round.html", status=status, nav="next", plan=web.store.plan(plan_id),
        placed=_placed(web, plan_id), names=names,
        absent=absent if absent is not None else absent_of(web, plan_id),
        fields=FIELDS, values=values or form_values(shifted(problem.round)), problems=problems,
    )  # fmt: skip


@router.get("/plans/{plan_id}/next-round")
def next_round_page(request: Request, plan_id: str) -> Response:
    web = web_of(request)
    if web.store.plan(plan_id) is None:
        return web.not_found(request)
    return _page(request, plan_id)


@router.post("/plans/{plan_id}/next-round")
async def next_round_post(request: Request, plan_id: str) -> Response:
    from camp_planner.web.routes.year import _as_shown

    found = await plan_form(request, plan_id)
    if isinstance(found, Response):
        return found
    web, form = found
    came = {str(v) for v in form.getlist("came")}
    absent = set(_placed(web, plan_id)) - came
    data = data_from_form(form, form.getlist)
    try:
        new_id = await run_in_threadpool(_make, web, plan_id, data, absent)
    except Problems as exc:
        return _page(request, plan_id, 422, _as_shown(form), absent, exc.problems)
    return RedirectResponse(f"/plans/{new_id}", status_code=303)


@router.post("/api/plans/{plan_id}/next-round")
async def next_round_api(request: Request, plan_id: str) -> Response:
    """JSON ``{"absent": [ids], "settings": {keys of round.toml}}``: the next round's plan;
    ``settings`` default to this round's, dates moved by its length."""
    found = await plan_json_body(request, plan_id)
    if isinstance(found, Response):
        return found
    web, body = found
    problems: list[InputProblem] = []
    absent = body.get("absent", [])
    if not isinstance(absent, list) or not all(isinstance(a, str) for a in absent):
        problems.append(
            InputProblem("(request)", None, "absent", None, N_("a list of company ids"))
        )
        absent = []
    settings = body.get("settings")
    if settings is None:  # this round's settings (as written), the dates moved
        problem, _ = web.plans.get(plan_id)
        written = set(read_written(web.store.plan_dir(plan_id))) | {"name", "start", "end"}
        moved = shifted(problem.round).model_dump(mode="json")
        settings = {k: v for k, v in moved.items() if k in written and v is not None}
    if not isinstance(settings, dict):
        problems.append(InputProblem("(request)", None, "settings", None, N_("an object")))
        settings = {}
    problems += [
        InputProblem("(request)", None, k, None, N_("a setting of round.toml"))
        for k in sorted(settings) if k not in _KEYS
    ]  # fmt: skip
    try:
        if problems:
            raise Problems(problems)
        new_id = await run_in_threadpool(_make, web, plan_id, settings, set(absent))
    except Problems as exc:
        return problems_json(exc.problems)
    return JSONResponse({"plan_id": new_id, "from_plan": plan_id}, status_code=201)
