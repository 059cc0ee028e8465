"""Soak test of the web app (issue 24): a real `camp-planner serve` on 127.0.0.1 takes
UPLOADS uploads and SOLVES solves, some stopped at random moments, within a bounded time;
then the server is killed (SIGKILL) and its worker processes must be gone.

Reports: jobs lost (queued or running at the end, or failed), cancels lost (a Stop
answered "cancelled" whose job ended otherwise), the server's resident memory after the
warm-up and at the end, the most it reached, and the processes left after the kill.
Only loopback addresses, bounded loops. Run: ``python benchmarks/web_soak.py``
(``--uploads 200 --solves 50 --seed 1``). Exit code 1 when a check fails.
"""

from __future__ import annotations

import argparse
import json
import random
import signal
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.helpers.whatif_folder import write_small_folder  # noqa: E402
from tests.web.live import Live, alive, children_of, start  # noqa: E402

from camp_planner.demo.generator import packaged_demo  # noqa: E402

#: Server memory may grow by at most this much from the warm-up (every kind of request
#: once) to the end, MB.
MEMORY_BOUND_MB = 10
FINISHED = ("done", "failed", "cancelled")
DEMO_FILES = ("companies.csv", "venues.csv", "round.toml")


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def soak(uploads: int, solves: int, seed: int, budget: float) -> dict[str, object]:
    rng = random.Random(seed)
    folder = write_small_folder(Path(tempfile.mkdtemp()) / "small")
    files = {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()}
    server = start(Path(tempfile.mkdtemp()) / "data", "--jobs", "1")
    pid = server.process.pid
    peak = [0.0]
    stop = threading.Event()

    def watch() -> None:
        while not stop.wait(0.2):
            peak[0] = max(peak[0], rss_mb(pid))

    threading.Thread(target=watch, daemon=True).start()
    started = time.monotonic()
    # warm-up: every kind of request once (the first solve imports the solver's checks)
    plans = [server.upload(files).json()["plan_id"] for _ in range(10)]
    first = server.post_json(f"/api/plans/{plans[0]}/solve", {"time_limit": 3}).json()
    _wait(server, first["job_id"], time.monotonic() + 60)
    for url in (f"/plans/{plans[0]}", f"/plans/{plans[0]}/roster", f"/jobs/{first['job_id']}"):
        server.get(url)
    warm = rss_mb(pid)
    samples = [round(warm, 1)]

    def one_upload(_: int) -> int:
        return server.upload(files).status

    statuses: list[int] = []
    with ThreadPoolExecutor(4) as pool:
        for block in range(0, uploads - 10, 50):
            count = min(50, uploads - 10 - block)
            statuses.extend(pool.map(one_upload, range(count)))
            samples.append(round(rss_mb(pid), 1))
    jobs: list[tuple[str, str | None]] = []
    for _ in range(solves):
        plan = rng.choice(plans)
        job = server.post_json(f"/api/plans/{plan}/solve", {"time_limit": 3}).json()["job_id"]
        said = None
        if rng.random() < 0.5:
            time.sleep(rng.choice([0, 0, 0.01, 0.05, 0.2, 0.5, 1.0]))
            said = server.request("DELETE", f"/api/jobs/{job}").json()["status"]
        jobs.append((job, said))
        if time.monotonic() - started > budget:
            break
        if len(jobs) % 10 == 0:
            samples.append(round(rss_mb(pid), 1))
    ends = {job: _wait(server, job, started + budget + 120) for job, _ in jobs}
    elapsed = time.monotonic() - started
    end = rss_mb(pid)
    stop.set()
    # the kill comes while a worker solves (the demo round, 60 s)
    demo = {n: t.encode() for n, t in packaged_demo().items() if n in DEMO_FILES}
    last = server.upload(demo).json()["plan_id"]
    running = server.post_json(f"/api/plans/{last}/solve", {"time_limit": 60}).json()["job_id"]
    _wait_running(server, running)
    family = children_of(pid)
    server.process.send_signal(signal.SIGKILL)
    server.process.wait()
    deadline = time.monotonic() + 15
    while any(alive(p) for p in family) and time.monotonic() < deadline:
        time.sleep(0.2)
    left = [p for p in family if alive(p)]
    return {
        "uploads": 10 + len(statuses),
        "uploads_not_201": sum(1 for s in statuses if s != 201),
        "solves": len(jobs),
        "stops": sum(1 for _, said in jobs if said),
        "ends": {s: sum(1 for e in ends.values() if e == s) for s in (*FINISHED, "lost")},
        "cancels_lost": sum(1 for job, said in jobs if said == "cancelled" and ends[job] != said),
        "seconds": round(elapsed, 1),
        "rss_warm_mb": round(warm, 1),
        "rss_end_mb": round(end, 1),
        "rss_peak_mb": round(peak[0], 1),
        "rss_samples_mb": samples,
        "processes_before_kill": len(family),
        "processes_left_after_kill": len(left),
    }


def _wait_running(server: Live, job: str) -> None:
    deadline = time.monotonic() + 60
    while server.get(f"/api/jobs/{job}").json()["status"] != "running":
        if time.monotonic() > deadline:
            raise AssertionError("the last solve never started")
        time.sleep(0.2)
    time.sleep(1.0)


def _wait(server: Live, job: str, until: float) -> str:
    while time.monotonic() < until:
        status = str(server.get(f"/api/jobs/{job}").json()["status"])
        if status in FINISHED:
            return status
        time.sleep(0.2)
    return "lost"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--uploads", type=int, default=200)
    parser.add_argument("--solves", type=int, default=50)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--budget", type=float, default=120.0, help="seconds for the load")
    args = parser.parse_args()
    result = soak(args.uploads, args.solves, args.seed, args.budget)
    print(json.dumps(result, indent=2))
    ends = result["ends"]
    assert isinstance(ends, dict)
    grew = float(str(result["rss_end_mb"])) - float(str(result["rss_warm_mb"]))
    ok = (
        ends["lost"] == 0 and ends["failed"] == 0 and result["cancels_lost"] == 0
        and result["uploads_not_201"] == 0 and grew <= MEMORY_BOUND_MB
        and result["processes_left_after_kill"] == 0
    )  # fmt: skip
    print(f"memory grew {grew:.1f} MB (bound {MEMORY_BOUND_MB} MB); {'OK' if ok else 'FAILED'}")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
