"""Rosters: the planner builds, places breaks and publishes; team leaders read their teams';
an agent reads their own schedule (issue 14)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from lingting.core.models import Agent, User
from lingting.core.permissions import request_user, require
from lingting.documents.exports.page import EXPORT_PARAM, page_download, without_export
from lingting.engine.breaks import BreaksInfeasible, Obstacle
from lingting.workforce.forms import (
    BreaksForm,
    DayOffWishForm,
    RosterBuildForm,
    ShiftWishesForm,
    form_errors,
)
from lingting.workforce.models import DayOffWish, ForecastRun, Roster, RosterStatus
from lingting.workforce.permissions import may_plan, may_see_own_schedule, may_see_rosters
from lingting.workforce.roster_document import roster_document
from lingting.workforce.selectors.planning import next_week
from lingting.workforce.selectors.rosters import (
    active_shift_codes,
    my_schedule,
    roster_grid,
    rosters_for,
    shift_wishes_of,
    upcoming_day_off_wishes,
)
from lingting.workforce.selectors.swaps import swaps_for
from lingting.workforce.services.preferences import (
    day_off_wish_add,
    day_off_wish_remove,
    shift_preferences_set,
)
from lingting.workforce.services.rosters import (
    RosterInputError,
    roster_breaks_plan,
    roster_build,
    roster_publish,
)
from lingting.workforce.services.swaps import swap_rows
from lingting.workforce.swap_forms import SwapRequestForm

MY_SWAPS_SHOWN = 30


@require_GET
def roster_list(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    require(may_see_rosters(user))
    first, last = next_week(timezone.localdate())
    forecast_queues = ForecastRun.objects.filter(first_day__lte=first, last_day__gte=last)
    form = RosterBuildForm(
        initial={
            "first_day": first,
            "last_day": last,
            "queues": list(forecast_queues.values_list("queue", flat=True).distinct()),
        }
    )
    return render(
        request,
        "workforce/rosters.html",
        {"rosters": rosters_for(user)[:50], "form": form, "may_plan": may_plan(user)},
    )


@require_POST
def roster_create(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    require(may_plan(user))
    form = RosterBuildForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("未能排班：%(errors)s") % {"errors": form_errors(form)})
        return redirect("workforce:roster_list")
    try:
        roster = roster_build(
            first=form.cleaned_data["first_day"],
            last=form.cleaned_data["last_day"],
            queues=list(form.cleaned_data["queues"]),
            actor=user,
        )
    except RosterInputError as exc:
        messages.error(request, _("未能排班：%(reason)s") % {"reason": exc})
        return redirect("workforce:roster_list")
    return redirect("workforce:roster_detail", roster_id=roster.pk)


@require_GET
def roster_detail(request: HttpRequest, roster_id: int) -> HttpResponse:
    user = request_user(request)
    require(may_see_rosters(user))
    roster = get_object_or_404(rosters_for(user), pk=roster_id)
    grid = roster_grid(roster, user)
    if fmt := request.GET.get(EXPORT_PARAM):
        return page_download(roster_document(roster=roster, grid=grid), fmt)
    return render(
        request,
        "workforce/roster.html",
        {
            "roster": roster,
            "grid": grid,
            "may_plan": may_plan(user),
            "breaks_form": BreaksForm(),
            "has_breaks": roster.shifts.filter(breaks__isnull=False).exists(),
            "filters": without_export(request),
        },
    )


@require_POST
def roster_breaks(request: HttpRequest, roster_id: int) -> HttpResponse:
    user = request_user(request)
    require(may_plan(user))
    roster = get_object_or_404(Roster, pk=roster_id, status=RosterStatus.DRAFT)
    form = BreaksForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("未能安排休息：%(errors)s") % {"errors": form_errors(form)})
    else:
        try:
            placed = roster_breaks_plan(roster=roster, cap=form.cleaned_data["cap"], actor=user)
        except BreaksInfeasible as exc:
            reasons = "；".join(_obstacle_text(obstacle) for obstacle in exc.obstacles)
            messages.error(request, _("未能安排休息：%(reason)s") % {"reason": reasons})
        else:
            messages.success(request, _("已安排 %(n)s 次休息") % {"n": placed})
    return redirect("workforce:roster_detail", roster_id=roster.pk)


@require_POST
def roster_publish_view(request: HttpRequest, roster_id: int) -> HttpResponse:
    user = request_user(request)
    require(may_plan(user))
    roster = get_object_or_404(Roster, pk=roster_id)
    try:
        told = roster_publish(roster=roster, actor=user)
    except RosterInputError as exc:
        messages.error(request, _("未能发布：%(reason)s") % {"reason": exc})
    else:
        messages.success(request, _("已发布，已通知 %(n)s 位坐席") % {"n": told})
    return redirect(reverse("workforce:roster_detail", args=[roster.pk]))


@require_GET
def my_schedule_view(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    require(may_see_own_schedule(user))
    agent = Agent.objects.filter(user=user).first()
    today = timezone.localdate()
    context: dict[str, object] = {"days": my_schedule(user, today), "today": today}
    if agent is not None:
        now = timezone.now()
        context |= {
            "swap_form": SwapRequestForm(agent=agent, now=now),
            "swaps": swap_rows(swaps_for(user)[:MY_SWAPS_SHOWN], user, now),
            "shifts_form": _shift_wishes_form(agent),
            "day_off_form": DayOffWishForm(),
            "day_off_wishes": upcoming_day_off_wishes(agent, today),
        }
    return render(request, "workforce/my_schedule.html", context)


def _shift_wishes_form(agent: Agent, data: QueryDict | None = None) -> ShiftWishesForm:
    return ShiftWishesForm(data, codes=active_shift_codes(), wishes=shift_wishes_of(agent))


def _own_agent(request: HttpRequest) -> tuple[User, Agent]:
    user = request_user(request)
    require(may_see_own_schedule(user))
    return user, get_object_or_404(Agent, user=user)


@require_POST
def my_shift_wishes(request: HttpRequest) -> HttpResponse:
    user, agent = _own_agent(request)
    form = _shift_wishes_form(agent, request.POST)
    if form.is_valid():
        shift_preferences_set(
            agent=agent, prefers=form.chosen("prefer"), avoids=form.chosen("avoid"), actor=user
        )
        messages.success(request, _("已保存班次偏好，排班时会尽量照顾"))
    return redirect("workforce:my_schedule")


@require_POST
def my_day_off_wish(request: HttpRequest) -> HttpResponse:
    user, agent = _own_agent(request)
    form = DayOffWishForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("未能保存：%(errors)s") % {"errors": form_errors(form)})
    elif form.cleaned_data["day"] < timezone.localdate():
        messages.error(request, _("不能为已经过去的日期申请休息"))
    else:
        day_off_wish_add(
            agent=agent, day=form.cleaned_data["day"], note=form.cleaned_data["note"], actor=user
        )
        messages.success(request, _("已记下想休息的日期，排班时会尽量照顾"))
    return redirect("workforce:my_schedule")


@require_POST
def my_day_off_wish_remove(request: HttpRequest, wish_id: int) -> HttpResponse:
    user, agent = _own_agent(request)
    day_off_wish_remove(wish=get_object_or_404(DayOffWish, pk=wish_id, agent=agent), actor=user)
    return redirect("workforce:my_schedule")


def _obstacle_text(obstacle: Obstacle) -> str:
    """What stands in the way of the breaks, in the reader's language."""
    if obstacle.smallest_cap is not None:
        return _("%(group)s 同时休息上限太低，至少需要 %(cap)s 人") % {
            "group": obstacle.group,
            "cap": obstacle.smallest_cap,
        }
    if obstacle.agent is not None:
        return _("坐席 %(agent)s 的班次放不下「%(rule)s」（班次太短或休息窗口太窄）") % {
            "agent": obstacle.agent,
            "rule": obstacle.rule,
        }
    return _("%(group)s 在限定时间内没有求出休息安排，请重试") % {"group": obstacle.group}
