"""Text that is safe to open in Excel: no cell of a file we write runs as a formula.

Company names, unplaced reasons and scenario names come from outside (a company's
registration, a coordinator's file). Opened in Excel or LibreOffice, a CSV cell such as
``=HYPERLINK("http://x")`` or ``+cmd|' /C calc'!A0`` would run as a formula ("CSV
injection"). Every CSV the product writes therefore goes through :func:`csv_text`, which
writes a text cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return with a
leading ``'`` (OWASP's advice): Excel shows the text, apostrophe included, and runs nothing.
Only text is changed: numbers, dates, booleans and empty cells are written as they are,
so a delta column keeps ``-12.5``. A line break inside a cell is written as ``\\n`` in a
quoted field (a lone carriage return would otherwise end the row).

In a workbook a text cell is never run, as long as it is stored as text: openpyxl stores a
string starting with ``=`` as a formula, so :func:`protect_text_cells` turns such cells back
into text cells (and marks them "quote prefix", as Excel does when one types ``'=...``, so
editing the cell does not turn it into a formula either). Workbook text keeps its exact
value, without an apostrophe. :func:`xlsx_frame` removes the control characters a
workbook cannot hold (e.g. the vertical tab Word puts in pasted text), which openpyxl
refuses with an error.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import pandas as pd
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.worksheet.worksheet import Worksheet

from camp_planner.io.excel_text import FORMULA_TRIGGERS

__all__ = [
    "FORMULA_TRIGGERS",
    "csv_text",
    "neutralise",
    "neutralise_frame",
    "protect_text_cells",
    "xlsx_frame",
    "xlsx_text",
]

#: The first characters with which a spreadsheet reads a cell as a formula.

T = TypeVar("T")


def neutralise(value: T) -> T:
    """A text that would start a formula, with a leading ``'``; any other value as it is.

    ``neutralise("=1+1") == "'=1+1"``, ``neutralise("-") == "'-"``, ``neutralise(-12.5) ==
    -12.5`` (a number is not text), ``neutralise("Aarhus") == "Aarhus"``.
    """
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value  # type: ignore[return-value]  # still a str
    return value


def _is_text_column(series: pd.Series) -> bool:
    return pd.api.types.is_object_dtype(series) or pd.api.types.is_string_dtype(series)


def _map_text(frame: pd.DataFrame, change: Callable[[Any], Any]) -> pd.DataFrame:
    """A copy of `frame` with `change` applied to the cells of its text (and mixed)
    columns and to its column names; numeric, boolean and date columns as they are."""
    out = frame.copy()
    for index in range(frame.shape[1]):
        series = frame.iloc[:, index]
        if _is_text_column(series):
            out.isetitem(index, series.map(change).to_numpy(dtype=object))
    out.columns = [change(c) for c in frame.columns]
    return out


def neutralise_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of `frame` with :func:`neutralise` applied to its text cells and column names.

    Numeric, boolean and date columns are left alone; in a mixed (object) column only the
    strings change.
    """
    return _map_text(frame, neutralise)


def _line_ends(value: T) -> T:
    """A text's line breaks as ``\\n``: the csv module quotes a field holding ``\\n`` but
    not one holding a lone ``\\r``, which a spreadsheet would take for the end of a row."""
    if isinstance(value, str) and "\r" in value:
        return value.replace("\r\n", "\n").replace("\r", "\n")  # type: ignore[return-value]
    return value


def csv_text(frame: pd.DataFrame, lang: str = "en") -> str:
    """`frame` as CSV text safe to open in Excel: no index, ``\\n`` line ends, every text
    cell through :func:`neutralise` (and a line break inside a cell written as ``\\n``, in
    a quoted field). The one way the product writes a CSV file.

    For a Danish round (`lang` ``da``) as Danish Excel reads a CSV file: ``;`` between the
    fields and a decimal comma in numbers (``12,5``; a field holding ``;``, such as a list
    of dates, is quoted); otherwise ``,`` and a decimal point, as the contract's files
    (docs/planning-folder.md, "Files for Danish Excel"). The readers take both."""
    safe = _map_text(neutralise_frame(frame), _line_ends)
    if lang == "da":
        return safe.to_csv(index=False, lineterminator="\n", sep=";", decimal=",")
    return safe.to_csv(index=False, lineterminator="\n")


def xlsx_text(value: T) -> T:
    """A text without the control characters an xlsx cell cannot hold; other values as
    they are."""
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)  # type: ignore[return-value]
    return value


def xlsx_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of `frame` whose text cells and column names are :func:`xlsx_text`."""
    return _map_text(frame, xlsx_text)


def protect_text_cells(sheet: Worksheet) -> None:
    """Store every text cell of `sheet` as text, never as a formula.

    openpyxl makes a formula of any string starting with ``=``; such cells become text
    cells again. Text starting with any of :data:`FORMULA_TRIGGERS` is marked "quote
    prefix", so that Excel keeps it text when somebody edits the cell.
    """
    for row in sheet.iter_rows():
        for cell in row:
            value: Any = cell.value
            if not isinstance(value, str):
                continue
            if cell.data_type == "f":
                cell.data_type = "s"
            if value.startswith(FORMULA_TRIGGERS):
                cell.quotePrefix = True
