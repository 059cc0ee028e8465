"""The sent-log: every message sent or written, without its body.

``sent-log.csv`` beside the roster, one row per attempt: ``time`` (UTC), ``company_id``,
``to`` (the address), ``kind`` (invitation, waitlist, update, cancel), ``roster`` (the
roster file's name) and ``fingerprint`` (the first 16 hex digits of its SHA-256: which
version of the roster the message was about), ``status`` (``sent``: the SMTP server accepted
it; ``failed``; ``written``: an .eml file; ``sending``: handed to the server, no answer
recorded yet), ``answer`` (the server's answer, or the file written) and ``message_id``.

A ``sending`` row is written before a message is handed to the server and replaced by the
server's answer (``sent`` or ``failed``) once it came; every other row is only added. The
file is rewritten atomically each time. A ``sending`` row left while no send is running
(:func:`send_running`) is a message whose outcome is unknown: the sending stopped (a Stop,
a crash) while the server was taking it, so it may have been delivered.
"""

from __future__ import annotations

import contextlib
import csv
import fcntl
import hashlib
import io
from collections.abc import Iterator
from dataclasses import asdict, dataclass, fields
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd

from camp_planner.outputs.atomic import atomic_write_text
from camp_planner.outputs.excel_safe import csv_text

__all__ = [
    "SENT_LOG",
    "LogRow",
    "append_log",
    "delivered",
    "fingerprint",
    "read_log",
    "record_answer",
    "send_running",
    "sending_lock",
    "unknown",
]

SENT_LOG = "sent-log.csv"
SENT, FAILED, WRITTEN, SENDING = "sent", "failed", "written", "sending"
#: The statuses of an SMTP attempt (``written`` is a file).
SMTP_STATUSES = (SENT, FAILED, SENDING)


@dataclass(frozen=True)
class LogRow:
    """One attempt to deliver one message."""

    time: str
    company_id: str
    to: str
    kind: str
    roster: str
    fingerprint: str
    status: str
    answer: str
    message_id: str

    @staticmethod
    def now() -> str:
        """The time column's value for now: ISO, UTC, seconds."""
        return datetime.now(UTC).replace(microsecond=0).isoformat()


COLUMNS = tuple(f.name for f in fields(LogRow))


def fingerprint(data: bytes) -> str:
    """Which roster: the first 16 hex digits of the SHA-256 of its file."""
    return hashlib.sha256(data).hexdigest()[:16]


def read_log(path: Path) -> list[LogRow]:
    """The rows of a sent-log (none when the file does not exist)."""
    if not path.is_file():
        return []
    text = path.read_text(encoding="utf-8-sig")
    rows = []
    for raw in csv.DictReader(io.StringIO(text)):
        values = {c: _plain(raw.get(c) or "") for c in COLUMNS}
        rows.append(LogRow(**values))
    return rows


def _plain(text: str) -> str:
    """A cell as written before csv_text's leading apostrophe (a server answer '-...')."""
    return text[1:] if text.startswith("'") and text[1:2] in ("=", "+", "-", "@") else text


def append_log(path: Path, rows: list[LogRow]) -> Path:
    """Add `rows` to the log at `path` (atomically: the old rows and the new ones)."""
    everything = read_log(path) + rows
    frame = pd.DataFrame([asdict(r) for r in everything], columns=list(COLUMNS))
    return atomic_write_text(path, csv_text(frame), encoding="utf-8-sig")


def record_answer(path: Path, pending: LogRow | None, answer: LogRow) -> Path:
    """Replace the ``sending`` row `pending` (its latest copy) by `answer`, the server's
    answer to that message; add `answer` when there is no such row (atomically)."""
    rows = read_log(path)
    at = None
    if pending is not None:
        at = next((i for i in range(len(rows) - 1, -1, -1) if rows[i] == pending), None)
    if at is None:
        rows.append(answer)
    else:
        rows[at] = answer
    frame = pd.DataFrame([asdict(r) for r in rows], columns=list(COLUMNS))
    return atomic_write_text(path, csv_text(frame), encoding="utf-8-sig")


def _lock_path(log: Path) -> Path:
    return log.with_name(f".{log.name}.lock")


@contextlib.contextmanager
def sending_lock(log: Path) -> Iterator[None]:
    """Held while messages are handed to the SMTP server for `log` (waits for another
    send of the same log, in any process; the system releases it when a process ends)."""
    with _lock_path(log).open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def send_running(log: Path) -> bool:
    """Whether a send of `log` holds its lock now (its ``sending`` rows may still be
    answered); False: every ``sending`` row is of a send that ended."""
    path = _lock_path(log)
    if not path.is_file():
        return False
    with path.open("a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        fcntl.flock(handle, fcntl.LOCK_UN)
    return False


def unknown(rows: list[LogRow], print_: str) -> dict[str, LogRow]:
    """company_id -> its ``sending`` row for roster fingerprint `print_`, where that is the
    company's latest SMTP attempt for this roster: handed to the server without an answer
    recorded (of unknown outcome once no send is running)."""
    latest: dict[str, LogRow] = {}
    for row in rows:
        if row.fingerprint == print_ and row.status in SMTP_STATUSES:
            latest[row.company_id] = row
    return {c: r for c, r in latest.items() if r.status == SENDING}


def delivered(rows: list[LogRow], print_: str, kinds: set[str] | None = None) -> dict[str, LogRow]:
    """company_id -> its latest row with status ``sent`` for roster fingerprint `print_`
    (and one of `kinds`, when given): the messages that would be sent twice."""
    out = {}
    for row in rows:
        if row.status == SENT and row.fingerprint == print_ and (not kinds or row.kind in kinds):
            out[row.company_id] = row
    return out
