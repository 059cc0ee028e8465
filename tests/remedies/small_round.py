"""A tiny round where every remedy has a different effect, worked out by hand.

Cohorts of 4-5 people in person, 3-5 online (online_cohort_min = 3); venues v (town A)
and w (town B, 14.46 km away: LEG_KM); max_venues = 1; max_travel_km = 10. Companies
(each sends one person, none has done Module 1):

- c1..c5: C/established at town A -> a cohort at v, 0 km;
- f1..f4: C/established at town B -> only w is near enough, but the one venue used is v
  (five placed there beat four at w): no place (capacity);
- b1..b3: B/young at town A and a1: A/young at town A -> too few (3 and 1).

The round as it is: 5 placed, 0 km. By hand, each remedy alone:

- online cohorts: b1..b3 online (3) and f1..f4 online (4): 12 placed, 0 km;
- mix levels A+B: a1 + b1..b3 = 4, one mixed cohort at v: 9 placed, 0 km;
- no travel limit: f1..f4 to v (4 x 14.46 km; 9 people = cohorts of 4 and 5): 9 placed,
  57.82 km;
- one more venue (max_venues = 2): f1..f4 at w: 9 placed, 0 km;
- all of them: c at v, f at w (in person: no online place needed), a1 + b1..b3 mixed at
  v: 13 placed, 0 km, 4 places in a mixed cohort (the fewest: a1 needs a mixed cohort,
  and online would count twice).

Not tried: B+C (no age group has B and C companies), age mixes (no level has young and
established companies).
"""

from __future__ import annotations

from pathlib import Path

from camp_planner.models import Company, PlanningProblem, RoundConfig, Venue
from tests.helpers.sched_build import TOWN_A, TOWN_B, co, rnd, ve

ROUND_TOML = """\
name = "T"
start = 2027-01-04
end = 2027-03-26
cohort_min = 4
cohort_max = 5
max_venues = 1
max_travel_km = 10
online_cohort_min = 3
"""


def round_config() -> RoundConfig:
    return rnd(cohort_min=4, cohort_max=5, max_venues=1, max_travel_km=10, online_cohort_min=3)


def companies() -> list[Company]:
    cs = [co(f"c{i}") for i in range(1, 6)]
    cs += [co(f"f{i}", TOWN_B) for i in range(1, 5)]
    cs += [co(f"b{i}", level="B", young=True) for i in range(1, 4)]
    cs += [co("a1", level="A", young=True)]
    return cs


def venues() -> list[Venue]:
    return [ve("v", TOWN_A), ve("w", TOWN_B)]


def problem() -> PlanningProblem:
    return PlanningProblem(
        round=round_config(), companies=tuple(companies()), venues=tuple(venues())
    )


def write_folder(folder: Path) -> Path:
    """The same round as a planning folder."""
    folder.mkdir(parents=True, exist_ok=True)
    rows = ["company_id,name,lat,lon,young,level"]
    for c in companies():
        rows.append(f"{c.company_id},{c.name},{c.lat},{c.lon},{str(c.young).lower()},{c.level}")
    (folder / "companies.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    rows = ["venue_id,name,lat,lon"] + [f"{v.venue_id},{v.name},{v.lat},{v.lon}" for v in venues()]
    (folder / "venues.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    (folder / "round.toml").write_text(ROUND_TOML, encoding="utf-8")
    return folder
