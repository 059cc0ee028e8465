"""A roster taken from a programme's round, or from an adopted what-if scenario, is recorded
as a done solve made at once; its pages give the time its solver took (roster.json's
``solver.wall_time_s``), never the job's 0 s."""

from __future__ import annotations

import json
import re

from fastapi.testclient import TestClient

from tests.web.conftest import upload, wait_for
from tests.web.test_adopt import SCENARIO


def _near(shown: str, wall: float) -> bool:
    """Whether a time the page writes ("7 s", "< 1 s") is the wall time `wall` (to the
    second; the job's summary keeps it to 1/100 s, the page to the second)."""
    if shown == "< 1 s":
        return 0 < wall < 1.01
    return abs(int(shown.removesuffix(" s")) - wall) <= 1


def _job_row(page: str, job_id: str) -> str:
    rows = re.findall(r"<tr>(.*?)</tr>", page, re.S)
    return next(r for r in rows if f"/jobs/{job_id}" in r)


def _check_taken(client: TestClient, plan_id: str, job_id: str, said: dict[str, str]) -> None:
    wall = client.get(f"/api/jobs/{job_id}/files/roster.json").json()["solver"]["wall_time_s"]
    assert wall > 0
    state = client.get(f"/jobs/{job_id}/state").json()
    assert abs(state["elapsed"] - wall) <= 0.06  # to 1/10 s, of the summary's 1/100 s
    for lang, words in said.items():
        page = client.get(f"/plans/{plan_id}/roster?lang={lang}").text
        line = page.split('id="roster-time"', 1)[1].split("</p>", 1)[0].replace("&lt;", "<")
        took = re.search(r"(< 1 s|\d+ s)\.", line)
        assert words in line and took and _near(took[1], wall), line
        assert "took 0 s" not in line and " 0 s." not in line
        row = _job_row(client.get(f"/plans/{plan_id}?lang={lang}").text, job_id)
        cell = re.findall(r'<td class="num">([^<]*(?:&lt;[^<]*)?)</td>', row)[-1]
        assert _near(cell.replace("&lt;", "<"), wall), row


def test_a_programme_round_plan_shows_the_programmes_time(
    client: TestClient, small_files: dict[str, bytes]
) -> None:
    plan_id = upload(client, small_files)
    answer = client.post(f"/api/plans/{plan_id}/programme", json={"rounds": 2, "time_limit": 20})
    assert answer.status_code == 202, answer.text
    job_id = answer.json()["job_id"]
    assert wait_for(client, job_id, timeout=120)["status"] == "done"
    made = client.post(f"/api/jobs/{job_id}/programme/rounds/1/plan")
    assert made.status_code == 201, made.text
    new_plan, roster_job = made.json()["plan_id"], made.json()["roster_job"]
    round_roster = client.get(f"/api/jobs/{job_id}/programme/rounds/1/roster.json").json()
    taken = client.get(f"/api/jobs/{roster_job}/files/roster.json").json()
    assert taken["solver"]["wall_time_s"] == round_roster["solver"]["wall_time_s"]
    said = {"en": "from a programme, whose solver took", "da": "fra en forløbsplan, hvis"}
    _check_taken(client, new_plan, roster_job, said)


def test_an_adopted_scenario_shows_its_solvers_time(
    client: TestClient, small_files: dict[str, bytes]
) -> None:
    plan_id = upload(client, small_files)
    answer = client.post(
        f"/api/plans/{plan_id}/whatif", json={"scenarios": [SCENARIO], "time_limit": 10}
    )
    assert answer.status_code == 202, answer.text
    whatif = answer.json()["job_id"]
    done = wait_for(client, whatif, timeout=120)
    assert done["status"] == "done", done
    slug = next(s["slug"] for s in done["summary"]["scenarios"] if s["name"] == SCENARIO["name"])
    scenario = client.get(f"/jobs/{whatif}/rosters/{slug}.json").json()
    adopted = client.post(f"/api/jobs/{whatif}/scenarios/{slug}/adopt")
    assert adopted.status_code == 201, adopted.text
    roster_job = adopted.json()["job_id"]
    taken = client.get(f"/api/jobs/{roster_job}/files/roster.json").json()
    assert taken["solver"]["wall_time_s"] == scenario["solver"]["wall_time_s"]
    said = {"en": "from a what-if scenario, whose solver took", "da": "hvad-nu-hvis-scenarie, hvis"}
    _check_taken(client, plan_id, roster_job, said)


def test_an_unknown_time_is_not_written_as_0_s(
    client: TestClient, small_files: dict[str, bytes]
) -> None:
    """A taken roster whose roster.json has no wall time: the pages say so, no 0 s."""
    from camp_planner.web.current import roster_time

    plan_id = upload(client, small_files)
    job = client.post(f"/api/plans/{plan_id}/solve", json={"time_limit": 10}).json()["job_id"]
    assert wait_for(client, job)["status"] == "done"
    store = client.app.state.store  # type: ignore[attr-defined]
    with store._connect() as db:  # the job as a programme's round attaches it, no wall time
        found = store.job(job)
        summary = dict(found.summary, wall_time_s=0.0, from_programme="x")
        db.execute(
            "UPDATE jobs SET params = ?, summary = ?, started = finished WHERE job_id = ?",
            ('{"from_programme": "x"}', json.dumps(summary), job),
        )
    assert roster_time(store.job(job)) is None
    assert client.get(f"/jobs/{job}/state").json()["elapsed"] is None
    for lang, words in (("en", "time not known"), ("da", "tid ukendt")):
        row = _job_row(client.get(f"/plans/{plan_id}?lang={lang}").text, job)
        assert words in row and "0 s" not in row
        page = client.get(f"/plans/{plan_id}/roster?lang={lang}").text
        line = page.split('id="roster-time"', 1)[1].split("</p>", 1)[0]
        assert " s." not in line and ("programme" in line or "forløbsplan" in line), line
