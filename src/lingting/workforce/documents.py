"""The occupancy page as a report document: its table and a chart of it, for the page's SVG
and its CSV/XLSX download (documents.exports.page)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from django.utils.translation import gettext as _

from lingting.documents.document import Chart, Column, Fmt, ReportDocument, Table
from lingting.documents.exports.page import page_document
from lingting.engine.charts import Series
from lingting.workforce.selectors import OccupancyRow

CHART_ROWS = 31
HOUR = 3600


def occupancy_document(
    *, rows: Sequence[OccupancyRow], by: str, date_from: date, date_to: date
) -> ReportDocument:
    """Each row's logged-in time and states (in hours), its occupancy and utilisation, as
    the page shows them; both rates charted per row."""
    table = Table(
        title=_("在线利用率"),
        columns=[
            Column(_("班组") if by == "team" else _("坐席")),
            Column(_("日期")),
            Column(_("登录时长（小时）"), Fmt.NUMBER),
            Column(_("就绪（小时）"), Fmt.NUMBER),
            Column(_("通话中（小时）"), Fmt.NUMBER),
            Column(_("话后处理（小时）"), Fmt.NUMBER),
            Column(_("未就绪（小时）"), Fmt.NUMBER),
            Column(_("在线利用率"), Fmt.PERCENT),
            Column(_("工时利用率"), Fmt.PERCENT),
            Column(_("缺少登出"), Fmt.INT),
        ],
        rows=[
            [
                row.name or _("未分班组"),
                row.period,
                row.totals.logged_in_s / HOUR,
                row.totals.ready_s / HOUR,
                row.totals.busy_s / HOUR,
                row.totals.acw_s / HOUR,
                row.totals.not_ready_s / HOUR,
                row.totals.occupancy,
                row.totals.utilisation,
                row.totals.missing_logouts,
            ]
            for row in rows
        ],
        empty=_("所选日期没有坐席状态记录。"),
    )
    charted = rows[:CHART_ROWS]
    chart = Chart(
        kind="bar",
        title=_("在线利用率与工时利用率"),
        labels=[f"{row.name or _('未分班组')} {row.period}" for row in charted],
        series=[
            Series(_("在线利用率"), [row.totals.occupancy for row in charted]),
            Series(_("工时利用率"), [row.totals.utilisation for row in charted]),
        ],
        percent=True,
    )
    return page_document(
        title=_("在线利用率"),
        scope_label="",
        period_label=f"{date_from:%Y-%m-%d} – {date_to:%Y-%m-%d}",
        tables=[table],
        charts=[chart] if charted else [],
        filename=f"occupancy-{date_from:%Y%m%d}-{date_to:%Y%m%d}",
    )
