"""The work-order report page and its XLSX, PDF and CSV downloads: one ReportDocument, laid out
here, rendered each way by the reports app."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from lingting.core.permissions import request_user, require
from lingting.documents.document import Cell, Chart, Column, Fmt, ReportDocument, Section, Table
from lingting.documents.exports.fonts import ReportFontMissing
from lingting.documents.exports.page import DOCUMENT_FORMATS, document_download
from lingting.documents.figures import Figure, figure_cells, figure_columns
from lingting.documents.periods import (
    Period,
    PeriodKind,
    last_full_period,
    parse_period,
    period_label,
)
from lingting.engine.charts import Series
from lingting.workorders.permissions import may_read_workorder_reports
from lingting.workorders.selectors.report import (
    DepartmentCounts,
    WorkOrderReport,
    complaint_repeat_days,
    workorder_report,
)

MAX_REPEAT_DAYS = 365


def _period(text: str) -> Period:
    """``2026-10`` (a month) or ``2026-W40`` (an ISO week); last month when empty."""
    text = text.strip()
    if not text:
        return last_full_period(PeriodKind.MONTH, timezone.localdate())
    kind = PeriodKind.WEEK if "W" in text.upper() else PeriodKind.MONTH
    return parse_period(kind, text)


def _repeat_days(text: str) -> int:
    if not text.strip():
        return complaint_repeat_days()
    days = int(text)
    if not 1 <= days <= MAX_REPEAT_DAYS:
        raise ValueError(days)
    return days


@require_GET
def report(request: HttpRequest) -> HttpResponse:
    require(may_read_workorder_reports(request_user(request)))
    period_text = request.GET.get("period", "")
    days_text = request.GET.get("days", "")
    try:
        period, days = _period(period_text), _repeat_days(days_text)
    except ValueError:
        context = {"period_text": period_text, "days_text": days_text, "error": True}
        return render(request, "tickets/report.html", context, status=400)
    document = report_document(workorder_report(period, repeat_days=days))
    return render(
        request,
        "tickets/report.html",
        {
            "document": document,
            "period": period,
            "period_text": period.key,
            "days_text": str(days),
            "query": f"period={period.key}&days={days}",
            "sections": [  # engine.charts escapes every label, so the SVG is safe inline
                (section, [mark_safe(chart.svg()) for chart in section.charts])
                for section in document.sections
            ],
        },
    )


@require_GET
def download(request: HttpRequest, fmt: str) -> HttpResponse:
    require(may_read_workorder_reports(request_user(request)))
    if fmt not in DOCUMENT_FORMATS:
        raise Http404("no such format")
    try:
        period = _period(request.GET.get("period", ""))
        days = _repeat_days(request.GET.get("days", ""))
    except ValueError:
        return redirect("tickets:report")
    document = report_document(workorder_report(period, repeat_days=days))
    try:
        return document_download(document, fmt)
    except ReportFontMissing as error:
        messages.error(request, _("无法生成 PDF：%(reason)s") % {"reason": error})
        return redirect(f"{reverse('tickets:report')}?period={period.key}&days={days}")


# --- the layout --------------------------------------------------------------------------


def report_document(report: WorkOrderReport) -> ReportDocument:
    """The report's sections: the main figures, volume by type, by department, and how each
    figure is counted."""
    title = _("工单月报") if report.period.kind == PeriodKind.MONTH else _("工单周报")
    rows: list[tuple[str, str, Fmt]] = [
        (_("受理量"), "received", Fmt.INT),
        (_("办结量"), "closed", Fmt.INT),
        (_("办结及时率"), "on_time_rate", Fmt.PERCENT),
        (_("回复退单率"), "return_rate", Fmt.PERCENT),
        (_("平均处理时长（自然小时）"), "natural_hours", Fmt.NUMBER),
        (_("平均处理时长（工作小时）"), "business_hours", Fmt.NUMBER),
        (_("单均催单次数"), "urges_per_order", Fmt.NUMBER),
        (_("重复投诉率"), "repeat_rate", Fmt.PERCENT),
    ]
    current, before = report.current, report.before
    overview = Table(
        _("主要指标（与上期对比）"),
        [Column(_("指标")), *figure_columns(Fmt.NUMBER, _("本期"))],
        [[name, *figure_cells(report.figure(key), fmt)] for name, key, fmt in rows],
    )
    counts = Table(
        _("计数"),
        [Column(_("项目")), Column(_("本期"), Fmt.INT), Column(_("上期"), Fmt.INT)],
        [
            [_("回单"), current.replies, before.replies],
            [_("退单"), current.returns, before.returns],
            [_("按时办结"), current.closed_on_time, before.closed_on_time],
            [_("催单"), current.urges, before.urges],
            [_("投诉（已知客户）"), current.complaints, before.complaints],
            [_("重复投诉"), current.repeat_complaints, before.repeat_complaints],
        ],
    )
    types = report.type_names()
    by_type = Table(
        _("各类型受理量"),
        [Column(_("类型")), *figure_columns(Fmt.INT, _("受理量"))],
        [
            [
                name,
                *figure_cells(
                    Figure(current.by_type.get(name, 0), before.by_type.get(name, 0)), Fmt.INT
                ),
            ]
            for name in types
        ],
        empty=_("本期和上期都没有工单。"),
    )
    type_chart = Chart(
        "bar",
        _("各类型受理量：本期与上期"),
        types,
        [
            Series(_("本期"), [current.by_type.get(n, 0) for n in types]),
            Series(_("上期"), [before.by_type.get(n, 0) for n in types]),
        ],
    )
    departments = report.department_names()
    department_rows: list[list[Cell]] = []
    for name in departments:
        now, then = current.by_department.get(name), before.by_department.get(name)
        received = Figure(now.received if now else 0, then.received if then else 0)
        returned = Figure(
            now.return_rate if now else None, then.return_rate if then else None, better=-1
        )
        department_rows.append(
            [
                name,
                *figure_cells(received, Fmt.INT),
                now.replies if now else 0,
                now.returns if now else 0,
                *figure_cells(returned, Fmt.PERCENT),
            ]
        )
    by_department = Table(
        _("各部门受理量与回复退单率"),
        [
            Column(_("部门")),
            *figure_columns(Fmt.INT, _("受理量")),
            Column(_("回单"), Fmt.INT),
            Column(_("退单"), Fmt.INT),
            *figure_columns(Fmt.PERCENT, _("回复退单率")),
        ],
        department_rows,
        empty=_("本期和上期都没有派给部门的工单。"),
    )
    department_chart = Chart(
        "bar",
        _("各部门回复退单率：本期与上期"),
        departments,
        [
            Series(
                _("本期"),
                [_rate(current.by_department.get(n)) for n in departments],
            ),
            Series(_("上期"), [_rate(before.by_department.get(n)) for n in departments]),
        ],
        percent=True,
    )
    sections = [
        Section(
            _("一、总体情况"),
            paragraphs=[
                _("本期 %(period)s，上期 %(previous)s。统计范围：全中心。")
                % {"period": period_label(report.period), "previous": period_label(report.previous)}
            ],
            tables=[overview, counts],
        ),
        Section(
            _("二、按类型"),
            tables=[by_type],
            charts=[type_chart] if types else [],
        ),
        Section(
            _("三、按部门"),
            tables=[by_department],
            charts=[department_chart] if departments else [],
        ),
        Section(_("四、口径"), paragraphs=_definitions(report.repeat_days)),
    ]
    return ReportDocument(
        title=title,
        period_label=period_label(report.period),
        scope_label=_("全中心"),
        generated_at=timezone.now(),
        sections=sections,
        filename=f"workorders-{report.period.kind}-{report.period.key}",
    )


def _rate(counts: DepartmentCounts | None) -> float | None:
    return counts.return_rate if counts else None


def _definitions(days: int) -> list[str]:
    return [
        _(
            "受理量：本期受理的工单（含已撤销）；按类型只计主工单，按部门计派给该部门的工单"
            "（拆分派单时计每张子工单）。"
        ),
        _(
            "办结及时率：本期办结的主工单中，办结时间不晚于工单记录的办理时限（due_at）的比例。"
            "办理时限在每一步按流转记录重新计算：挂起顺延，重新打开重新计时。"
        ),
        _("回复退单率：本期流转记录中的退单次数 ÷ 回单次数（含子工单）。"),
        _(
            "平均处理时长：本期办结的主工单从受理到办结的时长，按自然时间和工作时间"
            "（工作日历与处理部门的工作时间）分别计算。"
        ),
        _("单均催单次数：本期受理的主工单的催单次数之和 ÷ 这些工单数。"),
        _(
            "重复投诉率：本期受理、客户已知的投诉工单中，同一客户在此前 %(days)d 天内"
            "已有投诉工单的比例。"
        )
        % {"days": days},
    ]
