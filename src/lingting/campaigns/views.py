"""Campaign pages: segments with a live count, campaigns and their results for managers;
today's callback list and the call page for agents; the customer file and do-not-call
list."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import timedelta

from django.contrib import messages
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lingting.campaigns.forms import (
    CallForm,
    CampaignForm,
    CustomerFileForm,
    DoNotCallForm,
    SegmentForm,
)
from lingting.campaigns.models import (
    Campaign,
    CampaignStatus,
    CampaignTarget,
    DoNotCall,
    DoNotCallSource,
    NonUseReason,
    Segment,
    TargetStateChoice,
)
from lingting.campaigns.permissions import (
    may_call_customers,
    may_run_campaigns,
    may_see_campaign_results,
)
from lingting.campaigns.selectors import (
    agent_list,
    campaign_outcomes,
    customer_history,
    outcomes_by_team,
    quota_attainment,
    segment_count,
    target_call_verdict,
)
from lingting.campaigns.services.calls import CallOutcome, CallRefused, call_record
from lingting.campaigns.services.campaigns import (
    campaign_refresh,
    campaign_save,
    campaign_status_set,
    segment_save,
)
from lingting.campaigns.services.customers import customers_import_file, do_not_call_add
from lingting.core.models import User
from lingting.core.permissions import request_user, require
from lingting.core.uploads import report_line_errors, saved_upload
from lingting.engine.callbacks import CallVerdict, Disposition
from lingting.engine.reader import LineError, UnreadableFileError
from lingting.engine.segments import SegmentRuleError, parse_segment_rules
from lingting.engine.survey_invitations import normal_address

QUOTA_DAYS = 7
CUSTOMER_FILE_SUFFIXES = (".csv", ".jsonl")
MAX_CUSTOMER_FILE = 50 * 1024 * 1024

VERDICT_WORDS = {
    CallVerdict.ALLOWED: "",
    CallVerdict.DO_NOT_CALL: gettext_lazy("该号码已登记为免打扰，不得拨打"),
    CallVerdict.NO_NUMBER: gettext_lazy("客户没有联系电话"),
    CallVerdict.NOT_OPEN: gettext_lazy("该客户已回访完毕或不再拨打"),
    CallVerdict.NOT_YET: gettext_lazy("未到重拨或约定回拨时间"),
    CallVerdict.OUTSIDE_HOURS: gettext_lazy("现在不在允许拨打的时段"),
    CallVerdict.CALLED_ELSEWHERE: gettext_lazy("近期已有其他活动拨打过这个号码"),
    CallVerdict.CAMPAIGN_NOT_RUNNING: gettext_lazy("活动未在进行中"),
}


# --- segments ------------------------------------------------------------------------------


@require_GET
def segments(request: HttpRequest) -> HttpResponse:
    require(may_run_campaigns(request_user(request)))
    today = timezone.localdate()
    rows = [
        (segment, segment_count(parse_segment_rules(segment.rules), today=today))
        for segment in Segment.objects.all()
    ]
    return render(request, "campaigns/segments.html", {"rows": rows})


@require_http_methods(["GET", "POST"])
def segment_edit(request: HttpRequest, segment_id: int | None = None) -> HttpResponse:
    user = request_user(request)
    require(may_run_campaigns(user))
    segment = get_object_or_404(Segment, pk=segment_id) if segment_id is not None else None
    form = SegmentForm(request.POST or None, instance=segment)
    if request.method == "POST" and form.is_valid():
        segment_save(actor=user, form=form)
        return redirect("campaigns:segments")
    count = None
    if segment is not None:
        count = segment_count(parse_segment_rules(segment.rules), today=timezone.localdate())
    return render(
        request, "campaigns/segment_edit.html", {"form": form, "segment": segment, "count": count}
    )


@require_GET
def segment_count_json(request: HttpRequest) -> JsonResponse:
    """The live count as the rules are typed: {"count": n} or {"error": "line 2 …"}."""
    require(may_run_campaigns(request_user(request)))
    try:
        conditions = parse_segment_rules(request.GET.get("rules", ""))
    except SegmentRuleError as problem:
        return JsonResponse({"error": str(problem)})
    if not conditions:
        return JsonResponse({"error": _("至少写一条规则")})
    return JsonResponse({"count": segment_count(conditions, today=timezone.localdate())})


# --- campaigns -----------------------------------------------------------------------------


@require_GET
def campaigns(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    require(may_see_campaign_results(user))
    rows = Campaign.objects.select_related("segment", "team")
    return render(
        request,
        "campaigns/campaigns.html",
        {"campaigns": rows, "may_run": may_run_campaigns(user)},
    )


@require_http_methods(["GET", "POST"])
def campaign_edit(request: HttpRequest, campaign_id: int | None = None) -> HttpResponse:
    user = request_user(request)
    require(may_run_campaigns(user))
    campaign = get_object_or_404(Campaign, pk=campaign_id) if campaign_id is not None else None
    form = CampaignForm(request.POST or None, instance=campaign)
    if request.method == "POST" and form.is_valid():
        saved = campaign_save(actor=user, form=form)
        return redirect("campaigns:detail", campaign_id=saved.pk)
    return render(request, "campaigns/campaign_edit.html", {"form": form, "campaign": campaign})


@require_GET
def campaign_detail(request: HttpRequest, campaign_id: int) -> HttpResponse:
    user = request_user(request)
    require(may_see_campaign_results(user))
    campaign = get_object_or_404(
        Campaign.objects.select_related("segment", "team", "queue", "script"), pk=campaign_id
    )
    total, per_agent = campaign_outcomes(campaign)
    today = timezone.localdate()
    days = [today - timedelta(days=back) for back in range(QUOTA_DAYS)]
    states = dict(TargetStateChoice.choices)
    by_state = {
        states[value]: count
        for value, count in _counted(campaign.targets.values_list("state", flat=True))
    }
    reasons = dict(NonUseReason.choices)
    non_use = [
        (reasons.get(value, value), count)
        for value, count in _counted(
            campaign.targets.exclude(non_use_reason="").values_list("non_use_reason", flat=True)
        )
    ]
    return render(
        request,
        "campaigns/campaign_detail.html",
        {
            "campaign": campaign,
            "total": total,
            "per_agent": per_agent,
            "per_team": outcomes_by_team(per_agent),
            "quota_days": quota_attainment(campaign, days),
            "by_state": by_state,
            "non_use": non_use,
            "may_run": may_run_campaigns(user),
            "statuses": CampaignStatus,
        },
    )


def _counted(values: Iterable[str]) -> list[tuple[str, int]]:
    return Counter(values).most_common()


@require_POST
def campaign_status(request: HttpRequest, campaign_id: int) -> HttpResponse:
    user = request_user(request)
    require(may_run_campaigns(user))
    campaign = get_object_or_404(Campaign, pk=campaign_id)
    status = request.POST.get("status", "")
    if status not in CampaignStatus.values:
        messages.error(request, _("未知的状态"))
        return redirect("campaigns:detail", campaign_id=campaign.pk)
    campaign_status_set(actor=user, campaign=campaign, status=CampaignStatus(status))
    if status == CampaignStatus.RUNNING:
        report = campaign_refresh(campaign, today=timezone.localdate())
        messages.success(
            request,
            _("已加入 %(added)s 个客户，今日分配 %(shared)s 个")
            % {"added": report.added, "shared": report.shared},
        )
    return redirect("campaigns:detail", campaign_id=campaign.pk)


# --- customers and do-not-call -------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def customers(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    require(may_run_campaigns(user))
    form = CustomerFileForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload: UploadedFile[bytes] = form.cleaned_data["file"]
        name = upload.name or ""
        if not name.lower().endswith(CUSTOMER_FILE_SUFFIXES):
            messages.error(request, _("只能上传 .csv 或 .jsonl 文件"))
        elif (upload.size or 0) > MAX_CUSTOMER_FILE:
            messages.error(request, _("文件超过 50 MB：请用 lingting customers_import 导入"))
        else:
            _import_upload(request, user, upload)
        return redirect("campaigns:customers")
    numbers = DoNotCall.objects.select_related("recorded_by")[:200]
    return render(
        request,
        "campaigns/customers.html",
        {"form": form, "dnc_form": DoNotCallForm(), "numbers": numbers},
    )


def _import_upload(request: HttpRequest, user: User, upload: UploadedFile[bytes]) -> None:
    rejected: list[LineError] = []
    with saved_upload(upload) as path:
        try:
            report = customers_import_file(path, actor=user, on_error=rejected.append)
        except UnreadableFileError as exc:
            messages.error(request, _("无法读取文件：%(reason)s") % {"reason": exc})
            return
    messages.success(
        request,
        _(
            "已读取 %(read)s 行：新增 %(created)s 个客户，更新 %(updated)s 个；"
            "拒绝 %(rejected)s 行。"
        )
        % {
            "read": report.read,
            "created": report.created,
            "updated": report.updated,
            "rejected": report.rejected,
        },
    )
    report_line_errors(request, rejected, command="customers_import")


@require_POST
def do_not_call(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    require(may_run_campaigns(user))
    form = DoNotCallForm(request.POST)
    number = normal_address(request.POST.get("number", "")) if form.is_valid() else ""
    if len(number) < 7:
        messages.error(request, _("请填写正确的电话号码"))
    else:
        do_not_call_add(
            number=number,
            source=DoNotCallSource.MANUAL,
            actor=user,
            note=form.cleaned_data["note"],
        )
        messages.success(request, _("已登记免打扰"))
    return redirect("campaigns:customers")


# --- the agent's day -----------------------------------------------------------------------


@require_GET
def today(request: HttpRequest) -> HttpResponse:
    """The agent's callback list for today, those still to call first."""
    user = request_user(request)
    require(may_call_customers(user))
    targets = agent_list(user.agent, timezone.localdate())
    return render(
        request,
        "campaigns/today.html",
        {"targets": targets, "called": sum(1 for t in targets if t.last_called_at)},
    )


@require_http_methods(["GET", "POST"])
def call(request: HttpRequest, target_id: int) -> HttpResponse:
    """One customer of the agent's list: the check made as they are about to call (the
    do-not-call list, hours, other campaigns), the number only when the call may go, the
    script, the customer's history, and the outcome to record."""
    user = request_user(request)
    require(may_call_customers(user))
    target = get_object_or_404(
        CampaignTarget.objects.select_related("campaign__script__live", "customer__profile"),
        pk=target_id,
        assigned_to=user.agent,
    )
    now = timezone.now()
    verdict = target_call_verdict(target, now)
    form = CallForm(request.POST or None)
    refusal = ""
    if request.method == "POST" and verdict is CallVerdict.ALLOWED and form.is_valid():
        data = form.cleaned_data
        try:
            call_record(
                actor=user,
                target=target,
                agent=user.agent,
                disposition=Disposition(data["disposition"]),
                called_at=now,
                call_back_at=data["call_back_at"],
                note=data["note"],
                outcome=CallOutcome(
                    non_use_reason=data["non_use_reason"],
                    offer_accepted=data["offer_accepted"],
                    satisfaction=data["satisfaction"],
                    revenue=data["revenue"],
                ),
            )
            messages.success(request, _("已记录"))
            return redirect("campaigns:today")
        except CallRefused as refused:
            refusal = str(refused)
    script = target.campaign.script
    return render(
        request,
        "campaigns/call.html",
        {
            "target": target,
            "verdict": verdict,
            "verdict_words": VERDICT_WORDS[verdict],
            "may_dial": verdict is CallVerdict.ALLOWED,
            "form": form,
            "refusal": refusal,
            "history": customer_history(target),
            "script": script.live.as_content() if script and script.live else None,
        },
        status=400 if request.method == "POST" else 200,  # a good POST redirected
    )
