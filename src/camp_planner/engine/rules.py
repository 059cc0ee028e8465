"""The rules of one round, each written once (docs/rules.md), over a :class:`RoundView`.

Every model calls these functions: the round (`scheduler.assignment`), each round of the
programme (`programme.model`), the start's venue choice (`scheduler.start`), the replan
(`replan.model`: the venue rules) and the counts relaxation (`scheduler.placed_bound`: the
calendar). Each says which sentence of docs/rules.md it implements and whether it keeps
companies of one class interchangeable (same segment, participants, priority and
unavailable days: `scheduler.dominance` relies on that for every rule in :data:`RULES`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from ortools.sat.python import cp_model

from camp_planner.engine.view import RoundView
from camp_planner.models import Step, Venue, VenueStatus


def cohort_size(view: RoundView) -> None:
    """docs/rules.md "Steps and cohorts", Size: "`cohort_min`-`cohort_max` people; a
    company sends `participants` people". The people of a pool at a venue fill its n
    cohorts there (smallest(venue) * n <= people <= cohort_max * n), n is between w and
    n_max * w, and companies go only where w says the pool has a cohort (x <= size * w,
    the strong link). Interchangeable: yes (it reads a company's participants and segment
    only, which its class fixes)."""
    m = view.model
    for key, terms in view.people.items():
        n, w = view.cohorts[key], view.w[key]
        m.add(sum(terms) >= view.smallest(key[1]) * n)
        m.add(sum(terms) <= view.cohort_max * n)
        m.add(n >= w)
        m.add(n <= view.n_max[key] * w)
    for x, size, key in view.links:
        m.add(x <= size * view.w[key])


def venue_used(view: RoundView) -> None:
    """docs/rules.md "Venues" (the venues that count): a venue is used exactly when it
    hosts at least one cohort (w => y, y => some w); online cohorts use none.
    Interchangeable: yes (no company enters it)."""
    by_venue: dict[int, list[cp_model.IntVar]] = defaultdict(list)
    for (_, vi), w in view.w.items():
        if vi not in view.y:  # online: no venue
            continue
        by_venue[vi].append(w)
        view.model.add_implication(w, view.y[vi])
    for vi, used in view.y.items():
        view.model.add_bool_or(by_venue.get(vi, [])).only_enforce_if(used)


def max_venues(view: RoundView, most: int | None = None) -> None:
    """docs/rules.md "Venues": "At most `max_venues` venues host cohorts" (`most` instead
    when given: the replan keeps the venues that have already hosted). Interchangeable: yes."""
    limit = view.max_venues if most is None else most
    view.model.add(sum(view.y.values()) <= limit)


def must_host(venue: Venue) -> bool:
    """docs/rules.md "Venues": whether "a `required` venue hosts at least one" cohort
    applies to `venue` (read by :func:`required_venues` and by preflight's check of the
    required venues)."""
    return venue.status == VenueStatus.REQUIRED


def most_cohorts_at(venue: Venue) -> int | None:
    """docs/rules.md "Venues": "a venue hosts at most its `max_cohorts` cohorts" (None: no
    limit), as :func:`venue_max_cohorts` and preflight's check of a venue that can host
    none read it."""
    return venue.max_cohorts


def required_venues(view: RoundView) -> None:
    """docs/rules.md "Venues": "a `required` venue hosts at least one" (a `closed` one none:
    its y does not exist, nor its cohorts). Interchangeable: yes."""
    for vi, venue in enumerate(view.venues):
        if must_host(venue) and vi in view.y:
            view.model.add(view.y[vi] == 1)


def venue_max_cohorts(view: RoundView, held: Mapping[int, int] | None = None) -> None:
    """docs/rules.md "Venues": "a venue hosts at most its `max_cohorts` cohorts" (less the
    `held` ones that have already met, in a replan). Interchangeable: yes."""
    for vi, venue in enumerate(view.venues):
        limit = most_cohorts_at(venue)
        if limit is not None:
            most = limit - (held or {}).get(vi, 0)
            here = sum(n for (_, v), n in view.cohorts.items() if v == vi)
            view.model.add(here <= (max(0, most) if held is not None else most))


def facilitator_calendar(view: RoundView, frontier: Sequence[int] | None) -> None:
    """docs/rules.md "The facilitator's calendar": "no two sessions share a day
    (`facilitators` sessions a day at most)", counted: the round holds at most
    frontier[N2] Module 1 cohorts beside N2 Module 2 cohorts (`calendar_frontier`;
    online cohorts take the facilitator's days like any other). The replan, which dates
    its cohorts, keeps the calendar exactly instead (`replan.model`). Interchangeable: yes
    (cohorts are counted, not companies)."""
    if frontier is None:
        return
    m = view.model
    n1 = sum(view.cohorts_of(Step.MODULE1))
    n2 = sum(view.cohorts_of(Step.MODULE2))
    n2_var = m.new_int_var(0, len(frontier) - 1, f"cohorts_module2{view.name}")
    most_n1 = m.new_int_var(min(frontier), max(frontier), f"most_module1{view.name}")
    m.add(n2_var == n2)
    m.add_element(n2_var, frontier, most_n1)
    m.add(n1 <= most_n1)


@dataclass(frozen=True)
class Rule:
    """A rule of :data:`RULES`: its function and whether it keeps companies of one class
    interchangeable (`scheduler.dominance` holds only if every rule does)."""

    apply: Callable[..., None]
    interchangeable: bool


#: Every rule of a round, in the order the models add them.
RULES: tuple[Rule, ...] = (
    Rule(cohort_size, interchangeable=True),
    Rule(venue_used, interchangeable=True),
    Rule(max_venues, interchangeable=True),
    Rule(required_venues, interchangeable=True),
    Rule(venue_max_cohorts, interchangeable=True),
    Rule(facilitator_calendar, interchangeable=True),
)


def add_venue_rules(view: RoundView) -> None:
    """The venue rules of docs/rules.md "Venues", in the models' order."""
    venue_used(view)
    max_venues(view)
    required_venues(view)
    venue_max_cohorts(view)
