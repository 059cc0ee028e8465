"""Unplaced reasons kept as a code and values, rendered in any language when shown.

roster.json keeps each unplaced company's sentence in the round's language (``reason``,
as it always did) and, since issue 18, the code of the sentence and its values
(``reason_code``, ``reason_values``), so that a page in another language renders the same
reason in its own language (:func:`render_reason`). The values are JSON: a group is
``{"module", "level", "age_group"}``, a day an ISO date, travel a number of km; the hints
(remedies that would place the company) are a list of ``{"code", ...}``.

:class:`Reason` is the sentence (a ``str``, so every caller that shows it works as before)
carrying its code and values, made by :mod:`camp_planner.scheduler.reasons`;
:func:`reason_fields` takes them into an :class:`~camp_planner.models.Unplaced` entry.
A roster written before the codes existed has none: its stored text is shown as it is.
The reasons only the programme and the replan write are rendered by
:mod:`camp_planner.scheduler.reason_text_later`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date
from typing import Any

from camp_planner.i18n import (
    age_label,
    format_day,
    format_number,
    gettext_for,
    ngettext_for,
    segment_label,
    step_label,
)
from camp_planner.models import Segment
from camp_planner.scheduler.reason_text_later import LATER

__all__ = ["Reason", "reason_fields", "render_hint", "render_reason", "segment_values"]

Values = Mapping[str, Any]


class Reason(str):
    """An unplaced reason in the round's language, with the code and values it was
    rendered from (:func:`render_reason` renders it again in another language)."""

    code: str
    values: dict[str, Any]

    def __new__(cls, code: str, values: Mapping[str, Any], lang: str) -> Reason:
        text = render_reason(code, values, lang)
        if text is None:  # a code of this module: only a programming error gets here
            raise ValueError(f"no sentence for reason code {code!r}")
        return _made(text, code, values)

    def __reduce__(self) -> tuple[Any, tuple[str, str, dict[str, Any]]]:
        """Pickled as its text, code and values (a roster's reasons cross processes)."""
        return _made, (str(self), self.code, self.values)

    def __copy__(self) -> Reason:
        return self

    def __deepcopy__(self, memo: dict[int, Any]) -> Reason:
        return self


def _made(text: str, code: str, values: Mapping[str, Any]) -> Reason:
    """A :class:`Reason` of a text already rendered."""
    made = str.__new__(Reason, text)
    made.code = code
    made.values = dict(values)
    return made


def reason_fields(reason: str) -> dict[str, Any]:
    """``reason_code`` and ``reason_values`` of an :class:`Unplaced` entry for `reason`
    (none for a plain sentence)."""
    if isinstance(reason, Reason):
        return {"reason_code": reason.code, "reason_values": reason.values}
    return {}


def segment_values(segment: Segment) -> dict[str, str]:
    """A group as it is kept in ``reason_values``."""
    return {
        "module": segment.module.value,
        "level": segment.level.value,
        "age_group": segment.age_group.value,
    }


def _segment(values: Values, lang: str) -> str:
    return segment_label(Segment.model_validate(values["segment"]), lang)


def _km(value: float, lang: str) -> str:
    text = f"{float(value):.1f}"
    return text.replace(".", ",") if lang == "da" else text


def _since(values: Values, lang: str) -> str:
    since = values.get("since")
    return format_day(date.fromisoformat(since), lang) if since else "-"


def render_hint(hint: Values, lang: str) -> str:
    """One remedy that would place the company, e.g. "online cohorts would place them:
    `online_cohorts = true`" (the web shows the setting's own name instead)."""
    ngettext = ngettext_for(lang)
    code = hint["code"]
    if code == "online_cohorts":
        _ = gettext_for(lang)
        return _("online cohorts would place them: `online_cohorts = true`")
    if code == "online_cohort":
        return ngettext(
            "an online cohort of %(n)s would place them: `online_cohorts = true`",
            "an online cohort of %(n)s would place them: `online_cohorts = true`",
            int(hint["n"]),
        ) % {"n": hint["n"]}
    if code == "mix_levels":
        return ngettext(
            "sharing Module 1 cohorts with %(level)s/%(age)s companies "
            '(%(people)s people) would place them: `mix_levels = ["%(setting)s"]`',
            "sharing Module 1 cohorts with %(level)s/%(age)s companies "
            '(%(people)s people) would place them: `mix_levels = ["%(setting)s"]`',
            int(hint["people"]),
        ) % {
            "level": hint["level"],
            "age": age_label(hint["age"], lang),
            "people": hint["people"],
            "setting": hint["setting"],
        }
    if code == "mix_age_groups":
        # "young A companies": the age group's own word before a noun (Danish inflects it)
        people = int(hint["people"])
        text = (
            ngettext(
                "sharing a cohort with young %(level)s companies (%(people)s people) would "
                'place them: `mix_age_groups = ["%(level)s"]`',
                "sharing a cohort with young %(level)s companies (%(people)s people) would "
                'place them: `mix_age_groups = ["%(level)s"]`',
                people,
            )
            if hint["age"] == "young"
            else ngettext(
                "sharing a cohort with established %(level)s companies (%(people)s people) "
                'would place them: `mix_age_groups = ["%(level)s"]`',
                "sharing a cohort with established %(level)s companies (%(people)s people) "
                'would place them: `mix_age_groups = ["%(level)s"]`',
                people,
            )
        )
        return text % {"level": hint["level"], "people": people}
    raise KeyError(code)


def _hints(values: Values, lang: str) -> list[str]:
    return [render_hint(hint, lang) for hint in values.get("hints", ())]


def _too_small(values: Values, lang: str) -> str:
    """e.g. "A/young Module 1 has 5 eligible companies (5 people); a cohort needs 8; an
    online cohort of 5 would place them: `online_cohorts = true`"."""
    _ = gettext_for(lang)
    ngettext = ngettext_for(lang)
    companies, people = int(values["companies"]), int(values["people"])
    has = ngettext(
        "%(segment)s has %(companies)s eligible companies",
        "%(segment)s has %(companies)s eligible companies",
        companies,
    ) % {"segment": _segment(values, lang), "companies": companies}
    persons = ngettext("(%(people)s people)", "(%(people)s people)", people) % {"people": people}
    if values.get("online") is not None:
        needs = _("a cohort needs %(min)s, an online one %(online)s") % {
            "min": values["min"],
            "online": values["online"],
        }
    else:
        needs = _("a cohort needs %(min)s") % {"min": values["min"]}
    text = f"{has} {persons}; {needs}"
    if values.get("pool") is not None:
        text += " " + _("(with the companies it may share a cohort with: %(pool)s people)") % {
            "pool": values["pool"]
        }
    hints = _hints(values, lang)
    if hints:
        text += "; " + ("; " + _("or") + " ").join(hints)
    return text


def _cohort_sizes(values: Values, lang: str) -> str:
    people = int(values["people"])
    ngettext = ngettext_for(lang)
    text = ngettext(
        "%(segment)s has %(people)s people; cohorts of %(min)s-%(max)s can hold "
        "%(holdable)s; with equal priority and waiting, shorter travel won",
        "%(segment)s has %(people)s people; cohorts of %(min)s-%(max)s can hold "
        "%(holdable)s; with equal priority and waiting, shorter travel won",
        people,
    ) % {
        "segment": _segment(values, lang),
        "people": people,
        "min": values["min"],
        "max": values["max"],
        "holdable": values["holdable"],
    }
    return text + "".join(f"; {hint}" for hint in _hints(values, lang))


def _limits(values: Values, lang: str) -> str:
    _ = gettext_for(lang)
    return _(
        "%(segment)s: no room within the round's limits (max %(venues)s venues, "
        "%(facilitators)s facilitator(s), venue capacities, travel and dates) while placing "
        "as many companies as possible"
    ) % {
        "segment": _segment(values, lang),
        "venues": values["venues"],
        "facilitators": values["facilitators"],
    }


def _higher_priority(values: Values, lang: str) -> str:
    _ = gettext_for(lang)
    return _(
        "%(segment)s could not place everyone; companies with a higher priority than "
        "%(priority)s (priority + level_priority) were placed first"
    ) % {"segment": _segment(values, lang), "priority": values["priority"]}


def _waiting_longer(values: Values, lang: str) -> str:
    _ = gettext_for(lang)
    return _(
        "%(segment)s could not place everyone; with equal priority, companies waiting "
        "longer (since %(since)s) were placed first"
    ) % {"segment": _segment(values, lang), "since": _since(values, lang)}


def _shorter_travel(values: Values, lang: str) -> str:
    _ = gettext_for(lang)
    return _(
        "%(segment)s could not place everyone; with equal priority and waiting, shorter "
        "travel won: the placed companies it competed with travel at most %(placed)s km, "
        "this company %(own)s km"
    ) % {
        "segment": _segment(values, lang),
        "placed": _km(values["placed"], lang),
        "own": _km(values["own"], lang),
    }


def _limits_priority(values: Values, lang: str) -> str:
    _ = gettext_for(lang)
    return _(
        "%(limits)s; companies of other groups with a higher priority than %(priority)s "
        "(priority + level_priority) were placed first"
    ) % {"limits": _limits(values, lang), "priority": values["priority"]}


def _limits_tie(values: Values, lang: str) -> str:
    _ = gettext_for(lang)
    return _(
        "%(limits)s; companies of equal priority and waiting took the places at no less "
        "travel, or its unavailable days kept it out"
    ) % {"limits": _limits(values, lang)}


def _limits_travel(values: Values, lang: str) -> str:
    _ = gettext_for(lang)
    return _("%(limits)s; with equal priority and waiting, shorter travel won") % {
        "limits": _limits(values, lang)
    }


def _early(code: str) -> Callable[[Values, str], str]:
    """The reasons decided before solving (scheduler/prepare.py), by code."""

    def render(values: Values, lang: str) -> str:
        _ = gettext_for(lang)
        if code == "track_done":
            return _("has completed Module 1 and Module 2")
        if code == "track_complete":
            return _("has completed its training track")
        if code == "module2_level":
            return _(
                "has completed Module 1; Module 2 is only for level A and B companies, "
                "this company is level %(level)s"
            ) % {"level": values["level"]}
        if code == "too_many_people":
            return _("sends %(people)s people; a cohort holds at most %(most)s") % {
                "people": values["people"],
                "most": values["most"],
            }
        if code == "unavailable_every_day":
            return _("is unavailable on every day a module and its lab could be held this round")
        if code == "starts_too_late":
            return _(
                "can start from %(start)s; no module and lab dates are left in this round "
                "after that"
            ) % {"start": format_day(date.fromisoformat(values["start"]), lang)}
        if code == "after_round":
            return _("can start from %(start)s, after this round (%(end)s)") % {
                "start": format_day(date.fromisoformat(values["start"]), lang),
                "end": format_day(date.fromisoformat(values["end"]), lang),
            }
        return _round_or_venues(code, values, lang)

    return render


def _round_or_venues(code: str, values: Values, lang: str) -> str:
    _ = gettext_for(lang)
    if code == "round_too_short":
        return _(
            "the round %(start)s..%(end)s has no dates for %(module)s with its lab %(lo)s-%(hi)s "
            "days later (on working days the facilitator is available)"
        ) % {
            "start": format_day(date.fromisoformat(values["start"]), lang),
            "end": format_day(date.fromisoformat(values["end"]), lang),
            "module": step_label(values["module"], lang),
            "lo": values["lo"],
            "hi": values["hi"],
        }
    residential = bool(values.get("residential"))
    if code == "too_far_limit":
        text = (
            _("no residential venue within max_travel_km = %(km)s km")
            if residential
            else _("no open venue within max_travel_km = %(km)s km")
        )
        return text % {"km": format_number(float(values["km"]), lang, "g")}
    if code == "too_far":
        return (
            _("no residential venue this round") if residential else _("no open venue this round")
        )
    raise KeyError(code)


#: Reasons decided before solving: the company has no step, no venue or no dates.
EARLY = (
    "track_done", "track_complete", "module2_level", "too_many_people", "unavailable_every_day",
    "starts_too_late", "after_round", "round_too_short", "too_far_limit", "too_far",
)  # fmt: skip

_RENDER: dict[str, Callable[[Values, str], str]] = {
    **{code: _early(code) for code in EARLY},
    "segment_too_small": _too_small,
    "higher_priority": _higher_priority,
    "waiting_longer": _waiting_longer,
    "shorter_travel": _shorter_travel,
    "cohort_sizes": _cohort_sizes,
    "limits_priority": _limits_priority,
    "limits_tie": _limits_tie,
    "limits_travel": _limits_travel,
    # the programme's and the replan's own reasons (scheduler/reason_text_later.py)
    **LATER,
}

#: The codes :func:`render_reason` knows.
CODES: Sequence[str] = tuple(_RENDER)


def render_reason(code: str | None, values: Values | None, lang: str) -> str | None:
    """The reason of `code` with `values` in `lang` (the command line's wording: settings
    as round.toml keys); None for no code, or one (or values) this version cannot render,
    so that the caller shows the stored sentence."""
    if code is None or values is None or code not in _RENDER:
        return None
    try:
        return _RENDER[code](values, lang)
    except (KeyError, TypeError, ValueError):
        return None
