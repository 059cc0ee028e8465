"""What changed between the published roster and the replanned one, company by company
and cohort by cohort, and the one-sentence summary of it."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum

from camp_planner.i18n import gettext_for, ngettext_for
from camp_planner.models import Cohort, PlanningProblem, Roster


class Change(StrEnum):
    """How a company's place changed (changes.csv ``change``)."""

    #: to another cohort
    MOVED = "moved"
    #: a place now and none before: a late sign-up or a company that was waiting; also a
    #: late sign-up still without a place (no new cohort)
    NEW = "new"
    #: same cohort, other dates
    DATES = "dates"
    #: same cohort, another venue (its dates may have changed too)
    VENUE = "venue"
    #: had a place, has none now
    UNPLACED = "unplaced"
    #: in the published roster, no longer in the planning folder
    WITHDRAWN = "withdrawn"
    #: same cohort, venue and dates, but its companies (or its level or age label) changed:
    #: the invitation, which says who and how many, is sent again (SEQUENCE raised)
    MEMBERS = "members"


#: changes.csv's columns, in order
CHANGE_COLUMNS = (
    "company_id",
    "name",
    "change",
    "old_cohort_id",
    "new_cohort_id",
    "old_venue_id",
    "new_venue_id",
    "old_dates",
    "new_dates",
)


@dataclass(frozen=True)
class ChangeRow:
    """One row of changes.csv."""

    company_id: str
    name: str
    change: Change
    old_cohort_id: str = ""
    new_cohort_id: str = ""
    old_venue_id: str = ""
    new_venue_id: str = ""
    old_dates: str = ""
    new_dates: str = ""


def cohort_dates(cohort: Cohort | None) -> str:
    """Every session date of a cohort, in order, ``;``-separated."""
    if cohort is None:
        return ""
    return ";".join(sorted(d.isoformat() for s in cohort.sessions for d in s.dates))


def _by_member(roster: Roster) -> dict[str, Cohort]:
    return {m: c for c in roster.cohorts for m in c.members}


def company_changes(problem: PlanningProblem, published: Roster, new: Roster) -> list[ChangeRow]:
    """One row per company whose place or invitation differs: moved, new, re-dated, at
    another venue, its cohort's companies changed, unplaced now, or withdrawn (in the
    published roster, not in the folder any more).
    Companies of the folder first (in its order), then the withdrawn ones."""
    old_of, new_of = _by_member(published), _by_member(new)
    known = set(old_of) | {u.company_id for u in published.unplaced}
    rows = []
    for company in problem.companies:
        cid = company.company_id
        old, now = old_of.get(cid), new_of.get(cid)
        if old is None and now is None:
            change = Change.NEW if cid not in known else None
        elif old is None:
            change = Change.NEW
        elif now is None:
            change = Change.UNPLACED
        elif old.cohort_id != now.cohort_id:
            change = Change.MOVED
        elif old.venue_id != now.venue_id:
            change = Change.VENUE
        elif cohort_dates(old) != cohort_dates(now):
            change = Change.DATES
        elif _label(old) != _label(now):
            change = Change.MEMBERS
        else:
            change = None
        if change is not None:
            rows.append(_row(cid, company.name, change, old, now))
    present = {c.company_id for c in problem.companies}
    for cid in [*old_of, *(u.company_id for u in published.unplaced)]:
        if cid not in present:
            rows.append(_row(cid, "", Change.WITHDRAWN, old_of.get(cid), None))
    return rows


def _label(cohort: Cohort) -> tuple[object, ...]:
    """What a cohort's invitation says of it besides venue and dates: who, level, age."""
    return (sorted(cohort.members), cohort.level, cohort.age_group, cohort.online)


def _row(cid: str, name: str, change: Change, old: Cohort | None, now: Cohort | None) -> ChangeRow:
    return ChangeRow(
        company_id=cid,
        name=name,
        change=change,
        old_cohort_id=old.cohort_id if old else "",
        new_cohort_id=now.cohort_id if now else "",
        old_venue_id=old.venue_id if old else "",
        new_venue_id=now.venue_id if now else "",
        old_dates=cohort_dates(old),
        new_dates=cohort_dates(now),
    )


@dataclass(frozen=True)
class CohortChanges:
    """Published cohorts re-dated, moved, cancelled; new cohorts (ids)."""

    redated: list[str]
    moved: list[str]
    cancelled: list[str]
    new: list[str]


def cohort_changes(published: Roster, new: Roster) -> CohortChanges:
    """Which cohorts changed dates or venue, which no longer run, which are new."""
    before = {c.cohort_id: c for c in published.cohorts}
    after = {c.cohort_id: c for c in new.cohorts}
    kept = [cid for cid in before if cid in after]
    return CohortChanges(
        redated=[cid for cid in kept if cohort_dates(before[cid]) != cohort_dates(after[cid])],
        moved=[cid for cid in kept if before[cid].venue_id != after[cid].venue_id],
        cancelled=[cid for cid in before if cid not in after],
        new=[cid for cid in after if cid not in before],
    )


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def summary_sentence(
    rows: Iterable[ChangeRow], cohorts: CohortChanges, late: set[str] | None = None
) -> str:
    """E.g. "4 companies moved, 1 cohort re-dated, 2 late sign-ups placed, nobody lost a
    place". `late`: ids of late sign-ups (not in the published roster at all); other
    companies that got a place had been waiting."""
    rows = list(rows)
    late = late or set()
    by: dict[Change, list[ChangeRow]] = {c: [r for r in rows if r.change == c] for c in Change}
    placed_new = [r for r in by[Change.NEW] if r.new_cohort_id]
    late_placed = sum(1 for r in placed_new if r.company_id in late)
    late_left = sum(1 for r in by[Change.NEW] if not r.new_cohort_id)
    parts = [
        (len(by[Change.WITHDRAWN]), "company withdrew", "companies withdrew"),
        (len(by[Change.MOVED]), "company moved", "companies moved"),
        (len(cohorts.moved), "cohort moved to another venue", "cohorts moved to another venue"),
        (len(cohorts.redated), "cohort re-dated", "cohorts re-dated"),
        (len(cohorts.cancelled), "cohort cancelled", "cohorts cancelled"),
        (len(cohorts.new), "new cohort", "new cohorts"),
        (late_placed, "late sign-up placed", "late sign-ups placed"),
        (len(placed_new) - late_placed, "waiting company placed", "waiting companies placed"),
        (late_left, "late sign-up without a place", "late sign-ups without a place"),
    ]
    text = [_count(n, one, many) for n, one, many in parts if n]
    lost = len(by[Change.UNPLACED])
    text.append(
        "nobody lost a place"
        if not lost
        else _count(lost, "company", "companies")
        + " lost "
        + ("its" if lost == 1 else "their")
        + " place"
    )
    if len(text) == 1 and not lost:
        return "no changes; nobody lost a place"
    return ", ".join(text)


def _phrase(words: str, n: int, ngettext: Callable[[str, str, int], str]) -> str | None:
    """One part of the summary sentence ("<n> <words>") in the catalog's language."""
    found = {
        ("company withdrew", "companies withdrew"): lambda: ngettext(
            "%(n)s company withdrew", "%(n)s companies withdrew", n
        ),
        ("company moved", "companies moved"): lambda: ngettext(
            "%(n)s company moved", "%(n)s companies moved", n
        ),
        ("cohort moved to another venue", "cohorts moved to another venue"): lambda: ngettext(
            "%(n)s cohort moved to another venue", "%(n)s cohorts moved to another venue", n
        ),
        ("cohort re-dated", "cohorts re-dated"): lambda: ngettext(
            "%(n)s cohort re-dated", "%(n)s cohorts re-dated", n
        ),
        ("cohort cancelled", "cohorts cancelled"): lambda: ngettext(
            "%(n)s cohort cancelled", "%(n)s cohorts cancelled", n
        ),
        ("new cohort", "new cohorts"): lambda: ngettext("%(n)s new cohort", "%(n)s new cohorts", n),
        ("late sign-up placed", "late sign-ups placed"): lambda: ngettext(
            "%(n)s late sign-up placed", "%(n)s late sign-ups placed", n
        ),
        ("waiting company placed", "waiting companies placed"): lambda: ngettext(
            "%(n)s waiting company placed", "%(n)s waiting companies placed", n
        ),
        ("late sign-up without a place", "late sign-ups without a place"): lambda: ngettext(
            "%(n)s late sign-up without a place", "%(n)s late sign-ups without a place", n
        ),
        ("company lost its place", "companies lost their place"): lambda: ngettext(
            "%(n)s company lost its place", "%(n)s companies lost their place", n
        ),
    }
    for forms, make in found.items():
        if words in forms:
            return make() % {"n": n}
    return None


def summary_in(sentence: str, lang: str) -> str:
    """The summary sentence (:func:`summary_sentence`'s English, as roster.json and the
    JSON API keep it) in `lang`; a part it does not know stays as it is."""
    if lang == "en" or not sentence:
        return sentence
    _ = gettext_for(lang)
    if sentence == "no changes; nobody lost a place":
        return _("no changes; nobody lost a place")
    parts = []
    for part in sentence.split(", "):
        count, _space, words = part.partition(" ")
        shown = _phrase(words, int(count), ngettext_for(lang)) if count.isdigit() else None
        if part == "nobody lost a place":
            shown = _("nobody lost a place")
        parts.append(shown or part)
    return ", ".join(parts)
