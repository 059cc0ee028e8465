"""The year in the browser, part 3 (issue 17): publish, the changes after publishing and
the replan; the browser's replan is the command's (same roster), bad input and unknown
ids."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import zipfile
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from typer.testing import CliRunner

import camp_planner.cli as cli
from tests.web.conftest import upload, wait_for, with_facilitator_days
from tests.web.test_pages import token
from tests.web.test_problems_language import problem_rows

UNKNOWN = "0123456789abcdef"


def _solved_and_published(
    client: TestClient, files: dict[str, bytes]
) -> tuple[str, dict[str, Any]]:
    plan_id = upload(client, files)
    job = client.post(f"/api/plans/{plan_id}/solve", json={"time_limit": 30}).json()["job_id"]
    assert wait_for(client, job)["status"] == "done"
    answer = client.post(f"/api/plans/{plan_id}/publish", json={})
    assert answer.json() == {"plan_id": plan_id, "published_job": job}
    roster = client.get(f"/api/jobs/{job}/files/roster.json").json()
    return plan_id, roster


def _cohorts(roster: dict[str, Any]) -> list[tuple[Any, ...]]:
    return sorted(
        (c["cohort_id"], c.get("venue_id"), tuple(sorted(c["members"])),
         json.dumps(c.get("sessions", c.get("dates")), sort_keys=True))
        for c in roster["cohorts"]
    )  # fmt: skip


def test_replan_in_the_browser_is_the_commands(
    make_client: Any, small_files: dict[str, bytes], tmp_path: Path
) -> None:
    client = make_client(solver_workers=1)
    plan_id, published = _solved_and_published(client, small_files)
    herning = next(c for c in published["cohorts"] if c.get("venue_id") == "herning")
    gone = sorted(herning["members"])[0]
    companies = small_files["companies.csv"].decode().splitlines()
    header, row = companies[0], next(r for r in companies if r.startswith(gone + ","))
    late = f"{header}\n99999999,Sen Tilmelding ApS,{row.split(',', 2)[2]}\n"
    aarhus = next(c for c in published["cohorts"] if c.get("venue_id") == "aarhus")
    lost_day = _first_day(aarhus)
    body = {
        "withdrawn": [gone], "late_signups_csv": late, "as_of": "2027-01-04",
        "venue_unavailable": {"aarhus": [lost_day]}, "time_limit": 30,
        "pins": [[herning["cohort_id"], "venue"], [herning["cohort_id"], "dates"]],
    }  # fmt: skip
    answer = client.post(f"/api/plans/{plan_id}/replan", json=body)
    assert answer.status_code == 202, answer.text
    job, version = answer.json()["job_id"], answer.json()["version"]
    assert version == 2
    done = wait_for(client, job, timeout=120)
    assert done["status"] == "done", done
    web_roster = client.get(f"/api/jobs/{job}/files/roster.json").json()
    changes = client.get(f"/api/jobs/{job}/changes").json()
    assert changes["summary"]["sentence"] == web_roster["replan"]["summary"]
    moved = {r["company_id"] for r in changes["changes"] if r["change"] != "members"}
    assert gone in moved and "99999999" in moved
    assert moved <= {gone, "99999999", *aarhus["members"]}  # nobody else moves
    kept = next(c for c in web_roster["cohorts"] if c["cohort_id"] == herning["cohort_id"])
    assert (kept["venue_id"], kept["sessions"]) == (herning["venue_id"], herning["sessions"])
    assert gone not in {m for c in web_roster["cohorts"] for m in c["members"]}
    zipped = zipfile.ZipFile(io.BytesIO(
        client.get(f"/api/jobs/{job}/files/changed-invitations.zip").content
    ))  # fmt: skip
    assert any(n.startswith("invitations/") and n.endswith(".ics") for n in zipped.namelist())
    changes_csv = client.get(f"/api/jobs/{job}/files/changes.csv").text
    assert list(csv.DictReader(io.StringIO(changes_csv.lstrip("\ufeff")))) == changes["changes"]
    # the command on the same inputs: the version's files and the published roster
    root = Path(client.app.state.store.root)
    folder = tmp_path / "folder"
    shutil.copytree(root / "versions" / plan_id / str(version), folder)
    shutil.copytree(root / "versions" / plan_id / "published", tmp_path / "published")
    pins = f"cohort_id,field\n{herning['cohort_id']},venue\n{herning['cohort_id']},dates\n"
    (tmp_path / "pins.csv").write_text(pins)
    result = CliRunner().invoke(cli.app, [
        "replan", str(folder), "--published", str(tmp_path / "published" / "roster.json"),
        "--as-of", "2027-01-04", "--time-limit", "30", "--workers", "1",
        "--out", str(tmp_path / "cli"), "--pins", str(tmp_path / "pins.csv"),
    ])  # fmt: skip
    assert result.exit_code == 0, result.output
    cli_roster = json.loads((tmp_path / "cli" / "roster.json").read_text("utf-8"))
    assert _cohorts(cli_roster) == _cohorts(web_roster)
    assert cli_roster["unplaced"] == web_roster["unplaced"]
    assert cli_roster["replan"]["summary"] == web_roster["replan"]["summary"]
    page = client.get(f"/jobs/{job}/replan?lang=en").text
    assert web_roster["replan"]["summary"] in page and gone in page
    # publishing the replan makes it the published roster
    assert client.post(f"/api/plans/{plan_id}/publish", json={"job_id": job}).status_code == 200
    assert "published" in client.get(f"/jobs/{job}/replan?lang=en").text
    page = client.get(f"/plans/{plan_id}/versions?lang=en").text
    links = re.findall(r'href="(/api/jobs/[^"]+)"', page)
    assert len(links) >= 10 and f"/api/jobs/{job}/files/changes.csv" in links
    assert all(client.get(link).status_code == 200 for link in links), links
    assert f'id="published-{job}"' in page  # the published roster is marked, not offered


def _first_day(cohort: dict[str, Any]) -> str:
    text = json.dumps(cohort)
    return sorted(re.findall(r"\d{4}-\d{2}-\d{2}", text))[0]


def test_replan_bad_input_and_unknown_ids(
    client: TestClient, small_files: dict[str, bytes]
) -> None:
    plan_id = upload(client, small_files)
    answer = client.post(f"/api/plans/{plan_id}/replan", json={"as_of": "2027-01-04"})
    assert answer.status_code == 422
    assert [p["column"] for p in answer.json()["problems"]] == ["published"]
    answer = client.post(f"/api/plans/{plan_id}/publish", json={})
    assert answer.status_code == 422 and answer.json()["problems"][0]["column"] == "job_id"
    job = client.post(f"/api/plans/{plan_id}/solve", json={"time_limit": 30}).json()["job_id"]
    wait_for(client, job)
    assert client.post(f"/api/plans/{plan_id}/publish", json={"job_id": job}).status_code == 200
    bad = {
        "withdrawn": "x", "venue_unavailable": [], "facilitator_unavailable": 3,
        "late_signups_csv": 1, "as_of": "someday", "time_limit": 0,
    }  # fmt: skip
    answer = client.post(f"/api/plans/{plan_id}/replan", json=bad)
    assert answer.status_code == 422
    columns = [p["column"] for p in answer.json()["problems"]]
    assert columns == ["withdrawn", "venue_unavailable", "facilitator_unavailable",
                       "late_signups_csv"]  # fmt: skip
    bad = {"withdrawn": ["nobody"], "venue_unavailable": {"nowhere": ["2027-02-01"]},
           "as_of": "someday", "time_limit": 0}  # fmt: skip
    answer = client.post(f"/api/plans/{plan_id}/replan", json=bad)
    assert {p["column"] for p in answer.json()["problems"]} == {"as_of", "time_limit"}
    bad["as_of"], bad["time_limit"] = "2027-01-04", 10
    answer = client.post(f"/api/plans/{plan_id}/replan", json=bad)
    assert answer.status_code == 422
    assert [(p["column"], p["value"]) for p in answer.json()["problems"]] == [
        ("company_id", "nobody"),
        ("venue_id", "nowhere"),
    ]
    answer = client.post(
        f"/api/plans/{plan_id}/replan",
        json={"as_of": "2027-01-04", "pins": [["C99", "venue"], ["C01", "colour"], "x"]},
    )
    assert [p["column"] for p in answer.json()["problems"]] == ["pins"] * 3
    late = "company_id,name,lat,lon,founded,level\n77,Ny,56.2,9.6,2010-01-01,Q\n"
    answer = client.post(
        f"/api/plans/{plan_id}/replan", json={"late_signups_csv": late, "as_of": "2027-01-04"}
    )
    assert answer.status_code == 422 and answer.json()["problems"][0]["column"] == "level"
    versions = client.get(f"/api/plans/{plan_id}/versions").json()["versions"]
    assert len(versions) == 1  # nothing was changed
    for method, url in (
        ("post", f"/api/plans/{UNKNOWN}/publish"),
        ("post", f"/api/plans/{UNKNOWN}/replan"),
        ("get", f"/api/jobs/{UNKNOWN}/changes"),
        ("get", f"/api/jobs/{job}/changes"),  # a solve, not a replan
        ("get", f"/jobs/{UNKNOWN}/replan"),
        ("get", f"/plans/{UNKNOWN}/changes"),
    ):
        kwargs: dict[str, Any] = {"json": {}} if method == "post" else {}
        assert getattr(client, method)(url, **kwargs).status_code == 404, url


def test_fit_one_late_sign_up(make_client: Any, small_files: dict[str, bytes]) -> None:
    client = make_client(solver_workers=1)
    plan_id, published = _solved_and_published(client, small_files)
    companies = small_files["companies.csv"].decode().splitlines()
    header, row = companies[0], companies[1]
    late = f"{header}\n88888888,Sen To ApS,{row.split(',', 2)[2]}\n"
    # the late sign-up saved as a new version without a replan (the page's second button)
    good = token(client, f"/plans/{plan_id}/changes")
    answer = client.post(
        f"/plans/{plan_id}/replan",
        data={"csrf_token": good, "only_save": "1", "as_of": "2027-01-04"},
        files={"late": ("sene.csv", late.encode(), "text/csv")},
        follow_redirects=False,
    )
    assert answer.status_code == 303, answer.text
    assert client.get(f"/api/plans/{plan_id}/versions").json()["versions"][-1]["made_by"] == (
        "changes"
    )
    assert client.get(f"/plans/{plan_id}/changes").text.count('value="88888888"') == 1
    answer = client.post(
        f"/api/plans/{plan_id}/fit",
        json={"company_id": "88888888", "as_of": "2027-01-04", "time_limit": 30},
    )
    assert answer.status_code == 202, answer.text
    job = answer.json()["job_id"]
    done = wait_for(client, job, timeout=120)
    assert done["status"] == "done", done
    options = done["summary"]["options"]
    assert options[0]["rank"] == "1" and options[0]["cohort_id"]
    # the command on the same folder and published roster ranks the same first place
    fit_csv = client.get(f"/api/jobs/{job}/files/fit.csv").text
    assert list(csv.DictReader(io.StringIO(fit_csv.lstrip("\ufeff")))) == options
    page = client.get(f"/jobs/{job}/fit?lang=en").text
    assert 'id="apply-fit"' in page and options[0]["cohort_id"] in page
    # Replan (the page's button under the places) places the company
    answer = client.post(f"/api/plans/{plan_id}/replan", json={"as_of": "2027-01-04"})
    replan = wait_for(client, answer.json()["job_id"], timeout=120)
    assert replan["status"] == "done"
    roster = client.get(f"/api/jobs/{answer.json()['job_id']}/files/roster.json").json()
    assert any("88888888" in c["members"] for c in roster["cohorts"])
    bad = client.post(f"/api/plans/{plan_id}/fit", json={"company_id": "x", "as_of": "?"})
    assert bad.status_code == 422
    assert [p["column"] for p in bad.json()["problems"]] == ["company_id", "as_of"]
    assert client.post(f"/api/plans/{UNKNOWN}/fit", json={}).status_code == 404
    assert client.get(f"/jobs/{job}/replan").status_code == 404
    assert len(published["cohorts"]) >= 1


def test_changes_page_facilitator_days_day_first(
    make_client: Any, small_files: dict[str, bytes]
) -> None:
    """The Changes page prefills the facilitator's days day-first, as its hint's example,
    takes day-first and ISO days, and names the field by its label when a day is wrong."""
    client = make_client(solver_workers=1)
    plan_id, _ = _solved_and_published(client, with_facilitator_days(small_files))
    page = client.get(f"/plans/{plan_id}/changes?lang=da").text
    assert 'name="facilitator_days" value="15-02-2027; 01-03-2027"' in page
    form = {"csrf_token": token(client, f"/plans/{plan_id}/changes"), "only_save": "1",
            "facilitator_changed": "1", "facilitator_days": "15-02-2027; 31-02-2027"}  # fmt: skip
    answer = client.post(f"/plans/{plan_id}/replan?lang=da", data=form)
    assert answer.status_code == 422
    rows = problem_rows(answer.text)
    assert [row[2] for row in rows] == ["Dage facilitatoren ikke kan"], rows
    form["facilitator_days"] = "15-02-2027; 2027-03-02"
    answer = client.post(f"/plans/{plan_id}/replan", data=form, follow_redirects=False)
    assert answer.status_code == 303, answer.text
    settings = client.get(f"/api/plans/{plan_id}/settings").json()["settings"]
    assert sorted(settings["facilitator_unavailable"]) == ["2027-02-15", "2027-03-02"]
    page = client.get(f"/plans/{plan_id}/changes?lang=da").text
    assert 'name="facilitator_days" value="15-02-2027; 02-03-2027"' in page
