"""Shared by the web app's tests: an app on a fresh data folder, planning files to upload,
waiting for jobs."""

from __future__ import annotations

import io
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from openpyxl import Workbook

from camp_planner.demo.generator import packaged_demo
from camp_planner.web.app import create_app
from tests.helpers.whatif_folder import write_small_folder

BAD_FOLDER = Path(__file__).parents[1] / "data" / "bad_folder"
FINISHED = ("done", "failed", "cancelled")


@pytest.fixture(scope="session")
def small_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """A planning folder that solves to proven optimality in about a second."""
    folder = write_small_folder(tmp_path_factory.mktemp("small"))
    return {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()}


@pytest.fixture(scope="session")
def demo_files() -> dict[str, bytes]:
    files = packaged_demo()
    return {n: files[n].encode("utf-8") for n in ("companies.csv", "venues.csv", "round.toml")}


def workbook_from_csv(companies: bytes, venues: bytes) -> bytes:
    """plan.xlsx with sheets companies and venues, every cell as text."""
    book = Workbook()
    book.remove(book.active)
    for sheet, data in (("companies", companies), ("venues", venues)):
        ws = book.create_sheet(sheet)
        for line in data.decode("utf-8").splitlines():
            ws.append(line.split(","))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def multipart(files: dict[str, bytes]) -> list[tuple[str, tuple[str, bytes, str]]]:
    """The API's multipart parts: field name = file name."""
    return [(name, (name, data, "application/octet-stream")) for name, data in files.items()]


@pytest.fixture
def make_client(tmp_path: Path) -> Iterator[Any]:
    """Start apps on the test's data folder (each stopped at the end)."""
    stack: list[TestClient] = []

    def make(**options: Any) -> TestClient:
        options.setdefault("max_jobs", 1)
        client = TestClient(create_app(tmp_path / "data", **options))
        client.__enter__()
        stack.append(client)
        return client

    yield make
    for client in reversed(stack):
        client.__exit__(None, None, None)


@pytest.fixture
def client(make_client: Any) -> TestClient:
    return make_client()


@pytest.fixture(scope="session")
def solved(
    tmp_path_factory: pytest.TempPathFactory, small_files: dict[str, bytes]
) -> Iterator[tuple[TestClient, str, str]]:
    """One app with the small plan solved once, for the tests that only read:
    (client, plan_id, job_id)."""
    client = TestClient(create_app(tmp_path_factory.mktemp("solved") / "data", max_jobs=1))
    with client:
        plan_id = upload(client, small_files)
        answer = client.post(f"/api/plans/{plan_id}/solve", json={"time_limit": 20})
        job_id = answer.json()["job_id"]
        assert wait_for(client, job_id)["status"] == "done"
        yield client, plan_id, job_id


def wait_for(client: TestClient, job_id: str, statuses: tuple[str, ...] = FINISHED,
             timeout: float = 60.0) -> dict[str, Any]:  # fmt: skip
    """Poll GET /api/jobs/{job_id} until its status is one of `statuses`."""
    deadline = time.monotonic() + timeout
    while True:
        answer = client.get(f"/api/jobs/{job_id}").json()
        if answer["status"] in statuses:
            return answer
        if time.monotonic() > deadline:
            raise AssertionError(f"job {job_id} still {answer['status']}: {answer}")
        time.sleep(0.2)


def upload(client: TestClient, files: dict[str, bytes]) -> str:
    answer = client.post("/api/plans", files=multipart(files))
    assert answer.status_code == 201, answer.text
    return str(answer.json()["plan_id"])


def with_facilitator_days(files: dict[str, bytes]) -> dict[str, bytes]:
    """The small plan's files with the facilitator away on 15 February and 1 March 2027
    (written out of order in round.toml)."""
    toml = files["round.toml"].decode()
    assert "facilitator_unavailable = []" in toml
    days = "facilitator_unavailable = [2027-03-01, 2027-02-15]"
    return {**files, "round.toml": toml.replace("facilitator_unavailable = []", days).encode()}
