"""The pages (server-rendered, Danish by default): forms, languages, the flow without a
browser, what is not shown, and the translation catalog."""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po
from fastapi.testclient import TestClient

from camp_planner.web import i18n
from tests.web.conftest import BAD_FOLDER, multipart, upload, wait_for

WEB = Path(i18n.__file__).parent
TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def token(client: TestClient, url: str = "/") -> str:
    page = client.get(url)
    match = TOKEN.search(page.text)
    assert match, "the page's forms carry the CSRF token"
    assert client.cookies.get("cp_csrf") == match[1]
    return match[1]


def test_start_page_is_danish_by_default(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200
    assert '<html lang="da">' in page.text
    assert "Planlæg en runde vækstcamps" in page.text and "Upload planlægningsfilerne" in page.text
    assert 'href="/?lang=en"' in page.text


def test_english_with_lang_and_it_sticks(client: TestClient) -> None:
    page = client.get("/?lang=en")
    assert '<html lang="en">' in page.text and "Plan a round of growth camps" in page.text
    assert "Plan a round of growth camps" in client.get("/").text  # the cookie remembers
    assert "Planlæg en runde" in client.get("/?lang=da").text
    assert "Planlæg en runde" in client.get("/?lang=xx").text  # unknown: the last choice


def test_every_asset_comes_from_the_app(client: TestClient, small_files: dict[str, bytes]) -> None:
    plan_id = upload(client, small_files)
    for url in ("/", f"/plans/{plan_id}", f"/plans/{plan_id}/roster", f"/plans/{plan_id}/whatif"):
        page = client.get(url).text
        assert not re.search(r'(src|href)="(https?:)?//', page), url
    for asset in ("/static/app.css", "/static/app.js", "/static/favicon.svg"):
        assert client.get(asset).status_code == 200


def test_forms_need_their_token(client: TestClient) -> None:
    assert client.post("/plans/demo", data={}, follow_redirects=False).status_code == 403
    assert client.post("/plans/demo", data={"csrf_token": "forged"}).status_code == 403
    good = token(client)
    cross = client.post(
        "/plans/demo", data={"csrf_token": good}, headers={"origin": "https://evil.example"}
    )
    assert cross.status_code == 403
    answer = client.post("/plans/demo", data={"csrf_token": good}, follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"].startswith("/plans/")


def test_upload_form_shows_every_problem(client: TestClient) -> None:
    parts = [
        ("csrf_token", (None, token(client))),
        *[("files", (p.name, p.read_bytes(), "text/plain")) for p in BAD_FOLDER.iterdir()
          if p.suffix != ".md"],
    ]  # fmt: skip
    page = client.post("/plans", files=parts)
    assert page.status_code == 422
    assert "Filerne har 10 problemer" in page.text
    table = page.text.split('<table class="problems">')[1].split("</table>")[0]
    assert table.count("<tr>") == 11  # the header and ten problems
    assert "<code>D</code>" in table and "cohort_max" in table


def _problem_rows(page: str) -> dict[tuple[str, str], str]:
    """The problem table of a page: (file, column) -> the "expected" cell (its text)."""
    table = page.split('<table class="problems">')[1].split("</table>")[0]
    rows = {}
    for row in table.split("<tr>")[2:]:
        cells = re.findall(r"<td[^>]*>(.*?)</td>", row, re.DOTALL)
        file, _, column, _, expected = (html.unescape(re.sub(r"<[^>]+>", "", c)) for c in cells)
        rows[(file.strip(), column.strip())] = expected.strip()
    return rows


#: The bad folder's problems (tests/data/bad_folder/README.md): (file, column) -> what the
#: Danish page and the English page say was expected.
BAD_FOLDER_EXPECTED = {
    ("companies.csv", "level"): ("A, B eller C", "A, B or C"),
    ("companies.csv", "company_id"): (
        "en entydig værdi i company_id (findes allerede i række 2; id'er, der kun adskiller sig "
        "ved store og små bogstaver eller mellemrum, er samme id)",
        "a unique company_id (already on row 2; ids that differ only in case or spaces are the "
        "same id)",
    ),
    ("companies.csv", "founded"): (
        "en dato: 2027-01-04 (ISO) eller 04-01-2027 eller 04.01.2027 (dagen først)",
        "a date: 2027-01-04 (ISO), or 04-01-2027 or 04.01.2027 (day first)",
    ),
    ("companies.csv", "lat"): (
        "et punkt i Danmark: lat 54.4-57.9, lon 7.9-15.3",
        "a point in Denmark: lat 54.4-57.9, lon 7.9-15.3",
    ),
    ("companies.csv", "participants"): ("1, 2 eller 3", "1, 2 or 3"),
    ("companies.csv", "completed"): (
        "en af: module1, lab1, module2, lab2 (adskilt af ';')",
        "one of: module1, lab1, module2, lab2 (';'-separated)",
    ),
    ("companies.csv", "priority"): ("et helt tal >= 0", "a whole number >= 0"),
    ("venues.csv", "status"): (
        "en af: candidate, required eller closed",
        "one of: candidate, required or closed",
    ),
    ("round.toml", "cohort_max"): ("mindst cohort_min (8)", "at least cohort_min (8)"),
}


def _bad_folder_parts(client: TestClient, url: str = "/") -> list[Any]:
    return [
        ("csrf_token", (None, token(client, url))),
        *[("files", (p.name, p.read_bytes(), "text/plain")) for p in BAD_FOLDER.iterdir()
          if p.suffix != ".md"],
    ]  # fmt: skip


def test_problems_are_danish_on_the_danish_page(client: TestClient) -> None:
    page = client.post("/plans", files=_bad_folder_parts(client))
    assert page.status_code == 422 and '<html lang="da">' in page.text
    rows = _problem_rows(page.text)
    for where, (danish, _) in BAD_FOLDER_EXPECTED.items():
        assert rows[where] == danish, where
    town = rows[("companies.csv", "town")]
    assert town.startswith("ukendt dansk by 'Hinerup'; mente du Hinnerup")
    assert town.endswith("? Eller angiv lat/lon i stedet")
    visible = " ".join(rows.values())
    for english in ("expected", "one of", "a date", "whole number", "unknown", " or "):
        assert english not in visible, english


def test_problems_are_english_on_the_english_page_and_in_the_api(client: TestClient) -> None:
    page = client.post("/plans?lang=en", files=_bad_folder_parts(client, "/?lang=en"))
    assert page.status_code == 422 and '<html lang="en">' in page.text
    rows = _problem_rows(page.text)
    for where, (_, english) in BAD_FOLDER_EXPECTED.items():
        assert rows[where] == english, where
    files = {p.name: p.read_bytes() for p in BAD_FOLDER.iterdir() if p.suffix != ".md"}
    answer = client.post("/api/plans?lang=da", files=multipart(files))  # the API: English
    api = {(p["file"], p["column"]): p["expected"] for p in answer.json()["problems"]}
    for where, (_, english) in BAD_FOLDER_EXPECTED.items():
        assert api[where] == english, where
    assert api[("companies.csv", "town")] == rows[("companies.csv", "town")]


def test_upload_problems_are_danish_too(client: TestClient, small_files: dict[str, bytes]) -> None:
    """The upload's own problems (web/uploads.py, the app's catalog): two files for one
    planning file, a workbook that is not one, a file that is not used."""
    parts = [
        ("csrf_token", (None, token(client))),
        ("files", ("companies.csv", small_files["companies.csv"], "text/csv")),
        ("files", ("virksomheder.csv", small_files["companies.csv"], "text/csv")),
        ("files", ("plan.xlsx", b"not a workbook", "application/octet-stream")),
    ]
    rows = _problem_rows(client.post("/plans", files=parts).text)
    assert rows == {
        ("virksomheder.csv", ""): "kun én fil til companies.csv",
        ("plan.xlsx", ""): "en Excel-projektmappe (.xlsx); denne fil er ikke en (gem den som "
        ".xlsx i Excel)",
    }
    parts = [("csrf_token", (None, token(client))), ("files", ("noter.txt", b"x", "text/plain"))]
    rows = _problem_rows(client.post("/plans", files=parts).text)
    assert rows == {
        ("(no file)", ""): "companies.csv, venues.csv og round.toml eller plan.xlsx og round.toml",
        ("noter.txt", ""): "en af planlægningsfilerne (companies.csv, venues.csv og round.toml "
        "eller plan.xlsx og round.toml)",
    }
    english = _problem_rows(client.post("/plans?lang=en", files=parts).text)
    assert english[("noter.txt", "")] == (
        "one of the planning files (companies.csv, venues.csv and round.toml, or plan.xlsx and "
        "round.toml)"
    )


def test_upload_form_recognises_files_by_name_and_header(
    client: TestClient, small_files: dict[str, bytes]
) -> None:
    parts = [
        ("csrf_token", (None, token(client))),
        ("files", ("Virksomheder 2027.csv", small_files["companies.csv"], "text/csv")),
        ("files", ("export.csv", small_files["venues.csv"], "text/csv")),  # by its header
        ("files", ("runde.toml", small_files["round.toml"], "text/plain")),
    ]
    answer = client.post("/plans", files=parts, follow_redirects=False)
    assert answer.status_code == 303, answer.text
    plan = client.get(answer.headers["location"])
    assert "Runde 2027-Q1" in plan.text and "51 virksomheder" in plan.text


def test_a_whole_folder_with_other_files(client: TestClient) -> None:
    """The demo folder as `camp-planner demo` writes it, with its programme.toml."""
    from camp_planner.demo.generator import packaged_demo

    parts = [("csrf_token", (None, token(client)))]
    parts += [("files", (name, text.encode(), "text/plain")) for name, text in
              packaged_demo().items()]  # fmt: skip
    parts.append(("files", ("LÆSMIG.txt", b"noter", "text/plain")))
    answer = client.post("/plans", files=parts, follow_redirects=False)
    assert answer.status_code == 303, answer.text
    page = client.get(answer.headers["location"]).text
    assert "Ikke brugt, da de ikke er planlægningsfiler" in page
    assert "LÆSMIG.txt" in page


def test_plan_page_groups_and_refusals(client: TestClient, demo_files: dict[str, bytes]) -> None:
    plan_id = upload(client, demo_files)
    page = client.get(f"/plans/{plan_id}").text
    assert "Virksomheder pr. næste trin, niveau og aldersgruppe" in page
    assert page.count("for lille til et hold") >= 5  # B/young Module 1 among them
    assert "højst 10 af 11 personer passer" in page
    assert 'id="start"' in page and "refusals" not in page
    files = dict(demo_files)
    files["venues.csv"] = demo_files["venues.csv"].replace(b",candidate", b",closed")
    refused = upload(client, files)
    page = client.get(f"/plans/{refused}").text
    assert 'id="refusals"' in page and 'id="start"' not in page
    refusals = page.split('id="refusals"')[1].split("</div>")[0]
    assert "Alle mødesteder er lukket, så der kan ikke holdes noget hold." in refusals
    assert "Every venue" not in refusals
    english = client.get(f"/plans/{refused}?lang=en").text.split('id="refusals"')[1]
    assert "Every venue is closed, so no cohort can be held." in english.split("</div>")[0]
    api = client.get(f"/api/plans/{refused}").json()["refused"]
    assert api == ["Every venue is closed, so no cohort can be held. Set at least one venue's "
                   "status to candidate (or required) in venues.csv."]  # fmt: skip


def test_unknown_plan_is_a_danish_404(client: TestClient) -> None:
    page = client.get("/plans/0123456789abcdef")
    assert page.status_code == 404 and "Ikke fundet" in page.text
    assert client.get("/plans/not-an-id/roster").status_code == 404
    assert client.get("/jobs/0123456789abcdef").status_code == 404


def test_solve_from_the_pages(client: TestClient, small_files: dict[str, bytes]) -> None:
    plan_id = upload(client, small_files)
    good = token(client, f"/plans/{plan_id}")
    assert "Der er ingen holdplan endnu" in client.get(f"/plans/{plan_id}/roster").text
    bad = client.post(f"/plans/{plan_id}/solve", data={"csrf_token": good, "time_limit": "0"})
    assert bad.status_code == 422 and "Angiv en tidsgrænse" in bad.text
    answer = client.post(
        f"/plans/{plan_id}/solve",
        data={"csrf_token": good, "time_limit": "20"},
        follow_redirects=False,
    )
    assert answer.status_code == 303
    job_id = answer.headers["location"].rsplit("/", 1)[1]
    page = client.get(f"/jobs/{job_id}").text
    assert "Beregner holdplanen" in page and 'data-state-url="/jobs/' in page
    wait_for(client, job_id)
    state = client.get(f"/jobs/{job_id}/state").json()
    assert state["status"] == "done" and state["label"] == "Færdig" and state["finished"]
    assert state["result_url"] == f"/plans/{plan_id}/roster"
    assert "Den bedst mulige holdplan" in client.get(f"/jobs/{job_id}").text
    roster = client.get(f"/plans/{plan_id}/roster").text
    assert "Hold pr. mødested" in roster and "Tovholderens kalender" in roster
    assert roster.count('<table class="roster">') == 6  # one per venue used
    assert "Uden plads" in roster and "gruppen er for lille til et hold" in roster
    assert f'src="/api/plans/{plan_id}/map.html"' in roster
    for name in ("roster.xlsx", "participants.csv", "invitations.zip", "roster.json"):
        assert f'href="/api/plans/{plan_id}/{name}"' in roster
    assert re.search(r"(man|tirs|ons|tors|fre)\. \d+\. (jan|feb|mar)\. 2027", roster)
    english = client.get(f"/plans/{plan_id}/roster?lang=en").text
    assert "Cohorts by venue" in english and "The best roster possible" in english


def test_stop_from_the_job_page(client: TestClient, demo_files: dict[str, bytes]) -> None:
    plan_id = upload(client, demo_files)
    good = token(client, f"/plans/{plan_id}")
    answer = client.post(
        f"/plans/{plan_id}/solve", data={"csrf_token": good, "time_limit": "120"},
        follow_redirects=False,
    )  # fmt: skip
    job_id = answer.headers["location"].rsplit("/", 1)[1]
    wait_for(client, job_id, ("running",))
    assert 'id="stop"' in client.get(f"/jobs/{job_id}").text
    stopped = client.post(f"/jobs/{job_id}/cancel", data={"csrf_token": good})
    # Stopped: at once, or after the best roster found so far is written ("Stopper").
    assert stopped.status_code == 200
    assert "Beregningen blev stoppet" in stopped.text or 'id="stopping"' in stopped.text
    assert client.get(f"/api/jobs/{job_id}").json()["status"] == "cancelled"


def test_whatif_form_problems(client: TestClient, small_files: dict[str, bytes]) -> None:
    plan_id = upload(client, small_files)
    good = token(client, f"/plans/{plan_id}/whatif")
    url = f"/plans/{plan_id}/whatif"
    empty = client.post(url, data={"csrf_token": good, "mode": "scenarios"})
    assert empty.status_code == 422 and "Udfyld mindst ét scenarie" in empty.text
    nameless = client.post(
        url, data={"csrf_token": good, "mode": "scenarios", "s1_closed": "skive"}
    )
    assert nameless.status_code == 422 and "Scenarie 1: giv det et navn" in nameless.text
    both = client.post(
        url,
        data={
            "csrf_token": good, "mode": "scenarios", "s1_name": "odd",
            "s1_closed": "skive", "s1_required": "skive",
        },
    )  # fmt: skip
    assert both.status_code == 422 and "both" in both.text
    assert 'value="odd"' in both.text and "checked" in both.text  # the form is kept
    too_many = client.post(
        url, data={"csrf_token": good, "mode": "venues", "venues_from": "2", "venues_to": "9"}
    )
    assert too_many.status_code == 422 and "only 7 venues" in too_many.text


def test_whatif_from_the_pages(client: TestClient, small_files: dict[str, bytes]) -> None:
    plan_id = upload(client, small_files)
    good = token(client, f"/plans/{plan_id}/whatif")
    answer = client.post(
        f"/plans/{plan_id}/whatif",
        data={
            "csrf_token": good, "mode": "scenarios", "time_limit": "10",
            "s1_name": "Skive lukket", "s1_closed": "skive",
            "s2_name": "Randers påkrævet", "s2_required": "randers", "s2_max_venues": "6",
        },
        follow_redirects=False,
    )  # fmt: skip
    assert answer.status_code == 303, answer.text
    job_id = answer.headers["location"].rsplit("/", 1)[1]
    assert wait_for(client, job_id, timeout=90)["status"] == "done"
    page = client.get(f"/jobs/{job_id}/whatif").text
    assert "Hvad nu hvis-sammenligning" in page
    assert "Planen, som den er" in page and "Skive lukket" in page and "Randers påkrævet" in page
    assert "lukket: Skive" in page and "påkrævet: Randers" in page
    assert "Virksomheder placeret" in page and "Samlet rejse (km, én vej)" in page
    assert f'src="/jobs/{job_id}/files/whatif.png"' in page
    chart = client.get(f"/jobs/{job_id}/files/whatif.png")
    assert chart.status_code == 200 and chart.content.startswith(b"\x89PNG")
    book = client.get(f"/jobs/{job_id}/files/whatif.xlsx")
    assert book.status_code == 200 and book.content.startswith(b"PK")
    maps = re.findall(rf'href="(/jobs/{job_id}/maps/[a-z0-9-]+\.html)"', page)
    assert len(maps) == 3
    shown = client.get(maps[1])
    assert shown.status_code == 200 and "Leaflet 1.9.3" in shown.text
    assert client.get(f"/jobs/{job_id}/maps/nope.html").status_code == 404
    assert client.get(f"/jobs/{job_id}/files/comparison.json").status_code == 404
    assert "Tidligere sammenligninger" in client.get(f"/plans/{plan_id}/whatif").text


@pytest.mark.parametrize("word", ["remed"])  # replan, next-round, programme exist
def test_features_that_do_not_exist_are_not_shown(
    client: TestClient, small_files: dict[str, bytes], word: str
) -> None:
    plan_id = upload(client, small_files)
    for url in ("/", f"/plans/{plan_id}", f"/plans/{plan_id}/roster", f"/plans/{plan_id}/whatif"):
        for lang in ("da", "en"):
            page = client.get(f"{url}?lang={lang}").text.lower()
            assert not re.search(rf'href="[^"]*{word}', page), (url, word)


def _catalog() -> Any:
    path = WEB / "translations" / "da" / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as handle:
        return read_po(handle, locale="da")


def test_every_text_has_a_danish_translation() -> None:
    """The catalog is complete and in step with the templates and the code (see docs/web.md
    for the two pybabel commands that update it)."""
    method_map = [("**.py", "python"), ("templates/**.html", "jinja2")]
    options = {"templates/**.html": {"trim_blocks": "true", "lstrip_blocks": "true"}}
    keywords = {"_": None, "gettext": None, "ngettext": (1, 2), "N_": None}
    found = set()
    for _, _, message, _, _ in extract_from_dir(
        str(WEB), method_map, options, keywords=keywords, strip_comment_tags=True
    ):
        found.add(message if isinstance(message, str) else tuple(message))
    catalog = _catalog()
    known = {m.id if isinstance(m.id, str) else tuple(m.id): m for m in catalog if m.id}
    missing = found - set(known)
    assert not missing, f"not in messages.po (run pybabel extract + update): {missing}"
    stale = set(known) - found
    assert not stale, f"in messages.po but no longer used: {stale}"
    for key, message in known.items():
        strings = [message.string] if isinstance(message.string, str) else list(message.string)
        assert all(strings), f"no Danish for {key!r}"
        assert not message.fuzzy, f"fuzzy: {key!r}"
        ids = [key] if isinstance(key, str) else list(key)
        wanted = set(re.findall(r"%\(\w+\)s", ids[-1]))
        for text in strings:
            assert set(re.findall(r"%\(\w+\)s", text)) == wanted, (key, text)


def test_no_text_is_left_untranslated_on_the_pages(solved: tuple[TestClient, str, str]) -> None:
    """A few English words that would show a text outside the catalog."""
    client, plan_id, job_id = solved
    for url in ("/", f"/plans/{plan_id}", f"/plans/{plan_id}/roster", f"/plans/{plan_id}/whatif",
                f"/jobs/{job_id}"):  # fmt: skip
        page = client.get(url + "?lang=da").text
        visible = re.sub(
            r"<[^>]+>", " ", re.split(r"<main[^>]*>", page)[1].split('id="unplaced"')[0]
        )
        for english in ("Upload the", "Roster of", "Companies per", "Time limit", " venues "):
            assert english not in visible, (url, english)


def test_failure_sentences_in_danish() -> None:
    from camp_planner.web.app import job_error
    from camp_planner.web.jobs import CRASHED, RESTARTED
    from camp_planner.web.store import Job
    from camp_planner.web.worker import INTERNAL

    gettext = i18n.translations("da").gettext

    def job(error: str) -> Job:
        return Job("0" * 16, "1" * 16, "solve", "failed", {}, 0.0, 0.0, 1.0, "", {}, error)

    assert job_error(job(RESTARTED), gettext).startswith("Serveren blev genstartet")
    assert job_error(job(CRASHED.format(code=-9)), gettext).startswith("Beregningen stoppede")
    internal = job_error(job(INTERNAL + "(ValueError: x)."), gettext)
    assert internal == "Beregningen stoppede med en intern fejl (ValueError: x)."
    assert job_error(job("The round is too short."), gettext) == "The round is too short."
