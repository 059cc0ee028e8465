"""Reading a roster.json back (written by :mod:`camp_planner.outputs.roster_files`)."""

from __future__ import annotations

import os
from pathlib import Path

from pydantic import ValidationError

from camp_planner.models import Roster


class RosterFileError(ValueError):
    """A roster.json that cannot be read; the message says why in a sentence."""


def read_roster(path: str | os.PathLike[str]) -> Roster:
    """Read a roster.json.

    Args:
        path: The file.

    Returns:
        The roster.

    Raises:
        RosterFileError: The file is missing, unreadable or not a roster.json.
    """
    file = Path(path)
    try:
        data = file.read_bytes()
    except FileNotFoundError:
        raise RosterFileError(f"No roster at {file}.") from None
    except OSError as exc:
        raise RosterFileError(f"Cannot read {file}: {exc}") from None
    try:
        return Roster.from_json(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first.get("loc", ())) or "the document"
        raise RosterFileError(
            f"{file} is not a roster.json ({exc.error_count()} problem(s); "
            f"first at {where}: {first.get('msg', '')})."
        ) from None
