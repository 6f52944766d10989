"""Workforce pages: parse the filters, ask the selector, render."""

from __future__ import annotations

from datetime import date, timedelta

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from lingting.core.params import date_in_range
from lingting.core.permissions import request_user, require
from lingting.documents.exports.page import EXPORT_PARAM, page_charts, page_download, without_export
from lingting.workforce.documents import occupancy_document
from lingting.workforce.forms import OccupancyForm
from lingting.workforce.permissions import may_see_broadcast, may_see_occupancy
from lingting.workforce.selectors import (
    broadcast_board,
    latest_call_day,
    latest_state_day,
    occupancy_rows,
)


@require_GET
def occupancy(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    require(may_see_occupancy(user))
    form = OccupancyForm(request.GET or None, user=user, latest=latest_state_day(user))
    query = form.query()
    rows = occupancy_rows(user=user, **query)
    document = occupancy_document(
        rows=rows, by=query["by"], date_from=query["date_from"], date_to=query["date_to"]
    )
    if fmt := request.GET.get(EXPORT_PARAM):
        return page_download(document, fmt)
    return render(
        request,
        "workforce/occupancy.html",
        {
            "form": form,
            "query": query,
            "rows": rows,
            "charts": page_charts(document),
            "filters": without_export(request),
        },
    )


@require_GET
def broadcast(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    require(may_see_broadcast(user))
    today = timezone.localdate()
    try:
        day = date.fromisoformat(request.GET.get("day", "")) if request.GET.get("day") else today
    except ValueError:
        day = today
    date_in_range(day, "day")
    template = "workforce/broadcast.html"
    if request.GET.get("partial") == "board":
        template += "#board"
    return render(
        request,
        template,
        {
            "day": day,
            "is_today": day == today,
            "boards": broadcast_board(user=user, day=day),
            "latest": latest_call_day(user),
            "previous": day - timedelta(days=1),
            "next": day + timedelta(days=1) if day < today else None,
        },
    )
