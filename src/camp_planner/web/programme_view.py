"""What the programme page shows: the timeline (company x round: the step taken, where),
who completes the track, and each round's roster, from the job's programme.json,
timeline.json and rounds/<round>/roster.json."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from camp_planner.models import Step
from camp_planner.web.store import Job, Store
from camp_planner.web.views import AGE_LABELS, CODE_LABELS, STEP_LABELS

__all__ = ["programme_view"]


@dataclass
class Cell:
    """One company's step in one round (None in the row: no step that round)."""

    step: str
    venue: str
    cohort: str


@dataclass
class Row:
    company_id: str
    name: str
    cells: list[Cell | None]
    complete: bool
    #: the kind of reason when no step fits the horizon (a label of views.CODE_LABELS)
    why_label: str
    #: programme.json's unplaced entry (code, reason and, since the programme writes them,
    #: reason_code and reason_values: the page shows the sentence in its own language)
    why: dict[str, Any]
    message: str


@dataclass
class RoundCohort:
    cohort_id: str
    venue: str
    step: str
    level: str
    age_group: str
    first: Any
    last: Any
    members: list[str]


@dataclass
class RoundView:
    number: int
    name: str
    start: date
    end: date
    placed: int
    cohorts: list[RoundCohort] = field(default_factory=list)


def programme_view(
    store: Store, job: Job, document: dict[str, Any], facts: dict[str, Any]
) -> dict[str, Any]:
    """The page's rows and rounds (see the module docstring)."""
    from camp_planner.io.roster_file import RosterFileError, read_roster

    names, venues = facts["names"], facts["venues"]
    index = {name: k for k, name in enumerate(document["rounds"])}
    complete = set(facts["complete"])
    rows = []
    for entry in document["companies"]:
        cells: list[Cell | None] = [None] * len(index)
        for step in entry["steps"]:
            label = STEP_LABELS.get(Step(step["step"]), step["step"])
            venue = venues.get(step["venue_id"], step["venue_id"])
            cells[index[step["round"]]] = Cell(label, venue, step["cohort_id"])
        unplaced = entry.get("unplaced") or {}
        rows.append(
            Row(
                entry["company_id"],
                names.get(entry["company_id"], entry["company_id"]),
                cells,
                entry["company_id"] in complete,
                CODE_LABELS.get(unplaced.get("code", ""), unplaced.get("code", "")),
                unplaced,
                entry["message"],
            )  # fmt: skip
        )
    per_round = {r["round"]: r for r in document["summary"]["per_round"]}
    rounds = []
    for k, name in enumerate(document["rounds"]):
        start, end = facts["dates"][k]
        view = RoundView(
            k + 1,
            name,
            date.fromisoformat(start),
            date.fromisoformat(end),
            per_round.get(name, {}).get("placed", 0),
        )
        path = store.job_dir(job.job_id) / "out" / "rounds" / facts["folders"][k] / "roster.json"
        try:
            roster = read_roster(path)
        except RosterFileError:
            roster = None
        for cohort in roster.cohorts if roster else []:
            days = sorted(d for s in cohort.sessions for d in s.dates)
            view.cohorts.append(
                RoundCohort(
                    cohort.cohort_id,
                    venues.get(cohort.venue_id, cohort.venue_id),
                    STEP_LABELS.get(cohort.module, str(cohort.module)),
                    cohort.level.value,
                    AGE_LABELS.get(cohort.age_group.value, cohort.age_group.value),
                    days[0] if days else None,
                    days[-1] if days else None,
                    [names.get(m, m) for m in cohort.members],
                )  # fmt: skip
            )
        rounds.append(view)
    return {"rows": rows, "rounds": rounds, "summary": document["summary"],
            "solver": document["solver"]}  # fmt: skip
