"""The outbox and the answers of a published plan (docs/web.md "Outbox and answers"): pages
and JSON calls. The work is in :mod:`camp_planner.web.outbox` and
:mod:`camp_planner.web.answers`, on the mail library."""

from __future__ import annotations

import asyncio
import os
from datetime import date
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from pydantic import BaseModel, ConfigDict
from starlette.concurrency import run_in_threadpool

from camp_planner.io.errors import InputProblem
from camp_planner.mail import smtp_settings
from camp_planner.web.answers import WORDS, answers_of, save_answers
from camp_planner.web.common import Problems, Web, plan_form, problem_dict, web_of
from camp_planner.web.i18n import N_, translations
from camp_planner.web.outbox import (
    Preview,
    eml_zip,
    not_published,
    open_outbox,
    preview,
    save_template,
    sending_now,
    sent_log,
    setting_problem,
    smtp_state,
    template_text,
    unknown_outcome,
)
from camp_planner.web.outbox_send import (
    active_send,
    answer_shown,
    log_dict,
    send_progress_text,
    submit_send,
)
from camp_planner.web.routes.api import plan_json_body
from camp_planner.web.store import CANCELLED, DONE, FAILED, FINISHED, Job

router = APIRouter()
#: Seconds between an API send's looks at its job.
_POLL = 0.2


class TemplateRequest(BaseModel):
    """PUT /api/plans/{plan_id}/outbox/template: the text, or null for the built-in one."""

    model_config = ConfigDict(extra="ignore")
    template: Any = None


class SendRequest(BaseModel):
    """POST /api/plans/{plan_id}/outbox/send."""

    model_config = ConfigDict(extra="ignore")
    again: Any = False
    companies: Any = None
    #: False: answer 202 with the job's id at once (else the answer waits for the job)
    wait: Any = True


class AnswersRequest(BaseModel):
    """PUT /api/plans/{plan_id}/answers."""

    model_config = ConfigDict(extra="ignore")
    answers: Any = None


def _problems(problems: list[InputProblem]) -> JSONResponse:
    return JSONResponse({"problems": [problem_dict(p) for p in problems]}, status_code=422)


# -- pages -------------------------------------------------------------------------------


def _outbox_page(
    request: Request, plan_id: str, status: int = 200, *, text: str | None = None,
    problems: list[InputProblem] | None = None, result: dict[str, Any] | None = None,
) -> Response:  # fmt: skip
    web = web_of(request)
    box = open_outbox(web, plan_id)
    gettext = translations(web.lang_of(request)).gettext
    context: dict[str, Any] = {
        "box": box, "problems": problems, "result": result or _job_result(request, plan_id),
        "sending": active_send(web.store, plan_id),
    }  # fmt: skip
    if box is not None:
        lang = box.problem.round.language
        saved, custom = template_text(web.store, plan_id, lang)
        shown: Preview = preview(web, plan_id, text if text is not None else saved)
        settings, bad = smtp_state()
        smtp_problems = [setting_problem(p, gettext) for p in bad]
        names = {c.company_id: c.name for c in box.problem.companies}
        log = [
            log_dict(r) | answer_shown(r, gettext) for r in reversed(sent_log(web.store, plan_id))
        ]
        context |= {
            "preview": shown, "template_source": text if text is not None else saved,
            "custom": custom, "smtp": settings, "smtp_problems": smtp_problems,
            "names": names, "log": log, "round_lang": lang,
            "failed": sorted(c for c, r in shown.attempts.items() if r.status == "failed"),
            "sending_now": sending_now(web.store, plan_id),
            "unknown": sorted(unknown_outcome(web.store, plan_id, box.roster.print_)),
            "unpublished_replan": _newer_replan(web, plan_id, box.job),
        }  # fmt: skip
    return web.render(
        request, "outbox.html", status=status, nav="outbox", plan=web.store.plan(plan_id),
        **context,
    )  # fmt: skip


def _job_result(request: Request, plan_id: str) -> dict[str, Any] | None:
    """The result of the send job named by ``?job=`` (the job page leads back here)."""
    web = web_of(request)
    job = web.store.job(request.query_params.get("job", ""))
    if job is None or job.kind != "send" or job.plan_id != plan_id or job.status != DONE:
        return None
    return job.summary | {"job_id": job.job_id}


def _newer_replan(web: Web, plan_id: str, published: Job) -> Job | None:
    """A finished replan newer than the published roster (publish it to tell those affected)."""
    found = web.store.jobs(plan_id, status=("done",), kind="replan", limit=1)
    if found and found[0].job_id != published.job_id and found[0].created > published.created:
        return found[0]
    return None


@router.get("/plans/{plan_id}/outbox")
def outbox_page(request: Request, plan_id: str) -> Response:
    web = web_of(request)
    if web.store.plan(plan_id) is None:
        return web.not_found(request)
    return _outbox_page(request, plan_id)


@router.post("/plans/{plan_id}/outbox/template")
async def template_page(request: Request, plan_id: str) -> Response:
    found = await plan_form(request, plan_id)
    if isinstance(found, Response):
        return found
    web, form = found
    text = None if form.get("reset") else str(form.get("template") or "")
    try:
        await run_in_threadpool(save_template, web, plan_id, text)
    except Problems as exc:
        return await run_in_threadpool(
            _outbox_page, request, plan_id, 422, text=text, problems=exc.problems
        )
    return RedirectResponse(f"/plans/{plan_id}/outbox#preview", status_code=303)


@router.post("/plans/{plan_id}/outbox/send")
async def send_page(request: Request, plan_id: str) -> Response:
    """Check the send and queue it as a job (its page shows the progress); a send of the
    plan already under way is shown instead of starting another."""
    found = await plan_form(request, plan_id)
    if isinstance(found, Response):
        return found
    web, form = found
    only = {str(v) for v in form.getlist("company")} or None
    again = bool(form.get("again"))
    try:
        job, _ = await run_in_threadpool(lambda: submit_send(web, plan_id, again=again, only=only))
    except Problems as exc:
        return await run_in_threadpool(_outbox_page, request, plan_id, 422, problems=exc.problems)
    return RedirectResponse(f"/jobs/{job.job_id}/send", status_code=303)


def _send_state(request: Request, job: Job) -> dict[str, Any]:
    web = web_of(request)
    lang = web.lang_of(request)
    gettext = translations(lang).gettext
    state = web.job_state(job, lang)
    state["progress"] = send_progress_text(job.progress, gettext) if job.progress else ""
    state["result_url"] = (
        f"/plans/{job.plan_id}/outbox?job={job.job_id}#result" if job.status == DONE else None
    )
    return state


@router.get("/jobs/{job_id}/send")
def send_job_page(request: Request, job_id: str) -> Response:
    """A send job's page: the plan, ``n of N sent`` as it goes, the result's way back."""
    web = web_of(request)
    job = web.store.job(job_id)
    if job is None or job.kind != "send":
        return web.not_found(request)
    return web.render(
        request, "outbox_job.html", nav="outbox", plan=web.store.plan(job.plan_id), job=job,
        state=_send_state(request, job),
    )  # fmt: skip


@router.get("/jobs/{job_id}/send/state")
def send_job_state(request: Request, job_id: str) -> Response:
    web = web_of(request)
    job = web.store.job(job_id)
    if job is None or job.kind != "send":
        return JSONResponse({"detail": "not found"}, status_code=404)
    return JSONResponse(_send_state(request, job))


@router.get("/plans/{plan_id}/outbox/messages.zip")
@router.get("/api/plans/{plan_id}/outbox/messages.zip")
async def messages_zip(request: Request, plan_id: str) -> Response:
    """Every message of the outbox as an .eml file, zipped (no SMTP needed)."""
    web = web_of(request)
    if web.store.plan(plan_id) is None:
        return web.not_found(request)
    try:
        data = await run_in_threadpool(eml_zip, web, plan_id)
    except Problems as exc:
        if request.url.path.startswith("/api/"):
            return _problems(exc.problems)
        return await run_in_threadpool(_outbox_page, request, plan_id, 422, problems=exc.problems)
    headers = {"content-disposition": 'attachment; filename="messages.zip"'}
    return Response(data, media_type="application/zip", headers=headers)


def _answers_page(
    request: Request, plan_id: str, status: int = 200,
    problems: list[InputProblem] | None = None,
) -> Response:  # fmt: skip
    web = web_of(request)
    return web.render(
        request, "answers.html", status=status, nav="answers", plan=web.store.plan(plan_id),
        answers=answers_of(web, plan_id), problems=problems, words=WORDS,
        saved=request.query_params.get("saved") == "1",
    )  # fmt: skip


@router.get("/plans/{plan_id}/answers")
def answers_page(request: Request, plan_id: str) -> Response:
    web = web_of(request)
    if web.store.plan(plan_id) is None:
        return web.not_found(request)
    return _answers_page(request, plan_id)


@router.post("/plans/{plan_id}/answers")
async def answers_form(request: Request, plan_id: str) -> Response:
    found = await plan_form(request, plan_id)
    if isinstance(found, Response):
        return found
    web, form = found
    given = [
        {
            "company_id": str(k).removeprefix("answer_"),
            "answer": str(v),
            "replied": str(form.get("replied_" + str(k).removeprefix("answer_")) or ""),
        }
        for k, v in form.multi_items()
        if str(k).startswith("answer_")
    ]
    try:
        await run_in_threadpool(save_answers, web, plan_id, given)
    except Problems as exc:
        return _answers_page(request, plan_id, 422, exc.problems)
    return RedirectResponse(f"/plans/{plan_id}/answers?saved=1", status_code=303)


# -- the JSON API --------------------------------------------------------------------------


@router.get("/api/plans/{plan_id}/outbox")
async def outbox_api(request: Request, plan_id: str) -> Response:
    """The messages of the published roster as they would go (subject, text, attachments),
    the companies without an address, and the latest attempt for each."""
    web = web_of(request)
    if web.store.plan(plan_id) is None:
        return web.not_found(request)
    try:
        shown = await run_in_threadpool(preview, web, plan_id)
    except Problems as exc:
        return _problems(exc.problems)
    if shown.problems:
        return _problems(shown.problems)
    settings, smtp_problems = smtp_settings(os.environ)
    messages = []
    for item in shown.batch.outgoing:
        message = item.message
        body = message.get_body(("plain",))
        last = shown.attempts.get(item.letter.company_id)
        messages.append({
            "company_id": item.letter.company_id, "to": str(message["To"]),
            "kind": item.letter.kind, "subject": str(message["Subject"]),
            "text": body.get_content() if body is not None else "",
            "attachments": [str(p.get_filename()) for p in message.iter_attachments()],
            "status": last.status if last else None,
        })  # fmt: skip
    return JSONResponse({
        "roster": shown.box.roster.print_, "after_replan": shown.box.after_replan,
        "smtp": settings is not None, "smtp_problems": smtp_problems,
        "messages": messages, "no_address": shown.batch.no_address, "not_in_plan": shown.gone,
        "unknown": sorted(unknown_outcome(web.store, plan_id, shown.box.roster.print_)),
    })  # fmt: skip


@router.put("/api/plans/{plan_id}/outbox/template")
async def template_api(request: Request, plan_id: str) -> Response:
    """Keep the plan's template (checked against every letter), or null: the built-in one."""
    found = await plan_json_body(request, plan_id)
    if isinstance(found, Response):
        return found
    web, body = found
    text = TemplateRequest.model_validate(body).template
    if text is not None and not isinstance(text, str):
        return _problems([InputProblem("(request)", None, "template", None, N_("a text or null"))])
    try:
        await run_in_threadpool(save_template, web, plan_id, text)
    except Problems as exc:
        return _problems(exc.problems)
    lang = web.plans.get(plan_id)[0].round.language
    saved, custom = template_text(web.store, plan_id, lang)
    return JSONResponse({"template": saved, "custom": custom})


@router.post("/api/plans/{plan_id}/outbox/send")
async def send_api(request: Request, plan_id: str) -> Response:
    """Send through the environment's SMTP server; 422 without one (GET messages.zip)."""
    found = await plan_json_body(request, plan_id)
    if isinstance(found, Response):
        return found
    web, body = found
    asked = SendRequest.model_validate(body)
    problems = []
    if not isinstance(asked.again, bool):
        expected = N_("true or false")
        problems.append(InputProblem("(request)", None, "again", str(asked.again), expected))
    only = asked.companies
    if only is not None and (
        not isinstance(only, list) or not all(isinstance(c, str) for c in only)
    ):
        expected = N_("a list of company ids")
        problems.append(InputProblem("(request)", None, "companies", None, expected))
    if problems:
        return _problems(problems)
    if not isinstance(asked.wait, bool):
        expected = N_("true or false")
        problems.append(InputProblem("(request)", None, "wait", str(asked.wait), expected))
    if problems:
        return _problems(problems)
    chosen = set(only) if only is not None else None
    try:
        job, queued = await run_in_threadpool(
            lambda: submit_send(web, plan_id, again=bool(asked.again), only=chosen)
        )
    except Problems as exc:
        return _problems(exc.problems)
    if not queued:
        problem = InputProblem("(plan)", None, "send", None, N_("no other send under way"))
        return JSONResponse(
            {"problems": [problem_dict(problem)], "job_id": job.job_id}, status_code=409
        )
    if not asked.wait:
        return JSONResponse({"job_id": job.job_id, "status": job.status}, status_code=202)
    while job.status not in FINISHED:  # the job runs in a worker; this request only waits
        await asyncio.sleep(_POLL)
        now: Job | None = await run_in_threadpool(web.store.job, job.job_id)
        job = now or job
    if job.status == FAILED and job.summary.get("problems"):
        return JSONResponse({"problems": job.summary["problems"], "job_id": job.job_id}, 422)
    if job.status != DONE:  # stopped (409), or the worker failed (500)
        status = 409 if job.status == CANCELLED else 500
        return JSONResponse({"error": job.error or job.status, "job_id": job.job_id}, status)
    answer = {k: v for k, v in job.summary.items() if k != "kind"}
    return JSONResponse(answer | {"job_id": job.job_id})


@router.get("/api/plans/{plan_id}/outbox/log")
def log_api(request: Request, plan_id: str) -> Response:
    """Every attempt (sent, failed, written), oldest first; never a message's text."""
    web = web_of(request)
    if web.store.plan(plan_id) is None:
        return web.not_found(request)
    return JSONResponse({"log": [log_dict(r) for r in sent_log(web.store, plan_id)]})


@router.get("/api/plans/{plan_id}/answers")
def answers_api(request: Request, plan_id: str) -> Response:
    """Every placed company's answer, the counts, and whether the reply date has passed."""
    web = web_of(request)
    if web.store.plan(plan_id) is None:
        return web.not_found(request)
    found = answers_of(web, plan_id, date.today())
    if found is None:
        return _problems(not_published())
    return JSONResponse(found.as_dict())


@router.put("/api/plans/{plan_id}/answers")
async def answers_put_api(request: Request, plan_id: str) -> Response:
    """Record answers (``{"answers": [{company_id, answer, replied}]}``); 422 with every
    problem, nothing kept then."""
    found = await plan_json_body(request, plan_id)
    if isinstance(found, Response):
        return found
    web, body = found
    given = AnswersRequest.model_validate(body).answers
    try:
        saved = await run_in_threadpool(save_answers, web, plan_id, given)
    except Problems as exc:
        return _problems(exc.problems)
    return JSONResponse(saved.as_dict())
