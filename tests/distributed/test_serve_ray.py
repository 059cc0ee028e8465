"""``serve --ray ADDRESS``: the web app's solve and what-if jobs run on a Ray cluster (here
a local Ray runtime of 2 CPUs started by the test, joined by its address): the same results
as in the server's own worker processes, the counts of solves as the job's progress, a Stop
of a solve keeps the best roster found there, a Stop of a what-if leaves no task running.

Skipped where Ray is not installed (``pip install 'camp-planner[ray]'``)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ray = pytest.importorskip(
    "ray", reason="Ray is not installed (the optional extra: pip install 'camp-planner[ray]')"
)

from fastapi.testclient import TestClient  # noqa: E402
from typer.testing import CliRunner  # noqa: E402

from camp_planner.cli import app  # noqa: E402
from camp_planner.web.app import create_app  # noqa: E402
from camp_planner.web.ray_jobs import RAY_ENV  # noqa: E402
from tests.web.conftest import upload, wait_for  # noqa: E402


@pytest.fixture(scope="module")
def address() -> Iterator[str]:
    ray.init(
        num_cpus=2,
        object_store_memory=200 * 1024 * 1024,
        include_dashboard=False,
        log_to_driver=False,
        configure_logging=False,
    )
    yield str(ray.get_runtime_context().gcs_address)
    ray.shutdown()


def _client(data: Path, ray_address: str | None, monkeypatch: pytest.MonkeyPatch) -> TestClient:
    if ray_address:
        monkeypatch.setenv(RAY_ENV, ray_address)
    else:
        monkeypatch.delenv(RAY_ENV, raising=False)
    return TestClient(create_app(data, max_jobs=2))


def _cpus_free(total: float = 2, timeout: float = 30) -> bool:
    deadline = time.time() + timeout
    while time.time() < deadline:
        if ray.available_resources().get("CPU", 0) >= total:
            return True
        time.sleep(0.2)
    return False


def _tripled(files: dict[str, bytes]) -> dict[str, bytes]:
    """The planning files with every company three times (new ids): a round whose solve
    is not proven within seconds."""
    lines = files["companies.csv"].decode("utf-8").splitlines()
    rows = [lines[0]] + [f"{line.split(',', 1)[0]}{copy}," + line.split(",", 1)[1]
                         for copy in ("", "1", "2") for line in lines[1:]]  # fmt: skip
    return files | {"companies.csv": ("\n".join(rows) + "\n").encode("utf-8")}


def _whatif(client: TestClient, files: dict[str, bytes]) -> dict[str, Any]:
    plan_id = upload(client, files)
    # a limit far above a quiet machine's need: both sides must prove every scenario
    answer = client.post(f"/api/plans/{plan_id}/whatif", json={"venues": "5-6", "time_limit": 120})
    assert answer.status_code == 202, answer.text
    return wait_for(client, answer.json()["job_id"], timeout=300)


def test_whatif_jobs_on_ray_give_the_local_results(
    address: str, small_files: dict[str, bytes], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with _client(tmp_path / "here", None, monkeypatch) as client:
        here = _whatif(client, small_files)
    with _client(tmp_path / "ray", address, monkeypatch) as client:
        on_ray = _whatif(client, small_files)
    assert here["status"] == on_ray["status"] == "done", on_ray
    assert on_ray["summary"]["scenarios"] == here["summary"]["scenarios"]
    assert all(s["solver_status"] == "OPTIMAL" for s in here["summary"]["scenarios"])
    assert _cpus_free()


def test_a_solve_job_on_ray_and_its_stop(
    address: str,
    small_files: dict[str, bytes],
    demo_files: dict[str, bytes],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with _client(tmp_path / "data", address, monkeypatch) as client:
        plan_id = upload(client, small_files)
        job = client.post(f"/api/plans/{plan_id}/solve", json={"time_limit": 20}).json()
        done = wait_for(client, job["job_id"], timeout=120)
        assert done["status"] == "done", done
        assert done["summary"]["solver_status"] == "OPTIMAL"
        assert client.get(f"/api/plans/{plan_id}/roster.json").status_code == 200
        # a long solve (the demo's companies three times), stopped: the best roster found
        # on the cluster is kept
        demo = upload(client, _tripled(demo_files))
        job = client.post(f"/api/plans/{demo}/solve", json={"time_limit": 300}).json()
        deadline = time.time() + 60
        while time.time() < deadline and ray.available_resources().get("CPU", 0) >= 2:
            time.sleep(0.2)  # until its task runs on the cluster
        time.sleep(3)  # some roster found, none proven yet
        assert client.delete(f"/api/jobs/{job['job_id']}").status_code == 200
        deadline = time.time() + 60
        while True:  # the best roster comes back from the cluster and is kept
            stopped = client.get(f"/api/jobs/{job['job_id']}").json()
            if stopped["summary"].get("kept") or time.time() > deadline:
                break
            time.sleep(0.2)
        assert stopped["status"] == "cancelled", stopped
        assert stopped["summary"]["kept"] and stopped["summary"]["stopped"] is True
        assert stopped["summary"]["solver_status"] in ("FEASIBLE", "OPTIMAL")
        assert stopped["summary"]["placed"] > 0
    assert _cpus_free()


def test_a_stopped_whatif_job_leaves_no_task_running(
    address: str, demo_files: dict[str, bytes], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with _client(tmp_path / "data", address, monkeypatch) as client:
        plan_id = upload(client, demo_files)
        url = f"/api/plans/{plan_id}/whatif"
        job = client.post(url, json={"venues": "3-8", "time_limit": 300}).json()
        deadline = time.time() + 120
        while time.time() < deadline and ray.available_resources().get("CPU", 0) >= 2:
            time.sleep(0.2)
        assert ray.available_resources().get("CPU", 0) < 2  # its tasks run on the cluster
        progress = wait_for(client, job["job_id"], ("running",))["progress"]
        assert "finished" in progress and "running" in progress and "queued" in progress
        assert client.delete(f"/api/jobs/{job['job_id']}").status_code == 200
        assert wait_for(client, job["job_id"], timeout=60)["status"] == "cancelled"
        assert _cpus_free()  # no task holds a CPU: none runs


def test_serve_refuses_a_bad_ray_option(tmp_path: Path) -> None:
    for value in ("auto", " "):
        result = CliRunner().invoke(app, ["serve", "--data", str(tmp_path), "--ray", value])
        assert result.exit_code == 2
        assert "serve --ray needs a Ray cluster's address" in " ".join(result.output.split())
