"""CSV a spreadsheet opens safely: the one guard against text that it would run as a formula.

A spreadsheet runs a cell that starts with "=", "+", "-" or "@" (or a tab or carriage
return before one) as a formula, so a letter's text could reach a formula bar live. A
guarded cell gets a leading apostrophe, which the spreadsheet shows as text.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
BYTE_ORDER_MARK = "\ufeff"  # tells a spreadsheet the CSV is UTF-8


def guard_formula(value: Any) -> Any:
    """A text cell a spreadsheet would run as a formula, with a leading apostrophe; any
    other value as it is."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def line_end(excel: bool) -> str:
    """CRLF for spreadsheets, newline otherwise."""
    return "\r\n" if excel else "\n"


def with_mark(text: str, excel: bool) -> str:
    """The CSV text, with the byte-order mark in front for spreadsheets."""
    return (BYTE_ORDER_MARK if excel else "") + text


def csv_table(header: Sequence[str], rows: Iterable[Sequence[Any]], excel: bool = False) -> str:
    """CSV with a header row, every text cell guarded against formulas; `excel` adds the
    byte-order mark and CRLF line ends."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator=line_end(excel))
    writer.writerow(header)
    for row in rows:
        writer.writerow([guard_formula(v) for v in row])
    return with_mark(out.getvalue(), excel)
