"""Deadline warnings (时限预警): at 50% and 80% of the limit and at the deadline the owner and
the department's lead (at the deadline its members too) are told once, however often the
hourly command runs; paused orders do not warn; a reopened order warns again."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone

from lingting.core.models import Notification, User
from lingting.workorders.models import Department, WorkOrder, WorkOrderType, WorkOrderWarning
from lingting.workorders.services.creation import workorder_create
from lingting.workorders.services.deadlines import workorder_warnings_send
from lingting.workorders.services.steps import (
    workorder_cancel,
    workorder_pause,
    workorder_reopen,
    workorder_resume,
)
from tests.conftest import Org
from tests.web.workorders.test_services import departments  # noqa: F401 (a fixture)

FAULT = {"phone": "13812345678", "address": "城东小区3号楼", "fault_kind": "停电"}


def _fault(actor: User, department: Department, *, hours_ago: float) -> WorkOrder:
    """A fault repair (故障报修, 紧急: 8 hours on the natural clock) taken `hours_ago`."""
    order = workorder_create(
        actor=actor,
        order_type=WorkOrderType.objects.get(code="fault"),
        title="整栋楼停电",
        fields=FAULT,
        priority="high",
        department=department,
    )
    WorkOrder.objects.filter(pk=order.pk).update(
        created_at=timezone.now() - timedelta(hours=hours_ago)
    )
    order.refresh_from_db()
    return order


def _told(user: User) -> list[str]:
    return list(
        Notification.objects.filter(user=user).order_by("id").values_list("text", flat=True)
    )


def _at(order: WorkOrder, hours: float) -> datetime:
    return order.created_at + timedelta(hours=hours)


@pytest.fixture
def yj(departments: dict[str, Department]) -> Department:  # noqa: F811 (the fixture above)
    return departments["D-YJ"]


def test_each_point_warns_the_owner_their_lead_and_the_departments_lead_once(
    agent_li: User, leader_wang: User, yj: Department, org: Org
) -> None:
    """李娜 (agent_li, in 一班) owns the order: she and her team leader 王芳 hear of each
    point, as does the department's lead."""
    order = _fault(agent_li, yj, hours_ago=0)
    lead, staff = org.users["yj_lead"], org.users["yj_staff"]

    assert workorder_warnings_send(now=_at(order, 3.9)).sent == []
    run = workorder_warnings_send(now=_at(order, 4.1))
    assert [w.point for w in run.sent] == [50]
    assert workorder_warnings_send(now=_at(order, 4.2)).sent == []  # once, however often
    assert len(_told(agent_li)) == len(_told(leader_wang)) == len(_told(lead)) == 1
    assert "时限预警" in _told(lead)[0]
    assert "50%" in _told(lead)[0]
    assert order.number in _told(lead)[0]
    assert _told(staff) == []

    assert [w.point for w in workorder_warnings_send(now=_at(order, 6.5)).sent] == [80]
    assert [w.point for w in workorder_warnings_send(now=_at(order, 8.1)).sent] == [100]
    assert "工单超时" in _told(staff)[0]  # the department's members hear of the deadline
    assert len(_told(lead)) == 3
    assert workorder_warnings_send(now=_at(order, 30)).sent == []
    note = Notification.objects.filter(user=lead).first()
    assert note is not None
    assert note.url == f"/tickets/{order.pk}/"
    warnings = list(WorkOrderWarning.objects.filter(order=order).order_by("point"))
    assert [(w.point, w.superseded) for w in warnings] == [(50, False), (80, False), (100, False)]
    assert set(warnings[2].recipients) == {"agent_li", "leader_wang", "yj_lead", "yj_staff"}


def test_a_late_run_sends_only_the_latest_point(agent_li: User, yj: Department, org: Org) -> None:
    """The command did not run for hours: at 90% the 80% warning is sent, the 50% one is
    recorded as superseded, and nobody gets two messages."""
    order = _fault(agent_li, yj, hours_ago=0)
    run = workorder_warnings_send(now=_at(order, 7.2))
    assert [w.point for w in run.sent] == [80]
    assert run.superseded == 1
    assert len(_told(org.users["yj_lead"])) == 1
    points = WorkOrderWarning.objects.filter(order=order).values_list("point", "superseded")
    assert set(points) == {(50, True), (80, False)}


def test_a_paused_order_does_not_warn_until_it_resumes(
    agent_li: User, yj: Department, org: Org
) -> None:
    order = _fault(agent_li, yj, hours_ago=5)  # past 50% already when it is paused
    order = workorder_pause(actor=agent_li, order=order, version=order.version, note="等客户")
    assert workorder_warnings_send().sent == []
    assert _told(org.users["yj_lead"]) == []
    workorder_resume(actor=agent_li, order=order, version=order.version)
    assert [w.point for w in workorder_warnings_send().sent] == [50]


def test_a_reopened_order_warns_again(
    agent_li: User, leader_wang: User, yj: Department, org: Org
) -> None:
    order = _fault(agent_li, yj, hours_ago=9)
    assert [w.point for w in workorder_warnings_send().sent] == [100]
    order = workorder_cancel(actor=leader_wang, order=order, version=order.version, reason="重复")
    order = workorder_reopen(actor=leader_wang, order=order, version=order.version, reason="未修复")
    assert workorder_warnings_send().sent == []  # the clock restarted just now
    later = timezone.now() + timedelta(hours=4.5)
    assert [w.point for w in workorder_warnings_send(now=later).sent] == [50]
    assert (
        WorkOrderWarning.objects.filter(order=order).values("clock_started").distinct().count() == 2
    )


def test_closed_and_cancelled_orders_do_not_warn(
    agent_li: User, leader_wang: User, yj: Department
) -> None:
    order = _fault(agent_li, yj, hours_ago=9)
    workorder_cancel(actor=leader_wang, order=order, version=order.version, reason="客户撤诉")
    assert workorder_warnings_send().sent == []


def test_a_type_sets_its_own_warning_points(agent_li: User, yj: Department) -> None:
    fault = WorkOrderType.objects.get(code="fault")
    fault.sla = {**fault.sla, "warn_at": [0.25]}
    fault.save()
    order = _fault(agent_li, yj, hours_ago=0)
    assert [w.point for w in workorder_warnings_send(now=_at(order, 2.1)).sent] == [25]
    assert workorder_warnings_send(now=_at(order, 5)).sent == []  # no 50% point any more


def test_the_stored_warning_point_is_kept_with_the_deadline(agent_li: User, yj: Department) -> None:
    order = workorder_create(
        actor=agent_li,
        order_type=WorkOrderType.objects.get(code="fault"),
        title="停电",
        fields=FAULT,
        priority="high",
        department=yj,
    )
    assert order.due_at is not None
    assert order.warn_from is not None
    assert order.due_at - order.warn_from == timedelta(hours=4)


def test_the_command_runs_hourly_from_the_scheduler(
    agent_li: User, yj: Department, capsys: Any
) -> None:
    assert ("work-order warnings", "hourly :00", ["workorder_warn"]) in settings.LINGTING_SCHEDULE
    _fault(agent_li, yj, hours_ago=5)
    call_command("workorder_warn")
    assert "sent 1 warnings (1 at 50%)" in capsys.readouterr().out
    call_command("workorder_warn")
    assert "sent 0 warnings" in capsys.readouterr().out


def test_the_orders_page_lists_the_warnings_sent(
    agent_li: User, yj: Department, client_for: Any
) -> None:
    order = _fault(agent_li, yj, hours_ago=5)
    workorder_warnings_send()
    page = client_for(agent_li).get(f"/tickets/{order.pk}/").content.decode()
    assert "时限预警" in page
    assert "50%" in page
