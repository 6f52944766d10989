"""The planning page as a report document: the requirement per interval, the totals per day
and a chart of one day, for the page's SVG and its CSV/XLSX download (documents.exports.page).
"""

from __future__ import annotations

from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _

from lingting.documents.document import Chart, Column, Fmt, ReportDocument, Table
from lingting.documents.exports.page import page_document
from lingting.engine.charts import Series
from lingting.workforce.models import ForecastRun
from lingting.workforce.selectors.planning import Requirement


def planning_document(*, run: ForecastRun, requirement: Requirement, day: date) -> ReportDocument:
    """The forecast run's requirement: every interval, every day's totals, `day` charted."""
    intervals = Table(
        title=_("各时段需求"),
        columns=[
            Column(_("时段开始")),
            Column(_("预测呼入"), Fmt.NUMBER),
            Column(_("下限（80%）"), Fmt.NUMBER),
            Column(_("上限（80%）"), Fmt.NUMBER),
            Column(_("话务量（Erl）"), Fmt.NUMBER),
            Column(_("在线坐席（小数）"), Fmt.NUMBER),
            Column(_("在线坐席"), Fmt.INT),
            Column(_("排班人数"), Fmt.INT),
            Column(_("服务水平"), Fmt.PERCENT),
            Column(_("放弃率"), Fmt.PERCENT),
            Column(_("占用率"), Fmt.PERCENT),
            Column(_("预测方法")),
        ],
        rows=[
            [
                f"{timezone.localtime(row.starts_at):%Y-%m-%d %H:%M}",
                row.calls,
                row.lower,
                row.upper,
                row.traffic,
                row.fractional_agents,
                row.agents,
                row.scheduled,
                row.service_level,
                row.abandon,
                row.occupancy,
                row.method,
            ]
            for row in requirement.rows
        ],
        empty=_("没有可排班的时段。"),
    )
    days = Table(
        title=_("每日合计"),
        columns=[
            Column(_("日期")),
            Column(_("预测呼入"), Fmt.NUMBER),
            Column(_("在线人时"), Fmt.NUMBER),
            Column(_("排班人时"), Fmt.NUMBER),
            Column(_("在线峰值"), Fmt.INT),
            Column(_("排班峰值"), Fmt.INT),
        ],
        rows=[
            [
                f"{total.day:%Y-%m-%d}",
                total.calls,
                total.agent_hours,
                total.scheduled_hours,
                total.peak_agents,
                total.peak_scheduled,
            ]
            for total in requirement.days
        ],
        empty=_("没有可排班的时段。"),
    )
    charted = [row for row in requirement.rows if timezone.localtime(row.starts_at).date() == day]
    chart = Chart(
        kind="line",
        title=_("%(day)s 预测呼入与所需坐席") % {"day": f"{day:%Y-%m-%d}"},
        labels=[f"{timezone.localtime(row.starts_at):%H:%M}" for row in charted],
        series=[
            Series(_("预测呼入"), [row.calls for row in charted]),
            Series(_("在线坐席（小数）"), [row.fractional_agents for row in charted]),
            Series(_("排班人数"), [float(row.scheduled) for row in charted]),
        ],
    )
    return page_document(
        title=_("人力需求"),
        scope_label=str(run.queue),
        period_label=f"{run.first_day:%Y-%m-%d} – {run.last_day:%Y-%m-%d}",
        tables=[intervals, days],
        charts=[chart] if charted else [],
        filename=f"requirement-{run.queue.code}-{run.first_day:%Y%m%d}-{run.last_day:%Y%m%d}",
    )
