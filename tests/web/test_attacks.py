"""The web app attacked from outside (issue 24): a real `camp-planner serve` on a loopback
port, spoken to over HTTP. Each test is one finding of the attack: it failed on the code
before the fix."""

from __future__ import annotations

import io
import signal
import sqlite3
import stat
import subprocess
import time
import zipfile
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from camp_planner.demo.generator import packaged_demo
from tests.web.conftest import workbook_from_csv
from tests.web.live import Live, alive, children_of, describe, start, started

HEADERS = ("x-content-type-options", "content-security-policy", "x-frame-options")


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    server = start(tmp_path_factory.mktemp("attacks") / "data", "--jobs", "1")
    yield server
    server.stop()
    assert "Traceback" not in server.log.read_text()


@pytest.fixture(scope="module")
def plan(live: Live, small_files: dict[str, bytes]) -> str:
    answer = live.upload(small_files)
    assert answer.status == 201, answer.text
    return str(answer.json()["plan_id"])


def _demo() -> dict[str, bytes]:
    files = packaged_demo()
    return {n: files[n].encode() for n in ("companies.csv", "venues.csv", "round.toml")}


# -- 6. forged log lines --------------------------------------------------------------------


def test_a_path_cannot_forge_a_log_line(live: Live) -> None:
    answer = live.get(
        "/nothing%0a2026-01-01%2000:00:00%20INFO%20GET%20/forged%20200%201%20ms%1b[2J"
    )
    assert answer.status == 404
    time.sleep(0.3)
    lines = live.log.read_text().splitlines()
    assert not any(line.startswith("2026-01-01 00:00:00") for line in lines)
    assert any("/nothing\\n2026-01-01" in line and "\\x1b[2J" in line for line in lines)


# -- 8. security headers on every answer ----------------------------------------------------


def test_security_headers_on_every_answer(tmp_path: Path) -> None:
    server = start(tmp_path / "data", env={"CAMP_PLANNER_PASSWORD": "sesame"})
    try:
        auth = {"authorization": "Basic " + __import__("base64").b64encode(b"x:sesame").decode()}
        answers = {
            401: server.request("GET", "/"),
            400: server.request("GET", "/", headers=auth | {"host": "evil.example"}),
            403: server.request(
                "POST", "/plans/demo", b"", auth | {"origin": "http://evil.example"}
            ),
            413: server.request(
                "POST",
                "/api/plans",
                b"x" * 100,
                auth | {"content-length": str(30 * 1024 * 1024)},
            ),  # fmt: skip
            404: server.request("GET", "/api/jobs/0123456789abcdef", headers=auth),
            200: server.request("GET", "/", headers=auth),
        }
    finally:
        server.stop()
    for status, answer in answers.items():
        assert answer.status == status
        names = {k.lower() for k in answer.headers}
        assert all(h in names for h in HEADERS), (status, sorted(names))


# -- 8. malformed bodies: a 422 sentence, never a 500, never a server path --------------------

MALFORMED = [
    b'{"scenarios": ["x"]}',
    b'{"scenarios": [1, null]}',
    b'{"scenarios": "x"}',
    b'{"scenarios": [{"name": 5}]}',
    b'{"scenarios": [{"name": "a", "max_venues": "many"}]}',
    b'{"scenarios": [{"name": "' + b"n" * 5000 + b'"}]}',
    b'{"venues": {"a": 1}}',
    b'{"venues": [4, 6]}',
    b'{"venues": "1-100"}',
    b'{"time_limit": []}',
    b'{"time_limit": {"a": 1}}',
    b'{"time_limit": "1e999"}',
    b"[" * 100_000 + b"]" * 100_000,
    b'{"a": ' * 50_000 + b"1" + b"}" * 50_000,
    b"\xff\xfe not json",
    b"null",
    b"[]",
]


@pytest.mark.parametrize("body", MALFORMED, ids=range(len(MALFORMED)))
@pytest.mark.parametrize("route", ["whatif", "solve"])
def test_malformed_bodies_are_a_422_sentence(
    live: Live, plan: str, route: str, body: bytes
) -> None:
    answer = live.post_json(f"/api/plans/{plan}/{route}", body)
    if route == "solve" and answer.status == 202:  # the solve ignores what-if fields
        live.request("DELETE", f"/api/jobs/{answer.json()['job_id']}")
        return
    assert answer.status == 422, answer.text[:300]
    found = answer.json()
    texts = [found["detail"]] if "detail" in found else found["problems"]
    assert texts and all(isinstance(t, str) and len(t) > 10 for t in texts), found
    assert str(live.data) not in answer.text and "/tmp" not in answer.text


def test_scenarios_per_request_are_bounded(live: Live, plan: str) -> None:
    scenarios = [{"name": f"s{i}", "max_venues": 5} for i in range(13)]
    answer = live.post_json(f"/api/plans/{plan}/whatif", {"scenarios": scenarios})
    assert answer.status == 422 and "at most 12" in answer.text
    answer = live.post_json(f"/api/plans/{plan}/whatif", {"scenarios": scenarios[:2]})
    assert answer.status == 202
    live.request("DELETE", f"/api/jobs/{answer.json()['job_id']}")


def test_no_server_path_in_an_upload_problem(live: Live) -> None:
    broken = {"plan.xlsx": b"PK\x03\x04" + b"\x00" * 200, "round.toml": b"name = 1\n"}
    answer = live.upload(broken)
    assert answer.status == 422
    assert str(live.data) not in answer.text and "/tmp" not in answer.text


# -- 2. a workbook with an out-of-proportion XML token --------------------------------------


def _long_token_workbook(small_files: dict[str, bytes], size: int) -> bytes:
    plain = workbook_from_csv(small_files["companies.csv"], small_files["venues.csv"])
    source = zipfile.ZipFile(io.BytesIO(plain))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                token = b'<row r="99999" spans="' + b"1" * size + b'"/>'
                data = data.replace(b"<sheetData>", b"<sheetData>" + token, 1)
            archive.writestr(info.filename, data)
    return out.getvalue()


def test_a_workbook_with_a_long_xml_token_is_refused_before_parsing(
    live: Live, small_files: dict[str, bytes]
) -> None:
    book = _long_token_workbook(small_files, 40_000_000)
    assert len(book) < 100_000  # a small file that unpacks to a 40 MB tag
    started = time.monotonic()
    answer = live.upload({"plan.xlsx": book, "round.toml": small_files["round.toml"]})
    assert time.monotonic() - started < 15  # unchecked, the XML parser takes minutes
    assert answer.status == 422
    assert "over 1 MB" in answer.text or "proportion" in answer.text
    assert live.get("/api/health").status == 200


# -- 3. cancel: a compare-and-set that cannot be lost -----------------------------------------


def test_a_cancel_is_never_lost(live: Live, small_files: dict[str, bytes]) -> None:
    """A Stop that lands while the dispatcher starts the job (the slot freed by another
    Stop at the same moment) is kept: the job ends cancelled, never done."""
    demo = live.upload(_demo()).json()["plan_id"]
    small = live.upload(small_files).json()["plan_id"]
    for _ in range(3):
        first = live.post_json(f"/api/plans/{demo}/solve", {"time_limit": 60}).json()["job_id"]
        second = live.post_json(f"/api/plans/{small}/solve", {"time_limit": 30}).json()
        live.wait(first, ("running",))
        with ThreadPoolExecutor(2) as pool:
            answers = list(
                pool.map(
                    lambda job: live.request("DELETE", f"/api/jobs/{job}").json(),
                    (first, second["job_id"]),
                )
            )
        assert answers[1]["status"] == "cancelled", answers[1]
        final = live.wait(second["job_id"], ("done", "failed", "cancelled"))
        assert final["status"] == "cancelled"
        live.wait(first, ("done", "failed", "cancelled"))
        deadline = time.monotonic() + 30  # the next round starts with no worker left
        while live.get(f"/api/jobs/{first}").json()["summary"].get("kept") is None:
            if time.monotonic() > deadline:  # pragma: no cover
                break
            time.sleep(0.2)
        time.sleep(0.5)
        assert live.get(f"/api/jobs/{second['job_id']}").json()["status"] == "cancelled"


# -- 5. workers die with their server; a killed server's workers are ended on start ----------


def test_workers_die_with_a_killed_server(tmp_path: Path) -> None:
    server = start(tmp_path / "data", "--jobs", "1")
    plan_id = server.upload(_demo()).json()["plan_id"]
    job_id = server.post_json(f"/api/plans/{plan_id}/solve", {"time_limit": 120}).json()["job_id"]
    server.wait(job_id, ("running",))
    time.sleep(1.5)
    family = {pid: started(pid) for pid in children_of(server.process.pid)}
    assert family, "no worker process"
    server.process.send_signal(signal.SIGKILL)
    server.process.wait()
    deadline = time.monotonic() + 20
    while any(alive(p, s) for p, s in family.items()) and time.monotonic() < deadline:
        time.sleep(0.2)
    left = {p: describe(p) for p, s in family.items() if alive(p, s)}
    assert not left, left


def test_a_left_worker_is_ended_on_start(tmp_path: Path, small_files: dict[str, bytes]) -> None:
    server = start(tmp_path / "data")
    plan_id = server.upload(small_files).json()["plan_id"]
    job_id = server.post_json(f"/api/plans/{plan_id}/solve", {"time_limit": 20}).json()["job_id"]
    server.wait(job_id, ("done",))
    server.stop()
    # A worker of an earlier server that lives on (as before parent-death signals).
    orphan = subprocess.Popen(["sleep", "300"], start_new_session=True)
    started = Path(f"/proc/{orphan.pid}/stat").read_text().rsplit(")", 1)[1].split()[19]
    with sqlite3.connect(tmp_path / "data" / "state.sqlite3") as db:
        db.execute(
            "UPDATE jobs SET status = 'running', pid = ?, pid_start = ? WHERE job_id = ?",
            (orphan.pid, started, job_id),
        )
    server = start(tmp_path / "data")
    try:
        assert orphan.wait(timeout=10) == -signal.SIGKILL
        assert server.get(f"/api/jobs/{job_id}").json()["status"] == "failed"
    finally:
        server.stop()
        if orphan.poll() is None:  # pragma: no cover - the test failed
            orphan.kill()


# -- 7. delete, temporary uploads, file modes, retention ------------------------------------


def _files(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file()]


def test_delete_a_plan_and_everything_made_from_it(
    tmp_path: Path, small_files: dict[str, bytes]
) -> None:
    server = start(tmp_path / "data")
    try:
        keep = server.upload(small_files).json()["plan_id"]
        plan_id = server.upload(small_files).json()["plan_id"]
        solve = server.post_json(f"/api/plans/{plan_id}/solve", {"time_limit": 20})
        solved = solve.json()["job_id"]
        server.wait(solved, ("done",))
        whatif = server.post_json(f"/api/plans/{plan_id}/whatif", {"venues": "5-6"})
        compared = whatif.json()["job_id"]
        server.wait(compared, ("done",))
        slug = server.get(f"/api/jobs/{compared}").json()["summary"]["scenarios"][0]["slug"]
        urls = [
            f"/api/plans/{plan_id}", f"/api/plans/{plan_id}/roster.json",
            f"/api/plans/{plan_id}/map.html", f"/api/jobs/{solved}", f"/api/jobs/{compared}",
            f"/plans/{plan_id}", f"/plans/{plan_id}/roster", f"/jobs/{compared}/whatif",
            f"/jobs/{compared}/maps/{slug}.html", f"/jobs/{compared}/files/whatif.xlsx",
        ]  # fmt: skip
        assert all(server.get(url).status == 200 for url in urls)
        assert server.request("DELETE", f"/api/plans/{plan_id}").status == 200
        assert all(server.get(url).status == 404 for url in urls)
        left = [p for p in _files(server.data) if plan_id in str(p) or solved in str(p)]
        assert left == [] and not any(compared in str(p) for p in _files(server.data))
        with sqlite3.connect(server.data / "state.sqlite3") as db:
            rows = db.execute("SELECT count(*) FROM jobs WHERE plan_id = ?", (plan_id,))
            assert rows.fetchone()[0] == 0
        # from the page: its CSRF token, then the plan is gone from the start page
        with httpx.Client(base_url=server.base, follow_redirects=True) as client:
            page = client.get(f"/plans/{keep}").text
            token = page.split('name="csrf_token" value="')[1].split('"')[0]
            gone = client.post(f"/plans/{keep}/delete", data={"csrf_token": token})
            assert gone.status_code == 200 and keep not in gone.text
        assert server.get(f"/api/plans/{keep}").status == 404
        assert [p.name for p in _files(server.data) if "state.sqlite3" not in p.name] == []
    finally:
        server.stop()


def test_private_files_and_no_left_uploads(tmp_path: Path, small_files: dict[str, bytes]) -> None:
    data = tmp_path / "data"
    (data / "tmp" / "0123456789abcdef").mkdir(parents=True)
    (data / "tmp" / "0123456789abcdef" / "companies.csv").write_text("from a killed upload")
    server = start(data)
    try:
        assert list((data / "tmp").iterdir()) == []
        plan_id = server.upload(small_files).json()["plan_id"]
        job = server.post_json(f"/api/plans/{plan_id}/solve", {"time_limit": 20}).json()
        server.wait(job["job_id"], ("done",))
    finally:
        server.stop()
    for path in [data, *data.rglob("*")]:
        mode = stat.S_IMODE(path.stat().st_mode)
        assert mode & 0o077 == 0, (path, oct(mode))


def test_keep_days_deletes_old_plans(tmp_path: Path, small_files: dict[str, bytes]) -> None:
    server = start(tmp_path / "data")
    old = server.upload(small_files).json()["plan_id"]
    new = server.upload(small_files).json()["plan_id"]
    server.stop()
    with sqlite3.connect(tmp_path / "data" / "state.sqlite3") as db:
        db.execute("UPDATE plans SET created = ? WHERE plan_id = ?", (time.time() - 3 * 86400, old))
    server = start(tmp_path / "data", "--keep-days", "2")
    try:
        assert server.get(f"/api/plans/{old}").status == 404
        assert not (tmp_path / "data" / "plans" / old).exists()
        assert server.get(f"/api/plans/{new}").status == 200
    finally:
        server.stop()


def test_keep_days_must_be_above_zero(tmp_path: Path) -> None:
    with pytest.raises(AssertionError, match="--keep-days"):
        start(tmp_path / "data", "--keep-days", "0")


# -- 8. a job's time limit bounds the whole job ---------------------------------------------


def test_a_job_keeps_within_its_time_limit(live: Live) -> None:
    plan_id = live.upload(_demo()).json()["plan_id"]
    job_id = live.post_json(f"/api/plans/{plan_id}/solve", {"time_limit": 6}).json()["job_id"]
    done = live.wait(job_id, ("done", "failed"))
    assert done["status"] == "done"
    assert done["summary"]["elapsed_s"] <= 6 + 1.5, done["summary"]  # reading + writing too


# -- 3. the plan cache has a size bound -----------------------------------------------------


def test_the_plan_cache_is_bounded(make_client: object, small_files: dict[str, bytes]) -> None:
    from tests.web.conftest import upload

    client = make_client()  # type: ignore[operator]
    for _ in range(12):
        upload(client, small_files)
    assert len(client.app.state.plans._cache) <= client.app.state.plans.size


# -- 8. a full disk: a sentence on writes, reads keep working ---------------------------------


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 20 MB tmpfs (needs the right to mount, as root in a container has)."""
    folder = tmp_path / "disk"
    folder.mkdir()
    made = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=20m", "tmpfs", str(folder)], capture_output=True
    )
    if made.returncode != 0:
        pytest.skip(f"cannot mount a small disk here: {made.stderr.decode().strip()}")
    yield folder
    subprocess.run(["umount", "-l", str(folder)], check=False)


def test_a_full_disk_answers_writes_with_a_sentence_and_reads_work(
    small_disk: Path, small_files: dict[str, bytes]
) -> None:
    server = start(small_disk / "data")
    try:
        plan_id = server.upload(small_files).json()["plan_id"]
        job_id = server.post_json(f"/api/plans/{plan_id}/solve", {"time_limit": 10}).json()
        server.wait(job_id["job_id"], ("done",))
        with pytest.raises(OSError), (small_disk / "filler").open("wb", buffering=0) as filler:
            while True:
                filler.write(b"x" * 65536)
        reads = [
            "/", f"/plans/{plan_id}", f"/plans/{plan_id}/roster", f"/api/plans/{plan_id}",
            f"/api/plans/{plan_id}/roster.json", f"/jobs/{job_id['job_id']}",
        ]  # fmt: skip
        assert [server.get(url).status for url in reads] == [200] * len(reads)
        for answer in (
            server.upload(small_files),
            server.post_json(f"/api/plans/{plan_id}/solve", {"time_limit": 5}),
        ):
            assert answer.status == 507 and "disk is full" in answer.json()["detail"]
    finally:
        server.stop()


# -- 8. the CSRF cookie: __Host- over https, plain on loopback http ----------------------------


def test_csrf_cookie_has_the_host_prefix_over_https(make_client: object) -> None:
    from fastapi.testclient import TestClient

    plain: TestClient = make_client()  # type: ignore[operator]
    cookie = plain.get("/").headers["set-cookie"]
    assert cookie.startswith("cp_csrf=") and "secure" not in cookie.lower()
    secure = TestClient(plain.app, base_url="https://testserver")
    cookie = secure.get("/").headers["set-cookie"]
    assert cookie.startswith("__Host-cp_csrf=")
    assert "secure" in cookie.lower() and "path=/" in cookie.lower() and "domain" not in cookie
    token = secure.cookies["__Host-cp_csrf"]
    answer = secure.post("/plans/demo", data={"csrf_token": token}, follow_redirects=False)
    assert answer.status_code == 303  # the form works with the prefixed cookie
    assert secure.post("/plans/demo", data={"csrf_token": "x"}).status_code == 403


def test_a_cancel_racing_the_start_in_one_interleaving(tmp_path: Path) -> None:
    """The interleaving that lost Stops, forced: the dispatcher marks the job running
    right after the Stop has read it as queued. The Stop must still win."""
    from camp_planner.web.jobs import JobManager
    from camp_planner.web.store import Store

    store = Store(tmp_path / "data")
    store.add_plan("0123456789abcdef", "upload", "r", 1, 1, [])
    job = store.add_job("0123456789abcdef", "solve", {"time_limit": 5})
    manager = JobManager(store, 1)  # not started: this test is the dispatcher
    read = store.job

    def read_then_start(job_id: str) -> object:
        found = read(job_id)
        store.set_running(job_id)  # the dispatcher, between the read and the write
        return found

    store.job = read_then_start  # type: ignore[method-assign]
    manager.cancel(job.job_id)
    store.job = read  # type: ignore[method-assign]
    assert read(job.job_id).status == "cancelled"  # type: ignore[union-attr]
