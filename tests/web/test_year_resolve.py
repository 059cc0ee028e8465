"""The year in the browser (issue 17, item 4): a new solve of a published plan asks first,
saying that it keeps nobody's place and how many the last new solve moved; an unpublished
plan solves at once."""

from __future__ import annotations

import re
from typing import Any

from tests.web.conftest import upload, wait_for
from tests.web.test_pages import token
from tests.web.test_year_replan import _solved_and_published


def _solve(client: Any, plan_id: str, **extra: str) -> Any:
    data = {"csrf_token": token(client, f"/plans/{plan_id}"), "time_limit": "20", **extra}
    return client.post(f"/plans/{plan_id}/solve", data=data, follow_redirects=False)


def test_a_published_plan_asks_before_a_new_solve(
    make_client: Any, small_files: dict[str, bytes]
) -> None:
    client = make_client(solver_workers=1)
    plain = upload(client, small_files)
    assert _solve(client, plain).status_code == 303  # not published: no question
    plan_id, published = _solved_and_published(client, small_files)
    jobs = len(client.get(f"/api/plans/{plan_id}/versions").json()["versions"][0]["jobs"])
    asked = _solve(client, plan_id)
    assert asked.status_code == 200 and 'id="resolve-anyway"' in asked.text
    assert 'id="resolve-replan"' in asked.text and f"/plans/{plan_id}/changes" in asked.text
    placed = sum(len(c["members"]) for c in published["cohorts"])
    page = client.get(f"/plans/{plan_id}?lang=en")  # the language cookie for what follows
    assert page.status_code == 200
    asked = _solve(client, plan_id)
    assert f"The published roster places {placed} companies." in asked.text
    # nothing was started by the question
    listed = client.get(f"/api/plans/{plan_id}/versions").json()["versions"][0]["jobs"]
    assert len(listed) == jobs
    answer = _solve(client, plan_id, confirmed="1")
    assert answer.status_code == 303
    job = answer.headers["location"].removeprefix("/jobs/")
    assert wait_for(client, job, timeout=120)["status"] == "done"
    # asked again: how many the last new solve moved, as Compare counts them
    first = _published_job(client, plan_id)
    compared = client.get(f"/api/plans/{plan_id}/compare", params={"a": first, "b": job}).json()
    asked = _solve(client, plan_id)
    moved = re.search(r"moved (\d+) of the (\d+) published companies", asked.text)
    assert moved is not None, asked.text
    assert (int(moved[1]), int(moved[2])) == (len(compared["moved"]), placed)
    assert f"b={job}" in asked.text
    # the JSON API is unchanged: it solves at once
    again = client.post(f"/api/plans/{plan_id}/solve", json={"time_limit": 5})
    assert again.status_code == 202


def _published_job(client: Any, plan_id: str) -> str:
    """The plan's first solve (the one _solved_and_published published; newest first)."""
    versions = client.get(f"/api/plans/{plan_id}/versions").json()["versions"]
    return str(versions[0]["jobs"][-1]["job_id"])
