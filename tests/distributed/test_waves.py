"""Solving in waves on an executor, checked without Ray (the in-process executor runs the
same waves one task after the other): the same files as the chain where every solve is
proven, a task failing twice becomes a row saying why and the others are kept, a cancelled
sweep stops, and ``--ray`` without Ray installed is one sentence."""

from __future__ import annotations

import csv
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from camp_planner.cli import app
from camp_planner.distributed import LocalExecutor, SolveTask, SweepCancelled, run_task
from camp_planner.io.folder import load_folder
from camp_planner.models import PlanningProblem, Roster, SolverStatus
from camp_planner.outputs.whatif_files import write_whatif_csv
from camp_planner.remedies import run_remedies
from camp_planner.whatif import Scenario, run_scenarios
from tests.helpers.whatif_folder import write_small_folder
from tests.remedies import small_round

# Far above what a quiet machine needs (every solve is proven in seconds and stops there):
# a loaded machine must not leave one side unproven and so different.
SOLVE = {"time_limit": 60.0, "seed": 0, "workers": 1}
SCENARIOS = [
    Scenario(name="baseline"),
    Scenario(name="5 venues", max_venues=5),
    Scenario(name="6 venues", max_venues=6),  # the same problem as the baseline
    Scenario(name="Skive closed", closed=["skive"]),
]


@pytest.fixture(scope="module")
def problem(tmp_path_factory: pytest.TempPathFactory) -> PlanningProblem:
    return load_folder(write_small_folder(tmp_path_factory.mktemp("waves") / "round"))


def _csv(table, path: Path) -> bytes:  # type: ignore[no-untyped-def]
    return write_whatif_csv(table, path).read_bytes()


def test_waves_give_the_chain_s_whatif_csv_where_every_solve_is_proven(
    problem: PlanningProblem, tmp_path: Path
) -> None:
    chain = run_scenarios(problem, SCENARIOS, **SOLVE)
    calls: list[str] = []

    def counted(task: SolveTask) -> Roster:
        calls.append(task.label)
        return run_task(task)

    waves = run_scenarios(problem, SCENARIOS, **SOLVE, executor=LocalExecutor(counted))
    assert all(r.roster.solver.status == SolverStatus.OPTIMAL for r in chain.results)
    assert _csv(waves.table(), tmp_path / "w.csv") == _csv(chain.table(), tmp_path / "c.csv")
    # one task per distinct problem; "6 venues" shares the baseline's roster
    assert sorted(calls) == ["5 venues", "Skive closed", "baseline"]
    assert waves["6 venues"].reused and waves["6 venues"].roster is waves["baseline"].roster
    assert "failure" not in waves.table().columns


def test_a_task_failing_twice_is_a_row_saying_why_and_the_others_are_kept(
    problem: PlanningProblem, tmp_path: Path
) -> None:
    tries: list[str] = []

    def broken_for_skive(task: SolveTask) -> Roster:
        if task.label == "Skive closed":
            tries.append(task.label)
            raise MemoryError("out of memory")
        return run_task(task)

    whatif = run_scenarios(problem, SCENARIOS, **SOLVE, executor=LocalExecutor(broken_for_skive))
    assert tries == ["Skive closed", "Skive closed"]  # tried once more, then given up
    table = whatif.table()
    failed = whatif["Skive closed"]
    assert failed.failure == "failed 2 times, last: MemoryError: out of memory"
    assert failed.roster.cohorts == [] and failed.roster.summary.placed == 0
    assert failed.roster.solver.message == f"not solved: {failed.failure}"
    assert table["failure"].tolist() == ["", "", "", failed.failure]
    assert table.at[3, "status"] == "TIME_LIMIT"
    assert table.at[3, "significant_placed"] == "false"  # no bound: nothing significant
    # the others are solved as without the failure
    chain = run_scenarios(problem, SCENARIOS[:3], **SOLVE)
    for name in ("baseline", "5 venues", "6 venues"):
        assert whatif[name].roster.summary == chain[name].roster.summary
        assert whatif[name].failure is None
    text = _csv(table, tmp_path / "whatif.csv").decode("utf-8-sig")
    assert text.splitlines()[0].endswith(",failure")


def test_remedies_in_waves_rank_as_the_chain(tmp_path: Path) -> None:
    problem = small_round.problem()
    chain = run_remedies(problem, **SOLVE)
    waves = run_remedies(problem, **SOLVE, executor=LocalExecutor())
    columns = [c for c in chain.table().columns if c != "wall_time_s"]
    assert waves.table()[columns].equals(chain.table()[columns])

    def broken(task: SolveTask) -> Roster:
        if task.label == "online cohorts":
            raise RuntimeError("lost")
        return run_task(task)

    failed = run_remedies(problem, **SOLVE, executor=LocalExecutor(broken)).table()
    row = failed[failed["remedy"] == "online cohorts"].iloc[0]
    assert row["failure"] == "failed 2 times, last: RuntimeError: lost"
    assert row["placed"] == 0 and row["status"] == "TIME_LIMIT"
    kept = failed[failed["remedy"] == "mix levels A+B"].iloc[0]
    assert kept["placed"] == 9 and kept["failure"] == ""


def test_a_cancelled_sweep_stops_before_the_next_task(problem: PlanningProblem) -> None:
    executor = LocalExecutor()
    ran: list[str] = []

    def cancel_after_first(task: SolveTask) -> Roster:
        ran.append(task.label)
        executor.cancel()
        return run_task(task)

    executor._function = cancel_after_first
    with pytest.raises(SweepCancelled):
        run_scenarios(problem, SCENARIOS, **SOLVE, executor=executor)
    assert ran == ["baseline"]


def test_ray_option_without_ray_installed_is_one_sentence(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = small_round.write_folder(tmp_path / "round")
    monkeypatch.setitem(sys.modules, "ray", None)  # import ray fails as where not installed
    for command in (["remedies", str(folder)], ["whatif", str(folder), "--venues", "1-2"]):
        result = CliRunner().invoke(app, [*command, "--ray", "auto"])
        output = " ".join(result.output.split())
        assert result.exit_code == 2, output
        assert "--ray needs Ray, which is not installed: pip install 'camp-planner[ray]'" in output
        assert "Traceback" not in output
        assert not (folder / "out" / "remedies.csv").exists()
    result = CliRunner().invoke(app, ["remedies", str(folder), "--ray", " "])
    assert result.exit_code == 2 and "--ray needs 'auto' or a cluster's address" in result.output


def test_remedies_csv_unchanged_without_a_failure(tmp_path: Path) -> None:
    folder = small_round.write_folder(tmp_path / "round")
    result = CliRunner().invoke(
        app, ["remedies", str(folder), "--time-limit", "60", "--workers", "1"]
    )
    assert result.exit_code == 0, result.output
    with (folder / "out" / "remedies.csv").open(encoding="utf-8-sig", newline="") as handle:
        assert "failure" not in (csv.DictReader(handle).fieldnames or [])
