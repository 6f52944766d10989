"""The occupancy and attrition pages as report documents: their tables and charts, for the
page's SVG and its CSV/XLSX download (documents.exports.page)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lingting.core.models import LeavingReason
from lingting.documents.document import Cell, Chart, Column, Fmt, ReportDocument, Table
from lingting.documents.exports.page import page_document
from lingting.engine.attrition import (
    TENURE_BANDS,
    AttritionReport,
    Comparison,
    HeadcountRow,
    Leaver,
    LeaverPerformance,
    Performance,
)
from lingting.engine.charts import Series
from lingting.workforce.selectors import AttritionFigures, OccupancyRow

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


TENURE_LABELS = {
    "lt_3m": gettext_lazy("3个月以内"),
    "3_6m": gettext_lazy("3–6个月"),
    "6_12m": gettext_lazy("6–12个月"),
    "1_2y": gettext_lazy("1–2年"),
    "gt_2y": gettext_lazy("2年以上"),
}


def attrition_document(*, figures: AttritionFigures, scope_label: str) -> ReportDocument:
    """The attrition page's tables, as it shows them: the months together and one by one,
    tenure, the leavers against the stayers, and the records that could not be counted."""
    report = figures.report
    period = f"{report.first_month:%Y-%m} – {report.last_month:%Y-%m}"
    tables = [
        _headcount_table(_("期间合计"), _shown(report.totals)),
        _headcount_table(_("逐月人员变动"), _shown(report.months)),
        _tenure_table(report),
        _comparison_table(figures.comparison),
        _leavers_table(report, figures.comparison),
        _unplaced_table(report),
    ]
    return page_document(
        title=_("人员流失"),
        scope_label=scope_label,
        period_label=period,
        tables=tables,
        charts=_attrition_charts(report),
        filename=f"attrition-{report.first_month:%Y%m}-{report.last_month:%Y%m}",
    )


def _shown(rows: Sequence[HeadcountRow]) -> list[HeadcountRow]:
    """Every team's rows, and the rows of every team together unless there is one team."""
    teams = {row.team for row in rows if row.team is not None}
    return [row for row in rows if row.team is not None or len(teams) != 1]


def _team_label(team: str | None) -> str:
    if team is None:
        return _("全部班组")
    return team or _("未分班组")


def _headcount_table(title: str, rows: Sequence[HeadcountRow]) -> Table:
    return Table(
        title=title,
        columns=[
            Column(_("月份")),
            Column(_("班组")),
            Column(_("期初人数"), Fmt.INT),
            Column(_("期末人数"), Fmt.INT),
            Column(_("平均人数"), Fmt.NUMBER),
            Column(_("入职"), Fmt.INT),
            Column(_("离职"), Fmt.INT),
            Column(_("流失率"), Fmt.PERCENT),
            Column(_("年化流失率"), Fmt.PERCENT),
            Column(_("90天内离职"), Fmt.INT),
            Column(_("90天内离职占比"), Fmt.PERCENT),
        ],
        rows=[
            [
                row.month or _("合计"),
                _team_label(row.team),
                row.figures.start,
                row.figures.end,
                row.figures.average,
                row.figures.hires,
                row.figures.leavers,
                row.figures.rate,
                row.figures.annualised,
                row.figures.early_leavers,
                row.figures.early_share,
            ]
            for row in rows
        ],
        empty=_("所选月份没有坐席在岗。"),
    )


def _tenure_table(report: AttritionReport) -> Table:
    rows: list[list[Cell]] = []
    one_team = len(report.tenure) == 2  # the team and every team: the same counts twice
    for row in report.tenure:
        if row.team is None and one_team:
            continue
        rows.append(
            [_team_label(row.team), _("在职（%(day)s）") % {"day": report.as_of}, *row.staff]
        )
        rows.append([_team_label(row.team), _("期间离职"), *row.leavers])
    return Table(
        title=_("司龄分布"),
        columns=[
            Column(_("班组")),
            Column(_("人员")),
            *(Column(str(TENURE_LABELS[code]), Fmt.INT) for code, _low, _high in TENURE_BANDS),
        ],
        rows=rows,
    )


def _figures(performance: Performance | None) -> list[Cell]:
    if performance is None:
        return [None, None, None]
    return [performance.answered_per_month, performance.handle_time_s, performance.qa_score]


def _group_row(label: str, performance: Performance) -> list[Cell]:
    return [label, performance.agents, performance.agent_months, *_figures(performance)]


def _comparison_table(comparison: Comparison | None) -> Table:
    rows: list[list[Cell]] = []
    if comparison is not None:
        rows = [
            _group_row(_("离职人员（离职前）"), comparison.leavers),
            _group_row(_("在职人员（同期）"), comparison.stayers),
        ]
    return Table(
        title=_("离职前三个完整月：离职人员与在职人员"),
        columns=[
            Column(_("人员")),
            Column(_("人数"), Fmt.INT),
            Column(_("人月"), Fmt.INT),
            Column(_("月均接通"), Fmt.NUMBER),
            Column(_("通话均长（秒）"), Fmt.NUMBER),
            Column(_("质检得分"), Fmt.NUMBER),
        ],
        rows=rows,
        empty=_("日汇总尚未建立，稍后再看。")
        if comparison is None
        else _("所选月份没有离职人员。"),
    )


def _leavers_table(report: AttritionReport, comparison: Comparison | None) -> Table:
    compared = {p.leaver.employment.agent: p for p in comparison.per_leaver} if comparison else {}
    return Table(
        title=_("离职人员"),
        columns=[
            Column(_("坐席")),
            Column(_("班组")),
            Column(_("入职日期")),
            Column(_("离职日期")),
            Column(_("司龄（天）"), Fmt.INT),
            Column(_("司龄段")),
            Column(_("90天内离职")),
            Column(_("离职原因")),
            Column(_("对比月份")),
            Column(_("月均接通"), Fmt.NUMBER),
            Column(_("通话均长（秒）"), Fmt.NUMBER),
            Column(_("质检得分"), Fmt.NUMBER),
            Column(_("同期在职：月均接通"), Fmt.NUMBER),
            Column(_("同期在职：通话均长（秒）"), Fmt.NUMBER),
            Column(_("同期在职：质检得分"), Fmt.NUMBER),
        ],
        rows=[
            _leaver_row(leaver, compared.get(leaver.employment.agent)) for leaver in report.leavers
        ],
        empty=_("所选月份没有离职人员。"),
    )


def _leaver_row(leaver: Leaver, performance: LeaverPerformance | None) -> list[Cell]:
    employment = leaver.employment
    reason = employment.reason
    return [
        f"{employment.agent} {employment.name}".strip(),
        _team_label(employment.team),
        leaver.hired_on.isoformat(),
        leaver.left_on.isoformat(),
        leaver.tenure_days,
        str(TENURE_LABELS[leaver.band]),
        _("是") if leaver.early else _("否"),
        str(LeavingReason(reason).label) if reason in LeavingReason.values else _("未说明"),
        "、".join(leaver.window) or "—",
        *_figures(performance.own if performance else None),
        *_figures(performance.stayers if performance else None),
    ]


def _unplaced_table(report: AttritionReport) -> Table:
    """The agents no figure counts, and why: fill in their dates and they count."""
    rows: list[list[Cell]] = [
        [f"{e.agent} {e.name}".strip(), _team_label(e.team), _("缺少入职日期")]
        for e in report.undated
    ]
    rows += [
        [
            f"{p.employment.agent} {p.employment.name}".strip(),
            _team_label(p.employment.team),
            _("离职日期 %(left)s 早于入职日期 %(hired)s")
            % {"left": p.employment.left_on, "hired": p.employment.hired_on},
        ]
        for p in report.problems
    ]
    return Table(
        title=_("未计入的坐席"),
        columns=[Column(_("坐席")), Column(_("班组")), Column(_("原因"))],
        rows=rows,
        empty=_("所有坐席都已计入。"),
    )


def _attrition_charts(report: AttritionReport) -> list[Chart]:
    months = sorted({row.month for row in report.months if row.month})
    every = [row for row in report.months if row.team is None]
    by_team: dict[str | None, list[float | None]] = {}
    for row in _shown(report.months):
        by_team.setdefault(row.team, []).append(row.figures.rate)
    return [
        Chart(
            kind="line",
            title=_("月流失率"),
            labels=months,
            series=[Series(_team_label(team), rates) for team, rates in by_team.items()],
            percent=True,
        ),
        Chart(
            kind="bar",
            title=_("入职与离职人数"),
            labels=months,
            series=[
                Series(_("入职"), [float(row.figures.hires) for row in every]),
                Series(_("离职"), [float(row.figures.leavers) for row in every]),
                Series(_("90天内离职"), [float(row.figures.early_leavers) for row in every]),
            ],
        ),
    ]
