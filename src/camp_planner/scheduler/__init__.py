"""The CP-SAT roster optimiser: `solve(problem) -> Roster`."""

from camp_planner.scheduler.solve import solve

__all__ = ["solve"]
