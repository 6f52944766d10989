"""The case analysis: the period's excellent and poor cases (also a table of the quality
report)."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils import timezone
from django.utils.translation import gettext as _

from lingting.documents.document import Chart, Column, Fmt, ReportDocument, Section, Table
from lingting.documents.periods import Period, period_label
from lingting.engine.charts import Series
from lingting.quality.models import CaseKind
from lingting.reports.layouts.scope import scope_heading
from lingting.reports.selectors import CaseRow


def cases_table(cases: Sequence[CaseRow]) -> Table:
    kinds = dict(CaseKind.choices)
    return Table(
        _("案例（个人号码已遮盖）"),
        [
            Column(_("类型")),
            Column(_("标题")),
            Column(_("坐席")),
            Column(_("ACD组")),
            Column(_("监听得分"), Fmt.NUMBER),
            Column(_("点评"), wide=True),
            Column(_("问题与原话"), wide=True),
            Column(_("分享给坐席")),
        ],
        [
            [
                str(kinds.get(c.kind, c.kind)),
                c.title,
                c.agent,
                c.queue,
                c.score,
                "\n".join(p for p in (c.note, c.summary) if p),
                "\n".join(f"{f.note}" + (f"：“{f.quote}”" if f.quote else "") for f in c.findings),
                _("是") if c.shared else _("否"),
            ]
            for c in cases
        ],
        empty=_("本期没有新案例。"),
    )


def cases_document(cases: Sequence[CaseRow], period: Period, scope_label: str) -> ReportDocument:
    excellent = sum(1 for c in cases if c.kind == CaseKind.EXCELLENT)
    return ReportDocument(
        title=_("案例分析报告"),
        period_label=period_label(period),
        scope_label=scope_heading(scope_label),
        generated_at=timezone.now(),
        sections=[
            Section(
                _("案例分析"),
                paragraphs=[
                    _("本期新增案例 %(n)s 个：优秀案例 %(e)s 个，问题案例 %(p)s 个。")
                    % {"n": len(cases), "e": excellent, "p": len(cases) - excellent}
                ],
                tables=[cases_table(cases)],
                charts=[_cases_chart(cases)] if cases else [],
            )
        ],
        filename=f"cases-{period.kind}-{period.key}",
    )


def _cases_chart(cases: Sequence[CaseRow]) -> Chart:
    """Where the cases come from: excellent and poor cases per ACD group."""
    queues = sorted({c.queue for c in cases})
    return Chart(
        "bar",
        _("各ACD组案例：优秀与问题"),
        [q or "—" for q in queues],
        [
            Series(
                label,
                [
                    sum(1 for c in cases if c.queue == q and (c.kind == CaseKind.EXCELLENT) == good)
                    for q in queues
                ],
            )
            for label, good in ((_("优秀案例"), True), (_("问题案例"), False))
        ],
    )
