"""A place of `fit` chosen in the browser: a replan job (kind ``replan``, ``place`` in its
parameters) whose roster is that option's (:func:`camp_planner.replan.choose.apply_option`),
read and written as ``camp-planner replan`` reads and writes (the same inputs, the change
list, the invitations with their UIDs kept, the cancellations): it is listed, downloaded
and published as a replan is."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rich.console import Console

from camp_planner.cli._common import ExitCode, fail

__all__ = ["run_choice"]


def run_choice(
    folder: Path, published: Path, params: dict[str, Any], target: Path, out: Console,
    err: Console,
) -> ExitCode:  # fmt: skip
    """Write the roster of the chosen place (``params["place"]``: company_id, cohort_id,
    venue_id, dates) into `target`.

    Returns:
        OK when written; NO_ROSTER when the place can no longer be had; BAD_INPUT when an
        input cannot be used (as ``camp-planner replan``).
    """
    from camp_planner.cli.replan import load_replan_inputs
    from camp_planner.outputs.replan_files import retired_ids, write_replan_outputs
    from camp_planner.replan.choose import apply_option
    from camp_planner.replan.fit import FitError, FitOption

    inputs = load_replan_inputs(folder, published, str(params["as_of"]), None, out, err)
    if isinstance(inputs, ExitCode):
        return inputs
    place = params["place"]
    option = FitOption(
        str(place["cohort_id"]), venue_id=str(place["venue_id"]), dates=str(place["dates"])
    )
    try:
        result = apply_option(
            inputs.problem, inputs.published, str(place["company_id"]), inputs.as_of, option,
            pins=inputs.pins, costs=inputs.costs, retired=retired_ids(inputs.record),
            time_limit=float(params["time_limit"]), workers=int(params.get("workers", 1)),
        )  # fmt: skip
    except FitError as exc:
        return fail(err, f"No roster with the chosen place: {exc}.", ExitCode.NO_ROSTER)
    write_replan_outputs(inputs.problem, result, inputs.record, target, inputs.names)
    return ExitCode.OK
