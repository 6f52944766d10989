"""Trust in the machine: the overturn rates of automatic items."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from lingting.core.permissions import may_read_qa_reports, request_user, require
from lingting.quality.forms import report_period
from lingting.quality.selectors.trust import MIN_HITS_FOR_FLAG, MIN_PRECISION, trust_report


@require_GET
def trust(request: HttpRequest) -> HttpResponse:
    require(may_read_qa_reports(request_user(request)))
    date_from, date_to = report_period(request.GET)
    report = trust_report(date_from=date_from, date_to=date_to)
    return render(
        request,
        "quality/trust.html",
        {
            "report": report,
            "date_from": date_from,
            "date_to": date_to,
            "min_precision": MIN_PRECISION,
            "min_hits": MIN_HITS_FOR_FLAG,
        },
    )
