"""The year in the browser, fit (issue 17, item 4): choosing one of fit's ranked places for
a late sign-up makes the roster with the company in that place, a change recorded like a
replan (its change list, updated invitations, publishable); bad input 422, unknown 404."""

from __future__ import annotations

import csv
import html
import io
import re
import zipfile
from datetime import date
from pathlib import Path
from typing import Any

from camp_planner.io.folder import load_folder
from tests.checker import check_replan
from tests.web.conftest import wait_for
from tests.web.test_pages import token
from tests.web.test_problems_language import english_in, problem_rows
from tests.web.test_year_replan import _solved_and_published

UNKNOWN = "0123456789abcdef"


def _fit_of_a_late_signup(
    client: Any, plan_id: str, files: dict[str, bytes]
) -> tuple[str, str, list[dict[str, Any]]]:
    """A late sign-up (77777777) saved without a replan and the places fit finds for it:
    (the late sign-ups CSV, the fit job, its options)."""
    companies = files["companies.csv"].decode().splitlines()
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
    return late, fit_job, wait_for(client, fit_job, timeout=120)["summary"]["options"]


def test_choose_a_place_of_fit(
    make_client: Any, small_files: dict[str, bytes], tmp_path: Path
) -> None:
    client = make_client(solver_workers=1)
    plan_id, published = _solved_and_published(client, small_files)
    late, fit_job, options = _fit_of_a_late_signup(client, plan_id, small_files)
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
    assert bad.json()["problems"][0]["expected"].startswith("a rank of the places: ")
    page = client.post(
        f"/plans/{plan_id}/fit/choose?lang=da",
        data={"csrf_token": token(client), "job_id": fit_job, "rank": "99"},
    )
    assert page.status_code == 422
    rows = problem_rows(page.text)
    assert rows[0][4].startswith("et af pladsernes numre: ") and not english_in(page.text), rows
    bad = client.post(f"/api/plans/{plan_id}/fit/choose", json={"job_id": job, "rank": 1})
    assert bad.status_code == 422 and bad.json()["problems"][0]["column"] == "job_id"
    bad = client.post(f"/api/plans/{plan_id}/fit/choose", json=[1])
    assert bad.status_code == 422
    assert client.post(f"/api/plans/{UNKNOWN}/fit/choose", json={}).status_code == 404


#: Danish weekday and month abbreviations of a day-first date (``man. 1. feb. 2027``), as
#: the roster page shows dates; English: ``Mon 1 Feb 2027``.
DA_DAYS = ("man.", "tirs.", "ons.", "tors.", "fre.", "lør.", "søn.")
DA_MONTHS = ("jan.", "feb.", "mar.", "apr.", "maj", "jun.", "jul.", "aug.", "sep.", "okt.",
             "nov.", "dec.")  # fmt: skip
EN_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
EN_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov",
             "Dec")  # fmt: skip


def _day_first(day: date, lang: str) -> str:
    if lang == "da":
        return f"{DA_DAYS[day.weekday()]} {day.day}. {DA_MONTHS[day.month - 1]} {day.year}"
    return f"{EN_DAYS[day.weekday()]} {day.day} {EN_MONTHS[day.month - 1]} {day.year}"


def _option_cells(page: str) -> list[list[str]]:
    """The cells of the fit page's table of places, as text."""
    body = page.split('<table id="options"', 1)[1].split("</table>", 1)[0]
    body = body.split("<tbody>", 1)[1]
    return [
        [html.unescape(re.sub(r"<[^>]+>", "", cell)).strip() for cell in
         re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
        for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)
    ]  # fmt: skip


def test_fit_page_names_venues_and_dates_in_the_page_language(
    make_client: Any, small_files: dict[str, bytes]
) -> None:
    """The fit page shows each place's venue by its name and its days day-first in the
    page's language, as the roster page does; fit.csv and the API keep ids and ISO dates."""
    venues = small_files["venues.csv"].decode().splitlines()
    renamed = (
        [venues[0]]
        + [  # names unlike the ids (the companies' names hold the towns)
            re.sub(r"^(\w+),(\w+),", r"\1,Kursuscenter \2 Sø,", line) for line in venues[1:]
        ]
    )
    files = {**small_files, "venues.csv": ("\n".join(renamed) + "\n").encode()}
    names = {line.split(",")[0]: line.split(",")[1] for line in renamed[1:]}
    client = make_client(solver_workers=1)
    plan_id, _ = _solved_and_published(client, files)
    _, fit_job, options = _fit_of_a_late_signup(client, plan_id, small_files)
    placed = [o for o in options if o["venue_id"]]
    assert placed, options
    fit_csv = client.get(f"/api/jobs/{fit_job}/files/fit.csv").text
    headings = {
        "da": "Pladser til Sen Tre ApS (77777777)",
        "en": "Places for Sen Tre ApS (77777777)",
    }
    for lang in ("da", "en"):
        page = client.get(f"/jobs/{fit_job}/fit?lang={lang}").text
        # the company by its name, its id in brackets as the other pages show it (issue 18)
        heading = re.search(r"<h1>(.*?)</h1>", page, re.S)
        assert heading is not None and heading.group(1) == headings[lang], heading
        assert f"<title>{'Pladser' if lang == 'da' else 'Places'} Sen Tre ApS (77777777)" in page
        rows = {cells[0]: cells for cells in _option_cells(page)}
        for option in placed:
            cells = rows[str(option["rank"])]
            days = [date.fromisoformat(d) for d in option["dates"].split(";")]
            assert cells[2] == names[option["venue_id"]], cells
            assert cells[3] == ", ".join(_day_first(d, lang) for d in days), cells
            assert option["dates"].split(";")[0] not in page  # no ISO date on the page
        assert not re.search(r"\b20\d\d-\d\d-\d\d\b", page.split("</table>", 1)[0])
    # fit.csv (CONTRACT) and the API keep the venue's id and the ISO dates
    assert placed[0]["venue_id"] in fit_csv and placed[0]["dates"] in fit_csv
    assert "Kursuscenter" not in fit_csv
    # the roster of a chosen place: its replan page names the venues and writes the days
    # day-first too (changes.csv and the API keep them as written)
    chosen = placed[0]
    answer = client.post(
        f"/plans/{plan_id}/fit/choose",
        data={"csrf_token": token(client, f"/jobs/{fit_job}/fit"), "job_id": fit_job,
              "rank": chosen["rank"]},
        follow_redirects=False,
    )  # fmt: skip
    job = answer.headers["location"].removeprefix("/jobs/")
    assert wait_for(client, job, timeout=120)["status"] == "done"
    rows = client.get(f"/api/jobs/{job}/changes").json()["changes"]
    mine = next(r for r in rows if r["company_id"] == "77777777")
    assert mine["new_venue_id"] == chosen["venue_id"]  # the API: ids and ISO dates
    page = client.get(f"/jobs/{job}/replan?lang=da").text
    venue = names[chosen["venue_id"]]
    chosen_line = f"på den valgte plads: {chosen['cohort_id']} på {venue}."
    assert f"Holdplanen med Sen Tre ApS (77777777) {chosen_line}" in page
    table = page.split('<table id="changes">', 1)[1].split("</table>", 1)[0]
    cells = {  # the table's rows by company id
        found[0]: found
        for found in (
            [html.unescape(re.sub(r"<[^>]+>", "", c)).strip()
             for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
            for row in re.findall(r"<tr>(.*?)</tr>", table, re.S)
        )
        if found
    }  # fmt: skip
    days = [date.fromisoformat(d) for d in mine["new_dates"].split(";")]
    assert venue in cells["77777777"], cells["77777777"]
    # without the weekday: the change list has nine columns
    assert ", ".join(_day_first(d, "da").split(" ", 1)[1] for d in days) in cells["77777777"]
    assert not re.search(r"\b20\d\d-\d\d-\d\d\b", table)  # no ISO date in the change list
    shown = {cell for row in cells.values() for cell in row}
    assert not shown & set(names), shown & set(names)  # no venue by its id
    assert shown & set(names.values())
