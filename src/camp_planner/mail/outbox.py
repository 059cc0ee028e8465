"""Deliver composed messages: through SMTP, or as .eml files; every attempt in the sent-log.

Before a message is handed to the SMTP server a ``sending`` row is added to the sent-log,
and replaced by the server's answer (``sent`` or ``failed``) as soon as it came, so a
sending that is interrupted (a Stop, a crash) leaves every message it sent logged, and the
one the server was taking at that moment as ``sending``: its outcome is unknown (it may
have been delivered). A message already accepted by the SMTP server for the same roster
version (fingerprint) and kind, or of unknown outcome, is not sent again unless asked
(``again``); one that failed is simply sent again the next time. Sends of one log hold its
lock (:func:`~camp_planner.mail.sentlog.sending_lock`), so a ``sending`` row found by a
send is of one that ended. Writing .eml files (the preview) never counts as sent.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from email import policy
from pathlib import Path

from camp_planner.mail.compose import Outgoing
from camp_planner.mail.sentlog import (
    FAILED,
    SENDING,
    SENT,
    WRITTEN,
    LogRow,
    append_log,
    delivered,
    read_log,
    record_answer,
    sending_lock,
    unknown,
)
from camp_planner.mail.smtp import SendResult, SmtpSettings, send_all
from camp_planner.outputs.atomic import atomic_write_bytes

__all__ = ["Delivery", "deliver"]

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass
class Delivery:
    """What happened: the attempts made now, the messages not sent twice (accepted
    before), those not sent again because their outcome is unknown, the files."""

    attempts: list[LogRow] = field(default_factory=list)
    skipped: list[LogRow] = field(default_factory=list)
    #: the ``sending`` rows of an earlier send that ended before the server's answer
    unknown: list[LogRow] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)
    log: Path | None = None

    @property
    def failed(self) -> list[LogRow]:
        """The attempts that failed."""
        return [r for r in self.attempts if r.status == FAILED]


def deliver(
    outgoing: list[Outgoing],
    *,
    log: Path,
    roster_name: str,
    roster_print: str,
    smtp: SmtpSettings | None = None,
    eml_dir: Path | None = None,
    again: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> Delivery:
    """Send `outgoing` through `smtp`, or write them to `eml_dir` (exactly one of them).

    Args:
        outgoing: The messages.
        log: The sent-log file.
        roster_name: The roster file's name (for the log).
        roster_print: The roster's fingerprint (for the log and the sent-twice check).
        smtp: The server settings, to send.
        eml_dir: The folder for ``<company_id>.eml`` files, to write them.
        again: Send also what the server accepted before for this roster, and what was
            of unknown outcome.
        progress: Called with (answered so far, to send) after each SMTP answer.
    """
    result = Delivery(log=log)
    if smtp is not None:
        with sending_lock(log):
            _send(outgoing, smtp, result, log, (roster_name, roster_print), again, progress)
        return result
    assert eml_dir is not None, "an .eml folder or SMTP settings"
    for item in outgoing:
        name = f"{_UNSAFE.sub('_', item.letter.company_id).strip('_') or 'x'}.eml"
        data = item.message.as_bytes(policy=policy.SMTP)
        path = atomic_write_bytes(eml_dir / name, data)
        result.files.append(path)
        result.attempts.append(_row(item, roster_name, roster_print, WRITTEN, str(path)))
    if result.attempts:
        append_log(log, result.attempts)
    return result


def _send(
    outgoing: list[Outgoing],
    smtp: SmtpSettings,
    result: Delivery,
    log: Path,
    roster: tuple[str, str],
    again: bool,
    progress: Callable[[int, int], None] | None,
) -> None:
    """Send through `smtp` what is not sent twice, each message recorded as ``sending``
    before it is handed to the server and then replaced by the server's answer."""
    name, print_ = roster
    rows = read_log(log)
    before, open_ = delivered(rows, print_), unknown(rows, print_)
    todo = []
    for item in outgoing:
        company, kind = item.letter.company_id, item.letter.kind
        done, pending = before.get(company), open_.get(company)
        if pending is not None and pending.kind == kind and not again:
            result.unknown.append(pending)
        elif done is not None and done.kind == kind and not again:
            result.skipped.append(done)
        else:
            todo.append(item)
    handed: dict[int, LogRow] = {}

    def starting(index: int) -> None:
        handed[index] = _row(todo[index], name, print_, SENDING, "")
        append_log(log, [handed[index]])  # before the server has it: never silently twice

    def logged(index: int, answer: SendResult) -> None:
        status = SENT if answer.delivered else FAILED
        row = _row(todo[index], name, print_, status, answer.answer)
        record_answer(log, handed.get(index), row)  # the answer replaces the sending row
        result.attempts.append(row)
        if progress is not None:
            progress(len(result.attempts), len(todo))

    if progress is not None:
        progress(0, len(todo))
    send_all(smtp, [item.message for item in todo], on_each=logged, on_start=starting)


def _row(item: Outgoing, roster: str, print_: str, status: str, answer: str) -> LogRow:
    return LogRow(
        time=LogRow.now(),
        company_id=item.letter.company_id,
        to=item.to,
        kind=item.letter.kind,
        roster=roster,
        fingerprint=print_,
        status=status,
        answer=answer,
        message_id=str(item.message["Message-ID"]),
    )
