"""The quality report's section on what customers meant: ending angry or upset, unresolved,
predicted satisfaction — overall, per ACD group and per agent, each rate beside the count
it is taken over (a rate over nothing is —, never 0)."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.translation import gettext as _

from lingting.documents.document import Cell, Column, Fmt, Section, Table
from lingting.quality.selectors.meaning_figures import MeaningTotals
from lingting.reports.selectors.meaning import TOP_AGENTS, MeaningGroup, MeaningReport


def _figure_columns() -> list[Column]:
    return [
        Column(_("客户发言的联络"), Fmt.INT),
        Column(_("结束时生气"), Fmt.INT),
        Column(_("生气占比"), Fmt.PERCENT),
        Column(_("结束时生气或不满"), Fmt.INT),
        Column(_("生气或不满占比"), Fmt.PERCENT),
        Column(_("有解决判断"), Fmt.INT),
        Column(_("未解决"), Fmt.INT),
        Column(_("未解决率"), Fmt.PERCENT),
        Column(_("预测满意度（平均）"), Fmt.PERCENT),
    ]


def _figure_cells(t: MeaningTotals) -> list[Cell]:
    return [
        t.with_customer,
        t.ended_angry,
        t.ended_angry_share,
        t.ended_upset,
        t.ended_upset_share,
        t.verdicts,
        t.unresolved,
        t.unresolved_rate,
        t.mean_satisfaction,
    ]


def _group_table(title: str, first: Sequence[Column], rows: list[list[Cell]]) -> Table:
    return Table(title, [*first, *_figure_columns()], rows, empty=_("本期没有客户发言的联络。"))


def meaning_section(report: MeaningReport, number: str) -> Section:
    overall = _group_table(
        _("全部"), [Column(_("范围"))], [[_("全部"), *_figure_cells(report.overall)]]
    )
    queues = _group_table(
        _("各ACD组"),
        [Column(_("ACD组"))],
        [[_named(g, _("（无ACD组）")), *_figure_cells(g.totals)] for g in report.queues],
    )
    agents = _group_table(
        _("各坐席（结束时生气或不满最多的 %(n)s 名）") % {"n": TOP_AGENTS},
        [Column(_("坐席")), Column(_("班组"))],
        [[_named(g, _("（无坐席）")), g.team, *_figure_cells(g.totals)] for g in report.agents],
    )
    return Section(
        _("%(number)s、客户情绪与问题解决（自动判断）") % {"number": number},
        paragraphs=[
            _(
                "每条有客户发言的联络都自动判断客户情绪、问题是否解决和预测满意度。"
                "占比以客户发言的联络为分母；未解决率以有解决判断（已解决或未解决）的联络为分母，"
                "判断不明的不计入；分母为 0 时显示 —。"
            )
        ],
        tables=[overall, queues, agents],
    )


def _named(group: MeaningGroup, nobody: str) -> str:
    if not group.code and not group.name:
        return nobody
    return group.name or group.code
