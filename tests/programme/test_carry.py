"""Carry-over from one round to the next (issue 23, item 1): hand-made cases.

Round 2027-Q1 runs 2027-01-04 to 2027-03-26. Five companies, one cohort:

- ``placed_b``: B, waited since 2026-10-01, placed in Module 1: its old date is spent; it waits
  for Module 2 from the round's end, 2027-03-26.
- ``placed_c``: C, placed in Module 1: no step is left (C takes no Module 2), no waiting date.
- ``waiting``: unplaced (capacity), waited since 2026-10-01: keeps 2026-10-01.
- ``late``: unplaced (not_yet_available), no waiting date, ``available_from`` 2027-04-05 (it
  signed up for the next round): waits from 2027-04-05, not from the round's start.
- ``signed``: unplaced (capacity), ``signed_up`` 2027-02-15 (a late sign-up): waits from
  2027-02-15.
- ``new``: unplaced (capacity), no date at all: waits from the round's start, 2027-01-04.
- ``done``: track_complete with a stale 2026-05-01: no waiting date.
"""

from __future__ import annotations

from datetime import date

from camp_planner.models import (
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
from camp_planner.programme.carry import carry_counts, carry_over, next_companies

ROUND = RoundConfig(name="2027-Q1", start=date(2027, 1, 4), end=date(2027, 3, 26))


def _company(cid: str, level: Level = Level.B, **kwargs: object) -> Company:
    return Company(company_id=cid, name=cid, lat=56.1, lon=9.5, young=False, level=level, **kwargs)  # type: ignore[arg-type]


def _problem() -> PlanningProblem:
    return PlanningProblem(
        round=ROUND,
        companies=(
            _company("placed_b", waiting_since=date(2026, 10, 1)),
            _company("placed_c", Level.C, waiting_since=date(2026, 10, 1)),
            _company("waiting", waiting_since=date(2026, 10, 1)),
            _company("late", available_from=date(2027, 4, 5)),
            _company("signed", signed_up=date(2027, 2, 15)),
            _company("new"),
            _company(
                "done",
                Level.C,
                completed=frozenset({Step.MODULE1, Step.LAB1}),
                waiting_since=date(2026, 5, 1),
            ),
        ),
        venues=(Venue(venue_id="v", name="V", lat=56.1, lon=9.5),),
    )


def _roster() -> Roster:
    sessions = [
        Session(step=Step.MODULE1, dates=[date(2027, 1, 12)]),
        Session(step=Step.LAB1, dates=[date(2027, 2, 9)]),
    ]
    cohort = Cohort(
        cohort_id="C01",
        venue_id="v",
        module=Step.MODULE1,
        level="B",
        age_group="established",
        members=["placed_b", "placed_c"],
        sessions=sessions,
    )
    codes = {
        "waiting": UnplacedCode.CAPACITY,
        "late": UnplacedCode.NOT_YET_AVAILABLE,
        "signed": UnplacedCode.CAPACITY,
        "new": UnplacedCode.CAPACITY,
        "done": UnplacedCode.TRACK_COMPLETE,
    }
    return Roster(
        round="2027-Q1",
        solver=SolverReport(status=SolverStatus.OPTIMAL, wall_time_s=0.0),
        cohorts=[cohort],
        unplaced=[Unplaced(company_id=k, code=v, reason="") for k, v in codes.items()],
        summary=Summary(placed=2, unplaced=5, travel_km_total=0.0, venues_used=["v"]),
    )


def test_waiting_dates_after_the_round() -> None:
    carry = carry_over(_problem(), _roster())
    since = {cid: c.waiting_since for cid, c in carry.items()}
    assert since == {
        "placed_b": date(2027, 3, 26),  # got Module 1; waits for Module 2 from the end
        "placed_c": None,  # C after Module 1: nothing left
        "waiting": date(2026, 10, 1),  # still waits: its date is kept
        "late": date(2027, 4, 5),  # never before available_from
        "signed": date(2027, 2, 15),  # from its sign-up
        "new": date(2027, 1, 4),  # first appears in this round's folder
        "done": None,  # waits for nothing
    }
    assert carry["placed_b"].completed == {Step.MODULE1, Step.LAB1}
    assert carry["waiting"].completed == frozenset()


def test_absent_company_keeps_waiting() -> None:
    carry = carry_over(_problem(), _roster(), frozenset({"placed_b"}))
    assert carry["placed_b"].completed == frozenset()
    assert carry["placed_b"].waiting_since == date(2026, 10, 1)


def test_counts_are_true() -> None:
    problem, roster = _problem(), _roster()
    counts = carry_counts(problem, carry_over(problem, roster))
    # 2 trained (1 waits for Module 2); 4 wait: 1 kept, 1 from start, 1 signed up, 1 late.
    assert (counts.trained, counts.wait_for_module2) == (2, 1)
    assert (counts.kept, counts.from_start, counts.from_signed_up, counts.from_available) == (
        1,
        1,
        1,
        1,
    )
    assert counts.waiting == 4 and counts.absent == 0
    absent = frozenset({"placed_c"})
    counts = carry_counts(problem, carry_over(problem, roster, absent), absent)
    assert (counts.trained, counts.kept, counts.absent) == (1, 2, 1)


def test_a_placed_company_no_longer_outranks_the_waiting() -> None:
    """The issue's Ebeltoft/Ringkøbing case: `placed_b`'s 2026-10-01 was for the Module 1 it
    got; in the next round it ranks behind `waiting` (still waiting since 2026-10-01)."""
    nxt = {c.company_id: c for c in next_companies(_problem(), _roster())}
    assert nxt["waiting"].waiting_since is not None
    assert nxt["placed_b"].waiting_since is not None
    assert nxt["waiting"].waiting_since < nxt["placed_b"].waiting_since
