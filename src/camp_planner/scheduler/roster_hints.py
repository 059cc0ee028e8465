"""Rosters solved before (e.g. other what-if scenarios) as starting points of a round's
stages, and the objectives' values of a solution (see `solve`)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ortools.sat.python import cp_model

from camp_planner.engine.units import travel_units
from camp_planner.models import Roster
from camp_planner.scheduler.assignment import AssignmentModel
from camp_planner.scheduler.kinds import ONLINE


def travel_of(master: AssignmentModel, solver: cp_model.CpSolver) -> int:
    """Travel units of the solution `solver` found for `master`."""
    values = {var: solver.value(var) for var in master.x.values()}
    return RosterHints.travel(master, values)


@dataclass
class RosterHints:
    """Rosters of the same companies solved before (e.g. other what-if scenarios): each
    one this round can take is a starting point for its stages (a solution hint)."""

    rosters: Sequence[Roster] = ()

    def candidates(self, master: AssignmentModel) -> list[dict[cp_model.IntVar, int]]:
        """The rosters as values of `master`'s variables (those it can express)."""
        found = (master.roster_values(roster) for roster in self.rosters)
        return [values for values in found if values is not None]

    @staticmethod
    def score(master: AssignmentModel, values: Mapping[cp_model.IntVar, int], weight: int) -> int:
        """weight * placed + priority of `values` (stage 1's objective)."""
        groups = master.prep.groups
        return sum((weight + groups[gi].priority) * values[v] for (gi, _, _), v in master.x.items())

    @staticmethod
    def travel(master: AssignmentModel, values: Mapping[cp_model.IntVar, int]) -> int:
        """Travel units of `values` (the travel stage's objective)."""
        groups = master.prep.groups
        return sum(
            travel_units(groups[gi].travel[vi]) * values[v] for (gi, _, vi), v in master.x.items()
        )

    def hint_placing(self, master: AssignmentModel, weight: int) -> None:
        """Hint the roster placing the most (stage 1's objective)."""
        options = self.candidates(master)
        if options:
            master.hint_values(max(options, key=lambda v: self.score(master, v, weight)))

    def hint_travel(
        self,
        master: AssignmentModel,
        weight: int,
        placed_value: int,
        remedy_value: int | None,
        current_travel: int,
    ) -> None:
        """Hint the roster of least travel among those reaching the earlier stages' optima,
        when it travels less than `current_travel`, the last stage's solution's (which
        stays the hint otherwise)."""
        best, best_travel = None, current_travel
        for values in self.candidates(master):
            if self.score(master, values, weight) < placed_value:
                continue
            if remedy_value is not None:
                remedy = sum(
                    (int(kind.mixed) + int(vi == ONLINE)) * values[v]
                    for (_, kind, vi), v in master.x.items()
                )
                if remedy > remedy_value:
                    continue
            travel = self.travel(master, values)
            if travel < best_travel:
                best, best_travel = values, travel
        if best is not None:
            master.hint_values(best)
