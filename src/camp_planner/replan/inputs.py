"""What replan and fit read besides the planning folder: round.toml's ``[change_cost]``,
pins.csv, the published roster with its replan record, and the names of its companies
(docs/replan.md)."""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path
from typing import Any

from camp_planner.i18n import N_, Message
from camp_planner.io.errors import Collector, InputError
from camp_planner.io.excel_text import unprotected
from camp_planner.io.roster_file import read_roster
from camp_planner.io.tables import read_csv_table
from camp_planner.models import Roster
from camp_planner.replan.setup import ChangeCost, Pin, PinField

ROUND_TOML = "round.toml"
PINS_COLUMNS = ("cohort_id", "field")
#: A missing column (the same text as the planning folder's, io/folder.py).
_A_COLUMN = N_("a column %(columns)s")


def read_change_cost(folder: Path) -> ChangeCost:
    """round.toml's ``[change_cost]`` table (the defaults for keys not given).

    Raises:
        InputError: a key that is not a weight, or a weight that is not a whole number >= 0.
    """
    path = Path(folder) / ROUND_TOML
    out = Collector()
    try:
        text = path.read_bytes().decode("utf-8-sig", errors="replace")
        data = tomllib.loads(text)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        readable = Message(N_("a readable TOML file (%(error)s)"), error=str(exc))
        out.problem(ROUND_TOML, None, None, None, readable)
        raise InputError(out.problems) from None
    table = data.get("change_cost", {})
    lines = text.splitlines()
    opens = (i + 1 for i, ln in enumerate(lines) if re.match(r"\s*\[change_cost\]", ln))
    header = next(opens, None)
    if not isinstance(table, dict):
        out.problem(ROUND_TOML, header, "change_cost", str(table), N_("a table [change_cost]"))
        raise InputError(out.problems)
    known = ChangeCost.__dataclass_fields__
    values: dict[str, int] = {}
    after = [(i + 1, ln.strip()) for i, ln in enumerate(lines) if header and i + 1 > header]
    for key, value in table.items():
        line = next((n for n, ln in after if re.match(rf"{re.escape(key)}\s*=", ln)), header)
        if key not in known:
            out.problem(
                ROUND_TOML,
                line,
                f"change_cost.{key}",
                str(value),
                Message(N_("one of the weights %(weights)s"), weights=", ".join(known)),
            )
        elif isinstance(value, bool) or not isinstance(value, int) or value < 0:
            out.problem(
                ROUND_TOML, line, f"change_cost.{key}", str(value), N_("a whole number, 0 or more")
            )
        else:
            values[key] = value
    if out.problems:
        raise InputError(out.problems)
    return ChangeCost(**values)


def read_pins(path: Path, published: Roster) -> tuple[list[Pin], list[str]]:
    """pins.csv: ``cohort_id`` and ``field`` (``members``, ``venue`` or ``dates``) per row.

    Returns:
        The pins, and notes (a pin twice).

    Raises:
        InputError: unreadable file, missing column, unknown cohort or field.
    """
    out = Collector()
    table = read_csv_table(Path(path), out)
    if table is not None:
        for column in PINS_COLUMNS:
            if column not in table.columns:
                out.problem(table.label, 1, column, None, Message(_A_COLUMN, columns=column))
    if table is None or out.problems:
        raise InputError(out.problems)
    ids = [c.cohort_id for c in published.cohorts]
    fields = [f.value for f in PinField]
    pins: list[Pin] = []
    for row_no, row in enumerate(table.rows, start=2):
        cid, what = row["cohort_id"], row["field"].strip().lower()
        if not cid and not what:
            continue
        if cid not in ids:
            out.problem(
                table.label, row_no, "cohort_id", cid, N_("a cohort_id of the published roster")
            )
        if what not in fields:
            expected = N_("members, venue or dates")
            out.problem(table.label, row_no, "field", row["field"], expected)
        if cid in ids and what in fields:
            pin = Pin(cid, PinField(what))
            if pin in pins:
                note = N_("%(file)s: %(cohort)s %(field)s is pinned twice")
                out.notes.append(Message(note, file=table.label, cohort=cid, field=what))
            else:
                pins.append(pin)
    if out.problems:
        raise InputError(out.problems)
    return pins, [str(note) for note in out.notes]


def read_published(path: Path) -> tuple[Roster, dict[str, Any]]:
    """The published roster and its ``replan`` record (empty when it was never replanned).

    Raises:
        RosterFileError: the file is missing or not a roster.json.
    """
    roster = read_roster(path)
    try:
        record = json.loads(Path(path).read_bytes()).get("replan") or {}
    except (ValueError, AttributeError):
        record = {}
    return roster, record if isinstance(record, dict) else {}


def published_names(roster_path: Path) -> dict[str, str]:
    """company_id -> name from the participants.csv beside a published roster.json (its
    withdrawn companies are no longer in the folder); {} when there is none."""
    out = Collector()
    path = Path(roster_path).parent / "participants.csv"
    table = read_csv_table(path, out) if path.exists() else None
    if table is None or not {"company_id", "name"} <= set(table.columns):
        return {}
    # csv_text wrote a name that looks like a formula with a leading apostrophe
    return {row["company_id"]: unprotected(row["name"]) for row in table.rows}
