"""The competitiveness page as a report document: the waves with the index, its two parts
and their changes, each operator's counts, and the trend chart, for the page's SVG and its
CSV/XLSX download (documents.exports.page)."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.translation import gettext as _

from lingting.documents.document import Cell, Chart, Column, Fmt, Num, ReportDocument, Table
from lingting.documents.exports.page import page_document
from lingting.engine.charts import Series
from lingting.surveys.competitiveness_selectors import WaveFigures


def competitiveness_document(waves: Sequence[WaveFigures]) -> ReportDocument:
    figures = Table(
        title=_("服务竞争力指数"),
        columns=[
            Column(_("测评")),
            Column(_("测评日期")),
            Column(_("服务竞争力指数"), Fmt.NUMBER),
            Column(_("较上期"), Fmt.CHANGE_NUMBER),
            Column(_("维系竞争力"), Fmt.NUMBER),
            Column(_("较上期"), Fmt.CHANGE_NUMBER),
            Column(_("市场竞争力"), Fmt.NUMBER),
            Column(_("较上期"), Fmt.CHANGE_NUMBER),
        ],
        rows=[_figures_row(wave) for wave in waves],
        empty=_("还没有测评。"),
    )
    operators = Table(
        title=_("各运营商用户数与选择意向"),
        columns=[
            Column(_("测评")),
            Column(_("运营商")),
            Column(_("本网")),
            Column(_("用户数"), Fmt.INT),
            Column(_("受访用户数"), Fmt.INT),
            Column(_("选择我方人数"), Fmt.INT),
            Column(_("选择我方占比"), Fmt.PERCENT),
        ],
        rows=[
            [
                wave.wave.name,
                line.row.operator,
                _("是") if line.row.ours else "",
                line.row.subscribers,
                line.row.asked,
                line.row.choosing_us,
                line.share,
            ]
            for wave in waves
            for line in wave.lines
        ],
    )
    chart = Chart(
        kind="line",
        title=_("服务竞争力指数走势"),
        labels=[wave.wave.name for wave in waves],
        series=[
            Series(_("服务竞争力指数"), [wave.figures.index for wave in waves]),
            Series(_("维系竞争力"), [wave.figures.retention for wave in waves]),
            Series(_("市场竞争力"), [wave.figures.market for wave in waves]),
        ],
    )
    return page_document(
        title=_("服务竞争力指数"),
        scope_label="",
        period_label=_period(waves),
        tables=[figures, operators],
        charts=[chart] if len(waves) > 1 else [],
        filename="competitiveness",
    )


def _figures_row(wave: WaveFigures) -> list[Cell]:
    change = wave.change
    return [
        wave.wave.name,
        f"{wave.wave.surveyed_on:%Y-%m-%d}",
        _hundredths(wave.figures.index),
        _change(change.index if change else None),
        _hundredths(wave.figures.retention),
        _change(change.retention if change else None),
        _hundredths(wave.figures.market),
        _change(change.market if change else None),
    ]


def _change(points: float | None) -> Num:
    return Num(_hundredths(points), Fmt.CHANGE_NUMBER, better=+1)


def _hundredths(points: float | None) -> float | None:
    """Points to two decimals: the files carry numbers, and 84.39999999999999 is 84.4."""
    return None if points is None else round(points, 2)


def _period(waves: Sequence[WaveFigures]) -> str:
    if not waves:
        return ""
    return f"{waves[0].wave.surveyed_on:%Y-%m-%d} – {waves[-1].wave.surveyed_on:%Y-%m-%d}"
