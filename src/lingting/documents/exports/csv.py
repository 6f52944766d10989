"""A report as CSV for Excel: every table of every section, one after another under its
section and table title, header row first.

The cells are the XLSX's: real numbers for figures (a rate as a fraction, a change with its
sign) and text for the rest, so a spreadsheet sums and sorts them. Text comes from data
(queue, agent, tag names, reviewers' notes), so it goes through the engine's Excel-safe
writer: a cell that starts like a formula is quoted and never runs. UTF-8 with a BOM, so
Excel on a Chinese Windows reads UTF-8 rather than GBK.
"""

from __future__ import annotations

import io

from lingting.documents.document import Cell, Num, ReportDocument
from lingting.engine.excel_csv import ExcelSafeWriter


def render_csv(document: ReportDocument) -> bytes:
    out = io.StringIO()
    writer = ExcelSafeWriter(out)
    writer.writerow([document.title, document.period_label, document.scope_label])
    for section in document.sections:
        for table in section.tables:
            writer.writerow([])
            writer.writerow([f"{section.title} · {table.title}" if table.title else section.title])
            writer.writerow([column.title for column in table.columns])
            writer.writerows([_value(cell) for cell in row] for row in table.rows)
            if not table.rows and table.empty:
                writer.writerow([table.empty])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _value(cell: Cell) -> object:
    value = cell.value if isinstance(cell, Num) else cell
    return "" if value is None else value
