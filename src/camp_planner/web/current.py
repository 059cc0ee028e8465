"""Which roster is the plan's current one (the roster page, its map and downloads), and how
long a roster took.

A plan's rosters are its solves and its replans. The roster page shows the *current* one:
the published replan when the published roster is a replan published after the latest
solve finished (a coordinator who replanned and published sees what the companies got),
otherwise the latest solve (as before publishing, and after a new solve). Every other
roster of the plan stays at ``/plans/<id>/roster?job=<job_id>``.

A roster taken from a programme's round or an adopted what-if scenario is recorded as a
done solve made at once (``web/programme_plans.py``, ``web/adopt.py``): its job ran for no
time, so the time it took is the solver's wall time its roster.json keeps (None when that
is not known), never the job's 0 s.
"""

from __future__ import annotations

from dataclasses import dataclass

from camp_planner.web.publish import published_at, published_job
from camp_planner.web.store import Job, Store

__all__ = ["Current", "attached", "current_roster", "roster_time"]


@dataclass(frozen=True)
class Current:
    """The roster the plan's roster page shows, and what the page says of it."""

    job: Job
    #: When this roster was published (None when it is not the published one).
    published: float | None
    #: The plan's latest solve (None without one): the page links to it from a replan.
    solve: Job | None
    #: The plan's published roster's job (None before publishing).
    published_job: Job | None = None


def attached(job: Job) -> bool:
    """A roster made elsewhere and recorded as a done solve (a programme's round, an adopted
    what-if scenario): the job itself took no time."""
    return "from_programme" in job.params or "adopted_from" in job.params


def roster_time(job: Job) -> float | None:
    """Seconds the job's roster took: an attached roster's solver wall time (None when not
    known), otherwise the job's own time."""
    if attached(job):
        wall = job.summary.get("wall_time_s")
        return float(wall) if isinstance(wall, int | float) and wall > 0 else None
    return job.elapsed


def current_roster(store: Store, plan_id: str) -> Current | None:
    """The plan's current roster (None before any): the published replan when it was
    published after the latest solve finished, otherwise the latest solve."""
    solve = store.latest_done(plan_id, "solve")
    published = published_job(store, plan_id)
    when = published_at(store, plan_id)
    replan = published if published is not None and published.kind == "replan" else None
    if (
        replan is not None
        and when is not None
        and (solve is None or when >= (solve.finished or solve.created))
    ):
        return Current(replan, when, solve, published)
    if solve is None:
        return None
    is_published = published is not None and published.job_id == solve.job_id
    return Current(solve, when if is_published else None, solve, published)
