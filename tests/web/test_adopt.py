"""Adopting a what-if scenario as a new version of the plan (issue 18): the scenario's
settings and venue statuses become the plan's files (a version, checked as an upload is),
its roster the plan's roster; from the comparison page's button and the JSON API."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pandas as pd
from fastapi.testclient import TestClient

from camp_planner.io.folder import load_folder
from camp_planner.models.roster import fingerprint_of
from tests.web.conftest import upload, wait_for
from tests.web.test_pages import token

SCENARIO = {"name": "Skive lukket", "closed": ["skive"], "max_venues": 5}


def _whatif(client: TestClient, plan_id: str) -> tuple[str, dict[str, str]]:
    answer = client.post(
        f"/api/plans/{plan_id}/whatif", json={"scenarios": [SCENARIO], "time_limit": 10}
    )
    assert answer.status_code == 202, answer.text
    job_id = answer.json()["job_id"]
    done = wait_for(client, job_id, timeout=120)
    assert done["status"] == "done", done
    return job_id, {s["name"]: s["slug"] for s in done["summary"]["scenarios"]}


def _plan_dir(client: TestClient, plan_id: str) -> Path:
    return Path(client.app.state.store.root) / "plans" / plan_id  # type: ignore[attr-defined]


def test_a_scenario_adopted_through_the_api(
    client: TestClient, small_files: dict[str, bytes]
) -> None:
    plan_id = upload(client, small_files)
    job_id, slugs = _whatif(client, plan_id)
    url = f"/api/jobs/{job_id}/scenarios/{{}}/adopt"
    # the baseline is the plan as it is: nothing to adopt; unknown ids are 404
    nothing = client.post(url.format(slugs["baseline"]))
    assert nothing.status_code == 409 and "nothing to adopt" in nothing.json()["detail"]
    assert client.post(url.format("nope")).status_code == 404
    assert client.post("/api/jobs/0123456789abcdef/scenarios/x/adopt").status_code == 404
    scenario = client.get(f"/jobs/{job_id}/rosters/{slugs['Skive lukket']}.json").json()

    answer = client.post(url.format(slugs["Skive lukket"]))
    assert answer.status_code == 201, answer.text
    body = answer.json()
    assert body["plan_id"] == plan_id and body["version"] == 2
    # the plan's files now hold the scenario: Skive closed, at most 5 venues
    folder = _plan_dir(client, plan_id)
    venues = pd.read_csv(folder / "venues.csv", dtype=str, keep_default_na=False)
    status = dict(zip(venues["venue_id"], venues["status"], strict=True))
    assert status["skive"] == "closed"
    assert {s for v, s in status.items() if v != "skive"} == {"candidate"}
    assert tomllib.loads((folder / "round.toml").read_text())["max_venues"] == 5
    problem = load_folder(folder)
    assert [v.venue_id for v in problem.venues if v.status.value == "closed"] == ["skive"]
    # its roster is the plan's latest roster, a roster of exactly that round
    roster = client.get(f"/api/plans/{plan_id}/roster.json").json()
    assert roster["cohorts"] == scenario["cohorts"] and roster["unplaced"] == scenario["unplaced"]
    assert roster["kind"] == "roster" and scenario["kind"] == "whatif"
    assert roster["folder_fingerprint"] == fingerprint_of(problem)
    assert all(c["venue_id"] != "skive" for c in roster["cohorts"])
    job = client.get(f"/api/jobs/{body['job_id']}").json()
    assert job["status"] == "done" and job["summary"]["placed"] == scenario["summary"]["placed"]
    for name in ("roster.xlsx", "participants.csv", "map.html", "invitations.zip"):
        assert client.get(f"/api/plans/{plan_id}/{name}").status_code == 200, name
    versions = client.get(f"/plans/{plan_id}/versions").text
    assert "hvad-nu-hvis-scenarie taget i brug" in versions
    # once the plan has changed, the what-if is of an older version: refused
    again = client.post(url.format(slugs["Skive lukket"]))
    assert again.status_code == 409 and "changed since" in again.json()["detail"]


def test_a_scenario_adopted_from_the_comparison_page(
    client: TestClient, small_files: dict[str, bytes]
) -> None:
    plan_id = upload(client, small_files)
    job_id, slugs = _whatif(client, plan_id)
    page = client.get(f"/jobs/{job_id}/whatif").text
    slug = slugs["Skive lukket"]
    assert f'id="adopt-{slug}"' in page and "Tag Skive lukket i brug" in page
    assert f'id="adopt-{slugs["baseline"]}"' not in page  # the baseline changes nothing
    action = f"/jobs/{job_id}/adopt/{slug}"
    assert client.post(action, data={"csrf_token": "wrong"}).status_code == 403
    good = token(client, f"/jobs/{job_id}/whatif")
    answer = client.post(action, data={"csrf_token": good}, follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"] == f"/plans/{plan_id}/roster"
    roster_page = client.get(answer.headers["location"]).text
    headings = _venue_headings(roster_page)
    assert headings and all("Skive" not in h for h in headings), headings
    refused = client.post(action, data={"csrf_token": good})
    assert refused.status_code == 409
    assert "Planen er ændret siden denne hvad-nu-hvis" in refused.text


def _venue_headings(page: str) -> list[str]:
    import re

    return re.findall(r'<div class="venue">\s*<h3>([^<]*)', page)
