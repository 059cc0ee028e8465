"""The year in the browser, part 4 (issue 17): attendance and the next round's plan, made
by the command's code; the same folder as `camp-planner next-round` writes."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from typer.testing import CliRunner

import camp_planner.cli as cli
from tests.web.conftest import upload, wait_for
from tests.web.test_pages import token
from tests.web.test_problems_language import english_in, problem_rows

UNKNOWN = "0123456789abcdef"


def _solved(client: TestClient, files: dict[str, bytes]) -> tuple[str, dict[str, Any]]:
    plan_id = upload(client, files)
    job = client.post(f"/api/plans/{plan_id}/solve", json={"time_limit": 30}).json()["job_id"]
    assert wait_for(client, job)["status"] == "done"
    assert client.post(f"/api/plans/{plan_id}/publish", json={}).status_code == 200
    return plan_id, client.get(f"/api/jobs/{job}/files/roster.json").json()


def _rows(text: str) -> dict[str, dict[str, str]]:
    return {r["company_id"]: r for r in csv.DictReader(io.StringIO(text.lstrip("\ufeff")))}


def test_next_round_is_the_commands(
    client: TestClient, small_files: dict[str, bytes], tmp_path: Path
) -> None:
    plan_id, roster = _solved(client, small_files)
    placed = sorted({m for c in roster["cohorts"] for m in c["members"]})
    absent = placed[:1]
    # the page: everybody placed ticked, the dates moved by the round's length (82 days)
    page = client.get(f"/plans/{plan_id}/next-round").text
    assert page.count('name="came"') == len(placed) and page.count(" checked") >= len(placed)
    assert 'value="2027-03-27"' in page and 'value="2027-06-16"' in page
    answer = client.post(f"/api/plans/{plan_id}/next-round", json={"absent": absent})
    assert answer.status_code == 201, answer.text
    new_id = answer.json()["plan_id"]
    settings = client.get(f"/api/plans/{new_id}/settings").json()["settings"]
    assert (settings["start"], settings["end"]) == ("2027-03-27", "2027-06-16")
    # the command on the same roster, absent.csv and round.toml
    root = Path(client.app.state.store.root)
    (tmp_path / "absent.csv").write_text("company_id\n" + "".join(a + "\n" for a in absent))
    new_toml = client.get(f"/api/plans/{new_id}/versions/1/round.toml").text
    (tmp_path / "round.toml").write_text(new_toml)
    shutil.copytree(root / "plans" / plan_id, tmp_path / "old")
    result = CliRunner().invoke(cli.app, [
        "next-round", str(tmp_path / "old"),
        "--roster", str(root / "versions" / plan_id / "published" / "roster.json"),
        "--round", str(tmp_path / "round.toml"), "--out", str(tmp_path / "next"),
        "--absent", str(tmp_path / "absent.csv"),
    ])  # fmt: skip
    assert result.exit_code == 0, result.output
    for name in ("companies.csv", "venues.csv"):
        web_file = (root / "plans" / new_id / name).read_text("utf-8")
        assert web_file == (tmp_path / "next" / name).read_text("utf-8"), name
    companies = _rows((root / "plans" / new_id / "companies.csv").read_text("utf-8"))
    assert companies[absent[0]]["completed"] == ""  # absent: still waiting
    assert "module1" in companies[placed[1]]["completed"].split(";")  # came: a step more


def test_next_round_from_the_page_and_bad_input(
    client: TestClient, small_files: dict[str, bytes]
) -> None:
    plan_id, roster = _solved(client, small_files)
    placed = sorted({m for c in roster["cohorts"] for m in c["members"]})
    good = token(client, f"/plans/{plan_id}/next-round")
    form = {"csrf_token": good, "came": placed[1:], "name": "Efterår 2027",
            "start": "2027-01-10", "end": "2027-06-16"}  # fmt: skip
    answer = client.post(f"/plans/{plan_id}/next-round", data=form)
    assert answer.status_code == 422  # starts before this round ends: the command's refusal
    assert "2027-01-10" in answer.text and "<td>Første mulige dag</td>" in answer.text
    assert "at runde Efterår 2027 starter, efter at runde" in answer.text  # in Danish
    assert "before the old one ends" not in answer.text
    form["start"] = "2027-04-01"
    answer = client.post(f"/plans/{plan_id}/next-round", data=form, follow_redirects=False)
    assert answer.status_code == 303
    assert client.get(f"/plans/{plan_id}/next-round").text.count(" checked") >= len(placed) - 1
    bad = {"absent": ["nobody"], "settings": {"name": "", "start": "x", "end": "2027-09-01",
                                              "colour": "red"}}  # fmt: skip
    answer = client.post(f"/api/plans/{plan_id}/next-round", json=bad)
    assert answer.status_code == 422
    assert [p["column"] for p in answer.json()["problems"]] == ["colour"]
    del bad["settings"]["colour"]  # type: ignore[attr-defined]
    answer = client.post(f"/api/plans/{plan_id}/next-round", json=bad)
    columns = [p["column"] for p in answer.json()["problems"]]
    assert columns[0] == "company_id" and {"name", "start"} <= set(columns)
    assert client.post(f"/api/plans/{UNKNOWN}/next-round", json={}).status_code == 404
    assert client.get(f"/plans/{UNKNOWN}/next-round").status_code == 404
    fresh = upload(client, small_files)
    answer = client.post(f"/api/plans/{fresh}/next-round", json={})
    assert answer.status_code == 422 and answer.json()["problems"][0]["column"] == "roster"


def test_deleting_a_published_replanned_plan_leaves_no_file(
    client: TestClient, small_files: dict[str, bytes]
) -> None:
    plan_id, roster = _solved(client, small_files)
    placed = sorted({m for c in roster["cohorts"] for m in c["members"]})
    body = {"withdrawn": placed[:1], "as_of": "2027-01-04", "time_limit": 20}
    replan = client.post(f"/api/plans/{plan_id}/replan", json=body).json()["job_id"]
    assert wait_for(client, replan, timeout=120)["status"] == "done"
    assert client.post(f"/api/plans/{plan_id}/publish", json={"job_id": replan}).status_code == 200
    answer = client.post(f"/api/plans/{plan_id}/next-round", json={"absent": placed[1:2]})
    assert answer.status_code == 201, answer.text
    new_id = answer.json()["plan_id"]
    root = Path(client.app.state.store.root)
    jobs = [j["job_id"] for v in client.get(f"/api/plans/{plan_id}/versions").json()["versions"]
            for j in v["jobs"]]  # fmt: skip
    assert len(jobs) == 2 and (root / "versions" / plan_id / "attendance.json").is_file()
    assert client.delete(f"/api/plans/{plan_id}").status_code == 200
    left = [p for p in root.rglob("*") if plan_id in str(p) or any(j in str(p) for j in jobs)]
    assert left == []
    assert client.get(f"/api/plans/{new_id}/settings").status_code == 200  # the next round stays


def _saved(
    client: TestClient, plan_id: str, late: str = "", withdraw: tuple[str, ...] = ()
) -> None:
    """Late sign-ups and withdrawals saved as a new version, without a replan."""
    answer = client.post(
        f"/plans/{plan_id}/replan",
        data={"csrf_token": token(client, f"/plans/{plan_id}/changes"), "only_save": "1",
              "as_of": "2027-01-04", "withdraw": list(withdraw)},
        files={"late": ("sene.csv", late.encode(), "text/csv")} if late else None,
        follow_redirects=False,
    )  # fmt: skip
    assert answer.status_code == 303, answer.text


def _refused_on_the_page(client: TestClient, plan_id: str, placed: list[str]) -> list[str]:
    """The next round made on the Danish page: refused, with one problem (file, expected)."""
    form = {"csrf_token": token(client, f"/plans/{plan_id}/next-round"), "came": placed,
            "name": "Efterår 2027", "start": "2027-04-01", "end": "2027-06-16"}  # fmt: skip
    answer = client.post(f"/plans/{plan_id}/next-round?lang=da", data=form)
    assert answer.status_code == 422, answer.text
    rows = problem_rows(answer.text)
    assert len(rows) == 1 and not english_in(answer.text), (rows, english_in(answer.text))
    assert "…" not in answer.text and "roster.json" not in answer.text  # no server paths
    return [rows[0][0], rows[0][4]]


def test_the_commands_refusals_in_danish(make_client: Any, small_files: dict[str, bytes]) -> None:
    """What `next-round` refuses after the route's own checks (the roster the round was held
    by is not of the plan's latest files) is said in Danish on a Danish page; the JSON API
    keeps the command's English sentence exactly."""
    client = make_client(solver_workers=1)
    plan_id, roster = _solved(client, small_files)
    placed = sorted({m for c in roster["cohorts"] for m in c["members"]})
    lines = small_files["companies.csv"].decode().splitlines()
    rest = lines[1].split(",", 2)[2]
    place = "…/versions/{0}/published/roster.json does not belong to …/plans/{0}: ".format
    _saved(client, plan_id, f"{lines[0]}\n77777771,Sen En ApS,{rest}\n")
    answer = client.post(f"/api/plans/{plan_id}/next-round", json={})
    assert answer.json()["problems"] == [{
        "file": "next-round", "row": None, "column": None, "value": None,
        "expected": place(plan_id) + "1 company of the folder is not in the roster "
                    "(e.g. 77777771).",
    }]  # fmt: skip
    intro = "Holdplanen, som runden blev holdt efter, hører ikke til planens seneste filer: "
    assert _refused_on_the_page(client, plan_id, placed) == [
        "(næste runde)", intro + "1 virksomhed i filerne er ikke i holdplanen (f.eks. 77777771).",
    ]  # fmt: skip
    _saved(client, plan_id, f"{lines[0]}\n77777772,Sen To ApS,{rest}\n")
    assert _refused_on_the_page(client, plan_id, placed)[1] == (
        intro + "2 virksomheder i filerne er ikke i holdplanen (f.eks. 77777771)."
    )
    _saved(client, plan_id, withdraw=tuple(placed[:2]))
    assert _refused_on_the_page(client, plan_id, placed)[1] == (
        intro + f"2 virksomheder i holdplanen er ikke i filerne (f.eks. {placed[0]})."
    )
    settings = client.get(f"/api/plans/{plan_id}/settings").json()["settings"]
    renamed = {"name": "Forår 2027", "start": settings["start"], "end": settings["end"]}
    assert client.put(f"/api/plans/{plan_id}/settings", json=renamed).status_code == 201
    assert _refused_on_the_page(client, plan_id, placed)[1] == (
        intro + "holdplanen er for runden »2027-Q1«, filerne for runden »Forår 2027«."
    )
    answer = client.post(f"/api/plans/{plan_id}/next-round", json={})
    assert answer.json()["problems"][0]["expected"] == (
        place(plan_id) + "the roster is of round '2027-Q1', the folder of round 'Forår 2027'."
    )
    # the English page: the same words in English, without the server's paths
    form = {"csrf_token": token(client, f"/plans/{plan_id}/next-round"), "came": placed,
            "name": "Autumn", "start": "2027-04-01", "end": "2027-06-16"}  # fmt: skip
    page = client.post(f"/plans/{plan_id}/next-round?lang=en", data=form).text
    assert problem_rows(page)[0][4] == (
        "The roster this round was held by does not belong to the plan's latest files: the "
        "roster is of round '2027-Q1', the files of round 'Forår 2027'."
    )
    # a company's id changed (withdrawn, and signed up again by its name): the command's
    # guess that it is the same company, in Danish
    other, roster = _solved(client, small_files)
    placed = sorted({m for c in roster["cohorts"] for m in c["members"]})
    row = next(line for line in lines[1:] if line.startswith(placed[0] + ","))
    name = row.split(",")[1]
    _saved(client, other, f"{lines[0]}\n77777773,{row.split(',', 1)[1]}\n", (placed[0],))
    answer = client.post(f"/api/plans/{other}/next-round", json={})
    assert answer.json()["problems"][0]["expected"] == place(other) + (
        f"1 company of the roster is not in the folder (e.g. {placed[0]}); company {name!r} "
        f"has id 77777773 in the folder but {placed[0]} in the published roster: if its id "
        f"was changed, put {placed[0]} back (it keeps its place); if it is another company, "
        "give it another name (e.g. with its town)."
    )
    assert _refused_on_the_page(client, other, placed)[1] == intro + (
        f"1 virksomhed i holdplanen er ikke i filerne (f.eks. {placed[0]}); virksomheden "
        f"»{name}« har id 77777773 i filerne, men {placed[0]} i holdplanen: er dens id blevet "
        f"ændret, så sæt {placed[0]} tilbage (så beholder den sin plads); er det en anden "
        "virksomhed, så giv den et andet navn (f.eks. med dens by)."
    )
