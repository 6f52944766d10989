"""The fixed-customer panel's pages (固定客户感知跟踪, seed 004 篇1): managers set a panel up
from segments, recruit it, schedule its quarterly waves and replace members who leave;
service managers call the members in a wave and record what they say; everyone who may
see the panel sees how the same customers' perception moved."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lingting.campaigns.forms_panels import LeaveForm, PanelAnswerForm, PanelForm, WaveScheduleForm
from lingting.campaigns.models import (
    Panel,
    PanelLeaveReason,
    PanelMember,
    PanelWave,
)
from lingting.campaigns.permissions import may_call_panel_members, may_run_panels
from lingting.campaigns.selectors.panels import (
    member_call,
    member_in_wave,
    panel_figures,
    panel_members,
    wave_call_list,
)
from lingting.campaigns.services.panels import (
    PanelRefused,
    panel_answer_record,
    panel_member_leave,
    panel_recruit,
    panel_save,
    panel_waves_schedule,
)
from lingting.core.permissions import request_user, require


@require_GET
def panels(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    require(may_call_panel_members(user))
    rows = Panel.objects.prefetch_related("segments").annotate(
        active=Count("members", filter=Q(members__left_on__isnull=True), distinct=True),
        wave_count=Count("waves", distinct=True),
    )
    return render(
        request, "campaigns/panels.html", {"panels": rows, "may_run": may_run_panels(user)}
    )


@require_http_methods(["GET", "POST"])
def panel_edit(request: HttpRequest, panel_id: int | None = None) -> HttpResponse:
    user = request_user(request)
    require(may_run_panels(user))
    panel = get_object_or_404(Panel, pk=panel_id) if panel_id is not None else None
    form = PanelForm(request.POST or None, instance=panel)
    if request.method == "POST" and form.is_valid():
        saved = panel_save(actor=user, form=form)
        return redirect("campaigns:panel", panel_id=saved.pk)
    return render(request, "campaigns/panel_edit.html", {"form": form, "panel": panel})


@require_GET
def panel_detail(request: HttpRequest, panel_id: int) -> HttpResponse:
    user = request_user(request)
    require(may_call_panel_members(user))
    panel = get_object_or_404(Panel.objects.prefetch_related("segments"), pk=panel_id)
    members = panel_members(panel)
    figures = panel_figures(panel)
    today = timezone.localdate()
    reasons = dict(PanelLeaveReason.choices)
    attrition = [  # a wave not opened yet has no figures to show
        (
            row,
            [(reasons.get(key, key), n) for key, n in row.by_reason.items()],
            row.opens_on <= today,
        )
        for row in figures.attrition
    ]
    return render(
        request,
        "campaigns/panel_detail.html",
        {
            "panel": panel,
            "members": members,
            "active": sum(member.left_on is None for member in members),
            "figures": figures,
            "attrition": attrition,
            "leave_form": LeaveForm(auto_id=False),  # one per member row
            "schedule_form": WaveScheduleForm(initial={"first_opens_on": today}),
            "may_run": may_run_panels(user),
        },
    )


@require_POST
def recruit(request: HttpRequest, panel_id: int) -> HttpResponse:
    user = request_user(request)
    require(may_run_panels(user))
    panel = get_object_or_404(Panel, pk=panel_id)
    recruited = panel_recruit(actor=user, panel=panel, today=timezone.localdate())
    messages.success(request, _("已招募 %(n)s 位客户") % {"n": len(recruited.joined)})
    if recruited.short:
        messages.warning(
            request,
            _("还差 %(n)s 位：客户群中没有更多可招募的客户（有电话、未登记免打扰、从未入组）")
            % {"n": recruited.short},
        )
    return redirect("campaigns:panel", panel_id=panel.pk)


@require_POST
def schedule(request: HttpRequest, panel_id: int) -> HttpResponse:
    user = request_user(request)
    require(may_run_panels(user))
    panel = get_object_or_404(Panel, pk=panel_id)
    form = WaveScheduleForm(request.POST)
    if form.is_valid():
        try:
            waves = panel_waves_schedule(actor=user, panel=panel, **form.cleaned_data)
        except PanelRefused as refused:
            messages.error(request, str(refused))
        else:
            messages.success(request, _("已安排 %(n)s 次回访") % {"n": len(waves)})
    else:
        for name, errors in form.errors.items():
            label = form.fields[name].label if name in form.fields else ""
            text = " ".join(str(error) for error in errors)
            messages.error(request, f"{label}：{text}" if label else text)
    return redirect("campaigns:panel", panel_id=panel.pk)


@require_GET
def wave_calls(request: HttpRequest, wave_id: int) -> HttpResponse:
    """A wave's call list: every member of its time, the number as the reader may see it
    (none for a number on the do-not-call list), their earlier answers."""
    user = request_user(request)
    require(may_call_panel_members(user))
    wave = get_object_or_404(PanelWave.objects.select_related("panel"), pk=wave_id)
    calls = wave_call_list(wave)
    return render(
        request,
        "campaigns/panel_wave.html",
        {
            "wave": wave,
            "calls": calls,
            "answered": sum(call.answer is not None for call in calls),
            "may_run": may_run_panels(user),
        },
    )


@require_http_methods(["GET", "POST"])
def call(request: HttpRequest, wave_id: int, member_id: int) -> HttpResponse:
    """One member in a wave: the number when it may be called, their earlier answers, and
    the answer to record (or correct)."""
    user = request_user(request)
    require(may_call_panel_members(user))
    wave = get_object_or_404(PanelWave.objects.select_related("panel"), pk=wave_id)
    member = get_object_or_404(
        PanelMember.objects.select_related("customer__profile", "replaces__customer"),
        pk=member_id,
        panel=wave.panel,
    )
    if not member_in_wave(member, wave):
        raise Http404
    call = member_call(wave, member)
    form = PanelAnswerForm(request.POST or None, aspects=wave.panel.aspects, answer=call.answer)
    if request.method == "POST" and form.is_valid():
        try:
            panel_answer_record(actor=user, wave=wave, member=member, given=form.given())
        except PanelRefused as refused:
            form.add_error(refused.field if refused.field in form.fields else None, str(refused))
        else:
            messages.success(request, _("已记录 %(name)s 的回答") % {"name": call.name})
            return redirect("campaigns:panel_wave", wave_id=wave.pk)
    return render(
        request,
        "campaigns/panel_call.html",
        {
            "wave": wave,
            "call": call,
            "form": form,
            "leave_form": LeaveForm(
                initial={"wave": wave.pk}
                | ({"reason": PanelLeaveReason.DO_NOT_CALL} if call.suppressed else {})
            ),
            "may_run": may_run_panels(user),
        },
        status=400 if request.method == "POST" else 200,  # a good POST redirected
    )


@require_POST
def leave(request: HttpRequest, member_id: int) -> HttpResponse:
    """A member leaves for a reason and is replaced by a fresh draw; back to the wave the
    manager came from, or to the panel."""
    user = request_user(request)
    require(may_run_panels(user))
    member = get_object_or_404(PanelMember.objects.select_related("customer"), pk=member_id)
    form = LeaveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择退出原因"))
    else:
        try:
            replacement = panel_member_leave(
                actor=user,
                member=member,
                reason=PanelLeaveReason(form.cleaned_data["reason"]),
                today=timezone.localdate(),
            )
        except PanelRefused as refused:
            messages.error(request, str(refused))
        else:
            if replacement is None:
                messages.warning(request, _("已退出；客户群中没有可补充的客户"))
            else:
                messages.success(request, _("已退出，并从同样的客户群补充了一位客户"))
    came_from = form.cleaned_data.get("wave") if form.is_valid() else None
    if came_from and PanelWave.objects.filter(pk=came_from, panel=member.panel_id).exists():
        return redirect("campaigns:panel_wave", wave_id=came_from)
    return redirect("campaigns:panel", panel_id=member.panel_id)
