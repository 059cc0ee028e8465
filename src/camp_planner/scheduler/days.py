"""The round's working days as indices 0..W-1, so "consecutive working days" are
consecutive indices, and the lab window of each module day as an index range."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from camp_planner.models import SESSION_DAYS, PlanningProblem, Step, working_days


@dataclass(frozen=True)
class DayIndex:
    """Working days of the round and which of them the facilitator can use.

    `dates[i]` is the i-th working day (Mon-Fri, no Danish public holiday) of the round;
    `blocked` holds indices the facilitator is unavailable on.
    """

    dates: tuple[date, ...]
    blocked: frozenset[int]
    lab_gap: tuple[int, int]

    @classmethod
    def for_problem(cls, problem: PlanningProblem) -> DayIndex:
        """Build the index of a problem's round."""
        rnd = problem.round
        dates = tuple(working_days(rnd.start, rnd.end))
        blocked = frozenset(i for i, d in enumerate(dates) if d in rnd.facilitator_unavailable)
        return cls(dates=dates, blocked=blocked, lab_gap=rnd.lab_gap_days)

    @property
    def count(self) -> int:
        """Number of working days in the round."""
        return len(self.dates)

    def indices_of(self, days: Iterable[date]) -> frozenset[int]:
        """Indices of those of `days` that are working days of the round."""
        where = {d: i for i, d in enumerate(self.dates)}
        return frozenset(where[d] for d in days if d in where)

    def module_starts(self, module: Step, forbidden: frozenset[int] = frozenset()) -> list[int]:
        """Indices a module can start on: every day it occupies is free of `forbidden`
        and of the facilitator's blocked days (Module 2: two consecutive working days)."""
        length = SESSION_DAYS[module]
        bad = forbidden | self.blocked
        return [
            i
            for i in range(self.count - length + 1)
            if not any(i + k in bad for k in range(length))
        ]

    @lru_cache(maxsize=4096)  # noqa: B019 - DayIndex is immutable and short-lived
    def lab_window(self, module: Step, start: int) -> tuple[int, int]:
        """Index range [lo, hi] of lab days `lab_gap` calendar days after the module's last
        day; lo > hi when the window falls outside the round."""
        last = self.dates[start + SESSION_DAYS[module] - 1]
        lo_gap, hi_gap = self.lab_gap
        lo = next((i for i, d in enumerate(self.dates) if (d - last).days >= lo_gap), self.count)
        hi = max((i for i, d in enumerate(self.dates) if (d - last).days <= hi_gap), default=-1)
        return lo, hi

    @lru_cache(maxsize=4096)  # noqa: B019
    def session_options(
        self, module: Step, forbidden: frozenset[int] = frozenset()
    ) -> list[tuple[int, int]]:
        """Every (module start, lab day) pair that avoids `forbidden` and blocked days."""
        bad = forbidden | self.blocked
        pairs: list[tuple[int, int]] = []
        for start in self.module_starts(module, forbidden):
            lo, hi = self.lab_window(module, start)
            pairs.extend((start, lab) for lab in range(lo, hi + 1) if lab not in bad)
        return pairs

    def company_can_attend(self, module: Step, unavailable: frozenset[date]) -> bool:
        """Whether some module date and lab date avoid the company's unavailable days."""
        return bool(self.session_options(module, self.indices_of(unavailable)))
