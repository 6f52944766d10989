"""The trust page (自动质检可信度) as a report document: the items' table, the monthly
trend, and each item's precision and overturn rate charted, for the page's SVG and its
CSV/XLSX download (documents.exports.page)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from django.utils.translation import gettext as _

from lingting.documents.document import Chart, Column, Fmt, ReportDocument, Table
from lingting.documents.exports.page import page_document
from lingting.engine.charts import Series
from lingting.quality.selectors.judge import JudgeItemTrust
from lingting.quality.selectors.trust import TrustReport

CHART_ITEMS = 24


def trust_document(
    report: TrustReport,
    *,
    date_from: date | None,
    date_to: date | None,
    judge_items: Sequence[JudgeItemTrust] = (),
) -> ReportDocument:
    items = Table(
        title=_("自动质检可信度"),
        columns=[
            Column(_("自动质检项")),
            Column(_("编号")),
            Column(_("复核次数"), Fmt.INT),
            Column(_("自动扣分"), Fmt.INT),
            Column(_("人工确认"), Fmt.INT),
            Column(_("误判"), Fmt.INT),
            Column(_("漏判"), Fmt.INT),
            Column(_("扣分准确率"), Fmt.PERCENT),
            Column(_("推翻率"), Fmt.PERCENT),
            Column(_("漏判率"), Fmt.PERCENT),
            Column(_("需检查规则")),
        ],
        rows=[
            [
                item.title,
                item.item,
                item.reviewed,
                item.hits,
                item.confirmed,
                item.false_hits,
                item.misses,
                item.precision,
                item.overturn_rate,
                item.miss_rate,
                _("是") if item.flagged else "",
            ]
            for item in report.items
        ],
        empty=_("还没有人工复核过自动质检项。"),
    )
    months = Table(
        title=_("按月趋势"),
        columns=[
            Column(_("自动质检项")),
            Column(_("月份")),
            Column(_("复核次数"), Fmt.INT),
            Column(_("自动扣分"), Fmt.INT),
            Column(_("误判"), Fmt.INT),
            Column(_("漏判"), Fmt.INT),
            Column(_("推翻率"), Fmt.PERCENT),
        ],
        rows=[
            [
                row.title,
                f"{row.month:%Y-%m}" if row.month else "",
                row.reviewed,
                row.hits,
                row.false_hits,
                row.misses,
                row.overturn_rate,
            ]
            for row in report.months
        ],
    )
    charted = report.items[:CHART_ITEMS]
    chart = Chart(
        kind="bar",
        title=_("扣分准确率与推翻率"),
        labels=[item.title for item in charted],
        series=[
            Series(_("扣分准确率"), [item.precision for item in charted]),
            Series(_("推翻率"), [item.overturn_rate for item in charted]),
        ],
        percent=True,
    )
    period = f"{date_from or '…'} – {date_to or '…'}" if date_from or date_to else _("全部日期")
    return page_document(
        title=_("自动质检可信度"),
        scope_label="",
        period_label=period,
        tables=[items, months, *([_judge_table(judge_items)] if judge_items else [])],
        charts=[chart] if charted else [],
        filename="trust",
    )


def _judge_table(judge_items: Sequence[JudgeItemTrust]) -> Table:
    """The model judge's manual items against reviewers' final answers."""
    return Table(
        title=_("模型预评的人工项"),
        columns=[
            Column(_("人工项")),
            Column(_("编号")),
            Column(_("复核次数"), Fmt.INT),
            Column(_("一致"), Fmt.INT),
            Column(_("模型扣分"), Fmt.INT),
            Column(_("人工确认"), Fmt.INT),
            Column(_("误判"), Fmt.INT),
            Column(_("漏判"), Fmt.INT),
            Column(_("一致率"), Fmt.PERCENT),
            Column(_("扣分准确率"), Fmt.PERCENT),
        ],
        rows=[
            [
                item.title,
                item.item,
                item.reviewed,
                item.agreed,
                item.model_fails,
                item.confirmed,
                item.false_hits,
                item.misses,
                item.agreement,
                item.precision,
            ]
            for item in judge_items
        ],
    )
