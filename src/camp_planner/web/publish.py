"""Publishing a plan's roster and replanning it with the fewest changes (the web app's
"Publish" and "Changes"; docs/web.md).

Publishing freezes a roster: its roster.json (and participants.csv, for the names of
companies that later withdraw) are copied to ``DATA/versions/<plan_id>/published/``; its
invitations keep the UIDs they were written with, and a replan keeps them
(``camp-planner replan``). A replan is a job (kind ``replan``) that runs the command's own
:func:`camp_planner.cli.replan.run_replan` on the plan's latest version and the published
roster, so the browser's replan is the command's. Publishing a replan's roster makes it the
published one (its ``replan`` key carries the UIDs and retired cohort ids forward).
"""

from __future__ import annotations

import io
import shutil
import time
import zipfile
from pathlib import Path
from typing import Any

from camp_planner.io.tables import csv_rows
from camp_planner.web.store import CANCELLED, DONE, FAILED, Job, Store

__all__ = [
    "PUBLISHED", "publish", "published_at", "published_job", "published_roster", "run_replan_job",
]  # fmt: skip

PUBLISHED = "published"
#: The files of a published roster, as copied from the job's ``out/``.
_FILES = ("roster.json", "participants.csv")
#: A replan job's zip of the updated and cancelled invitations, beside ``out/``.
CHANGED_ZIP = "changed-invitations.zip"


def published_dir(store: Store, plan_id: str) -> Path:
    """Where the plan's published roster is kept."""
    store.plan_dir(plan_id)  # checks the id
    return store.root / "versions" / plan_id / PUBLISHED


def published_roster(store: Store, plan_id: str) -> Path | None:
    """The published roster.json (None before the plan is published)."""
    path = published_dir(store, plan_id) / "roster.json"
    return path if path.is_file() and published_job(store, plan_id) else None


def published_job(store: Store, plan_id: str) -> Job | None:
    """The job whose roster is published (None before the plan is published)."""
    with store._connect() as db:  # noqa: SLF001 - the store's own database
        row = db.execute("SELECT job_id FROM published WHERE plan_id = ?", (plan_id,)).fetchone()
    return store.job(row["job_id"]) if row else None


def published_at(store: Store, plan_id: str) -> float | None:
    """When the plan's published roster was published (None before it is)."""
    with store._connect() as db:  # noqa: SLF001 - the store's own database
        row = db.execute("SELECT created FROM published WHERE plan_id = ?", (plan_id,)).fetchone()
    return float(row["created"]) if row else None


def publishable(job: Job | None, plan_id: str) -> bool:
    """A solve or replan of this plan that produced a roster."""
    if job is None or job.plan_id != plan_id or job.kind not in ("solve", "replan"):
        return False
    return job.status == DONE or (job.status == CANCELLED and job.kept)


def publish(store: Store, plan_id: str, job: Job) -> None:
    """Freeze the job's roster as the plan's published one (:func:`publishable` first)."""
    source = store.job_dir(job.job_id) / "out"
    target = published_dir(store, plan_id)
    tmp = store.tmp_dir()
    try:
        for name in _FILES:
            if (source / name).is_file():
                shutil.copyfile(source / name, tmp / name)
        shutil.rmtree(target, ignore_errors=True)
        target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        shutil.copytree(tmp, target)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    with store._connect() as db:  # noqa: SLF001 - the store's own database
        db.execute(
            "INSERT OR REPLACE INTO published (plan_id, job_id, created) VALUES (?, ?, ?)",
            (plan_id, job.job_id, time.time()),
        )


def run_replan_job(store: Store, job: Job, progress: Any) -> None:
    """The worker's part of a replan job: the command's replan on the plan's latest files
    and the published roster as it is when the job starts (copied into the job)."""
    from rich.console import Console

    from camp_planner.cli._common import ExitCode
    from camp_planner.cli.replan import run_replan

    params = job.params
    frozen = store.job_dir(job.job_id) / PUBLISHED
    shutil.copytree(published_dir(store, job.plan_id), frozen, dirs_exist_ok=True)
    out = store.job_dir(job.job_id) / "out"
    pins = None
    if params.get("pins"):  # [[cohort_id, field]]: pins.csv as the command reads it
        pins = frozen / "pins.csv"
        pins.write_text("cohort_id,field\n" + "".join(f"{c},{f}\n" for c, f in params["pins"]))
    said, errors = io.StringIO(), io.StringIO()
    progress.now("replanning")
    if params.get("place"):  # a place of fit chosen: that roster (web/fit_choice.py)
        from camp_planner.web.fit_choice import run_choice

        code = run_choice(
            store.plan_dir(job.plan_id),
            frozen / "roster.json",
            params,
            out,
            Console(file=said, width=200),
            Console(file=errors, width=200),
        )
    else:
        code = run_replan(
            store.plan_dir(job.plan_id), frozen / "roster.json", str(params["as_of"]), pins,
            out, float(params["time_limit"]), 0, int(params.get("workers", 1)),
            Console(file=said, width=200), Console(file=errors, width=200),
        )  # fmt: skip
    if code != ExitCode.OK:
        text = " ".join(errors.getvalue().split()) or "The replan found no roster."
        store.finish(job.job_id, FAILED, error=text.replace(str(store.root), "…"))
        return
    summary = replan_summary(out)
    _zip_changed(out, out.parent / CHANGED_ZIP)
    store.finish(job.job_id, DONE, summary=summary, progress="done: replan")


def replan_summary(out: Path) -> dict[str, Any]:
    """The figures and the sentence of a written replan (from its roster.json)."""
    import json

    data = json.loads((out / "roster.json").read_text("utf-8"))
    record = data.get("replan", {})
    return {
        "kind": "replan",
        "round": data["round"],
        "solver_status": data["solver"]["status"],
        "placed": data["summary"]["placed"],
        "unplaced": data["summary"]["unplaced"],
        "cohorts": len(data["cohorts"]),
        "travel_km_total": round(data["summary"]["travel_km_total"], 1),
        "sentence": record.get("summary", ""),
        "cancelled": record.get("cancelled", []),
        "new_cohorts": record.get("new_cohorts", []),
        "companies": data["summary"]["placed"] + data["summary"]["unplaced"],
    }


def _zip_changed(out: Path, target: Path) -> None:
    """The invitations (updated, UIDs kept) and the cancellations, one zip."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for sub in ("invitations", "cancelled"):
            for file in sorted((out / sub).glob("*.ics")):
                archive.write(file, f"{sub}/{file.name}")
    target.write_bytes(buffer.getvalue())


def run_fit_job(store: Store, job: Job, progress: Any) -> None:
    """The worker's part of a fit job: ``camp-planner fit``'s own code for one company of
    the plan's latest files against the published roster; the options are fit.csv's rows."""

    from rich.console import Console

    from camp_planner.cli._common import ExitCode
    from camp_planner.cli.fit import run_fit

    params = job.params
    frozen = store.job_dir(job.job_id) / PUBLISHED
    shutil.copytree(published_dir(store, job.plan_id), frozen, dirs_exist_ok=True)
    out = store.job_dir(job.job_id) / "out"
    out.mkdir(parents=True, exist_ok=True)
    said, errors = io.StringIO(), io.StringIO()
    progress.now("fitting")
    code = run_fit(
        store.plan_dir(job.plan_id), frozen / "roster.json", str(params["company_id"]), 5,
        out / "fit.csv", str(params["as_of"]), None, float(params["time_limit"]),
        Console(file=said, width=200), Console(file=errors, width=200),
    )  # fmt: skip
    if code != ExitCode.OK:
        text = " ".join(errors.getvalue().split()) or "No place was found."
        store.finish(job.job_id, FAILED, error=text.replace(str(store.root), "…"))
        return
    rows = csv_rows((out / "fit.csv").read_text("utf-8-sig"))
    summary = {"kind": "fit", "company_id": params["company_id"], "options": rows}
    store.finish(job.job_id, DONE, summary=summary, progress="done: fit")
