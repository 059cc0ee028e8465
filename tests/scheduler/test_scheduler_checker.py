"""The independent checker itself: it accepts a valid roster (given as models or as the
raw dicts of the planning files) and catches each kind of broken roster."""

from __future__ import annotations

import copy
from datetime import date

import pytest

from tests.checker import (
    check_roster,
    haversine,
    is_workday,
    next_workday,
    placed_count,
    total_travel,
)
from tests.helpers.sched_build import LEG_KM, TOWN_B, co, rnd, run, ve

M1 = frozenset({"module1", "lab1"})
ROUND = rnd(facilitator_unavailable=[date(2027, 1, 5)])
COMPANIES = [co("m1"), co("m2"), co("m3", TOWN_B, young=None, founded=date(2000, 1, 1))]
COMPANIES += [co("b1", level="B", completed=M1), co("b2", level="B", completed=M1)]
COMPANIES += [co("x1", completed=M1)]  # C with Module 1 done: not eligible
VENUES = [ve("n", unavailable=[date(2027, 1, 6)]), ve("r", TOWN_B, residential=True)]


@pytest.fixture(scope="module")
def valid():
    return run(ROUND, COMPANIES, VENUES)


def test_valid_roster(valid):
    # m1, m2 at n (0 km) with m3 (town B, 14.46 km); b1, b2 at r (2 x 14.46 km): 43.37 km.
    assert valid["solver"]["status"] == "OPTIMAL"
    assert placed_count(valid) == 5
    assert total_travel(ROUND, COMPANIES, VENUES, valid) == pytest.approx(3 * LEG_KM)
    assert valid["summary"]["travel_km_total"] == pytest.approx(3 * LEG_KM, abs=0.01)


def test_checker_accepts_raw_file_rows(valid):
    # the same inputs as round.toml / CSV rows would give them: text, ';'-lists, no models
    rnd_dict = {
        "name": "T",
        "start": "2027-01-04",
        "end": "2027-03-26",
        "cohort_min": 2,
        "cohort_max": 3,
        "max_venues": 6,
        "facilitators": 1,
        "facilitator_unavailable": ["2027-01-05"],
        "lab_gap_days": [14, 42],
        "road_factor": 1.3,
        "max_travel_km": 0,
    }
    rows = []
    for c in COMPANIES:
        rows.append(
            {
                "company_id": c.company_id,
                "lat": str(c.lat),
                "lon": str(c.lon),
                "young": "" if c.young is None else str(c.young).lower(),
                "founded": c.founded.isoformat() if c.founded else "",
                "level": c.level.value,
                "completed": ";".join(sorted(c.completed)),
                "unavailable": "",
                "priority": "0",
                "participants": "1",
            }
        )
    venues = [
        {"venue_id": "n", "lat": 56.0, "lon": 9.5, "residential": "false",
         "unavailable": "2027-01-06", "status": "candidate", "max_cohorts": ""},
        {"venue_id": "r", "lat": 56.1, "lon": 9.5, "residential": "true",
         "unavailable": "", "status": "candidate", "max_cohorts": ""},
    ]  # fmt: skip
    assert check_roster(rnd_dict, rows, venues, valid) == []


def test_own_calendar_and_haversine():
    assert haversine(56.0, 9.5, 56.1, 9.5) * 1.3 == pytest.approx(LEG_KM)
    # a quarter meridian and one degree along the equator: R * pi / 2 and R * pi / 180
    assert haversine(0.0, 0.0, 90.0, 0.0) == pytest.approx(10007.5577, abs=1e-3)
    assert haversine(0.0, 10.0, 0.0, 11.0) == pytest.approx(111.1951, abs=1e-3)
    assert not is_workday(date(2027, 3, 25))  # Maundy Thursday
    assert not is_workday(date(2027, 5, 6))  # Ascension Day
    assert not is_workday(date(2027, 1, 9))  # Saturday
    assert next_workday(date(2027, 3, 24)) == date(2027, 3, 30)


def cohort(roster, module):
    return next(c for c in roster["cohorts"] if c["module"] == module)


def _drop_member(r):
    c = cohort(r, "module1")
    c["members"].remove(c["members"][0])


def _duplicate(r):
    r["unplaced"].append({"company_id": "m1", "code": "capacity", "reason": "x"})


def _stranger(r):
    cohort(r, "module1")["members"].append("zz")


def _saturday(r):
    cohort(r, "module1")["sessions"][0]["dates"] = ["2027-01-09"]


def _holiday(r):
    cohort(r, "module1")["sessions"][0]["dates"] = ["2027-03-25"]


def _outside(r):
    cohort(r, "module1")["sessions"][1]["dates"] = ["2027-03-31"]


def _lab_too_soon(r):
    c = cohort(r, "module1")
    c["sessions"][0]["dates"] = ["2027-01-11"]
    c["sessions"][1]["dates"] = ["2027-01-18"]


def _module2_not_consecutive(r):
    c = cohort(r, "module2")
    first = date.fromisoformat(c["sessions"][0]["dates"][0])
    c["sessions"][0]["dates"] = [first.isoformat(), next_workday(next_workday(first)).isoformat()]


def _module2_one_day(r):
    c = cohort(r, "module2")
    c["sessions"][0]["dates"] = c["sessions"][0]["dates"][:1]


def _no_lab(r):
    cohort(r, "module1")["sessions"].pop()


def _facilitator_away(r):
    c = cohort(r, "module1")
    c["sessions"][0]["dates"] = ["2027-01-05"]
    c["sessions"][1]["dates"] = ["2027-01-19"]


def _venue_away(r):
    c = cohort(r, "module1")
    c["venue_id"] = "n"
    c["sessions"][0]["dates"] = ["2027-01-06"]
    c["sessions"][1]["dates"] = ["2027-01-20"]


def _same_day(r):
    a, b = cohort(r, "module1"), cohort(r, "module2")
    a["sessions"][1]["dates"] = [b["sessions"][1]["dates"][0]]
    lab = date.fromisoformat(a["sessions"][1]["dates"][0])
    a["sessions"][0]["dates"] = [date.fromordinal(lab.toordinal() - 14).isoformat()]


def _module2_at_n(r):
    cohort(r, "module2")["venue_id"] = "n"


def _wrong_level(r):
    cohort(r, "module1")["level"] = "B"


def _wrong_age(r):
    cohort(r, "module1")["age_group"] = "young"


def _wrong_module(r):
    cohort(r, "module1")["members"].append("b1")
    cohort(r, "module2")["members"].remove("b1")


def _too_big(r):
    cohort(r, "module1")["members"].append("x1")
    r["unplaced"] = [u for u in r["unplaced"] if u["company_id"] != "x1"]


def _bad_code(r):
    r["unplaced"][0]["code"] = "bored"


def _wrong_code(r):
    r["unplaced"][0]["code"] = "track_complete"


def _travel_total(r):
    r["summary"]["travel_km_total"] += 1.0


def _venues_used(r):
    r["summary"]["venues_used"] = ["n"]


def _placed_count(r):
    r["summary"]["placed"] += 1


def _unknown_venue(r):
    cohort(r, "module1")["venue_id"] = "nowhere"


MUTATIONS = {
    "lost": _drop_member,
    "appears 2 times": _duplicate,
    "not an input company": _stranger,
    "not a working day": _saturday,
    "2027-03-25, not a working day": _holiday,
    "outside": _outside,
    "lab 7 days after": _lab_too_soon,
    "not consecutive": _module2_not_consecutive,
    "module2 has 1 dates": _module2_one_day,
    "sessions": _no_lab,
    "facilitator unavailable": _facilitator_away,
    "venue n unavailable": _venue_away,
    "2 sessions, facilitators = 1": _same_day,
    "non-residential": _module2_at_n,
    "cohort is B": _wrong_level,
    "cohort is young": _wrong_age,
    "next step module2, cohort is module1": _wrong_module,
    "4 people": _too_big,
    "not in CONTRACT": _bad_code,
    "code should be not_eligible": _wrong_code,
    "travel_km_total": _travel_total,
    "venues_used": _venues_used,
    "summary.placed": _placed_count,
    "unknown venue": _unknown_venue,
}


@pytest.mark.parametrize("expected", list(MUTATIONS))
def test_checker_catches(valid, expected):
    broken = copy.deepcopy(valid)
    MUTATIONS[expected](broken)
    errors = check_roster(ROUND, COMPANIES, VENUES, broken)
    assert any(expected in e for e in errors), errors


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"max_venues": 1}, "venues used > max_venues 1"),
        ({"facilitators": 1, "max_travel_km": 5.0}, "> max_travel_km"),
        ({"cohort_min": 4}, "not in [4, 3]"),
    ],
)
def test_checker_catches_round_rules(valid, change, expected):
    # the same roster judged against a stricter round
    stricter = ROUND.model_copy(update=change)
    errors = check_roster(stricter, COMPANIES, VENUES, valid)
    assert any(expected in e for e in errors), errors


def test_checker_catches_venue_rules(valid):
    venues = [VENUES[0].model_copy(update={"status": "required", "max_cohorts": 0}), VENUES[1]]
    venues[1] = venues[1].model_copy(update={"max_cohorts": 0})
    errors = check_roster(ROUND, COMPANIES, venues, valid)
    assert any("max_cohorts 0" in e for e in errors), errors
    closed = [VENUES[0], VENUES[1].model_copy(update={"status": "closed"})]
    assert any("closed" in e for e in check_roster(ROUND, COMPANIES, closed, valid))
    required = [VENUES[0], VENUES[1], ve("q", status="required")]
    assert any("required venue q" in e for e in check_roster(ROUND, COMPANIES, required, valid))


def test_checker_catches_member_unavailable(valid):
    day = cohort(valid, "module1")["sessions"][1]["dates"][0]
    companies = [
        c.model_copy(update={"unavailable": frozenset({date.fromisoformat(day)})})
        if c.company_id == "m1"
        else c
        for c in COMPANIES
    ]
    errors = check_roster(ROUND, companies, VENUES, valid)
    assert any("member m1 unavailable" in e for e in errors), errors
