"""The files of a replan: changes.csv, invitations with their UIDs kept and SEQUENCE
raised where changed, cancellations, roster.json's replan key; [change_cost] and pins.csv."""

from __future__ import annotations

import csv
import json
from datetime import date
from pathlib import Path

import pytest
from icalendar import Calendar

from camp_planner.io.errors import InputError
from camp_planner.outputs.ics import write_invitations
from camp_planner.outputs.replan_files import retired_ids, write_replan_outputs
from camp_planner.replan import ChangeCost, Pin, PinField, replan
from camp_planner.replan.inputs import read_change_cost, read_pins, read_published
from tests.helpers.sched_build import TOWN_A, TOWN_B, co, rnd, ve
from tests.replan.build import cohort, d, problem_of, published

AS_OF = date(2027, 1, 1)
VENUES = [ve("A", TOWN_A), ve("B", TOWN_B)]
COLUMNS = [
    "company_id",
    "name",
    "change",
    "old_cohort_id",
    "new_cohort_id",
    "old_venue_id",
    "new_venue_id",
    "old_dates",
    "new_dates",
]


def events(path: Path) -> dict[str, tuple[str, int, str]]:
    """UID -> (first date, SEQUENCE, STATUS) of a calendar file's events."""
    cal = Calendar.from_ical(path.read_bytes())
    return {
        str(e["uid"]): (
            e.decoded("dtstart").isoformat(),
            int(e.get("sequence", 0)),
            str(e.get("status", "")),
        )
        for e in cal.walk("VEVENT")
    }


@pytest.fixture
def scene(tmp_path: Path):
    """C01 unchanged, C02 cancelled (both members withdrew), C03 re-dated (venue A booked
    on its module day), two young late sign-ups in a new cohort (C04)."""
    companies = [co("a0"), co("a1"), co("b0", TOWN_B), co("b1", TOWN_B), co("c0"), co("c1")]
    before = problem_of(rnd(), companies, VENUES)
    roster = published(
        before,
        [
            cohort("C01", "A", ["a0", "a1"], ["2027-01-12"], "2027-02-02"),
            cohort("C02", "B", ["b0", "b1"], ["2027-01-13"], "2027-02-03"),
            cohort("C03", "A", ["c0", "c1"], ["2027-01-14"], "2027-02-04"),
        ],
    )
    write_invitations(before, roster, tmp_path / "published")
    booked = VENUES[0].model_copy(update={"unavailable": frozenset({d("2027-01-14")})})
    late = [co("n0", TOWN_B, young=True), co("n1", TOWN_B, young=True)]  # cannot join C02
    now = problem_of(rnd(), [*companies[:2], *companies[4:], *late], [booked, VENUES[1]])
    result = replan(now, roster, AS_OF, time_limit=20)
    files = write_replan_outputs(now, result, {}, tmp_path / "replan")
    return tmp_path, now, roster, result, files


def test_changes_csv_has_exactly_the_columns_and_a_row_per_change(scene):
    tmp_path, _, _, result, files = scene
    with open(files["changes"], encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0]) == COLUMNS
    changes = {r["company_id"]: r["change"] for r in rows}
    assert changes == {
        "b0": "withdrawn",
        "b1": "withdrawn",
        "c0": "dates",
        "c1": "dates",
        "n0": "new",
        "n1": "new",
    }
    c0 = next(r for r in rows if r["company_id"] == "c0")
    assert c0["old_dates"] == "2027-01-14;2027-02-04"
    assert c0["new_dates"].endswith(";2027-02-04") and c0["new_dates"] != c0["old_dates"]
    assert result.summary == (
        "2 companies withdrew, 1 cohort re-dated, 1 cohort cancelled, "
        "1 new cohort, 2 late sign-ups placed, nobody lost a place"
    )


def test_invitations_keep_their_uids_and_raise_sequence_where_changed(scene):
    tmp_path, *_ = scene
    old = {p.stem: events(p) for p in (tmp_path / "published" / "invitations").glob("C*.ics")}
    new = {p.stem: events(p) for p in (tmp_path / "replan" / "invitations").glob("C*.ics")}
    assert set(new) == {"C01", "C03", "C04"}
    assert new["C01"] == old["C01"]  # nothing changed: same UIDs, SEQUENCE 0
    assert set(new["C03"]) == set(old["C03"])  # same UIDs although the module moved
    moved = [uid for uid, (day, _, _) in old["C03"].items() if day == "2027-01-14"]
    assert new["C03"][moved[0]][0] != "2027-01-14"
    assert new["C03"][moved[0]][1] == 1
    lab = next(uid for uid in old["C03"] if uid not in moved)
    assert new["C03"][lab] == old["C03"][lab]
    cancelled = tmp_path / "replan" / "cancelled" / "C02.ics"
    assert b"METHOD:CANCEL" in cancelled.read_bytes()
    gone = events(cancelled)
    assert set(gone) == set(old["C02"])
    assert {(seq, status) for _, seq, status in gone.values()} == {(1, "CANCELLED")}
    facilitator = events(tmp_path / "replan" / "invitations" / "facilitator.ics")
    assert set(facilitator) == set().union(*(set(e) for e in new.values()), gone)


def test_replanning_the_replanned_roster_keeps_uids_and_sequences(scene):
    tmp_path, now, _, result, files = scene
    data = json.loads(files["roster"].read_bytes())
    assert data["replan"]["summary"] == result.summary
    assert data["replan"]["retired_cohort_ids"] == ["C02"]
    again, record = read_published(files["roster"])
    assert retired_ids(record) == {"C02"}
    second = replan(now, again, AS_OF, retired=retired_ids(record), time_limit=20)
    assert second.rows == [] and second.summary == "no changes; nobody lost a place"
    write_replan_outputs(now, second, record, tmp_path / "again")
    for name in ("C01", "C03", "C04"):
        first = events(tmp_path / "replan" / "invitations" / f"{name}.ics")
        assert events(tmp_path / "again" / "invitations" / f"{name}.ics") == first
    assert not (tmp_path / "again" / "cancelled").exists() or not list(
        (tmp_path / "again" / "cancelled").glob("*.ics")
    )


def test_change_cost_is_read_from_round_toml(tmp_path: Path):
    (tmp_path / "round.toml").write_text('name = "T"\n[change_cost]\nmoved = 3\ndates = 0\n')
    assert read_change_cost(tmp_path) == ChangeCost(moved=3, dates=0)
    (tmp_path / "round.toml").write_text('name = "T"\n')
    assert read_change_cost(tmp_path) == ChangeCost()


def test_bad_change_costs_are_reported_all_at_once(tmp_path: Path):
    text = 'name = "T"\n[change_cost]\nmoved = -1\nvenue = 2.5\nvenu = 3\n'
    (tmp_path / "round.toml").write_text(text)
    with pytest.raises(InputError) as caught:
        read_change_cost(tmp_path)
    found = {(p.column, p.row) for p in caught.value.problems}
    assert found == {("change_cost.moved", 3), ("change_cost.venue", 4), ("change_cost.venu", 5)}


def test_pins_csv(tmp_path: Path):
    roster = published(
        problem_of(rnd(), [co("a0"), co("a1")], VENUES),
        [cohort("C01", "A", ["a0", "a1"], ["2027-01-12"], "2027-02-02")],
    )
    good = tmp_path / "pins.csv"
    good.write_text("cohort_id,field\nC01,Venue\nC01,dates\nC01,venue\n")
    pins, notes = read_pins(good, roster)
    assert pins == [Pin("C01", PinField.VENUE), Pin("C01", PinField.DATES)]
    assert notes == ["pins.csv: C01 venue is pinned twice"]
    bad = tmp_path / "bad.csv"
    bad.write_text("cohort_id,field\nC09,venue\nC01,room\n")
    with pytest.raises(InputError) as caught:
        read_pins(bad, roster)
    assert [(p.row, p.column) for p in caught.value.problems] == [(2, "cohort_id"), (3, "field")]
    (tmp_path / "cols.csv").write_text("cohort\nC01\n")
    with pytest.raises(InputError):
        read_pins(tmp_path / "cols.csv", roster)
