"""Reading back a CSV file the product wrote, with either separator: ``;`` (a Danish round,
for Danish Excel) or ``,`` (an English round and the contract's files). Written here, not
imported from the product, so the tests do not read with the code they check."""

from __future__ import annotations

import csv
import io
from pathlib import Path


def delimiter_of(text: str) -> str:
    """``;`` when the header row holds more of them than commas, else ``,``."""
    header = text.removeprefix("\ufeff").split("\n", 1)[0]
    return ";" if header.count(";") > header.count(",") else ","


def rows_of_text(text: str) -> list[dict[str, str]]:
    """The rows of a CSV text (column -> cell)."""
    text = text.removeprefix("\ufeff")
    return list(csv.DictReader(io.StringIO(text), delimiter=delimiter_of(text)))


def rows_of(path: Path) -> list[dict[str, str]]:
    """The rows of a CSV file (UTF-8, with or without a byte-order mark)."""
    return rows_of_text(path.read_text(encoding="utf-8-sig"))
