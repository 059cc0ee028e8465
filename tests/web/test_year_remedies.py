"""The year in the browser, remedies (issue 17, item 7): the plan page offers the remedies
table for groups too small, each row's Apply makes a new version with that setting; the
table is the command's (`camp-planner remedies`); bad input 422, unknown ids 404."""

from __future__ import annotations

import csv
import io
import tomllib
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from typer.testing import CliRunner

import camp_planner.cli as cli
from tests.web.conftest import upload, wait_for
from tests.web.test_pages import token
from tests.web.test_problems_language import english_in, problem_rows

UNKNOWN = "0123456789abcdef"


def _remedies(client: TestClient, plan_id: str) -> tuple[str, dict[str, Any]]:
    answer = client.post(f"/api/plans/{plan_id}/remedies", json={"time_limit": 10})
    assert answer.status_code == 202, answer.text
    job = answer.json()["job_id"]
    # small folder: the round as it is, online cohorts, one more venue, all of them
    assert answer.json()["solves"] == 4
    assert wait_for(client, job, timeout=180)["status"] == "done"
    table = client.get(f"/api/jobs/{job}/remedies")
    assert table.status_code == 200
    return job, table.json()


def test_remedies_table_is_the_commands_and_apply_makes_a_version(
    make_client: Any, small_files: dict[str, bytes], tmp_path: Path
) -> None:
    client = make_client(solver_workers=1)
    plan_id = upload(client, small_files)
    page = client.get(f"/plans/{plan_id}?lang=en").text
    assert 'id="remedies"' in page and 'id="find-remedies"' in page
    job, table = _remedies(client, plan_id)
    rows = {r["remedy"]: r for r in table["rows"]}
    more = tomllib.loads(small_files["round.toml"].decode()).get("max_venues", 6) + 1
    assert list(rows)[-1] == "none (the round as it is)"
    assert rows["none (the round as it is)"]["apply"] is None
    assert rows["online cohorts"]["apply"] == {"online_cohorts": True}
    assert rows["one more venue"]["apply"] == {"max_venues": more}
    assert rows["all of them"]["apply"] == {"online_cohorts": True, "max_venues": more}
    assert table["skipped"] and all(": " in s for s in table["skipped"])
    # the command on the same folder gives the same remedies and counts placed
    folder = tmp_path / "folder"
    folder.mkdir()
    for name, data in small_files.items():
        (folder / name).write_bytes(data)
    result = CliRunner().invoke(
        cli.app, ["remedies", str(folder), "--time-limit", "10", "--out", str(tmp_path / "o")]
    )
    assert result.exit_code == 0, result.output
    command = list(
        csv.DictReader(io.StringIO((tmp_path / "o/remedies.csv").read_text("utf-8-sig")))
    )
    assert {r["remedy"]: int(r["placed"]) for r in command} == {
        name: row["placed"] for name, row in rows.items()
    }
    assert (
        client.get(f"/api/jobs/{job}/files/remedies.csv")
        .text.lstrip("\ufeff")
        .startswith("remedy,settings,placed")
    )
    # the page, in Danish: every remedy named in Danish, an Apply button for each but the last
    page = client.get(f"/jobs/{job}/remedies?lang=da").text
    assert "Online hold" in page and "online cohorts" not in page.replace('"online cohorts"', "")
    assert page.count('class="apply"') == 3
    # Apply on the page: a new version with the setting, the plan page to solve it
    versions = len(client.get(f"/api/plans/{plan_id}/versions").json()["versions"])
    answer = client.post(
        f"/plans/{plan_id}/remedies/apply",
        data={"csrf_token": token(client, f"/jobs/{job}/remedies"), "job_id": job,
              "remedy": "online cohorts"},
        follow_redirects=False,
    )  # fmt: skip
    assert answer.status_code == 303 and answer.headers["location"].startswith(f"/plans/{plan_id}")
    listed = client.get(f"/api/plans/{plan_id}/versions").json()["versions"]
    assert len(listed) == versions + 1 and listed[-1]["made_by"] == "settings"
    settings = client.get(f"/api/plans/{plan_id}/settings").json()
    assert settings["settings"]["online_cohorts"] is True
    assert tomllib.loads(settings["round_toml"])["online_cohorts"] is True
    # Apply by the API: one more venue on top (the online setting kept)
    answer = client.post(
        f"/api/plans/{plan_id}/remedies/apply", json={"job_id": job, "remedy": "one more venue"}
    )
    assert answer.status_code == 201, answer.text
    assert answer.json() == {
        "plan_id": plan_id,
        "version": versions + 2,
        "settings": {"max_venues": more},
    }
    after = client.get(f"/api/plans/{plan_id}/settings").json()["settings"]
    assert after["online_cohorts"] is True and after["max_venues"] == more
    # the coordinator solves the new version: it places what "all of them" placed
    solve = client.post(f"/api/plans/{plan_id}/solve", json={"time_limit": 20}).json()["job_id"]
    done = wait_for(client, solve, timeout=120)
    assert done["summary"]["placed"] == rows["all of them"]["placed"]


def test_remedies_bad_input_and_unknown_ids(
    make_client: Any, small_files: dict[str, bytes]
) -> None:
    client = make_client(solver_workers=1)
    plan_id = upload(client, small_files)
    bad = client.post(f"/api/plans/{plan_id}/remedies", json={"time_limit": 0, "x": 1})
    assert bad.status_code == 422
    assert [p["column"] for p in bad.json()["problems"]] == ["x", "time_limit"]
    bad = client.post(f"/api/plans/{plan_id}/remedies", json={"time_limit": "soon"})
    assert bad.status_code == 422 and bad.json()["problems"][0]["column"] == "time_limit"
    page = client.post(
        f"/plans/{plan_id}/remedies",
        data={"csrf_token": token(client, f"/plans/{plan_id}"), "per_solve": "0"},
    )
    assert page.status_code == 422 and "<td>Tidsgrænse i sekunder</td>" in page.text
    bad = client.post(f"/api/plans/{plan_id}/remedies/apply", json={"job_id": UNKNOWN})
    assert bad.status_code == 422 and bad.json()["problems"][0]["column"] == "job_id"
    job, _ = _remedies(client, plan_id)
    bad = client.post(
        f"/api/plans/{plan_id}/remedies/apply", json={"job_id": job, "remedy": "magic"}
    )
    assert bad.status_code == 422
    problem = bad.json()["problems"][0]
    assert problem["column"] == "remedy" and "online cohorts" in problem["expected"]
    # the page names the table's remedies in its language, no English word
    page = client.post(
        f"/plans/{plan_id}/remedies/apply?lang=da",
        data={"csrf_token": token(client), "job_id": job, "remedy": "magic"},
    )
    assert page.status_code == 422
    rows = problem_rows(page.text)
    assert rows[0][4].startswith("en løsning fra tabellen: ") and "Online hold" in rows[0][4]
    assert rows[0][0] == "(formularen)" and not english_in(page.text), rows
    bad = client.post(
        f"/api/plans/{plan_id}/remedies/apply",
        json={"job_id": job, "remedy": "none (the round as it is)"},
    )
    assert bad.status_code == 422
    assert len(client.get(f"/api/plans/{plan_id}/versions").json()["versions"]) == 1
    other = upload(client, small_files)  # a job of another plan is not this plan's
    bad = client.post(f"/api/plans/{other}/remedies/apply", json={"job_id": job, "remedy": "x"})
    assert bad.status_code == 422
    for method, url in (
        ("post", f"/api/plans/{UNKNOWN}/remedies"),
        ("post", f"/api/plans/{UNKNOWN}/remedies/apply"),
        ("get", f"/api/jobs/{UNKNOWN}/remedies"),
        ("get", f"/jobs/{UNKNOWN}/remedies"),
        ("get", f"/jobs/{UNKNOWN}/remedies.csv"),
        ("get", f"/api/jobs/{UNKNOWN}/files/remedies.csv"),
    ):
        kwargs: dict[str, Any] = {"json": {}} if method == "post" else {}
        assert getattr(client, method)(url, **kwargs).status_code == 404, url
    solve = client.post(f"/api/plans/{plan_id}/solve", json={"time_limit": 5}).json()["job_id"]
    assert client.get(f"/api/jobs/{solve}/remedies").status_code == 404


def test_a_remedies_jobs_progress_in_danish() -> None:
    from camp_planner.web.i18n import translations
    from camp_planner.web.views import progress_text

    gettext = translations("da").gettext
    line = progress_text("scenario 2/9 (mix levels A+B): solving", gettext, str)
    assert line == "Scenarie 2 af 9 (Niveau A+B på samme Modul 1-hold): Beregner"
    line = progress_text("scenario 9/9 (none (the round as it is)): solving", gettext, str)
    assert "Ingen (runden som den er)" in line
    # a what-if scenario's own name is shown as it was named
    assert "(my plan)" in progress_text("scenario 1/2 (my plan): solving", gettext, str)
