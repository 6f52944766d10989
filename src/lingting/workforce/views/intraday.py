"""The intraday page (issue 14): a queue's day against its forecast, the rest re-forecast and
re-staffed, and adherence to the published roster of the agents the reader sees."""

from __future__ import annotations

from datetime import date, timedelta

from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from lingting.core.params import date_in_range
from lingting.core.permissions import request_user, require
from lingting.documents.exports.page import EXPORT_PARAM, page_charts, page_download, without_export
from lingting.engine.intraday import CREDIBILITY_KAPPA
from lingting.interactions.models import Queue as AcdQueue
from lingting.workforce.intraday_document import intraday_document
from lingting.workforce.permissions import may_plan, may_see_intraday, sees_queue_day
from lingting.workforce.selectors.intraday import adherence_day, queue_day
from lingting.workforce.selectors.planning import planning_queues

PARTIAL_PARAM = "partial"


@require_GET
def intraday(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    require(may_see_intraday(user))
    today = timezone.localdate()
    day = _chosen_day(request, today)
    queues = list(planning_queues()) if sees_queue_day(user) else []
    queue = _chosen_queue(request, queues)
    figures = queue_day(queue, day) if queue is not None else None
    adherence = adherence_day(user=user, day=day)
    document = intraday_document(queue_day=figures, adherence=adherence)
    if fmt := request.GET.get(EXPORT_PARAM):
        return page_download(document, fmt)
    template = "workforce/intraday.html"
    if request.GET.get(PARTIAL_PARAM) == "live":  # the figures alone, for refresh.js
        template += "#live"
    return render(
        request,
        template,
        {
            "updated_at": timezone.localtime(),
            "day": day,
            "is_today": day == today,
            "previous": day - timedelta(days=1),
            "next": day + timedelta(days=1),
            "sees_queues": sees_queue_day(user),
            "may_plan": may_plan(user),
            "queues": queues,
            "queue": queue,
            "figures": figures,
            "adherence": adherence,
            "kappa": CREDIBILITY_KAPPA,
            "charts": page_charts(document),
            "filters": _filters(request),
        },
    )


def _filters(request: HttpRequest) -> str:
    """The page's filters for its download links and its refresh (neither a partial)."""
    query = QueryDict(without_export(request), mutable=True)
    query.pop(PARTIAL_PARAM, None)
    return query.urlencode()


def _chosen_day(request: HttpRequest, today: date) -> date:
    try:
        day = date.fromisoformat(request.GET.get("day", "")) if request.GET.get("day") else today
    except ValueError:
        day = today
    return date_in_range(day, "day")


def _chosen_queue(request: HttpRequest, queues: list[AcdQueue]) -> AcdQueue | None:
    wanted = request.GET.get("queue", "")
    return next((q for q in queues if str(q.pk) == wanted), queues[0] if queues else None)
