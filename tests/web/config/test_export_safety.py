"""Exports are safe to open: no data string becomes a formula, in XLSX or in CSV (a queue,
section or chart label that starts with "=", "+", "-" or "@" stays the text it is), and
figures stay numbers."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import UTC, datetime
from typing import Any

from django.urls import reverse

from lingting.core.models import User
from lingting.documents.document import Chart, Column, ReportDocument, Section, Series, Table
from lingting.documents.exports.xlsx import render_xlsx
from lingting.interactions.models import Queue
from lingting.workorders.models import Department, WorkOrder
from tests.conftest import SHANGHAI
from tests.web.workorders.test_report import two_months  # noqa: F401 (a fixture)
from tests.web.workorders.test_services import departments  # noqa: F401 (a fixture)

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


def test_the_report_csv_quotes_data_that_looks_like_a_formula_and_keeps_numbers(
    client_for: Any, org: Any, make_contact: Any, ops_zhou: User
) -> None:
    org.queues["EVIL"] = Queue.objects.create(code="EVIL", name=FORMULA)
    for day in (5, 6):
        make_contact(
            queue="EVIL", started_at=datetime(2026, 10, day, 10, tzinfo=SHANGHAI), score=80
        )

    response = client_for(ops_zhou).get(
        reverse("reports:download", args=["monthly", "csv"]) + "?period=2026-10"
    )

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert 'quality-month-2026-10.csv"' in response["Content-Disposition"]
    assert response.content.startswith(b"\xef\xbb\xbf")  # Excel reads UTF-8
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    cells = [cell for row in rows for cell in row]
    assert FORMULA not in cells
    queue_rows = [row for row in rows if row and row[0] == "'" + FORMULA]
    assert queue_rows  # the queue's row, its name quoted
    assert queue_rows[0][1] == "2"  # its contacts: a number, as written


def test_the_work_order_report_csv_quotes_a_department_that_looks_like_a_formula(
    client_for: Any,
    two_months: dict[str, WorkOrder],  # noqa: F811 (the fixture imported above)
    ops_zhou: User,
) -> None:
    Department.objects.filter(name="营销部").update(name="-营销部")

    response = client_for(ops_zhou).get("/tickets/report/download.csv?period=2026-10")

    assert response.status_code == 200
    assert 'workorders-month-2026-10.csv"' in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][0] == "工单月报"
    department_rows = [row for row in rows if row and row[0].endswith("营销部")]
    assert department_rows
    assert all(row[0] == "'-营销部" for row in department_rows)
    assert "0.5" in [cell for row in department_rows for cell in row]  # its return rate
