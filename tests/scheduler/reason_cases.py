"""Real rosters of the programme and of the replan, for the reason-code tests
(tests/scheduler/test_reason_codes_later.py): the demo's two-round programme (Danish), the
demo's roster replanned after changes (Danish and English), and the small programme and
replan scenes of tests/programme and tests/replan whose reasons the demo does not reach.

``python -m tests.scheduler.reason_cases`` writes every case's unplaced entries
(company_id, code, reason) to ``tests/scheduler/data/reasons_before.json``. That file was
written by the code before the reasons carried codes (main at 97f4d61), so the test compares
the stored sentences with what they were, not with what the renderer makes of them.
Every solve is deterministic: one worker, seed 0, proven within its time limit.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from camp_planner.models import Company, Level, PlanningProblem, Roster

GOLDEN = Path(__file__).parent / "data" / "reasons_before.json"
AS_OF = date(2027, 1, 1)


def _demo_folder(tmp: Path, language: str) -> Path:
    from camp_planner.demo.generator import packaged_demo

    folder = tmp / f"demo-{language}"
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in packaged_demo().items():
        if name == "round.toml":
            text = text.replace('language = "da"', f'language = "{language}"')
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def programme_rosters(tmp: Path, language: str) -> list[Roster]:
    """The demo's programme (its programme.toml: two rounds), one roster per round."""
    from camp_planner.io.folder import load_folder
    from camp_planner.io.programme_file import read_programme_rounds
    from camp_planner.programme.plan import Programme
    from camp_planner.programme.result import programme_result
    from camp_planner.programme.solve import plan_programme

    folder = _demo_folder(tmp, language)
    problem = load_folder(folder)
    rounds = tuple(read_programme_rounds(folder))
    programme = Programme(problem.model_copy(update={"round": rounds[0]}), rounds)
    solution = plan_programme(programme, time_limit=120, seed=0, workers=1)
    return [roster for _, roster in programme_result(solution).rounds]


def _demo_changes(problem: PlanningProblem, published: Roster) -> PlanningProblem:
    """Withdrawals, late sign-ups and unavailable days that leave companies unplaced for
    most of the replan's reasons."""
    everyday = frozenset(date.fromordinal(date(2027, 1, 4).toordinal() + k) for k in range(82))
    biggest = max(published.cohorts, key=lambda c: len(c.members))
    smallest = min(published.cohorts, key=lambda c: len(c.members))
    gone = set(smallest.members[:2])
    cannot = biggest.members[0]
    companies: list[Company] = []
    for company in problem.companies:
        if company.company_id in gone:
            continue
        if company.company_id == cannot:
            company = company.model_copy(update={"unavailable": everyday})
        companies.append(company)
    model = problem.companies[0]
    late = [
        model.model_copy(update={"company_id": "90000001", "participants": 40}),
        model.model_copy(update={"company_id": "90000002", "unavailable": everyday}),
        model.model_copy(
            update={"company_id": "90000003", "level": Level.A, "young": True, "participants": 1}
        ),
    ]
    return problem.model_copy(update={"companies": (*companies, *late)})


def demo_replan(tmp: Path, language: str) -> list[Roster]:
    """The demo's roster (solved, published) replanned after :func:`_demo_changes`."""
    from camp_planner.io.folder import load_folder
    from camp_planner.replan import replan
    from camp_planner.scheduler import solve

    problem = load_folder(_demo_folder(tmp, language))
    published = solve(problem, time_limit=60, seed=0, workers=1)
    now = _demo_changes(problem, published)
    return [replan(now, published, AS_OF, time_limit=60, workers=1).roster]


def small_replans(tmp: Path, language: str) -> list[Roster]:
    """tests/replan's scenes: a company that cannot meet any more, one that would cost
    another its place, a late sign-up waiting for the notice period."""
    from camp_planner.replan import replan
    from tests.helpers.sched_build import TOWN_A, TOWN_B, co, rnd, ve
    from tests.replan.build import cohort, d, problem_of, published

    venues = [ve("A", TOWN_A), ve("B", TOWN_B)]
    companies = [co("a0"), co("a1"), co("a2"), co("b0", TOWN_B), co("b1", TOWN_B)]
    cohorts = [
        cohort("C01", "A", ["a0", "a1", "a2"], ["2027-01-12"], "2027-02-02"),
        cohort("C02", "B", ["b0", "b1"], ["2027-01-13"], "2027-02-03"),
    ]
    first = d("2027-01-04").toordinal()
    everyday = frozenset(date.fromordinal(first + k) for k in range(82))
    base = rnd(language=language)
    roster = published(problem_of(base, companies, venues), cohorts)
    out = []
    gone = companies[4].model_copy(update={"unavailable": everyday})
    now = problem_of(base, [*companies[:4], gone], venues)
    out.append(replan(now, roster, AS_OF, time_limit=20).roster)
    three = [co("a0"), co("a1"), co("a2")]
    roster3 = published(problem_of(base, three, venues), cohorts[:1])
    now = problem_of(rnd(language=language, cohort_max=2), three, venues)
    out.append(replan(now, roster3, AS_OF, time_limit=20).roster)
    booked = venues[0].model_copy(update={"unavailable": frozenset({d("2027-01-12")})})
    now = problem_of(
        rnd(language=language, notice_days=7), [*companies, co("n0", TOWN_B)], [booked, venues[1]]
    )
    out.append(replan(now, roster, date(2027, 1, 8), time_limit=20).roster)
    young = [co("y0", TOWN_B, young=True), co("y1", TOWN_B, young=True), *companies[:3]]
    roster_y = published(
        problem_of(base, young, venues),
        [cohorts[0], cohort("C02", "B", ["y0", "y1"], ["2027-01-13"], "2027-02-03", age="young")],
    )
    now = problem_of(base, [young[0], *companies[:3]], venues)
    out.append(replan(now, roster_y, AS_OF, time_limit=20).roster)
    return out


def small_programmes(tmp: Path, language: str) -> list[Roster]:
    """tests/programme's scenes: round 1 full with companies that go first, a company
    planned later to complete more tracks, one that can start only in round 2, one that
    can start only after the horizon, a group too small."""
    from camp_planner.programme.plan import Programme
    from camp_planner.programme.result import programme_result
    from camp_planner.programme.solve import plan_programme
    from tests.helpers.sched_build import TOWN_B, co, rnd, ve

    q1 = {"name": "Q1", "start": date(2027, 1, 4), "end": date(2027, 3, 26)}
    q2 = {"name": "Q2", "start": date(2027, 4, 5), "end": date(2027, 6, 25)}
    short = {**q1, "end": date(2027, 1, 18)}
    since = date(2026, 3, 1)
    scenes = [
        (
            (q1, q2),
            [co("n1"), co("n2"), co("w1", TOWN_B, waiting_since=since),
             co("w2", TOWN_B, waiting_since=since), co("y1", young=True),
             co("s1", available_from=date(2027, 4, 5)), co("s2", available_from=date(2027, 4, 5)),
             co("f1", available_from=date(2027, 9, 1))],
            [ve("v", max_cohorts=1)],
        ),
        (
            (q1, q2),
            [co("n1"), co("n2"), co("w1", TOWN_B, waiting_since=since),
             co("w2", TOWN_B, waiting_since=since)],
            [ve("v", max_cohorts=1)],
        ),
        (
            (short, q2),
            [co("b1", level="B"), co("b2", level="B"), co("c1", waiting_since=since),
             co("c2", waiting_since=since)],
            [ve("v", residential=True)],
        ),
    ]  # fmt: skip
    out = []
    for rounds, companies, venues in scenes:
        configs = tuple(rnd(cohort_min=2, cohort_max=2, language=language, **q) for q in rounds)
        problem = PlanningProblem(
            round=configs[0], companies=tuple(companies), venues=tuple(venues)
        )
        solution = plan_programme(Programme(problem, configs), time_limit=30, seed=0, workers=1)
        out += [roster for _, roster in programme_result(solution).rounds]
    return out


CASES: dict[str, Callable[[Path], list[Roster]]] = {
    "programme-small-da": lambda tmp: small_programmes(tmp, "da"),
    "programme-small-en": lambda tmp: small_programmes(tmp, "en"),
    "programme-da": lambda tmp: programme_rosters(tmp, "da"),
    "replan-demo-da": lambda tmp: demo_replan(tmp, "da"),
    "replan-demo-en": lambda tmp: demo_replan(tmp, "en"),
    "replan-small-da": lambda tmp: small_replans(tmp, "da"),
    "replan-small-en": lambda tmp: small_replans(tmp, "en"),
}


def entries(rosters: list[Roster]) -> list[dict[str, Any]]:
    """Each roster's cohorts' members and unplaced entries (as roster.json has them)."""
    out = []
    for roster in rosters:
        data = json.loads(roster.to_json())
        out.append(
            {
                "members": sorted(m for c in data["cohorts"] for m in c["members"]),
                "unplaced": data["unplaced"],
            }
        )
    return out


if __name__ == "__main__":  # pragma: no cover - writes the golden file
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        golden = {
            name: [
                {
                    "members": e["members"],
                    "unplaced": [
                        {k: u[k] for k in ("company_id", "code", "reason")} for u in e["unplaced"]
                    ],
                }
                for e in entries(make(Path(tmp)))
            ]
            for name, make in CASES.items()
        }
    GOLDEN.parent.mkdir(exist_ok=True)
    GOLDEN.write_text(json.dumps(golden, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
