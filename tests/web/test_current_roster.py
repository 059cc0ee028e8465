"""The roster page shows the plan's current roster: after a published replan, the replan's
(its map and downloads too), with the solve's roster a link away; before the replan is
published, the published solve's."""

from __future__ import annotations

import csv
import io
import re
from typing import Any

import openpyxl
from fastapi.testclient import TestClient

from tests.web.conftest import upload, wait_for

UNKNOWN = "0123456789abcdef"


def _members(roster: dict[str, Any]) -> set[str]:
    return {m for c in roster["cohorts"] for m in c["members"]}


def _solve_publish_replan(client: TestClient, files: dict[str, bytes]) -> dict[str, Any]:
    """A plan solved and published, then replanned with one company withdrawn."""
    plan_id = upload(client, files)
    solve = client.post(f"/api/plans/{plan_id}/solve", json={"time_limit": 30}).json()["job_id"]
    assert wait_for(client, solve)["status"] == "done"
    assert client.post(f"/api/plans/{plan_id}/publish", json={}).status_code == 200
    solved = client.get(f"/api/jobs/{solve}/files/roster.json").json()
    gone = sorted(solved["cohorts"][0]["members"])[0]
    body = {"withdrawn": [gone], "as_of": "2027-01-04", "time_limit": 30}
    answer = client.post(f"/api/plans/{plan_id}/replan", json=body)
    assert answer.status_code == 202, answer.text
    replan = answer.json()["job_id"]
    assert wait_for(client, replan, timeout=120)["status"] == "done"
    replanned = client.get(f"/api/jobs/{replan}/files/roster.json").json()
    assert gone in _members(solved) and gone not in _members(replanned)
    return {"plan_id": plan_id, "solve": solve, "replan": replan, "gone": gone,
            "solved": solved, "replanned": replanned}  # fmt: skip


def _no_nonce(page: str) -> str:
    return re.sub(r'nonce="[^"]*"', "", page)


def _cohort_ids(page: str) -> list[str]:
    section = page.split('id="cohorts"', 1)[1].split('id="map"', 1)[0]
    return re.findall(r"<td><strong>([^<]+)</strong></td>", section)


def _xlsx_ids(content: bytes) -> set[str]:
    book = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
    found: set[str] = set()
    for sheet in book.worksheets:
        for row in sheet.iter_rows(values_only=True):
            found.update(str(v) for v in row if v is not None)
    return found


def test_the_roster_page_follows_the_published_replan(
    make_client: Any, small_files: dict[str, bytes]
) -> None:
    client = make_client(solver_workers=1)
    case = _solve_publish_replan(client, small_files)
    plan_id, solve, replan, gone = case["plan_id"], case["solve"], case["replan"], case["gone"]
    name = next(
        r["name"] for r in csv.DictReader(io.StringIO(small_files["companies.csv"].decode()))
        if r["company_id"] == gone
    )  # fmt: skip
    solved_ids = sorted(c["cohort_id"] for c in case["solved"]["cohorts"])
    replanned_ids = sorted(c["cohort_id"] for c in case["replanned"]["cohorts"])

    # before the replan is published: the published solve's roster
    for lang, said in (("en", "It was published on"), ("da", "Den blev offentliggjort")):
        page = client.get(f"/plans/{plan_id}/roster?lang={lang}").text
        assert said in page
        assert sorted(_cohort_ids(page)) == solved_ids
    assert client.get(f"/api/plans/{plan_id}/roster.json").json() == case["solved"]
    assert client.get(f"/api/plans/{plan_id}").json()["current_roster_job"] == solve

    assert client.post(f"/api/plans/{plan_id}/publish", json={"job_id": replan}).status_code == 200
    answer = client.get(f"/api/plans/{plan_id}").json()
    assert answer["current_roster_job"] == replan and answer["latest_roster_job"] == solve
    # publishing without a job_id publishes the current roster: the replan stays published,
    # the older solve does not come back
    again_published = client.post(f"/api/plans/{plan_id}/publish", json={})
    assert again_published.json()["published_job"] == replan
    for lang, said, other in (
        ("en", "This is the replanned roster published on", "The roster of the last solve"),
        ("da", "Dette er den omplanlagte holdplan offentliggjort", "Holdplanen fra den seneste"),
    ):
        page = client.get(f"/plans/{plan_id}/roster?lang={lang}").text
        assert said in page and other in page
        assert sorted(_cohort_ids(page)) == replanned_ids
        cohorts = page.split('id="cohorts"', 1)[1].split('id="map"', 1)[0]
        assert name not in cohorts  # the withdrawn company is in no cohort
        assert f'href="/plans/{plan_id}/roster?job={solve}"' in page
        assert f'src="/api/plans/{plan_id}/map.html"' in page
    # the page's downloads and map are the replan's
    assert client.get(f"/api/plans/{plan_id}/roster.json").json() == case["replanned"]
    participants = client.get(f"/api/plans/{plan_id}/participants.csv").text.lstrip("\ufeff")
    assert participants == client.get(f"/api/jobs/{replan}/files/participants.csv").text.lstrip(
        "\ufeff"
    )
    assert gone not in participants
    book = _xlsx_ids(client.get(f"/api/plans/{plan_id}/roster.xlsx").content)
    assert gone not in book and set(replanned_ids) <= book
    zipped = client.get(f"/api/plans/{plan_id}/invitations.zip")
    assert zipped.status_code == 200
    assert zipped.content == client.get(f"/api/jobs/{replan}/files/changed-invitations.zip").content
    plan_map = _no_nonce(client.get(f"/api/plans/{plan_id}/map.html?lang=en").text)
    assert plan_map == _no_nonce(client.get(f"/api/jobs/{replan}/files/map.html?lang=en").text)
    assert plan_map != _no_nonce(client.get(f"/api/jobs/{solve}/files/map.html?lang=en").text)

    # the solve's roster is still there, its downloads the solve's
    page = client.get(f"/plans/{plan_id}/roster?job={solve}&lang=en").text
    assert "not the plan's current roster" in page
    assert sorted(_cohort_ids(page)) == solved_ids
    assert f'href="/api/jobs/{solve}/files/roster.xlsx"' in page
    assert f'src="/api/jobs/{solve}/files/map.html"' in page
    assert f'href="/plans/{plan_id}/roster"' in page
    assert client.get(f"/plans/{plan_id}/roster?job={UNKNOWN}").status_code == 404
    # a new solve after publishing is the newest roster again
    again = client.post(f"/api/plans/{plan_id}/solve", json={"time_limit": 30}).json()["job_id"]
    assert wait_for(client, again)["status"] == "done"
    assert client.get(f"/api/plans/{plan_id}").json()["current_roster_job"] == again
    page = client.get(f"/plans/{plan_id}/roster?lang=en").text
    assert "This is the roster of the plan's last solve." in page
    assert f'href="/plans/{plan_id}/roster?job={replan}"' in page  # the published one
    assert (
        client.get(f"/api/plans/{plan_id}/roster.json").json()["cohorts"]
        == (client.get(f"/api/jobs/{again}/files/roster.json").json()["cohorts"])
    )
    # publishing the replan again makes it the current roster once more
    assert client.post(f"/api/plans/{plan_id}/publish", json={"job_id": replan}).status_code == 200
    assert client.get(f"/api/plans/{plan_id}").json()["current_roster_job"] == replan
