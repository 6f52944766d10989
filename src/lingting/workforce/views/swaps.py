"""Shift swaps (换班): an agent asks from their schedule page, the colleague answers there, the
requester's team leader or a planner approves on the swap list with the rule check shown."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from lingting.core.models import Agent, Role
from lingting.core.permissions import request_user, require
from lingting.workforce.forms import form_errors
from lingting.workforce.models import SwapStatus
from lingting.workforce.permissions import (
    SWAP_STEPS,
    may_see_own_schedule,
    may_see_swaps,
    may_take_swap_step,
)
from lingting.workforce.selectors.swaps import OPEN, swaps_for
from lingting.workforce.services.swaps import (
    SwapOffer,
    SwapRefused,
    swap_propose,
    swap_rows,
    swap_take_step,
)
from lingting.workforce.swap_forms import SwapRequestForm

SWAP_LIST_LIMIT = 200


@require_GET
def swap_list(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    require(may_see_swaps(user))
    rows = swap_rows(swaps_for(user)[:SWAP_LIST_LIMIT], user, timezone.now())
    return render(
        request,
        "workforce/swaps.html",
        {
            "waiting": [row for row in rows if row.status == SwapStatus.ACCEPTED],
            "proposed": [row for row in rows if row.status == SwapStatus.PROPOSED],
            "closed": [row for row in rows if row.status not in OPEN],
        },
    )


@require_POST
def swap_create(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    require(may_see_own_schedule(user))
    agent = get_object_or_404(Agent, user=user)
    form = SwapRequestForm(request.POST, agent=agent, now=timezone.now())
    if not form.is_valid():
        messages.error(request, _("未能申请换班：%(errors)s") % {"errors": form_errors(form)})
        return redirect("workforce:my_schedule")
    offer = SwapOffer(
        requester=agent,
        shift=form.cleaned_data["shift"],
        counterpart=form.cleaned_data["counterpart"],
        returned_shift=form.cleaned_data["returned_shift"],
        reason=form.cleaned_data["reason"],
    )
    try:
        swap_propose(offer=offer, actor=user)
    except SwapRefused as exc:
        messages.error(request, _("未能申请换班：%(reasons)s") % {"reasons": exc})
    else:
        messages.success(request, _("已发出换班申请，等待对方同意"))
    return redirect("workforce:my_schedule")


@require_POST
def swap_step(request: HttpRequest, swap_id: int, step: str) -> HttpResponse:
    user = request_user(request)
    if step not in SWAP_STEPS:
        raise Http404
    swap = get_object_or_404(swaps_for(user), pk=swap_id)
    require(may_take_swap_step(user, step, swap.requester, swap.counterpart))
    note = request.POST.get("note", "")
    try:
        swap_take_step(swap=swap, step=step, actor=user, note=note)
    except SwapRefused as exc:
        messages.error(request, _("未能处理换班：%(reasons)s") % {"reasons": exc})
    else:
        messages.success(request, _("换班申请：%(status)s") % {"status": swap.get_status_display()})
    if user.role == Role.AGENT:
        return redirect("workforce:my_schedule")
    return redirect("workforce:swap_list")
