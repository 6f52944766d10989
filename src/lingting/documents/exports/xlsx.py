"""A report as an Excel workbook: one sheet per section, a title and period on top, styled
headers, real numbers with number formats (so management can sort and sum), native charts."""

from __future__ import annotations

import io
import re
from typing import Any

import xlsxwriter  # type: ignore[import-untyped]
from django.utils import timezone
from django.utils.translation import gettext as _

from lingting.documents.document import Chart, Fmt, Num, ReportDocument, Table

NUMBER_FORMATS = {
    Fmt.INT: "#,##0",
    Fmt.NUMBER: "#,##0.0",
    Fmt.PERCENT: "0.0%",
    Fmt.CHANGE_INT: "+#,##0;-#,##0;0",
    Fmt.CHANGE_NUMBER: "+#,##0.0;-#,##0.0;0.0",
    Fmt.CHANGE_POINTS: "+0.0%;-0.0%;0.0%",
}
FONT = "Microsoft YaHei"
SHEET_NAME_LIMIT = 31


def _sheet_name(title: str, used: set[str]) -> str:
    base = re.sub(r"[\[\]:*?/\\]", " ", title)[:SHEET_NAME_LIMIT].strip() or "Sheet"
    name, n = base, 2
    while name.lower() in used:
        suffix = f" ({n})"
        name = base[: SHEET_NAME_LIMIT - len(suffix)] + suffix
        n += 1
    used.add(name.lower())
    return name


def render_xlsx(document: ReportDocument) -> bytes:
    out = io.BytesIO()
    # Titles, labels and paragraphs carry data (queue, agent, tag names, people's words):
    # `write()` must never read a string that starts with "=" as a formula (CSV/XLSX
    # injection), so strings always stay text.
    book = xlsxwriter.Workbook(
        out, {"in_memory": True, "strings_to_numbers": False, "strings_to_formulas": False}
    )
    base = {"font_name": FONT, "font_size": 10, "valign": "top"}
    styles: dict[str, Any] = {
        "title": book.add_format({**base, "bold": True, "font_size": 16}),
        "meta": book.add_format({**base, "font_color": "#555555"}),
        "table": book.add_format({**base, "bold": True, "font_size": 12}),
        "header": book.add_format(
            {
                **base,
                "bold": True,
                "bg_color": "#1F4E79",
                "font_color": "#FFFFFF",
                "border": 1,
                "text_wrap": True,
                "align": "center",
                "valign": "vcenter",
            }
        ),
        "text": book.add_format({**base, "border": 1}),
        "wide": book.add_format({**base, "border": 1, "text_wrap": True}),
        "para": book.add_format({**base, "text_wrap": True}),
    }
    numbers = {
        fmt: book.add_format({**base, "border": 1, "num_format": code})
        for fmt, code in NUMBER_FORMATS.items()
    }
    used: set[str] = set()
    generated = timezone.localtime(document.generated_at).strftime("%Y-%m-%d %H:%M")
    for section in document.sections:
        sheet = book.add_worksheet(_sheet_name(section.title, used))
        sheet.hide_gridlines(2)
        sheet.write(0, 0, document.title, styles["title"])
        sheet.write(
            1,
            0,
            _("周期：%(p)s    范围：%(s)s    生成时间：%(t)s")
            % {"p": document.period_label, "s": document.scope_label, "t": generated},
            styles["meta"],
        )
        sheet.write(2, 0, section.title, styles["table"])
        row = 3
        widths: dict[int, float] = {}
        for paragraph in section.paragraphs:
            sheet.merge_range(row, 0, row, 9, paragraph, styles["para"])
            sheet.set_row(row, 15 * max(1, len(paragraph) // 60 + 1))
            row += 1
        for table in section.tables:
            row = _table(sheet, row + 1, table, styles, numbers, widths)
        for column, width in widths.items():
            sheet.set_column(column, column, width)
        for chart in section.charts:
            row = _chart(book, sheet, row + 1, chart, styles)
    if not document.sections:  # pragma: no cover - every layout has a section
        book.add_worksheet()
    book.close()
    return out.getvalue()


def _table(
    sheet: Any,
    row: int,
    table: Table,
    styles: dict[str, Any],
    numbers: dict[Fmt, Any],
    widths: dict[int, float],
) -> int:
    sheet.write(row, 0, table.title, styles["table"])
    row += 1
    for col, column in enumerate(table.columns):
        sheet.write(row, col, column.title, styles["header"])
        widths[col] = max(widths.get(col, 8), min(40 if column.wide else 18, _width(column.title)))
    sheet.set_row(row, 30)
    row += 1
    if not table.rows and table.empty:
        sheet.write(row, 0, table.empty, styles["meta"])
        return row + 1
    for cells in table.rows:
        for col, (cell, column) in enumerate(zip(cells, table.columns, strict=True)):
            fmt = cell.fmt if isinstance(cell, Num) else column.fmt
            if isinstance(cell, Num):
                cell = cell.value
            if cell is None:
                sheet.write_blank(row, col, None, styles["text"])
            elif isinstance(cell, str):
                style = styles["wide"] if column.wide else styles["text"]
                sheet.write_string(row, col, cell, style)
                limit = 40 if column.wide else 24
                widths[col] = max(widths.get(col, 8), min(limit, _width(cell)))
            elif isinstance(cell, bool):
                sheet.write_boolean(row, col, cell, styles["text"])
            else:
                sheet.write_number(row, col, float(cell), numbers.get(fmt, styles["text"]))
                widths[col] = max(widths.get(col, 8), 10)
        row += 1
    return row


def _width(text: str) -> float:
    # A CJK character is about two Latin ones wide.
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text.split("\n")[0]) + 2


def _chart(book: Any, sheet: Any, row: int, chart: Chart, styles: dict[str, Any]) -> int:
    """Write the chart's data beside the sheet (columns M on) and a native chart over it."""
    data_col = 12
    sheet.write(row, data_col, chart.title, styles["table"])
    sheet.write(row + 1, data_col, "", styles["header"])
    for j, series in enumerate(chart.series):
        sheet.write(row + 1, data_col + 1 + j, series.name, styles["header"])
    labels = list(chart.labels)
    forecast = [b for b in chart.forecast if b is not None]
    if forecast:
        labels.append(f"{forecast[0].label}（{chart.forecast_name}）")
    for i, label in enumerate(labels):
        sheet.write_string(row + 2 + i, data_col, label, styles["text"])
        for j, series in enumerate(chart.series):
            values = list(series.values)
            if forecast:
                band = chart.forecast[j] if j < len(chart.forecast) else None
                values.append(band.value if band else None)
            value = values[i]
            if value is not None:
                sheet.write_number(row + 2 + i, data_col + 1 + j, value)
    native = book.add_chart({"type": "column" if chart.kind == "bar" else "line"})
    first, last = row + 2, row + 1 + len(labels)
    for j, series in enumerate(chart.series):
        spec: dict[str, Any] = {
            "name": series.name,
            "categories": [sheet.name, first, data_col, last, data_col],
            "values": [sheet.name, first, data_col + 1 + j, last, data_col + 1 + j],
        }
        if chart.kind == "line":
            spec["marker"] = {"type": "circle", "size": 5}
            if forecast:
                spec["points"] = [None] * (len(labels) - 1) + [
                    {"fill": {"none": True}, "border": {"dash_type": "dash"}}
                ]
        native.add_series(spec)
    native.set_title({"name": chart.title, "name_font": {"name": FONT, "size": 12}})
    native.set_legend({"position": "bottom", "font": {"name": FONT}})
    if chart.percent:
        native.set_y_axis({"num_format": "0%", "min": 0})
    native.set_size({"width": 640, "height": 300})
    sheet.insert_chart(row, 0, native)
    return row + max(len(labels) + 3, 17)
