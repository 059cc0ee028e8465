"""Where the web app keeps plans and jobs: one data folder (``--data``).

Layout (nothing is ever read or written outside it)::

    DATA/state.sqlite3        plans and jobs (their state, progress and summaries)
    DATA/plans/<plan_id>/     the uploaded planning folder (fixed file names only)
    DATA/jobs/<job_id>/out/   a job's outputs (roster files, or the what-if files)
    DATA/versions/<plan_id>/<n>/  every version of a plan's files (web/versions.py)
    DATA/tmp/                 uploads being checked

Ids are made here (:func:`new_id`: 16 random hex digits) and every id that comes from a
request is checked against :data:`ID_PATTERN` before it is used in a path; user text is
never joined into a path. SQLite runs in WAL mode so that the worker processes can write
progress while the web process reads it; every call opens its own short connection.
"""

from __future__ import annotations

import contextlib
import json
import re
import secrets
import shutil
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = [
    "ACTIVE",
    "FINISHED",
    "ID_PATTERN",
    "Job",
    "Plan",
    "Store",
    "new_id",
    "valid_id",
]

#: Every plan and job id: 16 lower-case hex digits.
ID_PATTERN = re.compile(r"[0-9a-f]{16}")
#: Job statuses (the JSON API's words).
QUEUED, RUNNING, DONE, FAILED, CANCELLED = "queued", "running", "done", "failed", "cancelled"
ACTIVE = (QUEUED, RUNNING)
FINISHED = (DONE, FAILED, CANCELLED)
DB_NAME = "state.sqlite3"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS plans (
    plan_id TEXT PRIMARY KEY,
    created REAL NOT NULL,
    source TEXT NOT NULL,
    round_name TEXT NOT NULL DEFAULT '',
    companies INTEGER NOT NULL DEFAULT 0,
    venues INTEGER NOT NULL DEFAULT 0,
    files TEXT NOT NULL DEFAULT '[]',
    ignored TEXT NOT NULL DEFAULT '[]'
);
CREATE TABLE IF NOT EXISTS jobs (
    job_id TEXT PRIMARY KEY,
    plan_id TEXT NOT NULL REFERENCES plans(plan_id),
    kind TEXT NOT NULL,
    status TEXT NOT NULL,
    params TEXT NOT NULL DEFAULT '{}',
    created REAL NOT NULL,
    started REAL,
    finished REAL,
    progress TEXT NOT NULL DEFAULT '',
    summary TEXT NOT NULL DEFAULT '{}',
    error TEXT NOT NULL DEFAULT '',
    seq INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS jobs_by_plan ON jobs(plan_id, created);
CREATE TABLE IF NOT EXISTS versions (
    plan_id TEXT NOT NULL REFERENCES plans(plan_id),
    version INTEGER NOT NULL,
    created REAL NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (plan_id, version)
);
CREATE TABLE IF NOT EXISTS published (
    plan_id TEXT PRIMARY KEY REFERENCES plans(plan_id),
    job_id TEXT NOT NULL,
    created REAL NOT NULL
);
"""
#: Columns added after the first release (added to an older database when it is opened).
_ADDED = {
    "kept": "INTEGER NOT NULL DEFAULT 0",  # a stopped solve whose best roster was kept
    "pid": "INTEGER",  # the worker process while it lives
    "pid_start": "TEXT",  # its start time (/proc), so a reused pid is never ended
}


def new_id() -> str:
    """A fresh id for a plan or a job."""
    return secrets.token_hex(8)


def valid_id(text: str) -> bool:
    """True when `text` is an id this app could have made (nothing else reaches a path)."""
    return bool(ID_PATTERN.fullmatch(text))


@dataclass(frozen=True)
class Plan:
    """An uploaded planning folder."""

    plan_id: str
    created: float
    source: str
    round_name: str
    companies: int
    venues: int
    files: list[str] = field(default_factory=list)
    #: Uploaded files that were not used (not planning files), by the client's name.
    ignored: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Job:
    """A solve or a what-if of a plan, run in a worker process."""

    job_id: str
    plan_id: str
    kind: str
    status: str
    params: dict[str, Any]
    created: float
    started: float | None
    finished: float | None
    progress: str
    summary: dict[str, Any]
    error: str
    #: Stopped, with the best roster found so far kept (a cancelled solve).
    kept: bool = False
    #: The worker process while it lives (None once it ended).
    pid: int | None = None

    @property
    def stopping(self) -> bool:
        """A stopped solve whose worker is still writing the best roster it found."""
        keeps = self.kind in ("solve", "programme")
        return self.status == CANCELLED and keeps and self.pid is not None

    @property
    def elapsed(self) -> float | None:
        """Seconds it has run (so far), None before it started."""
        if self.started is None:
            return None
        return max(0.0, (self.finished or time.time()) - self.started)


class Store:
    """The data folder: SQLite state plus the plans' and jobs' folders.

    Args:
        root: The data folder (created if needed).
    """

    def __init__(self, root: Path) -> None:
        self.root = Path(root).resolve()
        self.root.mkdir(mode=0o700, parents=True, exist_ok=True)
        for folder in (
            self.root,
            *(self.root / sub for sub in ("plans", "jobs", "tmp", "versions")),
        ):
            folder.mkdir(mode=0o700, exist_ok=True)
            with contextlib.suppress(OSError):
                folder.chmod(0o700)  # only this user reads the plans
        self.db_path = self.root / DB_NAME
        self._held: sqlite3.Connection | None = None
        with self._connect() as db:
            db.execute("PRAGMA journal_mode=WAL")
            db.executescript(_SCHEMA)
            have = {row["name"] for row in db.execute("PRAGMA table_info(jobs)")}
            for name, kind in _ADDED.items():
                if name not in have:
                    db.execute(f"ALTER TABLE jobs ADD COLUMN {name} {kind}")

    def hold(self) -> None:
        """Keep one connection open while the server runs: SQLite then keeps its WAL files
        between calls instead of deleting and making them again, so reading needs no new
        disk space (pages keep working when the disk is full)."""
        self._held = sqlite3.connect(self.db_path, timeout=30, check_same_thread=False)
        self._held.execute("SELECT count(*) FROM plans").fetchone()

    def release(self) -> None:
        """Close the connection of :meth:`hold`."""
        if self._held is not None:
            self._held.close()
            self._held = None

    # -- paths: only ever from checked ids -------------------------------------------------

    def _inside(self, *parts: str) -> Path:
        path = self.root.joinpath(*parts).resolve()
        if not path.is_relative_to(self.root):  # pragma: no cover - ids are checked first
            raise ValueError("path outside the data folder")
        return path

    def plan_dir(self, plan_id: str) -> Path:
        """The plan's planning folder."""
        if not valid_id(plan_id):
            raise ValueError("not a plan id")
        return self._inside("plans", plan_id)

    def job_dir(self, job_id: str) -> Path:
        """The job's folder (outputs in ``out/``)."""
        if not valid_id(job_id):
            raise ValueError("not a job id")
        return self._inside("jobs", job_id)

    def tmp_dir(self) -> Path:
        """A fresh folder for an upload being checked."""
        path = self._inside("tmp", new_id())
        path.mkdir(mode=0o700, parents=True)
        return path

    def clean_tmp(self) -> int:
        """Remove what uploads being checked left (a server that was killed); returns how
        many were removed."""
        count = 0
        for path in (self.root / "tmp").iterdir():
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)
            count += 1
        return count

    # -- SQLite ------------------------------------------------------------------------------

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        db = sqlite3.connect(self.db_path, timeout=30, isolation_level=None)
        db.row_factory = sqlite3.Row
        try:
            db.execute("PRAGMA busy_timeout=30000")
            yield db
        finally:
            db.close()

    # -- plans -------------------------------------------------------------------------------

    def add_plan(
        self, plan_id: str, source: str, round_name: str, companies: int, venues: int,
        files: list[str], ignored: list[str] | None = None,
    ) -> Plan:  # fmt: skip
        """Record a plan whose folder is in place."""
        created = time.time()
        ignored = list(ignored or [])
        with self._connect() as db:
            db.execute(
                "INSERT INTO plans (plan_id, created, source, round_name, companies, venues, "
                "files, ignored) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    plan_id, created, source, round_name, companies, venues, json.dumps(files),
                    json.dumps(ignored),
                ),
            )  # fmt: skip
        return Plan(plan_id, created, source, round_name, companies, venues, files, ignored)

    def plan(self, plan_id: str) -> Plan | None:
        """The plan, or None for an unknown (or malformed) id."""
        if not valid_id(plan_id):
            return None
        with self._connect() as db:
            row = db.execute("SELECT * FROM plans WHERE plan_id = ?", (plan_id,)).fetchone()
        return _plan(row) if row else None

    def plans(self, limit: int = 50) -> list[Plan]:
        """The latest plans, newest first."""
        with self._connect() as db:
            rows = db.execute(
                "SELECT * FROM plans ORDER BY created DESC LIMIT ?", (limit,)
            ).fetchall()
        return [_plan(row) for row in rows]

    def delete_plan(self, plan_id: str) -> list[str]:
        """Forget a plan and everything made from it: its jobs (rows and folders: rosters,
        maps, what-ifs) and its uploaded files. Its jobs must have ended.

        Returns:
            The ids of the jobs that were deleted.
        """
        plan_dir = self.plan_dir(plan_id)
        with self._connect() as db:
            jobs = [
                row["job_id"]
                for row in db.execute("SELECT job_id FROM jobs WHERE plan_id = ?", (plan_id,))
            ]
            db.execute("BEGIN IMMEDIATE")
            db.execute("DELETE FROM jobs WHERE plan_id = ?", (plan_id,))
            db.execute("DELETE FROM versions WHERE plan_id = ?", (plan_id,))
            db.execute("DELETE FROM published WHERE plan_id = ?", (plan_id,))
            db.execute("DELETE FROM plans WHERE plan_id = ?", (plan_id,))
            db.execute("COMMIT")
        for job_id in jobs:
            shutil.rmtree(self.job_dir(job_id), ignore_errors=True)
        shutil.rmtree(plan_dir, ignore_errors=True)
        shutil.rmtree(self._inside("versions", plan_id), ignore_errors=True)
        return jobs

    def plans_before(self, when: float) -> list[str]:
        """Ids of the plans made before `when` (seconds since the epoch)."""
        with self._connect() as db:
            rows = db.execute("SELECT plan_id FROM plans WHERE created < ?", (when,)).fetchall()
        return [row["plan_id"] for row in rows]

    # -- jobs --------------------------------------------------------------------------------

    def add_job(self, plan_id: str, kind: str, params: dict[str, Any]) -> Job:
        """Queue a job."""
        job_id = new_id()
        with self._connect() as db:
            db.execute(
                "INSERT INTO jobs (job_id, plan_id, kind, status, params, created) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (job_id, plan_id, kind, QUEUED, json.dumps(params), time.time()),
            )
        job = self.job(job_id)
        assert job is not None
        return job

    def add_done_job(
        self, job_id: str, plan_id: str, kind: str, params: dict[str, Any],
        summary: dict[str, Any], progress: str,
    ) -> Job:  # fmt: skip
        """Record a job that is done as it is made, its files already in its folder (a
        what-if scenario's roster adopted as the plan's: nothing is left to run, and no
        worker ever sees it queued)."""
        now = time.time()
        with self._connect() as db:
            db.execute(
                "INSERT INTO jobs (job_id, plan_id, kind, status, params, created, started, "
                "finished, progress, summary) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (job_id, plan_id, kind, DONE, json.dumps(params), now, now, now, progress,
                 json.dumps(summary)),
            )  # fmt: skip
        job = self.job(job_id)
        assert job is not None
        return job

    def job(self, job_id: str) -> Job | None:
        """The job, or None for an unknown (or malformed) id."""
        if not valid_id(job_id):
            return None
        with self._connect() as db:
            row = db.execute("SELECT * FROM jobs WHERE job_id = ?", (job_id,)).fetchone()
        return _job(row) if row else None

    def jobs(
        self, plan_id: str | None = None, status: tuple[str, ...] | None = None,
        kind: str | None = None, limit: int = 100,
    ) -> list[Job]:  # fmt: skip
        """Jobs, newest first, optionally of one plan, kind or some statuses."""
        where, args = [], []
        if plan_id is not None:
            where.append("plan_id = ?")
            args.append(plan_id)
        if kind is not None:
            where.append("kind = ?")
            args.append(kind)
        if status:
            where.append(f"status IN ({', '.join('?' * len(status))})")
            args.extend(status)
        sql = "SELECT * FROM jobs" + (f" WHERE {' AND '.join(where)}" if where else "")
        sql += " ORDER BY created DESC, rowid DESC LIMIT ?"
        with self._connect() as db:
            rows = db.execute(sql, (*args, limit)).fetchall()
        return [_job(row) for row in rows]

    def latest_done(self, plan_id: str, kind: str) -> Job | None:
        """The plan's newest finished job of `kind` that produced files (done, or stopped
        with its best roster kept)."""
        with self._connect() as db:
            row = db.execute(
                "SELECT * FROM jobs WHERE plan_id = ? AND kind = ? AND (status = ? OR "
                "(status = ? AND kept = 1)) ORDER BY created DESC, rowid DESC LIMIT 1",
                (plan_id, kind, DONE, CANCELLED),
            ).fetchone()
        return _job(row) if row else None

    def oldest_queued(self) -> Job | None:
        """The job to start next."""
        with self._connect() as db:
            row = db.execute(
                "SELECT * FROM jobs WHERE status = ? ORDER BY created, rowid LIMIT 1", (QUEUED,)
            ).fetchone()
        return _job(row) if row else None

    def set_running(self, job_id: str) -> bool:
        """Queued -> running; False when the job is no longer queued (cancelled)."""
        with self._connect() as db:
            cursor = db.execute(
                "UPDATE jobs SET status = ?, started = ? WHERE job_id = ? AND status = ?",
                (RUNNING, time.time(), job_id, QUEUED),
            )
        return cursor.rowcount == 1

    def cancel(self, job_id: str, error: str) -> bool:
        """Queued or running -> cancelled, in one statement (a Stop is never lost: the
        worker checks the status before it starts and while it runs).

        Returns:
            True when this call cancelled it.
        """
        with self._connect() as db:
            cursor = db.execute(
                "UPDATE jobs SET status = ?, finished = ?, error = ? "
                "WHERE job_id = ? AND status IN (?, ?)",
                (CANCELLED, time.time(), error, job_id, QUEUED, RUNNING),
            )
        return cursor.rowcount == 1

    def keep_stopped(self, job_id: str, summary: dict[str, Any], progress: str) -> bool:
        """A stopped job's best roster is written: keep it (the job stays cancelled)."""
        with self._connect() as db:
            cursor = db.execute(
                "UPDATE jobs SET kept = 1, summary = ?, progress = ? "
                "WHERE job_id = ? AND status = ?",
                (json.dumps(summary), progress, job_id, CANCELLED),
            )
        return cursor.rowcount == 1

    def set_pid(self, job_id: str, pid: int | None, pid_start: str | None = None) -> None:
        """The job's worker process (None when it ends)."""
        with self._connect() as db:
            db.execute(
                "UPDATE jobs SET pid = ?, pid_start = ? WHERE job_id = ?",
                (pid, pid_start, job_id),
            )

    def workers(self) -> list[tuple[str, int, str | None]]:
        """(job, pid, start time) of every worker recorded as alive."""
        with self._connect() as db:
            rows = db.execute(
                "SELECT job_id, pid, pid_start FROM jobs WHERE pid IS NOT NULL"
            ).fetchall()
        return [(row["job_id"], row["pid"], row["pid_start"]) for row in rows]

    def set_progress(self, job_id: str, progress: str) -> None:
        """The job's latest progress line (while it runs)."""
        with self._connect() as db:
            db.execute(
                "UPDATE jobs SET progress = ?, seq = seq + 1 WHERE job_id = ? AND status = ?",
                (progress, job_id, RUNNING),
            )

    def finish(
        self, job_id: str, status: str, *, summary: dict[str, Any] | None = None,
        error: str = "", progress: str | None = None, only_from: tuple[str, ...] = ACTIVE,
    ) -> bool:  # fmt: skip
        """Mark a job finished (done, failed or cancelled) unless it already is.

        Returns:
            True when this call finished it.
        """
        sets = ["status = ?", "finished = ?", "error = ?"]
        args: list[Any] = [status, time.time(), error]
        if summary is not None:
            sets.append("summary = ?")
            args.append(json.dumps(summary))
        if progress is not None:
            sets.append("progress = ?")
            args.append(progress)
        marks = ", ".join("?" * len(only_from))
        with self._connect() as db:
            cursor = db.execute(
                f"UPDATE jobs SET {', '.join(sets)} WHERE job_id = ? AND status IN ({marks})",
                (*args, job_id, *only_from),
            )
        return cursor.rowcount == 1


def _plan(row: sqlite3.Row) -> Plan:
    return Plan(
        row["plan_id"], row["created"], row["source"], row["round_name"], row["companies"],
        row["venues"], json.loads(row["files"]), json.loads(row["ignored"]),
    )  # fmt: skip


def _job(row: sqlite3.Row) -> Job:
    return Job(
        row["job_id"], row["plan_id"], row["kind"], row["status"], json.loads(row["params"]),
        row["created"], row["started"], row["finished"], row["progress"],
        json.loads(row["summary"]), row["error"], bool(row["kept"]), row["pid"],
    )  # fmt: skip
