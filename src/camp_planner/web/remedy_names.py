"""The remedies' names (as remedies.csv writes them) in the pages' words, and the job kind's
name; apart from :mod:`camp_planner.web.remedies` so that the views can use them."""

from __future__ import annotations

from typing import Any

from camp_planner.web.i18n import N_

__all__ = ["REMEDY_KIND", "REMEDY_LABELS", "is_remedy", "remedy_label", "remedy_name"]

#: The remedies job's kind, as the plan page's list of calculations names it.
REMEDY_KIND = {"remedies": N_("Remedies")}
#: The names of the remedies (as remedies.csv writes them), in the pages' words.
REMEDY_LABELS = {
    "online cohorts": N_("Online cohorts"),
    "no travel limit": N_("No travel limit"),
    "one more venue": N_("One more venue"),
    "all of them": N_("All of them together"),
    "none (the round as it is)": N_("None (the round as it is)"),
}
_MIX_LEVELS = N_("Levels %(mix)s in one Module 1 cohort")
_MIX_AGES = N_("Young and established together at %(level)s")


def is_remedy(name: str) -> bool:
    """Whether `name` is a remedy's (as remedies.csv names them)."""
    return name in REMEDY_LABELS or name.startswith(("mix levels ", "mix age groups at "))


def remedy_label(name: str, gettext: Any) -> str:
    """A remedy's name in the page's language."""
    if name.startswith("mix levels "):
        return str(gettext(_MIX_LEVELS) % {"mix": name.removeprefix("mix levels ")})
    if name.startswith("mix age groups at "):
        return str(gettext(_MIX_AGES) % {"level": name.removeprefix("mix age groups at ")})
    return str(gettext(REMEDY_LABELS.get(name, name)))


def remedy_name(name: str, gettext: Any) -> str:
    """A remedy's name in the page's language; any other name (a what-if scenario's) as it
    is."""
    return remedy_label(name, gettext) if is_remedy(name) else name
