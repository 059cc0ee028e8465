"""Deliver composed messages: through SMTP, or as .eml files; every attempt in the sent-log.

Each SMTP attempt is added to the sent-log as soon as the server has answered it, so a
sending that is interrupted (a Stop, a crash) leaves every message it sent logged.
A message already accepted by the SMTP server for the same roster version (fingerprint) and
kind is not sent again unless asked (``again``); one that failed is simply sent again the
next time. Writing .eml files (the preview) never counts as sent.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from email import policy
from pathlib import Path

from camp_planner.mail.compose import Outgoing
from camp_planner.mail.sentlog import FAILED, SENT, WRITTEN, LogRow, append_log, delivered, read_log
from camp_planner.mail.smtp import SendResult, SmtpSettings, send_all
from camp_planner.outputs.atomic import atomic_write_bytes

__all__ = ["Delivery", "deliver"]

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass
class Delivery:
    """What happened: the attempts made now, the messages not sent twice, the files."""

    attempts: list[LogRow] = field(default_factory=list)
    skipped: list[LogRow] = field(default_factory=list)
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
        again: Send also what the server accepted before for this roster.
        progress: Called with (answered so far, to send) after each SMTP answer.
    """
    result = Delivery(log=log)
    if smtp is not None:
        before = delivered(read_log(log), roster_print)
        todo = []
        for item in outgoing:
            done = before.get(item.letter.company_id)
            if done is not None and done.kind == item.letter.kind and not again:
                result.skipped.append(done)
            else:
                todo.append(item)

        def logged(index: int, answer: SendResult) -> None:
            status = SENT if answer.delivered else FAILED
            row = _row(todo[index], roster_name, roster_print, status, answer.answer)
            result.attempts.append(row)
            append_log(log, [row])  # at once: an interrupted sending keeps what it sent
            if progress is not None:
                progress(len(result.attempts), len(todo))

        if progress is not None:
            progress(0, len(todo))
        send_all(smtp, [item.message for item in todo], on_each=logged)
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
