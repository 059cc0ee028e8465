"""Adopting a what-if scenario as a new version of the plan (issue 18).

A scenario is the plan with a few settings changed (most venues, facilitators, longest
travel, cohort sizes) and venues closed, required or candidates again. Adopting it makes
those changes to the plan's files as a new *version* (:func:`camp_planner.web.versions.
new_version`, checked as an upload is): ``round.toml`` with the changed settings, and
``venues.csv`` with the venues' ``status`` (a workbook becomes ``companies.csv`` and
``venues.csv``, every column kept, as the Changes page does). The scenario's roster,
solved for exactly that round, becomes the plan's latest roster: a solve job of the new
version that is done as it is made, with the roster's files written as a solve writes
them (so the roster page, its downloads and Publish work on it at once).

Only a what-if of the plan's latest version can be adopted: a plan changed since would
give a round nobody compared.
"""

from __future__ import annotations

import shutil
from typing import Any

from camp_planner.io.errors import InputError
from camp_planner.models import PlanningProblem, Roster, VenueStatus
from camp_planner.models.roster import RosterKind
from camp_planner.web.common import Problems, Web
from camp_planner.web.i18n import N_
from camp_planner.web.store import Job, Store, new_id

__all__ = ["ADOPTED", "AdoptError", "adopt_scenario"]

#: What made the version (its note on the Versions page).
ADOPTED = "whatif"
_COMPANIES, _VENUES, _ROUND, _WORKBOOK = "companies.csv", "venues.csv", "round.toml", "plan.xlsx"


class AdoptError(Exception):
    """The scenario cannot be adopted; `message` says why (a text of the web catalogue)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _scenario(store: Store, job: Job, slug: str, problem: PlanningProblem) -> tuple[Any, Roster]:
    """The scenario of `slug` in the what-if `job` (as the worker made it) and its roster."""
    from camp_planner.io.roster_file import RosterFileError, read_roster
    from camp_planner.outputs.whatif_files import ROSTERS_DIR
    from camp_planner.whatif import Scenario, venue_range_scenarios, with_baseline

    shown = [s.get("slug") for s in job.summary.get("scenarios", [])]
    if slug not in shown:
        raise LookupError(slug)
    venues = job.params.get("venues")
    if venues:
        scenarios = venue_range_scenarios(str(venues), len(problem.venues))
    else:
        scenarios = with_baseline([Scenario.model_validate(s) for s in job.params["scenarios"]])
    index = shown.index(slug)
    scenario = scenarios[index]
    if scenario.name != job.summary["scenarios"][index].get("name"):
        raise AdoptError(N_("This what-if no longer matches the plan; run it again."))
    from camp_planner.web.worker import OUT

    path = store.job_dir(job.job_id) / OUT / ROSTERS_DIR / f"{slug}.json"
    try:
        return scenario, read_roster(path)
    except RosterFileError:
        raise LookupError(slug) from None


def _files(
    folder: Any, plan: PlanningProblem, adopted: PlanningProblem
) -> tuple[dict[str, bytes], tuple[str, ...]]:
    """The new version's files: round.toml with the scenario's settings, the venues with
    its statuses; and the files it no longer has (a workbook)."""
    from camp_planner.outputs.next_round import csv_text, source_tables
    from camp_planner.web.settings import check_settings, read_written
    from camp_planner.whatif.scenarios import ROUND_KEYS

    files: dict[str, bytes] = {}
    drop: tuple[str, ...] = ()
    changed = {
        key: getattr(adopted.round, key)
        for key in ROUND_KEYS
        if getattr(adopted.round, key) != getattr(plan.round, key)
    }
    if changed:
        before = read_written(folder)
        text, problems, _ = check_settings({**before, **changed}, before)
        if text is None:
            raise Problems(problems)
        files[_ROUND] = text.encode("utf-8")
    statuses = {
        v.venue_id: v.status
        for v, old in zip(adopted.venues, plan.venues, strict=True)
        if v.status != old.status
    }
    if statuses:
        try:
            companies, venues = source_tables(folder)
        except InputError as exc:
            raise Problems(exc.problems) from None
        columns = list(venues.columns) + ([] if "status" in venues.columns else ["status"])
        rows = [dict(r) for r in venues.rows if any(r.values())]
        for row in rows:
            status = statuses.get(row.get("venue_id", ""))
            if status is not None:
                row["status"] = status.value
            elif not row.get("status"):
                row["status"] = VenueStatus.CANDIDATE.value
        files[_VENUES] = csv_text(
            columns, [{c: r.get(c, "") for c in columns} for r in rows]
        ).encode()
        if (folder / _WORKBOOK).exists():
            kept = [dict(r) for r in companies.rows if any(r.values())]
            names = list(companies.columns)
            files[_COMPANIES] = csv_text(
                names, [{c: r.get(c, "") for c in names} for r in kept]
            ).encode()
            drop = (_WORKBOOK,)
    return files, drop


def adopt_scenario(web: Web, job: Job, slug: str) -> tuple[int, Job]:
    """Make the scenario `slug` of the what-if `job` the plan's new version, with its
    roster as the version's roster.

    Returns:
        The new version's number and the (done) solve job holding the roster.

    Raises:
        LookupError: `slug` is no scenario of the job.
        AdoptError: The plan changed since the what-if, or the scenario changes nothing.
        Problems: The changed files do not read (every problem).
    """
    from camp_planner.outputs.roster_files import INVITATIONS, write_outputs
    from camp_planner.web.versions import new_version, version_at, versions
    from camp_planner.web.worker import INVITATIONS_ZIP, OUT, _zip_invitations, roster_summary
    from camp_planner.whatif.scenarios import apply_scenario

    store = web.store
    plan_id = job.plan_id
    problem, _ = web.plans.get(plan_id)
    scenario, roster = _scenario(store, job, slug, problem)
    if version_at(store, plan_id, job.created) != versions(store, plan_id)[-1].version:
        raise AdoptError(N_("The plan has changed since this what-if; run it again to adopt."))
    adopted = apply_scenario(problem, scenario)
    files, drop = _files(store.plan_dir(plan_id), problem, adopted)
    if not files:
        raise AdoptError(N_("This scenario is the plan as it is: there is nothing to adopt."))
    number = new_version(web, plan_id, files, ADOPTED, drop)
    problem, _ = web.plans.get(plan_id)
    roster = roster.model_copy(update={"kind": RosterKind.ROSTER})
    job_id = new_id()
    out = store.job_dir(job_id) / OUT
    try:
        written = write_outputs(problem, roster, out)
        _zip_invitations(
            written.get("invitations", out / INVITATIONS), out.parent / INVITATIONS_ZIP
        )
    except OSError:
        shutil.rmtree(store.job_dir(job_id), ignore_errors=True)
        raise
    summary = roster_summary(problem, roster) | {
        "stopped": False,
        "adopted": {"job_id": job.job_id, "scenario": scenario.name},
    }
    params = {"adopted_from": job.job_id, "scenario": slug}
    line = f"done: {summary['solver_status']}"
    return number, store.add_done_job(job_id, plan_id, "solve", params, summary, line)
