"""KPI pages: parse the filters, ask the selector, render."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from lingting.core.permissions import request_user
from lingting.performance.forms import GROUP_LABELS, KpiForm
from lingting.performance.selectors import kpis_for


@require_GET
def kpis(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    form = KpiForm(request.GET or None, user=user)
    by = form.groupings()
    rows = kpis_for(user=user, filters=form.filters(), by=by, options=form.options())
    labels = dict(GROUP_LABELS)
    return render(
        request,
        "performance/kpis.html",
        {
            "form": form,
            "columns": [str(labels[name]) for name in by],
            "rows": [(row.to_dict(), [key for _name, key in row.group]) for row in rows],
            "options": form.options(),
        },
    )
