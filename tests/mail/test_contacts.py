"""Contacts in companies.csv and the invitation keys of round.toml: read, and checked."""

from __future__ import annotations

from pathlib import Path

import pytest

from camp_planner.io.errors import InputError, InputProblem
from camp_planner.io.folder import load_folder, load_folder_with_notes

ROUND = 'name = "R"\nstart = 2027-01-04\nend = 2027-03-26\n'
VENUES = "venue_id,name,lat,lon,adresse\nhern,Herning Kongrescenter,56.14,8.97,Østergade 1\n"


def _folder(tmp_path: Path, companies: str, round_extra: str = "") -> Path:
    (tmp_path / "companies.csv").write_text(companies, encoding="utf-8")
    (tmp_path / "venues.csv").write_text(VENUES, encoding="utf-8")
    (tmp_path / "round.toml").write_text(ROUND + round_extra, encoding="utf-8")
    return tmp_path


def _problems(folder: Path) -> list[InputProblem]:
    with pytest.raises(InputError) as info:
        load_folder(folder)
    return info.value.problems


def test_danish_contact_columns_are_read(tmp_path: Path) -> None:
    companies = (
        "company_id,navn,lat,lon,young,level,kontaktperson,e-mail\n"
        "1,Ærø Æbler ApS,56.1,9.5,false,C,Søren Ågård,soren@aeroe.dk\n"
        "2,Bøgh I/S,56.2,9.5,false,C,,\n"
    )
    keys = 'coordinator_name = "Åse"\ncoordinator_email = "aase@region.dk"\n'
    keys += 'session_start = "9:00"\nsession_end = 16:00:00\nreply_by = "20-12-2026"\n'
    problem, notes = load_folder_with_notes(_folder(tmp_path, companies, keys))
    first, second = problem.companies
    assert (first.contact_name, first.email) == ("Søren Ågård", "soren@aeroe.dk")
    assert (second.contact_name, second.email) == (None, None)
    assert problem.venues[0].address == "Østergade 1"
    config = problem.round
    assert (config.session_start, config.session_end) == ("09:00", "16:00")
    assert str(config.reply_by) == "2026-12-20" and config.coordinator_email == "aase@region.dk"
    assert not [n for n in notes if "not used" in n or "ignored" in n]


@pytest.mark.parametrize(
    "address",
    [
        "soren.aeroe.dk",  # no @
        "soren@aeroe",  # no dot in the domain
        "Søren <soren@aeroe.dk>",  # a display name is not an address
        "a@b.dk; c@d.dk",  # two addresses
    ],
)
def test_a_bad_address_is_a_problem_of_its_row(tmp_path: Path, address: str) -> None:
    companies = (
        "company_id,name,lat,lon,young,level,email\n"
        "1,A,56.1,9.5,false,C,ok@firma.dk\n"
        f'2,B,56.1,9.5,false,C,"{address}"\n'
    )
    (problem,) = _problems(_folder(tmp_path, companies))
    assert (problem.file, problem.row, problem.column) == ("companies.csv", 3, "email")
    assert problem.value == address and "e-mail address" in problem.expected


@pytest.mark.parametrize(
    ("line", "key"),
    [
        ('coordinator_email = "aase"', "coordinator_email"),
        ('session_start = "9.00"\nsession_end = "16:00"', "session_start"),
        ('session_start = "09:00"', "session_end"),  # one without the other
        ('session_start = "16:00"\nsession_end = "09:00"', "session_end"),  # ends before it starts
        ('reply_by = "soon"', "reply_by"),
    ],
)
def test_bad_invitation_keys_are_problems(tmp_path: Path, line: str, key: str) -> None:
    companies = "company_id,name,lat,lon,young,level\n1,A,56.1,9.5,false,C\n"
    problems = _problems(_folder(tmp_path, companies, line + "\n"))
    assert [(p.file, p.column) for p in problems] == [("round.toml", key)]
