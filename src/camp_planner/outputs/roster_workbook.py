"""roster.xlsx written in openpyxl's streaming (write-only) mode.

The workbook of :func:`camp_planner.outputs.writers.write_roster_xlsx`: the same sheets,
header row, cells, number formats and layout as a sheet written by pandas and then passed
through :func:`~camp_planner.outputs.writers.set_number_formats`,
:func:`~camp_planner.outputs.writers.format_sheet` and
:func:`~camp_planner.outputs.excel_safe.protect_text_cells`, but every row is written once,
in order, and nothing is kept in memory as cells: what the layout needs (column widths,
heights of rows with wrapped text) is worked out from the table before the rows are
written. 10,000 companies (9,710 of them unplaced, each with a long reason) take a few
seconds instead of minutes.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Hashable, Sequence
from datetime import date, datetime, timedelta
from typing import Any

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties

from camp_planner.outputs.excel_safe import FORMULA_TRIGGERS

__all__ = ["DATETIME_FORMAT", "stream_sheet"]

#: pandas' format of a datetime cell (the roster's tables hold dates, not datetimes).
DATETIME_FORMAT = "YYYY-MM-DD HH:MM:SS"
#: The header cells' font (format_sheet's).
_HEADER_FONT = Font(name="Calibri", size=11, bold=True)
_WRAPPED = Alignment(wrap_text=True, vertical="top")
_TOP = Alignment(vertical="top")


def _value(value: Any, date_format: str) -> tuple[Any, str | None]:
    """A table value as pandas writes it to a cell, and the number format pandas gives it."""
    if value is None or (pd.api.types.is_scalar(value) and pd.isna(value)):
        return "", None  # pandas' na_rep (None, NaN, NaT, NA)
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, pd.Timestamp):
        value = value.to_pydatetime()
    if isinstance(value, datetime):
        return value, DATETIME_FORMAT
    if isinstance(value, date):
        return value, date_format
    if isinstance(value, timedelta):
        return value.total_seconds() / 86400, "0"
    if isinstance(value, float) and math.isinf(value):
        return "", None
    return value, None


def _shown_length(value: object, date_format: str) -> int:
    if isinstance(value, date):
        return len(date_format) + 2  # digits are wider than most letters
    return len(str(value))


class _Cells:
    """The sheet's cells as values and formats, before any is written."""

    def __init__(
        self,
        frame: pd.DataFrame,
        pick: Callable[[int, int], str | None],
        whole: frozenset[str],
        booleans: str,
        date_format: str,
    ) -> None:
        self.rows: list[list[Any]] = []
        self.formats: list[list[str | None]] = []
        for row_number, row in enumerate(frame.itertuples(index=False, name=None), start=2):
            values: list[Any] = []
            formats: list[str | None] = []
            for column_number, raw in enumerate(row, start=1):
                value, number_format = _value(raw, date_format)
                if isinstance(value, bool):  # LibreOffice shows a bare boolean as 0 or 1
                    number_format = booleans
                elif value != "" and not isinstance(value, str):
                    picked = pick(row_number, column_number)
                    if picked is not None:
                        if picked in whole and isinstance(value, float) and value.is_integer():
                            value = int(value)
                        number_format = picked
                values.append(value)
                formats.append(number_format)
            self.rows.append(values)
            self.formats.append(formats)


def stream_sheet(
    book: Workbook,
    name: str,
    frame: pd.DataFrame,
    header: Sequence[Hashable],
    pick: Callable[[int, int], str | None],
    *,
    whole: frozenset[str],
    booleans: str,
    date_format: str,
    max_width: int,
) -> None:
    """Write one table as a sheet of a write-only workbook.

    Args:
        book: ``Workbook(write_only=True)``.
        name: The sheet's name.
        frame: The table (its text already :func:`~camp_planner.outputs.excel_safe.xlsx_frame`).
        header: The header row as shown (the column names, or their translations).
        pick: ``(row, column) -> number format`` as for ``set_number_formats`` (1-based).
        whole: Formats that store a whole float as an int.
        booleans: The number format of booleans.
        date_format: The number format of dates.
        max_width: The widest column; longer text wraps.
    """
    cells = _Cells(frame, pick, whole, booleans, date_format)
    sheet = book.create_sheet(name)
    widths = [max(8, _shown_length(h, date_format) + 2) for h in header]
    wrapped: dict[int, int] = {}  # row -> text lines of its longest wrapped cell
    for row_number, values in enumerate(cells.rows, start=2):
        for index, value in enumerate(values):
            if value is None:
                continue
            length = _shown_length(value, date_format)
            widths[index] = max(widths[index], length + 2)
            if length > max_width - 2:
                need = math.ceil(length * 1.1 / (max_width - 2))
                wrapped[row_number] = max(wrapped.get(row_number, 1), need)
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = min(width, max_width)
    for row_number, lines in wrapped.items():  # neither Excel nor LibreOffice grows rows
        sheet.row_dimensions[row_number].height = 15 * lines
    sheet.freeze_panes = "A2"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    sheet.print_title_rows = "1:1"
    last = f"{get_column_letter(max(len(header), 1))}{len(cells.rows) + 1}"
    sheet.auto_filter.ref = f"A1:{last}"
    sheet.append([_header_cell(sheet, title) for title in header])
    styled = _StyledCells(sheet, max_width)
    for row_number, (values, formats) in enumerate(
        zip(cells.rows, cells.formats, strict=True), start=2
    ):
        top = row_number in wrapped
        sheet.append(
            [
                styled.cell(column, value, number_format, top)
                for column, (value, number_format) in enumerate(zip(values, formats, strict=True))
            ]
        )


def _header_cell(sheet: Any, title: Any) -> Any:
    cell = WriteOnlyCell(sheet, value=title)
    if isinstance(title, str) and cell.data_type == "f":
        cell.data_type = "s"
    cell.font = _HEADER_FONT
    return cell


class _StyledCells:
    """Cells for a row: a plain value where it needs no style, else a styled cell; text is
    never a formula. A write-only sheet writes a row when it is appended, so one cell per
    column and style is made once and given each row's value (setting styles cell by cell
    took most of the time)."""

    def __init__(self, sheet: Any, max_width: int) -> None:
        self.sheet, self.max_width = sheet, max_width
        self._made: dict[tuple[int, str | None, bool, Alignment | None], Any] = {}

    def cell(self, column: int, value: Any, number_format: str | None, top: bool) -> Any:
        text = isinstance(value, str)
        quote = text and value.startswith(FORMULA_TRIGGERS)
        if number_format is None and not quote and not top:
            return value  # ("=..." starts with a trigger: quoted, styled)
        alignment = None
        if top:
            wrap = not isinstance(value, date) and len(str(value)) > self.max_width - 2
            alignment = _WRAPPED if wrap else _TOP
        key = (column, number_format, quote, alignment)
        cell = self._made.get(key)
        if cell is None:
            cell = self._made[key] = WriteOnlyCell(self.sheet)
            if quote:
                cell.quotePrefix = True
            if number_format is not None:
                cell.number_format = number_format
            if alignment is not None:
                cell.alignment = alignment
        cell.value = value
        if text and cell.data_type == "f":
            cell.data_type = "s"
        return cell
