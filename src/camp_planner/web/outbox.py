"""The outbox of a published plan (the web app's "Outbox"; docs/web.md, docs/invitations.md):
the messages of the published roster previewed from the coordinator's template, sent through
the SMTP server the environment names (or written as .eml files in a zip), and the sent-log.

Everything is the mail library's (:mod:`camp_planner.mail`): which companies get which
letter (after a published replan only those its changes.csv calls for, with the replan's
UIDs and SEQUENCEs and the previous roster's events cancelled), composing, delivering and
the never-twice rule. Kept per plan in ``DATA/versions/<plan_id>/outbox/``: ``template.txt``
(the coordinator's template; none: the built-in one in the round's language) and
``sent-log.csv`` (every attempt, without the message's text).
"""

from __future__ import annotations

import contextlib
import fcntl
import io
import os
import shutil
import threading
import zipfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import jinja2

from camp_planner.io.errors import InputError, InputProblem
from camp_planner.mail import SENT_LOG, TemplateProblem, deliver, read_log
from camp_planner.mail.batch import Batch, RosterFile, make_batch, read_changes, read_roster_file
from camp_planner.mail.compose import (
    Outgoing,
    RosterVersion,
    letters_after_replan,
    letters_for_roster,
)
from camp_planner.mail.letters import (
    Letter,
    default_template_text,
    letter_values,
    render,
    template_from_text,
)
from camp_planner.mail.outbox import Delivery
from camp_planner.mail.sentlog import SMTP_STATUSES, LogRow, send_running, unknown
from camp_planner.mail.smtp import (
    EXPECT_PASSWORD,
    EXPECT_PORT,
    EXPECT_TLS,
    SettingProblem,
    SmtpSettings,
    smtp_settings_checked,
)
from camp_planner.models import PlanningProblem
from camp_planner.outputs.atomic import atomic_write_text
from camp_planner.web.common import Problems
from camp_planner.web.i18n import N_
from camp_planner.web.publish import PUBLISHED, published_dir, published_job, published_roster
from camp_planner.web.store import Job, Store

__all__ = [
    "MAX_TEMPLATE",
    "NOT_PUBLISHED",
    "Outbox",
    "Preview",
    "Sending",
    "Source",
    "eml_zip",
    "latest_attempts",
    "not_published",
    "open_outbox",
    "outbox_dir",
    "preview",
    "save_template",
    "prepare_send",
    "send",
    "sending_now",
    "setting_problem",
    "smtp_problems",
    "sent_log",
    "smtp_state",
    "template_text",
    "unknown_outcome",
]

TEMPLATE = "template.txt"
#: The lock file held while the plan's messages are sent.
LOCK = ".sending"
#: The longest template kept (characters).
MAX_TEMPLATE = 50_000
NOT_PUBLISHED = N_("a published roster (Publish first)")
_SENDING = threading.Lock()
#: The mail library's words for a setting problem, marked for the web catalogue.
_SETTING_WORDS = {
    EXPECT_TLS: N_("1 or 0"),
    EXPECT_PORT: N_("a port number"),
    EXPECT_PASSWORD: N_("a password, since CAMP_PLANNER_SMTP_USER is set"),
}
_TOO_LONG = N_("a shorter template (at most 50,000 characters)")


class PlanReader(Protocol):
    """Reads a plan's files: (the problem, the notes)."""

    def get(self, plan_id: str) -> tuple[PlanningProblem, Sequence[object]]: ...


class Source(Protocol):
    """Where plans are read from: the web app (:class:`~camp_planner.web.common.Web`), or a
    send job's worker."""

    @property
    def store(self) -> Store: ...

    @property
    def plans(self) -> PlanReader: ...


def outbox_dir(store: Store, plan_id: str) -> Path:
    """Where the plan's template and sent-log are kept (the id is checked)."""
    return published_dir(store, plan_id).parent / "outbox"


@dataclass(frozen=True)
class Outbox:
    """What the outbox is about: the published roster and the letters it calls for."""

    problem: PlanningProblem
    job: Job
    roster: RosterFile
    #: the roster published before, when the published one is a replan's
    previous: RosterVersion | None
    letters: list[Letter]

    @property
    def after_replan(self) -> bool:
        return self.job.kind == "replan"


def open_outbox(web: Source, plan_id: str) -> Outbox | None:
    """The outbox of the plan's published roster (None before the plan is published).

    After a published replan only the companies its changes.csv calls for get a letter
    (:func:`camp_planner.mail.compose.letters_after_replan`).
    """
    path = published_roster(web.store, plan_id)
    job = published_job(web.store, plan_id)
    if path is None or job is None:
        return None
    try:
        current = read_roster_file(path)
    except ValueError:  # a published roster.json that no longer reads: as unpublished
        return None
    problem, _ = web.plans.get(plan_id)
    if job.kind != "replan":
        return Outbox(problem, job, current, None, letters_for_roster(current.version.roster))
    job_dir = web.store.job_dir(job.job_id)
    before_path = job_dir / PUBLISHED / "roster.json"
    try:
        previous = read_roster_file(before_path).version if before_path.is_file() else None
    except ValueError:  # the old events are then not cancelled; the letters still say why
        previous = None
    try:
        rows = read_changes(job_dir / "out" / "changes.csv")
    except InputError:
        rows = []
    letters = letters_after_replan(
        rows, current.version.roster, previous.roster if previous else None
    )
    return Outbox(problem, job, current, previous, letters)


def template_text(store: Store, plan_id: str, lang: str) -> tuple[str, bool]:
    """The plan's template text, and whether it is the coordinator's own (else built in)."""
    path = outbox_dir(store, plan_id) / TEMPLATE
    if path.is_file():
        return path.read_text("utf-8"), True
    return default_template_text(lang), False


def check_template(box: Outbox, text: str) -> tuple[jinja2.Template | None, list[InputProblem]]:
    """The template, or why it cannot be used: too long, a syntax error (with its line), or a
    value it names that a letter of this outbox does not have (rendered for each of them)."""
    if len(text) > MAX_TEMPLATE:
        return None, [_template_problem(f"{len(text)} characters", _TOO_LONG)]
    try:
        template = template_from_text(text.replace("\r\n", "\n"), "template")
        roster = box.roster.version.roster
        for letter in _letters_with_company(box):
            render(template, letter_values(box.problem, roster, letter))
    except TemplateProblem as exc:
        return None, [_template_problem(str(exc).removeprefix("template").lstrip(":, "))]
    return template, []


def _template_problem(value: str, expected: str | None = None) -> InputProblem:
    return InputProblem(
        "template", None, None, value, expected or N_("a template that renders for every company")
    )


def save_template(web: Source, plan_id: str, text: str | None) -> None:
    """Keep `text` as the plan's template (None: back to the built-in one).

    Raises:
        Problems: The plan is not published, or the template cannot be used.
    """
    folder = outbox_dir(web.store, plan_id)
    if text is None:
        (folder / TEMPLATE).unlink(missing_ok=True)
        return
    box = _require(web, plan_id)
    _, problems = check_template(box, text)
    if problems:
        raise Problems(problems)
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    atomic_write_text(folder / TEMPLATE, text.replace("\r\n", "\n"), encoding="utf-8")


def _require(web: Source, plan_id: str) -> Outbox:
    box = open_outbox(web, plan_id)
    if box is None:
        raise Problems(not_published())
    return box


def not_published() -> list[InputProblem]:
    """The problem of a plan without a published roster."""
    return [InputProblem("(plan)", None, "published", None, NOT_PUBLISHED)]


def _letters_with_company(box: Outbox) -> list[Letter]:
    known = {c.company_id for c in box.problem.companies}
    return [letter for letter in box.letters if letter.company_id in known]


def _batch(
    box: Outbox, letters: list[Letter], template: jinja2.Template, sender: str | None,
    into: Batch,
) -> Batch:  # fmt: skip
    made = make_batch(
        box.problem, box.roster.version, letters, template, sender=sender, published=box.previous
    )
    into.outgoing += made.outgoing
    into.no_address += made.no_address
    return into


@dataclass
class Preview:
    """The messages as they would go, and what is in the way."""

    box: Outbox
    batch: Batch = field(default_factory=Batch)
    problems: list[InputProblem] = field(default_factory=list)
    #: company_id -> its latest attempt for this roster (sent or failed)
    attempts: dict[str, LogRow] = field(default_factory=dict)
    #: companies of the roster no longer in the plan's latest files (changes not replanned)
    gone: list[str] = field(default_factory=list)


def smtp_state() -> tuple[SmtpSettings | None, list[SettingProblem]]:
    """The SMTP server the environment names (CAMP_PLANNER_SMTP_*), and its problems."""
    return smtp_settings_checked(os.environ)


def _sender(box: Outbox, settings: SmtpSettings | None) -> str | None:
    return (settings.sender if settings else None) or box.problem.round.coordinator_email


def preview(web: Source, plan_id: str, text: str | None = None) -> Preview:
    """Every message of the outbox rendered from the plan's template (or `text`).

    Raises:
        Problems: The plan is not published.
    """
    box = _require(web, plan_id)
    if text is None:
        text, _ = template_text(web.store, plan_id, box.problem.round.language)
    found = Preview(box)
    template, found.problems = check_template(box, text)
    found.attempts = latest_attempts(web.store, plan_id, box.roster.print_)
    if template is not None:
        settings, _ = smtp_state()
        sender = _sender(box, settings)
        _batch(box, _letters_with_company(box), template, sender, found.batch)
    known = {c.company_id for c in box.problem.companies}
    found.gone = [x.company_id for x in box.letters if x.company_id not in known]
    return found


def sent_log(store: Store, plan_id: str) -> list[LogRow]:
    """Every attempt of the plan's outbox, oldest first."""
    return read_log(outbox_dir(store, plan_id) / SENT_LOG)


def latest_attempts(store: Store, plan_id: str, print_: str) -> dict[str, LogRow]:
    """company_id -> its latest SMTP attempt (sent, failed, or sending: handed to the server
    without a recorded answer) for roster version `print_`."""
    out: dict[str, LogRow] = {}
    for row in sent_log(store, plan_id):
        if row.fingerprint == print_ and row.status in SMTP_STATUSES:
            out[row.company_id] = row
    return out


def sending_now(store: Store, plan_id: str) -> bool:
    """Whether a send of the plan is handing messages to the server now (its lock is held)."""
    return send_running(outbox_dir(store, plan_id) / SENT_LOG)


def unknown_outcome(store: Store, plan_id: str, print_: str) -> dict[str, LogRow]:
    """company_id -> its ``sending`` row for roster version `print_` of a send that ended
    before the server's answer was recorded: it may have been delivered (none while a send
    runs, whose ``sending`` rows are still being answered)."""
    if sending_now(store, plan_id):
        return {}
    return unknown(sent_log(store, plan_id), print_)


@dataclass(frozen=True)
class Sending:
    """What a send will do: the messages, through which server (checked beforehand)."""

    box: Outbox
    outgoing: list[Outgoing]
    settings: SmtpSettings
    no_address: list[str]


def setting_problem(problem: SettingProblem, gettext: Callable[[str], str]) -> dict[str, str]:
    """A setting problem as the page shows it: the variable and value as set, what was
    expected in the page's language."""
    words = _SETTING_WORDS.get(problem.expected, problem.expected)
    return {
        "variable": problem.variable,
        "value": problem.value or "",
        "expected": gettext(words),
    }


def smtp_problems() -> tuple[SmtpSettings | None, list[InputProblem]]:
    """The environment's SMTP server, or why it cannot be used (the settings' problems, or
    none named); each problem's `expected` is the app's own words (translated on a page)."""
    settings, bad = smtp_state()
    problems = [
        InputProblem(
            "(server)", None, p.variable, p.value, _SETTING_WORDS.get(p.expected, p.expected)
        )
        for p in bad
    ]
    if settings is None and not bad:
        problems.append(
            InputProblem("(server)", None, "CAMP_PLANNER_SMTP_HOST", None, N_("an SMTP server"))
        )
    return settings, problems


def prepare_send(web: Source, plan_id: str, *, only: set[str] | None = None) -> Sending:
    """Everything a send needs, checked: the messages of the outbox (or of the companies in
    `only`) and the SMTP server.

    Raises:
        Problems: Not published, no or bad SMTP settings, no sender, a template that
            cannot be used, or `only` naming a company without a message.
    """
    box = _require(web, plan_id)
    settings, problems = smtp_problems()
    sender = _sender(box, settings)
    if settings is not None and not sender:
        problems.append(
            InputProblem("round.toml", None, "coordinator_email", None, N_("a sender address"))
        )
    found = preview(web, plan_id)
    problems += found.problems
    outgoing = found.batch.outgoing
    if only is not None:
        offered = {item.letter.company_id for item in outgoing}
        problems += [
            InputProblem("(request)", None, "companies", c, N_("a company with a message"))
            for c in sorted(only - offered)
        ]
        outgoing = [item for item in outgoing if item.letter.company_id in only]
    if problems or settings is None:
        raise Problems(problems)
    return Sending(box, outgoing, settings, found.batch.no_address)


def send(
    web: Source, plan_id: str, *, again: bool = False, only: set[str] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> tuple[Delivery, list[str]]:  # fmt: skip
    """Send the outbox (or the companies in `only`) through the environment's SMTP server;
    what the server accepted before for this roster is not sent again unless `again`.
    Runs in a send job's worker process (:mod:`camp_planner.web.outbox_send`); two sends of
    one plan never run at once (a lock file in the outbox folder, across processes).

    Returns:
        What happened, and the companies without an address.

    Raises:
        Problems: as :func:`prepare_send`.
    """
    folder = outbox_dir(web.store, plan_id)
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    with _sending_lock(folder):  # two sends at once would both find nothing sent before
        ready = prepare_send(web, plan_id, only=only)
        done = deliver(
            ready.outgoing,
            log=folder / SENT_LOG,
            roster_name=ready.box.roster.path.name,
            roster_print=ready.box.roster.print_,
            smtp=ready.settings,
            again=again,
            progress=progress,
        )
    return done, ready.no_address


@contextlib.contextmanager
def _sending_lock(folder: Path) -> Iterator[None]:
    """Held while a plan's messages are sent (waits for another send of the plan)."""
    with _SENDING, (folder / LOCK).open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def eml_zip(web: Source, plan_id: str) -> bytes:
    """Every message of the outbox as ``<company_id>.eml`` in one zip (logged as written,
    which never counts as sent).

    Raises:
        Problems: Not published, or a template that cannot be used.
    """
    found = preview(web, plan_id)
    if found.problems:
        raise Problems(found.problems)
    folder = outbox_dir(web.store, plan_id)
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    tmp = web.store.tmp_dir()
    try:
        done = deliver(
            found.batch.outgoing, log=folder / SENT_LOG, roster_name=found.box.roster.path.name,
            roster_print=found.box.roster.print_, eml_dir=tmp,
        )  # fmt: skip
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for path in done.files:
                archive.write(path, path.name)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return buffer.getvalue()
