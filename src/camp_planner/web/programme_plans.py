"""A round of a programme as a plan of its own ("Make a plan of this round"; docs/web.md).

Round 1's plan is the programme's plan's files with round 1's settings as ``round.toml``.
A later round's folder is made by ``camp-planner next-round``'s own code
(:func:`camp_planner.cli.next_round.run_next_round`), round by round, on the programme's
roster of the round before (taken with ``--adopt``, as a programme's forecast must be):
completed steps carried over as if every earlier round went as planned, waiting time kept.

The round's roster from the programme becomes the new plan's roster: a finished job of kind
``solve`` of its first version, whose files are written by the roster writer from the
programme's ``roster.json`` recorded as adopted (kind ``roster``, ``adopted_from``
``programme``, as ``--adopt`` records it), so that it can be published with the plan's
Publish button and replanned afterwards like any roster. Its job's summary says
``FEASIBLE`` (not proven) with the programme's own status in ``programme_status``: the
programme was proven for the whole horizon, not this round alone.
"""

from __future__ import annotations

import io
import json
import shutil
import time
import tomllib
from datetime import date
from pathlib import Path
from typing import Any

from camp_planner.io.errors import InputProblem
from camp_planner.web.common import Problems, Web
from camp_planner.web.store import DONE, Job, new_id

__all__ = ["round_plan"]

SOURCE = "programme"


def _round_toml(config: Any, keys: set[str], written: dict[str, Any]) -> str:
    from camp_planner.models import RoundConfig
    from camp_planner.outputs.round_toml import round_toml_text

    extra = {k: v for k, v in written.items() if k not in RoundConfig.model_fields}
    return round_toml_text(config, keys, extra)


def _round_folders(web: Web, job: Job, index: int, tmp: Path) -> Path:
    """The planning folder of round `index` (see the module docstring)."""
    from rich.console import Console

    from camp_planner.cli._common import ExitCode
    from camp_planner.cli.next_round import run_next_round
    from camp_planner.io.programme_file import PROGRAMME_TOML, read_programme_rounds
    from camp_planner.io.round_file import ROUND_TOML
    from camp_planner.web.programme import INPUT
    from camp_planner.web.settings import read_written
    from camp_planner.web.uploads import ALLOWED

    source = web.store.job_dir(job.job_id) / INPUT
    rounds = read_programme_rounds(source)
    written = read_written(source)
    entries = tomllib.loads((source / PROGRAMME_TOML).read_text("utf-8"))["round"]
    facts = json.loads((web.store.job_dir(job.job_id) / "timeline.json").read_text("utf-8"))
    current = tmp / "round-1"
    current.mkdir()
    for path in source.iterdir():
        if path.name in ALLOWED and path.name != ROUND_TOML:
            shutil.copyfile(path, current / path.name)
    keys = [set(written) | set(entry) | {"name", "start", "end"} for entry in entries]
    (current / ROUND_TOML).write_text(_round_toml(rounds[0], keys[0], written), "utf-8")
    for k in range(1, index + 1):
        roster = tmp / f"roster-{k}.json"
        shutil.copyfile(_roster_path(web, job, facts, k - 1), roster)
        new_toml = tmp / f"round-{k + 1}.toml"
        new_toml.write_text(_round_toml(rounds[k], keys[k], written), "utf-8")
        said, errors = io.StringIO(), io.StringIO()
        target = tmp / f"round-{k + 1}"
        code = run_next_round(
            current, roster, new_toml, target, None,
            Console(file=said, width=200), Console(file=errors, width=200), adopt=True,
        )  # fmt: skip
        if code != ExitCode.OK:
            text = " ".join(errors.getvalue().split()).replace(str(web.store.root), "…")
            raise Problems([InputProblem("next-round", None, None, None, text)])
        current = target
    return current


def _roster_path(web: Web, job: Job, facts: dict[str, Any], index: int) -> Path:
    folder = facts["folders"][index]
    return web.store.job_dir(job.job_id) / "out" / "rounds" / folder / "roster.json"


def round_plan(web: Web, job: Job, index: int) -> str:
    """A new plan of round `index` (0-based) of a finished programme, with the
    programme's roster of that round as its roster; returns the plan's id.

    Raises:
        Problems: Why not (the next-round command's sentence).
    """
    from camp_planner.web.uploads import ALLOWED, Assigned

    tmp = web.store.tmp_dir()
    try:
        folder = _round_folders(web, job, index, tmp)
        files = {p.name: p.read_bytes() for p in folder.iterdir() if p.name in ALLOWED}
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    plan_id = web.plans.create(Assigned(files, [], []), SOURCE)
    _attach_roster(web, job, index, plan_id)
    return plan_id


def _attach_roster(web: Web, job: Job, index: int, plan_id: str) -> None:
    """The programme's roster of the round as the new plan's solved roster."""
    from camp_planner.io.roster_file import read_roster
    from camp_planner.outputs.roster_files import INVITATIONS, write_outputs
    from camp_planner.replan.published import adopted
    from camp_planner.web.worker import INVITATIONS_ZIP, _zip_invitations, roster_summary

    facts = json.loads((web.store.job_dir(job.job_id) / "timeline.json").read_text("utf-8"))
    roster = adopted(read_roster(_roster_path(web, job, facts, index)), date.today())
    problem, _ = web.plans.get(plan_id)
    job_id = new_id()
    out = web.store.job_dir(job_id) / "out"
    written = write_outputs(problem, roster, out)
    _zip_invitations(written.get("invitations", out / INVITATIONS), out.parent / INVITATIONS_ZIP)
    summary = roster_summary(problem, roster)
    # The programme's status is the whole horizon's: for this round alone the roster is
    # not proven the best (solved alone, the round might place more or travel less).
    status = summary["solver_status"]
    summary |= {
        "solver_status": "FEASIBLE" if status == "OPTIMAL" else status,
        "proven": False,
        "gap": None,
        "programme_status": status,
        "stopped": False,
        "from_programme": job.job_id,
        "programme_round": index + 1,
    }
    now = time.time()
    params = {"time_limit": job.params.get("time_limit", 60), "from_programme": job.job_id}
    with web.store._connect() as db:  # noqa: SLF001 - the store's own database
        db.execute(
            "INSERT INTO jobs (job_id, plan_id, kind, status, params, created, started, "
            "finished, progress, summary) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                job_id, plan_id, "solve", DONE, json.dumps(params), now, now, now,
                f"done: {summary['solver_status']}", json.dumps(summary),
            ),
        )  # fmt: skip
