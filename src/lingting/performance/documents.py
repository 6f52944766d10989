"""The KPI and assessment pages as report documents: the table each page shows, and a chart
of it, for the page's SVG and its CSV/XLSX download (documents.exports.page)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from lingting.documents.document import Cell, Chart, Column, Fmt, ReportDocument, Table
from lingting.documents.exports.page import page_document
from lingting.engine.charts import Series
from lingting.performance.selectors import AssessmentLine

TIME_GROUPS = frozenset({"day", "week", "month", "hour"})
CHART_ROWS = 31  # more bars than this read as a smear; the table has them all

# (key of the KPI row, column title, format), in the page's order.
KPI_FIGURES: Sequence[tuple[str, str, Fmt]] = (
    ("offered", gettext_noop("呼入量"), Fmt.INT),
    ("answered", gettext_noop("应答量"), Fmt.INT),
    ("abandoned", gettext_noop("放弃量"), Fmt.INT),
    ("short_abandoned", gettext_noop("短放弃"), Fmt.INT),
    ("answer_rate", gettext_noop("接通率"), Fmt.PERCENT),
    ("abandon_rate", gettext_noop("放弃率"), Fmt.PERCENT),
    ("service_level", gettext_noop("服务水平"), Fmt.PERCENT),
    ("asa_s", gettext_noop("平均应答速度（秒）"), Fmt.NUMBER),
    ("aht_s", gettext_noop("平均处理时长（秒）"), Fmt.NUMBER),
    ("fcr", gettext_noop("一次解决率"), Fmt.PERCENT),
    ("transfer_rate", gettext_noop("转接率"), Fmt.PERCENT),
    ("complaints", gettext_noop("投诉量"), Fmt.INT),
    ("qa_score", gettext_noop("质检均分"), Fmt.NUMBER),
    ("pass_rate", gettext_noop("质检合格率"), Fmt.PERCENT),
    # What the customers meant (quality.selectors.meaning_figures), each beside its count.
    ("with_customer", gettext_noop("客户发言的联络"), Fmt.INT),
    ("ended_angry_share", gettext_noop("生气占比"), Fmt.PERCENT),
    ("ended_upset_share", gettext_noop("生气或不满占比"), Fmt.PERCENT),
    ("resolution_verdicts", gettext_noop("有解决判断"), Fmt.INT),
    ("unresolved_rate", gettext_noop("未解决率"), Fmt.PERCENT),
    ("satisfaction_predicted_mean", gettext_noop("预测满意度（平均）"), Fmt.PERCENT),
)


def kpi_document(
    *,
    columns: Sequence[str],
    by: Sequence[str],
    rows: Sequence[tuple[dict[str, Any], Sequence[Any]]],
    period_label: str,
) -> ReportDocument:
    """The KPI table as the page shows it (`rows`: each row's figures and its group keys,
    queues by name), with the answer rate and service level charted per group."""
    table = Table(
        title=_("话务指标"),
        columns=[Column(name) for name in columns]
        + [Column(_(title), fmt) for _key, title, fmt in KPI_FIGURES],
        rows=[
            [_key_cell(key) for key in keys] + [values.get(key) for key, _t, _f in KPI_FIGURES]
            for values, keys in rows
        ],
        empty=_("没有符合条件的联络。"),
    )
    labels = [" · ".join(str(_key_cell(k) or "—") for k in keys) for _v, keys in rows]
    charted = rows[:CHART_ROWS]
    chart = Chart(
        kind="line" if set(by) <= TIME_GROUPS and len(charted) > 1 else "bar",
        title=_("接通率与服务水平"),
        labels=labels[:CHART_ROWS],
        series=[
            Series(_("接通率"), [values.get("answer_rate") for values, _k in charted]),
            Series(_("服务水平"), [values.get("service_level") for values, _k in charted]),
        ],
        percent=True,
    )
    return page_document(
        title=_("话务指标"),
        scope_label="",
        period_label=period_label,
        tables=[table],
        charts=[chart] if charted else [],
        filename="kpis",
    )


def _key_cell(key: Any) -> Cell:
    return key if key is None or isinstance(key, str | int | float) else str(key)


def assessment_document(
    *, lines: Sequence[AssessmentLine], components: Sequence[str], month_label: str
) -> ReportDocument:
    """The month's assessment as the page shows it, with each agent's final score charted."""
    table = Table(
        title=_("月度考核"),
        columns=[
            Column(_("排名"), Fmt.INT),
            Column(_("坐席")),
            Column(_("班组")),
            Column(_("主要ACD组")),
            *(Column(name, Fmt.NUMBER) for name in components),
            Column(_("加权得分"), Fmt.NUMBER),
            Column(_("绩效加减分"), Fmt.NUMBER),
            Column(_("考核得分"), Fmt.NUMBER),
        ],
        rows=[
            [
                line.assessment.rank,
                line.assessment.agent.name or line.assessment.agent.code,
                line.assessment.agent.team.name if line.assessment.agent.team else "",
                line.queue_name,
                *line.components,
                line.assessment.total,
                line.assessment.points,
                line.assessment.final,
            ]
            for line in lines
        ],
        empty=_("本月考核尚未计算。"),
    )
    ranked = [line for line in lines if line.assessment.final is not None][:CHART_ROWS]
    chart = Chart(
        kind="bar",
        title=_("考核得分"),
        labels=[line.assessment.agent.name or line.assessment.agent.code for line in ranked],
        series=[Series(_("考核得分"), [line.assessment.final for line in ranked])],
    )
    return page_document(
        title=_("月度考核"),
        scope_label="",
        period_label=month_label,
        tables=[table],
        charts=[chart] if ranked else [],
        filename=f"assessment-{month_label}",
    )
