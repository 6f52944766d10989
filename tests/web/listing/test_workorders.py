"""The work orders' lists (the orders as a page, in the API and in its change feed; the
department dashboard; the report; the types and departments set up; the escalation ladder's
types) ask as many queries for 200 rows as for 20."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from lingting.core.models import User
from lingting.interactions.models import Customer
from lingting.workorders.models import Department, WorkOrder, WorkOrderType
from tests.conftest import SHANGHAI
from tests.web.listing import rows
from tests.web.listing.conftest import AssertFlat
from tests.web.listing.rows import Center, row_name

ACCEPTED = datetime(2026, 10, 1, 9, 0, tzinfo=SHANGHAI)


def departments(numbers: range, *, lead: User) -> list[Department]:
    """Departments D-nnn named 部门nnn, led by `lead`, each with its lead as a member."""
    made = Department.objects.bulk_create(
        Department(code=row_name("D", n), name=f"部门{n:03d}", lead=lead) for n in numbers
    )
    Department.members.through.objects.bulk_create(
        Department.members.through(department=department, user=lead) for department in made
    )
    return made


def orders(center: Center, numbers: range, *, actor: User) -> list[WorkOrder]:
    """Complaints WO-nnn accepted a minute apart from 1 October 2026 09:00, each dispatched
    to a department of its own, from a contact and customer of its own, a repeat of one
    earlier order and a child of another: every row has every link a list may show."""
    complaint = WorkOrderType.objects.get(code="complaint")
    first, *_ = numbers
    parent, earlier = (
        WorkOrder.objects.create(
            number=f"WO-{name}-{first:03d}", type=complaint, title=name, created_by=actor
        )
        for name in ("parent", "earlier")
    )
    contacts = rows.contacts(center, numbers, prefix="WC")
    customers = Customer.objects.bulk_create(Customer(code=row_name("CU", n)) for n in numbers)
    places = zip(numbers, departments(numbers, lead=actor), contacts, customers, strict=True)
    return WorkOrder.objects.bulk_create(
        WorkOrder(
            number=row_name("WO", n),
            type=complaint,
            title=f"停电投诉{n:03d}",
            fields={"phone": "13812345678"},
            state="dispatched",
            department=department,
            contact=contact,
            customer=customer,
            parent=parent,
            repeat_of=earlier,
            owner=actor,
            created_by=actor,
            created_at=ACCEPTED + timedelta(minutes=n),
            updated_at=ACCEPTED + timedelta(minutes=n),
            due_at=ACCEPTED + timedelta(days=n % 3),
            warn_from=ACCEPTED,
            urges=n % 2,
            returns=n % 3,
            escalation_level=n % 2,
        )
        for n, department, contact, customer in places
    )


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("/tickets/", "WO-{n:03d}"),
        ("/tickets/?show=all", "WO-{n:03d}"),
        ("/api/tickets/?state=all&limit=1000", "WO-{n:03d}"),
        ("/api/tickets/changes?limit=1000", "WO-{n:03d}"),
        ("/tickets/dashboard/", "部门{n:03d}"),
        ("/tickets/report/?period=2026-10", "部门{n:03d}"),
        ("/tickets/setup/departments/", "部门{n:03d}"),
    ],
)
def test_work_orders_queries_do_not_grow(
    url: str, shown: str, assert_flat: AssertFlat, center: Center, ops_zhou: User
) -> None:
    """The orders, and the departments they went to (one each)."""

    def add_rows(numbers: range) -> None:
        orders(center, numbers, actor=ops_zhou)

    assert_flat(ops_zhou, url, add_rows=add_rows, shown=shown)


@pytest.mark.parametrize("url", ["/tickets/setup/types/", "/tickets/ladder/"])
def test_work_order_types_queries_do_not_grow(
    url: str, assert_flat: AssertFlat, ops_zhou: User
) -> None:
    """Types set up like the seeded complaint, each with a default department of its own."""
    complaint = WorkOrderType.objects.get(code="complaint")

    def add_rows(numbers: range) -> None:
        WorkOrderType.objects.bulk_create(
            WorkOrderType(
                code=row_name("type", n),
                name=f"类型{n:03d}",
                fields=complaint.fields,
                default_department=department,
                sla=complaint.sla,
                escalates=bool(n % 2),
            )
            for n, department in zip(numbers, departments(numbers, lead=ops_zhou), strict=True)
        )

    assert_flat(ops_zhou, url, add_rows=add_rows, shown="类型{n:03d}")
