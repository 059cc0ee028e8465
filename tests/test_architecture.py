"""The house's rules, checked on the source itself.

Layers, lowest first (a module may import its own package and the layers below it):

- ``models``: the data model; imports nothing of the project;
- ``i18n``, ``scoring`` (the shared scorecard, used on its own by consultants) and
  ``places`` (towns, postcodes, distances): import ``models`` (and ``i18n``) only;
- ``io``: the readers; imports ``models``, ``places``, ``scoring`` and ``i18n`` only, never a
  feature nor ``outputs``;
- the features (``scheduler``, ``whatif``, ``programme``, ``replan``, ``remedies``);
- ``outputs`` (the files the features write) and ``demo``;
- ``cli`` and ``web`` on top.

And the size rules: no source file over 500 lines, no function over 80 lines, but for the
allow-list below, each entry with its reason.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "camp_planner"

#: What each low layer may import of the project (besides itself).
ALLOWED = {
    "models": set(),
    "i18n": {"models"},
    "scoring": {"models", "i18n"},
    "places": {"models", "i18n"},
    "io": {"models", "places", "scoring", "i18n"},
    "engine": {"models"},
}
FEATURES = {"scheduler", "whatif", "programme", "replan", "remedies"}
#: Layers a feature must not import (they sit above the features).
ABOVE_FEATURES = {"outputs", "demo", "cli", "web"}

MAX_FILE_LINES = 500
MAX_FUNCTION_LINES = 80

#: Files allowed over MAX_FILE_LINES: path relative to src/camp_planner -> reason.
LONG_FILES: dict[str, str] = {
    "outputs/writers.py": "roster.json/xlsx/csv writers; being split with the streaming "
    "workbook (issue 19 item 4)",
}
#: Functions allowed over MAX_FUNCTION_LINES: "path:function" -> reason.
LONG_FUNCTIONS: dict[str, str] = {
    "scheduler/dates.py:_date": "one CP-SAT dating model built in one place",
    "scheduler/prepare.py:prepare": "the solver's prepared data in one pass",
    "cli/next_round.py:run_next_round": "a typer command: its options are its signature",
    "cli/programme.py:run_programme": "a typer command: its options are its signature",
    "cli/remedies.py:run_remedies_command": "a typer command: its options are its signature",
    "cli/roster.py:run_roster": "a typer command: its options are its signature",
    "cli/whatif.py:run_whatif": "a typer command: its options are its signature",
}


def _modules() -> list[Path]:
    return sorted(SRC.rglob("*.py"))


def _layer(path: Path) -> str:
    parts = path.relative_to(SRC).parts
    return parts[0].removesuffix(".py") if parts else ""


def _imports(path: Path) -> set[str]:
    """The project's top-level packages the module imports (absolute or relative)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    here = path.relative_to(SRC).with_suffix("").parts
    package = here if path.name == "__init__.py" else here[:-1]
    found: set[str] = set()
    for node in ast.walk(tree):
        names: list[str] = []
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = list(package[: len(package) - node.level + 1])
                target = [*base, *(node.module or "").split(".")]
                names = [".".join(["camp_planner", *[t for t in target if t]])]
                if not node.module:
                    names = [f"{names[0]}.{a.name}" for a in node.names]
            else:
                names = [node.module or ""]
                if node.module == "camp_planner":
                    names = [f"camp_planner.{a.name}" for a in node.names]
        elif isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        for name in names:
            parts = name.split(".")
            if parts[0] == "camp_planner" and len(parts) > 1:
                found.add(parts[1])
    return found


def test_the_layer_checker_sees_relative_and_lazy_imports(tmp_path: Path) -> None:
    """The import reader finds imports inside functions and relative ones (so the layer
    tests below can fail)."""
    assert "scoring" in _imports(SRC / "io" / "rows.py")  # inside a function
    assert "places" in _imports(SRC / "io" / "_cells.py")
    assert "outputs" in _imports(SRC / "cli" / "roster.py")


@pytest.mark.parametrize("layer", sorted(ALLOWED))
def test_low_layers_import_only_what_is_below_them(layer: str) -> None:
    wrong = {}
    for path in _modules():
        if _layer(path) != layer:
            continue
        outside = _imports(path) - ALLOWED[layer] - {layer}
        if outside:
            wrong[str(path.relative_to(SRC))] = sorted(outside)
    assert not wrong, f"{layer} imports beyond {sorted(ALLOWED[layer])}: {wrong}"


def test_features_do_not_import_the_layers_above_them() -> None:
    wrong = {}
    for path in _modules():
        if _layer(path) in FEATURES:
            above = _imports(path) & ABOVE_FEATURES
            if above:
                wrong[str(path.relative_to(SRC))] = sorted(above)
    assert not wrong, f"features import outputs, demo, cli or web: {wrong}"


def test_no_source_file_is_over_the_limit() -> None:
    long = {}
    for path in _modules():
        name = str(path.relative_to(SRC))
        lines = path.read_text(encoding="utf-8").count("\n")
        if lines > MAX_FILE_LINES and name not in LONG_FILES:
            long[name] = lines
    assert not long, f"files over {MAX_FILE_LINES} lines: {long}"


def test_no_function_is_over_the_limit() -> None:
    long = {}
    for path in _modules():
        name = str(path.relative_to(SRC))
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                lines = (node.end_lineno or node.lineno) - node.lineno + 1
                key = f"{name}:{node.name}"
                if lines > MAX_FUNCTION_LINES and key not in LONG_FUNCTIONS:
                    long[key] = lines
    assert not long, f"functions over {MAX_FUNCTION_LINES} lines: {long}"


def test_the_allow_lists_name_only_what_still_needs_them() -> None:
    """An entry whose file or function is back within the limit is removed."""
    stale = []
    for name in LONG_FILES:
        path = SRC / name
        if not path.is_file() or path.read_text(encoding="utf-8").count("\n") <= MAX_FILE_LINES:
            stale.append(name)
    for key in LONG_FUNCTIONS:
        name, function = key.split(":")
        path = SRC / name
        sizes = []
        if path.is_file():
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                is_function = isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
                if is_function and node.name == function:  # type: ignore[union-attr]
                    sizes.append((node.end_lineno or node.lineno) - node.lineno + 1)
        if not sizes or max(sizes) <= MAX_FUNCTION_LINES:
            stale.append(key)
    assert not stale, f"allow-list entries no longer needed: {stale}"
