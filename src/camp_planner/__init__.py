"""camp-planner: plans growth-training camps (cohorts, venues, dates) for Region
Midtjylland's business service.

The library's front door::

    from camp_planner import load_folder, solve, write_outputs

    problem = load_folder("demo")
    roster = solve(problem, time_limit=30)
    write_outputs(problem, roster, "demo/out")

- :func:`load_folder` reads a planning folder (raises :class:`InputError` listing every
  problem);
- :func:`solve` plans the round (CP-SAT) and returns a :class:`Roster`;
- :func:`write_outputs` writes roster.json, roster.xlsx, participants.csv, invitations and
  the map;
- :func:`score` turns a :class:`Scorecard` into a level with its explanation;
- :func:`run_scenarios` solves what-if :class:`Scenario` s with the same optimiser.

Names are imported on first use, so ``import camp_planner`` stays fast.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from camp_planner.io.errors import InputError
    from camp_planner.io.folder import load_folder
    from camp_planner.io.roster_file import read_roster
    from camp_planner.models import PlanningProblem, Roster, Scorecard
    from camp_planner.outputs.roster_files import write_outputs
    from camp_planner.scheduler import solve
    from camp_planner.scoring import ScoreResult, score
    from camp_planner.whatif import Scenario, run_scenarios

_EXPORTS = {
    "load_folder": "camp_planner.io.folder",
    "InputError": "camp_planner.io.errors",
    "solve": "camp_planner.scheduler",
    "write_outputs": "camp_planner.outputs.roster_files",
    "read_roster": "camp_planner.io.roster_file",
    "score": "camp_planner.scoring",
    "ScoreResult": "camp_planner.scoring",
    "run_scenarios": "camp_planner.whatif",
    "Scenario": "camp_planner.whatif",
    "PlanningProblem": "camp_planner.models",
    "Roster": "camp_planner.models",
    "Scorecard": "camp_planner.models",
}
__all__ = [
    "InputError",
    "PlanningProblem",
    "Roster",
    "ScoreResult",
    "Scenario",
    "Scorecard",
    "load_folder",
    "read_roster",
    "run_scenarios",
    "score",
    "solve",
    "write_outputs",
]


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        value = getattr(import_module(_EXPORTS[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'camp_planner' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
