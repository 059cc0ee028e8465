"""Every version of a plan's files (the web app's "Versions").

A plan's folder (``DATA/plans/<plan_id>/``) always holds its latest version, which is what
the plan's pages and a new solve read. Each version is kept as it was in
``DATA/versions/<plan_id>/<n>/``, with a row in the ``versions`` table (when, and what made
it: ``upload``, ``settings``). A plan that was never changed has one version, its upload,
recorded when the first change is made. A job belongs to the version that was the plan's
latest when the job was started.
"""

from __future__ import annotations

import os
import shutil
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from camp_planner.io.errors import InputError
from camp_planner.web.common import Problems, Web, _no_path
from camp_planner.web.parsing import load_isolated
from camp_planner.web.store import Store

__all__ = ["Version", "new_version", "rename_plan", "version_at", "version_dir", "versions"]

#: What made a version (its ``note``), as the pages name it.
UPLOAD, SETTINGS, CHANGES = "upload", "settings", "changes"
_LOCK = threading.Lock()  # one change of a plan's files at a time


@dataclass(frozen=True)
class Version:
    """One version of a plan's files."""

    plan_id: str
    version: int
    created: float
    note: str


def versions(store: Store, plan_id: str) -> list[Version]:
    """The plan's versions, oldest first (one, its upload, when it was never changed)."""
    with store._connect() as db:  # noqa: SLF001 - the store's own database
        rows = db.execute(
            "SELECT * FROM versions WHERE plan_id = ? ORDER BY version", (plan_id,)
        ).fetchall()
    found = [Version(r["plan_id"], r["version"], r["created"], r["note"]) for r in rows]
    if found:
        return found
    plan = store.plan(plan_id)
    return [Version(plan_id, 1, plan.created, UPLOAD)] if plan else []


def version_dir(store: Store, plan_id: str, version: int) -> Path | None:
    """The folder of one version (None for a version the plan does not have)."""
    known = versions(store, plan_id)
    if not any(v.version == version for v in known):
        return None
    if len(known) == 1:
        return store.plan_dir(plan_id)  # never changed: the plan's folder is its upload
    return store.root / "versions" / plan_id / str(version)


def version_at(store: Store, plan_id: str, when: float) -> int:
    """The version that was the plan's latest at `when` (a job's start)."""
    known = versions(store, plan_id)
    before = [v.version for v in known if v.created <= when]
    return max(before) if before else known[0].version if known else 1


def new_version(
    web: Web, plan_id: str, files: dict[str, bytes], note: str, drop: tuple[str, ...] = ()
) -> int:
    """Make a new version of a plan: its latest files with `files` in their place (and
    without the files named in `drop`), checked as an upload is; the plan's folder then
    holds it.

    Returns:
        The new version's number.

    Raises:
        Problems: Every problem of the changed files (nothing is kept).
    """
    store = web.store
    with _LOCK:
        plan_dir = store.plan_dir(plan_id)
        tmp = store.tmp_dir()
        try:
            for path in plan_dir.iterdir():
                if path.is_file() and not path.is_symlink():
                    shutil.copyfile(path, tmp / path.name)
            for name in drop:
                (tmp / name).unlink(missing_ok=True)
            for name, data in files.items():
                (tmp / name).write_bytes(data)
            try:
                loaded = load_isolated(tmp)
            except InputError as exc:
                raise Problems([_no_path(p, tmp) for p in exc.problems]) from None
            known = versions(store, plan_id)
            root = store.root / "versions" / plan_id
            root.mkdir(mode=0o700, parents=True, exist_ok=True)
            if not (root / "1").exists():
                shutil.copytree(plan_dir, root / "1")
            number = known[-1].version + 1
            shutil.copytree(tmp, root / str(number))
            for name in files:
                os.replace(tmp / name, plan_dir / name)
            for name in drop:
                (plan_dir / name).unlink(missing_ok=True)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
        problem = loaded[0]
        with store._connect() as db:  # noqa: SLF001 - the store's own database
            db.execute("BEGIN IMMEDIATE")
            if len(known) == 1 and known[0].note == UPLOAD:
                db.execute(
                    "INSERT OR IGNORE INTO versions (plan_id, version, created, note) "
                    "VALUES (?, 1, ?, ?)",
                    (plan_id, known[0].created, UPLOAD),
                )
            db.execute(
                "INSERT INTO versions (plan_id, version, created, note) VALUES (?, ?, ?, ?)",
                (plan_id, number, time.time(), note),
            )
            db.execute(
                "UPDATE plans SET round_name = ?, companies = ?, venues = ? WHERE plan_id = ?",
                (problem.round.name, len(problem.companies), len(problem.venues), plan_id),
            )
            db.execute("COMMIT")
        web.plans.forget(plan_id)
        return number


def rename_plan(store: Store, plan_id: str, name: str) -> None:
    """The name the pages show for the plan (its files keep the round's own name)."""
    with store._connect() as db:  # noqa: SLF001 - the store's own database
        db.execute("UPDATE plans SET round_name = ? WHERE plan_id = ?", (name, plan_id))
