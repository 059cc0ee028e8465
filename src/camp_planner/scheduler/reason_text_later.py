"""The sentences of the reasons the programme and the replan write (issue 18's follow-up),
by code, for :func:`camp_planner.scheduler.reason_text.render_reason`.

The programme's own reasons (``later_*``, ``horizon_*``, ``no_common_dates``) were always
written in English, whatever the round's language; roster.json keeps them so (its
``reason`` unchanged) and a page renders them in its own language from the code. The
replan's are written in the round's language, as before. Values as in
:mod:`camp_planner.scheduler.reason_text`: a group ``{"module", "level", "age_group"}``, a
day an ISO date, a cohort its id; ``had``, when present, is the cohort the company had a
place in before the replan.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

from camp_planner.i18n import format_day, gettext_for, ngettext_for, segment_label, step_label
from camp_planner.models import Segment

__all__ = ["LATER"]

Values = Mapping[str, Any]


def _segment(values: Values, lang: str) -> str:
    return segment_label(Segment.model_validate(values["segment"]), lang)


def _day(values: Values, key: str, lang: str) -> str:
    return format_day(date.fromisoformat(values[key]), lang)


# -- the programme ---------------------------------------------------------------------------
def _later(values: Values, lang: str, why: str) -> str:
    _ = gettext_for(lang)
    planned = _("%(step)s is planned for round %(round)s") % {
        "step": step_label(values["step"], lang),
        "round": values["round"],
    }
    return f"{planned}: {why}"


def _later_available(values: Values, lang: str) -> str:
    _ = gettext_for(lang)
    why = _("it can start from %(start)s, after round %(here)s") % {
        "start": _day(values, "start", lang),
        "here": values["here"],
    }
    return _later(values, lang, why)


def _later_full(values: Values, lang: str) -> str:
    _ = gettext_for(lang)
    why = _(
        "round %(here)s was full with companies that go first (a higher priority or waiting longer)"
    ) % {"here": values["here"]}
    return _later(values, lang, why)


def _later_tracks(values: Values, lang: str) -> str:
    ngettext = ngettext_for(lang)
    n = int(values["n"])
    why = ngettext(
        "planned later to complete more steps and tracks within the horizon (they rank "
        "above an earlier round; %(n)s of its group train in round %(here)s)",
        "planned later to complete more steps and tracks within the horizon (they rank "
        "above an earlier round; %(n)s of its group train in round %(here)s)",
        n,
    ) % {"n": n, "here": values["here"]}
    return _later(values, lang, why)


def _horizon_too_small(values: Values, lang: str) -> str:
    people = int(values["people"])
    ngettext = ngettext_for(lang)
    return ngettext(
        "%(segment)s has %(people)s people this round; a cohort needs %(min)s",
        "%(segment)s has %(people)s people this round; a cohort needs %(min)s",
        people,
    ) % {"segment": _segment(values, lang), "people": people, "min": values["min"]}


def _horizon_full(values: Values, lang: str) -> str:
    _ = gettext_for(lang)
    return _(
        "%(segment)s: no room in the horizon's rounds (venues, the facilitator's days, "
        "cohort sizes) for every company; who goes first: priority, then waiting, then travel"
    ) % {"segment": _segment(values, lang)}


def _no_common_dates(values: Values, lang: str) -> str:
    _ = gettext_for(lang)
    return _("could not meet with a cohort on common dates (unavailable days)")


# -- the replan ------------------------------------------------------------------------------
def _lost_to_other(values: Values, lang: str) -> str:
    _ = gettext_for(lang)
    return _(
        "had a place in %(cohort)s, but keeping it would cost another company of the "
        "published roster its place (%(kept)s of %(total)s could keep one)"
    ) % {"cohort": values["cohort"], "kept": values["kept"], "total": values["total"]}


def _lost_unavailable(values: Values, lang: str) -> str:
    _ = gettext_for(lang)
    return _(
        "had a place in %(cohort)s; its unavailable days leave no dates on which a "
        "cohort it may join can meet (with the facilitator's and the venues' days, "
        "the cohorts that have met and the pins)"
    ) % {"cohort": values["cohort"]}


def _lost_rules(values: Values, lang: str) -> str:
    _ = gettext_for(lang)
    return _(
        "had a place in %(cohort)s, but no cohort it may join can run with it now under the "
        "round's rules (cohort size, the facilitator's and the venues' days, the cohorts "
        "that have met and the pins)"
    ) % {"cohort": values["cohort"]}


def _lost_budget(values: Values, lang: str) -> str:
    _ = gettext_for(lang)
    return _(
        "had a place in %(cohort)s, but only %(kept)s of the %(total)s "
        "companies of the published roster could keep one under the round's "
        "rules now"
    ) % {"cohort": values["cohort"], "kept": values["kept"], "total": values["total"]}


def _had(values: Values, lang: str, text: str) -> str:
    """The reason of a company of the published roster: the cohort it had first."""
    if not values.get("had"):
        return text
    _ = gettext_for(lang)
    return _("had a place in %(cohort)s; %(reason)s") % {"cohort": values["had"], "reason": text}


def _left_too_small(values: Values, lang: str) -> str:
    people = int(values["people"])
    ngettext = ngettext_for(lang)
    text = ngettext(
        "%(segment)s has %(people)s people left to plan and no cohort; a cohort needs %(min)s",
        "%(segment)s has %(people)s people left to plan and no cohort; a cohort needs %(min)s",
        people,
    ) % {"segment": _segment(values, lang), "people": people, "min": values["min"]}
    return _had(values, lang, text)


def _no_cohort_runs(values: Values, lang: str) -> str:
    _ = gettext_for(lang)
    text = _("no cohort of its group (%(segment)s) can run with it under the round's rules") % {
        "segment": _segment(values, lang)
    }
    if values.get("notice"):
        text += _(
            "; its cohorts meeting before %(date)s (the notice period after --as-of) "
            "take nobody new"
        ) % {"date": _day(values, "notice", lang)}
    return _had(values, lang, text)


def _no_place_left(values: Values, lang: str) -> str:
    _ = gettext_for(lang)
    return _(
        "no place left for it in a cohort of its group (%(segment)s) on days it can "
        "attend: placing it would take the place of a company that has one "
        "(companies of the published roster keep theirs first; then priority, then "
        "waiting time)"
    ) % {"segment": _segment(values, lang)}


def _unavailable_from(values: Values, lang: str) -> str:
    _ = gettext_for(lang)
    return _(
        "is unavailable on every day from %(date)s on that a module and its lab "
        "could be held this round"
    ) % {"date": _day(values, "date", lang)}


#: code -> its sentence from the values, in a language.
LATER: dict[str, Callable[[Values, str], str]] = {
    "later_available": _later_available,
    "later_full": _later_full,
    "later_tracks": _later_tracks,
    "horizon_too_small": _horizon_too_small,
    "horizon_full": _horizon_full,
    "no_common_dates": _no_common_dates,
    "lost_to_other": _lost_to_other,
    "lost_unavailable": _lost_unavailable,
    "lost_rules": _lost_rules,
    "lost_budget": _lost_budget,
    "left_too_small": _left_too_small,
    "no_cohort_runs": _no_cohort_runs,
    "no_place_left": _no_place_left,
    "unavailable_from": _unavailable_from,
}
