"""The answers to a published plan's invitations, recorded in the browser (docs/web.md
"Answers"): confirmed, declined or no answer per placed company, with the day the answer
came. Kept as the library's ``answers.csv`` (:mod:`camp_planner.mail.answers`) in
``DATA/versions/<plan_id>/outbox/``, so the command ``camp-planner answers`` reads the same
file. A decline becomes a withdrawal: the changes page offers the declined companies ticked
(:func:`declined_ids`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import pandas as pd

from camp_planner.io.errors import Collector, InputProblem
from camp_planner.io.tables import AmbiguousDateError, parse_date
from camp_planner.mail.answers import (
    ANSWERS_COLUMNS,
    CONFIRMED,
    DECLINED,
    NONE,
    Answer,
    read_answers,
    summarise,
)
from camp_planner.mail.batch import read_roster_file
from camp_planner.models import PlanningProblem, Roster
from camp_planner.outputs.atomic import atomic_write_text
from camp_planner.outputs.excel_safe import csv_text
from camp_planner.web.common import Problems, Web
from camp_planner.web.i18n import N_
from camp_planner.web.outbox import not_published, outbox_dir
from camp_planner.web.publish import published_roster
from camp_planner.web.store import Store

__all__ = ["ANSWERS", "AnswerRow", "Answers", "answers_of", "declined_ids", "save_answers"]

ANSWERS = "answers.csv"
#: The answers the web app and the API take.
WORDS = (CONFIRMED, DECLINED, NONE)


@dataclass(frozen=True)
class AnswerRow:
    """One placed company and its answer."""

    company_id: str
    name: str
    cohort_id: str
    answer: str
    replied: date | None


@dataclass(frozen=True)
class Answers:
    """The table, the counts and who has not answered (overdue after the reply date)."""

    rows: list[AnswerRow]
    reply_by: date | None
    overdue: bool

    def count(self, answer: str) -> int:
        return sum(r.answer == answer for r in self.rows)

    @property
    def waiting(self) -> list[AnswerRow]:
        return [r for r in self.rows if r.answer == NONE]

    def as_dict(self) -> dict[str, Any]:
        return {
            "reply_by": self.reply_by.isoformat() if self.reply_by else None,
            "overdue": self.overdue,
            "counts": {
                "confirmed": self.count(CONFIRMED),
                "declined": self.count(DECLINED),
                "no_answer": self.count(NONE),
            },
            "answers": [
                {
                    "company_id": r.company_id,
                    "name": r.name,
                    "cohort_id": r.cohort_id,
                    "answer": r.answer,
                    "replied": r.replied.isoformat() if r.replied else None,
                }
                for r in self.rows
            ],
        }


def _stored(store: Store, plan_id: str) -> dict[str, Answer]:
    path = outbox_dir(store, plan_id) / ANSWERS
    if not path.is_file():
        return {}
    return {a.company_id: a for a in read_answers(path, Collector()) or []}


def _roster(store: Store, plan_id: str) -> Roster | None:
    path = published_roster(store, plan_id)
    try:
        return read_roster_file(path).version.roster if path else None
    except ValueError:  # a published roster.json that no longer reads: as unpublished
        return None


def answers_of(web: Web, plan_id: str, today: date | None = None) -> Answers | None:
    """Every company placed in the published roster with its answer (None: not published)."""
    roster = _roster(web.store, plan_id)
    if roster is None:
        return None
    problem, _ = web.plans.get(plan_id)
    return _answers(problem, roster, _stored(web.store, plan_id), today or date.today())


def _answers(
    problem: PlanningProblem, roster: Roster, stored: dict[str, Answer], today: date
) -> Answers:
    names = {c.company_id: c.name for c in problem.companies}
    rows = []
    for cohort in roster.cohorts:
        for member in cohort.members:
            given = stored.get(member)
            rows.append(
                AnswerRow(
                    member,
                    names.get(member, ""),
                    cohort.cohort_id,
                    given.answer if given else NONE,
                    given.replied if given else None,
                )  # fmt: skip
            )
    rows.sort(key=lambda r: (r.cohort_id, r.name.casefold(), r.company_id))
    reply_by = problem.round.reply_by
    found = [Answer(r.company_id, r.answer, r.replied) for r in rows]
    return Answers(rows, reply_by, summarise(found, reply_by, today).overdue)


def save_answers(web: Web, plan_id: str, given: Any) -> Answers:
    """Record answers: a list of ``{company_id, answer, replied}`` (``answer`` confirmed,
    declined or empty; ``replied`` a date or empty: today for a new answer). Companies not
    named keep theirs.

    Raises:
        Problems: Every problem (not published, not a list, an unknown company, an answer
            or a date that does not read); nothing is kept then.
    """
    roster = _roster(web.store, plan_id)
    if roster is None:
        raise Problems(not_published())
    if not isinstance(given, list):
        raise Problems([InputProblem("(request)", None, "answers", None, N_("a list of answers"))])
    problem, _ = web.plans.get(plan_id)
    placed = {m: c.cohort_id for c in roster.cohorts for m in c.members}
    stored = _stored(web.store, plan_id)
    problems: list[InputProblem] = []
    for number, item in enumerate(given, start=1):
        answer = _one(item, number, placed, stored.get(str(_get(item, "company_id"))), problems)
        if answer is not None:
            stored[answer.company_id] = answer
    if problems:
        raise Problems(problems)
    rows = [
        {
            "company_id": a.company_id,
            "name": next((c.name for c in problem.companies if c.company_id == a.company_id), ""),
            "cohort_id": placed.get(a.company_id, ""),
            "answer": a.answer,
            "replied": a.replied.isoformat() if a.replied else "",
        }
        for a in stored.values()
    ]
    folder = outbox_dir(web.store, plan_id)
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    frame = pd.DataFrame(rows, columns=list(ANSWERS_COLUMNS))
    atomic_write_text(folder / ANSWERS, csv_text(frame), encoding="utf-8-sig")
    return _answers(problem, roster, stored, date.today())


def _get(item: Any, key: str) -> Any:
    return item.get(key) if isinstance(item, dict) else None


def _one(
    item: Any, number: int, placed: dict[str, str], before: Answer | None,
    problems: list[InputProblem],
) -> Answer | None:  # fmt: skip
    """One answer of a request, or its problems (row = its place in the list)."""
    if not isinstance(item, dict):
        problems.append(InputProblem("answers", number, None, None, N_("an object")))
        return None
    company_id, word, replied = item.get("company_id"), item.get("answer"), item.get("replied")
    found = len(problems)
    if not isinstance(company_id, str) or company_id not in placed:
        problems.append(
            InputProblem(
                "answers",
                number,
                "company_id",
                _text(company_id),
                N_("a company placed in the published roster"),
            )  # fmt: skip
        )
    if word is None:
        word = ""
    if word not in WORDS:
        problems.append(
            InputProblem("answers", number, "answer", _text(word), "confirmed, declined or empty")
        )
    day = None
    if replied not in (None, ""):
        try:
            day = parse_date(str(replied).strip()) if isinstance(replied, str) else None
        except AmbiguousDateError:
            day = None
        if day is None:
            problems.append(
                InputProblem(
                    "answers", number, "replied", _text(replied), "a date, e.g. 2027-01-04"
                )  # fmt: skip
            )
    if len(problems) > found:
        return None
    assert isinstance(company_id, str)
    if word == NONE:
        day = None
    elif day is None:  # a new answer is dated today; the same answer keeps its day
        same = before is not None and before.answer == word
        day = before.replied if same and before is not None else date.today()
    return Answer(company_id, word, day)


def _text(value: Any) -> str | None:
    return None if value is None else str(value)[:200]


def declined_ids(store: Store, plan_id: str) -> set[str]:
    """The companies of the published roster that declined: withdrawals for the next
    replan (the changes page offers them ticked)."""
    roster = _roster(store, plan_id)
    if roster is None:
        return set()
    placed = {m for c in roster.cohorts for m in c.members}
    return {a.company_id for a in _stored(store, plan_id).values() if a.answer == DECLINED} & placed
