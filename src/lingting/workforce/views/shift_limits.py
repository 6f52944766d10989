"""Agents' shift limits (issue 14): the limits in force and one set or replaced, for planners
(every agent) and team leaders (their teams' agents), as leave is entered."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from lingting.core.forms import refusals_on
from lingting.core.permissions import request_user, require
from lingting.workforce.permissions import may_see_shift_limits, shift_limit_agents
from lingting.workforce.selectors.shift_limits import shift_limit_of, shift_limits_for
from lingting.workforce.services.shift_limits import shift_limit_delete, shift_limit_save
from lingting.workforce.setup_forms import ShiftLimitForm


@require_http_methods(["GET", "POST"])
def shift_limits(request: HttpRequest) -> HttpResponse:
    """The limits in force (ended ones too with ?ended=1), and one set for an agent."""
    user = request_user(request)
    require(may_see_shift_limits(user))
    today = timezone.localdate()
    form = ShiftLimitForm(request.POST or None, user=user, today=today)
    if request.method == "POST" and form.is_valid():
        with refusals_on(form):
            agent = form.cleaned_data["agent"]
            shift_limit_save(actor=user, agent=agent, limit=form.limit(), today=today)
            messages.success(request, _("已保存 %(agent)s 的班次限制") % {"agent": agent})
            return redirect("workforce:shift_limits")
    ended = request.GET.get("ended") == "1"
    return render(
        request,
        "workforce/shift_limits.html",
        {
            "form": form,
            "rows": shift_limits_for(user=user, today=today, include_ended=ended),
            "ended": ended,
            "today": today,
        },
        status=400 if form.errors else 200,
    )


@require_POST
def shift_limit_remove(request: HttpRequest, agent_id: int) -> HttpResponse:
    user = request_user(request)
    require(may_see_shift_limits(user))
    agent = get_object_or_404(shift_limit_agents(user), pk=agent_id)
    limit = shift_limit_of(user, agent)
    if limit is None:
        raise Http404
    shift_limit_delete(actor=user, limit=limit)
    messages.success(request, _("已删除 %(agent)s 的班次限制") % {"agent": agent})
    return redirect("workforce:shift_limits")
