"""After the round, in the browser: who came (attendance; default everybody placed), then
the next round's plan, made by ``camp-planner next-round``'s own code
(:func:`camp_planner.cli.next_round.run_next_round`: completed steps carried over, waiting
time kept) from the plan's published roster (or its latest roster) and the next round's
settings (the settings form, prefilled with the dates moved by the round's length).
"""

from __future__ import annotations

import io
import json
import shutil
from datetime import timedelta
from pathlib import Path

from camp_planner.i18n import N_, Message
from camp_planner.io.errors import InputProblem
from camp_planner.models import RoundConfig
from camp_planner.web.common import Problems, Web
from camp_planner.web.publish import published_roster
from camp_planner.web.uploads import ALLOWED, Assigned

__all__ = ["absent_of", "next_round_plan", "round_roster", "shifted", "save_absent"]

ATTENDANCE = "attendance.json"


def round_roster(web: Web, plan_id: str) -> Path | None:
    """The roster the round was held by: the published one, else the latest."""
    published = published_roster(web.store, plan_id)
    if published is not None:
        return published
    job = web.latest_roster_job(plan_id)
    path = web.store.job_dir(job.job_id) / "out" / "roster.json" if job else None
    return path if path is not None and path.is_file() else None


def _attendance_file(web: Web, plan_id: str) -> Path:
    web.store.plan_dir(plan_id)  # checks the id
    return web.store.root / "versions" / plan_id / ATTENDANCE


def absent_of(web: Web, plan_id: str) -> set[str]:
    """The placed companies recorded as absent (none until attendance is recorded)."""
    try:
        return set(json.loads(_attendance_file(web, plan_id).read_text("utf-8")))
    except (OSError, ValueError):
        return set()


def save_absent(web: Web, plan_id: str, absent: set[str]) -> None:
    """Record who did not come."""
    path = _attendance_file(web, plan_id)
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    path.write_text(json.dumps(sorted(absent)), "utf-8")


def shifted(config: RoundConfig) -> RoundConfig:
    """The settings with every date moved by the round's length (end - start + 1 days)."""
    step = timedelta(days=(config.end - config.start).days + 1)
    return config.model_copy(
        update={
            "start": config.start + step,
            "end": config.end + step,
            "facilitator_unavailable": frozenset(d + step for d in config.facilitator_unavailable),
            "reply_by": config.reply_by + step if config.reply_by else None,
        }
    )


def _refusal(web: Web, plan_id: str, roster_path: Path) -> Message | None:
    """Why the command refused, in the page's words (next_round_words), when it is one of
    the refusals the route does not check first."""
    from camp_planner.io.roster_file import RosterFileError, read_roster
    from camp_planner.web.next_round_words import refusal

    try:
        roster = read_roster(roster_path)
    except RosterFileError:
        return None
    problem, _ = web.plans.get(plan_id)
    return refusal(problem, roster, roster_path)


def next_round_plan(web: Web, plan_id: str, round_toml: str, absent: set[str]) -> str:
    """The next round's plan (its id), made by the command's code.

    Raises:
        Problems: Why not (the command's sentence, e.g. a new round that starts before this
            one ends), or an absent company that was not placed.
    """
    from rich.console import Console

    from camp_planner.cli._common import ExitCode
    from camp_planner.cli.next_round import run_next_round

    roster = round_roster(web, plan_id)
    if roster is None:
        raise Problems([InputProblem("(plan)", None, "roster", None, N_("a roster (solve first)"))])
    tmp = web.store.tmp_dir()
    try:
        (tmp / "round.toml").write_text(round_toml, "utf-8")
        (tmp / "absent.csv").write_text("company_id\n" + "".join(f"{a}\n" for a in sorted(absent)))
        said, errors = io.StringIO(), io.StringIO()
        code = run_next_round(
            web.store.plan_dir(plan_id), roster, tmp / "round.toml", tmp / "next",
            tmp / "absent.csv", Console(file=said, width=200), Console(file=errors, width=200),
        )  # fmt: skip
        if code != ExitCode.OK:  # the command's sentence (the API's), and the page's words
            text = " ".join(errors.getvalue().split()).replace(str(web.store.root), "…")
            words = _refusal(web, plan_id, roster)
            raise Problems([InputProblem("next-round", None, None, None, text, words)])
        files = {p.name: p.read_bytes() for p in (tmp / "next").iterdir() if p.name in ALLOWED}
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return web.plans.create(Assigned(files, [], []), "next-round")
