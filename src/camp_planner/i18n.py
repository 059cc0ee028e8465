"""The language of the text people read in the output files (`round.toml` ``language``).

Texts are written in English in the code, marked with ``_()`` (a local
``_ = gettext_for(lang)``), ``ngettext()`` or :func:`N_`; the Danish ones are in the
gettext catalog ``locale/da/LC_MESSAGES/messages.po`` beside this module, kept with Babel
(the pybabel commands are in docs/planning-folder.md; tests/io/test_danish_outputs.py
checks that the catalog is complete). Catalogs are compiled in memory on first use
(:func:`compile_catalog`, shared with the web app's own catalog), so there is no ``.mo``
file to keep in step. English is the code's own text, so an English output is exactly
what the code writes.

Texts take named placeholders (``%(name)s``), so a translation can order the words as
its language does. Dates and numbers in Danish text are formatted by Babel
(``12. januar 2027``, ``1.234,5``); in English they stay as they were (ISO dates).

A text that is made before its language is known (an input problem's "expected", which the
commands print in English and the web app shows in the page's language) is a
:class:`Message`: the English text with its values, translated when it is shown.
"""

from __future__ import annotations

import functools
import io
import re
from collections.abc import Callable, Iterable, Mapping
from datetime import date
from pathlib import Path
from typing import Protocol

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

__all__ = [
    "CATALOGS",
    "DEFAULT",
    "LANGUAGES",
    "Message",
    "N_",
    "age_label",
    "compile_catalog",
    "format_day",
    "format_number",
    "gettext_for",
    "joined",
    "ngettext_for",
    "segment_label",
    "step_label",
    "translations",
    "weekday",
]

#: Languages of the outputs; English is the code's own.
LANGUAGES = ("en", "da")
DEFAULT = "en"
#: The library's catalogs: ``locale/<lang>/LC_MESSAGES/messages.po``.
CATALOGS = Path(__file__).resolve().parent / "locale"


def N_(message: str) -> str:  # noqa: N802 - the gettext convention
    """Mark a text for translation where it is defined; it is translated when used."""
    return message


def compile_catalog(po: Path, locale: str) -> NullTranslations:
    """The translations of a ``.po`` file, compiled in memory (fuzzy entries are left out,
    so an unchecked translation shows the English text)."""
    with po.open("rb") as handle:
        catalog = read_po(handle, locale=locale)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return Translations(buffer)


@functools.cache
def translations(lang: str) -> NullTranslations:
    """The output texts' translations for `lang` (English, or no catalog: none)."""
    po = CATALOGS / lang / "LC_MESSAGES" / "messages.po"
    if lang == DEFAULT or not po.is_file():
        return NullTranslations()
    return compile_catalog(po, lang)


def gettext_for(lang: str) -> Callable[[str], str]:
    """``_`` for `lang`: English text in, the text in `lang` out."""
    return translations(lang).gettext


def ngettext_for(lang: str) -> Callable[[str, str, int], str]:
    """``ngettext`` for `lang`: the singular or plural form for a count."""
    return translations(lang).ngettext


class Message:
    """A text to translate when it is shown: an English msgid (marked with :func:`N_` where
    it is written) and the values of its ``%(name)s`` placeholders.

    ``str()`` is the English text, exactly as an f-string would have written it; a value
    that is itself a :class:`Message` is translated with the text, a date is written as
    :func:`format_day` writes it (ISO in English), anything else as ``str()`` does.

    Example:
        ``Message(N_("a unique %(column)s (already on row %(row)s)"), column="venue_id",
        row=3)``
    """

    __slots__ = ("msgid", "values")

    def __init__(self, msgid: str, /, **values: object) -> None:
        self.msgid = msgid
        self.values: Mapping[str, object] = values

    def render(self, lang: str, gettext: Callable[[str], str] | None = None) -> str:
        """The text in `lang`, looked up with `gettext` (default: the library's catalog)."""
        _ = gettext or gettext_for(lang)
        text = _(self.msgid)
        if not self.values:
            return text
        return text % {key: _shown(value, lang, _) for key, value in self.values.items()}

    def __str__(self) -> str:
        return self.render(DEFAULT)

    def __repr__(self) -> str:
        values = "".join(f", {key}={value!r}" for key, value in self.values.items())
        return f"Message({self.msgid!r}{values})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Message):
            return NotImplemented
        return (self.msgid, dict(self.values)) == (other.msgid, dict(other.values))

    def __hash__(self) -> int:
        return hash(self.msgid)


def _shown(value: object, lang: str, gettext: Callable[[str], str]) -> object:
    if isinstance(value, Message):
        return value.render(lang, gettext)
    if isinstance(value, date):
        return format_day(value, lang)
    return value


def joined(parts: Iterable[str | Message], conjunction: str) -> str | Message:
    """``a or b or c`` as one :class:`Message`, from the parts and a conjunction text
    ``N_("%(a)s or %(b)s")`` (a plain text part is shown as it is)."""
    items = list(parts)
    result: str | Message = items[0] if items else ""
    for part in items[1:]:
        result = Message(conjunction, a=result, b=part)
    return result


#: How the steps are called in everything people read.
_STEPS = {
    "module1": N_("Module 1"),
    "lab1": N_("Lab 1"),
    "module2": N_("Module 2"),
    "lab2": N_("Lab 2"),
}
#: Age groups as they stand in a group's label ("A/young Module 1").
_AGES = {"young": N_("young"), "established": N_("established"), "mixed": N_("mixed")}


def step_label(step: str, lang: str) -> str:
    """``Module 1`` (``Modul 1``) for ``module1``; an unknown step as it is."""
    return gettext_for(lang)(_STEPS[step]) if step in _STEPS else str(step)


def age_label(age_group: str, lang: str) -> str:
    """``young``, ``established``, ``mixed`` in `lang` (``ung``, ``etableret``, ``blandet``)."""
    return gettext_for(lang)(_AGES[age_group]) if age_group in _AGES else str(age_group)


class _Segment(Protocol):
    @property
    def level(self) -> str: ...

    @property
    def age_group(self) -> str: ...

    @property
    def module(self) -> str: ...


def segment_label(segment: _Segment, lang: str) -> str:
    """A group's label, e.g. ``B/young Module 2`` (``B/ung Modul 2``); in English the same
    as :attr:`camp_planner.models.Segment.label`."""
    level = str(segment.level)
    return f"{level}/{age_label(segment.age_group, lang)} {step_label(segment.module, lang)}"


def format_day(day: date, lang: str, pattern: str = "d. MMMM y") -> str:
    """A date in text: ISO in English (``2027-01-12``), else Babel's `pattern` for the
    language (``12. januar 2027``)."""
    if lang == DEFAULT:
        return day.isoformat()
    from babel.dates import format_date

    return format_date(day, pattern, locale=lang)


_ENGLISH_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def weekday(day: date, lang: str) -> str:
    """The day of the week (``Tuesday``, ``tirsdag``)."""
    if lang == DEFAULT:
        return _ENGLISH_WEEKDAYS[day.weekday()]
    return format_day(day, lang, "EEEE")


_SPEC = re.compile(r"(?P<group>,?)(?:\.(?P<digits>\d+))?(?P<kind>[fg])")


def format_number(value: float, lang: str, spec: str = ".1f") -> str:
    """`value` as Python's `spec` writes it in English (``.1f``, ``,.0f``, ``g``), and with
    the same digits as Babel writes numbers in other languages (``1.234,5``)."""
    if lang == DEFAULT:
        return format(value, spec)
    match = _SPEC.fullmatch(spec)
    digits = int(match.group("digits") or 0) if match else 1
    if match and match.group("kind") == "g":
        pattern = "#,##0.###"
    else:
        pattern = "#,##0" + ("." + "0" * digits if digits else "")
    from babel.numbers import format_decimal

    return format_decimal(value, format=pattern, locale=lang)
