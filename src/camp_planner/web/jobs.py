"""The job queue: solves and what-ifs run in worker processes, never in the web process.

At most ``max_parallel`` jobs run at once (by default one per two cores); the others wait,
queued, in the SQLite store. A dispatcher thread starts the oldest queued job when a slot
is free, and notices a worker that ended without finishing its job (a crash): that job is
marked failed with a sentence. Stop is one compare-and-set in the database; the worker
sees it (before it starts and while it runs), a solve keeps the best roster it found. When
the server stops, running jobs are ended and marked failed; a job found running when the
server starts (the server was killed) is marked failed too, its worker (if it still runs)
is killed, and queued jobs are started as usual. Workers die with their server (Linux's
parent-death signal) and never run longer than :func:`job_budget`.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import threading
import time
from multiprocessing.process import BaseProcess
from typing import Any

from camp_planner.web.ray_jobs import ray_address
from camp_planner.web.stopping import end_orphan
from camp_planner.web.store import ACTIVE, CANCELLED, FAILED, RUNNING, Job, Store
from camp_planner.web.worker import run_job

__all__ = ["JobManager", "default_parallel"]

#: Sentences of jobs that ended without finishing (the API's words; pages translate them).
RESTARTED = "The server was restarted while this job was running; start it again."
STOPPED = "The server was stopped while this job was running; start it again."
CRASHED = "The worker process ended unexpectedly (exit code {code}); start the job again."
CANCELLED_TEXT = "Stopped by the user."
OVERRUN = "The job took far longer than its time limit and was ended; start it again."
#: Seconds a stopped solve may take to write the best roster it found.
STOP_GRACE = 60.0
#: Seconds a worker may live on after its job finished.
FINISH_GRACE = 10.0


def job_budget(job: Job) -> float:
    """The most seconds a running job may take before it is ended: its time limit (per
    scenario and solve for a what-if) with room for reading and writing. The worker itself
    keeps within the time limit (the solver gets what is left after reading, less an
    estimate of the writing); this bound only ends a job that does not."""
    limit = float(job.params.get("time_limit", 60.0))
    if job.kind != "whatif":
        return limit + max(30.0, 0.5 * limit)
    solves = 2 * scenario_count(job.params)
    return solves * limit * 1.5 + 30.0


def scenario_count(params: dict[str, Any]) -> int:
    """How many scenarios a what-if request asks for (the baseline included)."""
    scenarios = params.get("scenarios")
    if isinstance(scenarios, list):
        return len(scenarios) + 1
    low, _, high = str(params.get("venues", "")).partition("-")
    if low.strip().isdigit() and high.strip().isdigit():
        return max(1, int(high) - int(low) + 1)
    return 1


def _overdue(job: Job, now: float) -> bool:
    return job.status == RUNNING and job.started is not None and now > job.started + job_budget(job)


def _past_grace(job: Job, now: float) -> bool:
    """A worker whose job is no longer running and that should have ended by now."""
    if job.status in ACTIVE:
        return False
    keeps = job.kind in ("solve", "programme")  # a Stop keeps the best found
    grace = STOP_GRACE if job.status == CANCELLED and keeps else FINISH_GRACE
    if job.status == CANCELLED and not keeps:
        grace = 0.0
    return now > (job.finished or now) + grace


def default_parallel() -> int:
    """One job per two cores, at least one."""
    return max(1, (os.cpu_count() or 2) // 2)


class JobManager:
    """Starts queued jobs in worker processes and watches them.

    Args:
        store: The data folder.
        max_parallel: Jobs running at once.
        poll: Seconds between the dispatcher's looks at the queue (it is also woken up when
            a job is queued or cancelled).
    """

    def __init__(self, store: Store, max_parallel: int | None = None, poll: float = 0.25) -> None:
        self.store = store
        self.max_parallel = max(1, max_parallel or default_parallel())
        self.poll = poll
        self._context = _context()
        #: the Ray cluster the workers send their solves to (``serve --ray``), or None
        self.ray = ray_address()
        self._running: dict[str, BaseProcess] = {}
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    # -- life ---------------------------------------------------------------------------------

    def start(self) -> None:
        """Mark jobs left running by an earlier server failed, then start dispatching."""
        for job_id, pid, started in self.store.workers():
            end_orphan(pid, started)  # a worker of a server that was killed
            self.store.set_pid(job_id, None)
        for job in self.store.jobs(status=(RUNNING,), limit=10_000):
            self.store.finish(job.job_id, FAILED, error=RESTARTED, only_from=(RUNNING,))
        self._stop.clear()
        self._thread = threading.Thread(target=self._loop, name="camp-jobs", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """End running jobs (marked failed), stop dispatching; queued jobs stay queued."""
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout=10)
        with self._lock:
            running = dict(self._running)
            self._running.clear()
        for job_id, process in running.items():
            _end(process)
            self.store.finish(job_id, FAILED, error=STOPPED, only_from=(RUNNING,))

    # -- requests -----------------------------------------------------------------------------

    def submit(self, plan_id: str, kind: str, params: dict[str, Any]) -> Job:
        """Queue a job; it starts when a slot is free."""
        job = self.store.add_job(plan_id, kind, params)
        self._wake.set()
        return job

    def cancel(self, job_id: str) -> Job | None:
        """Stop a job: one compare-and-set in the database (queued or running ->
        cancelled), so a Stop is never lost. A queued job never starts (the worker checks
        its status first); a running solve stops its search and keeps the best roster it
        found (the dispatcher ends it if it takes longer than :data:`STOP_GRACE`); a
        running what-if ends at once.

        Returns:
            The job as it is now (None for an unknown id); a job that had already
            finished keeps its status.
        """
        if self.store.job(job_id) is None:
            return None
        self.store.cancel(job_id, CANCELLED_TEXT)
        self._wake.set()
        return self.store.job(job_id)

    def end_plan_jobs(self, plan_id: str) -> None:
        """Cancel a plan's queued and running jobs and end their workers now (before the
        plan is deleted: nothing may write into its folders afterwards)."""
        for job in self.store.jobs(plan_id, status=ACTIVE, limit=10_000):
            self.store.cancel(job.job_id, CANCELLED_TEXT)
        with self._lock:
            ending = [
                (job_id, self._running.pop(job_id))
                for job_id in list(self._running)
                if (found := self.store.job(job_id)) is not None and found.plan_id == plan_id
            ]
        for job_id, process in ending:
            _end(process)
            self.store.set_pid(job_id, None)

    def running(self) -> list[str]:
        """Ids of the jobs whose worker is alive."""
        with self._lock:
            return [job_id for job_id, p in self._running.items() if p.is_alive()]

    # -- the dispatcher -----------------------------------------------------------------------

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                self._reap()
                self._dispatch()
            except Exception:  # noqa: BLE001 - keep dispatching; the next look retries
                pass
            self._wake.wait(self.poll)
            self._wake.clear()

    def _reap(self) -> None:
        with self._lock:
            watched = dict(self._running)
        now = time.time()
        for job_id, process in watched.items():
            job = self.store.job(job_id)
            if process.is_alive() and job is not None and _overdue(job, now):
                self.store.finish(job_id, FAILED, error=OVERRUN, only_from=(RUNNING,))
                _end(process)
            elif process.is_alive() and (job is None or _past_grace(job, now)):
                _end(process)
        with self._lock:
            ended = {j: p for j, p in self._running.items() if not p.is_alive()}
            for job_id in ended:
                del self._running[job_id]
        for job_id, process in ended.items():
            process.join(timeout=1)
            code = process.exitcode
            self.store.finish(job_id, FAILED, error=CRASHED.format(code=code), only_from=ACTIVE)
            self.store.set_pid(job_id, None)
            with contextlib.suppress(ValueError):
                process.close()

    def _dispatch(self) -> None:
        while not self._stop.is_set():
            with self._lock:
                if len(self._running) >= self.max_parallel:
                    return
            job = self.store.oldest_queued()
            if job is None or not self.store.set_running(job.job_id):
                return
            env = _job_env(job)
            process = self._context.Process(
                target=run_job,
                args=(str(self.store.root), job.job_id, self.ray, env),
                name=f"camp-job-{job.job_id}",
                daemon=True,
            )
            try:
                process.start()
            except Exception as exc:  # noqa: BLE001 - the job fails, the server goes on
                self.store.finish(
                    job.job_id, FAILED, error=f"Could not start a worker process ({exc})."
                )
                continue
            with self._lock:
                self._running[job.job_id] = process


def _job_env(job: Job) -> dict[str, str] | None:
    """The web process's variables a job's worker needs: a send's SMTP settings (passed to
    the worker, never stored; the fork server's environment may be older)."""
    if job.kind != "send":
        return None
    from camp_planner.web.outbox_send import smtp_environment

    return smtp_environment()


#: Imported once by the fork server, so that a worker starts in a moment.
_PRELOAD = [
    "camp_planner.web.worker",
    "camp_planner.web.parsing",
    "camp_planner.io.folder",
    "camp_planner.scheduler",
    "camp_planner.outputs.roster_files",
]


def _context() -> Any:
    """Worker processes come from a fork server (a clean process with the solver imported,
    never a fork of the threaded web process); ``spawn`` where there is none."""
    if "forkserver" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(_PRELOAD)
        return context
    return multiprocessing.get_context("spawn")  # pragma: no cover - not on Linux


def _end(process: BaseProcess) -> None:
    """Terminate a worker process and wait for it (kill it if it will not go)."""
    if process.is_alive():
        process.terminate()
        process.join(timeout=5)
        if process.is_alive():
            process.kill()
            process.join(timeout=5)
