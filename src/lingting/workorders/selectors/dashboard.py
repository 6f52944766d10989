"""Reads for the department dashboard (部门工单看板): per department its open orders, those
due soon, overdue, urged and returned."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from lingting.core.models import User
from lingting.workorders.models import OPEN_STATES, Department, WorkOrder
from lingting.workorders.permissions import workorder_dashboard_scope
from lingting.workorders.selectors.deadlines import due_soon_q, overdue_q


@dataclass(frozen=True, slots=True)
class DepartmentRow:
    department: Department
    open: int
    due_soon: int
    overdue: int
    urged: int  # open orders urged at least once
    returned: int  # open orders returned at least once


def dashboard_departments(user: User) -> QuerySet[Department]:
    """The departments whose board `user` may see (their own; all for leaders, managers)."""
    return Department.objects.filter(workorder_dashboard_scope(user)).distinct()


def department_dashboard(user: User, *, now: datetime | None = None) -> list[DepartmentRow]:
    """Per department `user` may see: its open orders, due soon, overdue, urged, returned."""
    now = now or timezone.now()
    departments = list(dashboard_departments(user).select_related("lead"))
    counts = {
        row["department"]: row
        for row in WorkOrder.objects.filter(
            department__in=[d.pk for d in departments], state__in=OPEN_STATES
        )
        .values("department")
        .annotate(
            open=Count("pk"),
            due_soon=Count("pk", filter=due_soon_q(now)),
            overdue=Count("pk", filter=overdue_q(now)),
            urged=Count("pk", filter=Q(urges__gt=0)),
            returned=Count("pk", filter=Q(returns__gt=0)),
        )
    }
    empty = {"open": 0, "due_soon": 0, "overdue": 0, "urged": 0, "returned": 0}
    return [
        DepartmentRow(
            department=department,
            open=counts.get(department.pk, empty)["open"],
            due_soon=counts.get(department.pk, empty)["due_soon"],
            overdue=counts.get(department.pk, empty)["overdue"],
            urged=counts.get(department.pk, empty)["urged"],
            returned=counts.get(department.pk, empty)["returned"],
        )
        for department in departments
    ]
