"""The job queue: solves and what-ifs run in worker processes, never in the web process.

At most ``max_parallel`` jobs run at once (by default one per two cores); the others wait,
queued, in the SQLite store. A dispatcher thread starts the oldest queued job when a slot
is free, and notices a worker that ended without finishing its job (a crash): that job is
marked failed with a sentence. Stop terminates the worker process. When the server stops,
running jobs are ended and marked failed; a job found running when the server starts (the
server was killed) is marked failed too, and queued jobs are started as usual.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import threading
from multiprocessing.process import BaseProcess
from typing import Any

from camp_planner.web.store import ACTIVE, CANCELLED, FAILED, QUEUED, RUNNING, Job, Store
from camp_planner.web.worker import run_job

__all__ = ["JobManager", "default_parallel"]

#: Sentences of jobs that ended without finishing (the API's words; pages translate them).
RESTARTED = "The server was restarted while this job was running; start it again."
STOPPED = "The server was stopped while this job was running; start it again."
CRASHED = "The worker process ended unexpectedly (exit code {code}); start the job again."
CANCELLED_TEXT = "Stopped by the user."


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
        self._running: dict[str, BaseProcess] = {}
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    # -- life ---------------------------------------------------------------------------------

    def start(self) -> None:
        """Mark jobs left running by an earlier server failed, then start dispatching."""
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
        """Stop a job: a queued one never starts, a running one's process is terminated.

        Returns:
            The job as it is now (None for an unknown id); a job that had already
            finished keeps its status.
        """
        job = self.store.job(job_id)
        if job is None:
            return None
        if job.status == QUEUED:
            self.store.finish(job_id, CANCELLED, error=CANCELLED_TEXT, only_from=(QUEUED,))
        with self._lock:
            process = self._running.pop(job_id, None)
        if process is not None:
            # Mark first, so the worker's own last write (done) cannot win after a Stop.
            self.store.finish(job_id, CANCELLED, error=CANCELLED_TEXT, only_from=(RUNNING,))
            _end(process)
        elif job.status == RUNNING:  # its worker is about to start, or is another server's
            self.store.finish(job_id, CANCELLED, error=CANCELLED_TEXT, only_from=(RUNNING,))
        self._wake.set()
        return self.store.job(job_id)

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
        for job_id, process in watched.items():
            job = self.store.job(job_id)
            if process.is_alive() and (job is None or job.status != RUNNING):
                _end(process)  # stopped while its worker was starting
        with self._lock:
            ended = {j: p for j, p in self._running.items() if not p.is_alive()}
            for job_id in ended:
                del self._running[job_id]
        for job_id, process in ended.items():
            process.join(timeout=1)
            code = process.exitcode
            self.store.finish(job_id, FAILED, error=CRASHED.format(code=code), only_from=ACTIVE)
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
            process = self._context.Process(
                target=run_job,
                args=(str(self.store.root), job.job_id),
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


#: Imported once by the fork server, so that a worker starts in a moment.
_PRELOAD = [
    "camp_planner.web.worker",
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
