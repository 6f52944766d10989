"""The work-order report (/tickets/report/): each figure counted as the page defines it, on
a month pinned to the 2026 National Day holiday, beside the month before; who may read it;
the real loop's replies and returns counted from its trail; the XLSX and PDF downloads."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import zipfile
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from lingting.calendars.services import calendar_load
from lingting.core.models import User
from lingting.documents.periods import PeriodKind, parse_period, period_containing
from lingting.interactions.models import Customer
from lingting.workorders.models import Department, WorkOrder, WorkOrderEvent, WorkOrderType
from lingting.workorders.selectors.report import period_figures, workorder_report
from lingting.workorders.services.creation import workorder_create
from lingting.workorders.services.steps import (
    workorder_accept,
    workorder_dispatch,
    workorder_reply,
    workorder_return,
)
from tests.conftest import SHANGHAI
from tests.web.workorders.test_services import departments  # noqa: F401 (a fixture)

ClientFor = Callable[[User], Client]
OCTOBER = parse_period(PeriodKind.MONTH, "2026-10")


def _at(month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=SHANGHAI)


class Orders:
    """Orders and trail rows written straight into the tables at chosen times (the report
    reads the tables; the services would stamp every row with the present)."""

    def __init__(self, actor: User) -> None:
        self.actor = actor
        self.count = 0

    def order(
        self,
        code: str,
        *,
        created: datetime,
        department: Department | None = None,
        customer: str = "",
        parent: WorkOrder | None = None,
        closed: datetime | None = None,
        due: datetime | None = None,
        urges: int = 0,
    ) -> WorkOrder:
        self.count += 1
        return WorkOrder.objects.create(
            number=f"GD-T{WorkOrder.objects.count() + 1:03d}",
            type=WorkOrderType.objects.get(code=code),
            title=f"工单 {self.count}",
            customer=Customer.objects.get_or_create(code=customer)[0] if customer else None,
            parent=parent,
            department=department,
            created_by=self.actor,
            created_at=created,
            state="closed" if closed else "dispatched",
            closed_at=closed,
            due_at=due or _at(12, 31, 0),
            urges=urges,
        )

    def step(self, order: WorkOrder, action: str, at: datetime) -> None:
        WorkOrderEvent.objects.create(
            order=order, action=action, actor=self.actor, at=at, after=order.state, version=1
        )


@pytest.fixture
def two_months(ops_zhou: User, departments: dict[str, Department]) -> dict[str, WorkOrder]:  # noqa: F811
    """October 2026 (National Day 10-01..07 off, Sat 10-10 a make-up workday) and September.

    October: A complaint (customer U1) Fri 10-09 08:30 → Sat 10-10 17:30, in time; B fault
    Mon 10-12 08:30 → 12:00, past its 10:00 deadline, urged twice; C a complaint of U1 again
    on 10-20 (a repeat), urged once; D a complaint of U2, whose last one was on 08-01; E a
    complaint with no customer; P a consultation split between both departments, whose
    营销部 child is replied, returned and replied again. September: G, replied and returned.
    """
    calendar_load(year=2026)
    yx, yj = departments["D-YX"], departments["D-YJ"]
    made = Orders(ops_zhou)
    orders = {
        "A": made.order(
            "complaint",
            created=_at(10, 9, 8, 30),
            closed=_at(10, 10, 17, 30),
            due=_at(10, 20, 10),
            department=yx,
            customer="U1",
        ),
        "B": made.order(
            "fault",
            created=_at(10, 12, 8, 30),
            closed=_at(10, 12, 12),
            due=_at(10, 12, 10),
            department=yj,
            urges=2,
        ),
        "C": made.order("complaint", created=_at(10, 20, 9), department=yx, customer="U1", urges=1),
        "D": made.order("complaint", created=_at(10, 21, 9), customer="U2"),
        "D0": made.order("complaint", created=_at(8, 1, 9), customer="U2"),
        "E": made.order("complaint", created=_at(10, 22, 9)),
        "P": made.order("consultation", created=_at(10, 5, 9)),
        "G": made.order(
            "fault",
            created=_at(9, 15, 9),
            closed=_at(9, 16, 9),
            due=_at(9, 20, 9),
            department=yj,
        ),
    }
    orders["P1"] = made.order(
        "consultation", created=_at(10, 5, 9), parent=orders["P"], department=yx
    )
    orders["P2"] = made.order(
        "consultation", created=_at(10, 5, 9), parent=orders["P"], department=yj
    )
    made.step(orders["P1"], "reply", _at(10, 6, 9))
    made.step(orders["P1"], "return", _at(10, 7, 9))
    made.step(orders["P1"], "reply", _at(10, 8, 9))
    made.step(orders["B"], "reply", _at(10, 12, 11))
    made.step(orders["G"], "reply", _at(9, 15, 10))
    made.step(orders["G"], "return", _at(9, 15, 11))
    return orders


def test_each_figure_is_counted_as_the_page_defines_it(two_months: dict[str, WorkOrder]) -> None:
    figures = period_figures(OCTOBER)

    assert figures.received == 8  # A B C D E P and P's two children
    assert figures.by_type == {"投诉": 4, "故障报修": 1, "业务咨询": 1}  # top-level only
    assert figures.by_department["营销部"].received == 3  # A, C, P's child
    assert figures.by_department["运检部"].received == 2  # B, P's child
    assert (figures.closed, figures.closed_on_time, figures.on_time_rate) == (2, 1, 0.5)
    assert (figures.replies, figures.returns) == (3, 1)
    assert figures.by_department["营销部"].return_rate == 0.5
    assert figures.by_department["运检部"].return_rate == 0.0
    assert figures.urges_per_order == 0.5  # 3 urges over 6 top-level orders
    # A: 33 natural hours, 15 working hours (Fri and the make-up Saturday, 7.5 h each);
    # B: 3.5 hours either way.
    assert figures.natural_hours == pytest.approx((33 + 3.5) / 2)
    assert figures.business_hours == pytest.approx((15 + 3.5) / 2)
    # A, C and D have a known customer; C repeats A within 30 days, D's last was 81 days ago.
    assert (figures.complaints, figures.repeat_complaints) == (3, 1)


def test_the_repeat_window_is_a_parameter(two_months: dict[str, WorkOrder]) -> None:
    assert period_figures(OCTOBER, repeat_days=90).repeat_complaints == 2
    assert period_figures(OCTOBER, repeat_days=10).repeat_complaints == 0


def test_each_figure_stands_beside_the_previous_month(two_months: dict[str, WorkOrder]) -> None:
    report = workorder_report(OCTOBER)

    assert report.previous.key == "2026-09"
    returns = report.figure("return_rate")
    assert returns.value == pytest.approx(1 / 3)
    assert returns.previous == 1.0
    assert returns.change == pytest.approx(1 / 3 - 1)
    assert report.figure("received").change == 8 - 1


def test_the_page_shows_the_figures_charts_and_definitions(
    client_for: ClientFor, two_months: dict[str, WorkOrder], ops_zhou: User
) -> None:
    response = client_for(ops_zhou).get("/tickets/report/?period=2026-10")
    page = response.content.decode()

    assert response.status_code == 200
    assert "工单月报" in page
    assert "2026-10（2026-10-01 至 2026-10-31）" in page
    assert "回复退单率" in page
    assert "33.3%" in page  # the return rate
    assert "-66.7pp" in page  # against September's 100%
    assert "各部门受理量与回复退单率" in page
    assert page.count("<svg") == 2
    assert "此前 30 天内" in page
    assert "style=" not in page


def test_a_week_and_another_repeat_window_can_be_asked_for(
    client_for: ClientFor, two_months: dict[str, WorkOrder], leader_wang: User
) -> None:
    page = client_for(leader_wang).get("/tickets/report/?period=2026-W41&days=7").content.decode()

    assert "工单周报" in page
    assert "2026-W41（2026-10-05 至 2026-10-11）" in page
    assert "此前 7 天内" in page


def test_a_bad_period_says_what_is_expected(client_for: ClientFor, qa_zhao: User) -> None:
    response = client_for(qa_zhao).get("/tickets/report/?period=十月")

    assert response.status_code == 400
    assert "周期“十月”格式不对" in response.content.decode()


@pytest.mark.parametrize("name", ["ops_zhou", "leader_wang", "qa_zhao"])
def test_those_who_run_the_centre_read_the_report(
    client_for: ClientFor, org: Any, name: str
) -> None:
    user = org.users[name]
    assert user.role in ("operations_manager", "team_leader", "qa_supervisor")
    assert client_for(user).get("/tickets/report/").status_code == 200
    menu = client_for(user).get("/tickets/").content.decode()
    assert 'href="/tickets/report/"' in menu  # 运营 › 工单报表


@pytest.mark.parametrize("name", ["agent_li", "planner_qian", "outsider"])
def test_agents_and_others_may_not(client_for: ClientFor, org: Any, name: str) -> None:
    client = client_for(org.users[name])
    assert client.get("/tickets/report/").status_code == 403
    assert client.get("/tickets/report/download.xlsx").status_code == 403
    page = client.get("/contacts/")
    assert page.status_code == 200
    assert "/tickets/report/" not in page.content.decode()


def test_the_loops_replies_and_returns_are_counted_from_its_trail(
    agent_li: User,
    leader_wang: User,
    departments: dict[str, Department],  # noqa: F811
) -> None:
    """Dispatched to two departments; 营销部 replies, is returned, replies again; 运检部 replies."""
    order = workorder_create(
        actor=agent_li,
        order_type=WorkOrderType.objects.get(code="complaint"),
        title="停电三天无人处理",
        fields={"phone": "13812345678"},
    )
    workorder_dispatch(
        actor=agent_li,
        order=order,
        version=order.version,
        departments=[departments["D-YX"], departments["D-YJ"]],
    )
    yx, yj = order.children.order_by("number")
    yx_staff, yj_staff = departments["D-YX"].lead, departments["D-YJ"].lead
    assert yx_staff is not None
    assert yj_staff is not None
    yx = workorder_reply(actor=yx_staff, order=yx, version=yx.version, reply="已派人")
    yx = workorder_return(actor=agent_li, order=yx, version=yx.version, reason="未说明结果")
    yx = workorder_reply(actor=yx_staff, order=yx, version=yx.version, reply="已恢复供电")
    workorder_accept(actor=agent_li, order=yx, version=yx.version)
    workorder_reply(actor=yj_staff, order=yj, version=yj.version, reply="线路已检修")

    figures = period_figures(period_containing(PeriodKind.MONTH, timezone.localdate()))

    assert (figures.replies, figures.returns) == (3, 1)
    assert figures.by_department["营销部"].return_rate == 0.5
    assert figures.by_type == {"投诉": 1}
    assert figures.received == 3


# --- downloads ---------------------------------------------------------------------------


def test_the_xlsx_holds_the_same_figures(
    client_for: ClientFor, two_months: dict[str, WorkOrder], ops_zhou: User
) -> None:
    response = client_for(ops_zhou).get("/tickets/report/download.xlsx?period=2026-10")
    book = zipfile.ZipFile(io.BytesIO(response.content))
    strings = book.read("xl/sharedStrings.xml").decode()
    first = book.read("xl/worksheets/sheet1.xml").decode()

    assert response.status_code == 200
    assert "workorders-month-2026-10.xlsx" in response["Content-Disposition"]
    assert "工单月报" in strings
    assert "回复退单率" in strings
    assert re.search(r"<v>0\.5</v>", first)  # the on-time rate, a number
    assert any(name.startswith("xl/charts/chart") for name in book.namelist())


def test_the_pdf_has_the_title_and_the_chart(
    client_for: ClientFor, two_months: dict[str, WorkOrder], qa_zhao: User, tmp_path: Path
) -> None:
    if not shutil.which("pdftotext"):
        pytest.skip("poppler-utils is not installed (make browser-deps)")
    response = client_for(qa_zhao).get("/tickets/report/download.pdf?period=2026-10")
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(response.content)
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout

    assert response["Content-Type"] == "application/pdf"
    assert "工单月报" in text
    assert "各类型受理量：本期与上期" in text


def test_an_unknown_format_is_not_found(client_for: ClientFor, ops_zhou: User) -> None:
    assert client_for(ops_zhou).get("/tickets/report/download.docx").status_code == 404


def test_the_figures_take_the_same_queries_however_many_orders(
    two_months: dict[str, WorkOrder], ops_zhou: User
) -> None:
    """Counted in the database: a month with 28 more orders and replies adds no query."""
    period_figures(OCTOBER)  # the business calendar is read once and kept
    with CaptureQueriesContext(connection) as before:
        period_figures(OCTOBER)
    made = Orders(ops_zhou)
    for day in range(1, 29):
        extra = made.order("fault", created=_at(10, day, 9), closed=_at(10, day, 15))
        made.step(extra, "reply", _at(10, day, 10))
    with CaptureQueriesContext(connection) as after:
        period_figures(OCTOBER)

    assert len(after.captured_queries) == len(before.captured_queries)
