"""A small planning problem and a hand-made roster for the output tests (tests/io).

Three cohorts at two venues (a third venue is unused), 27 companies, three unplaced:

- C01, Herning, Module 1, C/established, 8 companies / 9 people: Tue 12 Jan, lab 9 Feb.
- C02, Aarhus, Module 2, B/established: Module 2 on Friday 29 Jan + Monday 1 Feb (two
  consecutive *working* days that are not consecutive calendar days), lab 1 Mar.
- C03, Aarhus, Module 2, B/young: Module 2 on Tue 16 + Wed 17 Feb, lab 16 Mar.

Company ids are 8-digit CVR-like numbers and names carry æ/ø/å and "&", so that the
anonymisation test has to look for escaped forms too.
"""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

from camp_planner.models import (
    AgeGroup,
    Cohort,
    Company,
    Level,
    PlanningProblem,
    Roster,
    RoundConfig,
    Session,
    SolverReport,
    SolverStatus,
    Step,
    Summary,
    Unplaced,
    UnplacedCode,
    Venue,
)

ROUND = RoundConfig(
    name="2027-Q1",
    start=date(2027, 1, 4),
    end=date(2027, 3, 26),
    facilitator_unavailable=frozenset({date(2027, 1, 20)}),
)

VENUES = (
    Venue(venue_id="herning", name="Herning", lat=56.1393, lon=8.9738, town="Herning"),
    Venue(
        venue_id="aarhus",
        name="Aarhus Kongrescenter",
        lat=56.1518,
        lon=10.2064,
        town="Aarhus",
        residential=True,
    ),
    Venue(venue_id="viborg", name="Viborg", lat=56.4532, lon=9.4020, town="Viborg"),
)

_NAMES = [
    "Ølgod Robotics ApS", "Brande Bæredygtig Energi A/S", "Ikast Tekstil & Design ApS",
    "Silkeborg Software ApS", "Skjern Maskinfabrik A/S", "Ringkøbing Fisk & Skaldyr A/S",
    "Holstebro Hydraulik ApS", "Lemvig Vindservice ApS", "Randers Regnskabsbureau ApS",
    "Grenaa Havneservice A/S", "Ebeltoft Glasværk ApS", "Skanderborg Sensorik ApS",
    "Odder Øko-Mejeri A/S", "Hammel Høreapparater ApS", "Hinnerup Hegn & Havn ApS",
    "Aarhus Analytics ApS", "Åbyhøj Biotek ApS", "Risskov Robotteknik ApS",
    "Lystrup Læringsspil ApS", "Tilst Termografi ApS", "Viby Vinduespolering ApS",
    "Hasselager Højtalere ApS", "Beder Bryggeri ApS", "Malling Metal ApS",
    "Thyborøn Tang ApS", "Karup Kaffe & Te ApS", "Bjerringbro Bådebyg ApS",
]  # fmt: skip


def _company(i: int, **kwargs: object) -> Company:
    lat = 55.95 + 0.03 * i + (0.2 if i % 2 else 0.0)
    lon = 8.40 + 0.08 * i
    return Company(
        company_id=f"3{i:02d}4{i:02d}7{i:02d}"[:8],
        name=_NAMES[i],
        lat=lat,
        lon=lon,
        **kwargs,  # type: ignore[arg-type]
    )


def make_problem() -> PlanningProblem:
    """27 companies: 0-7 C01, 8-15 C02, 16-23 C03, 24-26 unplaced."""
    done = frozenset({Step.MODULE1})
    companies = [
        _company(i, level=Level.C, young=False, participants=2 if i == 0 else 1) for i in range(8)
    ]
    companies += [_company(i, level=Level.B, young=False, completed=done) for i in range(8, 16)]
    companies += [_company(i, level=Level.B, young=True, completed=done) for i in range(16, 24)]
    companies += [
        _company(24, level=Level.A, young=True),
        _company(25, level=Level.C, young=False, completed=frozenset(Step)),
        _company(26, level=Level.C, young=False),
    ]
    return PlanningProblem(round=ROUND, companies=tuple(companies), venues=VENUES)


def make_roster(problem: PlanningProblem) -> Roster:
    """The hand-made roster for :func:`make_problem`."""
    ids = [c.company_id for c in problem.companies]
    d = date
    cohorts = [
        Cohort(
            cohort_id="C01",
            venue_id="herning",
            module=Step.MODULE1,
            level=Level.C,
            age_group=AgeGroup.ESTABLISHED,
            members=ids[0:8],
            sessions=[
                Session(step=Step.MODULE1, dates=[d(2027, 1, 12)]),
                Session(step=Step.LAB1, dates=[d(2027, 2, 9)]),
            ],
        ),
        Cohort(
            cohort_id="C02",
            venue_id="aarhus",
            module=Step.MODULE2,
            level=Level.B,
            age_group=AgeGroup.ESTABLISHED,
            members=ids[8:16],
            sessions=[
                Session(step=Step.MODULE2, dates=[d(2027, 1, 29), d(2027, 2, 1)]),
                Session(step=Step.LAB2, dates=[d(2027, 3, 1)]),
            ],
        ),
        Cohort(
            cohort_id="C03",
            venue_id="aarhus",
            module=Step.MODULE2,
            level=Level.B,
            age_group=AgeGroup.YOUNG,
            members=ids[16:24],
            sessions=[
                Session(step=Step.MODULE2, dates=[d(2027, 2, 16), d(2027, 2, 17)]),
                Session(step=Step.LAB2, dates=[d(2027, 3, 16)]),
            ],
        ),
    ]
    unplaced = [
        Unplaced(
            company_id=ids[24],
            code=UnplacedCode.SEGMENT_TOO_SMALL,
            reason="A/young Module 1 has 1 eligible company; a cohort needs 8",
        ),
        Unplaced(
            company_id=ids[25],
            code=UnplacedCode.TRACK_COMPLETE,
            reason=f"{problem.companies[25].name} ({ids[25]}) has completed the track",
        ),
        Unplaced(company_id=ids[26], code=UnplacedCode.CAPACITY, reason="all C cohorts are full"),
    ]
    venues = {v.venue_id: v for v in problem.venues}
    travel = {
        cid: round(problem.travel_km(problem.companies[i], venues[c.venue_id]), 3)
        for c in cohorts
        for cid in c.members
        for i in [ids.index(cid)]
    }
    return Roster(
        round=problem.round.name,
        solver=SolverReport(
            status=SolverStatus.OPTIMAL,
            wall_time_s=0.42,
            objective=round(sum(travel.values()), 3),
            best_bound=round(sum(travel.values()), 3),
            gap=0.0,
        ),
        cohorts=cohorts,
        unplaced=unplaced,
        summary=Summary(
            placed=24,
            unplaced=3,
            travel_km_total=round(sum(travel.values()), 1),
            venues_used=["herning", "aarhus"],
        ),
        travel_km=travel,
    )


def write_folder(problem: PlanningProblem, folder: Path) -> Path:
    """The problem as a planning folder (companies.csv, venues.csv, round.toml)."""
    folder.mkdir(parents=True)
    with (folder / "companies.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["company_id", "name", "lat", "lon", "young", "level", "completed"])
        for c in problem.companies:
            done = ";".join(sorted(s.value for s in c.completed))
            young = "true" if c.young else "false"
            writer.writerow([c.company_id, c.name, c.lat, c.lon, young, c.level.value, done])
    with (folder / "venues.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["venue_id", "name", "lat", "lon", "town", "residential"])
        for v in problem.venues:
            resid = "true" if v.residential else "false"
            writer.writerow([v.venue_id, v.name, v.lat, v.lon, "", resid])
    rnd = problem.round
    (folder / "round.toml").write_text(
        f'name = "{rnd.name}"\nstart = {rnd.start}\nend = {rnd.end}\n'
        'facilitator_unavailable = ["2027-01-20"]\n',
        encoding="utf-8",
    )
    return folder
