"""Workforce pages: parse the filters, ask the selector, render."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from lingting.core.permissions import may_see_occupancy, request_user, require
from lingting.workforce.forms import OccupancyForm
from lingting.workforce.selectors import latest_state_day, occupancy_rows


@require_GET
def occupancy(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    require(may_see_occupancy(user))
    form = OccupancyForm(request.GET or None, user=user, latest=latest_state_day(user))
    query = form.query()
    rows = occupancy_rows(user=user, **query)
    return render(
        request,
        "workforce/occupancy.html",
        {"form": form, "query": query, "rows": rows},
    )
