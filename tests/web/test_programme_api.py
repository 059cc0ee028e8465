"""The programme in the browser (issue 17 item 6): the JSON calls, the form, the result
and a round as a plan of its own, against `camp-planner programme` and `next-round`."""

from __future__ import annotations

import csv
import io
import json
import shutil
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from typer.testing import CliRunner

import camp_planner.cli as cli
from tests.web.conftest import upload, wait_for, with_facilitator_days
from tests.web.test_pages import token

UNKNOWN = "0123456789abcdef"
TWO_ROUNDS = [
    {"name": "2027-Q1", "start": "2027-01-04", "end": "2027-03-26"},
    {"name": "2027-Q2", "start": "2027-04-05", "end": "2027-06-25",
     "facilitator_unavailable": ["2027-05-14"]},
]  # fmt: skip


@pytest.fixture(scope="module")
def demo_programme(tmp_path_factory: pytest.TempPathFactory, demo_files: dict[str, bytes]) -> Any:
    """The demo's two-round programme (programme.toml of the demo), planned once."""
    from camp_planner.web.app import create_app

    client = TestClient(create_app(tmp_path_factory.mktemp("prog") / "data", max_jobs=1))
    with client:
        plan_id = upload(client, demo_files)
        answer = client.post(
            f"/api/plans/{plan_id}/programme", json={"rounds": TWO_ROUNDS, "time_limit": 60}
        )
        assert answer.status_code == 202, answer.text
        assert answer.json()["version"] == 1
        job_id = answer.json()["job_id"]
        job = wait_for(client, job_id, timeout=180)
        assert job["status"] == "done", job
        yield client, plan_id, job_id


def test_programme_is_the_commands(demo_programme: Any, tmp_path: Path) -> None:
    client, plan_id, job_id = demo_programme
    result = client.get(f"/api/jobs/{job_id}/programme").json()
    assert (result["plan_id"], result["status"], result["version"]) == (plan_id, "done", 1)
    document = result["programme"]
    assert document["rounds"] == ["2027-Q1", "2027-Q2"]
    # the command on the same folder and programme.toml (the demo's own)
    root = Path(client.app.state.store.root)
    folder = tmp_path / "folder"
    shutil.copytree(root / "plans" / plan_id, folder)
    from camp_planner.demo.generator import packaged_demo

    (folder / "programme.toml").write_text(packaged_demo()["programme.toml"])
    ran = CliRunner().invoke(
        cli.app, ["programme", str(folder), "--out", str(tmp_path / "out"), "--time-limit", "60"]
    )
    assert ran.exit_code == 0, ran.output
    command = json.loads((tmp_path / "out" / "programme.json").read_text())
    assert command["rounds"] == document["rounds"]
    if command["solver"]["status"] == document["solver"]["status"] == "OPTIMAL":
        for key in ("companies", "next_step_planned", "tracks_completed", "travel_km_total"):
            assert command["summary"][key] == document["summary"][key], key
    assert document["summary"]["next_step_planned"] > 0
    # every company once; its steps name rounds of the programme, Module 2 after Module 1
    assert len(document["companies"]) == document["summary"]["companies"]
    for entry in document["companies"]:
        rounds = {s["step"]: document["rounds"].index(s["round"]) for s in entry["steps"]}
        if "module1" in rounds and "module2" in rounds:
            assert rounds["module1"] < rounds["module2"]
    # the job's summary and files
    job = client.get(f"/api/jobs/{job_id}").json()
    assert job["summary"]["kind"] == "programme" and job["summary"]["plan_id"] == plan_id
    book = load_workbook(io.BytesIO(client.get(result["files"]["programme.xlsx"]).content))
    assert book.sheetnames == ["timeline", "rounds"]
    assert book["timeline"].max_row == len(document["companies"]) + 1
    for k, entry in enumerate(result["rounds"]):
        roster = client.get(entry["files"]["roster.json"]).json()
        assert roster["round"] == document["rounds"][k] and roster["kind"] == "programme"
        placed = {m for c in roster["cohorts"] for m in c["members"]}
        planned = {
            e["company_id"]
            for e in document["companies"]
            for s in e["steps"]
            if s["round"] == document["rounds"][k]
        }
        assert placed == planned
        page = client.get(entry["files"]["map.html"])
        assert page.status_code == 200 and "sandbox" in page.headers["content-security-policy"]


def test_programme_page_shows_the_timeline(demo_programme: Any) -> None:
    client, plan_id, job_id = demo_programme
    document = client.get(f"/api/jobs/{job_id}/programme").json()["programme"]
    page = client.get(f"/jobs/{job_id}/programme")
    assert page.status_code == 200
    text = page.text
    assert "Tidslinje" in text and "Forløbsplan" in text
    entry = next(e for e in document["companies"] if len(e["steps"]) == 2)
    row = text.split(f'id="row-{entry["company_id"]}"')[1].split("</tr>")[0]
    cells = row.split("<td")[1:]
    for step in entry["steps"]:
        k = document["rounds"].index(step["round"])
        assert ("Modul 1" if step["step"] == "module1" else "Modul 2") in cells[k]
        assert step["cohort_id"] in cells[k]
    english = client.get(f"/jobs/{job_id}/programme?lang=en").text
    assert "Timeline: who takes which step in which round" in english
    assert "Tidslinje" not in english
    client.get("/?lang=da")
    # the job page names its plan and version; the plan page links to the form
    assert "version 1" in client.get(f"/jobs/{job_id}").text
    assert f"/plans/{plan_id}/programme" in client.get(f"/plans/{plan_id}").text


def _rows(text: str) -> dict[str, dict[str, str]]:
    return {r["company_id"]: r for r in csv.DictReader(io.StringIO(text.lstrip("\ufeff")))}


def test_a_round_becomes_a_plan(demo_programme: Any, tmp_path: Path) -> None:
    client, plan_id, job_id = demo_programme
    root = Path(client.app.state.store.root)
    made = client.post(f"/api/jobs/{job_id}/programme/rounds/2/plan")
    assert made.status_code == 201, made.text
    new_id, roster_job = made.json()["plan_id"], made.json()["roster_job"]
    settings = client.get(f"/api/plans/{new_id}/settings").json()["settings"]
    assert (settings["name"], settings["start"], settings["end"]) == (
        "2027-Q2", "2027-04-05", "2027-06-25",
    )  # fmt: skip
    assert settings["facilitator_unavailable"] == ["2027-05-14"]
    # its companies are `camp-planner next-round` on round 1's programme roster (adopted)
    programme_roster = root / "jobs" / job_id / "out" / "rounds" / "2027-Q1" / "roster.json"
    shutil.copyfile(programme_roster, tmp_path / "roster.json")
    (tmp_path / "round.toml").write_text(
        client.get(f"/api/plans/{new_id}/versions/1/round.toml").text
    )
    shutil.copytree(root / "plans" / plan_id, tmp_path / "old")
    ran = CliRunner().invoke(cli.app, [
        "next-round", str(tmp_path / "old"), "--roster", str(tmp_path / "roster.json"),
        "--round", str(tmp_path / "round.toml"), "--out", str(tmp_path / "next"), "--adopt",
    ])  # fmt: skip
    assert ran.exit_code == 0, ran.output
    for name in ("companies.csv", "venues.csv"):
        assert (root / "plans" / new_id / name).read_text() == (
            tmp_path / "next" / name
        ).read_text()
    # its roster is the programme's round 2, recorded as adopted; it can be published
    ours = client.get(f"/api/jobs/{roster_job}/files/roster.json").json()
    theirs = client.get(f"/api/jobs/{job_id}/programme/rounds/2/roster.json").json()
    assert [(c["venue_id"], c["members"]) for c in ours["cohorts"]] == [
        (c["venue_id"], c["members"]) for c in theirs["cohorts"]
    ]
    assert ours["kind"] == "roster" and ours["adopted_from"]["kind"] == "programme"
    assert client.get(f"/api/plans/{new_id}").json()["latest_roster_job"] == roster_job
    summary = client.get(f"/api/jobs/{roster_job}").json()["summary"]
    assert summary["solver_status"] == "FEASIBLE" and summary["proven"] is False  # round alone
    assert summary["programme_status"] == theirs["solver"]["status"]
    assert summary["placed"] == len({m for c in theirs["cohorts"] for m in c["members"]})
    published = client.post(f"/api/plans/{new_id}/publish", json={})
    assert published.status_code == 200 and published.json()["published_job"] == roster_job
    # from the page: round 1 as a plan (its roster the programme's round 1)
    good = token(client, f"/jobs/{job_id}/programme")
    answer = client.post(
        f"/jobs/{job_id}/programme/rounds/1/plan", data={"csrf_token": good},
        follow_redirects=False,
    )  # fmt: skip
    assert answer.status_code == 303
    first = answer.headers["location"].rsplit("/", 1)[1]
    assert client.get(f"/api/plans/{first}/settings").json()["settings"]["start"] == "2027-01-04"
    companies = _rows((root / "plans" / first / "companies.csv").read_text())
    assert companies == _rows((root / "plans" / plan_id / "companies.csv").read_text())


def test_bad_programmes_get_every_problem(
    client: TestClient, small_files: dict[str, bytes]
) -> None:
    plan_id = upload(client, small_files)
    bad = [
        {"name": "A", "start": "2027-01-04", "end": "2027-03-26", "colour": "red"},
        {"name": "A", "start": "2027-03-01", "end": "someday"},
        {"name": "C", "start": "2027-06-01", "end": "2027-05-01"},
    ]
    answer = client.post(f"/api/plans/{plan_id}/programme", json={"rounds": bad, "time_limit": 0})
    assert answer.status_code == 422
    found = {(p["row"], p["column"]) for p in answer.json()["problems"]}
    assert (None, "time_limit") in found and (1, "colour") in found
    columns = {p["column"] for p in answer.json()["problems"]}
    assert {"end", "name"} <= columns, answer.json()  # "someday", end before start, A twice
    files = {p["file"] for p in answer.json()["problems"]}
    assert "programme.toml round 2" in files
    for rounds in (0, 9, "two", [], [1, 2], None):
        answer = client.post(f"/api/plans/{plan_id}/programme", json={"rounds": rounds})
        assert answer.status_code == 422, rounds
        assert answer.json()["problems"][0]["column"] == "rounds"
    overlap = [dict(TWO_ROUNDS[0]), dict(TWO_ROUNDS[1], start="2027-03-01")]
    answer = client.post(f"/api/plans/{plan_id}/programme", json={"rounds": overlap})
    assert answer.status_code == 422 and "start" in {p["column"] for p in answer.json()["problems"]}
    assert client.post(f"/api/plans/{plan_id}/programme", json=[1]).status_code == 422
    assert client.post(f"/api/plans/{plan_id}/programme", content=b"x").status_code == 415
    assert not client.get("/api/plans/" + plan_id).json()["latest_roster_job"]
    assert client.app.state.store.jobs(plan_id) == []  # nothing was started
    # the form: prefilled rounds (the dates moved by the round's length), then every problem
    page = client.get(f"/plans/{plan_id}/programme?rounds=3").text
    assert 'value="2027-01-04"' in page and 'value="2027-03-27"' in page
    assert 'value="2027-06-17"' in page  # round 3: right after round 2, as long
    good = token(client, f"/plans/{plan_id}/programme")
    form = {
        "csrf_token": good, "rounds": "2", "time_limit": "30",
        "round-1-name": "Q1", "round-1-start": "2027-01-04", "round-1-end": "2027-03-26",
        "round-2-name": "Q2", "round-2-start": "2027-02-01", "round-2-end": "2027-01-01",
    }  # fmt: skip
    answer = client.post(f"/plans/{plan_id}/programme", data=form)
    assert answer.status_code == 422 and 'id="problems"' in answer.text
    # the round by the form's legend, not programme.toml's name (the API keeps that)
    assert "<td>Runde 2</td>" in answer.text and 'value="2027-02-01"' in answer.text
    assert (
        client.post(f"/plans/{plan_id}/programme", data={**form, "csrf_token": "x"}).status_code
        == 403
    )


def test_unknown_ids(client: TestClient, small_files: dict[str, bytes]) -> None:
    plan_id = upload(client, small_files)
    solve = client.post(f"/api/plans/{plan_id}/solve", json={"time_limit": 10}).json()["job_id"]
    wait_for(client, solve)
    assert client.post(f"/api/plans/{UNKNOWN}/programme", json={"rounds": 2}).status_code == 404
    assert client.post("/api/plans/not-an-id/programme", json={"rounds": 2}).status_code == 404
    assert client.get(f"/plans/{UNKNOWN}/programme").status_code == 404
    for job in (UNKNOWN, solve):  # no job, or a job that is no programme
        assert client.get(f"/api/jobs/{job}/programme").status_code == 404
        assert client.get(f"/api/jobs/{job}/programme/programme.xlsx").status_code == 404
        assert client.get(f"/api/jobs/{job}/programme/rounds/1/roster.json").status_code == 404
        assert client.post(f"/api/jobs/{job}/programme/rounds/1/plan").status_code == 404
        assert client.get(f"/jobs/{job}/programme").status_code == 404


def test_small_programme_files_and_rounds_out_of_range(
    client: TestClient, small_files: dict[str, bytes]
) -> None:
    plan_id = upload(client, small_files)
    answer = client.post(f"/api/plans/{plan_id}/programme", json={"rounds": 2, "time_limit": 20})
    assert answer.status_code == 202
    job_id = answer.json()["job_id"]
    assert wait_for(client, job_id, timeout=120)["status"] == "done"
    result = client.get(f"/api/jobs/{job_id}/programme").json()
    # rounds: the plan's own, then moved by its length (82 days)
    assert [(r["start"], r["end"]) for r in result["rounds"]] == [
        ("2027-01-04", "2027-03-26"), ("2027-03-27", "2027-06-16"),
    ]  # fmt: skip
    for bad in ("rounds/0/roster.json", "rounds/3/roster.json", "rounds/1/round.toml",
                "rounds/1/../../plans", "secret.txt"):  # fmt: skip
        assert client.get(f"/api/jobs/{job_id}/programme/{bad}").status_code == 404, bad
    assert client.post(f"/api/jobs/{job_id}/programme/rounds/3/plan").status_code == 404
    assert client.get(f"/api/jobs/{job_id}/programme/programme.json").json() == result["programme"]


def test_stop_keeps_the_best_programme_found(
    client: TestClient, demo_files: dict[str, bytes]
) -> None:
    import time

    plan_id = upload(client, demo_files)
    answer = client.post(f"/api/plans/{plan_id}/programme", json={"rounds": 2, "time_limit": 600})
    job_id = answer.json()["job_id"]
    deadline = time.monotonic() + 120
    while client.get(f"/api/jobs/{job_id}").json()["progress"] not in (
        "programme: steps planned", "programme: earlier rounds", "programme: travel",
    ):  # fmt: skip
        assert time.monotonic() < deadline, client.get(f"/api/jobs/{job_id}").json()
        time.sleep(0.2)
    stopped_at = time.monotonic()
    assert client.delete(f"/api/jobs/{job_id}").json()["status"] == "cancelled"
    while not client.get(f"/api/jobs/{job_id}").json()["summary"].get("kept"):
        assert time.monotonic() < stopped_at + 60, "the best programme was not kept"
        time.sleep(0.2)
    job = client.get(f"/api/jobs/{job_id}").json()
    assert job["status"] == "cancelled" and job["summary"]["stopped"] is True
    result = client.get(f"/api/jobs/{job_id}/programme").json()
    assert result["kept"] is True and result["programme"]["summary"]["next_step_planned"] > 0
    assert client.get(f"/jobs/{job_id}").text.count('id="kept"') == 1


def test_form_shows_and_takes_day_first_facilitator_days(
    client: TestClient, small_files: dict[str, bytes], tmp_path: Path
) -> None:
    """The form's facilitator days are prefilled day-first, as its example (15-02-2027), in
    date order; day-first days posted are read as the dates they name (ISO too)."""
    files = with_facilitator_days(small_files)
    plan_id = upload(client, files)
    page = client.get(f"/plans/{plan_id}/programme?rounds=2&lang=da").text
    # round 2 is round 1 moved by its length, 82 days: 8 May and 22 May
    assert 'name="round-1-facilitator_unavailable" value="15-02-2027; 01-03-2027"' in page
    assert 'name="round-2-facilitator_unavailable" value="08-05-2027; 22-05-2027"' in page
    assert "2027-02-15" not in page and "2027-05-08" not in page
    form = {
        "csrf_token": token(client, f"/plans/{plan_id}/programme"), "rounds": "2",
        "time_limit": "5",
        "round-1-name": "Q1", "round-1-start": "2027-01-04", "round-1-end": "2027-03-26",
        "round-1-facilitator_unavailable": "15-02-2027; 01-03-2027",
        "round-2-name": "Q2", "round-2-start": "2027-03-27", "round-2-end": "2027-06-16",
        "round-2-facilitator_unavailable": "08-05-2027; 2027-05-22",
    }  # fmt: skip
    answer = client.post(f"/plans/{plan_id}/programme", data=form, follow_redirects=False)
    assert answer.status_code == 303, answer.text
    job = client.app.state.store.job(answer.headers["location"].removeprefix("/jobs/"))
    client.app.state.manager.cancel(job.job_id)  # only what it was asked matters here
    from camp_planner.io.programme_file import PROGRAMME_TOML, read_programme_rounds

    (tmp_path / "round.toml").write_bytes(files["round.toml"])
    (tmp_path / PROGRAMME_TOML).write_text(job.params["programme_toml"], "utf-8")
    rounds = read_programme_rounds(tmp_path)
    assert [sorted(r.facilitator_unavailable) for r in rounds] == [
        [date(2027, 2, 15), date(2027, 3, 1)], [date(2027, 5, 8), date(2027, 5, 22)],
    ]  # fmt: skip
    # a day-first day that does not exist is a problem on the form, shown as typed
    bad = {**form, "round-1-facilitator_unavailable": "31-02-2027"}
    answer = client.post(f"/plans/{plan_id}/programme?lang=da", data=bad)
    assert answer.status_code == 422 and 'value="31-02-2027"' in answer.text
