"""我的成绩: an agent's records, their trend, signing for a record (签收)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from lingting.core.permissions import request_user, require
from lingting.quality.permissions import may_see_own_scores
from lingting.quality.selectors.my_scores import my_scores_page
from lingting.quality.selectors.reviews import evaluation_for
from lingting.quality.services.reviews import evaluation_acknowledge


@require_GET
def my_scores(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    require(may_see_own_scores(user))
    page = my_scores_page(user)
    # The chart is the engine's own SVG, every label in it XML-escaped.
    trend = mark_safe(page.trend_svg)
    return render(request, "quality/my_scores.html", {"page": page, "trend": trend})


@require_POST
def acknowledge(request: HttpRequest, evaluation_id: int) -> HttpResponse:
    user = request_user(request)
    evaluation = evaluation_for(user=user, evaluation_id=evaluation_id)
    evaluation_acknowledge(agent_user=user, evaluation=evaluation)
    messages.success(request, _("已签收监督记录"))
    return redirect(f"{reverse('quality:my_scores')}#record-{evaluation.pk}")
