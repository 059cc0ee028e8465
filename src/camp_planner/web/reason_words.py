"""Unplaced reasons on the pages: rendered in the page's language from the code and
values roster.json keeps (:func:`camp_planner.scheduler.reason_text.render_reason`), the
stored sentence for rosters written before those existed; and the round.toml keys the
command line's sentences name (```online_cohorts = true```) put as the Settings page
calls them, so a page never quotes TOML (nor the replan's ``--as-of``: the Changes page's
field)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from camp_planner.scheduler.reason_text import render_reason
from camp_planner.web.i18n import N_, translations

__all__ = ["reason_shown", "settings_in_words"]

#: round.toml (or a command's option) as a reason names it -> the form's field (its label,
#: translated).
_SETTINGS = (
    (
        re.compile(r"`online_cohorts = true`"),
        N_("“%(label)s” ticked on the Settings page"),
        N_("Module 1 may be held online"),
    ),
    (
        re.compile(r'`mix_levels = \["([A-C+]+)"\]`'),
        N_("%(value)s ticked under “%(label)s” on the Settings page"),
        N_("Levels that may share a Module 1 cohort"),
    ),
    (
        re.compile(r'`mix_age_groups = \["([A-C])"\]`'),
        N_("%(value)s ticked under “%(label)s” on the Settings page"),
        N_("Levels at which young and established may share a cohort"),
    ),
    (
        re.compile(r"max_travel_km = ([\d.,]+) km"),
        N_("%(value)s km (“%(label)s” on the Settings page)"),
        N_("Longest travel, km"),
    ),
    (
        re.compile(r"--as-of"),
        N_("“%(label)s” on the Changes page"),
        N_("Sessions before this day have been held"),
    ),
    (
        re.compile(r"priority \+ level_priority"),
        N_("priority + “%(label)s” of the Settings page"),
        N_("Priority added by level"),
    ),
)


def settings_in_words(text: str, lang: str) -> str:
    """A reason with the round.toml settings it names put as the Settings page's fields in
    the page's language (`lang`)."""
    gettext = translations(lang).gettext
    for pattern, words, label in _SETTINGS:
        shown, named = gettext(words), gettext(label)

        def word(match: re.Match[str], shown: str = shown, named: str = named) -> str:
            value = match[1] if match.groups() else ""
            return shown % {"value": value, "label": named}

        text = pattern.sub(word, text)
    return text


def reason_shown(entry: Mapping[str, Any], lang: str) -> str:
    """An unplaced entry's reason (``reason_code``, ``reason_values``, else ``reason``) in
    the page's language, naming the Settings page's fields."""
    text = render_reason(entry.get("reason_code"), entry.get("reason_values"), lang)
    return settings_in_words(text if text is not None else str(entry.get("reason", "")), lang)
