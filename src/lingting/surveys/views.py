"""The satisfaction page: parse the filters, ask the selectors, render."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from lingting.core.models import Team
from lingting.core.permissions import request_user
from lingting.documents.exports.page import EXPORT_PARAM, page_charts, page_download, without_export
from lingting.interactions.selectors import queue_names
from lingting.performance.selectors import target_book
from lingting.surveys.documents import csat_document
from lingting.surveys.forms import GROUP_LABELS, CsatForm
from lingting.surveys.selectors import (
    CsatRow,
    csat_rows,
    csat_statuses,
    latest_answer_day,
    low_score_comments,
)


@require_GET
def csat(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    form = CsatForm(request.GET or None, latest=latest_answer_day(user))
    query = form.query()
    rows, total = csat_rows(user=user, **query)
    book, team_codes = target_book(), dict(Team.objects.values_list("name", "code"))
    labels = dict(GROUP_LABELS)
    queues = queue_names() if "queue" in query["by"] else {}
    shown_rows = [
        (
            [queues.get(str(key), key) if name == "queue" else key for name, key in row.group],
            row,
        )
        for row in rows
    ]
    columns = [str(labels[name]) for name in query["by"]]
    comments = low_score_comments(user=user, date_from=query["date_from"], date_to=query["date_to"])
    document = csat_document(
        columns=columns,
        rows=[(keys, row.totals) for keys, row in shown_rows],
        total=total,
        comments=comments,
        date_from=query["date_from"],
        date_to=query["date_to"],
    )
    if fmt := request.GET.get(EXPORT_PARAM):
        return page_download(document, fmt)
    return render(
        request,
        "surveys/csat.html",
        {
            "form": form,
            "query": query,
            "columns": columns,
            "rows": [
                (keys, row.totals, csat_statuses(book, row, team_codes)) for keys, row in shown_rows
            ],
            "total": total,
            "total_status": csat_statuses(book, CsatRow((), total), team_codes),
            "comments": comments,
            "charts": page_charts(document),
            "filters": without_export(request),
        },
    )
