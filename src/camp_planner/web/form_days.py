"""The facilitator's days typed into a form, and their problems as the form shows them.

The settings form, the programme form and the Changes page take the facilitator's days as
text, day-first dates separated by ``;`` (the forms' hint: ``15-02-2027; 16-02-2027``).
The days reach round.toml's reader as a list (:func:`camp_planner.io.round_file.
round_from_data`), whose problem names round.toml's syntax (``[31-02-2027, x]``; "a list of
dates, e.g. [2027-02-15]") as a file needs. On a form that text is wrong, so
:func:`day_problems` makes it one problem per day that is no date, with the day as typed
and what the form expects (why the day is none, when the date reader says why). The JSON
API and round.toml files keep the reader's own texts.
"""

from __future__ import annotations

from camp_planner.i18n import Message
from camp_planner.io.errors import InputProblem
from camp_planner.io.tables import AmbiguousDateError, parse_date
from camp_planner.web.i18n import N_

__all__ = ["DAYS_KEY", "day_problems", "typed_days"]

#: The round.toml key of the facilitator's days.
DAYS_KEY = "facilitator_unavailable"
#: What the forms' day fields take (as their hint says).
FORM_DAYS = N_("dates written day first and separated by ; (e.g. 15-02-2027; 16-02-2027)")
#: Why a day is none, then what the forms take.
WHY_NOT = N_("%(why)s; the field takes %(days)s")


def typed_days(text: str) -> list[str]:
    """The days of a form's text, as typed (``;`` or ``,`` between them)."""
    return [d.strip() for d in text.replace(",", ";").split(";") if d.strip()]


def _shown_list(value: str | None) -> list[str]:
    """The days of the reader's value (``[31-02-2027, x]``: a form's days never hold a
    comma or ``;``, so the list is split back exactly)."""
    text = (value or "").strip()
    if text.startswith("[") and text.endswith("]"):
        text = text[1:-1]
    return typed_days(text)


def _why(day: str) -> Message | None:
    """Why `day` is no date as the form takes it; None for a date."""
    try:
        if parse_date(day) is not None:
            return None
    except AmbiguousDateError as exc:  # no such day (31-02-2027), a two-digit year
        return Message(WHY_NOT, why=exc.message, days=Message(FORM_DAYS))
    return Message(FORM_DAYS)


def day_problems(problem: InputProblem) -> list[InputProblem]:
    """The reader's problem with the facilitator's days, as the form shows it: one problem
    per day that is no date (the day as typed, what the form takes); the days as typed,
    separated by ``;``, when each is a date yet the reader refused them."""
    days = _shown_list(problem.value)
    found = []
    for day in days:
        why = _why(day)
        if why is not None:
            found.append(InputProblem.of(problem.file, problem.row, problem.column, day, why))
    if found:
        return found
    typed = "; ".join(days) or None
    return [InputProblem.of(problem.file, problem.row, problem.column, typed, Message(FORM_DAYS))]
