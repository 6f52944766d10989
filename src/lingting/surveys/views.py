"""The satisfaction page: parse the filters, ask the selectors, render."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import BadRequest
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lingting.core.models import Team
from lingting.core.permissions import request_user, require
from lingting.core.selectors import agent_names
from lingting.documents.document import ReportDocument
from lingting.documents.exports.fonts import ReportFontMissing
from lingting.documents.exports.page import (
    EXPORT_PARAM,
    document_download,
    page_charts,
    page_download,
    without_export,
)
from lingting.engine.survey_reasons import Reason, format_reason_rules
from lingting.interactions.selectors import queue_names
from lingting.performance.selectors import target_book
from lingting.surveys.documents import csat_document
from lingting.surveys.forms import GROUP_LABELS, CsatForm, SurveyPlanForm
from lingting.surveys.models import ReasonChoice, SurveyPlan, SurveyQuestion
from lingting.surveys.permissions import may_manage_surveys
from lingting.surveys.selectors import (
    CsatRow,
    csat_rows,
    csat_statuses,
    dissatisfaction_reasons,
    invitation_by_token,
    invitation_refusal,
    latest_answer_day,
    low_score_comments,
    plan_outboxes,
    plan_scores,
    reason_rules,
    visible_responses,
)
from lingting.surveys.services.invitations import (
    VERDICT_LABELS,
    AnswerRefused,
    survey_answer_by_link,
    survey_plan_save,
)
from lingting.surveys.services.responses import survey_reason_rules_save, survey_reason_set


@require_GET
def csat(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    form = CsatForm(request.GET or None, latest=latest_answer_day(user))
    query = form.query()
    rows, total = csat_rows(user=user, **query)
    book, team_codes = target_book(), dict(Team.objects.values_list("name", "code"))
    labels = dict(GROUP_LABELS)
    shown_rows = shown_groups(rows, query["by"])
    columns = [str(labels[name]) for name in query["by"]]
    period = {"date_from": query["date_from"], "date_to": query["date_to"]}
    rules = reason_rules()  # read once for the comments and the counts
    comments = low_score_comments(user=user, rules=rules, **period)
    reasons = dissatisfaction_reasons(user=user, rules=rules, **period)
    document = csat_document(
        columns=columns,
        rows=shown_rows,
        total=total,
        comments=comments,
        date_from=query["date_from"],
        date_to=query["date_to"],
    )
    if fmt := request.GET.get(EXPORT_PARAM):
        return _download(request, document, fmt)
    return render(
        request,
        "surveys/csat.html",
        {
            "form": form,
            "may_manage": may_manage_surveys(user),
            "query": query,
            "columns": columns,
            "rows": [(keys, row, csat_statuses(book, row, team_codes)) for keys, row in shown_rows],
            "total": total,
            "total_status": csat_statuses(book, total, team_codes),
            "comments": comments,
            "reasons": reasons,
            "reason_rows": [
                (label, reasons.by_reason.get(Reason(value), 0), reasons.share(Reason(value)))
                for value, label in ReasonChoice.choices
            ],
            "reason_choices": ReasonChoice.choices,
            "charts": page_charts(document),
            "filters": without_export(request),
        },
    )


def shown_groups(
    rows: Sequence[CsatRow], by: Sequence[str]
) -> list[tuple[list[str | None], CsatRow]]:
    """Each row with its keys as the page shows them: an agent by name and 工号, an ACD group
    by its name, a contact in no topic as 未归类 (None: no agent, team or queue)."""
    names = {
        "agent": agent_names() if "agent" in by else {},
        "queue": queue_names() if "queue" in by else {},
    }

    def shown(grouping: str, key: str | None) -> str | None:
        if grouping == "topic" and key is None:
            return str(_("未归类"))
        if key is None:
            return None
        return names.get(grouping, {}).get(key, key)

    return [([shown(grouping, key) for grouping, key in row.group], row) for row in rows]


def _download(request: HttpRequest, document: ReportDocument, fmt: str) -> HttpResponse:
    """The page as CSV or XLSX, or as a PDF where a CJK font is found."""
    if fmt != "pdf":
        return page_download(document, fmt)
    try:
        return document_download(document, fmt)
    except ReportFontMissing as error:
        messages.error(request, _("无法生成 PDF：%(reason)s") % {"reason": error})
        return redirect(f"{reverse('surveys:csat')}?{without_export(request)}")


ANSWER_REFUSALS = {
    "answered": _("这份问卷已经填写过了，感谢您的评价。"),
    "expired": _("这份问卷已过期，感谢您的关注。"),
    "unknown": _("链接无效或尚未生效。"),
    "score": _("请选择一个评分。"),
}
FIVE_POINT_LABELS = (_("非常不满意"), _("不满意"), _("一般"), _("满意"), _("非常满意"))


@login_not_required
@require_http_methods(["GET", "POST"])
def answer(request: HttpRequest, token: str) -> HttpResponse:
    """The customer's H5 survey page (no login): the invitation's question, a score to tap,
    an optional comment and the opt-out. The link works once and until it expires."""
    invitation = invitation_by_token(token)
    refusal = invitation_refusal(invitation)
    done = False
    if request.method == "POST" and refusal is None:
        try:
            survey_answer_by_link(
                token=token,
                score=int_or_none(request.POST.get("score")),
                comment=request.POST.get("comment", ""),
                opt_out=request.POST.get("opt_out") == "1",
            )
            done = True
        except AnswerRefused as refused:
            refusal = str(refused)
    recommend = invitation is not None and invitation.plan.asks == SurveyQuestion.RECOMMEND
    context = {
        "done": done,
        "open": not done and refusal in (None, "score"),
        "refusal": ANSWER_REFUSALS[refusal] if refusal else None,
        "recommend": recommend,
        "scores": answer_choices(invitation.plan) if invitation else [],
    }
    status = {None: 200, "score": 400, "unknown": 404}.get(refusal, 410)
    return render(request, "surveys/answer.html", context, status=status)


def answer_choices(plan: SurveyPlan) -> list[tuple[int, Any]]:
    """The scores to tap, each with its words: 0 to 10 for the recommend question, read
    left to right as NPS surveys are (the page says what the ends mean), else the top
    first."""
    scores = plan_scores(plan)
    if plan.asks == SurveyQuestion.RECOMMEND:
        return [(score, "") for score in scores]
    labels = FIVE_POINT_LABELS if len(scores) == 5 else ("",) * len(scores)
    return list(zip(reversed(scores), reversed(labels), strict=True))


def int_or_none(value: str | None) -> int | None:
    """A submitted score; None (refused by the service as no score) for anything else."""
    try:
        return int(value or "")
    except ValueError:
        return None


@require_GET
def plans(request: HttpRequest) -> HttpResponse:
    """The survey plans with their outbox: due, sent, answered, failed, not invited and why."""
    require(may_manage_surveys(request_user(request)))
    labels: dict[str, Any] = dict(VERDICT_LABELS)
    outboxes = [
        (outbox, [(labels.get(v, v), n) for v, n in outbox.skipped_by_verdict.items()])
        for outbox in plan_outboxes()
    ]
    return render(request, "surveys/plans.html", {"outboxes": outboxes})


@require_http_methods(["GET", "POST"])
def plan_edit(request: HttpRequest, plan_id: int | None = None) -> HttpResponse:
    user = request_user(request)
    require(may_manage_surveys(user))
    plan = get_object_or_404(SurveyPlan, pk=plan_id) if plan_id is not None else None
    form = SurveyPlanForm(request.POST or None, instance=plan)
    if request.method == "POST" and form.is_valid():
        survey_plan_save(actor=user, form=form)
        return redirect("surveys:plans")
    return render(request, "surveys/plan_edit.html", {"form": form, "plan": plan})


@require_POST
def reason_set(request: HttpRequest, response_id: int) -> HttpResponse:
    """A manager sets (or clears) why a dissatisfied customer was dissatisfied."""
    user = request_user(request)
    require(may_manage_surveys(user))
    response = get_object_or_404(visible_responses(user), pk=response_id)
    reason = request.POST.get("reason", "")
    if reason and reason not in ReasonChoice.values:
        raise BadRequest(f"reason: one of {', '.join(ReasonChoice.values)} or empty")
    survey_reason_set(actor=user, response=response, reason=reason)
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = reverse("surveys:csat")
    return redirect(back)


@require_http_methods(["GET", "POST"])
def reason_rules_edit(request: HttpRequest) -> HttpResponse:
    """The words that code dissatisfaction into people / process / product / network."""
    user = request_user(request)
    require(may_manage_surveys(user))
    text = format_reason_rules(reason_rules())
    error = ""
    if request.method == "POST":
        text = request.POST.get("rules", "")
        try:
            survey_reason_rules_save(actor=user, text=text)
            return redirect("surveys:csat")
        except ValueError as refused:
            error = str(refused)
    return render(
        request,
        "surveys/reason_rules.html",
        {"text": text, "error": error, "kinds": ReasonChoice.choices},
        status=400 if error else 200,
    )
