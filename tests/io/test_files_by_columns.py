"""Files as Danes name them (issue 18): a CSV of any name is known by its columns, in the
planning folder reader and in the web upload, with one vocabulary (io/columns.py)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from camp_planner.demo.generator import write_demo_folder
from camp_planner.io.columns import header_columns, table_kind
from camp_planner.io.folder import load_folder, load_folder_with_messages
from camp_planner.web.uploads import Upload, assign_files

DANISH = {"company_id": "CVR-nummer", "name": "Virksomhedsnavn", "town": "By",
          "founded": "Stiftet", "level": "Niveau", "participants": "Deltagere"}  # fmt: skip


def _danish_cp1252(companies: Path) -> bytes:
    """The demo's companies as Danish Excel saves them: Danish headers, `;`, Windows-1252."""
    rows = list(csv.DictReader(companies.open(encoding="utf-8")))
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([DANISH.get(c, c) for c in rows[0]])
    writer.writerows([list(r.values()) for r in rows])
    return buffer.getvalue().encode("cp1252")


def test_the_columns_tell_companies_from_venues() -> None:
    assert table_kind(header_columns("CVR;Virksomhedsnavn;By\r\n".encode("cp1252"))) == (
        "companies"
    )
    assert table_kind(header_columns(b"sted_id,navn,by,overnatning\n")) == "venues"
    assert table_kind(header_columns(b"navn;by\n")) is None  # both tables have these
    assert header_columns("Tilgængelig fra;Vækstniveau".encode("cp1252")) == [
        "tilgængelig_fra", "vækstniveau",
    ]  # fmt: skip
    assert header_columns("navn\tby".encode("utf-16")) == ["navn", "by"]


def test_a_companies_csv_of_any_name_in_the_folder(tmp_path: Path) -> None:
    demo = write_demo_folder(tmp_path / "demo")
    expected = load_folder(demo)
    data = _danish_cp1252(demo / "companies.csv")
    (demo / "companies.csv").unlink()
    (demo / "Tilmeldinger forår.csv").write_bytes(data)
    problem, notes = load_folder_with_messages(demo)
    assert [c.company_id for c in problem.companies] == [c.company_id for c in expected.companies]
    assert any("Tilmeldinger forår.csv is read as the companies" in str(n) for n in notes)
    assert any("læses som virksomheder" in n.render("da") for n in notes)


def test_the_upload_knows_the_file_by_its_columns(tmp_path: Path) -> None:
    demo = write_demo_folder(tmp_path / "demo")
    data = _danish_cp1252(demo / "companies.csv")
    venues = (demo / "venues.csv").read_bytes()
    assigned = assign_files(
        [
            Upload("files", "Tilmeldinger forår.csv", data),
            Upload("files", "steder 2027.csv", venues),
            Upload("files", "runde.toml", (demo / "round.toml").read_bytes()),
        ]
    )
    assert not assigned.problems
    assert assigned.files["companies.csv"] == data
    assert assigned.files["venues.csv"] == venues
