"""The demo planning folder: deterministic, shipped in the package, valid and interesting."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

import camp_planner.demo.generator as demo
from camp_planner.io.folder import load_folder
from camp_planner.models import AgeGroup, Level, Step
from camp_planner.models.groups import group_counts, no_next_step


@pytest.fixture(scope="module")
def problem(tmp_path_factory: pytest.TempPathFactory):  # noqa: ANN201
    return load_folder(demo.write_demo_folder(tmp_path_factory.mktemp("demo")))


def test_regenerating_gives_the_committed_files() -> None:
    assert demo.render_demo() == demo.packaged_demo()


def test_generate_demo_is_deterministic() -> None:
    first, second = demo.generate_demo(7), demo.generate_demo(7)
    assert first[0].equals(second[0]) and first[1].equals(second[1])
    assert not first[0].equals(demo.generate_demo(8)[0])


def test_demo_loads(problem) -> None:  # noqa: ANN001
    assert len(problem.companies) == 120 and len(problem.venues) == 19
    assert problem.round.name == "2027-Q1" and problem.round.max_venues == 6
    assert all(len(c.company_id) == 8 for c in problem.companies)
    assert sum(v.residential for v in problem.venues) == 8


def test_level_and_age_mix(problem) -> None:  # noqa: ANN001
    levels = Counter(c.level for c in problem.companies)
    n = len(problem.companies)
    assert 0.07 <= levels[Level.A] / n <= 0.13
    assert 0.20 <= levels[Level.B] / n <= 0.30
    assert 0.60 <= levels[Level.C] / n <= 0.70
    young = sum(c.is_young(problem.round.start) for c in problem.companies)
    assert 0.30 <= young / n <= 0.40
    assert 8 <= sum(c.participants == 2 for c in problem.companies) <= 15
    assert sum(c.below_c for c in problem.companies) == 1


def test_segments_fill_and_do_not(problem) -> None:  # noqa: ANN001
    counts = group_counts(problem)
    people = {(s.module, s.level, s.age_group): p for s, (_, p) in counts.items()}
    assert people[(Step.MODULE1, Level.C, AgeGroup.ESTABLISHED)] >= 40
    assert people[(Step.MODULE2, Level.B, AgeGroup.ESTABLISHED)] >= 8
    assert any(p < problem.round.cohort_min for p in people.values())
    finished = no_next_step(problem)
    assert finished["track_complete"] == 1 and finished["not_eligible"] == 2


def test_write_demo_folder_never_overwrites_other_data(tmp_path: Path) -> None:
    demo.write_demo_folder(tmp_path)
    demo.write_demo_folder(tmp_path)  # the demo again: fine
    (tmp_path / "companies.csv").write_text("company_id\n1\n", encoding="utf-8")
    with pytest.raises(FileExistsError):
        demo.write_demo_folder(tmp_path)
