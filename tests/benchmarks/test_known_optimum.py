"""Known-optimum regression (STYLE.md): OR-Library pmed1 solved by CP-SAT gives 5819.

``benchmarks/pmedian.py`` solves Beasley's p-median instances with the engine and the
strong-link formulation the roster model uses. pmed1 (n = 100, p = 5) takes about 3 s on
2 cores, so it runs in the default suite; ``python benchmarks/pmedian.py`` runs pmed1-pmed5.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

PMEDIAN = Path(__file__).resolve().parents[2] / "benchmarks" / "pmedian.py"


def _load_pmedian() -> ModuleType:
    # Loaded by path: `benchmarks` is a folder of scripts, not a package, and
    # tests/benchmarks must not shadow it.
    spec = importlib.util.spec_from_file_location("camp_bench_pmedian", PMEDIAN)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up here
    spec.loader.exec_module(module)
    return module


pmedian = _load_pmedian()

pytestmark = pytest.mark.skipif(
    not (pmedian.DATA / "pmed1.txt").exists(),
    reason=f"OR-Library p-median data not found in {pmedian.DATA} (set PMED_DATA)",
)


def test_pmed1_reading_keeps_the_last_duplicate_edge() -> None:
    # pmed1 has 200 edge lines, 2 of them repeat a pair; 100 vertices, p = 5.
    instance = pmedian.read_instance(pmedian.DATA / "pmed1.txt")
    assert instance.p == 5
    assert instance.dist.shape == (100, 100)
    assert (instance.dist == instance.dist.T).all()
    assert (instance.dist.diagonal() == 0).all()


def test_pmed1_published_optimum() -> None:
    # Beasley's pmedopt.txt: pmed1 = 5819 (with the min rule for duplicate edges it would be 5718).
    assert pmedian.published_optima()["pmed1"] == 5819
    instance = pmedian.read_instance(pmedian.DATA / "pmed1.txt")
    result = pmedian.solve_pmedian(instance, time_limit=60, workers=2, seed=0)
    assert result.status == "OPTIMAL"
    assert result.objective == 5819
    assert len(result.medians) == 5
