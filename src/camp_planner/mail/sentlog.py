"""The sent-log: every message sent or written, without its body.

``sent-log.csv`` beside the roster, one row per attempt: ``time`` (UTC), ``company_id``,
``to`` (the address), ``kind`` (invitation, waitlist, update, cancel), ``roster`` (the
roster file's name) and ``fingerprint`` (the first 16 hex digits of its SHA-256: which
version of the roster the message was about), ``status`` (``sent``: the SMTP server accepted
it; ``failed``; ``written``: an .eml file), ``answer`` (the server's answer, or the file
written) and ``message_id``. Rows are only added; the file is rewritten atomically.
"""

from __future__ import annotations

import csv
import hashlib
import io
from dataclasses import asdict, dataclass, fields
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd

from camp_planner.outputs.atomic import atomic_write_text
from camp_planner.outputs.excel_safe import csv_text

__all__ = ["SENT_LOG", "LogRow", "fingerprint", "read_log", "append_log", "delivered"]

SENT_LOG = "sent-log.csv"
SENT, FAILED, WRITTEN = "sent", "failed", "written"


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


def delivered(rows: list[LogRow], print_: str, kinds: set[str] | None = None) -> dict[str, LogRow]:
    """company_id -> its latest row with status ``sent`` for roster fingerprint `print_`
    (and one of `kinds`, when given): the messages that would be sent twice."""
    out = {}
    for row in rows:
        if row.status == SENT and row.fingerprint == print_ and (not kinds or row.kind in kinds):
            out[row.company_id] = row
    return out
