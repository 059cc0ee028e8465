"""The roster page's list of companies without a place (issue 18): sorted by reason, then
by name, with each company's id and town."""

from __future__ import annotations

import csv
import io
import re
from html import unescape

from fastapi.testclient import TestClient

from camp_planner.web.i18n import translations
from camp_planner.web.views import CODE_LABELS


def _rows(page: str) -> list[list[str]]:
    section = page.split('<section id="unplaced">')[1].split("</section>")[0]
    body = section.split("<tbody>")[1].split("</tbody>")[0]
    rows = re.findall(r"<tr>(.*?)</tr>", body, re.S)
    cells = [re.findall(r"<td[^>]*>(.*?)</td>", row, re.S) for row in rows]
    return [[unescape(re.sub(r"<[^>]+>", "", c)).strip() for c in row] for row in cells]


def test_unplaced_sorted_by_reason_then_name_with_id_and_town(
    solved: tuple[TestClient, str, str], small_files: dict[str, bytes]
) -> None:
    client, plan_id, _ = solved
    roster = client.get(f"/api/plans/{plan_id}/roster.json").json()
    companies = {
        r["company_id"]: r
        for r in csv.DictReader(io.StringIO(small_files["companies.csv"].decode("utf-8-sig")))
    }
    assert roster["unplaced"], "the small plan leaves companies without a place"
    gettext = translations("en").gettext
    expected = sorted(
        (
            gettext(CODE_LABELS[u["code"]]),
            companies[u["company_id"]]["name"],
            u["company_id"],
            companies[u["company_id"]].get("town", ""),
        )
        for u in roster["unplaced"]
    )  # by reason label, then name
    expected.sort(key=lambda e: (e[0], e[1].casefold()))
    rows = _rows(client.get(f"/plans/{plan_id}/roster?lang=en").text)
    assert [tuple(r[:4]) for r in rows] == [
        (label, name, cid, town) for label, name, cid, town in expected
    ]
    assert all(r[4] for r in rows), "every row explains why"
    # the Danish page renders the same reasons in Danish, naming no round.toml key
    danish = _rows(client.get(f"/plans/{plan_id}/roster?lang=da").text)
    assert len(danish) == len(rows)
    assert all("`" not in r[4] and "_" not in r[4] for r in danish)
    coded = [u for u in roster["unplaced"] if u.get("reason_code")]
    assert coded, "the small plan's reasons carry their codes"
    assert not {r[4] for r in danish} & {r[4] for r in rows}, "no English reason on a Danish page"


# -- reasons in the page's language (issue 18) ---------------------------------------------


def _stored_roster() -> dict[str, object]:
    """An English round's roster.json, as written and read back: a0/a1 (A/young, 2 people)
    are too few for an in-person cohort of 3, enough for an online one of 2."""
    from tests.helpers.sched_build import co, rnd, run, ve

    companies = [co(f"c{i}") for i in range(3)]
    companies += [co(f"a{i}", level="A", young=True) for i in range(2)]
    return run(rnd(cohort_min=3, cohort_max=4, online_cohort_min=2), companies, [ve("v")])


def test_one_stored_roster_renders_its_reasons_in_both_languages() -> None:
    from camp_planner.models import Roster
    from camp_planner.web.views import reason_shown

    roster = _stored_roster()
    entry = next(u for u in roster["unplaced"] if u["company_id"] == "a0")  # type: ignore[union-attr]
    # the stored sentence is the round's (English) command-line text, as before
    assert entry["reason"] == (
        "A/young Module 1 has 2 eligible companies (2 people); a cohort needs 3; an online "
        "cohort of 2 would place them: `online_cohorts = true`"
    )
    assert entry["reason_code"] == "segment_too_small"
    assert entry["reason_values"]["segment"] == {
        "module": "module1",
        "level": "A",
        "age_group": "young",
    }
    assert entry["reason_values"]["hints"] == [{"code": "online_cohort", "n": 2}]
    # the model reads the new keys back
    assert Roster.model_validate(roster).unplaced[0].reason_code == "segment_too_small"
    assert reason_shown(entry, "en") == (
        "A/young Module 1 has 2 eligible companies (2 people); a cohort needs 3; an online "
        "cohort of 2 would place them: “Module 1 may be held online” ticked on the Settings page"
    )
    assert reason_shown(entry, "da") == (
        "A/ung Modul 1 har 2 virksomheder, der kan deltage (2 personer); et hold kræver mindst "
        "3; et onlinehold med 2 personer ville give dem plads: »Modul 1 må holdes online« "
        "afkrydset på siden Indstillinger"
    )


def test_an_older_roster_without_codes_shows_its_stored_sentence() -> None:
    from camp_planner.web.views import reason_shown

    stored = "A/young Module 1 has 2 eligible companies; no cohort: `online_cohorts = true`"
    shown = reason_shown({"reason": stored, "code": "segment_too_small"}, "en")
    assert shown == (
        "A/young Module 1 has 2 eligible companies; no cohort: “Module 1 may be held online” "
        "ticked on the Settings page"
    )
    # a code this version does not know, or values that do not fit it: the stored sentence
    assert reason_shown({"reason": "x", "reason_code": "later", "reason_values": {}}, "da") == "x"
    assert (
        reason_shown({"reason": "y", "reason_code": "waiting_longer", "reason_values": {}}, "en")
        == "y"
    )


def test_dates_numbers_and_settings_of_reasons_in_the_page_language() -> None:
    from camp_planner.web.views import reason_shown

    segment = {"module": "module1", "level": "B", "age_group": "established"}
    waiting = {
        "reason_code": "waiting_longer",
        "reason_values": {"segment": segment, "since": "2026-03-01"},
    }
    assert reason_shown(waiting, "da") == (
        "B/etableret Modul 1: ikke plads til alle; ved lige prioritet blev virksomheder, der har "
        "ventet længere (siden 1. marts 2026), placeret først"
    )
    assert "(since 2026-03-01)" in reason_shown(waiting, "en")
    travel = {
        "reason_code": "shorter_travel",
        "reason_values": {"segment": segment, "placed": 12.26, "own": 40.04},
    }
    assert "højst 12,3 km" in reason_shown(travel, "da")
    assert "40,0 km" in reason_shown(travel, "da") and "40.0 km" in reason_shown(travel, "en")
    first = {"reason_code": "higher_priority", "reason_values": {"segment": segment, "priority": 3}}
    for lang in ("da", "en"):
        shown = reason_shown(first, lang)
        assert "level_priority" not in shown and "`" not in shown
    assert "»Prioritet lagt til efter niveau« på siden Indstillinger" in reason_shown(first, "da")


def test_reasons_decided_before_solving_carry_their_code_too() -> None:
    """A company too far from every venue and one that has done its track: their
    entries have codes and values, rendered in both languages, naming the Settings
    page's field on the web."""
    from camp_planner.models import Step
    from camp_planner.web.views import reason_shown
    from tests.helpers.sched_build import TOWN_B, co, rnd, run, ve

    companies = [co(f"c{i}") for i in range(3)]
    companies += [co("far", at=(57.5, 10.5)), co("done", completed=[Step.MODULE1, Step.MODULE2])]
    roster = run(rnd(max_travel_km=40), companies, [ve("v"), ve("w", at=TOWN_B)])
    entries = {u["company_id"]: u for u in roster["unplaced"]}
    far, done = entries["far"], entries["done"]
    assert (far["code"], far["reason_code"]) == ("too_far", "too_far_limit")
    assert far["reason"] == "no open venue within max_travel_km = 40 km"
    assert reason_shown(far, "en") == (
        "no open venue within 40 km (“Longest travel, km” on the Settings page)"
    )
    assert reason_shown(far, "da") == (
        "intet åbent mødested inden for 40 km (»Længste rejse, km« på siden Indstillinger)"
    )
    assert (done["code"], done["reason_code"]) == ("track_complete", "track_done")
    assert reason_shown(done, "da") == "har gennemført Modul 1 og Modul 2"
    assert all(u.get("reason_code") for u in roster["unplaced"]), roster["unplaced"]
