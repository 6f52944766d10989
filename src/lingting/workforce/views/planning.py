"""The planner's page: a queue's policy, forecast and requirement (issue 14)."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from lingting.core.permissions import request_user, require
from lingting.documents.document import ReportDocument
from lingting.documents.exports.page import EXPORT_PARAM, page_charts, page_download, without_export
from lingting.interactions.models import Queue as AcdQueue
from lingting.workforce.forms import ForecastForm, StaffingPolicyForm, form_errors
from lingting.workforce.permissions import may_plan
from lingting.workforce.planning_document import planning_document
from lingting.workforce.selectors.planning import (
    backtest_comparison,
    latest_forecast,
    next_week,
    planning_queues,
    requirement_of,
    staffing_policy_of,
)
from lingting.workforce.services.planning import (
    ForecastError,
    forecast_build,
    staffing_policy_save,
)


@require_GET
def planning(request: HttpRequest) -> HttpResponse:
    """The planner's page: a queue's policy, its latest forecast with the backtest that chose
    its methods, and the agents each interval requires."""
    require(may_plan(request_user(request)))
    queues = list(planning_queues())
    queue = _chosen_queue(request, queues)
    context: dict[str, object] = {"queues": queues, "queue": queue}
    if queue is not None:
        context |= _queue_plan(request, queue)
        if fmt := request.GET.get(EXPORT_PARAM):
            document = context.get("document")
            if not isinstance(document, ReportDocument):  # no forecast yet: nothing to export
                raise Http404
            return page_download(document, fmt)
    return render(request, "workforce/planning.html", context)


def _chosen_queue(request: HttpRequest, queues: list[AcdQueue]) -> AcdQueue | None:
    wanted = request.GET.get("queue", "")
    return next((q for q in queues if str(q.pk) == wanted), queues[0] if queues else None)


def _queue_plan(request: HttpRequest, queue: AcdQueue) -> dict[str, object]:
    policy = staffing_policy_of(queue)
    run = latest_forecast(queue)
    first, last = next_week(timezone.localdate())
    plan: dict[str, object] = {
        "policy": policy,
        "policy_form": StaffingPolicyForm(instance=policy),
        "forecast_form": ForecastForm(initial={"first_day": first, "last_day": last}),
        "run": run,
    }
    if run is None:
        return plan
    plan["comparison"] = backtest_comparison(run)
    requirement = requirement_of(run, policy)
    days = [total.day for total in requirement.days]
    day = _chosen_day(request, days)
    document = planning_document(run=run, requirement=requirement, day=day)
    return plan | {
        "requirement": requirement,
        "day": day,
        "days": days,
        "day_rows": [r for r in requirement.rows if timezone.localtime(r.starts_at).date() == day],
        "document": document,
        "charts": page_charts(document),
        "filters": without_export(request),
    }


def _chosen_day(request: HttpRequest, days: list[date]) -> date:
    try:
        wanted = date.fromisoformat(request.GET.get("day", ""))
    except ValueError:
        wanted = None
    if wanted is not None and wanted in days:
        return wanted
    return days[0] if days else timezone.localdate()


@require_POST
def planning_policy(request: HttpRequest, queue_id: int) -> HttpResponse:
    user = request_user(request)
    require(may_plan(user))
    queue = get_object_or_404(AcdQueue, pk=queue_id)
    form = StaffingPolicyForm(request.POST, instance=staffing_policy_of(queue))
    if not form.is_valid():
        messages.error(request, _("策略未保存：%(errors)s") % {"errors": form_errors(form)})
        return redirect(f"{reverse('workforce:planning')}?queue={queue.pk}")
    staffing_policy_save(queue=queue, values=form.cleaned_data, actor=user)
    messages.success(request, _("已保存 %(queue)s 的人力配置策略") % {"queue": queue})
    return redirect(f"{reverse('workforce:planning')}?queue={queue.pk}")


@require_POST
def planning_forecast(request: HttpRequest, queue_id: int) -> HttpResponse:
    user = request_user(request)
    require(may_plan(user))
    queue = get_object_or_404(AcdQueue, pk=queue_id)
    form = ForecastForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("未能预测：%(errors)s") % {"errors": form_errors(form)})
    else:
        try:
            forecast_build(
                queue=queue,
                first=form.cleaned_data["first_day"],
                last=form.cleaned_data["last_day"],
                actor=user,
            )
        except ForecastError as exc:
            messages.error(request, _("未能预测：%(reason)s") % {"reason": exc})
        else:
            messages.success(request, _("已生成 %(queue)s 的预测") % {"queue": queue})
    return redirect(f"{reverse('workforce:planning')}?queue={queue.pk}")
