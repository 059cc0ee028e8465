"""Every input problem the library reports has a Danish text in its catalog (the web app
shows it on its Danish pages), while its `expected` stays the English text the commands
and the JSON API show; and the solver's refusals (preflight) in Danish too.

Two checks: every place in camp_planner.io that makes a problem passes a text marked for
the catalog (``N_("...")`` or a :class:`~camp_planner.i18n.Message`), never a bare or
formatted string (the source, by its syntax tree); and the problems of many bad inputs,
one of every kind the readers know (tests/io/test_folder.py's and more), render in Danish
from translated catalog texts only.
"""

from __future__ import annotations

import ast
import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from babel.messages.pofile import read_po

import camp_planner
from camp_planner import i18n
from camp_planner.i18n import Message
from camp_planner.io.absent_file import read_absent
from camp_planner.io.errors import InputError, InputProblem
from camp_planner.io.programme_file import read_programme_rounds
from camp_planner.io.scorecards import read_scorecards
from camp_planner.models import PlanningProblem, VenueStatus
from camp_planner.replan.inputs import read_change_cost, read_pins
from camp_planner.scheduler.preflight import preflight
from tests.helpers.roster_fixture import make_problem, make_roster
from tests.io.test_folder import CASES, Folder, company, problems_of, round_key, venue

IO = Path(camp_planner.__file__).resolve().parent / "io"


@pytest.fixture(scope="module")
def translated() -> set[str]:
    """The msgids of the library's catalog that have a Danish translation."""
    with (i18n.CATALOGS / "da" / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        catalog = read_po(handle, locale="da")
    return {m.id for m in catalog if m.id and isinstance(m.id, str) and m.string}


def _msgids(message: Message) -> Iterator[str]:
    yield message.msgid
    for value in message.values.values():
        if isinstance(value, Message):
            yield from _msgids(value)


def check_danish(problems: list[InputProblem], translated: set[str]) -> None:
    """Each problem: English `expected` as the commands print it, Danish from the catalog."""
    assert problems
    for problem in problems:
        ids = list(_msgids(problem.message)) if problem.message else [problem.expected]
        untranslated = [text for text in ids if text not in translated]
        assert not untranslated, (problem, untranslated)
        assert problem.expected_in("en") == problem.expected
        danish = problem.expected_in("da")
        assert danish and danish != problem.expected, problem


# --- the source: no problem without a catalog text ---------------------------------------

#: Calls that make a problem, and the index of their `expected` argument.
_EXPECTED_ARG = {"problem": 4, "fail": 2, "InputProblem": 4, "Problem": 4, "of": 4, "_Bad": 0}


def _expected_args(tree: ast.AST) -> Iterator[tuple[int, ast.expr]]:
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
        if name not in _EXPECTED_ARG:
            continue
        index = _EXPECTED_ARG[name]
        arg = node.args[index] if len(node.args) > index else None
        arg = next((k.value for k in node.keywords if k.arg == "expected"), arg)
        if arg is not None:
            yield node.lineno, arg


def test_every_problem_in_io_is_made_with_a_catalog_text() -> None:
    """`expected` is ``N_("...")``, a ``Message(N_("..."), ...)`` or a name bound to one;
    an f-string, a bare string or a sum of strings would stay English on a Danish page."""
    bare = []
    checked = 0
    for path in sorted(IO.glob("*.py")):
        for line, arg in _expected_args(ast.parse(path.read_text(encoding="utf-8"))):
            checked += 1
            if isinstance(arg, ast.Constant | ast.JoinedStr | ast.BinOp):
                bare.append(f"{path.name}:{line}")
            if isinstance(arg, ast.Call) and getattr(arg.func, "id", None) == "Message":
                first = arg.args[0] if arg.args else None
                marked = isinstance(first, ast.Call) and getattr(first.func, "id", "") == "N_"
                if not (marked or isinstance(first, ast.Name | ast.Subscript | ast.Attribute)):
                    bare.append(f"{path.name}:{line}")
    assert checked > 50
    assert not bare, f"problem texts not marked for the catalog: {bare}"


# --- the planning folder -----------------------------------------------------------------


@pytest.mark.parametrize(("edit"), [case[1] for case in CASES], ids=[case[0] for case in CASES])
def test_every_folder_problem_of_test_folder_in_danish(
    tmp_path: Path, edit: Callable[[Folder], Any], translated: set[str]
) -> None:
    folder = Folder()
    edit(folder)
    check_danish(problems_of(folder.write(tmp_path)), translated)


def _no_column(name: str) -> Callable[[Folder], Any]:
    return lambda f: [r.pop(name) for r in f.companies + f.venues if name in r]


MORE: list[tuple[str, Callable[[Folder], Any]]] = [
    ("postcode unknown", company(1, town="9999 Aarhus")),
    ("postcode elsewhere", company(1, town="8000 Herning")),
    ("not a municipality", company(1, town="Hinnerup (Favrskv)")),
    ("not a municipality, no hint", company(1, town="Hinnerup (Xyzzy)")),
    ("not in the municipality", company(1, town="Hinnerup (Lemvig)")),
    ("unknown, no candidates", company(1, town="Qqqqxz")),
    ("two-digit year", company(0, founded="03-04-05")),
    (
        "after the start",
        lambda f: (
            f.round.update(start="2020-01-06", end="2020-03-27"),
            company(0, founded="2021-01-01")(f),
        ),
    ),
    ("two statuses", venue(0, status="candidate;closed")),
    ("lat column only", _no_column("lon")),
    ("no level column", _no_column("level")),
    ("name empty", round_key("name", '""')),
    ("language", round_key("language", '"fr"')),
    ("mix_levels", round_key("mix_levels", '["A+A"]')),
    ("mix_age_groups", round_key("mix_age_groups", '["D"]')),
    ("level_priority", round_key("level_priority", "{A = -1}")),
    ("online_cohorts", round_key("online_cohorts", '"yes"')),
    ("online_cohort_min", round_key("online_cohort_min", "12")),
    ("facilitators", round_key("facilitators", "0")),
    ("facilitator_unavailable", round_key("facilitator_unavailable", '["soon"]')),
    ("max_travel_km", round_key("max_travel_km", "-5")),
    ("syntax of start", round_key("start", "04-01-2027")),
    ("syntax of a number", round_key("cohort_min", "eight")),
    ("syntax of an unknown key", round_key("colour", "blue")),
    ("syntax, no key", lambda f: setattr(f, "round_text", "[[[\n")),
    ("no round.toml key", round_key("end", None)),
]


@pytest.mark.parametrize("edit", [case[1] for case in MORE], ids=[case[0] for case in MORE])
def test_more_folder_problems_in_danish(
    tmp_path: Path, edit: Callable[[Folder], Any], translated: set[str]
) -> None:
    folder = Folder()
    edit(folder)
    check_danish(problems_of(folder.write(tmp_path)), translated)


def _sheets(path: Path, sheets: dict[str, list[dict[str, str]]]) -> None:
    with pd.ExcelWriter(path) as writer:
        for name, rows in sheets.items():
            pd.DataFrame(rows).to_excel(writer, sheet_name=name, index=False)


FILES: list[tuple[str, Callable[[Path], Any]]] = [
    ("empty csv", lambda p: (p / "companies.csv").write_bytes(b"")),
    ("pdf", lambda p: (p / "venues.csv").write_bytes(b"%PDF-1.4 ...")),
    ("xlsx as csv", lambda p: (p / "venues.csv").write_bytes(b"PK\x03\x04rest")),
    ("xls as csv", lambda p: (p / "venues.csv").write_bytes(b"\xd0\xcf\x11\xe0rest")),
    ("binary", lambda p: (p / "venues.csv").write_bytes(b"\x00\x00\x01\x02" * 8)),
    ("no round.toml", lambda p: (p / "round.toml").unlink()),
    ("no companies", lambda p: (p / "companies.csv").unlink()),
    ("header only", lambda p: (p / "venues.csv").write_text("venue_id,name,town\n")),
]


@pytest.mark.parametrize("damage", [case[1] for case in FILES], ids=[case[0] for case in FILES])
def test_file_problems_in_danish(
    tmp_path: Path, damage: Callable[[Path], Any], translated: set[str]
) -> None:
    path = Folder().write(tmp_path)
    damage(path)
    check_danish(problems_of(path), translated)


def test_workbook_problems_in_danish(tmp_path: Path, translated: set[str]) -> None:
    folder = Folder()
    path = folder.write(tmp_path / "plain")
    for name in ("companies.csv", "venues.csv"):
        (path / name).unlink()
    (path / "plan.xlsx").write_bytes(b"not a zip")
    check_danish(problems_of(path), translated)
    (path / "plan.xlsx").write_bytes(b"\xd0\xcf\x11\xe0 an old one")
    check_danish(problems_of(path), translated)
    (path / "plan.xlsx").write_bytes(b"PK\x03\x04 a broken zip")
    check_danish(problems_of(path), translated)
    # no sheet tells the venues, two sheets could be the companies
    _sheets(path / "plan.xlsx", {"Ark1": folder.companies, "Ark2": folder.companies})
    problems = problems_of(path)
    assert [p.expected.split(";")[0] for p in problems] == [
        "a sheet named 'companies' (or 'virksomheder')",
        "a sheet named 'venues' (or 'steder')",
    ]
    check_danish(problems, translated)


def test_no_folder_in_danish(translated: set[str]) -> None:
    check_danish(problems_of(Path("/nonexistent/planning")), translated)


# --- the other readers -------------------------------------------------------------------


def _raised(call: Callable[[], Any]) -> list[InputProblem]:
    with pytest.raises(InputError) as info:
        call()
    return info.value.problems


def test_scorecard_problems_in_danish(tmp_path: Path, translated: set[str]) -> None:
    check_danish(_raised(lambda: read_scorecards(tmp_path / "none.csv")), translated)
    (tmp_path / "cols.csv").write_text("company_id,ambition,ambition\n1,A,A\n")
    check_danish(_raised(lambda: read_scorecards(tmp_path / "cols.csv")), translated)
    keys = "ambition,scalability,organisation,market,financing,technology,role_model"
    rows = [
        f"company_id,{keys},young,export_share,growth_pct",
        "1,A,A,A,A,A,A,X,maybe,2,fast",
        "1,A,A,A,A,A,A,A,,,",
        ",A,A,A,A,A,A,A,,,",
    ]
    (tmp_path / "cards.csv").write_text("\n".join(rows) + "\n")
    problems = _raised(lambda: read_scorecards(tmp_path / "cards.csv"))
    assert len(problems) == 6
    check_danish(problems, translated)
    (tmp_path / "empty.csv").write_bytes(b"")
    check_danish(_raised(lambda: read_scorecards(tmp_path / "empty.csv")), translated)


def test_programme_problems_in_danish(tmp_path: Path, translated: set[str]) -> None:
    path = Folder().write(tmp_path)
    check_danish(_raised(lambda: read_programme_rounds(path)), translated)
    (path / "programme.toml").write_text("round = 3\n")
    check_danish(_raised(lambda: read_programme_rounds(path)), translated)
    (path / "programme.toml").write_text("[[round]]\nstart = 2027-01-04x\n")
    check_danish(_raised(lambda: read_programme_rounds(path)), translated)
    rounds = (
        '[[round]]\nname = "R"\nstart = 2027-01-04\nend = 2027-03-26\n'
        '[[round]]\nname = "R"\nstart = 2027-03-01\nend = 2027-05-28\ncohort_min = 0\n'
        '[[round]]\nname = "S"\nstart = 2027-03-01\nend = 2027-05-28\n'
    )
    (path / "programme.toml").write_text(rounds)
    problems = _raised(lambda: read_programme_rounds(path))
    assert {p.column for p in problems} == {"cohort_min", "name", "start"}
    check_danish(problems, translated)


def test_replan_and_next_round_problems_in_danish(tmp_path: Path, translated: set[str]) -> None:
    (tmp_path / "round.toml").write_text('name = "T"\n[change_cost]\nmoved = -1\nvenu = 3\n')
    check_danish(_raised(lambda: read_change_cost(tmp_path)), translated)
    (tmp_path / "round.toml").write_text('name = "T"\nchange_cost = 3\n')
    check_danish(_raised(lambda: read_change_cost(tmp_path)), translated)
    (tmp_path / "round.toml").write_text("name = \n")
    check_danish(_raised(lambda: read_change_cost(tmp_path)), translated)
    roster = make_roster(make_problem())
    (tmp_path / "pins.csv").write_text("cohort_id,field\nC99,venue\nC01,room\n")
    check_danish(_raised(lambda: read_pins(tmp_path / "pins.csv", roster)), translated)
    (tmp_path / "cols.csv").write_text("cohort\nC01\n")
    check_danish(_raised(lambda: read_pins(tmp_path / "cols.csv", roster)), translated)
    (tmp_path / "absent.csv").write_text("id\n1\n")
    check_danish(_raised(lambda: read_absent(tmp_path / "absent.csv")), translated)


def test_english_problem_json_is_unchanged() -> None:
    """The record's English fields are what the commands and the API print: the message
    is extra (not compared, not shown)."""
    problem = InputProblem.of("a.csv", 2, "x", "y", Message(i18n.N_("a %(column)s (required)"),
                                                               column="x"))  # fmt: skip
    assert problem == InputProblem("a.csv", 2, "x", "y", "a x (required)")
    assert problem.expected_in("da") == "en værdi i x (skal udfyldes)"
    assert json.dumps(problem.expected) == '"a x (required)"'
    assert "message" not in repr(problem)


# --- the solver's refusals ---------------------------------------------------------------


def _with(problem: PlanningProblem, **round_values: Any) -> PlanningProblem:
    return problem.model_copy(update={"round": problem.round.model_copy(update=round_values)})


def _venues(problem: PlanningProblem, **values: Any) -> PlanningProblem:
    venues = tuple(v.model_copy(update=values) for v in problem.venues)
    return problem.model_copy(update={"venues": venues})


def test_refusals_in_danish_and_english() -> None:
    base = make_problem()
    assert preflight(base) == [] and preflight(base, "da") == []
    cases = {
        "closed": (
            _venues(base, status=VenueStatus.CLOSED),
            "Every venue is closed",
            "Alle mødesteder er lukket",
        ),
        "far": (
            _with(base, max_travel_km=0.5),
            "farther than max_travel_km = 0.5 km",
            "længere end max_travel_km = 0,5 km",
        ),
        "short": (
            _with(base, end=base.round.start),
            "is too short for even one cohort",
            "er for kort til blot ét hold",
        ),
        "required": (
            _with(_venues(base, status=VenueStatus.REQUIRED), max_venues=1),
            "venues are required",
            "mødesteder er påkrævet",
        ),
        "unusable": (
            _venues(base, status=VenueStatus.REQUIRED, max_cohorts=0),
            "its max_cohorts is 0",
            "dets max_cohorts er 0",
        ),
    }
    for name, (problem, english, danish) in cases.items():
        refused_en, refused_da = preflight(problem), preflight(problem, "da")
        assert refused_en and len(refused_en) == len(refused_da), name
        assert english in refused_en[0], (name, refused_en)
        assert danish in refused_da[0], (name, refused_da)
        for text in refused_da:
            words = re.sub(r"\S*[_.`]\S*", "", text)  # keys and files: max_venues, venues.csv
            for english in ("venue", "cohort", "company", "Module", "Raise", " the "):
                assert english not in words, (name, english, text)
    short = preflight(cases["short"][0], "da")[0]
    assert "4. januar 2027" in short and "tovholderen er til rådighed" in short


def test_unusable_venue_groups_in_danish() -> None:
    # every group large enough takes Module 1 and lives far away from the required venue
    base = make_problem()
    far = base.venues[0].model_copy(update={"status": VenueStatus.REQUIRED, "lat": 57.7,
                                            "lon": 10.5, "venue_id": "skagen"})  # fmt: skip
    problem = _with(base.model_copy(update={"venues": (*base.venues, far)}), max_travel_km=60)
    refused = preflight(problem, "da")
    assert any("Mødested skagen" in r and "Modul 1" in r for r in refused), refused
    assert any("Venue skagen" in r for r in preflight(problem)), preflight(problem)
