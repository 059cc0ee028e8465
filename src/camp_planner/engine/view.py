"""The per-round view of a model's variables that every rule reads (see :mod:`rules`).

A counting model (the round's `AssignmentModel`, each round of the `ProgrammeModel`, the
start's venue choice) has, per *pool* (a kind of cohort or a segment: anything with a
`module`) and venue index, a number of cohorts n, "at least one" w and the people in
them; per venue, "used" y. The replan, which enumerates its cohorts, fills the parts its
rules need (y and the cohorts per venue, one per slot).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from ortools.sat.python import cp_model

from camp_planner.models import Step, Venue


class Pool(Protocol):
    """What the rules need of a pool of cohorts: its module."""

    @property
    def module(self) -> Step: ...


#: (pool, venue index) -> value; the pool is a Kind, a Segment, or a slot's own key
PoolAt = tuple[Any, int]


@dataclass
class RoundView:
    """One round's variables as the rules see them.

    Attributes:
        model: the CP-SAT model the rules add to.
        venues: the round's venues; their index is the venue index used below.
        y: venue index -> "the venue hosts a cohort" (real venues only, not online).
        cohorts: (pool, venue index) -> number of cohorts there (a variable or expression).
        w: (pool, venue index) -> at least one cohort there.
        n_max: (pool, venue index) -> the most cohorts there.
        people: (pool, venue index) -> the people's terms (participants * x).
        links: (x, its group's size, (pool, venue index)): companies go only where w is set.
        smallest: venue index -> people a cohort needs at least there.
        cohort_max: people a cohort holds at most.
        max_venues: venues that may host cohorts this round.
        name: appended to the names of the variables a rule adds (e.g. the round).
    """

    model: cp_model.CpModel
    venues: Sequence[Venue]
    y: Mapping[int, cp_model.IntVar] = field(default_factory=dict)
    cohorts: Mapping[PoolAt, cp_model.LinearExprT] = field(default_factory=dict)
    w: Mapping[PoolAt, cp_model.IntVar] = field(default_factory=dict)
    n_max: Mapping[PoolAt, int] = field(default_factory=dict)
    people: Mapping[PoolAt, list[cp_model.LinearExprT]] = field(default_factory=dict)
    links: Sequence[tuple[cp_model.IntVar, int, PoolAt]] = ()
    smallest: Callable[[int], int] = lambda _: 0
    cohort_max: int = 0
    max_venues: int = 0
    name: str = ""

    def cohorts_of(self, module: Step) -> list[cp_model.LinearExprT]:
        """The cohorts of `module`, every pool and venue."""
        return [n for (pool, _), n in self.cohorts.items() if pool.module == module]
