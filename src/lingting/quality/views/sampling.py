"""Sampling pages: plans, draws and the daily sample-size helper."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lingting.core.forms import refusals_on
from lingting.core.permissions import request_user, require
from lingting.engine.sampling import daily_sample_advice
from lingting.quality.forms import SampleSizeForm, SamplingPlanForm
from lingting.quality.models import SamplingPlan
from lingting.quality.permissions import may_manage_qa
from lingting.quality.selectors.sampling import TargetCriteria, plan_draws, sampling_plans
from lingting.quality.services.sampling import sample_draw, sampling_plan_save


@require_GET
def plan_list(request: HttpRequest) -> HttpResponse:
    require(may_manage_qa(request_user(request)))
    return render(request, "quality/plan_list.html", {"plans": sampling_plans()})


@require_http_methods(["GET", "POST"])
def plan_edit(request: HttpRequest, plan_id: int | None = None) -> HttpResponse:
    user = request_user(request)
    require(may_manage_qa(user))
    plan = get_object_or_404(SamplingPlan, pk=plan_id) if plan_id else None
    form = SamplingPlanForm(request.POST or None, plan=plan)
    if request.method == "POST" and form.is_valid():
        with refusals_on(form):
            plan = sampling_plan_save(actor=user, spec=form.spec(), plan=plan)
            messages.success(request, _("抽检方案已保存"))
            return redirect("quality:plan_detail", plan_id=plan.pk)
    return render(request, "quality/plan_form.html", {"form": form, "plan": plan})


@require_GET
def plan_detail(request: HttpRequest, plan_id: int) -> HttpResponse:
    require(may_manage_qa(request_user(request)))
    plan = get_object_or_404(sampling_plans(), pk=plan_id)
    return render(
        request,
        "quality/plan_detail.html",
        {
            "plan": plan,
            "targets": TargetCriteria.from_json(plan.targets).describe(),
            "draws": plan_draws(plan)[:30],
        },
    )


@require_POST
def plan_draw(request: HttpRequest, plan_id: int) -> HttpResponse:
    user = request_user(request)
    require(may_manage_qa(user))
    plan = get_object_or_404(SamplingPlan, pk=plan_id)
    draw = sample_draw(plan=plan, actor=user)
    if draw.why_empty:
        messages.warning(request, _("这次没有抽到联络：%(why)s") % {"why": draw.why_empty})
        return redirect("quality:plan_detail", plan_id=plan.pk)
    messages.success(
        request,
        _("已从 %(candidates)d 条候选联络中抽取 %(drawn)d 条，分配给质检员")
        % {"candidates": draw.candidates, "drawn": draw.drawn},
    )
    return redirect("quality:plan_detail", plan_id=plan.pk)


@require_GET
def sample_size(request: HttpRequest) -> HttpResponse:
    form = SampleSizeForm(request.GET or None)
    advice = None
    if form.is_valid():
        data = form.cleaned_data
        advice = daily_sample_advice(
            avg_daily_volume=data["avg_daily_volume"],
            avg_handle_s=data["avg_handle_s"],
            reviewers=data["reviewers"],
            effective_hours=data["effective_hours"],
            overhead_s=data["overhead_s"],
            margin=data["margin"] / 100,
            confidence=data["confidence"],
            expected_rate=data["expected_rate"] / 100,
        )
    return render(request, "quality/sample_size.html", {"form": form, "advice": advice})
