"""The work-order demo step: departments and orders from complaint contacts, at every stage."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from lingting.calendars.services import calendar_load
from lingting.core.models import User
from lingting.demo.tickets import ORDERS, demo_tickets
from lingting.workorders.models import Department, WorkOrder
from tests.conftest import SHANGHAI, Org


def test_the_demo_takes_orders_from_complaint_contacts_at_every_stage(
    org: Org, ops_zhou: User, leader_wang: User, make_contact: Any
) -> None:
    calendar_load(year=2026)
    start = datetime(2026, 10, 12, 9, 0, tzinfo=SHANGHAI)
    tags = [
        ["话费争议", "投诉"],
        ["维修投诉", "投诉"],
        ["服务态度", "投诉"],
        ["宽带故障"],
        ["话费查询"],
    ]
    for n in range(60):
        make_contact(
            started_at=start + timedelta(hours=n),
            customer=f"CU-{n:03d}",
            tags=tags[n % len(tags)],
            agent="A1001" if n % 2 else "A1002",
        )
    users = {"manager_chen": ops_zhou, "leader_wang": leader_wang, "admin": ops_zhou}
    summary = demo_tickets(users=users, months=[date(2026, 9, 1), date(2026, 10, 1)])
    assert f"{ORDERS} orders" in summary
    assert Department.objects.count() == 4
    parents = WorkOrder.objects.filter(parent__isnull=True)
    assert parents.count() == ORDERS
    assert all(o.contact and "话费查询" not in o.contact.tags for o in parents)
    states = set(parents.values_list("state", flat=True))
    assert {"accepted", "dispatched", "replied", "callback", "closed", "cancelled"} <= states
    assert WorkOrder.objects.filter(parent__isnull=False).exists()  # a split to two departments
    for order in WorkOrder.objects.all():
        assert order.due_at is not None
        urges = order.events.filter(action="urge").count()
        returns = order.events.filter(action="return").count()
        assert (order.urges, order.returns) == (urges, returns)
    closed = parents.filter(state="closed").first()
    assert closed is not None
    assert closed.closed_at is not None
    assert closed.closed_at.date() >= date(2026, 10, 12)
