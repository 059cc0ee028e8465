"""POST /api/score and the Score page (/score): a scorecards file to the levels, on the
same library as ``camp-planner score`` (docs/web.md, "Score")."""

from __future__ import annotations

import base64
import html
import io
import re
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from openpyxl import Workbook
from typer.testing import CliRunner

from camp_planner.cli import app as cli_app
from camp_planner.io.scorecards import read_scorecards
from camp_planner.scoring import score
from tests.web.test_language import english_words

HEADER = "company_id,name,ambition,scalability,organisation,market,financing,technology,role_model"
ROWS = (
    "00123456,Alfa,A,A,A,A,A,A,A",
    "00234567,Beta,A,B,A,B,B,B,",
    "3,Gamma,C,c, C ,,,,",
    "4,Delta,,,,,,,",
)
#: English scorecards, as the command's tests have them (one A waiting for the panel).
ENGLISH_CSV = ("\n".join([HEADER, *ROWS]) + "\n").encode("utf-8")
#: The same cards as Danish Excel saves them: ';', a decimal comma, Windows-1252, and
#: figures for the ambition (growth 12,5 % within 1,5 years is A).
DANISH_CSV = (
    "Company ID;Navn;ambition;scalability;organisation;market;financing;technology;role_model;"
    "growth_pct;growth_horizon_years;export_share;panel_approved\r\n"
    "00123456;Ålborg Æbler;;A;A;A;A;A;A;12,5;1,5;0,3;ja\r\n"
    "00234567;Beta;A;B;A;B;B;B;;;;0,1;\r\n"
    "4;Delta;;;;;;;;;;;\r\n"
).encode("cp1252")
#: Four mistakes: a level D, an export share above 1, a repeated id and an empty id.
BAD_CSV = (
    b"Company ID;ambition;scalability;organisation;market;financing;technology;role_model;"
    b"export_share\n"
    b"1;D;A;A;A;A;A;A;\n"
    b"2;A;A;A;A;A;A;A;30\n"
    b"1;A;A;A;A;A;A;A;\n"
    b";A;A;A;A;A;A;A;\n"
)


def _library_levels(tmp_path: Path, name: str, data: bytes) -> list[dict[str, Any]]:
    """What the library says of the file: its reader, then score()."""
    path = tmp_path / name
    path.write_bytes(data)
    cards, _ = read_scorecards(path)
    results = [score(card) for card in cards]
    return [
        {"company_id": r.company_id, "level": r.level_text, "explanation": r.explanation}
        for r in results
    ]


def _command_levels(tmp_path: Path, name: str, data: bytes) -> bytes:
    """levels.csv as ``camp-planner score`` writes it for the same file."""
    path = tmp_path / "cli" / name
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(data)
    out = tmp_path / "cli" / "levels.csv"
    result = CliRunner().invoke(cli_app, ["score", str(path), "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out.read_bytes()


def _workbook(data: bytes) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "scorecards"
    for line in data.decode("utf-8").splitlines():
        sheet.append(line.split(","))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("scorecards.csv", ENGLISH_CSV),
        ("Scorekort forår.csv", DANISH_CSV),
        ("scorecards.xlsx", _workbook(ENGLISH_CSV)),
    ],
)
def test_api_levels_are_the_librarys(
    client: TestClient, tmp_path: Path, name: str, data: bytes
) -> None:
    answer = client.post("/api/score", files={"file": (name, data, "application/octet-stream")})
    assert answer.status_code == 200, answer.text
    body = answer.json()
    wanted = _library_levels(tmp_path, name, data)
    got = [{k: c[k] for k in ("company_id", "level", "explanation")} for c in body["companies"]]
    assert got == wanted
    assert sum(body["counts"].values()) == len(wanted)
    for level in ("A", "B", "C", "below_C"):
        assert body["counts"][level] == sum(w["level"] == level for w in wanted)
    command = _command_levels(tmp_path, name, data)
    assert body["levels_csv"].encode("utf-8") == command
    csv_answer = client.post(
        "/api/score/levels.csv", files={"file": (name, data, "application/octet-stream")}
    )
    assert csv_answer.status_code == 200
    assert csv_answer.content == command
    assert not list((tmp_path / "data" / "tmp").iterdir())  # nothing of the file kept


def test_danish_file_columns_and_figures(client: TestClient) -> None:
    answer = client.post("/api/score", files={"file": ("s.csv", DANISH_CSV, "text/csv")})
    body = answer.json()
    assert [c["level"] for c in body["companies"]] == ["A", "B", "below_C"]
    assert body["ignored_columns"] == ["Navn"]  # as the file's header names it
    assert body["pending_panel"] == 0  # panel_approved "ja"


def test_api_bad_file_every_problem(client: TestClient) -> None:
    answer = client.post("/api/score", files={"file": ("Scorekort.csv", BAD_CSV, "text/csv")})
    assert answer.status_code == 422
    problems = answer.json()["problems"]
    where = {(p["file"], p["row"], p["column"], p["value"]) for p in problems}
    assert where == {
        ("Scorekort.csv", 2, "ambition", "D"),
        ("Scorekort.csv", 3, "export_share", "30"),
        ("Scorekort.csv", 4, "Company ID", "1"),
        ("Scorekort.csv", 5, "Company ID", ""),
    }
    assert all("/" not in p["file"] for p in problems)


def test_api_missing_columns_named_as_the_file_names_them(client: TestClient) -> None:
    data = b"Company ID,ambition\n1,A\n"
    answer = client.post("/api/score", files={"file": ("x.csv", data, "text/csv")})
    assert answer.status_code == 422
    missing = {p["column"] for p in answer.json()["problems"]}
    assert missing == {
        "scalability", "organisation", "market", "financing", "technology", "role_model",
    }  # fmt: skip


@pytest.mark.parametrize(
    ("files", "count"),
    [
        ({}, 1),
        ({"file": ("a.csv", ENGLISH_CSV, "text/csv"), "other": ("b.csv", ENGLISH_CSV, "")}, 2),
        ({"file": ("plan.xlsx", b"not a zip", "application/octet-stream")}, 1),
        ({"file": ("empty.csv", b"", "text/csv")}, 1),
        ({"file": ("s.csv", b"PK\x03\x04 a zip", "text/csv")}, 1),
    ],
)
def test_api_refuses_what_is_not_one_scorecards_file(
    client: TestClient, files: dict[str, Any], count: int
) -> None:
    answer = client.post("/api/score", files=files, data={"x": "1"})
    assert answer.status_code == 422, answer.text
    assert len(answer.json()["problems"]) == count


def test_api_refuses_too_large(make_client: Any) -> None:
    client = make_client(upload_limit=1000)
    big = ENGLISH_CSV + b"5,Eps,A,A,A,A,A,A,A\n" * 100
    answer = client.post("/api/score", files={"file": ("s.csv", big, "text/csv")})
    assert answer.status_code == 413


def test_api_wants_multipart(client: TestClient) -> None:
    answer = client.post("/api/score", json={"file": "x"})
    assert answer.status_code == 422
    assert answer.json()["problems"][0]["file"] == "(request)"


def _csrf(client: TestClient) -> str:
    page = client.get("/score?lang=da")
    assert page.status_code == 200
    found = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert found
    return found.group(1)


def _visible(page: str) -> str:
    main = re.split(r"<main[^>]*>", page)[1].split("</main>")[0]
    return html.unescape(re.sub(r"<[^>]+>", " ", main))


def test_page_in_danish_without_english(client: TestClient, tmp_path: Path) -> None:
    token = _csrf(client)
    answer = client.post(
        "/score?lang=da",
        data={"csrf_token": token},
        files={"file": ("scorecards.csv", ENGLISH_CSV, "text/csv")},
    )
    assert answer.status_code == 200
    text = _visible(answer.text)
    assert english_words(text.replace("levels.csv", " ")) == []
    assert "B: opfylder B (score 90 %). Mangler for A (score 50 %)" in text
    assert "under C: opfylder intet niveau (score C 10 %)" in text
    assert "Trænes med C-virksomhederne" in text
    # the download is the command's levels.csv, byte for byte (English explanations)
    found = re.search(r'href="data:text/csv;charset=utf-8;base64,([^"]+)"', answer.text)
    assert found
    assert base64.b64decode(found.group(1)) == _command_levels(
        tmp_path, "scorecards.csv", ENGLISH_CSV
    )
    header = answer.text.split("<main")[0]
    assert 'href="/score"' in header
    assert 'href="/score"' in client.get("/?lang=da").text.split("<main")[1]


def test_page_problems_in_danish(client: TestClient) -> None:
    token = _csrf(client)
    answer = client.post(
        "/score?lang=da",
        data={"csrf_token": token},
        files={"file": ("Scorekort.csv", BAD_CSV, "text/csv")},
    )
    assert answer.status_code == 422
    text = _visible(answer.text)
    assert "Filen har 4 problemer" in text
    assert "Scorekort.csv" in text and "Company ID" in text
    assert english_words(text.replace("Company ID", " ")) == []  # the file's own column
    assert "Traceback" not in answer.text


def test_page_form_needs_its_csrf_token(client: TestClient) -> None:
    answer = client.post("/score", files={"file": ("scorecards.csv", ENGLISH_CSV, "text/csv")})
    assert answer.status_code == 403


def test_nothing_of_the_file_in_the_log(
    client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level("DEBUG")
    for data in (DANISH_CSV, BAD_CSV):
        client.post("/api/score", files={"file": ("Scorekort forår.csv", data, "text/csv")})
    logged = "\n".join(
        r.getMessage() for r in caplog.records if r.name.startswith(("camp_planner", "uvicorn"))
    )
    assert "/api/score" in logged  # the access log's line
    for secret in ("00123456", "Ålborg", "Æbler", "Scorekort", "export_share"):
        assert secret not in logged


def test_page_in_english_shows_the_librarys_explanations(
    client: TestClient, tmp_path: Path
) -> None:
    client.get("/score?lang=en")
    token = _csrf(client)
    answer = client.post(
        "/score?lang=en",
        data={"csrf_token": token},
        files={"file": ("scorecards.csv", ENGLISH_CSV, "text/csv")},
    )
    assert answer.status_code == 200
    text = _visible(answer.text)
    for wanted in _library_levels(tmp_path, "scorecards.csv", ENGLISH_CSV):
        assert wanted["explanation"] in text
    assert "1 A level is a recommendation until the growth panel approves it." in " ".join(
        text.split()
    )
