"""The programme in the browser (docs/web.md "The programme"): several rounds planned at
once from a plan, as ``camp-planner programme`` plans them.

The form's rounds become a ``programme.toml`` (each round's keys override the plan's
``round.toml``), checked by the command's own reader
(:func:`camp_planner.io.programme_file.read_programme_rounds`) in a scratch folder, so the
browser refuses what the command refuses, with the same problems. The job (kind
``programme``) copies the plan's files and that ``programme.toml`` into its folder
(``input/``) and runs the programme library as the command does: the folder read,
:func:`~camp_planner.programme.solve.plan_programme`,
:func:`~camp_planner.programme.result.programme_result` and
:func:`~camp_planner.outputs.programme_files.write_programme` (``out/``: programme.json,
programme.xlsx, ``rounds/<round>/``). A Stop stops the search as a solve's does and keeps
the best programme found. Beside ``out/`` the job writes ``timeline.json``: the names of the
companies and venues, each round's folder and who completes the track, for the page.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

from camp_planner.i18n import Message
from camp_planner.io.errors import InputError, InputProblem
from camp_planner.models import RoundConfig
from camp_planner.web.form_days import DAYS_KEY, day_problems, typed_days
from camp_planner.web.i18n import N_
from camp_planner.web.store import DONE, FAILED, RUNNING, Job, Store

__all__ = [
    "MAX_ROUNDS",
    "TIMELINE_JSON",
    "check_programme",
    "default_rounds",
    "form_round_problems",
    "programme_document",
    "run_programme_job",
]

#: The most rounds one programme may plan (a year and a half of quarterly rounds).
MAX_ROUNDS = 8
#: The job kind's name on the pages (views.KIND_LABELS).
PROGRAMME_KIND = {"programme": N_("Programme")}
#: The progress lines of a programme job (:func:`_stage_line`) as the pages show them.
PROGRAMME_LINES = {
    "programme: starting solution": N_("Programme: a start from the rounds one by one"),
    "programme: steps planned": N_("Programme: planning the most next steps and tracks"),
    "programme: earlier rounds": N_("Programme: earlier rounds for who goes first"),
    "programme: travel": N_("Programme: shortening travel"),
}
#: The page's extra facts about a programme, beside the job's ``out/``.
TIMELINE_JSON = "timeline.json"
#: The job's copy of the plan's files with its programme.toml.
INPUT = "input"
#: The keys a round of the form shows (the API takes any key of round.toml).
FORM_KEYS = ("name", "start", "end", "facilitator_unavailable")
_FILE = "(programme)"


def default_rounds(
    config: RoundConfig, count: int, day: Callable[[date], str] = date.isoformat
) -> list[dict[str, Any]]:
    """`count` rounds: the plan's own, then each moved by its length (as the next round's
    settings are: :func:`camp_planner.web.next_round.shifted`); the facilitator's days
    written by `day` (ISO for the API, day-first for the form)."""
    from camp_planner.web.next_round import shifted

    rounds, current = [], config
    for k in range(count):
        if k:
            current = shifted(current)
        entry: dict[str, Any] = {
            "name": config.name if k == 0 else f"{config.name} ({k + 1})",
            "start": current.start.isoformat(),
            "end": current.end.isoformat(),
            "facilitator_unavailable": [day(d) for d in sorted(current.facilitator_unavailable)],
        }
        if current.reply_by is not None:
            entry["reply_by"] = current.reply_by.isoformat()
        rounds.append(entry)
    return rounds


def _toml_value(value: Any) -> str:
    from camp_planner.outputs.round_toml import toml_value

    if isinstance(value, date):
        return toml_value(value.isoformat())
    return toml_value(value)


def programme_toml(rounds: list[dict[str, Any]]) -> tuple[str, list[InputProblem]]:
    """The programme.toml of the rounds (dates as text, read as round.toml reads them), or
    the problems of keys that are not settings and values TOML cannot hold."""
    problems: list[InputProblem] = []
    lines: list[str] = []
    for k, entry in enumerate(rounds, start=1):
        lines.append("[[round]]")
        for key, value in entry.items():
            if key not in RoundConfig.model_fields:
                problems.append(
                    InputProblem(_FILE, k, str(key), None, N_("a setting of round.toml"))
                )
                continue
            try:
                lines.append(f"{key} = {_toml_value(value)}")
            except (TypeError, ValueError):
                problems.append(InputProblem(_FILE, k, key, str(value)[:80], N_("a value")))
        lines.append("")
    return "\n".join(lines), problems


def check_programme(
    store: Store, plan_id: str, rounds: Any, limit: Any
) -> tuple[str, float, list[InputProblem]]:
    """The programme.toml and time limit asked for, or every problem with them.

    Args:
        store: The data folder.
        plan_id: The plan (its latest files supply what a round leaves out).
        rounds: A list of rounds, each a dict of round.toml keys.
        limit: The time limit in seconds (text or a number; None for the default).

    Returns:
        (programme.toml text, seconds, problems); nothing is usable when there are problems.
    """
    from camp_planner.web.common import DEFAULT_TIME, time_limit

    problems: list[InputProblem] = []
    seconds = DEFAULT_TIME
    try:
        seconds = time_limit(limit, DEFAULT_TIME)
    except ValueError:
        value = None if limit is None else str(limit)[:40]
        problems.append(InputProblem(_FILE, None, "time_limit", value, N_("1 to 3600 seconds")))
    if (
        not isinstance(rounds, list)
        or not 1 <= len(rounds) <= MAX_ROUNDS
        or not all(isinstance(r, dict) for r in rounds)
    ):
        expected = Message(
            N_("a list of 1 to %(n)s rounds, each with its name, start and end"), n=MAX_ROUNDS
        )
        problems.append(InputProblem.of(_FILE, None, "rounds", None, expected))
        return "", seconds, problems
    text, found = programme_toml(rounds)  # without the keys that are no settings
    problems += found + _read_problems(store, plan_id, text)
    return text, seconds, problems


def _read_problems(store: Store, plan_id: str, text: str) -> list[InputProblem]:
    """What the command's reader finds wrong with programme.toml beside the plan's
    round.toml (in a scratch folder: the plan's folder is never written)."""
    from camp_planner.io.programme_file import PROGRAMME_TOML, read_programme_rounds
    from camp_planner.io.round_file import ROUND_TOML

    tmp = store.tmp_dir()
    try:
        base = store.plan_dir(plan_id) / ROUND_TOML
        if base.is_file():
            shutil.copyfile(base, tmp / ROUND_TOML)
        else:
            (tmp / ROUND_TOML).write_text("", "utf-8")
        (tmp / PROGRAMME_TOML).write_text(text, "utf-8")
        try:
            read_programme_rounds(tmp)
        except InputError as exc:
            return list(exc.problems)
        return []
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


#: The labels of a round's fields on the form (programme.html), by round.toml key.
FORM_LABELS = {
    "name": N_("Name"), "start": N_("First day"), "end": N_("Last day"),
    DAYS_KEY: N_("Days the facilitator cannot"),
}  # fmt: skip
_ROUND_FILE = re.compile(r"^programme\.toml round (\d+)$")


def form_round_problems(problems: list[InputProblem], gettext: Any) -> list[InputProblem]:
    """The reader's problems with the rounds of the page's form, as the form shows them:
    the round by its legend (``Runde 2``), the field by its label, the facilitator's days
    one problem per day as typed (:func:`camp_planner.web.form_days.day_problems`), never
    programme.toml's line or list syntax; other problems unchanged. The API keeps them."""
    shown: list[InputProblem] = []
    for p in problems:
        match = _ROUND_FILE.match(p.file)
        if match is None or p.column not in FORM_LABELS:
            shown.append(p)
            continue
        where = gettext("Round %(n)s") % {"n": int(match.group(1))}
        label = gettext(FORM_LABELS[p.column])
        found = day_problems(p) if p.column == DAYS_KEY else [p]
        shown += [replace(q, file=where, row=None, column=label) for q in found]
    return shown


def form_rounds(form: Any) -> tuple[str, list[dict[str, Any]] | None]:
    """The rounds of the page's form (``round-<k>-<key>``; the unavailable days
    ``;``-separated), and the count as sent (for the page to show again)."""
    count_text = str(form.get("rounds") or "")
    count = int(count_text) if count_text.isdigit() else 0
    rounds = []
    for k in range(1, min(count, MAX_ROUNDS) + 1):
        entry: dict[str, Any] = {}
        for key in (*FORM_KEYS, "reply_by"):
            value = form.get(f"round-{k}-{key}")
            if value is None:
                continue
            text = str(value).strip()
            if key == DAYS_KEY:
                entry[key] = typed_days(text)
            else:
                entry[key] = text
        rounds.append(entry)
    return count_text, rounds if 1 <= count <= MAX_ROUNDS else None


# -- the worker's part --------------------------------------------------------------------------


def run_programme_job(store: Store, job: Job, progress: Any, stopper: Any) -> None:
    """Plan the programme as ``camp-planner programme`` does (see the module docstring);
    a Stop keeps the best programme found (the job stays cancelled, ``kept``)."""
    from camp_planner.io.folder import load_folder_with_notes
    from camp_planner.io.programme_file import PROGRAMME_TOML, read_programme_rounds
    from camp_planner.models import SolverStatus
    from camp_planner.outputs.programme_files import write_programme
    from camp_planner.programme.plan import Programme
    from camp_planner.programme.result import programme_result
    from camp_planner.programme.solve import plan_programme

    folder = store.job_dir(job.job_id) / INPUT
    progress.now("reading the plan")
    shutil.rmtree(folder, ignore_errors=True)
    shutil.copytree(store.plan_dir(job.plan_id), folder)
    (folder / PROGRAMME_TOML).write_text(job.params["programme_toml"], "utf-8")
    problem, _ = load_folder_with_notes(folder)
    rounds = read_programme_rounds(folder)
    programme = Programme(
        problem=problem.model_copy(update={"round": rounds[0]}), rounds=tuple(rounds)
    )
    progress.now("building the model")
    solution = plan_programme(
        programme,
        time_limit=float(job.params["time_limit"]),
        seed=0,
        workers=int(job.params.get("workers", 2)),
        progress=lambda line: progress(_stage_line(line)),
    )
    progress.flush()
    stopped = stopper.stopped.is_set()
    if solution.status in (SolverStatus.INFEASIBLE, SolverStatus.TIME_LIMIT):
        if not stopped:
            text = solution.message or "No programme was found within the time limit."
            store.finish(job.job_id, FAILED, error=text, progress="no programme")
        return
    progress.now("writing the files")
    result = programme_result(solution)
    names = {c.company_id: c.name for c in problem.companies}
    out = store.job_dir(job.job_id) / "out"
    write_programme(result.document, result.rounds, names, out)
    _write_timeline(out.parent / TIMELINE_JSON, programme, result, names)
    summary = programme_summary(result.document) | {"stopped": stopped}
    line = f"done: {summary['solver_status']}"
    if not store.finish(job.job_id, DONE, summary=summary, progress=line, only_from=(RUNNING,)):
        store.keep_stopped(job.job_id, summary, line)


#: The programme library's progress lines (their start) as the lines the pages translate.
_STAGES = (
    ("starting solution", "programme: starting solution"),
    ("travel of round", "programme: starting solution"),
    ("steps planned", "programme: steps planned"),
    ("earlier rounds", "programme: earlier rounds"),
)


def _stage_line(line: str) -> str:
    """A progress line of the programme as the job page shows it (the travel stage's
    figures are the model's units, not km: only the stage is shown)."""
    for start, shown in _STAGES:
        if line.startswith(start):
            return shown
    return "programme: travel" if "travel" in line else "solving"


def _write_timeline(path: Path, programme: Any, result: Any, names: dict[str, str]) -> None:
    from camp_planner.outputs.atomic import atomic_write_text
    from camp_planner.outputs.programme_files import round_folder_name
    from camp_planner.programme.plan import steps_to_take

    taken = {
        entry["company_id"]: {s["step"] for s in entry["steps"]}
        for entry in result.document["companies"]
    }
    complete = [
        c.company_id
        for c in programme.problem.companies
        if (todo := steps_to_take(programme.problem, c))
        and {s.value for s in todo} <= taken.get(c.company_id, set())
    ]
    facts = {
        "names": names,
        "venues": {v.venue_id: v.name for v in programme.problem.venues},
        "folders": [round_folder_name(r.name) for r in programme.rounds],
        "dates": [[r.start.isoformat(), r.end.isoformat()] for r in programme.rounds],
        "complete": complete,
    }
    atomic_write_text(path, json.dumps(facts, ensure_ascii=False))


def programme_summary(document: dict[str, Any]) -> dict[str, Any]:
    """The job's summary of a programme: its status and figures per round."""
    solver, summary = document["solver"], document["summary"]
    return {
        "kind": "programme",
        "rounds": list(document["rounds"]),
        "solver_status": solver["status"],
        "proven": solver["status"] == "OPTIMAL",
        "wall_time_s": round(float(solver["wall_time_s"]), 2),
        "companies": summary["companies"],
        "next_step_planned": summary["next_step_planned"],
        "tracks_completed": summary["tracks_completed"],
        "travel_km_total": round(float(summary["travel_km_total"]), 1),
        "per_round": summary["per_round"],
        "stages": [{k: s[k] for k in ("stage", "status", "words")} for s in solver["stages"]],
    }


def programme_document(store: Store, job: Job) -> tuple[dict[str, Any], dict[str, Any]] | None:
    """A finished programme's programme.json and the page's facts (None when it has none)."""
    if job.kind != "programme" or not (job.status == DONE or job.kept):
        return None
    folder = store.job_dir(job.job_id)
    try:
        document = json.loads((folder / "out" / "programme.json").read_text("utf-8"))
        facts = json.loads((folder / TIMELINE_JSON).read_text("utf-8"))
    except (OSError, ValueError):
        return None
    return document, facts
