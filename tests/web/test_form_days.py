"""A bad facilitator day on a form (issue 18's weak spot): the problem says what the form
takes, day-first dates separated by ; as its hint says, with the day as typed, never
round.toml's list syntax ("[31-02-2027]", "a list of dates, e.g. [2027-02-15]"). On the
settings form, the programme form and the Changes page, in Danish and in English; the JSON
API and the round.toml reader keep their own texts."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from tests.web.conftest import upload
from tests.web.test_pages import token
from tests.web.test_problems_language import english_in, problem_rows
from tests.web.test_year_replan import _solved_and_published

TYPED = "15-02-2027; 31-02-2027; 1 marts"
#: The rows the typed days give, as the page shows them: (value, expected), by language.
ROWS = {
    "da": [
        ("31-02-2027", "'31-02-2027': denne dag findes ikke (måneden har 28 dage); feltet "
         "tager datoer skrevet med dagen først og adskilt af ; (f.eks. 15-02-2027; 16-02-2027)"),
        ("1 marts",
         "datoer skrevet med dagen først og adskilt af ; (f.eks. 15-02-2027; 16-02-2027)"),
    ],
    "en": [
        ("31-02-2027", "'31-02-2027': this day does not exist (the month has 28 days); the "
         "field takes dates written day first and separated by ; (e.g. 15-02-2027; "
         "16-02-2027)"),
        ("1 marts", "dates written day first and separated by ; (e.g. 15-02-2027; 16-02-2027)"),
    ],
}  # fmt: skip
LABEL = {"da": "Dage facilitatoren ikke kan", "en": "Days the facilitator cannot"}


def _days_rows(page: str, lang: str) -> list[tuple[str, str, str]]:
    """(where, value, expected) of the problem rows of the facilitator's days."""
    rows = [r for r in problem_rows(page) if r[2] == LABEL[lang]]
    assert rows, problem_rows(page)
    for row in rows:
        assert "[" not in row[3] + row[4] and "2027-02-15" not in row[4], row  # no TOML
    return [(r[0], r[3], r[4]) for r in rows]


def test_the_settings_form_says_what_it_takes(
    client: TestClient, small_files: dict[str, bytes]
) -> None:
    plan_id = upload(client, small_files)
    for lang in ("da", "en"):
        form = {"csrf_token": token(client, f"/plans/{plan_id}/settings"), "name": "Forår",
                "start": "2027-02-01", "end": "2027-04-30",
                "facilitator_unavailable": TYPED}  # fmt: skip
        answer = client.post(f"/plans/{plan_id}/settings?lang={lang}", data=form)
        assert answer.status_code == 422
        assert [r[1:] for r in _days_rows(answer.text, lang)] == ROWS[lang]
        if lang == "da":
            assert not english_in(answer.text), english_in(answer.text)
    # the JSON API and the round.toml reader keep the reader's text
    body = {"name": "API", "start": "2027-02-01", "end": "2027-04-30",
            "facilitator_unavailable": ["31-02-2027"]}  # fmt: skip
    answer = client.put(f"/api/plans/{plan_id}/settings", json=body)
    assert answer.status_code == 422
    assert answer.json()["problems"] == [
        {"file": "round.toml", "row": None, "column": "facilitator_unavailable",
         "value": "[31-02-2027]", "expected": "a list of dates, e.g. [2027-02-15]"},
    ]  # fmt: skip
    assert client.get(f"/api/plans/{plan_id}/settings").json()["version"] == 1


def test_the_new_plan_form_says_what_it_takes(client: TestClient) -> None:
    for lang in ("da", "en"):
        form = {"csrf_token": token(client, "/plans/new"), "name": "Forår",
                "start": "2027-02-01", "end": "2027-04-30",
                "facilitator_unavailable": TYPED}  # fmt: skip
        answer = client.post(f"/plans/new?lang={lang}", data=form)
        assert answer.status_code == 422
        assert [r[1:] for r in _days_rows(answer.text, lang)] == ROWS[lang]


def test_the_programme_form_says_what_it_takes(
    client: TestClient, small_files: dict[str, bytes]
) -> None:
    plan_id = upload(client, small_files)
    for lang in ("da", "en"):
        form = {
            "csrf_token": token(client, f"/plans/{plan_id}/programme"), "rounds": "2",
            "time_limit": "5",
            "round-1-name": "Q1", "round-1-start": "2027-01-04", "round-1-end": "2027-03-26",
            "round-1-facilitator_unavailable": "08-03-2027",
            "round-2-name": "Q2", "round-2-start": "2027-03-27", "round-2-end": "2027-06-16",
            "round-2-facilitator_unavailable": TYPED,
        }  # fmt: skip
        answer = client.post(f"/plans/{plan_id}/programme?lang={lang}", data=form)
        assert answer.status_code == 422
        where = {"da": "Runde 2", "en": "Round 2"}[lang]  # the round's legend, not a line
        assert _days_rows(answer.text, lang) == [(where, *row) for row in ROWS[lang]]
        assert f'value="{TYPED}"' in answer.text  # shown again as typed
        if lang == "da":
            assert not english_in(answer.text), english_in(answer.text)


def test_the_changes_page_says_what_it_takes(
    make_client: Any, small_files: dict[str, bytes]
) -> None:
    client = make_client(solver_workers=1)
    plan_id, _ = _solved_and_published(client, small_files)
    for lang in ("da", "en"):
        form = {"csrf_token": token(client, f"/plans/{plan_id}/changes"), "only_save": "1",
                "as_of": "2027-01-04", "facilitator_changed": "1",
                "facilitator_days": TYPED}  # fmt: skip
        answer = client.post(f"/plans/{plan_id}/replan?lang={lang}", data=form)
        assert answer.status_code == 422, answer.text[:300]
        assert [r[1:] for r in _days_rows(answer.text, lang)] == ROWS[lang]
        if lang == "da":
            assert not english_in(answer.text), english_in(answer.text)
    versions = client.get(f"/api/plans/{plan_id}/versions").json()
    assert len(versions["versions"]) == 1, versions  # nothing kept
