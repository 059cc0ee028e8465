"""One language per page for the programme's and the replan's unplaced reasons (issue 18's
follow-up): a programme round made a plan (its roster page), the programme's timeline and a
replanned plan (its replan page) show each reason in the page's language, rendered from the
reason's code, whatever language roster.json stored it in; no English word on the Danish
pages (tests/web/test_language.py's list)."""

from __future__ import annotations

import html
import json
import re
from datetime import date
from typing import Any

from tests.web.conftest import upload, wait_for
from tests.web.test_language import english_words
from tests.web.test_programme_api import demo_programme  # noqa: F401  (the fixture)

#: Danish words of the reasons: none may show on the English page.
DANISH = ("har", "personer", "runde", "hold", "kræver", "gennemført", "sender", "tilbage")


def _reasons(page: str) -> dict[str, str]:
    """company id -> the reason shown, from the page's "Without a place" table."""
    section = page.split('<section id="unplaced">', 1)[1].split("</section>", 1)[0]
    rows = re.findall(
        r'<td class="nowrap">([^<]+)</td><td>[^<]*</td><td class="reason">([^<]*)</td>', section
    )
    return {cid: html.unescape(text) for cid, text in rows}


def _danish_words(text: str) -> list[str]:
    words = set(re.findall(r"[A-Za-zæøåÆØÅ]+", text.lower()))
    return sorted(words & set(DANISH))


def _main_text(page: str) -> str:
    """What the page's main part shows (tags and the CSRF fields left out)."""
    main = page.split("<main", 1)[1].split("</main>", 1)[0]
    return html.unescape(re.sub(r"<[^>]+>", " ", main.split(">", 1)[1]))


def test_a_programme_round_as_a_plan_shows_its_reasons_in_the_pages_language(
    demo_programme: Any,  # noqa: F811
) -> None:
    client, _, job_id = demo_programme
    made = client.post(f"/api/jobs/{job_id}/programme/rounds/1/plan")
    assert made.status_code == 201, made.text
    plan_id, roster_job = made.json()["plan_id"], made.json()["roster_job"]
    roster = client.get(f"/api/jobs/{roster_job}/files/roster.json").json()
    unplaced = {u["company_id"]: u for u in roster["unplaced"]}
    assert unplaced and all(u["reason_code"] for u in unplaced.values())
    # the programme stored its own reasons in English in this Danish round, the round's
    # early reasons in Danish: both kinds are there
    stored = {u["reason"] for u in unplaced.values()}
    assert "A/established Module 2 has 3 people this round; a cohort needs 8" in stored
    assert "har gennemført Modul 1 og Modul 2" in stored
    danish = client.get(f"/plans/{plan_id}/roster?lang=da").text
    english = client.get(f"/plans/{plan_id}/roster?lang=en").text
    shown_da, shown_en = _reasons(danish), _reasons(english)
    assert set(shown_da) == set(shown_en) == set(unplaced)
    for cid, text in shown_da.items():
        assert text and english_words(text) == [], (cid, text)
    for cid, text in shown_en.items():
        assert text and _danish_words(text) == [], (cid, text)
    assert "A/etableret Modul 2 har 3 personer i denne runde; et hold kræver mindst 8" in (
        shown_da.values()
    )
    assert "has completed Module 1 and Module 2" in shown_en.values()
    assert english_words(_main_text(danish)) == []


def test_the_programme_timeline_says_why_no_step_in_the_pages_language(
    demo_programme: Any,  # noqa: F811
) -> None:
    client, _, job_id = demo_programme
    document = client.get(f"/api/jobs/{job_id}/programme").json()["programme"]
    none = [e for e in document["companies"] if e["unplaced"]]
    assert none and all(e["unplaced"]["reason_code"] for e in none)
    pages = {
        lang: client.get(f"/jobs/{job_id}/programme?lang={lang}").text for lang in ("da", "en")
    }
    for entry in none:
        cid = entry["company_id"]
        cells = {
            lang: html.unescape(
                page.split(f'id="row-{cid}"')[1].split('<td class="why">')[1].split("</td>")[0]
            )
            for lang, page in pages.items()
        }
        assert english_words(cells["da"]) == [], (cid, cells["da"])
        assert _danish_words(cells["en"]) == [], (cid, cells["en"])
        assert ":" in cells["da"] and ":" in cells["en"]  # the label, then the sentence
    assert english_words(_main_text(pages["da"])) == []


def test_a_replanned_plan_shows_its_reasons_in_the_pages_language(
    make_client: Any, small_files: dict[str, bytes]
) -> None:
    # The small plan is an English round: the replan stores its reasons in English.
    client = make_client(solver_workers=1)
    plan_id = upload(client, small_files)
    job = client.post(f"/api/plans/{plan_id}/solve", json={"time_limit": 30}).json()["job_id"]
    assert wait_for(client, job)["status"] == "done"
    assert client.post(f"/api/plans/{plan_id}/publish", json={}).status_code == 200
    first = date(2027, 1, 4).toordinal()
    every_day = ";".join(date.fromordinal(first + k).isoformat() for k in range(82))
    late = (
        "company_id,name,lat,lon,founded,level,unavailable\n"
        "99999991,Alene ApS,56.13615,8.97662,2010-01-01,A,\n"
        f"99999992,Optaget ApS,56.13615,8.97662,2010-01-01,C,{every_day}\n"
    )
    body = {"withdrawn": [], "late_signups_csv": late, "as_of": "2027-01-04", "time_limit": 30}
    answer = client.post(f"/api/plans/{plan_id}/replan", json=body)
    assert answer.status_code == 202, answer.text
    replan_job = answer.json()["job_id"]
    assert wait_for(client, replan_job, timeout=120)["status"] == "done"
    roster = client.get(f"/api/jobs/{replan_job}/files/roster.json").json()
    unplaced = {u["company_id"]: u for u in roster["unplaced"]}
    assert unplaced["99999991"]["reason"] == (
        "A/established Module 1 has 1 people left to plan and no cohort; a cohort needs 8"
    )
    assert unplaced["99999992"]["reason"].startswith("is unavailable on every day from 2027-")
    young = [u for u in unplaced.values() if u["reason"].startswith("B/young")]
    assert len(young) == 3 and young[0]["reason"] == (
        "B/young Module 1 has 3 people left to plan and no cohort; a cohort needs 8"
    )
    assert all(u["reason_code"] for u in unplaced.values()), json.dumps(roster["unplaced"])
    danish = client.get(f"/jobs/{replan_job}/replan?lang=da").text
    english = client.get(f"/jobs/{replan_job}/replan?lang=en").text
    shown_da, shown_en = _reasons(danish), _reasons(english)
    assert set(shown_da) == set(shown_en) == set(unplaced)
    assert shown_da["99999991"] == (
        "A/etableret Modul 1 har 1 person tilbage at planlægge og intet hold; et hold kræver "
        "mindst 8"
    )
    assert shown_da["99999992"].startswith("kan ikke deltage på nogen af de dage fra ")
    assert shown_da[young[0]["company_id"]] == (
        "B/ung Modul 1 har 3 personer tilbage at planlægge og intet hold; et hold kræver mindst 8"
    )
    assert shown_en == {cid: u["reason"] for cid, u in unplaced.items()}
    for cid, text in shown_da.items():
        assert english_words(text) == [], (cid, text)
    assert english_words(_main_text(danish)) == []


def test_the_notice_period_names_the_changes_pages_field() -> None:
    """A replan's reason names `--as-of` (the command's option): a page names the Changes
    page's field instead, in its own language."""
    from camp_planner.web.reason_words import reason_shown

    entry = {
        "reason": "stored",
        "reason_code": "no_cohort_runs",
        "reason_values": {
            "segment": {"module": "module1", "level": "C", "age_group": "established"},
            "notice": "2027-01-16",
        },
    }
    assert reason_shown(entry, "en") == (
        "no cohort of its group (C/established Module 1) can run with it under the round's "
        "rules; its cohorts meeting before 2027-01-16 (the notice period after “Sessions before "
        "this day have been held” on the Changes page) take nobody new"
    )
    assert reason_shown(entry, "da") == (
        "intet hold i dens gruppe (C/etableret Modul 1) kan gennemføres med den efter rundens "
        "regler; dens hold, der mødes før 16. januar 2027 (varslingsperioden efter »Samlinger "
        "før denne dag er holdt« på siden Ændringer), tager ikke nye med"
    )
