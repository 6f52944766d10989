"""Reviewing pages: a reviewer's queue, the review form, the monitoring records."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from lingting.core.forms import refusals_on
from lingting.core.permissions import request_user, require
from lingting.quality.forms import ReviewForm
from lingting.quality.permissions import may_review
from lingting.quality.selectors.reviews import (
    evaluation_for,
    record_suggestions_for,
    review_page_for,
)
from lingting.quality.selectors.sampling import (
    pending_assignments_for,
)
from lingting.quality.services.reviews import evaluation_submit


@require_GET
def review_queue(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    require(may_review(user))
    return render(
        request, "quality/review_queue.html", {"assignments": pending_assignments_for(user.pk)}
    )


@require_http_methods(["GET", "POST"])
def review(request: HttpRequest, assignment_id: int) -> HttpResponse:
    user = request_user(request)
    page = review_page_for(user=user, assignment_id=assignment_id)
    form = ReviewForm(
        request.POST or None,
        items=page.items,
        auto_results=page.auto_results,
        explanations=page.explanations,
        suggestions=page.suggestions,
    )
    if request.method == "POST" and form.is_valid():
        with refusals_on(form):
            evaluation = evaluation_submit(
                reviewer=user, assignment=page.assignment, record=form.record()
            )
            messages.success(request, _("监督记录已提交"))
            following = pending_assignments_for(user.pk).first()
            if following is not None:
                return redirect("quality:review", assignment_id=following.pk)
            return redirect("quality:evaluation_detail", evaluation_id=evaluation.pk)
    return render(request, "quality/review.html", {"page": page, "form": form})


@require_GET
def evaluation_detail(request: HttpRequest, evaluation_id: int) -> HttpResponse:
    user = request_user(request)
    evaluation = evaluation_for(user=user, evaluation_id=evaluation_id)
    suggestions = record_suggestions_for(user=user, evaluation=evaluation)
    return render(
        request,
        "quality/evaluation_detail.html",
        {"evaluation": evaluation, "suggestions": suggestions},
    )
