"""The daily monitoring detail: every review of one day, with its problems and advice."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils import timezone
from django.utils.translation import gettext as _

from lingting.documents.document import Chart, Column, Fmt, ReportDocument, Section, Table
from lingting.documents.periods import Period
from lingting.engine.charts import Series
from lingting.quality.models import FindingScope
from lingting.reports.layouts.scope import scope_heading
from lingting.reports.selectors import DetailRow


def daily_document(
    rows: Sequence[DetailRow], day: Period, scope_label: str, filters_label: str = ""
) -> ReportDocument:
    scopes = dict(FindingScope.choices)
    table = Table(
        _("监听明细（个人号码已遮盖）"),
        [
            Column(_("联络编号")),
            Column(_("开始时间")),
            Column(_("质检员")),
            Column(_("坐席")),
            Column(_("班组")),
            Column(_("ACD组")),
            Column(_("得分"), Fmt.NUMBER),
            Column(_("合格")),
            Column(_("A 类"), Fmt.INT),
            Column(_("B 类"), Fmt.INT),
            Column(_("C 类"), Fmt.INT),
            Column(_("不合格项"), wide=True),
            Column(_("问题（原话）"), wide=True),
            Column(_("总体评价"), wide=True),
            Column(_("辅导/培训建议"), wide=True),
        ],
        [
            [
                r.external_id,
                timezone.localtime(r.started_at).strftime("%H:%M") if r.started_at else "",
                r.reviewer,
                r.agent,
                r.team,
                r.queue,
                r.score,
                (_("致命") if r.fatal else _("合格") if r.passed else _("不合格")),
                r.severity_a,
                r.severity_b,
                r.severity_c,
                "、".join(r.failed_items),
                "\n".join(
                    f"[{scopes.get(f.scope, f.scope)}] {f.item + '：' if f.item else ''}{f.note}"
                    + (f"（“{f.quote}”）" if f.quote else "")
                    for f in r.findings
                ),
                r.summary,
                "\n".join(p for p in (r.coaching_note, r.training_need) if p),
            ]
            for r in rows
        ],
        empty=_("这一天没有监听记录。"),
    )
    passed = sum(1 for r in rows if r.passed)
    summary = _("监听 %(n)s 条，合格 %(p)s 条，A/B/C 类问题 %(a)s/%(b)s/%(c)s。") % {
        "n": len(rows),
        "p": passed,
        "a": sum(r.severity_a for r in rows),
        "b": sum(r.severity_b for r in rows),
        "c": sum(r.severity_c for r in rows),
    }
    return ReportDocument(
        title=_("每日监控明细"),
        period_label=day.key,
        scope_label=" · ".join(p for p in (scope_heading(scope_label), filters_label) if p),
        generated_at=timezone.now(),
        sections=[
            Section(
                _("监听明细"),
                paragraphs=[summary],
                tables=[table],
                charts=[_daily_chart(rows)] if rows else [],
            )
        ],
        filename=f"daily-{day.key}",
    )


def _daily_chart(rows: Sequence[DetailRow]) -> Chart:
    """The day at a glance: records and failed records per ACD group."""
    queues = sorted({r.queue for r in rows})
    return Chart(
        "bar",
        _("各ACD组监听量与不合格量"),
        [q or "—" for q in queues],
        [
            Series(_("监听"), [sum(1 for r in rows if r.queue == q) for q in queues]),
            Series(
                _("不合格"), [sum(1 for r in rows if r.queue == q and not r.passed) for q in queues]
            ),
        ],
    )
