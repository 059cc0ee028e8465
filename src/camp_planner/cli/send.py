"""`camp-planner send` and `camp-planner answers`: invitations by e-mail, and the answers.

``send FOLDER --roster ROSTER [--template FILE] [--smtp] [--again] [--company ID ...]
[--eml/--out DIR] [--only-changed/--changes CHANGES_CSV] [--published ROSTER]``: one message
per placed company with an e-mail address (after a replan only the companies its changes.csv
names; with ``--company`` only those), through SMTP when ``CAMP_PLANNER_SMTP_HOST`` is set
(or ``--smtp``), else as .eml files; every attempt in ``sent-log.csv`` beside ROSTER. A
message of unknown outcome (an earlier send ended while the server was taking it) is
printed and not sent again without ``--again``. ``answers FOLDER --roster ROSTER [--answers
FILE] [--today DATE] [--out DIR]``: writes answers.csv to fill in, or reads it and prints
the counts, who has not answered, and writes declined.csv (docs/invitations.md).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from camp_planner.cli._common import (
    ExitCode,
    fail,
    load_planning_folder,
    print_notes,
    print_problems,
)

if TYPE_CHECKING:
    from camp_planner.mail import Outgoing, SmtpSettings
    from camp_planner.mail.answers import Answer
    from camp_planner.models import PlanningProblem, Roster

__all__ = ["register", "run_answers", "run_send"]

_NO_PUBLISHED = (
    "note: no published roster (--published): old events cannot be cancelled in the "
    "companies' calendars; the messages still say what changed."
)


def run_send(
    folder: Path,
    roster_path: Path,
    out: Console,
    err: Console,
    *,
    template: Path | None = None,
    use_smtp: bool = False,
    again: bool = False,
    eml_dir: Path | None = None,
    changes: Path | None = None,
    published: Path | None = None,
    env: Mapping[str, str] | None = None,
    companies: list[str] | None = None,
) -> ExitCode:
    """Compose and deliver the messages (of `companies`, if given); OK when all went, 1 when
    some failed or are of unknown outcome or all were sent before, 2 for bad input."""
    from camp_planner.io.errors import InputError
    from camp_planner.mail import SENT_LOG, TemplateProblem, deliver
    from camp_planner.mail.batch import batch_for, read_roster_file

    loaded = load_planning_folder(folder, err)
    if loaded is None:
        return ExitCode.BAD_INPUT
    problem, notes = loaded
    print_notes(notes, out)
    try:
        current = read_roster_file(roster_path)
        before = None
        if changes is not None:
            published = published or _default_published(folder, roster_path)
            before = read_roster_file(published) if published else None
    except ValueError as exc:
        return fail(err, str(exc))
    if current.version.roster.round != problem.round.name:
        return fail(
            err,
            f"{roster_path} is the roster of round {current.version.roster.round!r}, but "
            f"{folder} plans {problem.round.name!r}: give the roster of this folder.",
        )
    transport = _transport(problem, use_smtp, eml_dir, env)
    if isinstance(transport, str):
        return fail(err, transport)
    smtp, sender = transport
    try:
        batch = batch_for(
            problem,
            current.version,
            template=template,
            changes=changes,
            published=before.version if before else None,
            sender=sender,
        )
    except InputError as exc:
        print_problems(str(changes), exc.problems, err)
        return ExitCode.BAD_INPUT
    except TemplateProblem as exc:
        return fail(err, f"Template: {exc}. Nothing was sent.")
    if changes is not None and before is None:
        out.print(Text(_NO_PUBLISHED, style="yellow"))
    if companies and (missing := _keep_only(batch.outgoing, set(companies))):
        return fail(err, f"--company: no message for {', '.join(missing)}. Nothing was sent.")
    target = eml_dir or roster_path.parent / "outbox"
    try:
        done = deliver(
            batch.outgoing,
            log=roster_path.parent / SENT_LOG,
            roster_name=roster_path.name,
            roster_print=current.print_,
            smtp=smtp,
            eml_dir=None if smtp else target,
            again=again,
        )
    except OSError as exc:
        return fail(err, f"Cannot write to {exc.filename or target}: {exc.strerror or exc}")
    return _report(done, batch.no_address, smtp is not None, target, out, err)


def _keep_only(outgoing: list[Outgoing], companies: set[str]) -> list[str]:
    """Keep only the messages of `companies` in `outgoing`; the companies without one."""
    missing = sorted(companies - {item.letter.company_id for item in outgoing})
    outgoing[:] = [item for item in outgoing if item.letter.company_id in companies]
    return missing


def _transport(
    problem: PlanningProblem, use_smtp: bool, eml_dir: Path | None, env: Mapping[str, str] | None
) -> tuple[SmtpSettings | None, str | None] | str:
    """(the SMTP settings or None for .eml files, the sender), or why nothing can be sent."""
    from camp_planner.mail import smtp_settings

    settings, smtp_problems = smtp_settings(os.environ if env is None else env)
    if smtp_problems:
        return "SMTP settings: " + "; ".join(smtp_problems) + ". Nothing was sent."
    if use_smtp and settings is None and eml_dir is None:
        return "--smtp needs CAMP_PLANNER_SMTP_HOST (docs/invitations.md). Nothing was sent."
    smtp = settings if eml_dir is None else None
    sender = (settings.sender if settings else None) or problem.round.coordinator_email
    if smtp is not None and not sender:
        return (
            "No sender: set CAMP_PLANNER_SMTP_FROM or coordinator_email in round.toml. "
            "Nothing was sent."
        )
    return smtp, sender


def _default_published(folder: Path, roster_path: Path) -> Path | None:
    """The roster `roster`'s default location (FOLDER/out/roster.json), unless that is the
    roster being sent."""
    candidate = folder / "out" / "roster.json"
    if candidate.is_file() and candidate.resolve() != roster_path.resolve():
        return candidate
    return None


def _report(
    done: object, no_address: list[str], smtp: bool, target: Path, out: Console, err: Console
) -> ExitCode:
    from camp_planner.mail.outbox import Delivery

    assert isinstance(done, Delivery)
    table = Table(title="Messages")
    for column in ("company", "to", "kind", "status", "answer"):
        table.add_column(column)
    for row in done.attempts:
        style = "red" if row.status == "failed" else ""
        answer = row.answer if row.status != "written" else Path(row.answer).name
        table.add_row(row.company_id, row.to, row.kind, Text(row.status, style=style), answer)
    if done.attempts:
        out.print(table)
    sent = sum(r.status == "sent" for r in done.attempts)
    written = sum(r.status == "written" for r in done.attempts)
    if smtp:
        out.print(Text(f"{sent} sent, {len(done.failed)} failed (log: {done.log})", style="bold"))
    else:
        out.print(Text(f"{written} .eml files written to {target} (log: {done.log})", style="bold"))
    if no_address:
        out.print(
            Text(
                f"note: {len(no_address)} compan{'y' if len(no_address) == 1 else 'ies'} without "
                f"an e-mail address got no message: {', '.join(no_address)}",
                style="yellow",
            )
        )
    if done.skipped:
        first = done.skipped[0]
        out.print(
            Text(
                f"note: {len(done.skipped)} message(s) of this roster were sent before "
                f"(e.g. {first.company_id} on {first.time}); not sent again (--again to send).",
                style="yellow",
            )
        )
    for row in done.unknown:
        out.print(
            Text(
                f"unknown: may have been delivered: {row.company_id} ({row.to}), handed to the "
                f"server on {row.time} when that send ended without its answer; not sent again "
                f"(--again --company {row.company_id} to send it).",
                style="yellow",
            )
        )
    if done.failed:
        return fail(
            err,
            f"{len(done.failed)} message(s) failed; run the same command again to retry them "
            "(those sent are not sent twice).",
            ExitCode.NO_ROSTER,
        )
    if done.unknown:
        return fail(
            err,
            f"{len(done.unknown)} message(s) of unknown outcome not sent again: ask the "
            "companies whether they got it, then send deliberately with --again --company ID.",
            ExitCode.NO_ROSTER,
        )
    if done.skipped and not done.attempts:
        return fail(err, "Nothing sent: every message was sent before.", ExitCode.NO_ROSTER)
    return ExitCode.OK


def run_answers(
    folder: Path,
    roster_path: Path,
    out: Console,
    err: Console,
    *,
    answers: Path | None = None,
    today: date | None = None,
    out_dir: Path | None = None,
) -> ExitCode:
    """Write answers.csv to fill in (when it does not exist), or summarise it and write
    declined.csv."""
    from camp_planner.io.errors import Collector
    from camp_planner.mail.answers import answers_frame, read_answers
    from camp_planner.mail.batch import read_roster_file
    from camp_planner.outputs.atomic import atomic_write_text
    from camp_planner.outputs.excel_safe import csv_text

    loaded = load_planning_folder(folder, err)
    if loaded is None:
        return ExitCode.BAD_INPUT
    problem, _notes = loaded
    try:
        roster = read_roster_file(roster_path).version.roster
    except ValueError as exc:
        return fail(err, str(exc))
    target = out_dir or roster_path.parent
    path = answers or target / "answers.csv"
    if not path.is_file():
        if answers is not None:
            return fail(err, f"No answers file at {path}.")
        atomic_write_text(path, csv_text(answers_frame(problem, roster)), encoding="utf-8-sig")
        out.print(
            Text(
                f"Wrote {path}: fill in answer (confirmed / declined / empty) and replied "
                "(the day), then run this again.",
                style="bold",
            )
        )
        return ExitCode.OK
    collector = Collector()
    read = read_answers(path, collector)
    if read is None:
        print_problems(str(path), collector.problems, err)
        return ExitCode.BAD_INPUT
    print_notes([str(note) for note in collector.notes], out)
    _print_answers(read, roster, problem, today or date.today(), target, out)
    return ExitCode.OK


def _print_answers(
    read: list[Answer],
    roster: Roster,
    problem: PlanningProblem,
    today: date,
    target: Path,
    out: Console,
) -> None:
    """The counts, who has not answered (by the reply date), and declined.csv."""
    from camp_planner.mail.answers import declined_frame, summarise
    from camp_planner.outputs.atomic import atomic_write_text
    from camp_planner.outputs.excel_safe import csv_text

    placed = {m for c in roster.cohorts for m in c.members}
    unknown = [a.company_id for a in read if a.company_id not in placed]
    if unknown:
        out.print(Text(f"note: not placed in the roster: {', '.join(unknown)}", style="yellow"))
    missing = sorted(placed - {a.company_id for a in read})
    summary = summarise(read, problem.round.reply_by, today)
    names = {c.company_id: c.name for c in problem.companies}
    out.print(
        Text(
            f"{len(summary.confirmed)} confirmed, {len(summary.declined)} declined, "
            f"{len(summary.unanswered) + len(missing)} no answer",
            style="bold",
        )
    )
    waiting = summary.unanswered + missing
    if waiting:
        reply_by = problem.round.reply_by
        head = (
            f"No answer by the reply date {reply_by}:"
            if summary.overdue
            else "No answer yet" + (f" (reply date {reply_by}):" if reply_by else ":")
        )
        out.print(Text(head, style="yellow" if summary.overdue else ""))
        for company_id in waiting:
            out.print(Text(f"  {company_id}  {names.get(company_id, '')}"))
    if summary.declined:
        declined = target / "declined.csv"
        frame = declined_frame(read, problem)
        atomic_write_text(declined, csv_text(frame), encoding="utf-8-sig")
        out.print(
            Text(
                f"Wrote {declined}: remove these companies from companies.csv before the next "
                "`camp-planner replan` (a decline is a withdrawal).",
                style="bold",
            )
        )


def register(app: typer.Typer) -> None:
    """Add `send` and `answers` to the command line."""
    _register_send(app)
    _register_answers(app)


def _register_send(app: typer.Typer) -> None:
    @app.command()
    def send(
        folder: Annotated[Path, typer.Argument(help="Planning folder (companies with email)")],
        roster: Annotated[Path, typer.Option("--roster", help="The roster.json to send")],
        template: Annotated[
            Path | None, typer.Option("--template", help="Jinja2 template (default: built in)")
        ] = None,
        smtp: Annotated[
            bool, typer.Option("--smtp", help="Send through SMTP (CAMP_PLANNER_SMTP_HOST, ...)")
        ] = False,
        again: Annotated[
            bool,
            typer.Option(
                "--again", help="Send also what was sent before, or of unknown outcome, again"
            ),
        ] = False,
        company: Annotated[
            list[str] | None,
            typer.Option("--company", help="Only this company's message (repeat for more)"),
        ] = None,
        eml: Annotated[
            Path | None,
            typer.Option(
                "--eml", "--out", help="Write .eml files here instead (default ROSTER_DIR/outbox)"
            ),
        ] = None,
        changes: Annotated[
            Path | None,
            typer.Option(
                "--only-changed", "--changes", help="A replan's changes.csv: only those affected"
            ),
        ] = None,
        published: Annotated[
            Path | None,
            typer.Option(
                "--published", help="With --changes: the roster published before the replan"
            ),
        ] = None,
    ) -> None:
        """E-mail each placed company its invitation (.eml files unless SMTP is configured)."""
        from camp_planner.cli import _consoles

        code = run_send(
            folder,
            roster,
            *_consoles(),
            template=template,
            use_smtp=smtp,
            again=again,
            eml_dir=eml,
            changes=changes,
            published=published,
            companies=company,
        )
        raise typer.Exit(code)


def _register_answers(app: typer.Typer) -> None:
    @app.command()
    def answers(
        folder: Annotated[Path, typer.Argument(help="Planning folder")],
        roster: Annotated[Path, typer.Option("--roster", help="The roster.json sent")],
        answers_csv: Annotated[
            Path | None,
            typer.Option("--answers", help="answers.csv (default ROSTER_DIR/answers.csv)"),
        ] = None,
        today: Annotated[
            str | None, typer.Option("--today", help="The day to compare the reply date with")
        ] = None,
        out: Annotated[
            Path | None, typer.Option("--out", help="Where answers.csv/declined.csv go")
        ] = None,
    ) -> None:
        """Record answers: write answers.csv to fill in, or count it and list declines."""
        from camp_planner.cli import _consoles

        console, err = _consoles()
        day = None
        if today is not None:
            try:
                day = date.fromisoformat(today)
            except ValueError:
                raise typer.Exit(
                    fail(err, f"--today: expected a date like 2027-01-04, got {today!r}")
                ) from None
        raise typer.Exit(
            run_answers(folder, roster, console, err, answers=answers_csv, today=day, out_dir=out)
        )
