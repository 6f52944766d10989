"""The department dashboard (部门工单看板)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from lingting.core.permissions import request_user, require
from lingting.workorders.permissions import may_see_workorder_dashboard
from lingting.workorders.selectors.dashboard import department_dashboard


def dashboard(request: HttpRequest) -> HttpResponse:
    """The department dashboard (部门工单看板): per department its open orders, those due
    soon (past the first warning point), overdue, urged and returned; each count links to
    the list filtered to it."""
    user = request_user(request)
    require(may_see_workorder_dashboard(user))
    rows = department_dashboard(user)
    return render(
        request,
        "tickets/dashboard.html",
        {
            "rows": rows,
            "totals": {
                "open": sum(row.open for row in rows),
                "due_soon": sum(row.due_soon for row in rows),
                "overdue": sum(row.overdue for row in rows),
                "urged": sum(row.urged for row in rows),
                "returned": sum(row.returned for row in rows),
            },
        },
    )
