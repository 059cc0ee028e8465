"""Answers to the invitations: who confirmed, who declined, who has not answered.

``answers.csv`` (the coordinator fills it; ``camp-planner answers`` writes one to start
from): ``company_id``, ``name``, ``cohort_id``, ``answer`` (``confirmed``, ``declined`` or
empty = no answer; Danish ``bekræftet``/``ja``, ``afbud``/``nej``), ``replied`` (the day the
answer came; ISO or as Danish Excel writes it). A decline becomes a withdrawal for the next
replan: ``declined.csv`` lists them (``company_id``, ``name``, ``replied``); remove those rows
from companies.csv before ``camp-planner replan`` (docs/invitations.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pandas as pd

from camp_planner.i18n import N_, Message
from camp_planner.io.errors import Collector
from camp_planner.io.tables import AmbiguousDateError, parse_date, read_csv_table
from camp_planner.models import PlanningProblem, Roster

__all__ = [
    "ANSWERS_COLUMNS",
    "Answer",
    "AnswerSummary",
    "answers_frame",
    "declined_frame",
    "read_answers",
    "summarise",
]

ANSWERS_COLUMNS = ("company_id", "name", "cohort_id", "answer", "replied")
CONFIRMED, DECLINED, NONE = "confirmed", "declined", ""
_WORDS = {
    "confirmed": CONFIRMED,
    "yes": CONFIRMED,
    "bekræftet": CONFIRMED,
    "ja": CONFIRMED,
    "declined": DECLINED,
    "no": DECLINED,
    "afbud": DECLINED,
    "nej": DECLINED,
    "afmeldt": DECLINED,
    "": NONE,
    "no answer": NONE,
    "intet svar": NONE,
}
_ALIASES = {
    "virksomhed_id": "company_id",
    "cvr": "company_id",
    "navn": "name",
    "hold": "cohort_id",
    "svar": "answer",
    "svardato": "replied",
    "besvaret": "replied",
}


@dataclass(frozen=True)
class Answer:
    """One company's answer (answer "" = none yet)."""

    company_id: str
    answer: str
    replied: date | None


@dataclass(frozen=True)
class AnswerSummary:
    """The counts, and who has not answered (overdue: after the reply date)."""

    confirmed: list[str]
    declined: list[str]
    unanswered: list[str]
    overdue: bool


def answers_frame(problem: PlanningProblem, roster: Roster) -> pd.DataFrame:
    """An answers.csv to fill in: every placed company, no answer yet."""
    names = {c.company_id: c.name for c in problem.companies}
    rows = [
        {
            "company_id": m,
            "name": names.get(m, ""),
            "cohort_id": c.cohort_id,
            "answer": "",
            "replied": "",
        }
        for c in roster.cohorts
        for m in c.members
    ]
    return pd.DataFrame(rows, columns=list(ANSWERS_COLUMNS))


def read_answers(path: Path, out: Collector) -> list[Answer] | None:
    """The answers in `path`; every bad row a problem in `out` (None when there were any)."""
    table = read_csv_table(path, out, _ALIASES)
    if table is None:
        return None
    label = table.label
    if "company_id" not in table.columns or "answer" not in table.columns:
        missing = [c for c in ("company_id", "answer") if c not in table.columns]
        for column in missing:
            out.problem(
                label, None, column, None, Message(N_("a column %(columns)s"), columns=column)
            )
        return None
    before = len(out.problems)
    answers, seen = [], set()
    for number, row in enumerate(table.rows, start=2):
        company_id = (row.get("company_id") or "").strip()
        word = (row.get("answer") or "").strip().lower()
        replied_text = (row.get("replied") or "").strip()
        if not company_id:
            out.problem(label, number, "company_id", "", N_("a company id"))
            continue
        if company_id in seen:
            out.problem(label, number, "company_id", company_id, N_("each company once"))
        seen.add(company_id)
        if word not in _WORDS:
            out.problem(label, number, "answer", word, N_("confirmed, declined or empty"))
            continue
        replied = None
        if replied_text:
            try:
                replied = parse_date(replied_text)
            except AmbiguousDateError:
                replied = None
            if replied is None:
                out.problem(label, number, "replied", replied_text, N_("a date, e.g. 2027-01-04"))
        answers.append(Answer(company_id, _WORDS[word], replied))
    return None if len(out.problems) > before else answers


def summarise(answers: list[Answer], reply_by: date | None, today: date) -> AnswerSummary:
    """Counts of confirmed, declined and not answered; overdue when the reply date passed."""
    return AnswerSummary(
        confirmed=[a.company_id for a in answers if a.answer == CONFIRMED],
        declined=[a.company_id for a in answers if a.answer == DECLINED],
        unanswered=[a.company_id for a in answers if a.answer == NONE],
        overdue=reply_by is not None and today > reply_by,
    )


def declined_frame(answers: list[Answer], problem: PlanningProblem) -> pd.DataFrame:
    """declined.csv: the companies to withdraw before the next replan."""
    names = {c.company_id: c.name for c in problem.companies}
    rows = [
        {
            "company_id": a.company_id,
            "name": names.get(a.company_id, ""),
            "replied": a.replied.isoformat() if a.replied else "",
        }
        for a in answers
        if a.answer == DECLINED
    ]
    return pd.DataFrame(rows, columns=["company_id", "name", "replied"])
