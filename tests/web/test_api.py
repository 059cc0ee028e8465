"""The JSON API (docs/web.md): upload, problems, solve, poll, download, cancel, restart."""

from __future__ import annotations

import io
import json
import time
import zipfile
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from camp_planner.web.jobs import RESTARTED, STOPPED
from camp_planner.web.store import Store
from tests.web.conftest import BAD_FOLDER, multipart, upload, wait_for, workbook_from_csv

#: The ten mistakes of tests/data/bad_folder (see its README.md): file, row, column.
TEN_MISTAKES = {
    ("companies.csv", 3, "level"),
    ("companies.csv", 4, "company_id"),
    ("companies.csv", 5, "founded"),
    ("companies.csv", 6, "lat"),
    ("companies.csv", 7, "town"),
    ("companies.csv", 8, "participants"),
    ("companies.csv", 9, "completed"),
    ("companies.csv", 10, "priority"),
    ("venues.csv", 3, "status"),
    ("round.toml", 6, "cohort_max"),
}
ROSTER_FILES = ("roster.json", "roster.xlsx", "participants.csv", "map.html", "invitations.zip")


def test_health(client: TestClient) -> None:
    answer = client.get("/api/health")
    assert answer.status_code == 200 and answer.json() == {"status": "ok"}


def test_upload_three_files(client: TestClient, small_files: dict[str, bytes]) -> None:
    answer = client.post("/api/plans", files=multipart(small_files))
    assert answer.status_code == 201
    assert set(answer.json()) == {"plan_id"}
    plan = client.get(f"/api/plans/{answer.json()['plan_id']}").json()
    assert plan["companies"] == 51 and plan["venues"] == 7 and plan["refused"] == []


def test_upload_workbook_and_round(client: TestClient, small_files: dict[str, bytes]) -> None:
    files = {
        "plan.xlsx": workbook_from_csv(small_files["companies.csv"], small_files["venues.csv"]),
        "round.toml": small_files["round.toml"],
    }
    plan_id = upload(client, files)
    assert client.get(f"/api/plans/{plan_id}").json()["companies"] == 51


def test_bad_upload_lists_every_problem(client: TestClient) -> None:
    files = {p.name: p.read_bytes() for p in BAD_FOLDER.iterdir() if p.suffix != ".md"}
    answer = client.post("/api/plans", files=multipart(files))
    assert answer.status_code == 422
    problems = answer.json()["problems"]
    assert {(p["file"], p["row"], p["column"]) for p in problems} == TEN_MISTAKES
    for problem in problems:
        assert set(problem) == {"file", "row", "column", "value", "expected"}
        assert problem["expected"]
    level = next(p for p in problems if p["column"] == "level")
    assert level["value"] == "D"
    assert not any((Path(client.app.state.store.root) / "plans").iterdir())  # nothing kept


def test_missing_round_toml_and_unknown_part(
    client: TestClient, small_files: dict[str, bytes]
) -> None:
    files = {"companies.csv": small_files["companies.csv"], "venues.csv": small_files["venues.csv"]}
    answer = client.post("/api/plans", files=multipart(files))
    assert answer.status_code == 422
    assert any(p["file"] == "round.toml" for p in answer.json()["problems"])
    parts = multipart(small_files) + [("notes.docx", ("notes.docx", b"x", "text/plain"))]
    answer = client.post("/api/plans", files=parts)
    assert answer.status_code == 201  # used what it could, and says what it did not use
    plan = client.get(f"/api/plans/{answer.json()['plan_id']}").json()
    assert plan["not_used"] == ["notes.docx"]
    parts = multipart(files) + [("files", ("README.md", b"x", "text/plain"))]
    answer = client.post("/api/plans", files=parts)
    assert answer.status_code == 422
    assert {p["file"] for p in answer.json()["problems"]} == {"round.toml", "README.md"}


def test_upload_needs_multipart(client: TestClient) -> None:
    answer = client.post("/api/plans", json={"companies.csv": "x"})
    assert answer.status_code == 422 and answer.json()["problems"]


def test_upload_size_is_limited(make_client: Any, small_files: dict[str, bytes]) -> None:
    client = make_client(upload_limit=1000)
    answer = client.post("/api/plans", files=multipart(small_files))
    assert answer.status_code == 413
    assert "at most" in answer.json()["problems"][0]["expected"]


def test_workbook_that_is_not_a_zip_or_a_bomb(
    client: TestClient, small_files: dict[str, bytes]
) -> None:
    answer = client.post(
        "/api/plans",
        files=multipart({"plan.xlsx": b"not a workbook", "round.toml": small_files["round.toml"]}),
    )
    assert answer.status_code == 422
    assert "workbook" in answer.json()["problems"][0]["expected"]
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (210 * 1024 * 1024))
    answer = client.post(
        "/api/plans",
        files=multipart({"plan.xlsx": bomb.getvalue(), "round.toml": small_files["round.toml"]}),
    )
    assert answer.status_code == 422
    assert "200 MB" in answer.json()["problems"][0]["expected"]


def test_openpyxl_parses_with_defusedxml() -> None:
    from openpyxl.xml import DEFUSEDXML

    assert DEFUSEDXML, "install defusedxml: openpyxl then refuses XML entity attacks"


def test_no_roster_files_before_a_solve(client: TestClient, small_files: dict[str, bytes]) -> None:
    plan_id = upload(client, small_files)
    for name in ROSTER_FILES:
        assert client.get(f"/api/plans/{plan_id}/{name}").status_code == 404


def test_solve_poll_download(solved: tuple[TestClient, str, str]) -> None:
    client, plan_id, job_id = solved
    job = client.get(f"/api/jobs/{job_id}").json()
    assert set(job) == {"status", "progress", "summary"}
    assert job["status"] == "done", job
    summary = job["summary"]
    assert summary["solver_status"] == "OPTIMAL" and summary["placed"] == 48
    assert summary["unplaced"] == 3 and summary["cohorts"] == 6
    roster = client.get(f"/api/plans/{plan_id}/roster.json")
    assert roster.status_code == 200 and roster.json()["summary"]["placed"] == 48
    book = client.get(f"/api/plans/{plan_id}/roster.xlsx")
    assert book.status_code == 200
    assert "cohorts" in load_workbook(io.BytesIO(book.content)).sheetnames
    assert 'filename="roster.xlsx"' in book.headers["content-disposition"]
    csv = client.get(f"/api/plans/{plan_id}/participants.csv")
    assert csv.status_code == 200 and csv.content.startswith(b"\xef\xbb\xbf")
    page = client.get(f"/api/plans/{plan_id}/map.html")
    assert page.status_code == 200 and "<script src=" not in page.text
    assert "Leaflet 1.9.3" in page.text  # inlined: draws with no network
    invitations = zipfile.ZipFile(
        io.BytesIO(client.get(f"/api/plans/{plan_id}/invitations.zip").content)
    )
    names = invitations.namelist()
    assert "invitations/facilitator.ics" in names and len(names) == 7


def test_solve_request_checks(client: TestClient, small_files: dict[str, bytes]) -> None:
    plan_id = upload(client, small_files)
    url = f"/api/plans/{plan_id}/solve"
    assert client.post(url, data={"time_limit": "30"}).status_code == 415  # not JSON
    assert client.post(url, json={"time_limit": -1}).status_code == 422
    assert client.post(url, json={"time_limit": "soon"}).status_code == 422
    assert (
        client.post(url, content=b"{", headers={"content-type": "application/json"}).status_code
        == 422
    )
    assert client.post("/api/plans/0123456789abcdef/solve", json={}).status_code == 404


def test_refused_round_is_not_queued(client: TestClient, small_files: dict[str, bytes]) -> None:
    files = dict(small_files)
    files["round.toml"] = small_files["round.toml"].replace(
        b"end = 2027-03-26", b"end = 2027-01-05"
    )
    plan_id = upload(client, files)
    answer = client.post(f"/api/plans/{plan_id}/solve", json={"time_limit": 5})
    assert answer.status_code == 422 and "too short" in answer.json()["refused"][0]


def test_cancel_a_running_job(client: TestClient, demo_files: dict[str, bytes]) -> None:
    plan_id = upload(client, demo_files)
    job_id = client.post(f"/api/plans/{plan_id}/solve", json={"time_limit": 120}).json()["job_id"]
    wait_for(client, job_id, ("running",))
    answer = client.delete(f"/api/jobs/{job_id}")
    assert answer.status_code == 200 and answer.json()["status"] == "cancelled"
    assert wait_for(client, job_id)["status"] == "cancelled"
    # The worker ends: at once when it had started, or at the dispatcher's next look when
    # the Stop came between the job's "running" mark and its process starting.
    deadline = time.monotonic() + 15
    while client.app.state.manager.running() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert client.app.state.manager.running() == []
    kept = client.get(f"/api/jobs/{job_id}").json()["summary"]["kept"]
    # Stopped before any roster was found: nothing; after: the best one, downloadable.
    roster = client.get(f"/api/plans/{plan_id}/roster.json")
    assert roster.status_code == (200 if kept else 404)
    assert client.get("/api/health").status_code == 200  # the server goes on


def test_jobs_queue_one_at_a_time(
    client: TestClient, demo_files: dict[str, bytes], small_files: dict[str, bytes]
) -> None:
    demo = f"/api/plans/{upload(client, demo_files)}/solve"
    small = f"/api/plans/{upload(client, small_files)}/solve"
    first = client.post(demo, json={"time_limit": 120}).json()["job_id"]
    second = client.post(small, json={"time_limit": 20}).json()["job_id"]
    third = client.post(demo, json={"time_limit": 120}).json()["job_id"]
    wait_for(client, first, ("running",))
    assert client.get(f"/api/jobs/{second}").json()["status"] == "queued"
    assert client.delete(f"/api/jobs/{third}").json()["status"] == "cancelled"  # never runs
    client.delete(f"/api/jobs/{first}")
    assert wait_for(client, second)["status"] == "done"
    assert client.get(f"/api/jobs/{third}").json()["status"] == "cancelled"


def test_a_crashed_worker_fails_the_job(client: TestClient, demo_files: dict[str, bytes]) -> None:
    import os
    import signal

    plan_id = upload(client, demo_files)
    job_id = client.post(f"/api/plans/{plan_id}/solve", json={"time_limit": 120}).json()["job_id"]
    wait_for(client, job_id, ("running",))
    manager = client.app.state.manager
    deadline = time.monotonic() + 10
    while job_id not in manager.running() and time.monotonic() < deadline:
        time.sleep(0.05)
    process = manager._running[job_id]
    assert process.pid is not None
    os.kill(process.pid, signal.SIGKILL)
    job = wait_for(client, job_id)
    assert job["status"] == "failed" and "unexpectedly" in job["progress"]
    assert client.get("/api/health").json() == {"status": "ok"}


def test_restart_keeps_plans_and_results(make_client: Any, small_files: dict[str, bytes]) -> None:
    first = make_client()
    plan_id = upload(first, small_files)
    job_id = first.post(f"/api/plans/{plan_id}/solve", json={"time_limit": 20}).json()["job_id"]
    assert wait_for(first, job_id)["status"] == "done"
    first.__exit__(None, None, None)
    again = make_client()  # a new app instance on the same --data
    assert again.get(f"/api/jobs/{job_id}").json()["status"] == "done"
    assert again.get(f"/api/plans/{plan_id}/roster.json").json()["summary"]["placed"] == 48
    assert again.get(f"/plans/{plan_id}").status_code == 200


def test_running_job_at_restart_is_marked_failed(
    make_client: Any, tmp_path: Path, small_files: dict[str, bytes]
) -> None:
    first = make_client()
    plan_id = upload(first, small_files)
    first.__exit__(None, None, None)
    store = Store(tmp_path / "data")
    job = store.add_job(plan_id, "solve", {"time_limit": 5})
    assert store.set_running(job.job_id)  # as if the server died while it ran
    again = make_client()
    answer = again.get(f"/api/jobs/{job.job_id}").json()
    assert answer["status"] == "failed" and answer["progress"] == RESTARTED


def test_stopping_the_server_fails_running_jobs(
    make_client: Any, demo_files: dict[str, bytes]
) -> None:
    first = make_client()
    plan_id = upload(first, demo_files)
    job_id = first.post(f"/api/plans/{plan_id}/solve", json={"time_limit": 120}).json()["job_id"]
    wait_for(first, job_id, ("running",))
    first.__exit__(None, None, None)
    again = make_client()
    answer = again.get(f"/api/jobs/{job_id}").json()
    if answer["status"] == "done":
        # The worker had a roster when the server stopped it: a worker ending keeps the
        # best roster found, with its status (issue 18), as a Stop or the time limit does.
        assert answer["summary"]["stopped"] is True, answer
        assert answer["summary"]["solver_status"] in ("FEASIBLE", "OPTIMAL"), answer
    else:  # stopped before any roster was found: nothing to keep
        assert answer["status"] == "failed" and answer["progress"] == STOPPED, answer


def test_whatif_api(client: TestClient, small_files: dict[str, bytes]) -> None:
    plan_id = upload(client, small_files)
    url = f"/api/plans/{plan_id}/whatif"
    bad = client.post(url, json={"scenarios": [{"name": "x", "closed": ["nowhere"]}]})
    assert bad.status_code == 422 and "nowhere" in bad.json()["problems"][0]
    answer = client.post(url, json={"venues": "5-6", "time_limit": 20})
    assert answer.status_code == 202
    job = wait_for(client, answer.json()["job_id"], timeout=90)
    assert job["status"] == "done", job
    names = [s["name"] for s in job["summary"]["scenarios"]]
    assert names == ["5 venues", "6 venues"]


@pytest.mark.parametrize(
    "url",
    [
        "/api/plans/..%2f..%2fetc/roster.json",
        "/api/plans/../../etc/passwd",
        "/api/plans/0123456789abcdef/..%2f..%2fstate.sqlite3",
        "/api/plans/0123456789ABCDEF/roster.json",
        "/api/jobs/..%2fstate",
        "/jobs/0123456789abcdef/files/..%2f..%2fstate.sqlite3",
        "/jobs/0123456789abcdef/maps/..%2f..%2fplans",
        "/plans/..%2f..%2f/roster",
        "/static/..%2f..%2fapp.py",
        "/static/../app.py",
    ],
)
def test_path_traversal_refused(client: TestClient, url: str) -> None:
    answer = client.get(url)
    assert answer.status_code in (400, 404), answer.text
    assert b"sqlite" not in answer.content.lower() and b"create_app" not in answer.content


def test_file_names_outside_the_list_are_refused(solved: tuple[TestClient, str, str]) -> None:
    client, plan_id, _ = solved
    for name in ("out", "state.sqlite3", "companies.csv", "roster.JSON", "invitations"):
        assert client.get(f"/api/plans/{plan_id}/{name}").status_code == 404


def test_uploaded_names_never_become_paths(
    client: TestClient, small_files: dict[str, bytes]
) -> None:
    parts = [
        ("files", ("../../evil.csv", small_files["companies.csv"], "text/csv")),
        ("files", ("/etc/venues.csv", small_files["venues.csv"], "text/csv")),
        ("files", ("..\\..\\round.toml", small_files["round.toml"], "text/plain")),
    ]
    answer = client.post("/api/plans", files=parts)
    assert answer.status_code == 201, answer.text
    root = Path(client.app.state.store.root)
    folder = root / "plans" / answer.json()["plan_id"]
    assert sorted(p.name for p in folder.iterdir()) == [
        ".file-names.json",  # the names the person gave the files, for the problems
        "companies.csv",
        "round.toml",
        "venues.csv",
    ]
    # only a name is kept, never the path it came with
    kept = json.loads((folder / ".file-names.json").read_text())
    assert list(kept) == ["companies.csv"] and kept["companies.csv"]["name"] == "evil.csv"
    assert not (root.parent / "evil.csv").exists()


def test_password_is_required_on_every_page_and_call(make_client: Any) -> None:
    client = make_client(password="s3cret")
    for url in ("/", "/api/health", "/static/app.css", "/api/jobs/0123456789abcdef"):
        answer = client.get(url)
        assert answer.status_code == 401, url
        assert answer.headers["www-authenticate"].startswith("Basic")
    assert client.get("/api/health", auth=("anyone", "wrong")).status_code == 401
    assert client.get("/api/health", auth=("anyone", "s3cret")).json() == {"status": "ok"}
    assert client.get("/", auth=("coordinator", "s3cret")).status_code == 200
    assert client.post("/api/plans", files=[]).status_code == 401


def test_cross_site_posts_are_refused(client: TestClient, small_files: dict[str, bytes]) -> None:
    evil = {"origin": "https://evil.example"}
    answer = client.post("/api/plans", files=multipart(small_files), headers=evil)
    assert answer.status_code == 403
    answer = client.delete(
        "/api/jobs/0123456789abcdef", headers={"referer": "https://evil.example/x"}
    )
    assert answer.status_code == 403
    same = {"origin": "http://testserver"}
    assert client.post("/api/plans", files=multipart(small_files), headers=same).status_code == 201


def test_loopback_server_answers_only_loopback_hosts(make_client: Any) -> None:
    client = make_client(allowed_hosts={"127.0.0.1", "localhost"})
    assert client.get("/api/health").status_code == 400  # Host: testserver
    assert client.get("/api/health", headers={"host": "127.0.0.1:8000"}).status_code == 200
    assert client.get("/api/health", headers={"host": "localhost:8000"}).status_code == 200


def test_security_headers(client: TestClient) -> None:
    page = client.get("/")
    assert page.headers["x-content-type-options"] == "nosniff"
    assert "default-src 'self'" in page.headers["content-security-policy"]
    assert page.headers["x-frame-options"] == "SAMEORIGIN"


def test_logs_hold_no_company_data(
    client: TestClient, small_files: dict[str, bytes], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level("DEBUG")
    plan_id = upload(client, small_files)
    client.get(f"/plans/{plan_id}?lang=en&name=Herning+Firma")
    client.post(
        "/api/plans", files=multipart({"companies.csv": b"company_id,name\n1,Secret ApS\n"})
    )
    ours = [r for r in caplog.records if r.name.startswith(("camp_planner", "uvicorn"))]
    text = "\n".join(r.getMessage() for r in ours)
    assert f"GET /plans/{plan_id} 200" in text
    assert "lang=en" not in text and "Firma" not in text and "Secret" not in text
    for line in small_files["companies.csv"].decode().splitlines()[1:]:
        assert line.split(",")[1] not in text


def test_job_answer_while_queued(client: TestClient, small_files: dict[str, bytes]) -> None:
    plan_id = upload(client, small_files)
    job_id = client.post(f"/api/plans/{plan_id}/solve", json={}).json()["job_id"]
    answer = client.get(f"/api/jobs/{job_id}").json()
    assert set(answer) == {"status", "progress", "summary"}
    assert answer["status"] in ("queued", "running", "done")
    assert isinstance(answer["progress"], str) and isinstance(answer["summary"], dict)
    json.dumps(answer)
    assert client.delete(f"/api/jobs/{job_id}").status_code == 200


def test_a_kept_plan_that_no_longer_reads(
    client: TestClient, small_files: dict[str, bytes]
) -> None:
    """Its problems, not an error page (files kept by an older version, say)."""
    plan_id = upload(client, small_files)
    store = client.app.state.store
    (store.plan_dir(plan_id) / "round.toml").write_text('name = "x"\n')
    client.app.state.plans._cache.clear()
    answer = client.get(f"/api/plans/{plan_id}")
    assert answer.status_code == 422 and answer.json()["problems"]
    page = client.get(f"/plans/{plan_id}")
    assert page.status_code == 422 and "problem" in page.text


def test_an_unexpected_error_is_logged_without_its_message(
    client: TestClient,
    small_files: dict[str, bytes],
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from camp_planner.web import views

    plan_id = upload(client, small_files)

    def broken(*_: Any) -> None:
        raise RuntimeError("Herning Firma 1 ApS")

    monkeypatch.setattr(views, "plan_view", broken)
    caplog.set_level("INFO")
    page = client.get(f"/plans/{plan_id}")
    assert page.status_code == 500 and "Herning" not in page.text
    text = "\n".join(r.getMessage() for r in caplog.records if r.name.startswith("camp_planner"))
    assert f"error RuntimeError on GET /plans/{plan_id}" in text
    assert "Herning" not in text and not any(r.exc_info for r in caplog.records)
