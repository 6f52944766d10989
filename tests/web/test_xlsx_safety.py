"""An XLSX export never turns data into a formula: a queue, section or chart label that
starts with "=" is written as the text it is."""

from __future__ import annotations

import io
import zipfile
from datetime import UTC, datetime

from lingting.reports.document import Chart, Column, ReportDocument, Section, Series, Table
from lingting.reports.exports.xlsx import render_xlsx

FORMULA = '=HYPERLINK("http://evil.example","点我")'


def test_data_strings_starting_with_a_formula_sign_stay_text() -> None:
    table = Table(title=FORMULA, columns=[Column(FORMULA), Column("量")], rows=[[FORMULA, 3]])
    chart = Chart(kind="bar", title=FORMULA, labels=[FORMULA], series=[Series(FORMULA, [1.0])])
    document = ReportDocument(
        title=FORMULA,
        period_label="2026-10",
        scope_label=FORMULA,
        generated_at=datetime(2026, 11, 1, tzinfo=UTC),
        sections=[Section(title=FORMULA, paragraphs=[FORMULA], tables=[table], charts=[chart])],
    )

    book = zipfile.ZipFile(io.BytesIO(render_xlsx(document)))
    sheets = [book.read(n).decode() for n in book.namelist() if n.startswith("xl/worksheets/")]

    assert not any("<f>" in sheet for sheet in sheets)  # no formula cell anywhere
    assert "HYPERLINK" in book.read("xl/sharedStrings.xml").decode()
