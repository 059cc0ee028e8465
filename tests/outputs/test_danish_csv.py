"""CSV files for Danish Excel (issue 18): a Danish round's participants.csv (and
whatif.csv) has `;` between the fields and decimal commas, an English
round's keeps `,` and decimal points; the readers that read participants.csv back take
both (replan's names of the published roster)."""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd

from camp_planner.io.errors import Collector
from camp_planner.io.tables import parse_float, read_csv_table
from camp_planner.models import PlanningProblem
from camp_planner.outputs.excel_safe import csv_text
from camp_planner.outputs.remedies_files import write_remedies_csv
from camp_planner.outputs.writers import write_participants_csv, write_roster_json
from camp_planner.replan.inputs import published_names
from tests.helpers.roster_fixture import make_problem, make_roster

#: A name with both separators in it: it must come back whole.
ODD = "Hansen; Jensen, Smed & Co."


def _problem(language: str) -> PlanningProblem:
    problem = make_problem()
    first = problem.companies[0].model_copy(update={"name": ODD})
    rnd = problem.round.model_copy(update={"language": language})
    return problem.model_copy(update={"round": rnd, "companies": (first, *problem.companies[1:])})


def _written(tmp_path: Path, language: str) -> tuple[PlanningProblem, Path]:
    problem = _problem(language)
    roster = make_roster(problem)
    write_roster_json(roster, tmp_path / "roster.json")
    return problem, write_participants_csv(problem, roster, tmp_path / "participants.csv")


def _sub(tmp_path: Path, name: str) -> Path:
    folder = tmp_path / name
    folder.mkdir()
    return folder


def _rows(path: Path, delimiter: str) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle, delimiter=delimiter))


def test_a_danish_rounds_participants_csv_is_for_danish_excel(tmp_path: Path) -> None:
    problem, path = _written(tmp_path, "da")
    text = path.read_text(encoding="utf-8-sig")
    header = text.splitlines()[0]
    assert header.startswith("company_id;name;town;level;") and "," not in header
    rows = _rows(path, ";")
    assert len(rows) == len(problem.companies)
    assert rows[0]["name"] == ODD
    km = [r["travel_km"] for r in rows if r["travel_km"]]
    assert km and all("," in k and "." not in k for k in km), km
    # the same numbers as an English round's file, with a comma for the point
    _, english = _written(_sub(tmp_path, "en"), "en")
    points = [r["travel_km"] for r in _rows(english, ",") if r["travel_km"]]
    assert [k.replace(",", ".") for k in km] == points
    # several dates in one field (Module 2) stay one field, quoted
    assert all(len(r) == len(rows[0]) and None not in r for r in rows)


def test_an_english_rounds_participants_csv_keeps_commas(tmp_path: Path) -> None:
    _, path = _written(tmp_path, "en")
    header = path.read_text(encoding="utf-8-sig").splitlines()[0]
    assert header.startswith("company_id,name,town,level,") and ";" not in header
    rows = _rows(path, ",")
    assert rows[0]["name"] == ODD
    assert all("." in r["travel_km"] for r in rows if r["travel_km"])


def test_replan_reads_a_danish_rounds_participants_csv_back(tmp_path: Path) -> None:
    problem, path = _written(tmp_path, "da")
    names = published_names(tmp_path / "roster.json")
    assert names == {c.company_id: c.name for c in problem.companies}
    out = Collector()
    table = read_csv_table(path, out)
    assert table is not None and not out.problems
    shown = {r["company_id"]: parse_float(r["travel_km"]) for r in table.rows if r["travel_km"]}
    english = pd.read_csv(
        _written(_sub(tmp_path, "en2"), "en")[1],
        dtype={"company_id": str},
    )
    expected = {
        row.company_id: row.travel_km for row in english.itertuples() if pd.notna(row.travel_km)
    }
    assert shown == expected


def test_csv_text_separators_by_language() -> None:
    frame = pd.DataFrame({"name": ["=1+1", "a;b"], "km": [12.5, 3.0]})
    assert csv_text(frame, "da") == 'name;km\n\'=1+1;12,5\n"a;b";3,0\n'
    assert csv_text(frame) == "name,km\n'=1+1,12.5\na;b,3.0\n"


def test_a_danish_rounds_remedies_csv_is_for_danish_excel(tmp_path: Path) -> None:
    """CONTRACT "Danish CSV files": remedies.csv of a Danish round has ';' and decimal
    commas; of an English round ',' and decimal points."""
    table = pd.DataFrame(
        {"remedy": ["online cohorts", "=cmd"], "placed": [12, 10], "travel_km": [812.25, 90.5]}
    )
    danish = write_remedies_csv(table, tmp_path / "da.csv", "da").read_text("utf-8-sig")
    english = write_remedies_csv(table, tmp_path / "en.csv").read_text("utf-8-sig")
    assert danish == "remedy;placed;travel_km\nonline cohorts;12;812,25\n'=cmd;10;90,5\n"
    assert english == "remedy,placed,travel_km\nonline cohorts,12,812.25\n'=cmd,10,90.5\n"
