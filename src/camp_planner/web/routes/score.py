"""The Score page (``/score``) and ``POST /api/score``: a scorecards file to each
company's level with its explanation (:mod:`camp_planner.web.score`)."""

from __future__ import annotations

import base64

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from starlette.concurrency import run_in_threadpool

from camp_planner.io.errors import InputProblem
from camp_planner.web.bodies import Problem, ProblemsAnswer
from camp_planner.web.common import Problems, problem_dict, web_of
from camp_planner.web.i18n import translations
from camp_planner.web.score import Scored, explanation_in, level_label, score_upload
from camp_planner.web.score_bodies import ScoreAnswer, ScoredCompany

router = APIRouter()

LEVELS_CSV = "levels.csv"
_MULTIPART = "multipart/form-data with the scorecards file (field file)"


@router.get("/score", response_class=HTMLResponse)
def score_page(request: Request) -> Response:
    return web_of(request).render(request, "score.html", nav="score", scored=None, problems=None)


@router.post("/score")
async def score_form(request: Request) -> Response:
    web = web_of(request)
    form = await web.page_form(request)
    if form is None:
        return web.forbidden(request)
    try:
        scored = await run_in_threadpool(score_upload, web.store, await web.uploads_of(form))
    except Problems as exc:
        return web.render(
            request, "score.html", status=422, nav="score", scored=None, problems=exc.problems
        )
    lang = web.lang_of(request)
    gettext = translations(lang).gettext
    rows = [(r, level_label(r, gettext), explanation_in(r, lang, gettext)) for r in scored.results]
    download = "data:text/csv;charset=utf-8;base64," + base64.b64encode(scored.levels_csv).decode(
        "ascii"
    )
    return web.render(
        request, "score.html", nav="score", scored=scored, rows=rows, download=download,
        problems=None,
    )  # fmt: skip


def _problems(problems: list[InputProblem]) -> JSONResponse:
    answer = ProblemsAnswer(problems=[Problem(**problem_dict(p)) for p in problems])
    return JSONResponse(answer.model_dump(), status_code=422)


async def _scored(request: Request) -> Scored | JSONResponse:
    web = web_of(request)
    if not request.headers.get("content-type", "").startswith("multipart/form-data"):
        return _problems([InputProblem("(request)", None, None, None, _MULTIPART)])
    form = await request.form(max_files=5, max_fields=20)
    try:
        return await run_in_threadpool(score_upload, web.store, await web.uploads_of(form))
    except Problems as exc:
        return _problems(exc.problems)


@router.post("/api/score")
async def score_api(request: Request) -> Response:
    scored = await _scored(request)
    if isinstance(scored, Response):
        return scored
    answer = ScoreAnswer(
        companies=[ScoredCompany.of(r) for r in scored.results],
        counts=scored.counts(),
        pending_panel=scored.pending,
        ignored_columns=scored.ignored,
        levels_csv=scored.levels_csv.decode("utf-8"),
    )
    return JSONResponse(answer.model_dump())


@router.post("/api/score/levels.csv")
async def levels_api(request: Request) -> Response:
    scored = await _scored(request)
    if isinstance(scored, Response):
        return scored
    disposition = f'attachment; filename="{LEVELS_CSV}"'
    return Response(
        scored.levels_csv,
        media_type="text/csv; charset=utf-8",
        headers={"content-disposition": disposition},
    )
