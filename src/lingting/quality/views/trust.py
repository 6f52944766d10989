"""Trust in the machine: the overturn rates of automatic items, and the calls behind them."""

from __future__ import annotations

from django.core.exceptions import BadRequest
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from lingting.core.permissions import request_user, require
from lingting.documents.exports.page import EXPORT_PARAM, page_charts, page_download, without_export
from lingting.quality.forms import report_period
from lingting.quality.permissions import may_read_qa_reports
from lingting.quality.selectors.judge import judge_trust
from lingting.quality.selectors.trust import (
    MAX_OVERTURN_RATE,
    MIN_HITS_FOR_FLAG,
    Outcome,
    trust_calls,
    trust_report,
)
from lingting.quality.trust_export import trust_document

CALLS_SHOWN = 200  # enough to judge a rule by; the dates narrow the rest


@require_GET
def trust(request: HttpRequest) -> HttpResponse:
    require(may_read_qa_reports(request_user(request)))
    date_from, date_to = report_period(request.GET)
    report = trust_report(date_from=date_from, date_to=date_to)
    judge_items = judge_trust(date_from=date_from, date_to=date_to)
    document = trust_document(report, date_from=date_from, date_to=date_to, judge_items=judge_items)
    if fmt := request.GET.get(EXPORT_PARAM):
        return page_download(document, fmt)
    return render(
        request,
        "quality/trust.html",
        {
            "report": report,
            "judge_items": judge_items,
            "charts": page_charts(document),
            "filters": without_export(request),
            "date_from": date_from,
            "date_to": date_to,
            "max_overturn_rate": MAX_OVERTURN_RATE,
            "min_hits": MIN_HITS_FOR_FLAG,
        },
    )


@require_GET
def trust_calls_page(request: HttpRequest, item: str) -> HttpResponse:
    user = request_user(request)
    require(may_read_qa_reports(user))
    try:
        outcome = Outcome(request.GET.get("kind", ""))
    except ValueError:
        raise BadRequest(_("未知的统计类别")) from None
    date_from, date_to = report_period(request.GET)
    rows = trust_calls(user=user, item=item, outcome=outcome, date_from=date_from, date_to=date_to)
    return render(
        request,
        "quality/trust_calls.html",
        {
            "item": item,
            "outcome": outcome,
            "rows": rows[:CALLS_SHOWN],
            "date_from": date_from,
            "date_to": date_to,
        },
    )
