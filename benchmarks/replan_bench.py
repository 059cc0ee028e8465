"""Replanning a published roster against solving again from scratch (docs/replan.md).

    python benchmarks/replan_bench.py [--size 300] [--variant tight] [--time-limit 60]
                                      [--replan-limit 30] [--repeat 3] [--published FILE]
                                      [--workers 2] [--replan-workers 1]
                                      [--out benchmarks/results-replan.md]

1. The published roster: ``camp_planner.scheduler.solve`` on ``make_instance(size,
   variant)`` (``--time-limit`` s; ``--published FILE`` caches it: read if the file exists,
   else written).
2. The changes after publication, deterministic: 5 placed companies withdraw (every
   ``placed // 5``-th of the placed ids in order); 5 late sign-ups (the first 5 companies
   with a next step of ``make_instance(size, variant, seed=size + 1)``, ids ``L1``..``L5``);
   the venue hosting most sessions is lost for the Monday-Friday week holding most of them.
3. ``camp_planner.replan.replan`` as of the round's first day (nothing has met: every
   cohort may change), ``--repeat`` times (wall time: each run; the rosters must agree).
4. ``solve`` from scratch on the changed folder (``--time-limit`` s).

Both rosters are compared with the published one the same way: each new cohort is matched
to the published cohort it shares most members with (greedily, largest overlap first, one
to one); a company placed in both is *moved* when its new cohort is not matched to its
published one; a matched cohort is *re-dated* when any session date differs (sessions
re-dated are counted too) and *moved to another venue* when the venue differs. Both
rosters go through the independent checkers (``check_roster``; ``check_replan`` for the
replan).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from collections import Counter
from datetime import datetime, timedelta
from importlib.metadata import version
from pathlib import Path

from camp_planner.models import PlanningProblem, Roster
from camp_planner.replan import replan
from camp_planner.scheduler import solve
from instances import make_instance

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
from tests.checker import check_replan, check_roster  # noqa: E402


def changed_folder(problem: PlanningProblem, published: Roster) -> tuple[PlanningProblem, str]:
    """The folder after 5 withdrawals, 5 late sign-ups and a venue lost for a week."""
    placed = sorted(m for c in published.cohorts for m in c.members)
    step = max(1, len(placed) // 5)
    gone = set(placed[::step][:5])
    size = len(problem.companies)
    other = make_instance(size, "tight", seed=size + 1)
    late = [c for c in other.companies if other.segment_of(c) is not None][:5]
    late = [c.model_copy(update={"company_id": f"L{i + 1}"}) for i, c in enumerate(late)]
    sessions = Counter(c.venue_id for c in published.cohorts for s in c.sessions for _ in s.dates)
    venue = sessions.most_common(1)[0][0]
    weeks = Counter(
        d - timedelta(days=d.weekday())
        for c in published.cohorts
        if c.venue_id == venue
        for s in c.sessions
        for d in s.dates
    )
    monday = min(weeks, key=lambda w: (-weeks[w], w))
    week = frozenset(monday + timedelta(days=k) for k in range(5))
    venues = tuple(
        v.model_copy(update={"unavailable": v.unavailable | week}) if v.venue_id == venue else v
        for v in problem.venues
    )
    companies = tuple(c for c in problem.companies if c.company_id not in gone) + tuple(late)
    what = (
        f"withdrawn {', '.join(sorted(gone))}; late sign-ups L1-L5; venue {venue} lost "
        f"{monday}..{monday + timedelta(days=4)}"
    )
    return problem.model_copy(update={"companies": companies, "venues": venues}), what


def match(published: Roster, new: Roster) -> dict[str, str]:
    """New cohort id -> the published cohort id it shares most members with (one to one)."""
    pairs = sorted(
        (
            (-len(set(a.members) & set(b.members)), b.cohort_id, a.cohort_id)
            for a in published.cohorts
            for b in new.cohorts
            if set(a.members) & set(b.members)
        ),
    )
    matched: dict[str, str] = {}
    for _, new_id, old_id in pairs:
        if new_id not in matched and old_id not in matched.values():
            matched[new_id] = old_id
    return matched


def compare(problem: PlanningProblem, published: Roster, new: Roster) -> dict[str, int]:
    """Companies moved, cohorts and sessions re-dated, venues changed, places lost, ..."""
    matched = match(published, new)
    old_of = {m: c.cohort_id for c in published.cohorts for m in c.members}
    old = {c.cohort_id: c for c in published.cohorts}
    present = {c.company_id for c in problem.companies}
    moved = sum(
        1
        for c in new.cohorts
        for m in c.members
        if m in old_of and matched.get(c.cohort_id) != old_of[m]
    )
    redated = sessions = venues = 0
    for c in new.cohorts:
        before = old.get(matched.get(c.cohort_id, ""))
        if before is None:
            continue
        pairs = zip(c.sessions, before.sessions, strict=True)
        diff = sum(1 for s, t in pairs if s.dates != t.dates)
        sessions += diff
        redated += diff > 0
        venues += c.venue_id != before.venue_id
    placed = {m for c in new.cohorts for m in c.members}
    return {
        "companies moved": moved,
        "cohorts re-dated": redated,
        "sessions re-dated": sessions,
        "cohorts at another venue": venues,
        "cohorts cancelled": sum(1 for cid in old if cid not in matched.values()),
        "new cohorts": sum(1 for c in new.cohorts if c.cohort_id not in matched),
        "places lost": sum(1 for m in old_of if m in present and m not in placed),
        "late sign-ups placed": sum(1 for m in placed if m.startswith("L")),
        "placed": len(placed),
    }


def _checked(problem: PlanningProblem, roster: Roster) -> str:
    data = json.loads(roster.to_json())
    errors = check_roster(problem.round, problem.companies, problem.venues, data)
    return "checker OK" if not errors else f"{len(errors)} violations, e.g. {errors[0]}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=300)
    parser.add_argument("--variant", default="tight")
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--replan-limit", type=float, default=30.0)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--workers", type=int, default=2, help="threads of both solves")
    parser.add_argument("--replan-workers", type=int, default=1, help="threads of replan")
    parser.add_argument("--published", type=Path)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    problem = make_instance(args.size, args.variant)
    if args.published and args.published.exists():
        published = Roster.from_json(args.published.read_bytes())
    else:
        published = solve(problem, time_limit=args.time_limit, workers=args.workers)
        if args.published:
            args.published.write_text(published.to_json())
    changed, what = changed_folder(problem, published)
    as_of = problem.round.start
    replan_workers = args.replan_workers
    walls, results = [], []
    for _ in range(args.repeat):
        load = os.getloadavg()[0]
        started = time.time()
        result = replan(
            changed, published, as_of, time_limit=args.replan_limit, workers=replan_workers
        )
        wall = time.time() - started
        travel = next(s.seconds for s in result.stages if s.name == "travel km")
        walls.append((round(wall - travel, 1), round(wall, 1), round(load, 1)))
        results.append(result)
    same = len({json.dumps(r.roster.model_dump(mode="json")["cohorts"]) for r in results}) == 1
    result = results[0]
    replan_errors = check_replan(
        changed.round,
        changed.companies,
        changed.venues,
        json.loads(published.to_json()),
        json.loads(result.roster.to_json()),
        as_of,
    )
    load = os.getloadavg()[0]
    started = time.time()
    scratch = solve(changed, time_limit=args.time_limit, workers=args.workers)
    scratch_wall = round(time.time() - started, 1)
    rows = [
        ("replan", compare(changed, published, result.roster)),
        ("solve from scratch", compare(changed, published, scratch)),
    ]
    keys = list(rows[0][1])
    cpu = platform.processor() or platform.machine()
    lines = [
        f"Measured {datetime.now():%Y-%m-%d %H:%M} on {os.cpu_count()} cores ({cpu}), "
        f"Python {platform.python_version()}, ortools "
        f"{version('ortools')}; the machine is shared with other engineers' test runs (load "
        "average shown per run).",
        "",
        f"Instance: make_instance({args.size}, {args.variant!r}); published roster: "
        f"{published.summary.placed} placed in {len(published.cohorts)} cohorts "
        f"({published.solver.status.value}). Changes: {what}. As of {as_of}.",
        "",
        "| method | " + " | ".join(keys) + " | changes proven, s | wall s | status | checker |",
        "|---|" + "---:|" * len(keys) + "---:|---:|---|---|",
    ]
    proof = ", ".join(f"{s.name} {'proven' if s.proven else 'not proven'}" for s in result.stages)
    lines.append(
        f"| replan ({replan_workers} worker{'s' if replan_workers > 1 else ''}) | "
        + " | ".join(str(rows[0][1][k]) for k in keys)
        + f" | {', '.join(str(c) for c, _, _ in walls)}"
        + f" | {', '.join(f'{w} (load {ld})' for _, w, ld in walls)} | {proof} | "
        + (
            "checker OK"
            if not replan_errors and _checked(changed, result.roster) == "checker OK"
            else f"{replan_errors[:1]} {_checked(changed, result.roster)}"
        )
        + " |"
    )
    lines.append(
        "| solve from scratch | "
        + " | ".join(str(rows[1][1][k]) for k in keys)
        + f" | — | {scratch_wall} (load {load:.1f}) | {scratch.solver.status.value} | "
        + _checked(changed, scratch)
        + " |"
    )
    lines += [
        "",
        f"replan summary: {result.summary}; the {args.repeat} runs gave "
        f"{'the same roster' if same else 'DIFFERENT rosters'}.",
    ]
    text = "\n".join(lines) + "\n"
    print(text)
    if args.out:
        args.out.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
