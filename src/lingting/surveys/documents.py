"""The satisfaction page as a report document: the figures per group, each with its 95%
margin, the unhappy customers' comments (masked for the reader by the selector) and a chart,
for the page's SVG and its CSV/XLSX/PDF download (documents.exports.page)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from lingting.documents.document import Cell, Chart, Column, Fmt, ReportDocument, Table
from lingting.documents.exports.page import page_document
from lingting.engine.charts import Series
from lingting.engine.survey_figures import Estimate
from lingting.surveys.selectors import Comment, CsatRow

CHART_ROWS = 31


def csat_document(
    *,
    columns: Sequence[str],
    rows: Sequence[tuple[Sequence[Any], CsatRow]],
    total: CsatRow,
    comments: Sequence[Comment],
    date_from: date,
    date_to: date,
) -> ReportDocument:
    margin = _("±（百分点）")
    figures = [
        Column(_("评价数"), Fmt.INT),
        Column(_("满意度"), Fmt.PERCENT),
        Column(f"{_('满意度')} {margin}", Fmt.NUMBER),
        Column(_("非常满意率"), Fmt.PERCENT),
        Column(f"{_('非常满意率')} {margin}", Fmt.NUMBER),
        Column("NPS", Fmt.NUMBER),
        Column(f"NPS {margin}", Fmt.NUMBER),
        Column(_("发出邀请"), Fmt.INT),
        Column(_("回复率"), Fmt.PERCENT),
        Column(f"{_('回复率')} {margin}", Fmt.NUMBER),
    ]
    table = Table(
        title=_("客户满意度"),
        columns=[Column(name) for name in columns] + figures,
        rows=[
            *(_row(keys, row) for keys, row in rows),
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
                f"{'NPS ' if comment.recommend else ''}{comment.score}/{comment.scale}",
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
            " · ".join("—" if key is None else str(key) for key in keys) for keys, _r in charted
        ],
        series=[
            Series(_("满意度"), [row.totals.csat for _k, row in charted]),
            Series(_("非常满意率"), [row.totals.very_satisfied_share for _k, row in charted]),
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


def _row(keys: Sequence[Any], row: CsatRow) -> list[Cell]:
    totals, invitations = row.totals, row.invitations
    return [
        *(_text(key) for key in keys),
        totals.answers,
        totals.csat,
        _points(totals.csat_estimate),
        totals.very_satisfied_share,
        _points(totals.very_satisfied_estimate),
        totals.nps,
        _points(totals.nps_estimate, per=1),  # NPS is in points already
        invitations.sent,
        invitations.response_rate,
        _points(invitations.response_rate_estimate),
    ]


def _points(estimate: Estimate, per: int = 100) -> float | None:
    """A figure's 95% margin in points to one decimal, as the page shows it: a share's
    times 100 (None where there is no figure)."""
    half = estimate.margin
    return None if half is None else round(half * per, 1)


def _text(key: Any) -> str | None:
    return None if key is None else str(key)
