"""The year in the browser, fit (issue 17, item 4): choosing one of fit's ranked places for
a late sign-up makes the roster with the company in that place, a change recorded like a
replan (its change list, updated invitations, publishable); bad input 422, unknown 404."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import date
from pathlib import Path
from typing import Any

from camp_planner.io.folder import load_folder
from tests.checker import check_replan
from tests.web.conftest import wait_for
from tests.web.test_pages import token
from tests.web.test_year_replan import _solved_and_published

UNKNOWN = "0123456789abcdef"


def test_choose_a_place_of_fit(
    make_client: Any, small_files: dict[str, bytes], tmp_path: Path
) -> None:
    client = make_client(solver_workers=1)
    plan_id, published = _solved_and_published(client, small_files)
    companies = small_files["companies.csv"].decode().splitlines()
    header, row = companies[0], companies[1]
    late = f"{header}\n77777777,Sen Tre ApS,{row.split(',', 2)[2]}\n"
    answer = client.post(
        f"/plans/{plan_id}/replan",
        data={"csrf_token": token(client, f"/plans/{plan_id}/changes"), "only_save": "1",
              "as_of": "2027-01-04"},
        files={"late": ("sene.csv", late.encode(), "text/csv")},
        follow_redirects=False,
    )  # fmt: skip
    assert answer.status_code == 303, answer.text
    answer = client.post(
        f"/api/plans/{plan_id}/fit",
        json={"company_id": "77777777", "as_of": "2027-01-04", "time_limit": 30},
    )
    fit_job = answer.json()["job_id"]
    options = wait_for(client, fit_job, timeout=120)["summary"]["options"]
    ranked = [o for o in options if o["rank"]]
    assert ranked, options
    page = client.get(f"/jobs/{fit_job}/fit?lang=da").text
    assert page.count('class="choose"') == len(ranked) and "Vælg" in page
    for option in options:  # every note in Danish (fit.csv and the API keep the English)
        assert option["note"] and option["note"] not in page, option["note"]
    # the last ranked place (not replan's own choice when there are several), on the page
    chosen = ranked[-1]
    answer = client.post(
        f"/plans/{plan_id}/fit/choose",
        data={"csrf_token": token(client, f"/jobs/{fit_job}/fit"), "job_id": fit_job,
              "rank": chosen["rank"]},
        follow_redirects=False,
    )  # fmt: skip
    assert answer.status_code == 303, answer.text
    job = answer.headers["location"].removeprefix("/jobs/")
    done = wait_for(client, job, timeout=120)
    assert done["status"] == "done", done
    roster = client.get(f"/api/jobs/{job}/files/roster.json").json()
    cohort = next(c for c in roster["cohorts"] if "77777777" in c["members"])
    assert cohort["venue_id"] == chosen["venue_id"]
    if chosen["cohort_id"] != "new":
        assert cohort["cohort_id"] == chosen["cohort_id"]
    days = sorted({d for s in cohort["sessions"] for d in s["dates"]})
    wanted = chosen["dates"].split(";")
    assert days[0] == wanted[0] and days[-1] == wanted[-1]
    # nobody of the published roster moves whom the option did not say would move (the
    # option's own solve had a share of fit's time: it may have moved more than needed)
    before = {m: c["cohort_id"] for c in published["cohorts"] for m in c["members"]}
    after = {m: c["cohort_id"] for c in roster["cohorts"] for m in c["members"]}
    moves = {m for m in before if after.get(m) != before[m]}
    assert moves <= {m for m in chosen["moves"].split(";") if m}
    # the change list and the invitations, as a replan's
    changes = client.get(f"/api/jobs/{job}/changes").json()
    mine = [r for r in changes["changes"] if r["company_id"] == "77777777"]
    assert mine and mine[0]["new_cohort_id"] == cohort["cohort_id"]
    assert "late sign-up placed" in changes["summary"]["sentence"]
    page = client.get(f"/jobs/{job}/replan?lang=da").text
    assert "1 eftertilmelding placeret" in page and "late sign-up" not in page
    assert "<td>ny plads</td>" in page and 'id="chosen"' in page
    archive = zipfile.ZipFile(
        io.BytesIO(client.get(f"/api/jobs/{job}/files/changed-invitations.zip").content)
    )
    assert any(n.startswith("invitations/") for n in archive.namelist())
    rows = list(
        csv.DictReader(
            io.StringIO(client.get(f"/api/jobs/{job}/files/changes.csv").text.lstrip("\ufeff"))
        )
    )
    assert rows == changes["changes"]
    # the independent checker: a valid replan of the published roster, changes.csv included
    folder = tmp_path / "folder"
    folder.mkdir()
    for name, data in small_files.items():
        (folder / name).write_bytes(data)
    with (folder / "companies.csv").open("a") as file:
        file.write(late.split("\n", 1)[1])
    problem = load_folder(folder)
    errors = check_replan(
        problem.round, problem.companies, problem.venues, published, roster,
        date(2027, 1, 4), changes=rows,
    )  # fmt: skip
    assert errors == []
    assert client.post(f"/api/plans/{plan_id}/publish", json={"job_id": job}).status_code == 200
    # by the API: rank 1
    answer = client.post(f"/api/plans/{plan_id}/fit/choose", json={"job_id": fit_job, "rank": 1})
    assert answer.status_code == 202, answer.text
    # bad input and unknown ids
    bad = client.post(f"/api/plans/{plan_id}/fit/choose", json={"job_id": fit_job, "rank": 99})
    assert bad.status_code == 422 and bad.json()["problems"][0]["column"] == "rank"
    bad = client.post(f"/api/plans/{plan_id}/fit/choose", json={"job_id": job, "rank": 1})
    assert bad.status_code == 422 and bad.json()["problems"][0]["column"] == "job_id"
    bad = client.post(f"/api/plans/{plan_id}/fit/choose", json=[1])
    assert bad.status_code == 422
    assert client.post(f"/api/plans/{UNKNOWN}/fit/choose", json={}).status_code == 404
