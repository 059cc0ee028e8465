"""The sweeps as Ray tasks on a local Ray runtime of 2 CPUs (``ray.init`` here): the same
whatif.csv as solving here on the demo, a killed worker's task retried, a task whose worker
dies twice a row saying why, and a cancelled sweep leaves no task running.

Skipped where Ray is not installed (``pip install 'camp-planner[ray]'``; ``make test``
installs it)."""

from __future__ import annotations

import csv
import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

ray = pytest.importorskip(
    "ray", reason="Ray is not installed (the optional extra: pip install 'camp-planner[ray]')"
)

from typer.testing import CliRunner  # noqa: E402

from camp_planner.cli import app  # noqa: E402
from camp_planner.demo.generator import write_demo_folder  # noqa: E402
from camp_planner.distributed import SolveTask, SweepCancelled, run_task  # noqa: E402
from camp_planner.distributed.ray_executor import RayExecutor  # noqa: E402
from camp_planner.io.folder import load_folder  # noqa: E402
from camp_planner.models import PlanningProblem, Roster, SolverStatus  # noqa: E402
from camp_planner.outputs.whatif_files import write_whatif_csv  # noqa: E402
from camp_planner.whatif import Scenario, run_scenarios  # noqa: E402
from tests.helpers.whatif_folder import write_small_folder  # noqa: E402
from tests.remedies import small_round  # noqa: E402

# Limits far above what a quiet machine needs (every solve is proven in seconds and stops
# there): a loaded machine must not leave one side unproven and so different.
SOLVE = {"time_limit": 60.0, "seed": 0, "workers": 1}
SCENARIOS = [
    Scenario(name="baseline"),
    Scenario(name="5 venues", max_venues=5),
    Scenario(name="Skive closed", closed=["skive"]),
]


@pytest.fixture(scope="module", autouse=True)
def runtime() -> Iterator[None]:
    ray.init(
        num_cpus=2,
        object_store_memory=200 * 1024 * 1024,
        include_dashboard=False,
        log_to_driver=False,
        configure_logging=False,
    )
    yield
    ray.shutdown()


@pytest.fixture(scope="module")
def problem(tmp_path_factory: pytest.TempPathFactory) -> PlanningProblem:
    return load_folder(write_small_folder(tmp_path_factory.mktemp("ray") / "round"))


def test_the_demo_whatif_csv_is_the_one_solved_here(tmp_path: Path) -> None:
    demo = tmp_path / "demo"
    write_demo_folder(demo)
    args = ["whatif", str(demo), "--venues", "5-6", "--time-limit", "120", "--workers", "1"]
    here = CliRunner().invoke(app, [*args, "--out", str(tmp_path / "here")])
    assert here.exit_code == 0, here.output
    on_ray = CliRunner().invoke(app, [*args, "--out", str(tmp_path / "ray"), "--ray", "auto"])
    assert on_ray.exit_code == 0, on_ray.output
    assert "as Ray tasks (auto)" in on_ray.output
    here_csv = (tmp_path / "here" / "whatif.csv").read_bytes()
    # the demo is a Danish round: whatif.csv for Danish Excel, ';' between the fields
    assert b";OPTIMAL;" in here_csv and b"FEASIBLE" not in here_csv  # every solve proven
    assert (tmp_path / "ray" / "whatif.csv").read_bytes() == here_csv
    for name in ("5-venues.json", "6-venues.json"):  # the same rosters but for the time
        rosters = [
            Roster.from_json((tmp_path / d / "rosters" / name).read_text()) for d in ("here", "ray")
        ]
        assert rosters[0].folder_fingerprint == rosters[1].folder_fingerprint != ""
        same = [
            r.model_copy(update={"solver": r.solver.model_copy(update={"wall_time_s": 0})})
            for r in rosters
        ]
        assert same[0] == same[1]
    assert ray.is_initialized()  # the command used the test's runtime and left it running


def test_remedies_on_ray_rank_as_solved_here(tmp_path: Path) -> None:
    folder = small_round.write_folder(tmp_path / "round")
    args = ["remedies", str(folder), "--time-limit", "60", "--workers", "1"]
    tables = []
    for out, extra in (("here", []), ("ray", ["--ray", "auto"])):
        result = CliRunner().invoke(app, [*args, "--out", str(tmp_path / out), *extra])
        assert result.exit_code == 0, result.output
        path = tmp_path / out / "remedies.csv"
        with path.open(encoding="utf-8-sig", newline="") as handle:
            tables.append([{**r, "wall_time_s": ""} for r in csv.DictReader(handle)])
    assert tables[1] == tables[0]
    assert [r["remedy"] for r in tables[0]][:2] == ["all of them", "online cohorts"]


def test_a_killed_worker_s_task_is_retried(problem: PlanningProblem, tmp_path: Path) -> None:
    marks = tmp_path / "marks"
    marks.mkdir()

    def killed_once(task: SolveTask) -> Roster:
        mark = marks / task.label
        if task.label == "5 venues" and not mark.exists():
            mark.write_text(str(os.getpid()))
            os._exit(1)  # the worker process dies, as on a lost machine
        return run_task(task)

    on_ray = run_scenarios(problem, SCENARIOS, **SOLVE, executor=RayExecutor(killed_once))
    here = run_scenarios(problem, SCENARIOS, **SOLVE)
    assert (marks / "5 venues").exists()  # the first try's worker was killed
    assert on_ray["5 venues"].failure is None
    for name in ("baseline", "5 venues", "Skive closed"):
        assert on_ray[name].roster.solver.status == SolverStatus.OPTIMAL
    assert write_whatif_csv(on_ray.table(), tmp_path / "r.csv").read_bytes() == (
        write_whatif_csv(here.table(), tmp_path / "h.csv").read_bytes()
    )


def test_a_task_whose_worker_dies_twice_is_a_row_saying_why(problem: PlanningProblem) -> None:
    def always_killed(task: SolveTask) -> Roster:
        if task.label == "Skive closed":
            os._exit(1)
        return run_task(task)

    whatif = run_scenarios(problem, SCENARIOS, **SOLVE, executor=RayExecutor(always_killed))
    failed = whatif["Skive closed"]
    assert failed.failure is not None and failed.failure.startswith("its worker died twice")
    table = whatif.table()
    assert table["failure"].tolist() == ["", "", failed.failure]
    assert table.at[2, "placed"] == 0 and table.at[2, "status"] == "TIME_LIMIT"
    assert whatif["baseline"].roster.solver.status == SolverStatus.OPTIMAL
    assert whatif["5 venues"].roster.summary.placed == whatif["baseline"].roster.summary.placed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_a_cancelled_sweep_leaves_no_task_running(problem: PlanningProblem, tmp_path: Path) -> None:
    pids = tmp_path / "pids"
    pids.mkdir()

    def slow(task: SolveTask) -> Roster:
        (pids / task.label).write_text(str(os.getpid()))
        time.sleep(120)
        return run_task(task)

    executor = RayExecutor(slow)
    tasks = [SolveTask(f"t{i}", problem, (), 10.0, 0, 1) for i in range(4)]
    raised: list[BaseException] = []

    def sweep() -> None:
        try:
            executor.run(tasks)
        except BaseException as exc:  # noqa: BLE001 - looked at below
            raised.append(exc)

    thread = threading.Thread(target=sweep)
    thread.start()
    deadline = time.time() + 60
    while len(list(pids.iterdir())) < 2 and time.time() < deadline:
        time.sleep(0.2)
    running = [int(p.read_text()) for p in pids.iterdir()]
    assert len(running) == 2  # two CPUs: two tasks run, two are queued
    executor.cancel()
    thread.join(timeout=60)
    assert not thread.is_alive()
    assert len(raised) == 1 and isinstance(raised[0], SweepCancelled)
    deadline = time.time() + 30
    while time.time() < deadline and (
        any(_alive(pid) for pid in running) or ray.available_resources().get("CPU", 0) < 2
    ):
        time.sleep(0.2)
    assert not any(_alive(pid) for pid in running)  # the running tasks' workers were stopped
    assert ray.available_resources().get("CPU", 0) == 2  # nothing holds a CPU
    assert len(list(pids.iterdir())) == 2  # the queued ones never started


def test_no_contact_person_e_mail_or_company_name_travels(
    problem: PlanningProblem, tmp_path: Path
) -> None:
    seen = tmp_path / "seen.txt"
    named = problem.model_copy(
        update={
            "companies": tuple(
                c.model_copy(update={"contact_name": "Jens Hansen", "email": "jh@example.dk"})
                for c in problem.companies
            )
        }
    )

    def looking(task: SolveTask) -> Roster:
        fields = {(c.name, c.contact_name, c.email) for c in task.problem.companies}
        ids = {c.company_id for c in task.problem.companies}
        seen.write_text(repr(sorted(fields) == sorted((i, None, None) for i in ids)))
        return run_task(task)

    whatif = run_scenarios(named, SCENARIOS[:1], **SOLVE, executor=RayExecutor(looking))
    assert seen.read_text() == "True"
    assert whatif["baseline"].problem is named  # the files are written from the full data
    here = run_scenarios(problem, SCENARIOS[:1], **SOLVE)
    assert whatif["baseline"].roster.cohorts == here["baseline"].roster.cohorts
