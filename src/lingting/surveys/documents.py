"""The satisfaction page as a report document: the figures per group, the unsatisfied
customers' comments (masked for the reader by the selector) and a chart, for the page's SVG
and its CSV/XLSX download (documents.exports.page)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from lingting.documents.document import Cell, Chart, Column, Fmt, ReportDocument, Table
from lingting.documents.exports.page import page_document
from lingting.engine.charts import Series
from lingting.engine.csat import CsatTotals
from lingting.surveys.selectors import Comment

CHART_ROWS = 31


def csat_document(
    *,
    columns: Sequence[str],
    rows: Sequence[tuple[Sequence[Any], CsatTotals]],
    total: CsatTotals,
    comments: Sequence[Comment],
    date_from: date,
    date_to: date,
) -> ReportDocument:
    figures = [
        Column(_("评价数"), Fmt.INT),
        Column(_("满意度"), Fmt.PERCENT),
        Column(_("非常满意率"), Fmt.PERCENT),
    ]
    table = Table(
        title=_("客户满意度"),
        columns=[Column(name) for name in columns] + figures,
        rows=[
            *(_row(keys, totals) for keys, totals in rows),
            _row([_("合计"), *[""] * (len(columns) - 1)], total),
        ],
    )
    said = Table(
        title=_("不满意客户的留言"),
        columns=[
            Column(_("联络")),
            Column(_("评价时间")),
            Column(_("渠道")),
            Column(_("评分")),
            Column(_("留言"), wide=True),
        ],
        rows=[
            [
                comment.contact,
                f"{timezone.localtime(comment.answered_at):%Y-%m-%d %H:%M}",
                comment.channel,
                f"{comment.score}/{comment.scale}",
                comment.text,
            ]
            for comment in comments
        ],
        empty=_("没有不满意客户的留言。"),
    )
    charted = rows[:CHART_ROWS]
    chart = Chart(
        kind="bar",
        title=_("满意度与非常满意率"),
        labels=[
            " · ".join("—" if key is None else str(key) for key in keys) for keys, _t in charted
        ],
        series=[
            Series(_("满意度"), [totals.csat for _k, totals in charted]),
            Series(_("非常满意率"), [totals.very_satisfied_share for _k, totals in charted]),
        ],
        percent=True,
    )
    return page_document(
        title=_("客户满意度"),
        scope_label="",
        period_label=f"{date_from:%Y-%m-%d} – {date_to:%Y-%m-%d}",
        tables=[table, said],
        charts=[chart] if charted else [],
        filename=f"csat-{date_from:%Y%m%d}-{date_to:%Y%m%d}",
    )


def _row(keys: Sequence[Any], totals: CsatTotals) -> list[Cell]:
    return [
        *(_text(key) for key in keys),
        totals.responses,
        totals.csat,
        totals.very_satisfied_share,
    ]


def _text(key: Any) -> str | None:
    return None if key is None else str(key)
