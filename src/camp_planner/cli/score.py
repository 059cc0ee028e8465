"""`camp-planner score scorecards.csv --out levels.csv`: score every scorecard."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from rich.console import Console

from camp_planner.cli._common import ExitCode, problem_table
from camp_planner.io.errors import InputProblem
from camp_planner.io.scorecards import ScorecardInputError, read_scorecards
from camp_planner.outputs.levels_file import write_levels
from camp_planner.scoring import score


def run_score(file: Path, out_file: Path, out: Console, err: Console) -> ExitCode:
    """Read the scorecards, score them, write levels.csv and print the levels' counts.

    Returns:
        OK; BAD_INPUT when the input has problems (all of them printed) or the output
        cannot be written.
    """
    try:
        cards, ignored = read_scorecards(file)
    except ScorecardInputError as exc:
        err.print(problem_table(exc.problems, f"{len(exc.problems)} problem(s) in the scorecards"))
        return ExitCode.BAD_INPUT
    if ignored:
        out.print(f"Note: ignored column(s): {', '.join(ignored)}")
    results = [score(card) for card in cards]
    try:
        target = write_levels(results, out_file)
    except OSError as exc:
        problem = InputProblem(str(out_file), None, None, str(exc), "a writable path")
        err.print(problem_table([problem], "1 problem(s) writing levels.csv"))
        return ExitCode.BAD_INPUT
    counts = Counter(r.level.value if r.level else "below C" for r in results)
    parts = ", ".join(f"{lvl} {counts.get(lvl, 0)}" for lvl in ("A", "B", "C", "below C"))
    out.print(f"Scored {len(results)} companies: {parts}. Wrote {target}")
    pending = sum(r.a_recommendation_only for r in results)
    if pending:
        out.print(f"{pending} A level(s) are recommendations until the growth panel approves.")
    return ExitCode.OK
