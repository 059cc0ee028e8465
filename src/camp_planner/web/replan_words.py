"""A replan's summary sentence in the page's language.

The replan keeps its sentence in English (``4 companies moved, 1 cohort re-dated, nobody
lost a place``, :func:`camp_planner.replan.changes.summary_sentence`, which the command
prints); the replan page shows it in the page's language, part by part. A part this
module does not know is shown as it is."""

from __future__ import annotations

import re
from collections.abc import Callable

from camp_planner.web.i18n import translations

__all__ = ["replan_sentence"]


def _parts(ngettext: Callable[[str, str, int], str]) -> dict[str, Callable[[int], str]]:
    """English phrase (singular) -> the count in words of the page."""
    return {
        "company withdrew": lambda n: ngettext(
            "%(n)s company withdrew", "%(n)s companies withdrew", n
        ),
        "company moved": lambda n: ngettext("%(n)s company moved", "%(n)s companies moved", n),
        "cohort moved to another venue": lambda n: ngettext(
            "%(n)s cohort moved to another venue", "%(n)s cohorts moved to another venue", n
        ),
        "cohort re-dated": lambda n: ngettext("%(n)s cohort re-dated", "%(n)s cohorts re-dated", n),
        "cohort cancelled": lambda n: ngettext(
            "%(n)s cohort cancelled", "%(n)s cohorts cancelled", n
        ),
        "new cohort": lambda n: ngettext("%(n)s new cohort", "%(n)s new cohorts", n),
        "late sign-up placed": lambda n: ngettext(
            "%(n)s late sign-up placed", "%(n)s late sign-ups placed", n
        ),
        "waiting company placed": lambda n: ngettext(
            "%(n)s waiting company placed", "%(n)s waiting companies placed", n
        ),
        "late sign-up without a place": lambda n: ngettext(
            "%(n)s late sign-up without a place", "%(n)s late sign-ups without a place", n
        ),
        "company lost its place": lambda n: ngettext(
            "%(n)s company lost its place", "%(n)s companies lost their place", n
        ),
    }


#: The plural phrases as the sentence writes them -> the singular (the key of _parts).
_PLURAL = {
    "companies withdrew": "company withdrew",
    "companies moved": "company moved",
    "cohorts moved to another venue": "cohort moved to another venue",
    "cohorts re-dated": "cohort re-dated",
    "cohorts cancelled": "cohort cancelled",
    "new cohorts": "new cohort",
    "late sign-ups placed": "late sign-up placed",
    "waiting companies placed": "waiting company placed",
    "late sign-ups without a place": "late sign-up without a place",
    "companies lost their place": "company lost its place",
}
_PART = re.compile(r"(\d+) (.+)")


def replan_sentence(sentence: str, lang: str) -> str:
    """The replan's summary sentence in `lang` (``1 virksomhed meldte fra, ingen mistede
    sin plads``)."""
    catalog = translations(lang)
    gettext, ngettext = catalog.gettext, catalog.ngettext
    parts = _parts(ngettext)
    fixed = {
        "nobody lost a place": gettext("nobody lost a place"),
        "no changes; nobody lost a place": gettext("no changes; nobody lost a place"),
    }
    if sentence in fixed:
        return fixed[sentence]
    shown = []
    for part in sentence.split(", "):
        match = _PART.fullmatch(part)
        key = _PLURAL.get(match[2], match[2]) if match else None
        if match and key in parts:
            shown.append(parts[key](int(match[1])) % {"n": int(match[1])})
        else:
            shown.append(fixed.get(part, part))
    return ", ".join(shown)
