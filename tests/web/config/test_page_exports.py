"""Charts and downloads on the KPI, assessment, occupancy, satisfaction and trust pages: the
reports' SVG charts on the page, and the table the page shows as CSV (safe to open in Excel)
and XLSX, with the page's filters and the page's masking."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.test import Client

from lingting.core.models import Role, User
from lingting.interactions.models import Queue
from lingting.performance.models import MonthlyAssessment
from tests.conftest import Org
from tests.web.quality.test_trust import reviewed  # noqa: F401 (a fixture)
from tests.web.surveys.test_surveys import surveyed  # noqa: F401 (a fixture)
from tests.web.workforce.test_occupancy import states  # noqa: F401 (a fixture)

ClientFor = Callable[[User], Client]
pytestmark = pytest.mark.django_db
DAY = {"date_from": "2026-10-01", "date_to": "2026-10-01"}


def _csv(response: Any) -> list[list[str]]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith("attachment;")
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def _xlsx_strings(response: Any) -> str:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = zipfile.ZipFile(io.BytesIO(response.content))
    return book.read("xl/sharedStrings.xml").decode()


def _page(response: Any) -> str:
    assert response.status_code == 200
    text: str = response.content.decode()
    assert "<svg" in text.split('class="report-charts page-charts"')[1]
    assert 'id="download-csv"' in text
    assert 'id="download-xlsx"' in text
    return text


def _row_of(rows: list[list[str]], first: str) -> list[str]:
    return next(row for row in rows if row and row[0] == first)


def test_kpis_chart_and_download_the_table_with_its_filters(
    org: Org, make_contact: Any, client_for: ClientFor, qa_zhao: User
) -> None:
    for _n in range(3):
        make_contact(queue="ACD-01", disposition="answered")
    make_contact(queue="ACD-02", disposition="answered")
    client = client_for(qa_zhao)
    query = {"by": ["queue"], **DAY}

    page = _page(client.get("/performance/kpis/", query))
    rows = _csv(client.get("/performance/kpis/", {**query, "export": "csv"}))

    assert 'href="?by=queue&amp;date_from=2026-10-01&amp;date_to=2026-10-01&amp;export=csv"' in page
    header = next(row for row in rows if "呼入量" in row)
    assert header[:2] == ["ACD组", "呼入量"]
    assert _row_of(rows, "话费查询")[1:3] == ["3", "3"]  # offered, answered: real numbers
    assert "话费查询" in _xlsx_strings(
        client.get("/performance/kpis/", {**query, "export": "xlsx"})
    )


def test_a_queue_name_that_looks_like_a_formula_is_neutralised(
    org: Org, make_contact: Any, client_for: ClientFor, qa_zhao: User
) -> None:
    Queue.objects.filter(code="ACD-01").update(name='=HYPERLINK("http://x","点我")')
    make_contact(queue="ACD-01", disposition="answered")

    rows = _csv(client_for(qa_zhao).get("/performance/kpis/", {"by": ["queue"], "export": "csv"}))

    assert any(row and row[0] == '\'=HYPERLINK("http://x","点我")' for row in rows)
    assert not any(row and row[0].startswith("=") for row in rows)


def test_assessment_chart_and_download(org: Org, client_for: ClientFor, ops_zhou: User) -> None:
    MonthlyAssessment.objects.create(
        month=date(2026, 10, 1),
        agent=org.agents["A1001"],
        queue="ACD-02",
        total=91.5,
        final=96.5,
        points=5,
        rank=1,
    )
    client = client_for(ops_zhou)

    _page(client.get("/performance/assessment/", {"month": "2026-10"}))
    rows = _csv(client.get("/performance/assessment/", {"month": "2026-10", "export": "csv"}))

    assert _row_of(rows, "1")[1:4] == ["李娜", "一班", "故障报修"]
    assert _row_of(rows, "1")[-1] == "96.5"
    assert "李娜" in _xlsx_strings(
        client.get("/performance/assessment/", {"month": "2026-10", "export": "xlsx"})
    )


def test_an_agent_downloads_only_their_own_assessment(
    org: Org, client_for: ClientFor, agent_li: User
) -> None:
    for code, final in [("A1001", 90.0), ("A1002", 80.0)]:
        MonthlyAssessment.objects.create(
            month=date(2026, 10, 1), agent=org.agents[code], final=final
        )
    rows = _csv(
        client_for(agent_li).get("/performance/assessment/", {"month": "2026-10", "export": "csv"})
    )
    text = "\n".join(",".join(row) for row in rows)
    assert "李娜" in text
    assert "张伟" not in text


@pytest.mark.usefixtures("states")
def test_occupancy_chart_and_download(client_for: ClientFor, ops_zhou: User) -> None:
    client = client_for(ops_zhou)

    _page(client.get("/workforce/occupancy/", DAY))
    rows = _csv(client.get("/workforce/occupancy/", {**DAY, "export": "csv"}))

    li = next(row for row in rows if row and "李娜" in row[0])
    assert li[1] == "2026-10-01"
    assert float(li[2]) == 2.0  # logged in two hours
    assert float(li[7]) == pytest.approx(40 / 100)  # occupancy: 40 min busy+ACW of 100
    assert "2026-10-01" in _xlsx_strings(
        client.get("/workforce/occupancy/", {**DAY, "export": "xlsx"})
    )


@pytest.mark.usefixtures("surveyed")
def test_satisfaction_download_masks_numbers_as_the_page_does(
    client_for: ClientFor, ops_zhou: User
) -> None:
    admin = User.objects.create_user("admin_he", role=Role.ADMIN, first_name="何")
    query = {"by": ["team"], **DAY}

    page = _page(client_for(ops_zhou).get("/surveys/", query))
    masked = _csv(client_for(ops_zhou).get("/surveys/", {**query, "export": "csv"}))
    full = _csv(client_for(admin).get("/surveys/", {**query, "export": "csv"}))
    xlsx = _xlsx_strings(client_for(ops_zhou).get("/surveys/", {**query, "export": "xlsx"}))

    assert "138****5678" in page
    masked_text = "\n".join(",".join(row) for row in masked)
    assert "138****5678" in masked_text
    assert "13812345678" not in masked_text
    assert "13812345678" in "\n".join(",".join(row) for row in full)
    assert "13812345678" not in xlsx
    team = _row_of(masked, "一班")
    assert team[1] == "3"
    # CSAT and the very-satisfied share, each followed by its margin in points
    assert [float(team[2]), float(team[4])] == pytest.approx([2 / 3, 1 / 3], abs=1e-3)
    assert _row_of(masked, "合计")[1] == "5"


@pytest.mark.usefixtures("reviewed")
def test_trust_chart_and_download(client_for: ClientFor, qa_zhao: User) -> None:
    client = client_for(qa_zhao)

    _page(client.get("/quality/trust/"))
    rows = _csv(client.get("/quality/trust/", {"export": "csv"}))

    header = next(row for row in rows if "推翻率" in row)
    assert header[:2] == ["自动质检项", "编号"]
    forbidden = next(row for row in rows if len(row) > 1 and row[1] == "forbidden_phrases")
    assert forbidden[2:7] == ["7", "6", "2", "4", "0"]  # reviewed, hits, confirmed, false, missed
    assert float(forbidden[8]) == pytest.approx(4 / 6, abs=1e-3)  # the overturn rate
    assert forbidden[10] == "是"  # flagged
    assert _xlsx_strings(client.get("/quality/trust/", {"export": "xlsx"}))


def test_an_unknown_format_is_not_found(client_for: ClientFor, qa_zhao: User) -> None:
    assert client_for(qa_zhao).get("/performance/kpis/", {"export": "exe"}).status_code == 404


def test_an_agent_may_not_download_the_trust_table(client_for: ClientFor, agent_li: User) -> None:
    assert client_for(agent_li).get("/quality/trust/", {"export": "csv"}).status_code == 403
