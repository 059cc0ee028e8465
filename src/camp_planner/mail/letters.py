"""What a company is told: the template's values for one company, rendered to subject and body.

A *letter* is one company's message before it is a MIME message: which kind
(``invitation``, ``waitlist``: newly placed from the waitlist, ``update``: its cohort, venue or
dates changed in a replan, ``cancel``: it has no place any more), and for an update or a
cancellation the changes old -> new from the replan's changes.csv. The text comes from a Jinja2
template the coordinator can edit (``camp_planner/mail/templates/invitation.<lang>.txt``; the
first line is the subject, the rest the body).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Literal

import jinja2
import jinja2.sandbox

from camp_planner.i18n import age_label, format_day, format_number, step_label, weekday
from camp_planner.io.tables import AmbiguousDateError, parse_date
from camp_planner.models import Cohort, PlanningProblem, Roster, Venue

__all__ = [
    "Letter",
    "LetterKind",
    "TemplateProblem",
    "default_template_text",
    "letter_values",
    "load_template",
    "render",
    "template_from_text",
]

LetterKind = Literal["invitation", "waitlist", "update", "cancel"]
TEMPLATES = Path(__file__).resolve().parent / "templates"


@dataclass(frozen=True)
class Letter:
    """One company's message, before it is rendered.

    Attributes:
        company_id: Who it is for.
        kind: invitation, waitlist, update or cancel.
        change: The company's row of a replan's changes.csv (column -> text); empty otherwise.
    """

    company_id: str
    kind: LetterKind = "invitation"
    change: Mapping[str, str] = field(default_factory=dict)


class TemplateProblem(ValueError):
    """A template that cannot be read or rendered: the file, the line, what is wrong."""


def default_template_text(lang: str) -> str:
    """The built-in template's text in `lang` (English when there is none for `lang`)."""
    path = TEMPLATES / f"invitation.{lang}.txt"
    if not path.is_file():
        path = TEMPLATES / "invitation.en.txt"
    return path.read_text(encoding="utf-8-sig")


def load_template(path: Path | None, lang: str) -> jinja2.Template:
    """The coordinator's template at `path`, or the default in the round's language.

    Raises:
        TemplateProblem: the file is missing or is not a valid Jinja2 template.
    """
    source_path = path or TEMPLATES / f"invitation.{lang}.txt"
    try:
        source = source_path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise TemplateProblem(f"{source_path}: cannot read the template ({exc})") from None
    return template_from_text(source, str(source_path))


class _Sandbox(jinja2.sandbox.SandboxedEnvironment):
    """Jinja2's sandbox (no attribute of Python's internals: a template edited in the browser
    runs no code), with `*` and `**` kept small (no gigabyte string from one expression)."""

    intercepted_binops = frozenset({"*", "**"})

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        sizes = [v for v in (left, right) if isinstance(v, int | float)]
        if operator == "**" and any(abs(v) > 64 for v in sizes[1:] or sizes):
            raise jinja2.sandbox.SecurityError("a power too large for a letter")
        if operator == "*" and any(abs(v) > 10_000 for v in sizes):
            raise jinja2.sandbox.SecurityError("a product too large for a letter")
        return super().call_binop(context, operator, left, right)


def template_from_text(source: str, name: str = "template") -> jinja2.Template:
    """A template from its text (e.g. edited in the web app); `name` names it in problems.

    Raises:
        TemplateProblem: the text is not a valid Jinja2 template (with the line).
    """
    env = _Sandbox(
        undefined=jinja2.StrictUndefined,
        autoescape=False,  # plain text, never HTML
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    try:
        template = env.from_string(source)
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateProblem(f"{name}, line {exc.lineno}: {exc.message}") from None
    template.filename = name
    return template


def render(template: jinja2.Template, values: Mapping[str, Any]) -> tuple[str, str]:
    """(subject, body): the first line of the rendered text, and the text after it.

    Raises:
        TemplateProblem: the template uses a value that does not exist, or renders no subject.
    """
    try:
        text = template.render(**values)
    except (jinja2.TemplateError, ArithmeticError, LookupError, TypeError, ValueError) as exc:
        where = getattr(template, "filename", "template")
        raise TemplateProblem(f"{where}: {exc}") from None
    subject, _, body = text.lstrip("\n").partition("\n")
    if not subject.strip():
        raise TemplateProblem(f"{getattr(template, 'filename', 'template')}: no subject line")
    return subject.strip(), body.lstrip("\n")


def letter_values(problem: PlanningProblem, roster: Roster, letter: Letter) -> dict[str, Any]:
    """The values a template can use for one letter (docs/invitations.md lists them)."""
    lang = problem.round.language
    company = next(c for c in problem.companies if c.company_id == letter.company_id)
    cohort = roster.cohort_of(company.company_id) if letter.kind != "cancel" else None
    config = problem.round
    km = roster.travel_km.get(company.company_id)
    return {
        "kind": letter.kind,
        "language": lang,
        "round": roster.round,
        "company": {
            "id": company.company_id,
            "name": company.name,
            "contact_name": company.contact_name or "",
        },
        "greeting_name": company.contact_name or company.name,
        "cohort": _cohort_values(problem, cohort) if cohort else None,
        "travel_km": format_number(km, lang) if km is not None and cohort else "",
        "reply_by": format_day(config.reply_by, lang) if config.reply_by else "",
        "coordinator": {
            "name": config.coordinator_name or "",
            "email": config.coordinator_email or "",
        },
        "changes": _changes(problem, letter.change, lang),
    }


def _cohort_values(problem: PlanningProblem, cohort: Cohort) -> dict[str, Any]:
    lang = problem.round.language
    venue: Venue | None = next((v for v in problem.venues if v.venue_id == cohort.venue_id), None)
    config = problem.round
    hours = f"{config.session_start}–{config.session_end}" if config.session_start else ""
    sessions = [
        {
            "step": step_label(s.step, lang),
            "days": [_day(d, lang) for d in sorted(s.dates)],
            "hours": hours,
        }
        for s in sorted(cohort.sessions, key=lambda s: min(s.dates, default=date.max))
    ]
    return {
        "id": cohort.cohort_id,
        "module": step_label(cohort.module, lang),
        "step": cohort.module.value,
        "level": str(cohort.level),
        "age_group": age_label(cohort.age_group, lang),
        "online": cohort.online,
        "residential": bool(venue and venue.residential),
        "sessions": sessions,
        "venue": {
            "name": venue.name if venue else "",
            "address": (venue.address or "") if venue else "",
            "town": (venue.town or "") if venue else "",
        },
    }


def _day(day: date, lang: str) -> str:
    return f"{weekday(day, lang)} {format_day(day, lang)}"


def _changes(problem: PlanningProblem, row: Mapping[str, str], lang: str) -> list[dict[str, str]]:
    """[{what, old, new}] for the cohort, venue and dates that differ in a changes.csv row."""
    if not row:
        return []
    names = {v.venue_id: v.name for v in problem.venues}

    def dates(text: str) -> str:
        shown = []
        for part in (d.strip() for d in text.split(";")):
            try:
                day = parse_date(part) if part else None
            except AmbiguousDateError:
                day = None
            shown.append(_day(day, lang) if day else part)
        return ", ".join(s for s in shown if s)

    def venue(venue_id: str) -> str:
        return names.get(venue_id, venue_id)

    out = []
    shows: tuple[tuple[str, str, Callable[[str], str]], ...] = (
        ("cohort", "cohort_id", str),
        ("venue", "venue_id", venue),
        ("dates", "dates", dates),
    )
    for what, key, show in shows:
        old, new = row.get(f"old_{key}") or "", row.get(f"new_{key}") or ""
        if old != new:
            out.append(
                {"what": what, "old": show(old) if old else "", "new": show(new) if new else ""}
            )
    return out
