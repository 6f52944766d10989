"""Dispute pages: raising one from a record, the list, deciding one, the report."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lingting.core.forms import refusals_on
from lingting.core.permissions import request_user, require
from lingting.quality.forms import report_period
from lingting.quality.models import DisputeStatus
from lingting.quality.permissions import may_manage_qa, may_read_qa_reports, may_see_disputes
from lingting.quality.selectors.disputes import (
    dispute_for,
    dispute_report,
    disputed_item,
    disputes_for,
    open_disputes_for,
)
from lingting.quality.selectors.reviews import evaluation_for
from lingting.quality.services.disputes import dispute_decide, dispute_raise

LIST_LENGTH = 200


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=gettext_lazy("处理结果"),
        choices=[
            ("uphold", gettext_lazy("维持原判")),
            ("overturn", gettext_lazy("申诉成立：本项改为通过，不扣分")),
        ],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=gettext_lazy("处理意见"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


@require_POST
def dispute_create(request: HttpRequest, evaluation_id: int) -> HttpResponse:
    user = request_user(request)
    evaluation = evaluation_for(user=user, evaluation_id=evaluation_id)
    try:
        dispute = dispute_raise(
            agent_user=user,
            evaluation=evaluation,
            item=request.POST.get("item", ""),
            reason=request.POST.get("reason", ""),
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("quality:evaluation_detail", evaluation_id=evaluation.pk)
    messages.success(request, _("申诉已提交，质检主管处理后会通知你"))
    return redirect("quality:dispute_detail", dispute_id=dispute.pk)


@require_GET
def dispute_list(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    require(may_see_disputes(user))
    supervising = may_manage_qa(user)
    disputes = disputes_for(user)
    if supervising:  # the open ones come first, in their own queue
        disputes = disputes.exclude(status=DisputeStatus.OPEN)
    return render(
        request,
        "quality/dispute_list.html",
        {
            "queue": list(open_disputes_for(user)) if supervising else None,
            "disputes": list(disputes[:LIST_LENGTH]),
            "list_length": LIST_LENGTH,
        },
    )


@require_http_methods(["GET", "POST"])
def dispute_detail(request: HttpRequest, dispute_id: int) -> HttpResponse:
    user = request_user(request)
    dispute = dispute_for(user=user, dispute_id=dispute_id)
    deciding = may_manage_qa(user) and dispute.status == DisputeStatus.OPEN
    form = DecisionForm(request.POST or None) if deciding else None
    if request.method == "POST":
        require(may_manage_qa(user))
        if form is None:
            messages.error(request, _("这条申诉已经处理过了"))
            return redirect("quality:dispute_detail", dispute_id=dispute.pk)
        if form.is_valid():
            with refusals_on(form):
                dispute_decide(
                    supervisor=user,
                    dispute=dispute,
                    overturn=form.cleaned_data["decision"] == "overturn",
                    note=form.cleaned_data["note"],
                )
                messages.success(request, _("申诉已处理，坐席和质检员已收到通知"))
                return redirect("quality:dispute_detail", dispute_id=dispute.pk)
    return render(
        request,
        "quality/dispute_detail.html",
        {"dispute": dispute, "row": disputed_item(dispute), "form": form},
    )


@require_GET
def report(request: HttpRequest) -> HttpResponse:
    require(may_read_qa_reports(request_user(request)))
    date_from, date_to = report_period(request.GET)
    return render(
        request,
        "quality/dispute_report.html",
        {
            "report": dispute_report(date_from=date_from, date_to=date_to),
            "date_from": date_from,
            "date_to": date_to,
        },
    )
