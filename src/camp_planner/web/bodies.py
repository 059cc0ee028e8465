"""The JSON API's request and response bodies (docs/web.md), as pydantic models.

Requests are read by :func:`camp_planner.web.routes.api.json_body` and validated here; a
body that does not fit is answered 422 with a sentence (never a 500).
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict


class SolveRequest(BaseModel):
    """POST /api/plans/{plan_id}/solve."""

    model_config = ConfigDict(extra="ignore")

    time_limit: Any = None


class WhatifRequest(BaseModel):
    """POST /api/plans/{plan_id}/whatif: ``venues`` (``"4-6"``) or ``scenarios``."""

    model_config = ConfigDict(extra="ignore")

    venues: Any = None
    scenarios: Any = None
    time_limit: Any = None


class Problem(BaseModel):
    """One problem of an upload: where it is and what was expected."""

    file: str
    row: int | None
    column: str | None
    value: str | None
    expected: str


class ProblemsAnswer(BaseModel):
    """422: every problem of an upload."""

    problems: list[Problem]


class PlanCreated(BaseModel):
    """201 of POST /api/plans."""

    plan_id: str


class JobCreated(BaseModel):
    """202 of a solve or a what-if."""

    job_id: str


class PlanAnswer(BaseModel):
    """GET /api/plans/{plan_id}."""

    plan_id: str
    round: str
    companies: int
    venues: int
    notes: list[str]
    not_used: list[str]
    refused: list[str]
    latest_roster_job: str | None
    #: The roster the plan's roster page and /api/plans/{id}/<file> give: a published
    #: replan newer than the latest solve, else the latest solve (web/current.py).
    current_roster_job: str | None = None


class JobAnswer(BaseModel):
    """GET and DELETE /api/jobs/{job_id}."""

    status: str
    progress: str
    summary: dict[str, Any]
