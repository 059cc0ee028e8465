"""One language per page (issues 17 and 18): bad input posted to each form of the
coordinator's year on a Danish page gets a problem table whose texts are Danish (none of
test_language's English words in the file, field or expected text), while the JSON API keeps
its English texts as clients read them."""

from __future__ import annotations

import html
import re
from typing import Any

from fastapi.testclient import TestClient

from tests.web.conftest import upload
from tests.web.test_language import english_words
from tests.web.test_pages import token

ROW = re.compile(r"<tr>\s*(.*?)</tr>", re.S)
#: The places of problems that are no file, as the JSON API names them.
PLACES_IN_ENGLISH = ("(request)", "(plan)", "(settings)", "(programme)", "(no file)")
CELL = re.compile(r"<td[^>]*>(.*?)</td>", re.S)


def problem_rows(page: str) -> list[list[str]]:
    """The problem table's rows: [file, row, column, value, expected], as shown."""
    start = page.find('<table class="problems">')
    assert start >= 0, "the page shows a problem table"
    body = page[page.index("<tbody>", start) : page.index("</tbody>", start)]
    rows = []
    for row in ROW.findall(body):
        cells = [html.unescape(re.sub(r"<[^>]+>", "", c)).strip() for c in CELL.findall(row)]
        rows.append(cells)
    assert rows, "the table lists the problems"
    return rows


def english_in(page: str) -> list[tuple[str, list[str]]]:
    """The English words of the table's file, column and expected texts (the value is what
    was typed)."""
    found = []
    for file, _row, column, _value, expected in problem_rows(page):
        words = english_words(f"{file} {column} {expected}")
        if file in PLACES_IN_ENGLISH:
            words.append(file)
        if words:
            found.append((f"{file}, {column}: {expected}", words))
    return found


def _post(client: TestClient, url: str, data: dict[str, Any]) -> str:
    answer = client.post(
        url + "?lang=da", data={"csrf_token": token(client), **data}, follow_redirects=False
    )
    assert answer.status_code == 422, (url, answer.status_code, answer.text[:500])
    assert 'lang="da"' in answer.text
    return answer.text


PUBLISH_FIRST = "en offentliggjort holdplan (offentliggør først)"
SECONDS = "1 til 3600 sekunder"
#: Each form of the year with bad input: (its address below the plan, the form's fields,
#: Danish texts of problems the input causes).
FORMS: dict[str, tuple[str, dict[str, str], tuple[str, ...]]] = {
    "replan": ("/replan", {"as_of": "31-02-2027", "time_limit": "0"},
               (PUBLISH_FIRST, "en dato, f.eks. 2027-02-01", SECONDS)),
    "save changes": ("/replan", {"only_save": "1"}, (PUBLISH_FIRST,)),
    "fit": ("/fit", {"company_id": "00000000", "as_of": "x", "time_limit": "9999"},
            ("en virksomhed i planen", SECONDS)),
    "choose": ("/fit/choose", {"job_id": "x", "rank": "1"},
               ("en færdig pladssøgning for denne plan",)),
    "remedies": ("/remedies", {"per_solve": "0"}, (SECONDS,)),
    "programme": ("/programme", {"rounds": "2", "time_limit": "-1"}, (SECONDS,)),
    "settings": ("/settings", {"name": "", "start": "2027-05-01", "end": "2027-01-01"}, ()),
    # the next round starting before this round ends
    "next round": ("/next-round", {"name": "Efterår", "start": "2027-01-01",
                                   "end": "2027-02-01"}, ()),
}  # fmt: skip


def test_problems_of_the_year_forms_are_danish(
    make_client: Any, small_files: dict[str, bytes]
) -> None:
    client = make_client(solver_workers=1)
    plan_id = upload(client, small_files)  # not solved, not published
    seen: dict[str, list[Any]] = {}
    shown: dict[str, list[list[str]]] = {}
    for name, (below, data, danish) in FORMS.items():
        text = _post(client, f"/plans/{plan_id}{below}", data)
        shown[name] = problem_rows(text)
        found = english_in(text)
        if found:
            seen[name] = found
        for words in danish:  # the Danish text of each problem the input caused, shown
            assert any(words in row[4] for row in shown[name]), (name, words, shown[name])
    new_plan = {"name": "Forår", "start": "2027-05-01", "end": "2027-01-01"}
    found = english_in(_post(client, "/plans/new", new_plan))
    if found:
        seen["new plan"] = found
    assert not seen, seen
    assert shown["replan"][0][:3] == ["(planen)", "", "Offentliggjort holdplan"]
    assert shown["choose"][0][:3] == ["(formularen)", "", "Beregning"]
    assert shown["fit"][1][2] == "Virksomhed", shown["fit"]  # company_id, as the page says

    # the JSON API keeps the English texts, exactly
    answer = client.post(f"/api/plans/{plan_id}/replan", json={"as_of": "x", "time_limit": 0})
    expected = {p["expected"] for p in answer.json()["problems"]}
    assert {"a published roster (Publish first)", "a date, e.g. 2027-02-01",
            "1 to 3600 seconds"} <= expected, expected  # fmt: skip
    answer = client.post(f"/api/plans/{plan_id}/rename", json={"name": ""})
    assert answer.json()["problems"][0]["expected"] == "a name of 1 to 200 characters"
