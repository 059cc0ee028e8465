"""Sending the outbox as a background job (kind ``send``; docs/web.md "Outbox and answers").

The web process checks a send (published, the SMTP settings, the template, the companies
asked for) and queues the job; a worker process (:mod:`camp_planner.web.worker`) sends the
messages through the SMTP server one by one, logging each as soon as the server answered
it, and writes the progress line ``n of N sent``. One send of a plan at a time: the page and
the API refuse a second while one is queued or running, and the worker holds the outbox's
lock file while it sends. The job's summary is what the synchronous call used to answer
(the log rows, never a message's text). The SMTP settings reach the worker from the web
process's environment (:data:`SMTP_ENV`), never through the database.
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from camp_planner.mail.outbox import Delivery
from camp_planner.mail.sentlog import SENDING, SENT, WRITTEN, LogRow
from camp_planner.models import PlanningProblem
from camp_planner.web.common import Problems, problem_dict
from camp_planner.web.outbox import prepare_send, send
from camp_planner.web.store import ACTIVE, DONE, FAILED, Job, Store

__all__ = [
    "active_send",
    "answer_shown",
    "delivery_dict",
    "log_dict",
    "run_send_job",
    "send_progress_text",
    "smtp_environment",
    "submit_send",
    "use_smtp_environment",
]

#: The environment variables a send job's worker gets from the web process.
SMTP_ENV = ("CAMP_PLANNER_SMTP_", "CAMP_PLANNER_MAIL_FROM")
#: Seconds a send job may take per message before the server ends it (smtplib waits at
#: most 30 s for each answer), and on top.
PER_MESSAGE, BASE = 60.0, 60.0
_SENT = re.compile(r"(\d+) of (\d+) sent")
_DONE = re.compile(r"done: (\d+) sent, (\d+) failed")
_SUBMIT = threading.Lock()
#: What the mail library writes for a message the server accepted.
ACCEPTED = "250 accepted"
_SERVER = re.compile(r"(\S+@\S+: )?[2-5]\d\d[ -]")
_CONNECT = re.compile(r"cannot connect to (\S+): (.*)", re.S)


def log_dict(row: LogRow) -> dict[str, str]:
    """A sent-log row as shown: a written file by its name only (no server folder)."""
    answer = Path(row.answer).name if row.status == "written" else row.answer
    return {
        "time": row.time, "company_id": row.company_id, "to": row.to, "kind": row.kind,
        "roster": row.roster, "fingerprint": row.fingerprint, "status": row.status,
        "answer": answer, "message_id": row.message_id,
    }  # fmt: skip


def delivery_dict(done: Delivery, no_address: list[str]) -> dict[str, Any]:
    """The answer of a send (the API's keys, kept in the job's summary)."""
    return {
        "sent": sum(r.status == "sent" for r in done.attempts),
        "failed": len(done.failed),
        "not_sent_again": [r.company_id for r in done.skipped],
        "unknown": [r.company_id for r in done.unknown],
        "no_address": no_address,
        "attempts": [log_dict(r) for r in done.attempts],
    }


def answer_shown(row: LogRow, gettext: Callable[[str], str]) -> dict[str, str]:
    """The log's answer column in the page's language: the app's own words translated
    (``shown``), and what the server or the system said verbatim (``verbatim``, labelled on
    the page; an SMTP answer starts with its three-digit code)."""
    answer = row.answer
    if row.status == WRITTEN:
        return {
            "shown": gettext("Written as %(file)s") % {"file": Path(answer).name},
            "verbatim": "",
        }
    if row.status == SENDING:
        return {"shown": gettext("No answer recorded"), "verbatim": ""}
    if row.status == SENT and answer == ACCEPTED:
        return {"shown": gettext("Accepted by the server"), "verbatim": ""}
    if _SERVER.match(answer):
        return {"shown": "", "verbatim": answer}
    if match := _CONNECT.match(answer):
        shown = gettext("Could not connect to %(server)s") % {"server": match[1]}
        return {"shown": shown, "verbatim": match[2]}
    return {"shown": gettext("The message could not be handed to the server"), "verbatim": answer}


def smtp_environment() -> dict[str, str]:
    """The web process's SMTP variables, for the worker (never stored)."""
    return {k: v for k, v in os.environ.items() if k.startswith(SMTP_ENV)}


def use_smtp_environment(env: dict[str, str]) -> None:
    """In a worker: the web process's SMTP variables replace those it started with."""
    for name in [k for k in os.environ if k.startswith(SMTP_ENV)]:
        del os.environ[name]
    os.environ.update(env)


def active_send(store: Store, plan_id: str) -> Job | None:
    """The plan's send job that is queued or running, if any."""
    found = store.jobs(plan_id, status=ACTIVE, kind="send", limit=1)
    return found[0] if found else None


def submit_send(web: Any, plan_id: str, *, again: bool, only: set[str] | None) -> tuple[Job, bool]:
    """Check the send and queue its job, unless one of the plan is queued or running.

    Returns:
        The job, and whether it was queued now (False: the one already under way).

    Raises:
        Problems: as :func:`camp_planner.web.outbox.prepare_send`.
    """
    ready = prepare_send(web, plan_id, only=only)
    with _SUBMIT:  # the check and the queueing at once (one web process)
        running = active_send(web.store, plan_id)
        if running is not None:
            return running, False
        params = {
            "again": again,
            "companies": sorted(only) if only is not None else None,
            "messages": len(ready.outgoing),
            "time_limit": BASE + PER_MESSAGE * len(ready.outgoing),
        }
        return web.manager.submit(plan_id, "send", params), True


class _Source:
    """What :func:`camp_planner.web.outbox.send` reads plans from, in a worker (which reads
    the files itself, as a solve's worker does)."""

    def __init__(self, store: Store) -> None:
        self.store, self.plans = store, self

    def get(self, plan_id: str) -> tuple[PlanningProblem, Sequence[object]]:
        from camp_planner.io.folder import load_folder_with_notes

        return load_folder_with_notes(self.store.plan_dir(plan_id))


def run_send_job(store: Store, job: Job, progress: Callable[[str], None]) -> None:
    """The worker's part: send, logging each message, and finish with the summary."""
    companies = job.params.get("companies")
    only = set(companies) if isinstance(companies, list) else None

    def tick(answered: int, total: int) -> None:
        progress(f"{answered} of {total} sent")

    try:
        done, no_address = send(
            _Source(store), job.plan_id, again=bool(job.params.get("again")), only=only,
            progress=tick,
        )  # fmt: skip
    except Problems as exc:  # the plan or the settings changed after the check
        summary = {"kind": "send", "problems": [problem_dict(p) for p in exc.problems]}
        store.finish(job.job_id, FAILED, summary=summary, error="; ".join(map(str, exc.problems)))
        return
    summary = {"kind": "send", **delivery_dict(done, no_address)}
    line = f"done: {summary['sent']} sent, {summary['failed']} failed"
    store.finish(job.job_id, DONE, summary=summary, progress=line)


def send_progress_text(line: str, gettext: Callable[[str], str]) -> str:
    """A send job's progress line in the page's language."""
    if match := _SENT.fullmatch(line):
        return gettext("%(n)s of %(all)s sent") % {"n": match[1], "all": match[2]}
    if match := _DONE.fullmatch(line):
        return gettext("Done: %(sent)s sent, %(failed)s failed") % {
            "sent": match[1], "failed": match[2],
        }  # fmt: skip
    return line
