"""The year in the browser, part 4 (issue 17): attendance and the next round's plan, made
by the command's code; the same folder as `camp-planner next-round` writes."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from typer.testing import CliRunner

import camp_planner.cli as cli
from tests.web.conftest import upload, wait_for
from tests.web.test_pages import token

UNKNOWN = "0123456789abcdef"


def _solved(client: TestClient, files: dict[str, bytes]) -> tuple[str, dict[str, Any]]:
    plan_id = upload(client, files)
    job = client.post(f"/api/plans/{plan_id}/solve", json={"time_limit": 30}).json()["job_id"]
    assert wait_for(client, job)["status"] == "done"
    assert client.post(f"/api/plans/{plan_id}/publish", json={}).status_code == 200
    return plan_id, client.get(f"/api/jobs/{job}/files/roster.json").json()


def _rows(text: str) -> dict[str, dict[str, str]]:
    return {r["company_id"]: r for r in csv.DictReader(io.StringIO(text.lstrip("\ufeff")))}


def test_next_round_is_the_commands(
    client: TestClient, small_files: dict[str, bytes], tmp_path: Path
) -> None:
    plan_id, roster = _solved(client, small_files)
    placed = sorted({m for c in roster["cohorts"] for m in c["members"]})
    absent = placed[:1]
    # the page: everybody placed ticked, the dates moved by the round's length (82 days)
    page = client.get(f"/plans/{plan_id}/next-round").text
    assert page.count('name="came"') == len(placed) and page.count(" checked") >= len(placed)
    assert 'value="2027-03-27"' in page and 'value="2027-06-16"' in page
    answer = client.post(f"/api/plans/{plan_id}/next-round", json={"absent": absent})
    assert answer.status_code == 201, answer.text
    new_id = answer.json()["plan_id"]
    settings = client.get(f"/api/plans/{new_id}/settings").json()["settings"]
    assert (settings["start"], settings["end"]) == ("2027-03-27", "2027-06-16")
    # the command on the same roster, absent.csv and round.toml
    root = Path(client.app.state.store.root)
    (tmp_path / "absent.csv").write_text("company_id\n" + "".join(a + "\n" for a in absent))
    new_toml = client.get(f"/api/plans/{new_id}/versions/1/round.toml").text
    (tmp_path / "round.toml").write_text(new_toml)
    shutil.copytree(root / "plans" / plan_id, tmp_path / "old")
    result = CliRunner().invoke(cli.app, [
        "next-round", str(tmp_path / "old"),
        "--roster", str(root / "versions" / plan_id / "published" / "roster.json"),
        "--round", str(tmp_path / "round.toml"), "--out", str(tmp_path / "next"),
        "--absent", str(tmp_path / "absent.csv"),
    ])  # fmt: skip
    assert result.exit_code == 0, result.output
    for name in ("companies.csv", "venues.csv"):
        web_file = (root / "plans" / new_id / name).read_text("utf-8")
        assert web_file == (tmp_path / "next" / name).read_text("utf-8"), name
    companies = _rows((root / "plans" / new_id / "companies.csv").read_text("utf-8"))
    assert companies[absent[0]]["completed"] == ""  # absent: still waiting
    assert "module1" in companies[placed[1]]["completed"].split(";")  # came: a step more


def test_next_round_from_the_page_and_bad_input(
    client: TestClient, small_files: dict[str, bytes]
) -> None:
    plan_id, roster = _solved(client, small_files)
    placed = sorted({m for c in roster["cohorts"] for m in c["members"]})
    good = token(client, f"/plans/{plan_id}/next-round")
    form = {"csrf_token": good, "came": placed[1:], "name": "Efterår 2027",
            "start": "2027-01-10", "end": "2027-06-16"}  # fmt: skip
    answer = client.post(f"/plans/{plan_id}/next-round", data=form)
    assert answer.status_code == 422  # starts before this round ends: the command's refusal
    assert "2027-01-10" in answer.text and "<td>start</td>" in answer.text
    assert "at runde Efterår 2027 starter, efter at runde" in answer.text  # in Danish
    assert "before the old one ends" not in answer.text
    form["start"] = "2027-04-01"
    answer = client.post(f"/plans/{plan_id}/next-round", data=form, follow_redirects=False)
    assert answer.status_code == 303
    assert client.get(f"/plans/{plan_id}/next-round").text.count(" checked") >= len(placed) - 1
    bad = {"absent": ["nobody"], "settings": {"name": "", "start": "x", "end": "2027-09-01",
                                              "colour": "red"}}  # fmt: skip
    answer = client.post(f"/api/plans/{plan_id}/next-round", json=bad)
    assert answer.status_code == 422
    assert [p["column"] for p in answer.json()["problems"]] == ["colour"]
    del bad["settings"]["colour"]  # type: ignore[attr-defined]
    answer = client.post(f"/api/plans/{plan_id}/next-round", json=bad)
    columns = [p["column"] for p in answer.json()["problems"]]
    assert columns[0] == "company_id" and {"name", "start"} <= set(columns)
    assert client.post(f"/api/plans/{UNKNOWN}/next-round", json={}).status_code == 404
    assert client.get(f"/plans/{UNKNOWN}/next-round").status_code == 404
    fresh = upload(client, small_files)
    answer = client.post(f"/api/plans/{fresh}/next-round", json={})
    assert answer.status_code == 422 and answer.json()["problems"][0]["column"] == "roster"


def test_deleting_a_published_replanned_plan_leaves_no_file(
    client: TestClient, small_files: dict[str, bytes]
) -> None:
    plan_id, roster = _solved(client, small_files)
    placed = sorted({m for c in roster["cohorts"] for m in c["members"]})
    body = {"withdrawn": placed[:1], "as_of": "2027-01-04", "time_limit": 20}
    replan = client.post(f"/api/plans/{plan_id}/replan", json=body).json()["job_id"]
    assert wait_for(client, replan, timeout=120)["status"] == "done"
    assert client.post(f"/api/plans/{plan_id}/publish", json={"job_id": replan}).status_code == 200
    answer = client.post(f"/api/plans/{plan_id}/next-round", json={"absent": placed[1:2]})
    assert answer.status_code == 201, answer.text
    new_id = answer.json()["plan_id"]
    root = Path(client.app.state.store.root)
    jobs = [j["job_id"] for v in client.get(f"/api/plans/{plan_id}/versions").json()["versions"]
            for j in v["jobs"]]  # fmt: skip
    assert len(jobs) == 2 and (root / "versions" / plan_id / "attendance.json").is_file()
    assert client.delete(f"/api/plans/{plan_id}").status_code == 200
    left = [p for p in root.rglob("*") if plan_id in str(p) or any(j in str(p) for j in jobs)]
    assert left == []
    assert client.get(f"/api/plans/{new_id}/settings").status_code == 200  # the next round stays
