"""Languages of the web app: Danish by default, English with ``?lang=en``.

Texts are written in English in the templates (``{{ _("...") }}``, ``{% trans %}``) and in
Python (marked with :func:`N_`); the Danish ones are in the gettext catalog
``translations/da/LC_MESSAGES/messages.po``, kept with Babel (the two ``pybabel``
commands, extract and update, are in docs/web.md; tests/web checks that the catalog is
complete). The catalog is compiled when the app starts (no ``.mo`` file to keep in
step) by the library's :func:`camp_planner.i18n.compile_catalog`; the texts of the output
files (roster.xlsx, invitations, map, unplaced reasons) are in the library's own catalog
(:mod:`camp_planner.i18n`), and so are the input problems and the solver's refusals, which
the pages show in their language (:func:`library_gettext`). Dates and numbers are formatted
for the language by Babel (``tirs. 12. jan. 2027``, ``1.234,5``).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

from babel.dates import format_date, format_datetime
from babel.numbers import format_decimal, format_percent
from babel.support import NullTranslations
from jinja2 import Environment, FileSystemLoader, select_autoescape

from camp_planner.i18n import N_, compile_catalog
from camp_planner.i18n import translations as library_translations

__all__ = [
    "DEFAULT",
    "LANGUAGES",
    "N_",
    "day_first",
    "environment",
    "library_gettext",
    "translations",
]

LANGUAGES = ("da", "en")
DEFAULT = "da"
HERE = Path(__file__).resolve().parent
CATALOGS = HERE / "translations"
TEMPLATES = HERE / "templates"


@functools.cache
def translations(lang: str) -> NullTranslations:
    """The translations of `lang` (English: none, the texts are English)."""
    po = CATALOGS / lang / "LC_MESSAGES" / "messages.po"
    if lang == "en" or not po.is_file():
        return NullTranslations()
    return compile_catalog(po, lang)  # fuzzy entries are left out


@functools.cache
def library_gettext(lang: str) -> Callable[[str], str]:
    """``gettext`` for the library's texts shown on a page (input problems): the library's
    catalog, then the app's (the upload's own problems, :mod:`camp_planner.web.uploads`)."""
    library, web = library_translations(lang).gettext, translations(lang).gettext

    def gettext(text: str) -> str:
        found = library(text)
        return found if found != text else web(text)

    return gettext


def day_first(day: date) -> str:
    """A day as the forms show the days of a list (``15-02-2027``, as their hint's example;
    the readers take this and ISO dates alike): the same in both languages."""
    return day.strftime("%d-%m-%Y")


def _filters(lang: str) -> dict[str, Any]:
    def day(value: date, fmt: str = "EEE d. MMM y") -> str:
        return format_date(value, fmt if lang == "da" else fmt.replace("d. ", "d "), locale=lang)

    def number(value: float | int | None, digits: int = 0) -> str:
        if value is None:
            return "–"
        pattern = "#,##0" + ("." + "0" * digits if digits else "")
        return format_decimal(value, format=pattern, locale=lang)

    def percent(value: float | None, digits: int = 1) -> str:
        if value is None:
            return "–"
        return format_percent(value, format="#,##0." + "0" * digits + " %", locale=lang)

    def moment(timestamp: float | None) -> str:
        if timestamp is None:
            return "–"
        when = datetime.fromtimestamp(timestamp)
        return format_datetime(
            when, "d. MMM y, HH:mm" if lang == "da" else "d MMM y, HH:mm", locale=lang
        )

    def seconds(value: float | None) -> str:
        if value is None:
            return "–"
        if 0 < value < 1:  # not "0 s": a fast solve still took time
            return "< 1 s"
        minutes, secs = divmod(round(value), 60)
        return f"{minutes} min {secs:02d} s" if minutes else f"{secs} s"

    return {
        "day": day, "day_first": day_first, "number": number, "percent": percent,
        "moment": moment, "seconds": seconds,
    }  # fmt: skip


@functools.cache
def environment(lang: str) -> Environment:
    """The templates' environment for one language (one each: rendering is thread-safe)."""
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        autoescape=select_autoescape(["html"]),
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.install_gettext_translations(translations(lang), newstyle=True)  # type: ignore[attr-defined]
    env.filters.update(_filters(lang))
    env.globals["lang"] = lang
    return env
