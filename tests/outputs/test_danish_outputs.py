"""`language = "da"` in round.toml: the text people read in the output files is Danish
(unplaced reasons, roster.xlsx's header row and words, invitations, the map), while what
programs read stays as it is (roster.json's keys and codes, participants.csv's headers and
keys, sheet names); the default stays English. And the catalog behind it is complete.

The round is the small one of tests/helpers/roster_fixture.py, solved for real (under a
second): 27 companies; the one A/young company cannot fill a cohort (segment_too_small)
and one has completed its track (track_complete).
"""

from __future__ import annotations

import csv
import json
import re
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po
from icalendar import Calendar

import camp_planner
from camp_planner import i18n, load_folder, solve, write_outputs
from camp_planner.models import PlanningProblem, Roster
from camp_planner.models.roster import CohortAgeGroup
from camp_planner.outputs.ics import facilitator_calendar
from camp_planner.outputs.maps import build_map
from camp_planner.replan import replan
from camp_planner.scheduler.result import policy_sentence
from tests.helpers.roster_fixture import make_problem, make_roster, write_folder
from tests.helpers.sched_build import TOWN_A, TOWN_B, co, rnd, run, ve
from tests.replan.build import checked, cohort, problem_of, published

SHEETS = ["cohorts", "participants", "unplaced", "calendar", "summary"]
CSV_HEADER = [
    "company_id", "name", "town", "level", "below_c", "age_group", "participants", "priority",
    "status", "cohort_id", "venue_id", "venue", "module", "module1", "lab1", "module2", "lab2",
    "travel_km", "unplaced_code", "unplaced_reason",
]  # fmt: skip
#: The A/young company of the fixture (index 24): alone in its group.
A_YOUNG = "32442472"
REASON_EN = "A/young Module 1 has 1 eligible companies (1 people); a cohort needs 8"
REASON_DA = "A/ung Modul 1 har 1 virksomhed, der kan deltage (1 person); et hold kræver mindst 8"


def _solved(root: Path, language: str | None) -> tuple[PlanningProblem, Roster, Path]:
    folder = write_folder(make_problem(), root / "plan")
    if language is not None:
        with (folder / "round.toml").open("a", encoding="utf-8") as handle:
            handle.write(f'language = "{language}"\n')
    problem = load_folder(folder)
    roster = solve(problem, time_limit=20, workers=1)
    write_outputs(problem, roster, root / "out")
    return problem, roster, root / "out"


@pytest.fixture(scope="module")
def danish(tmp_path_factory: pytest.TempPathFactory) -> tuple[PlanningProblem, Roster, Path]:
    return _solved(tmp_path_factory.mktemp("da"), "da")


@pytest.fixture(scope="module")
def english(tmp_path_factory: pytest.TempPathFactory) -> tuple[PlanningProblem, Roster, Path]:
    return _solved(tmp_path_factory.mktemp("en"), None)


def _csv(out: Path, delimiter: str = ",") -> list[dict[str, str]]:
    """participants.csv: `,` for an English round, `;` for a Danish one (Danish Excel)."""
    with (out / "participants.csv").open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle, delimiter=delimiter))


def _header(sheet: Any) -> list[Any]:
    return [cell.value for cell in sheet[1]]


def _events(path: Path) -> list[Any]:
    return list(Calendar.from_ical(path.read_bytes()).walk("VEVENT"))


def _legend(page: str) -> str:
    return page.split('class="camp-legend"', 1)[1].split("</div>", 1)[0]


# --- the round's language is read, reasons are Danish ----------------------------------


def test_reasons_are_danish_in_roster_json_and_csv(danish: Any) -> None:
    problem, roster, out = danish
    assert problem.round.language == "da"
    document = json.loads((out / "roster.json").read_text(encoding="utf-8"))
    unplaced = {u["company_id"]: u for u in document["unplaced"]}
    # keys and codes are for programs: unchanged; the sentence is for people
    assert unplaced[A_YOUNG]["code"] == "segment_too_small"
    assert unplaced[A_YOUNG]["reason"] == REASON_DA
    assert "track_complete" in {u["code"] for u in document["unplaced"]}
    assert "har gennemført Modul 1 og Modul 2" in {u["reason"] for u in document["unplaced"]}
    assert document["summary"]["policy"].startswith("hvem der kommer først: højest prioritet")
    rows = _csv(out, ";")
    assert list(rows[0]) == CSV_HEADER
    row = next(r for r in rows if r["company_id"] == A_YOUNG)
    assert (row["status"], row["age_group"], row["unplaced_code"]) == (
        "unplaced",
        "young",
        "segment_too_small",
    )
    assert row["unplaced_reason"] == REASON_DA


def test_workbook_is_danish_but_its_sheet_names_stay(danish: Any) -> None:
    _, roster, out = danish
    book = openpyxl.load_workbook(out / "roster.xlsx")
    assert book.sheetnames == SHEETS
    participants = book["participants"]
    header = _header(participants)
    assert header[:9] == [
        "virksomheds-id", "navn", "by", "niveau", "under C", "aldersgruppe", "deltagere",
        "prioritet", "status",
    ]  # fmt: skip
    assert header[-3:] == ["km kørsel (én vej)", "årsagskode", "årsag"]
    assert "moduldag 1" in header and "labdag" in header
    rows = {
        r[0]: dict(zip(header, r, strict=True))
        for r in participants.iter_rows(min_row=2, values_only=True)
    }
    assert rows[A_YOUNG]["status"] == "ikke placeret"
    assert rows[A_YOUNG]["aldersgruppe"] == "ung"
    assert rows[A_YOUNG]["årsag"] == REASON_DA
    placed = next(r for r in rows.values() if r["status"] == "placeret")
    assert placed["modul"] in ("Modul 1", "Modul 2")
    assert _header(book["unplaced"]) == ["virksomheds-id", "navn", "årsagskode", "årsag"]
    assert REASON_DA in [r[3] for r in book["unplaced"].iter_rows(min_row=2, values_only=True)]
    cohorts = book["cohorts"]
    assert _header(cohorts)[:4] == ["hold", "mødested-id", "mødested", "modul"]
    assert {r[3] for r in cohorts.iter_rows(min_row=2, values_only=True)} <= {"Modul 1", "Modul 2"}
    calendar = book["calendar"]
    assert _header(calendar)[:4] == ["dato", "ugedag", "hold", "trin"]
    first = next(calendar.iter_rows(min_row=2, values_only=True))
    assert first[0].date() == date(2027, 1, 4) and first[1] == "mandag"
    notes = {r[-1] for r in calendar.iter_rows(min_row=2, values_only=True)}
    assert "tovholderen er ikke til rådighed" in notes  # 2027-01-20
    summary = {r[0]: r[1] for r in book["summary"].iter_rows(min_row=2, values_only=True)}
    assert summary["placeret"] == roster.summary.placed
    assert summary["ikke placeret"] == roster.summary.unplaced
    assert summary["runde"] == "2027-Q1"


def test_invitations_are_danish(danish: Any) -> None:
    _, roster, out = danish
    cohort = roster.cohorts[0]
    events = _events(out / "invitations" / f"{cohort.cohort_id}.ics")
    summaries = [str(e["summary"]) for e in events]
    step = "Modul 1" if cohort.module == "module1" else "Modul 2"
    assert summaries[0] == f"Vækstcamp {step} — hold {cohort.cohort_id}"
    description = str(events[0]["description"])
    assert description.startswith(f"{step} i vækstforløbet Vækstcamp, runde 2027-Q1.")
    assert f"Hold {cohort.cohort_id}: niveau {cohort.level.value}," in description
    assert "Mødested: " in description and "deltagere." in description
    for english in ("cohort", "Venue", "participants", "level"):
        assert english not in description and english not in summaries[0]
    calendar = Calendar.from_ical((out / "invitations" / "facilitator.ics").read_bytes())
    assert str(calendar["x-wr-calname"]) == "Vækstcamp 2027-Q1 — tovholder"
    assert str(calendar["x-wr-caldesc"]) == "Alle mødegange i runde 2027-Q1"


def test_map_legend_layers_and_tooltips_are_danish(danish: Any) -> None:
    _, roster, out = danish
    page = (out / "map.html").read_text(encoding="utf-8")
    legend = _legend(page)
    assert f"{roster.summary.placed} placeret, {roster.summary.unplaced} ikke placeret, " in legend
    assert "km kørsel (én vej)" in legend and " personer" in legend
    assert "Modul " in legend and "/etableret" in legend
    for english in ("placed,", "one-way", "people", "Module"):
        assert english not in legend, english
    assert '"Ikke placeret"' in page  # the unplaced layer's name
    assert "Kort (OpenStreetMap)" in page
    assert "ikke placeret: " + REASON_DA in page  # an unplaced company's tooltip
    assert "Unplaced" not in page and "Map (OpenStreetMap)" not in page


# --- the default stays English, byte for byte in the words checked ----------------------


def test_english_by_default(english: Any) -> None:
    problem, roster, out = english
    assert problem.round.language == "en"
    reasons = {u.company_id: u.reason for u in roster.unplaced}
    assert reasons[A_YOUNG] == REASON_EN
    assert roster.summary.policy.startswith("who goes first: higher priority")
    row = next(r for r in _csv(out) if r["company_id"] == A_YOUNG)
    assert row["unplaced_reason"] == REASON_EN
    book = openpyxl.load_workbook(out / "roster.xlsx")
    assert book.sheetnames == SHEETS
    assert _header(book["participants"])[:3] == ["company_id", "name", "town"]
    assert _header(book["calendar"])[:2] == ["date", "weekday"]
    cohort = roster.cohorts[0]
    (event, *_) = _events(out / "invitations" / f"{cohort.cohort_id}.ics")
    assert str(event["summary"]).startswith("Vækstcamp Module ")
    assert f"— cohort {cohort.cohort_id}" in str(event["summary"])
    legend = _legend((out / "map.html").read_text(encoding="utf-8"))
    assert "km one-way" in legend and " people" in legend


# --- the fixed roster: split Module 2, Danish dates, mixed and online cohorts -----------


def _danish_fixture() -> tuple[PlanningProblem, Roster]:
    problem = make_problem()
    round_da = problem.round.model_copy(update={"language": "da"})
    problem = problem.model_copy(update={"round": round_da})
    return problem, make_roster(problem)


def test_split_module_two_and_dates_in_danish() -> None:
    # C02's Module 2 is Friday 29 Jan + Monday 1 Feb: two events "(dag 1/2)", "(dag 2/2)".
    problem, roster = _danish_fixture()
    calendar = facilitator_calendar(problem, roster, stamp=datetime(2027, 1, 1, tzinfo=UTC))
    titles = [str(e["summary"]) for e in calendar.walk("VEVENT")]
    assert "Vækstcamp Modul 2 — hold C02 (Aarhus Kongrescenter) (dag 1/2)" in titles
    assert "Vækstcamp Modul 2 — hold C02 (Aarhus Kongrescenter) (dag 2/2)" in titles
    page = build_map(problem, roster).get_root().render()
    assert "Modul 2: fre. 29. jan. 2027, man. 1. feb. 2027" in page
    assert "C02</b> — Modul 2, B/etableret, 8 virksomheder" in page


def test_online_and_mixed_words_in_danish() -> None:
    problem, roster = _danish_fixture()
    online = roster.cohorts[0].model_copy(
        update={
            "online": True,
            "venue_id": "online",
            "mixed": True,
            "age_group": CohortAgeGroup.MIXED,
        }
    )
    roster = roster.model_copy(update={"cohorts": [online, *roster.cohorts[1:]]})
    calendar = facilitator_calendar(problem, roster, stamp=datetime(2027, 1, 1, tzinfo=UTC))
    event = next(e for e in calendar.walk("VEVENT") if "C01" in str(e["summary"]))
    assert str(event["location"]) == "Online (intet mødested, ingen kørsel)"
    description = str(event["description"])
    assert "unge og etablerede virksomheder (et blandet hold)." in description
    assert "Holdes online: intet mødested, ingen kørsel" in description
    legend = _legend(build_map(problem, roster).get_root().render())
    assert "C01 · Online · Modul 1 · C/blandet (blandet) · 9 personer" in legend


# --- reasons and the policy sentence in the scheduler -----------------------------------


def test_reason_and_policy_of_a_capacity_decision_in_danish() -> None:
    # As test_without_waiting_shorter_travel_wins: n1, n2 at the venue, f 14.46 km away,
    # cohorts of exactly 2: f is left out by travel.
    r = rnd(cohort_min=2, cohort_max=2, language="da")
    roster = run(r, [co("n1"), co("n2"), co("f", TOWN_B)], [ve("v")])
    (left,) = roster["unplaced"]
    assert (left["company_id"], left["code"]) == ("f", "capacity")
    # issue 23: travel decided, and the reason gives both distances (n1, n2: 0 km; f: LEG_KM)
    assert left["reason"] == (
        "C/etableret Modul 1: ikke plads til alle; ved lige prioritet og ventetid fik "
        "virksomhederne med kortest kørsel pladserne: de placerede virksomheder, den "
        "konkurrerede med, kører højst 0,0 km, denne virksomhed 14,5 km"
    )
    assert roster["summary"]["policy"].endswith(
        "; ikke plads til 1 virksomhed: 1 pga. kørsel (lige prioritet og ventetid)"
    )


def test_waiting_since_in_a_danish_reason_is_a_danish_date() -> None:
    r = rnd(cohort_min=2, cohort_max=2, language="da")
    companies = [co("n1"), co("n2"), co("f", TOWN_B, waiting_since=date(2026, 6, 1))]
    roster = run(r, companies, [ve("v")])
    (left,) = roster["unplaced"]
    assert "har ventet længere (siden 1. juni 2026)" in left["reason"]
    assert "1 pga. ventetid" in roster["summary"]["policy"]


def test_policy_counts_english_reasons_without_a_count() -> None:
    # Rosters built elsewhere (the programme's) give no count: the English words are counted.
    problem = make_problem()
    roster = make_roster(problem)
    unplaced = [u.model_copy(update={"reason": "x; shorter travel won"}) for u in roster.unplaced]
    assert policy_sentence(problem, unplaced).endswith(
        "no room for 3 companies: 3 by travel (equal priority and waiting)"
    )


def test_replanned_roster_reasons_and_policy_in_danish() -> None:
    # As tests/replan's lost place: cohort_max drops from 3 to 2, so one of C01's three
    # members loses its place, and its reason says that keeping it would cost another.
    venues = [ve("A", TOWN_A), ve("B", TOWN_B)]
    companies = [co("a0"), co("a1"), co("a2")]
    roster = published(
        problem_of(rnd(), companies, venues),
        [cohort("C01", "A", ["a0", "a1", "a2"], ["2027-01-12"], "2027-02-02")],
    )
    now = problem_of(rnd(cohort_max=2, language="da"), companies, venues)
    result = replan(now, roster, date(2027, 1, 1), time_limit=20)
    new = checked(now, result, date(2027, 1, 1))
    (lost,) = new["unplaced"]
    assert lost["code"] == "capacity"
    assert lost["reason"].startswith("havde en plads på hold C01, men hvis den beholdt den, ")
    assert new["summary"]["policy"].startswith("planlagt om: virksomheder med en plads")


# --- the catalog ------------------------------------------------------------------------

PACKAGE = Path(camp_planner.__file__).resolve().parent


def _catalog() -> Any:
    with (i18n.CATALOGS / "da" / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        return read_po(handle, locale="da")


def test_every_output_text_has_a_danish_translation() -> None:
    """The catalog is complete and in step with the code (docs/planning-folder.md has the
    pybabel commands that update it): every text marked in the library (the web app's
    pages have their own catalog) has a Danish translation, not fuzzy, with the same
    ``%(name)s`` placeholders; no text in the catalog is unused."""
    method_map = [("web/**", "ignore"), ("**.py", "python")]
    keywords = {"_": None, "gettext": None, "ngettext": (1, 2), "N_": None}
    found = set()
    for _, _, message, _, _ in extract_from_dir(str(PACKAGE), method_map, keywords=keywords):
        found.add(message if isinstance(message, str) else tuple(message))
    assert len(found) > 100
    catalog = _catalog()
    known = {m.id if isinstance(m.id, str) else tuple(m.id): m for m in catalog if m.id}
    missing = found - set(known)
    assert not missing, f"not in messages.po (run pybabel extract + update): {missing}"
    stale = set(known) - found
    assert not stale, f"in messages.po but no longer used: {stale}"
    assert not catalog.fuzzy
    for key, message in known.items():
        strings = [message.string] if isinstance(message.string, str) else list(message.string)
        assert all(strings), f"no Danish for {key!r}"
        assert not message.fuzzy, f"fuzzy: {key!r}"
        ids = [key] if isinstance(key, str) else list(key)
        wanted = set(re.findall(r"%\(\w+\)s", ids[-1]))
        for text in strings:
            assert set(re.findall(r"%\(\w+\)s", text)) == wanted, (key, text)


def test_catalog_compiles_and_english_is_the_code() -> None:
    _ = i18n.gettext_for("da")
    assert _("Module 1") == "Modul 1"
    assert i18n.ngettext_for("da")("%(n)s people", "%(n)s people", 1) == "%(n)s person"
    assert i18n.gettext_for("en")("Module 1") == "Module 1"
    assert i18n.format_day(date(2027, 1, 12), "da") == "12. januar 2027"
    assert i18n.format_day(date(2027, 1, 12), "en") == "2027-01-12"
    assert i18n.format_number(1234.56, "da", ",.0f") == "1.235"
    assert i18n.format_number(94.04, "da", ".1f") == "94,0"
    assert i18n.format_number(1234.56, "en", ",.0f") == "1,235"
