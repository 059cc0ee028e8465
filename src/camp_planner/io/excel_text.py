"""Text that Excel would run as a formula: what starts one, and reading back a text the
Excel-safe writer (:mod:`camp_planner.outputs.excel_safe`) protected with an apostrophe."""

from __future__ import annotations

#: A cell text starting with one of these is a formula to Excel.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def unprotected(text: str) -> str:
    """The text as it was before the writer put an apostrophe before a formula trigger."""
    if text.startswith("'") and text[1:2] in FORMULA_TRIGGERS and text[1:2] != "":
        return text[1:]
    return text
