"""The embedded demo round (camp_planner/demo/data: 120 companies, 19 venues).

Not a timed test (issue 3 keeps timings in benchmarks/); the solve gets the default 60 s
and must prove its roster optimal (measured: about 5-9 s on 2 workers).
"""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

from camp_planner.io.folder import load_folder
from camp_planner.scheduler import solve
from tests.checker import check_roster, placed_count, total_travel


def test_demo_roster_is_valid_and_optimal():
    folder = Path(str(resources.files("camp_planner.demo").joinpath("data")))
    problem = load_folder(folder)
    roster = json.loads(solve(problem, time_limit=60, seed=0, workers=2).to_json())
    assert check_roster(problem.round, problem.companies, problem.venues, roster) == []
    assert roster["solver"]["status"] == "OPTIMAL"
    assert roster["summary"]["placed"] == placed_count(roster) > 0
    km = total_travel(problem.round, problem.companies, problem.venues, roster)
    assert abs(roster["summary"]["travel_km_total"] - km) <= 0.01 * placed_count(roster)
