"""KPI pages: parse the filters, ask the selector, render."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lingting.core.models import Team
from lingting.core.permissions import may_set_targets, request_user, require
from lingting.interactions.models import Queue
from lingting.performance.forms import GROUP_LABELS, KpiForm
from lingting.performance.models import KpiTarget, TargetFigure
from lingting.performance.selectors import (
    agent_team_codes,
    kpi_table_for,
    kpi_targets,
    kpi_team_targets,
    row_statuses,
)
from lingting.performance.services import kpi_target_delete, kpi_target_set


@require_GET
def kpis(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    form = KpiForm(request.GET or None, user=user)
    by = form.groupings()
    filters, options = form.filters(), form.options()
    table = kpi_table_for(user=user, filters=filters, by=by, options=options)
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
        rows.append((values, [key for _name, key in line.row.group], statuses))
    return render(
        request,
        "performance/kpis.html",
        {
            "form": form,
            "columns": [str(labels[name]) for name in by],
            "rows": rows,
            "options": options,
            "has_targets": bool(targets or team_targets),
            "may_set_targets": may_set_targets(user),
        },
    )


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


@require_http_methods(["GET", "POST"])
def targets(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    require(may_set_targets(user))
    form = TargetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            kpi_target_set(
                actor=user,
                figure=data["figure"],
                queue=data["queue"],
                team=data["team"],
                green=data["green"],
                amber=data["amber"],
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
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
