"""Report pages: parse the period, ask for the document, render it or hand it over as a
file; the archive of generated reports."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from lingting.core.models import Team
from lingting.core.params import MAX_DB_INT
from lingting.core.permissions import request_user, require
from lingting.documents.document import ReportDocument, Section
from lingting.documents.exports.fonts import ReportFontMissing
from lingting.documents.exports.page import XLSX, attachment, document_download
from lingting.documents.exports.pdf import pdf_begun
from lingting.documents.periods import Period, PeriodKind, last_full_period, parse_period
from lingting.interactions.models import Queue
from lingting.performance.catch_up import counted_first
from lingting.quality.permissions import may_read_qa_reports
from lingting.reports.layouts.kinds import PERIOD_OF_KIND, document_for
from lingting.reports.models import GeneratedReport, QueuedReport, ReportKind
from lingting.reports.permissions import may_archive_reports, may_read_quality_reports
from lingting.reports.selectors.topics import topics_page_for
from lingting.reports.services.on_demand import report_generate_on_demand

INPUT_TYPES = {PeriodKind.DAY: "date", PeriodKind.WEEK: "week", PeriodKind.MONTH: "month"}


@dataclass(frozen=True, slots=True)
class ShownSection:
    section: Section
    charts: list[SafeString]


def _kind(kind: str) -> str:
    if kind not in ReportKind.values:
        raise Http404("no such report")
    return kind


def _period(kind: str, text: str | None) -> Period:
    """The requested period, or the last full one (yesterday, last week, last month)."""
    period_kind = PERIOD_OF_KIND[kind]
    if not text:
        return last_full_period(period_kind, timezone.localdate())
    return parse_period(period_kind, text)


def _int(text: str | None) -> int | None:
    """An id filter; anything that is not one (or is beyond any stored id) filters nothing."""
    return int(text) if text and text.isdigit() and int(text) <= MAX_DB_INT else None


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    require(may_read_quality_reports(request_user(request)))
    return redirect("reports:report", kind=ReportKind.MONTHLY)


@require_GET
def topics(request: HttpRequest) -> HttpResponse:
    """客户之声: this week's topics against the weeks before; `?end=` moves the week."""
    user = request_user(request)
    require(may_read_quality_reports(user))
    end_text = request.GET.get("end", "")
    end = _day(end_text)
    status = 400 if end_text and end is None else 200
    return render(
        request,
        "reports/topics.html",
        {
            "kind": "topics",
            "kinds": ReportKind.choices,
            "may_read_archive": may_read_qa_reports(user),
            "page_data": topics_page_for(user=user, end=end),
            "end_text": end_text,
            "bad_end": status == 400,
        },
        status=status,
    )


def _day(text: str) -> date | None:
    try:
        day = date.fromisoformat(text)
    except ValueError:
        return None
    return day if date(1900, 1, 1) <= day <= date(9999, 12, 24) else None


@require_GET
@counted_first
def report(request: HttpRequest, kind: str) -> HttpResponse:
    user = request_user(request)
    require(may_read_quality_reports(user))
    kind = _kind(kind)
    queue_id, team_id = _int(request.GET.get("queue")), _int(request.GET.get("team"))
    try:
        period = _period(kind, request.GET.get("period"))
    except ValueError:
        return _page(request, kind, None, None, status=400, queue_id=queue_id, team_id=team_id)
    document = document_for(kind=kind, period=period, user=user, queue_id=queue_id, team_id=team_id)
    return _page(request, kind, period, document, queue_id=queue_id, team_id=team_id)


def _page(
    request: HttpRequest,
    kind: str,
    period: Period | None,
    document: ReportDocument | None,
    *,
    status: int = 200,
    queue_id: int | None = None,
    team_id: int | None = None,
) -> HttpResponse:
    user = request_user(request)
    sections = [
        ShownSection(s, [mark_safe(chart.svg()) for chart in s.charts])
        for s in (document.sections if document else [])
    ]
    query = request.GET.copy()
    if period is not None:
        query["period"] = period.key
    return render(
        request,
        "reports/report.html",
        {
            "kind": kind,
            "kinds": ReportKind.choices,
            "kind_label": ReportKind(kind).label,
            "period": period,
            "period_text": request.GET.get("period", ""),
            "input_type": INPUT_TYPES[PERIOD_OF_KIND[kind]],
            "document": document,
            "sections": sections,
            "query": query.urlencode(),
            "queues": Queue.objects.order_by("code") if kind == "daily" else [],
            "teams": Team.objects.order_by("code") if kind == "daily" else [],
            "queue_id": queue_id,
            "team_id": team_id,
            "may_archive": may_archive_reports(user),
            "may_read_archive": may_read_qa_reports(user),
        },
        status=status,
    )


@require_GET
@counted_first
def download(request: HttpRequest, kind: str, fmt: str) -> HttpResponse:
    user = request_user(request)
    require(may_read_quality_reports(user))
    kind = _kind(kind)
    try:
        period = _period(kind, request.GET.get("period"))
    except ValueError:
        return _page(request, kind, None, None, status=400)
    pdf = pdf_begun() if fmt == "pdf" else None  # its font loads while the figures are read
    document = document_for(
        kind=kind,
        period=period,
        user=user,
        queue_id=_int(request.GET.get("queue")),
        team_id=_int(request.GET.get("team")),
    )
    try:
        return document_download(document, fmt, pdf=pdf)
    except ReportFontMissing as error:
        messages.error(request, _("无法生成 PDF：%(reason)s") % {"reason": error})
        return redirect(f"{reverse('reports:report', args=[kind])}?period={period.key}")


@require_GET
def archive(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    require(may_read_qa_reports(user))
    reports = GeneratedReport.objects.select_related("generated_by").defer("xlsx", "pdf")
    return render(
        request,
        "reports/archive.html",
        {
            "reports": reports,
            "queued": QueuedReport.objects.select_related("requested_by"),
            "kinds": ReportKind.choices,
            "kind": "archive",
            "may_archive": may_archive_reports(user),
        },
    )


@require_POST
def generate(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    require(may_archive_reports(user))
    kind = _kind(request.POST.get("kind", ""))
    try:
        period = _period(kind, request.POST.get("period"))
    except ValueError:
        messages.error(
            request, _("周期格式不对：月报如 2026-10，周报如 2026-W40，日报如 2026-10-05")
        )
        return redirect("reports:archive")
    try:
        outcome = report_generate_on_demand(kind=kind, period=period, actor=user)
    except ReportFontMissing as error:
        messages.error(request, _("无法生成 PDF：%(reason)s") % {"reason": error})
        return redirect("reports:archive")
    label = {"report": ReportKind(kind).label, "period": period.key}
    if isinstance(outcome, QueuedReport):
        messages.info(
            request,
            _(
                "统计数据正在计入新导入和评分的联络，%(report)s %(period)s 将在计入后于后台"
                "生成，完成后会通知你。"
            )
            % label,
        )
        return redirect(f"{reverse('reports:archive')}#queued-{outcome.pk}")
    messages.success(request, _("已生成 %(report)s %(period)s") % label)
    return redirect(f"{reverse('reports:archive')}#report-{outcome.report.pk}")


@require_GET
def archive_file(request: HttpRequest, report_id: int, fmt: str) -> HttpResponse:
    require(may_read_qa_reports(request_user(request)))
    stored = get_object_or_404(GeneratedReport, pk=report_id)
    name = f"{stored.kind}-{stored.period}.{fmt}"
    if fmt == "xlsx":
        return attachment(bytes(stored.xlsx), XLSX, name)
    if fmt == "pdf":
        return attachment(bytes(stored.pdf), "application/pdf", name)
    raise Http404("no such format")
