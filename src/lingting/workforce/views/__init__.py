"""Workforce pages: parse the filters, ask the selector, render."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from lingting.core.forms import refusals_on
from lingting.core.models import Agent, User
from lingting.core.params import date_in_range, int_param
from lingting.core.permissions import request_user, require
from lingting.documents.exports.page import EXPORT_PARAM, page_charts, page_download, without_export
from lingting.performance.catch_up import counted_first
from lingting.workforce.documents import attrition_document, occupancy_document
from lingting.workforce.forms import AttritionForm, LeaverForm, OccupancyForm
from lingting.workforce.permissions import (
    attrition_agents,
    attrition_teams,
    may_record_leavers,
    may_see_attrition,
    may_see_broadcast,
    may_see_occupancy,
)
from lingting.workforce.selectors import (
    attrition_figures,
    broadcast_board,
    latest_call_day,
    latest_state_day,
    occupancy_rows,
)
from lingting.workforce.services import agent_leaving_cancel, agent_leaving_record


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


@require_GET
@counted_first
def attrition(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    require(may_see_attrition(user))
    return _attrition_page(request, user, LeaverForm(user=user))


def _attrition_page(request: HttpRequest, user: User, leaver_form: LeaverForm) -> HttpResponse:
    """The page with `leaver_form` (blank, or as posted with its errors); a download when
    the query asks for one."""
    today = timezone.localdate()
    form = AttritionForm(request.GET or None, user=user, today=today)
    query = form.query()
    figures = attrition_figures(
        user=user,
        first_month=query["month_from"],
        last_month=query["month_to"],
        team_id=query["team_id"],
        today=today,
    )
    document = attrition_document(figures=figures, scope_label=_scope_label(user, query))
    if fmt := request.GET.get(EXPORT_PARAM):
        return page_download(document, fmt)
    may_record = may_record_leavers(user)
    return render(
        request,
        "workforce/attrition.html",
        {
            "form": form,
            "query": query,
            "report": figures.report,
            "document": document,
            "charts": page_charts(document),
            "filters": without_export(request),
            "leaver_form": leaver_form if may_record else None,
            "recorded_leavers": _recorded_leavers(user) if may_record else [],
        },
    )


def _scope_label(user: User, query: dict[str, Any]) -> str:
    teams = attrition_teams(user).order_by("code")
    if query["team_id"] is not None:
        teams = teams.filter(pk=query["team_id"])
    elif may_record_leavers(user):
        return _("全中心")
    return "、".join(teams.values_list("name", flat=True))


def _recorded_leavers(user: User) -> list[Agent]:
    """The latest leavers, for taking back one recorded by mistake."""
    return list(
        attrition_agents(user)
        .filter(left_on__isnull=False)
        .select_related("team")
        .order_by("-left_on", "code")[:50]
    )


@require_POST
def attrition_leaver(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    require(may_record_leavers(user))
    form = LeaverForm(request.POST, user=user)
    if form.is_valid():
        data = form.cleaned_data
        with refusals_on(form):
            agent = agent_leaving_record(
                actor=user,
                agent=data["agent"],
                left_on=data["left_on"],
                reason=data["reason"],
                note=data["note"],
            )
            messages.success(
                request,
                _("已登记 %(agent)s 于 %(day)s 离职") % {"agent": agent, "day": agent.left_on},
            )
            filters = request.GET.urlencode()
            return redirect(reverse("workforce:attrition") + (f"?{filters}" if filters else ""))
    return _attrition_page(request, user, form)


@require_POST
def attrition_leaver_cancel(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    require(may_record_leavers(user))
    agent_id = int_param(request.POST, "agent", minimum=1)
    agent = attrition_agents(user).filter(pk=agent_id).first() if agent_id else None
    if agent is None:
        messages.error(request, _("没有这名坐席"))
        return redirect("workforce:attrition")
    try:
        agent_leaving_cancel(actor=user, agent=agent)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("已撤销 %(agent)s 的离职登记") % {"agent": agent})
    return redirect("workforce:attrition")
