"""The training plan: the period's problems ranked as training topics."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from lingting.documents.document import Chart, Column, Fmt, ReportDocument, Section, Table
from lingting.documents.figures import figure_cells, figure_columns
from lingting.documents.periods import period_label
from lingting.engine.charts import Series
from lingting.reports.layouts.scope import scope_heading
from lingting.reports.selectors import TrainingPlan


def training_document(plan: TrainingPlan) -> ReportDocument:
    table = Table(
        _("培训主题（按问题出现次数排序）"),
        [
            Column(_("排名"), Fmt.INT),
            Column(_("建议培训主题")),
            Column(_("类别")),
            *figure_columns(Fmt.INT, _("监听不合格")),
            Column(_("共性问题"), Fmt.INT),
            Column(_("个性问题"), Fmt.INT),
            Column(_("涉及坐席"), wide=True),
            Column(_("培训需求与问题描述"), wide=True),
            *figure_columns(Fmt.PERCENT, _("自动质检不合格率")),
        ],
        [
            [
                r.rank,
                r.title,
                r.severity or "—",
                *figure_cells(r.failed, Fmt.INT),
                r.common,
                r.individual,
                "、".join(r.agents),
                "；".join([*(f"{t}（{n}）" for t, n in r.needs), *r.notes]),
                *figure_cells(r.auto_rate, Fmt.PERCENT),
            ]
            for r in plan.rows
        ],
        empty=_("本期监听没有发现需要培训的问题。"),
    )
    top = plan.rows[:8]
    chart = Chart(
        "bar",
        _("主要问题：监听不合格次数与共性问题"),
        [r.title for r in top],
        [
            Series(_("监听不合格"), [float(r.failed.value or 0) for r in top]),
            Series(_("共性问题"), [float(r.common) for r in top]),
        ],
    )
    return ReportDocument(
        title=_("阶段培训计划"),
        period_label=period_label(plan.period),
        scope_label=scope_heading(plan.scope_label),
        generated_at=timezone.now(),
        sections=[
            Section(
                _("培训计划"),
                paragraphs=[
                    _(
                        "依据本期 %(n)s 条监听记录中的不合格项、共性问题和培训需求排序；"
                        "“自动质检不合格率”是全部联络中该项不合格的比例，与上期对比可跟踪"
                        "前一阶段培训的效果。"
                    )
                    % {"n": plan.reviewed}
                ],
                tables=[table],
                charts=[chart] if top else [],
            )
        ],
        filename=f"training-{plan.period.kind}-{plan.period.key}",
    )
