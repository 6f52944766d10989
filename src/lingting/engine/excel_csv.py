"""CSV that is safe to open in Excel: data can never become a formula (CSV injection).

Excel (and LibreOffice, WPS) runs a cell that starts with ``=``, ``+``, ``-`` or ``@`` as a
formula, and a leading tab or carriage return can hide such a start. A queue, an agent, a
tag or a customer's words all come from outside, so a cell holding one of them that starts
that way gets a single quote in front (the OWASP advice): Excel shows the text as written.

Only strings are data. Numbers the program computed (a change of -0.5, a count) are written
as numbers, unchanged, so a spreadsheet can still sum them; a caller must therefore pass
figures as numbers, never pre-formatted as text.

Every CSV Lingting writes goes through `ExcelSafeWriter` (or `safe_cell` for a writer of
its own).
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import Any, Protocol

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
NEUTRALISER = "'"


class _TextOut(Protocol):
    def write(self, text: str, /) -> Any: ...


def safe_cell(value: object) -> object:
    """`value` as a CSV cell: a string that a spreadsheet would read as a formula gets a
    leading single quote; everything else (numbers, None, dates) is left as it is."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return NEUTRALISER + value
    return value


class ExcelSafeWriter:
    """`csv.writer` whose every row passes through `safe_cell`."""

    def __init__(self, out: _TextOut, **fmtparams: Any) -> None:
        self._writer = csv.writer(out, **fmtparams)

    def writerow(self, row: Iterable[object]) -> None:
        self._writer.writerow([safe_cell(value) for value in row])

    def writerows(self, rows: Iterable[Iterable[object]]) -> None:
        for row in rows:
            self.writerow(row)
