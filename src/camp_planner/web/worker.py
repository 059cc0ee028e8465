"""What runs in a job's worker process: solve a plan, or run its what-if scenarios.

The web process starts :func:`run_job` in a fresh process (from a fork server) and never
solves itself: a crash ends the job, not the server. A Stop, or the server stopping, stops
a solve's search and keeps the best roster found so far (with its status and gap), as its
time limit does; the time limit counts from the worker's start (reading and writing
included, as on the command line). The
worker reads its job from the SQLite store, reports progress there (at most five lines a
second) and finishes the job with a summary, or with a sentence saying why it failed. It
prints nothing and logs nothing, so no company data ends up in a log. With ``serve --ray``
the solves run on a Ray cluster and the worker waits for them (:mod:`camp_planner.web.
ray_jobs`).
"""

from __future__ import annotations

import contextlib
import io
import os
import signal
import threading
import time
import zipfile
from pathlib import Path
from typing import Any

from camp_planner.distributed import SolveTask, SweepCancelled, connect
from camp_planner.distributed.executor import Tally, counts_text
from camp_planner.web.ray_jobs import RAY_ENV, ray_address, solve_on_ray
from camp_planner.web.stopping import Stopper, die_with_parent, process_start
from camp_planner.web.store import DONE, FAILED, RUNNING, Job, Store

__all__ = ["INVITATIONS_ZIP", "OUT", "run_job", "roster_summary"]

#: A job's output folder, inside its job folder.
OUT = "out"
#: The zip of a roster's invitations, beside ``out/``.
INVITATIONS_ZIP = "invitations.zip"
#: The what-if comparison as JSON (the table the page shows), beside ``out/``.
COMPARISON_JSON = "comparison.json"
#: The start of a failed job's sentence when the solver raised an error.
INTERNAL = "The solver stopped with an internal error "
_EVERY = 0.2
#: Solver statuses of a roster kept after a Stop.
KEPT_STATUSES = ("OPTIMAL", "FEASIBLE")
#: Job kinds whose Stop keeps the best result found (the others end at once).
KEEPS_BEST = ("solve", "programme")
#: A what-if's executor on Ray (``serve --ray``), for a Stop to cancel its tasks.
_SWEEP: dict[str, Any] = {}
#: Seconds a Stop waits for a what-if's Ray tasks to be cancelled.
_CANCEL_WAIT = 15.0


class _Progress:
    """The latest progress line, written to the store at most every 0.2 s."""

    def __init__(self, store: Store, job_id: str) -> None:
        self.store, self.job_id = store, job_id
        self.prefix = ""
        self._pending: str | None = None
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._flush_loop, daemon=True)
        self._thread.start()

    def __call__(self, line: str) -> None:
        with self._lock:
            self._pending = self.prefix + line

    def now(self, line: str) -> None:
        """Write a line at once."""
        with self._lock:
            self._pending = None
        self.store.set_progress(self.job_id, self.prefix + line)

    def _flush_loop(self) -> None:
        while not self._stop.wait(_EVERY):
            self.flush()

    def flush(self) -> None:
        with self._lock:
            line, self._pending = self._pending, None
        if line is not None:
            self.store.set_progress(self.job_id, line)

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=2)
        self.flush()


def roster_summary(problem: Any, roster: Any) -> dict[str, Any]:
    """The figures of a solved roster that the job's answer and the pages show."""
    solver = roster.solver
    return {
        "kind": "solve",
        "round": roster.round,
        "solver_status": solver.status.value,
        "proven": solver.status.value == "OPTIMAL",
        "gap": solver.gap,
        "objective": solver.objective,
        "best_bound": solver.best_bound,
        "placed_bound": solver.placed_bound,
        "message": solver.message,
        "wall_time_s": round(solver.wall_time_s, 2),
        "companies": len(problem.companies),
        "placed": roster.summary.placed,
        "unplaced": roster.summary.unplaced,
        "cohorts": len(roster.cohorts),
        "venues_used": list(roster.summary.venues_used),
        "travel_km_total": round(roster.summary.travel_km_total, 1),
    }


def _zip_invitations(folder: Path, target: Path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for file in sorted(folder.glob("*.ics")):
            archive.write(file, f"invitations/{file.name}")
    target.write_bytes(buffer.getvalue())


def _solve(
    store: Store, job_id: str, params: dict[str, Any], progress: _Progress, stopper: Stopper
) -> None:
    from camp_planner.cli.roster import solver_time
    from camp_planner.io.folder import load_folder_with_notes
    from camp_planner.outputs.roster_files import INVITATIONS, write_outputs
    from camp_planner.scheduler import solve
    from camp_planner.scheduler.preflight import preflight

    started = time.monotonic()
    job = store.job(job_id)
    assert job is not None
    progress.now("reading the plan")
    problem, _ = load_folder_with_notes(store.plan_dir(job.plan_id))
    refusals = preflight(problem)
    if refusals:
        store.finish(job_id, FAILED, error=" ".join(refusals), progress="refused")
        return
    progress.now("building the model")
    limit = float(params["time_limit"])
    seconds = solver_time(problem, limit - (time.monotonic() - started))
    workers = int(params.get("workers", 2))
    address = ray_address()
    if address is None:
        roster = solve(problem, seconds, seed=0, workers=workers, progress=progress)
    else:  # one Ray task; a Stop stops it there and keeps its best roster
        progress.now("solving on the Ray cluster")
        task = SolveTask("solve", problem, (), seconds, 0, workers)
        roster = solve_on_ray(address, task, stopper.stopped)
    progress.flush()
    stopped = stopper.stopped.is_set()
    if stopped and roster.solver.status.value not in KEPT_STATUSES:
        return  # stopped before any roster was found: nothing to keep
    progress.now("writing the files")
    out = store.job_dir(job_id) / OUT
    files = write_outputs(problem, roster, out)
    _zip_invitations(files.get("invitations", out / INVITATIONS), out.parent / INVITATIONS_ZIP)
    summary = roster_summary(problem, roster) | {"stopped": stopped}
    line = f"done: {summary['solver_status']}"
    if not store.finish(job_id, DONE, summary=summary, progress=line, only_from=(RUNNING,)):
        store.keep_stopped(job_id, summary, line)  # a Stop: the best roster is kept


def _whatif(store: Store, job_id: str, params: dict[str, Any], progress: _Progress) -> None:
    from camp_planner.io.folder import load_folder_with_notes
    from camp_planner.io.roster_file import RosterFileError, read_roster
    from camp_planner.outputs.roster_files import ROSTER_JSON
    from camp_planner.outputs.whatif_files import write_whatif
    from camp_planner.whatif import (
        Scenario,
        ScenarioResult,
        run_scenarios,
        venue_range_scenarios,
        with_baseline,
    )

    job = store.job(job_id)
    assert job is not None
    progress.now("reading the plan")
    problem, _ = load_folder_with_notes(store.plan_dir(job.plan_id))
    venues = params.get("venues")
    if venues:
        scenarios = venue_range_scenarios(str(venues), len(problem.venues))
    else:
        scenarios = with_baseline([Scenario.model_validate(s) for s in params["scenarios"]])
    reuse = []
    solved = store.latest_done(job.plan_id, "solve")
    if solved is not None:
        with contextlib.suppress(RosterFileError):
            reuse.append((problem, read_roster(store.job_dir(solved.job_id) / OUT / ROSTER_JSON)))

    def start(index: int, count: int, scenario: Scenario) -> None:
        progress.prefix = f"scenario {index + 1}/{count} ({scenario.name}): "
        progress.now("solving")

    def done(index: int, count: int, result: ScenarioResult) -> None:
        progress.flush()

    address = ray_address()
    executor = None if address is None else connect(address)
    _SWEEP["executor"] = executor
    whatif = run_scenarios(
        problem,
        scenarios,
        time_limit=float(params["time_limit"]),
        seed=0,
        workers=int(params.get("workers", 2)),
        reuse=reuse,
        progress=progress,
        on_start=None if executor else start,
        on_done=done,
        executor=executor,
        on_counts=Tally(lambda counts: progress.now(counts_text(counts))),
    )
    progress.prefix = ""
    progress.now("writing the files")
    out = store.job_dir(job_id) / OUT
    write_whatif(whatif, out, by_venues=bool(venues), maps=True)
    table = whatif.table()
    (out.parent / COMPARISON_JSON).write_text(table.to_json(orient="split", index=False))
    summary = {
        "kind": "whatif",
        "round": problem.round.name,
        "by_venues": bool(venues),
        "scenarios": [
            {
                "name": r.scenario.name,
                "slug": r.slug,
                "changes": r.scenario.changes(),
                "solver_status": r.roster.solver.status.value,
                "placed": r.roster.summary.placed,
                "unplaced": r.roster.summary.unplaced,
                "cohorts": len(r.roster.cohorts),
                "travel_km_total": round(r.roster.summary.travel_km_total, 1),
            }
            for r in whatif.results
        ],
    }
    store.finish(job_id, DONE, summary=summary, progress=f"done: {len(whatif.results)} scenarios")


def run_job(
    data_dir: str, job_id: str, ray: str | None = None, env: dict[str, str] | None = None
) -> None:
    """Run one job to its end (the worker process's target).

    The job runs in a thread; this (main) thread waits for it, so that SIGTERM (the server
    stopping) is handled at once: a solve then stops and keeps its best roster. A thread
    watches the job's status: a Stop (cancelled) stops a solve the same way and ends a
    what-if at once.

    Args:
        data_dir: The data folder.
        job_id: The job, already marked running by the web process.
        ray: The Ray cluster to solve on (``serve --ray``); None solves here.
        env: Variables of the web process the job needs (a send's SMTP settings).
    """
    die_with_parent()
    if ray:
        os.environ[RAY_ENV] = ray
    else:
        os.environ.pop(RAY_ENV, None)
    if env is not None:
        from camp_planner.web.outbox_send import use_smtp_environment

        use_smtp_environment(env)
    os.umask(0o077)
    store = Store(Path(data_dir))
    job = store.job(job_id)
    if job is None or job.status != RUNNING:
        return  # stopped between its running mark and this process starting
    store.set_pid(job_id, os.getpid(), process_start(os.getpid()))
    stopper = Stopper()
    stopper.install()
    ended = threading.Event()

    def stop(*_: Any) -> None:
        if job.kind not in KEEPS_BEST:
            sweep = _SWEEP.get("executor")
            if sweep is not None:  # on Ray: its tasks are cancelled first
                sweep.cancel()
                ended.wait(_CANCEL_WAIT)
            os._exit(0)  # a what-if keeps nothing: end at once
        stopper.stop()

    signal.signal(signal.SIGTERM, stop)
    watcher = threading.Thread(target=_watch, args=(store, job_id, stop, ended), daemon=True)
    watcher.start()
    worker = threading.Thread(target=_run, args=(store, job, stopper, ended), daemon=True)
    worker.start()
    while not ended.wait(0.2):
        pass
    store.set_pid(job_id, None)


def _watch(store: Store, job_id: str, stop: Any, ended: threading.Event) -> None:
    """Calls `stop` once the job is no longer running (a Stop)."""
    while not ended.wait(_EVERY):
        job = store.job(job_id)
        if job is None or job.status != RUNNING:
            stop()
            return


def _run(store: Store, job: Job, stopper: Stopper, ended: threading.Event) -> None:
    progress = _Progress(store, job.job_id)
    try:
        if job.kind == "solve":
            _solve(store, job.job_id, job.params, progress, stopper)
        elif job.kind == "whatif":
            _whatif(store, job.job_id, job.params, progress)
        elif job.kind == "replan":
            from camp_planner.web.publish import run_replan_job

            run_replan_job(store, job, progress)
        elif job.kind == "remedies":
            from camp_planner.web.remedies import run_remedies_job

            run_remedies_job(store, job, progress)
        elif job.kind == "programme":
            from camp_planner.web.programme import run_programme_job

            run_programme_job(store, job, progress, stopper)
        elif job.kind == "send":
            from camp_planner.web.outbox_send import run_send_job

            run_send_job(store, job, progress)
        elif job.kind == "fit":
            from camp_planner.web.publish import run_fit_job

            run_fit_job(store, job, progress)
        else:
            store.finish(job.job_id, FAILED, error=f"unknown job kind {job.kind!r}")
    except SweepCancelled:
        pass  # a Stop or the server stopping: the job is already marked
    except Exception as exc:  # noqa: BLE001 - the job fails with a sentence, never a traceback
        store.finish(job.job_id, FAILED, error=_failure(exc, store.root))
    finally:
        progress.close()
        ended.set()


def _failure(exc: Exception, root: Path) -> str:
    """Why a job failed, in a sentence without a server path."""
    from camp_planner.io.errors import InputError
    from camp_planner.whatif import ScenarioError

    if isinstance(exc, InputError):
        text = "The plan's files can no longer be read: " + "; ".join(
            str(p) for p in exc.problems[:5]
        )
    elif isinstance(exc, ScenarioError):
        text = "; ".join(exc.problems)
    elif isinstance(exc, OSError):  # its message names the file: only the reason is shown
        reason = exc.strerror or type(exc).__name__
        text = f"{INTERNAL}(the files could not be written: {reason})."
    else:
        text = f"{INTERNAL}({type(exc).__name__}: {exc})."
    return text.replace(str(root), "…")
