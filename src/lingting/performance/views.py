"""KPI pages: parse the filters, ask the selector, render."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lingting.core.forms import refusals_on
from lingting.core.models import Agent, Team
from lingting.core.params import date_in_range, int_param
from lingting.core.permissions import request_user, require
from lingting.core.selectors import agent_names
from lingting.documents.exports.page import (
    EXPORT_PARAM,
    page_charts,
    page_download,
    without_export,
)
from lingting.interactions.models import Queue
from lingting.interactions.selectors import queue_names
from lingting.performance.catch_up import counted_first
from lingting.performance.documents import assessment_document, kpi_document
from lingting.performance.forms import GROUP_LABELS, KpiForm
from lingting.performance.models import (
    FIGURE_UNITS,
    FigureUnit,
    KpiTarget,
    MonthlyAward,
    TargetFigure,
)
from lingting.performance.permissions import may_manage_assessment, may_see_ranking, may_set_targets
from lingting.performance.selectors import (
    agent_team_codes,
    assessed_months,
    assessment_for,
    assessment_weights,
    award_proposals,
    kpi_table_for,
    kpi_targets,
    kpi_team_targets,
    latest_ranked_week,
    month_bounds,
    row_statuses,
    weekly_ranking,
)
from lingting.performance.services import (
    assessment_compute,
    assessment_weights_set,
    award_confirm,
    kpi_target_delete,
    kpi_target_set,
)


@require_GET
@counted_first
def kpis(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    form = KpiForm(request.GET or None, user=user)
    by = form.groupings()
    filters, options = form.filters(), form.options()
    table = kpi_table_for(user=user, filters=filters, by=by, options=options, meaning=True)
    targets, team_targets = kpi_targets(), kpi_team_targets()
    queue = (
        Queue.objects.filter(pk=filters.queue_id).values_list("code", flat=True).first()
        if filters.queue_id
        else None
    )
    team = (
        Team.objects.filter(pk=filters.team_id).values_list("code", flat=True).first()
        if filters.team_id
        else None
    )
    agent_teams = agent_team_codes() if "agent" in by and team_targets else {}
    labels = dict(GROUP_LABELS)
    names = {
        "queue": queue_names() if "queue" in by else {},
        "agent": agent_names() if "agent" in by else {},
    }
    rows = []
    for line in table:
        values = line.values()
        agent = dict(line.row.group).get("agent")
        row_team = agent_teams.get(str(agent), team) if agent is not None else team
        statuses = row_statuses(
            line.row,
            targets,
            queue=queue,
            team=row_team,
            team_targets=team_targets,
            values={"qa_score": line.qa.qa_score, "pass_rate": line.qa.pass_rate},
        )
        keys = [names.get(name, {}).get(str(key), key) for name, key in line.row.group]
        rows.append((values, keys, statuses))
    columns = [str(labels[name]) for name in by]
    document = kpi_document(
        columns=columns,
        by=by,
        rows=[(values, keys) for values, keys, _statuses in rows],
        period_label=_period_label(filters.date_from, filters.date_to),
    )
    if fmt := request.GET.get(EXPORT_PARAM):
        return page_download(document, fmt)
    return render(
        request,
        "performance/kpis.html",
        {
            "form": form,
            "columns": columns,
            "charts": page_charts(document),
            "filters": without_export(request),
            "rows": rows,
            "options": options,
            "has_targets": bool(targets or team_targets),
            "may_set_targets": may_set_targets(user),
        },
    )


def _period_label(date_from: date | None, date_to: date | None) -> str:
    if date_from is None and date_to is None:
        return _("全部日期")
    return f"{date_from or '…'} – {date_to or '…'}"


class TargetForm(forms.Form):
    figure = forms.ChoiceField(label=gettext_lazy("指标"), choices=TargetFigure.choices)
    queue = forms.ModelChoiceField(
        label=gettext_lazy("ACD组"),
        queryset=Queue.objects.order_by("code"),
        required=False,
        empty_label=gettext_lazy("全中心"),
    )
    team = forms.ModelChoiceField(
        label=gettext_lazy("班组"),
        queryset=Team.objects.order_by("code"),
        required=False,
        empty_label=gettext_lazy("—"),
    )
    green = forms.FloatField(label=gettext_lazy("达标值"))
    amber = forms.FloatField(label=gettext_lazy("预警值"))

    def clean(self) -> dict[str, Any]:
        """Rates are entered as percentages (92 for 92 %) and stored as fractions of 1."""
        data = super().clean() or {}
        if FIGURE_UNITS.get(data.get("figure", "")) == FigureUnit.RATE:
            for name in ("green", "amber"):
                if data.get(name) is not None:
                    data[name] = data[name] / 100
        return data


@require_http_methods(["GET", "POST"])
def targets(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    require(may_set_targets(user))
    form = TargetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with refusals_on(form):
            kpi_target_set(
                actor=user,
                figure=data["figure"],
                queue=data["queue"],
                team=data["team"],
                green=data["green"],
                amber=data["amber"],
            )
            messages.success(request, _("指标目标已保存"))
            return redirect("performance:targets")
    listed = KpiTarget.objects.select_related("queue", "team").order_by(
        "figure", "team__code", "queue__code"
    )
    return render(request, "performance/targets.html", {"form": form, "targets": listed})


@require_POST
def target_delete(request: HttpRequest, target_id: int) -> HttpResponse:
    kpi_target_delete(
        actor=request_user(request), target=get_object_or_404(KpiTarget, pk=target_id)
    )
    return redirect("performance:targets")


# --- the monthly assessment, weights, best/worst and the weekly ranking ----------------------


def _month_param(text: str | None) -> date:
    """``2026-10`` → 1 Oct 2026; missing or malformed: last month (the one to assess)."""
    try:
        month = datetime.strptime(text or "", "%Y-%m").date()
    except ValueError:
        return (timezone.localdate().replace(day=1) - timedelta(days=1)).replace(day=1)
    return date_in_range(month, "month")


@require_GET
@counted_first
def assessment(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    month = _month_param(request.GET.get("month"))
    manager = may_manage_assessment(user)
    awards = MonthlyAward.objects.filter(month=month).select_related("agent", "confirmed_by")
    finished = month_bounds(month)[1] <= timezone.now()
    lines = assessment_for(user=user, month=month)
    components = [str(label) for label in COMPONENT_LABELS.values()]
    document = assessment_document(lines=lines, components=components, month_label=f"{month:%Y-%m}")
    if fmt := request.GET.get(EXPORT_PARAM):
        return page_download(document, fmt)
    return render(
        request,
        "performance/assessment.html",
        {
            "month": month,
            "months": sorted({month, *assessed_months()}, reverse=True),
            "lines": lines,
            "components": components,
            "charts": page_charts(document),
            "filters": without_export(request),
            "weights": assessment_weights(),
            "may_manage": manager,
            "awards": awards,
            "proposals": (
                [p for p in award_proposals(month=month) if p.kind not in {a.kind for a in awards}]
                if manager and finished
                else []
            ),
        },
    )


@require_POST
def assessment_compute_view(request: HttpRequest) -> HttpResponse:
    month = _month_param(request.POST.get("month"))
    count = assessment_compute(actor=request_user(request), month=month)
    messages.success(request, _("已计算 %(count)d 名坐席的考核") % {"count": count})
    return redirect(f"{reverse('performance:assessment')}?month={month:%Y-%m}")


@require_POST
def award_confirm_view(request: HttpRequest) -> HttpResponse:
    # The right first: nobody learns anything from how a refused request's input is read.
    require(may_manage_assessment(request_user(request)))
    month = _month_param(request.POST.get("month"))
    agent = get_object_or_404(Agent, pk=int_param(request.POST, "agent", default=0))
    try:
        award_confirm(
            actor=request_user(request), month=month, kind=request.POST.get("kind", ""), agent=agent
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("已确认，绩效加减分已计入本月考核"))
    return redirect(f"{reverse('performance:assessment')}?month={month:%Y-%m}")


COMPONENT_LABELS = {
    "qa_score": gettext_lazy("质检均分"),
    "attitude": gettext_lazy("服务态度"),
    "proficiency": gettext_lazy("业务熟练程度"),
    "explanation": gettext_lazy("解释是否到位"),
    "speech": gettext_lazy("语音语速服务时限"),
    "volume": gettext_lazy("话务量"),
}


class WeightsForm(forms.Form):
    qa_score = forms.FloatField(label=COMPONENT_LABELS["qa_score"], min_value=0, max_value=100)
    attitude = forms.FloatField(label=COMPONENT_LABELS["attitude"], min_value=0, max_value=100)
    proficiency = forms.FloatField(
        label=COMPONENT_LABELS["proficiency"], min_value=0, max_value=100
    )
    explanation = forms.FloatField(
        label=COMPONENT_LABELS["explanation"], min_value=0, max_value=100
    )
    speech = forms.FloatField(label=COMPONENT_LABELS["speech"], min_value=0, max_value=100)
    volume = forms.FloatField(label=COMPONENT_LABELS["volume"], min_value=0, max_value=100)
    min_reviewed = forms.IntegerField(
        label=gettext_lazy("评选最佳/最差的最少复核数"), min_value=1, max_value=100
    )


@require_http_methods(["GET", "POST"])
def assessment_weights_view(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    require(may_manage_assessment(user))
    current = assessment_weights()
    initial = {name: getattr(current, name) for name in (*COMPONENT_LABELS, "min_reviewed")}
    form = WeightsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        min_reviewed = data.pop("min_reviewed")
        with refusals_on(form):
            assessment_weights_set(actor=user, weights=data, min_reviewed=min_reviewed)
            messages.success(request, _("考核权重已保存，重新计算后生效"))
            return redirect("performance:assessment_weights")
    return render(request, "performance/assessment_weights.html", {"form": form})


@require_GET
@counted_first
def ranking(request: HttpRequest) -> HttpResponse:
    require(may_see_ranking(request_user(request)))
    today = timezone.localdate()
    try:
        monday = datetime.strptime(request.GET.get("week", "") + "-1", "%G-W%V-%u").date()
        date_in_range(monday, "week")
    except ValueError:
        monday = latest_ranked_week(before=today - timedelta(days=today.weekday()))
    return render(
        request,
        "performance/ranking.html",
        {
            "monday": monday,
            "week": f"{monday:%G-W%V}",
            "previous": f"{monday - timedelta(days=7):%G-W%V}",
            "next": f"{monday + timedelta(days=7):%G-W%V}",
            "lines": weekly_ranking(monday=monday),
        },
    )
