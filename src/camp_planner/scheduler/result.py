"""From solver values to the Roster of docs/roster-json.md, with every company accounted for."""

from __future__ import annotations

import time
from collections import Counter, defaultdict
from collections.abc import Mapping

from camp_planner.i18n import gettext_for, ngettext_for
from camp_planner.models import (
    LAB_OF,
    SESSION_DAYS,
    Cohort,
    PlanningProblem,
    Roster,
    Segment,
    Session,
    SolverReport,
    SolverStatus,
    Summary,
    Unplaced,
    UnplacedCode,
)
from camp_planner.models.roster import (
    ONLINE_VENUE_ID,
    CohortAgeGroup,
    CohortLevel,
    RosterKind,
    fingerprint_of,
)
from camp_planner.scheduler.dates import CohortPlan, DatedCohort
from camp_planner.scheduler.kinds import ONLINE
from camp_planner.scheduler.prepare import Group, Prepared
from camp_planner.scheduler.reason_text import reason_fields
from camp_planner.scheduler.reasons import (
    BY_PRIORITY,
    BY_TRAVEL,
    BY_WAITING,
    Place,
    decided_reason,
    segment_totals,
)


def _sessions(prep: Prepared, plan: CohortPlan, dated: DatedCohort) -> list[Session]:
    days = prep.days.dates
    length = SESSION_DAYS[plan.module]
    return [
        Session(step=plan.module, dates=[days[dated.start + k] for k in range(length)]),
        Session(step=LAB_OF[plan.module], dates=[days[dated.lab]]),
    ]


def build_roster(
    prep: Prepared,
    plans: list[CohortPlan],
    dated: list[DatedCohort],
    report: SolverReport,
) -> Roster:
    """Cohorts numbered C01, C02 ... by first session date; the rest unplaced with reasons."""
    problem = prep.problem

    def venue_id(vi: int) -> str:
        return ONLINE_VENUE_ID if vi == ONLINE else prep.venues[vi].venue_id

    order = sorted(
        dated, key=lambda d: (d.start, venue_id(plans[d.plan_index].venue), d.plan_index)
    )
    next_member: dict[int, int] = defaultdict(int)
    cohorts: list[Cohort] = []
    travel: dict[str, float] = {}
    #: group index -> (venue index, km) of each of its placed companies (for the reasons)
    places: dict[int, list[tuple[int, float]]] = defaultdict(list)
    for number, item in enumerate(order, start=1):
        plan = plans[item.plan_index]
        members: list[str] = []
        for gi, count in sorted(item.members.items()):
            group = prep.groups[gi]
            chosen = group.companies[next_member[gi] : next_member[gi] + count]
            next_member[gi] += count
            for company in chosen:
                members.append(company.company_id)
                travel[company.company_id] = round(group.travel[plan.venue], 3)
                places[gi].append((plan.venue, travel[company.company_id]))
        # A cohort of a mixed kind is labelled by the members it actually holds.
        segments = [prep.groups[gi].segment for gi in item.members]
        level = CohortLevel.of(s.level for s in segments)
        age_group = CohortAgeGroup.of(s.age_group for s in segments)
        cohorts.append(
            Cohort(
                cohort_id=f"C{number:02d}",
                venue_id=venue_id(plan.venue),
                module=plan.module,
                level=level,
                age_group=age_group,
                members=sorted(members),
                sessions=_sessions(prep, plan, item),
                online=plan.venue == ONLINE,
                mixed=level.mixed or age_group == CohortAgeGroup.MIXED,
            )
        )
    unplaced, decided = _unplaced(prep, next_member, places)
    total = round(sum(travel.values()), 3)
    report = report.model_copy(update={"objective": total})
    if prep.notes and not report.message:
        report = report.model_copy(update={"message": "; ".join(prep.notes)})
    if report.best_bound is not None:
        bound = min(report.best_bound, total)
        if report.status == SolverStatus.OPTIMAL:
            bound = total  # proven: the 10 m rounding of the model is the only difference
        gap = 0.0 if total == 0 else round((total - bound) / total, 6)
        report = report.model_copy(update={"best_bound": round(bound, 3), "gap": gap})
    policy = policy_sentence(problem, unplaced, decided)
    return assemble_roster(problem, report, cohorts, unplaced, travel, policy)


def assemble_roster(
    problem: PlanningProblem,
    report: SolverReport,
    cohorts: list[Cohort],
    unplaced: list[Unplaced],
    travel: dict[str, float],
    policy: str | None = None,
    kind: RosterKind = RosterKind.ROSTER,
) -> Roster:
    """The roster.json document with its summary (placed, unplaced, total travel, venues
    used: online cohorts have none; the policy sentence unless one is given), its kind and
    the fingerprint of the folder it was solved from."""
    return Roster(
        kind=kind,
        folder_fingerprint=fingerprint_of(problem),
        round=problem.round.name,
        solver=report,
        cohorts=cohorts,
        unplaced=unplaced,
        summary=Summary(
            placed=len(travel),
            unplaced=len(unplaced),
            travel_km_total=round(sum(travel.values()), 3),
            venues_used=list(dict.fromkeys(c.venue_id for c in cohorts if not c.online)),
            policy=policy_sentence(problem, unplaced) if policy is None else policy,
        ),
        travel_km=travel,
    )


def policy_sentence(
    problem: PlanningProblem,
    unplaced: list[Unplaced],
    decided: Mapping[str, int] | None = None,
) -> str:
    """Who goes first, and how many companies each part of the policy left out, e.g.
    "...; no room for 51 companies: 51 by travel (equal priority and waiting)", in the
    round's language. `decided` counts the unplaced by what decided (the keys of
    :func:`~camp_planner.scheduler.reasons.decided_reason`); without it they are counted
    from the words of English reasons."""
    lang = problem.round.language
    _ = gettext_for(lang)
    levels = problem.round.level_priority
    by_level = ", ".join(f"{lvl.value} +{n}" for lvl, n in sorted(levels.items()) if n)
    if by_level:
        policy = _(
            "who goes first: higher priority + level_priority (%(levels)s), then longest "
            "waiting, then shorter travel"
        ) % {"levels": by_level}
    else:
        policy = _("who goes first: higher priority, then longest waiting, then shorter travel")
    if decided is None:
        decided = {
            BY_PRIORITY: sum("a higher priority" in u.reason for u in unplaced),
            BY_WAITING: sum("waiting longer" in u.reason for u in unplaced),
            BY_TRAVEL: sum("shorter travel won" in u.reason for u in unplaced),
        }
    by_priority, by_waiting, by_travel = (
        decided.get(BY_PRIORITY, 0),
        decided.get(BY_WAITING, 0),
        decided.get(BY_TRAVEL, 0),
    )
    room = by_priority + by_waiting + by_travel
    if not room:
        return _("%(policy)s; everybody who could fill a cohort got a place") % {"policy": policy}
    parts = [
        what % {"n": n}
        for n, what in (
            (by_priority, _("%(n)s by priority")),
            (by_waiting, _("%(n)s by waiting time")),
            (by_travel, _("%(n)s by travel (equal priority and waiting)")),
        )
        if n
    ]
    ngettext = ngettext_for(lang)
    return ngettext(
        "%(policy)s; no room for %(n)s company: %(parts)s",
        "%(policy)s; no room for %(n)s companies: %(parts)s",
        room,
    ) % {"policy": policy, "n": room, "parts": ", ".join(parts)}


def _unplaced(
    prep: Prepared,
    placed_count: dict[int, int],
    places: Mapping[int, list[tuple[int, float]]] | None = None,
) -> tuple[list[Unplaced], Counter[str]]:
    """Companies excluded before solving, then those of the model left without a place;
    and how many of those had no room by priority, waiting or travel (`places`: group
    index -> (venue index, km) of its placed companies, to name travel only where a
    company of equal standing has a place it would reach with more travel)."""
    places = places or {}
    by_segment: dict[object, list[Group]] = defaultdict(list)
    for group in prep.groups:
        by_segment[group.segment].append(group)
    placed: dict[object, list[Group]] = defaultdict(list)
    for gi, count in placed_count.items():
        group = prep.groups[gi]
        placed[group.segment].extend([group] * count)
    reasons: dict[str, tuple[UnplacedCode, str]] = dict(prep.excluded)
    decided: Counter[str] = Counter()
    round_people: dict[Segment, int] = defaultdict(int)
    for group in prep.groups:
        round_people[group.segment] += group.size * group.participants
    # once, not per company (10,000 companies: 230 s -> under a second)
    placed_in_round = [g for groups in placed.values() for g in groups]
    segment_places: dict[Segment, list[Place]] = defaultdict(list)
    for gj, other in enumerate(prep.groups):
        segment_places[other.segment].extend((other, venue, km) for venue, km in places.get(gj, []))
    totals = {segment: segment_totals(groups) for segment, groups in by_segment.items()}
    for gi, group in enumerate(prep.groups):
        for company in group.companies[placed_count.get(gi, 0) :]:
            code, reason, by = decided_reason(
                prep.problem,
                group,
                by_segment[group.segment],
                placed[group.segment],
                placed_in_round,
                round_people,
                segment_places[group.segment],
                totals[group.segment],
            )
            reasons[company.company_id] = (code, reason)
            if by is not None:
                decided[by] += 1
    unplaced = [
        Unplaced(
            company_id=c.company_id,
            code=reasons[c.company_id][0],
            reason=reasons[c.company_id][1],
            **reason_fields(reasons[c.company_id][1]),
        )
        for c in prep.problem.companies
        if c.company_id in reasons
    ]
    return unplaced, decided


def empty_roster(prep: Prepared, started: float, why: str, time_limit: float) -> Roster:
    """No roster was found: everyone unplaced, the status and message say why."""
    status = SolverStatus.INFEASIBLE if why == "INFEASIBLE" else SolverStatus.TIME_LIMIT
    message = (
        "no roster satisfies the round's rules (see the unplaced reasons and the check)"
        if status == SolverStatus.INFEASIBLE
        else f"no roster found within {time_limit:g} s ({why})"
    )
    message = "; ".join([message, *prep.notes])
    report = SolverReport(
        status=status, wall_time_s=round(time.time() - started, 3), message=message
    )
    unplaced, _ = _unplaced(prep, {})
    return Roster(
        folder_fingerprint=fingerprint_of(prep.problem),
        round=prep.problem.round.name,
        solver=report,
        unplaced=unplaced,
        summary=Summary(placed=0, unplaced=len(unplaced), travel_km_total=0.0, venues_used=[]),
    )
