"""The satisfaction page: parse the filters, ask the selectors, render."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from lingting.core.models import Team
from lingting.core.permissions import request_user
from lingting.interactions.selectors import queue_names
from lingting.performance.selectors import target_book
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
    return render(
        request,
        "surveys/csat.html",
        {
            "form": form,
            "query": query,
            "columns": [labels[name] for name in query["by"]],
            "rows": [
                (
                    [
                        queues.get(str(key), key) if name == "queue" else key
                        for name, key in row.group
                    ],
                    row.totals,
                    csat_statuses(book, row, team_codes),
                )
                for row in rows
            ],
            "total": total,
            "total_status": csat_statuses(book, CsatRow((), total), team_codes),
            "comments": low_score_comments(
                user=user, date_from=query["date_from"], date_to=query["date_to"]
            ),
        },
    )
