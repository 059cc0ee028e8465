"""Remedies for groups too small for a cohort, in the browser (docs/web.md "The year in the
browser"): ``camp-planner remedies``' own code (:func:`camp_planner.remedies.run_remedies`)
as a job (kind ``remedies``) on the plan's latest version, its table, and *Apply*: a
remedy's settings written into a new version of the plan (the settings form's own check,
:func:`camp_planner.web.settings.check_settings`), to be solved by the coordinator.
"""

from __future__ import annotations

from enum import Enum
from typing import Any

from camp_planner.i18n import N_, Message
from camp_planner.io.errors import InputProblem
from camp_planner.io.round_file import ROUND_TOML
from camp_planner.models import PlanningProblem
from camp_planner.web.common import Problems, Web
from camp_planner.web.remedy_names import remedy_label
from camp_planner.web.settings import FIELDS, check_settings, read_written
from camp_planner.web.store import DONE, Job, Store

__all__ = [
    "apply_remedy",
    "remedy_settings",
    "run_remedies_job",
    "solve_count",
]

#: Seconds per solve when the request does not say (the command's default is 30).
DEFAULT_PER_SOLVE = 20.0


def _plain(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, tuple | list | frozenset | set):
        return [_plain(v) for v in value]
    return value


def remedy_settings(remedy: Any) -> dict[str, Any]:
    """The round.toml keys and values a remedy sets (JSON: lists, levels as text)."""
    changes = {**remedy.round_changes, **remedy.scenario_changes}
    return {key: _plain(value) for key, value in changes.items()}


def solve_count(problem: PlanningProblem) -> int:
    """How many solves the remedies of `problem` take (the round as it is, each remedy,
    all of them together when there are two or more)."""
    from camp_planner.remedies import remedies_for

    remedies, _ = remedies_for(problem)
    return 1 + len(remedies) + (1 if len(remedies) > 1 else 0)


def run_remedies_job(store: Store, job: Job, progress: Any) -> None:
    """The worker's part of a remedies job: the command's run on the plan's latest files,
    remedies.csv written into the job's ``out/``; the summary holds the table's rows, each
    with the settings its *Apply* writes, and the remedies not tried (why)."""
    from camp_planner.io.folder import load_folder_with_notes
    from camp_planner.outputs.remedies_files import REMEDIES_CSV, write_remedies_csv
    from camp_planner.remedies import all_together, remedies_for, run_remedies

    progress.now("reading the plan")
    problem, _ = load_folder_with_notes(store.plan_dir(job.plan_id))

    def start(index: int, count: int, name: str) -> None:
        progress.prefix = f"scenario {index + 1}/{count} ({name}): "  # as a what-if's
        progress.now("solving")

    run = run_remedies(
        problem,
        float(job.params.get("per_solve", DEFAULT_PER_SOLVE)),
        0,
        int(job.params.get("workers", 2)),
        progress=progress,
        on_start=start,
    )
    progress.prefix = ""
    table = run.table()
    out = store.job_dir(job.job_id) / "out"
    write_remedies_csv(table, out / REMEDIES_CSV, problem.round.language)
    remedies, _ = remedies_for(problem)
    if len(remedies) > 1:
        remedies.append(all_together(remedies))
    settings = {r.name: remedy_settings(r) for r in remedies}
    rows = []
    for record in table.to_dict(orient="records"):
        row = {k: (None if v != v else v) for k, v in record.items()}  # NaN -> None
        row["apply"] = settings.get(str(row["remedy"]))
        rows.append(row)
    summary = {
        "kind": "remedies",
        "round": problem.round.name,
        "version": job.params.get("version"),
        "rows": rows,
        "skipped": run.skipped,
    }
    store.finish(job.job_id, DONE, summary=summary, progress=f"done: {len(rows)} scenarios")


def applicable(job: Job | None, plan_id: str) -> bool:
    """A finished remedies job of this plan."""
    return (
        job is not None
        and job.plan_id == plan_id
        and job.kind == "remedies"
        and (job.status == DONE)
    )


def apply_remedy(web: Web, plan_id: str, job: Job, remedy: Any, gettext: Any = None) -> int:
    """A new version of the plan with the remedy's settings (the plan's other settings
    kept as written). A problem names the table's remedies as the API names them, or, with
    `gettext` (a page), as the page does.

    Returns:
        The new version's number.

    Raises:
        Problems: The remedy is not a row of the job's table, or the settings (or the plan
            with them) do not read.
    """
    from camp_planner.web.versions import SETTINGS, new_version

    rows = {str(r.get("remedy")): r for r in job.summary.get("rows", []) if r.get("apply")}
    row = rows.get(str(remedy)) if isinstance(remedy, str) else None
    if row is None:
        names = sorted(rows) if gettext is None else [remedy_label(r, gettext) for r in rows]
        expected = Message(N_("a remedy of the table: %(rows)s"), rows=", ".join(names))
        value = None if remedy is None else str(remedy)[:200]
        raise Problems([InputProblem.of("(request)", None, "remedy", value, expected)])
    before = read_written(web.store.plan_dir(plan_id))
    data = {k: v for k, v in before.items() if k != "change_cost"}
    data.update(row["apply"])  # a remedy's mixes are the whole lists (the old ones too)
    text, problems, _ = check_settings(data, before)
    if text is None:
        raise Problems(problems)
    return new_version(web, plan_id, {ROUND_TOML: text.encode("utf-8")}, SETTINGS)


def settings_shown(changes: dict[str, Any], gettext: Any) -> list[tuple[str, str]]:
    """A remedy's settings as the settings form names them: (label, value) pairs."""
    labels = {spec.key: spec.label for spec in FIELDS}
    shown = []
    for key, value in changes.items():
        if isinstance(value, bool):
            text = gettext("yes") if value else gettext("no")
        elif isinstance(value, list):
            text = ", ".join(str(v) for v in value)
        elif key == "max_travel_km" and value == 0:
            text = gettext("no limit")
        else:
            text = str(value)
        shown.append((str(gettext(labels.get(key, key))), text))
    return shown
