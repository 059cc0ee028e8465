"""The year in the browser, part 1 and 2 (issue 17): a plan from the companies and venues
with the settings as a form, settings as new versions, versions and their rosters, renaming;
pages and JSON calls, bad input and unknown ids."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from camp_planner.io.folder import load_folder
from tests.web.conftest import upload, wait_for, workbook_from_csv
from tests.web.test_pages import token
from tests.web.test_problems_language import english_in, problem_rows

UNKNOWN = "0123456789abcdef"


def _tables(files: dict[str, bytes]) -> dict[str, bytes]:
    return {n: files[n] for n in ("companies.csv", "venues.csv")}


def _settings_form(**changes: str) -> dict[str, str]:
    form = {"name": "Forår 2027", "start": "2027-02-01", "end": "2027-04-30"}
    form.update(changes)
    return form


def test_new_plan_from_tables_and_form(client: TestClient, demo_files: dict[str, bytes]) -> None:
    page = client.get("/plans/new").text
    assert 'type="date"' in page and "Første mulige dag" in page  # Danish labels, pickers
    assert 'name="cohort_min"' in page and 'value="8"' in page  # the documented default
    parts: list[Any] = [("csrf_token", (None, token(client, "/plans/new")))]
    parts += [(k, (None, v)) for k, v in _settings_form(cohort_max="12").items()]
    parts += [("files", (n, d, "text/csv")) for n, d in _tables(demo_files).items()]
    answer = client.post("/plans/new", files=parts, follow_redirects=False)
    assert answer.status_code == 303, answer.text
    plan_id = answer.headers["location"].rsplit("/", 1)[1]
    settings = client.get(f"/api/plans/{plan_id}/settings").json()
    assert settings["version"] == 1
    assert settings["settings"]["name"] == "Forår 2027"
    assert settings["settings"]["cohort_max"] == 12 and settings["settings"]["cohort_min"] == 8
    assert settings["written"] == ["cohort_max", "end", "name", "start"]
    toml = client.get(f"/plans/{plan_id}/versions/1/round.toml")
    assert toml.status_code == 200
    assert tomllib.loads(toml.text)["start"].isoformat() == "2027-02-01"


def test_new_plan_from_a_workbook(client: TestClient, demo_files: dict[str, bytes]) -> None:
    book = workbook_from_csv(demo_files["companies.csv"], demo_files["venues.csv"])
    parts: list[Any] = [("csrf_token", (None, token(client, "/plans/new")))]
    parts += [(k, (None, v)) for k, v in _settings_form().items()]
    parts.append(("files", ("Tilmeldinger.xlsx", book, "application/octet-stream")))
    answer = client.post("/plans/new", files=parts, follow_redirects=False)
    assert answer.status_code == 303, answer.text


def test_new_plan_form_lists_every_problem(
    client: TestClient, demo_files: dict[str, bytes]
) -> None:
    parts: list[Any] = [("csrf_token", (None, token(client, "/plans/new")))]
    bad = _settings_form(end="2027-01-01", cohort_min="abc", name="")
    parts += [(k, (None, v)) for k, v in bad.items()]
    parts += [("files", (n, d, "text/csv")) for n, d in _tables(demo_files).items()]
    answer = client.post("/plans/new", files=parts)
    assert answer.status_code == 422
    page = answer.text
    # each field named as the form names it (Danish, the default language), not its key
    for label in ("Rundens navn", "Sidste mulige dag", "Deltagere pr. hold, mindst"):
        assert f"<td>{label}</td>" in page, label
    assert "<td>cohort_min</td>" not in page
    assert "abc" in page  # the refused form shows what was typed
    assert not list((Path(client.app.state.store.root) / "plans").iterdir())


def test_settings_make_a_new_version(client: TestClient, small_files: dict[str, bytes]) -> None:
    plan_id = upload(client, small_files)
    before = client.get(f"/api/plans/{plan_id}/settings").json()
    good = token(client, f"/plans/{plan_id}/settings")
    form = {"csrf_token": good, **_settings_form(), "max_venues": "3", "online_cohorts": "true"}
    form["name"], form["start"], form["end"] = (
        "Ny runde",
        before["settings"]["start"],
        before["settings"]["end"],
    )
    answer = client.post(f"/plans/{plan_id}/settings", data=form, follow_redirects=False)
    assert answer.status_code == 303, answer.text
    after = client.get(f"/api/plans/{plan_id}/settings").json()
    assert after["version"] == 2
    assert after["settings"]["max_venues"] == 3 and after["settings"]["online_cohorts"] is True
    assert client.get(f"/api/plans/{plan_id}").json()["round"] == "Ny runde"
    listed = client.get(f"/api/plans/{plan_id}/versions").json()["versions"]
    assert [(v["version"], v["made_by"]) for v in listed] == [(1, "upload"), (2, "settings")]
    first = tomllib.loads(client.get(f"/api/plans/{plan_id}/versions/1/round.toml").text)
    second = tomllib.loads(client.get(f"/api/plans/{plan_id}/versions/2/round.toml").text)
    assert first == tomllib.loads(small_files["round.toml"].decode())  # kept as uploaded
    assert second["max_venues"] == 3 and second["name"] == "Ny runde"
    # the version's files read as a planning folder on their own (the command line's)
    store_root = Path(client.app.state.store.root)
    problem = load_folder(store_root / "versions" / plan_id / "2")
    assert problem.round.max_venues == 3
    page = client.get(f"/plans/{plan_id}/versions").text
    assert 'id="version-2"' in page and 'id="version-1"' in page


def test_settings_problems_keep_the_version(
    client: TestClient, small_files: dict[str, bytes]
) -> None:
    plan_id = upload(client, small_files)
    good = token(client, f"/plans/{plan_id}/settings")
    form = {"csrf_token": good, **_settings_form(cohort_min="12", cohort_max="4")}
    form["session_start"] = "09:00"
    answer = client.post(f"/plans/{plan_id}/settings", data=form)
    assert answer.status_code == 422
    assert "<td>Deltagere pr. hold, højst</td>" in answer.text
    assert "<td>Samlingerne slutter kl.</td>" in answer.text
    assert client.get(f"/api/plans/{plan_id}/settings").json()["version"] == 1


def test_settings_problems_name_the_fields_by_their_labels(
    client: TestClient, small_files: dict[str, bytes]
) -> None:
    """A bad value on the settings form: the problem table names the field by the form's
    label in the page's language, never by its round.toml key; the API keeps the key."""
    plan_id = upload(client, small_files)
    bad = {"cohort_max": "ti", "facilitator_unavailable": "31-02-2027", "road_factor": "x"}
    danish = {"cohort_max": "Deltagere pr. hold, højst",
              "facilitator_unavailable": "Dage facilitatoren ikke kan",
              "road_factor": "Vejfaktor"}  # fmt: skip
    english = {"cohort_max": "People per cohort, at most",
               "facilitator_unavailable": "Days the facilitator cannot",
               "road_factor": "Road factor"}  # fmt: skip
    for lang, labels in (("da", danish), ("en", english)):
        form = {"csrf_token": token(client, f"/plans/{plan_id}/settings"), **_settings_form(),
                **bad}  # fmt: skip
        answer = client.post(f"/plans/{plan_id}/settings?lang={lang}", data=form)
        assert answer.status_code == 422
        rows = problem_rows(answer.text)
        assert sorted(row[2] for row in rows) == sorted(labels.values()), rows
        assert all(row[0] == "round.toml" for row in rows), rows
        if lang == "da":
            assert not english_in(answer.text), english_in(answer.text)
        assert "ti" in {row[3] for row in rows}  # the value as it was typed
    body = {"name": "API", "start": "2027-01-04", "end": "2027-03-26", "cohort_max": "ti"}
    answer = client.put(f"/api/plans/{plan_id}/settings", json=body)
    assert [p["column"] for p in answer.json()["problems"]] == ["cohort_max"]
    assert client.get(f"/api/plans/{plan_id}/settings").json()["version"] == 1


def test_settings_api(client: TestClient, small_files: dict[str, bytes]) -> None:
    plan_id = upload(client, small_files)
    settings = client.get(f"/api/plans/{plan_id}/settings").json()["settings"]
    body = {"name": "API", "start": settings["start"], "end": settings["end"], "cohort_max": 9}
    answer = client.put(f"/api/plans/{plan_id}/settings", json=body)
    assert answer.status_code == 201, answer.text
    assert answer.json() == {"plan_id": plan_id, "version": 2}
    bad = {"name": "", "start": "31-02-2027", "end": settings["end"], "cohort_min": 0, "x": 1}
    answer = client.put(f"/api/plans/{plan_id}/settings", json=bad)
    assert answer.status_code == 422
    assert [p["column"] for p in answer.json()["problems"]] == ["x"]
    del bad["x"]
    answer = client.put(f"/api/plans/{plan_id}/settings", json=bad)
    assert answer.status_code == 422
    columns = {p["column"] for p in answer.json()["problems"]}
    assert columns == {"name", "start", "cohort_min"}
    assert client.put(f"/api/plans/{plan_id}/settings", content=b"[").status_code == 415
    assert client.get(f"/api/plans/{plan_id}/settings").json()["version"] == 2


def test_a_form_date_that_breaks_the_companies_is_a_problem(
    client: TestClient, demo_files: dict[str, bytes]
) -> None:
    """The settings are checked with the plan's tables: a start before a company was
    founded is the reader's problem of that company's row."""
    plan_id = upload(client, demo_files)
    body = {"name": "Tidlig", "start": "1990-01-01", "end": "1990-03-01"}
    answer = client.put(f"/api/plans/{plan_id}/settings", json=body)
    assert answer.status_code == 422
    assert any(p["file"] == "companies.csv" for p in answer.json()["problems"])


def test_rename(client: TestClient, small_files: dict[str, bytes]) -> None:
    plan_id = upload(client, small_files)
    answer = client.post(f"/api/plans/{plan_id}/rename", json={"name": "  Forår B "})
    assert answer.json() == {"plan_id": plan_id, "name": "Forår B"}
    assert client.get(f"/api/plans/{plan_id}").json()["round"] == "Forår B"
    for bad in ({"name": ""}, {"name": 3}, {}, {"name": "x" * 201}):
        answer = client.post(f"/api/plans/{plan_id}/rename", json=bad)
        assert answer.status_code == 422 and answer.json()["problems"][0]["column"] == "name"
    good = token(client, f"/plans/{plan_id}/versions")
    client.post(f"/plans/{plan_id}/rename", data={"csrf_token": good, "name": "Side"})
    assert "Side" in client.get("/").text


def test_unknown_ids_are_404(client: TestClient, small_files: dict[str, bytes]) -> None:
    plan_id = upload(client, small_files)
    for method, url in (
        ("get", f"/api/plans/{UNKNOWN}/settings"),
        ("put", f"/api/plans/{UNKNOWN}/settings"),
        ("get", f"/api/plans/{UNKNOWN}/versions"),
        ("post", f"/api/plans/{UNKNOWN}/rename"),
        ("get", f"/api/plans/{UNKNOWN}/versions/1/round.toml"),
        ("get", f"/api/plans/{plan_id}/versions/2/round.toml"),
        ("get", f"/api/jobs/{UNKNOWN}/files/roster.json"),
        ("get", f"/plans/{UNKNOWN}/settings"),
        ("get", f"/plans/{UNKNOWN}/versions"),
        ("get", f"/plans/{plan_id}/versions/9/round.toml"),
    ):
        kwargs: dict[str, Any] = {"json": {"name": "x"}} if method in ("put", "post") else {}
        assert getattr(client, method)(url, **kwargs).status_code == 404, url


def test_every_roster_of_every_version_downloadable(
    client: TestClient, small_files: dict[str, bytes]
) -> None:
    plan_id = upload(client, small_files)
    first = client.post(f"/api/plans/{plan_id}/solve", json={"time_limit": 20}).json()["job_id"]
    assert wait_for(client, first)["status"] == "done"
    settings = client.get(f"/api/plans/{plan_id}/settings").json()["settings"]
    body = {"name": "To", "start": settings["start"], "end": settings["end"], "max_venues": 1}
    assert client.put(f"/api/plans/{plan_id}/settings", json=body).status_code == 201
    second = client.post(f"/api/plans/{plan_id}/solve", json={"time_limit": 20}).json()["job_id"]
    assert wait_for(client, second)["status"] == "done"
    listed = client.get(f"/api/plans/{plan_id}/versions").json()["versions"]
    assert [[j["job_id"] for j in v["jobs"]] for v in listed] == [[first], [second]]
    old = client.get(f"/api/jobs/{first}/files/roster.json").json()
    new = client.get(f"/api/jobs/{second}/files/roster.json").json()
    assert old["round"] != new["round"] == "To"
    venues = {c["venue_id"] for c in new["cohorts"] if c.get("venue_id")}
    assert len(venues) <= 1
    assert "Plan To, version 2" in client.get(f"/jobs/{second}?lang=en").text
    compared = client.get(f"/api/plans/{plan_id}/compare", params={"a": first, "b": second})
    assert compared.status_code == 200
    c = compared.json()
    assert c["a"]["placed"] == old["summary"]["placed"]
    assert c["b"]["placed"] == new["summary"]["placed"]
    assert c["b"]["travel_km_total"] == round(new["summary"]["travel_km_total"], 1)
    venue_of = {m: (x["venue_id"], x["sessions"]) for x in new["cohorts"] for m in x["members"]}
    before = {m: (x["venue_id"], x["sessions"]) for x in old["cohorts"] for m in x["members"]}
    expected = sorted(m for m in venue_of.keys() & before.keys() if venue_of[m] != before[m])
    assert [m["company_id"] for m in c["moved"]] == expected and expected
    assert c["only_a"] == sorted(before.keys() - venue_of.keys())
    page = client.get(f"/plans/{plan_id}/compare", params={"a": first, "b": second}).text
    assert 'id="moved"' in page and expected[0] in page
    for bad in ({"a": first}, {"a": first, "b": UNKNOWN}, {"a": "x", "b": second}):
        assert client.get(f"/api/plans/{plan_id}/compare", params=bad).status_code == 404
    assert (
        client.get(f"/api/plans/{UNKNOWN}/compare", params={"a": first, "b": second}).status_code
        == 404
    )
    assert 'id="compare-form"' in client.get(f"/plans/{plan_id}/versions").text
    assert client.get(f"/api/jobs/{first}/files/nothing.txt").status_code == 404


def test_deleting_a_plan_with_versions_leaves_no_file(
    client: TestClient, small_files: dict[str, bytes]
) -> None:
    plan_id = upload(client, small_files)
    job = client.post(f"/api/plans/{plan_id}/solve", json={"time_limit": 20}).json()["job_id"]
    wait_for(client, job)
    settings = client.get(f"/api/plans/{plan_id}/settings").json()["settings"]
    body = {"name": "B", "start": settings["start"], "end": settings["end"]}
    assert client.put(f"/api/plans/{plan_id}/settings", json=body).status_code == 201
    root = Path(client.app.state.store.root)
    assert (root / "versions" / plan_id / "2").is_dir()
    assert client.delete(f"/api/plans/{plan_id}").status_code == 200
    left = [p for p in root.rglob("*") if plan_id in str(p) or job in str(p)]
    assert left == []
    files = [p for p in root.rglob("*") if p.is_file() and not p.name.startswith("state.")]
    assert files == []
    assert client.get(f"/api/plans/{plan_id}/versions").status_code == 404


def test_api_plan_from_tables_and_settings_fields(
    client: TestClient, demo_files: dict[str, bytes]
) -> None:
    parts: list[Any] = [(n, (n, d, "text/csv")) for n, d in _tables(demo_files).items()]
    fields = [(k, (None, v)) for k, v in _settings_form(mix_levels="A+B").items()]
    answer = client.post("/api/plans", files=parts + fields)
    assert answer.status_code == 201, answer.text
    settings = client.get(f"/api/plans/{answer.json()['plan_id']}/settings").json()
    assert settings["settings"]["mix_levels"] == ["A+B"]
    bad = [(k, (None, v)) for k, v in _settings_form(start="2027-13-01", cohort_max="0").items()]
    answer = client.post("/api/plans", files=parts + bad)
    assert answer.status_code == 422
    assert {p["column"] for p in answer.json()["problems"]} == {"start", "cohort_max"}
    # without settings and without round.toml the upload is refused as before
    answer = client.post("/api/plans", files=parts)
    assert answer.status_code == 422
    assert any("round.toml" in p["file"] for p in answer.json()["problems"])


def _book_with_round_sheet(files: dict[str, bytes], rows: list[list[str]]) -> bytes:
    import io

    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(workbook_from_csv(files["companies.csv"], files["venues.csv"])))
    sheet = book.create_sheet("runde")
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_a_workbook_with_the_round_on_a_sheet(
    client: TestClient, demo_files: dict[str, bytes]
) -> None:
    rows = [["nøgle", "værdi"], ["navn", "Runde fra arket"], ["første_dag", "01-02-2027"],
            ["sidste_dag", "30-04-2027"], ["hold_max", "12"]]  # fmt: skip
    book = _book_with_round_sheet(demo_files, rows)
    # the new-plan page: the workbook alone, the form's name and dates left empty
    parts: list[Any] = [("csrf_token", (None, token(client, "/plans/new")))]
    parts.append(("files", ("Tilmeldinger.xlsx", book, "application/octet-stream")))
    answer = client.post("/plans/new", files=parts, follow_redirects=False)
    assert answer.status_code == 303, answer.text
    plan_id = answer.headers["location"].removeprefix("/plans/")
    settings = client.get(f"/api/plans/{plan_id}/settings").json()
    assert settings["settings"]["name"] == "Runde fra arket"
    assert (
        settings["settings"]["start"] == "2027-02-01" and settings["settings"]["cohort_max"] == 12
    )
    assert set(settings["written"]) >= {"name", "start", "end", "cohort_max"}
    # a settings change keeps the sheet's settings (a new version with round.toml)
    answer = client.put(
        f"/api/plans/{plan_id}/settings", json={**settings["settings"], "max_venues": 4}
    )
    assert answer.status_code == 201, answer.text
    after = client.get(f"/api/plans/{plan_id}/settings").json()
    assert after["settings"]["name"] == "Runde fra arket" and after["settings"]["max_venues"] == 4
    assert tomllib.loads(after["round_toml"])["cohort_max"] == 12
    # by the API: plan.xlsx alone; a bad sheet is every problem with its row
    wrong = [["navn", "X"], ["første_dag", "i morgen"], ["sidste_dag", "30-04-2027"],
             ["hold_min", "0"]]  # fmt: skip
    bad = _book_with_round_sheet(demo_files, wrong)
    answer = client.post("/api/plans", files={"plan.xlsx": ("plan.xlsx", bad)})
    assert answer.status_code == 422
    found = {(p["file"], p["row"], p["column"]) for p in answer.json()["problems"]}
    assert found >= {("plan.xlsx:runde", 2, "første_dag"), ("plan.xlsx:runde", 4, "hold_min")}
    assert upload(client, {"plan.xlsx": book})
