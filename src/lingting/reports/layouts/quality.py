"""The weekly and monthly quality report: overview, ACD groups, common and individual
problems, training advice, agents to improve, cases and the forecast."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils import timezone
from django.utils.translation import gettext as _

from lingting.documents.document import Chart, Column, Fmt, ReportDocument, Section, Table
from lingting.documents.figures import Figure, figure_cells, figure_columns
from lingting.documents.periods import PeriodKind, period_label
from lingting.engine.charts import Series
from lingting.quality.models import FindingScope
from lingting.reports.layouts.cases import cases_table
from lingting.reports.layouts.forecast import forecast_section
from lingting.reports.layouts.meaning import meaning_section
from lingting.reports.layouts.scope import scope_heading
from lingting.reports.selectors import QualityReport


def quality_document(report: QualityReport) -> ReportDocument:
    period, totals = report.period, report.totals
    title = _("质检月报") if period.kind == PeriodKind.MONTH else _("质检周报")
    rows: list[tuple[str, Figure, Fmt]] = [
        (_("联络量（全部自动质检）"), totals.figure("volume"), Fmt.INT),
        (_("质检平均分（复核过的以人工为准）"), totals.figure("record_average"), Fmt.NUMBER),
        (_("自动质检合格率"), totals.figure("auto_pass_rate"), Fmt.PERCENT),
        (_("自动质检平均分"), totals.figure("auto_average"), Fmt.NUMBER),
        (_("自动质检致命项"), totals.figure("auto_fatal"), Fmt.INT),
        (_("自动质检 A 类问题"), totals.figure("auto_a"), Fmt.INT),
        (_("自动质检 B 类问题"), totals.figure("auto_b"), Fmt.INT),
        (_("自动质检 C 类问题"), totals.figure("auto_c"), Fmt.INT),
        (_("监听量（人工抽检）"), totals.figure("reviewed"), Fmt.INT),
        (_("监听比例"), totals.figure("monitored_share"), Fmt.PERCENT),
        (_("总体合格率（人工抽检）"), totals.figure("reviewed_pass_rate"), Fmt.PERCENT),
        (_("抽检平均分"), totals.figure("reviewed_average"), Fmt.NUMBER),
        (_("抽检致命项"), totals.figure("reviewed_fatal"), Fmt.INT),
        (_("监听 A 类问题"), totals.figure("reviewed_a"), Fmt.INT),
        (_("监听 B 类问题"), totals.figure("reviewed_b"), Fmt.INT),
        (_("监听 C 类问题"), totals.figure("reviewed_c"), Fmt.INT),
        (_("共性问题"), report.issue_figure(FindingScope.COMMON), Fmt.INT),
        (_("个性问题"), report.issue_figure(FindingScope.INDIVIDUAL), Fmt.INT),
        (_("案例"), Figure(len(report.cases), report.cases_previous), Fmt.INT),
    ]
    overview = Table(
        _("主要指标（与上期对比）"),
        [
            Column(_("指标")),
            Column(_("本期"), Fmt.NUMBER),
            Column(_("上期"), Fmt.NUMBER),
            Column(_("变化"), Fmt.NUMBER),
        ],
        [[name, *figure_cells(f, fmt)] for name, f, fmt in rows],
    )
    sections = [
        Section(
            _("一、总体情况"),
            paragraphs=[
                _(
                    "统计范围：%(scope)s。本期 %(period)s，上期 %(previous)s。"
                    "每条联络都经过自动质检；监听量是质检员人工抽检的监督记录，"
                    "按被监听联络所在的周期统计，与联络量、合格率口径一致。"
                )
                % {
                    "scope": scope_heading(report.scope_label),
                    "period": period_label(period),
                    "previous": period_label(report.previous),
                }
            ],
            tables=[overview],
        ),
        _queue_section(report),
        _issue_section(report),
        _training_section(report),
        _agent_section(report),
        Section(_("六、案例"), tables=[cases_table(report.cases)]),
        forecast_section(report),
    ]
    if report.meaning is not None:
        sections.append(meaning_section(report.meaning, _("八")))
    return ReportDocument(
        title=title,
        period_label=period_label(period),
        scope_label=scope_heading(report.scope_label),
        generated_at=timezone.now(),
        sections=sections,
        filename=f"quality-{period.kind}-{period.key}",
    )


def _queue_section(report: QualityReport) -> Section:
    queues = report.queues
    main = Table(
        _("各ACD组监听量与合格率"),
        [
            Column(_("ACD组")),
            *figure_columns(Fmt.INT, _("联络量")),
            *figure_columns(Fmt.PERCENT, _("自动质检合格率")),
            *figure_columns(Fmt.INT, _("监听量")),
            *figure_columns(Fmt.PERCENT, _("抽检合格率")),
        ],
        [
            [
                q.name or _("（无ACD组）"),
                *figure_cells(q.totals.figure("volume"), Fmt.INT),
                *figure_cells(q.totals.figure("auto_pass_rate"), Fmt.PERCENT),
                *figure_cells(q.totals.figure("reviewed"), Fmt.INT),
                *figure_cells(q.totals.figure("reviewed_pass_rate"), Fmt.PERCENT),
            ]
            for q in queues
        ],
        empty=_("本期没有联络。"),
    )
    abc = Table(
        _("各ACD组监听 A/B/C 类问题与致命项"),
        [
            Column(_("ACD组")),
            *figure_columns(Fmt.INT, _("A 类")),
            *figure_columns(Fmt.INT, _("B 类")),
            *figure_columns(Fmt.INT, _("C 类")),
            *figure_columns(Fmt.INT, _("致命项")),
        ],
        [
            [
                q.name or _("（无ACD组）"),
                *figure_cells(q.totals.figure("reviewed_a"), Fmt.INT),
                *figure_cells(q.totals.figure("reviewed_b"), Fmt.INT),
                *figure_cells(q.totals.figure("reviewed_c"), Fmt.INT),
                *figure_cells(q.totals.figure("reviewed_fatal"), Fmt.INT),
            ]
            for q in queues
        ],
        empty=_("本期没有联络。"),
    )
    labels = [q.name or "—" for q in queues]
    chart = Chart(
        "bar",
        _("各ACD组抽检合格率：本期与上期"),
        labels,
        [
            Series(_("本期"), [q.totals.current.reviewed_pass_rate for q in queues]),
            Series(_("上期"), [q.totals.previous.reviewed_pass_rate for q in queues]),
        ],
        percent=True,
    )
    auto_chart = Chart(
        "bar",
        _("各ACD组自动质检合格率：本期与上期"),
        labels,
        [
            Series(_("本期"), [q.totals.current.auto_pass_rate for q in queues]),
            Series(_("上期"), [q.totals.previous.auto_pass_rate for q in queues]),
        ],
        percent=True,
    )
    return Section(_("二、ACD组"), tables=[main, abc], charts=[chart, auto_chart] if queues else [])


def _issue_section(report: QualityReport) -> Section:
    tables = []
    for scope, title in (
        (FindingScope.COMMON, _("共性问题（普遍性，需培训）")),
        (FindingScope.INDIVIDUAL, _("个性问题（个别坐席，需辅导）")),
    ):
        rows = [r for r in report.issues if r.scope == scope]
        tables.append(
            Table(
                title,
                [
                    Column(_("问题项")),
                    *figure_columns(Fmt.INT, _("本期")),
                    Column(_("涉及坐席"), Fmt.INT),
                ],
                [[r.title or _("整体"), *figure_cells(r.count, Fmt.INT), r.agents] for r in rows],
                empty=_("本期和上期都没有这类问题。"),
            )
        )
    scopes = dict(FindingScope.choices)
    tables.append(
        Table(
            _("问题示例（个人号码已遮盖）"),
            [
                Column(_("类型")),
                Column(_("问题项")),
                Column(_("原话"), wide=True),
                Column(_("问题描述"), wide=True),
                Column(_("坐席")),
                Column(_("ACD组")),
                Column(_("联络编号")),
            ],
            [
                [
                    str(scopes.get(e.scope, e.scope)),
                    e.title or _("整体"),
                    e.quote,
                    e.note,
                    e.agent,
                    e.queue,
                    e.external_id,
                ]
                for e in report.examples
            ],
            empty=_("本期没有问题记录。"),
        )
    )
    return Section(
        _("三、共性与个性问题"),
        paragraphs=[_("共性/个性由质检员在监督记录中标注；“上期”用于查看改进情况。")],
        tables=tables,
    )


def _needs_text(needs: Sequence[tuple[str, int]]) -> str:
    return "；".join(f"{text}（{count}）" for text, count in needs)


def _training_section(report: QualityReport) -> Section:
    table = Table(
        _("培训意见（按问题项，A/B/C 类）"),
        [
            Column(_("问题项")),
            Column(_("类别")),
            *figure_columns(Fmt.INT, _("监听不合格")),
            Column(_("涉及坐席"), Fmt.INT),
            Column(_("培训需求（次数）"), wide=True),
        ],
        [
            [
                r.title,
                r.severity or "—",
                *figure_cells(r.count, Fmt.INT),
                r.agents,
                _needs_text(r.needs),
            ]
            for r in report.training
        ],
        empty=_("本期监听没有不合格的项目。"),
    )
    return Section(_("四、培训意见"), tables=[table])


def _agent_section(report: QualityReport) -> Section:
    table = Table(
        _("个人提高（问题最多的坐席）"),
        [
            Column(_("坐席")),
            Column(_("班组")),
            *figure_columns(Fmt.INT, _("监听量")),
            *figure_columns(Fmt.PERCENT, _("合格率")),
            *figure_columns(Fmt.INT, _("A 类")),
            *figure_columns(Fmt.INT, _("B 类")),
            *figure_columns(Fmt.INT, _("C 类")),
        ],
        [
            [
                a.name or a.code,
                a.team,
                *figure_cells(a.totals.figure("reviewed"), Fmt.INT),
                *figure_cells(a.totals.figure("reviewed_pass_rate"), Fmt.PERCENT),
                *figure_cells(a.totals.figure("reviewed_a"), Fmt.INT),
                *figure_cells(a.totals.figure("reviewed_b"), Fmt.INT),
                *figure_cells(a.totals.figure("reviewed_c"), Fmt.INT),
            ]
            for a in report.agents
        ],
        empty=_("本期没有监听记录。"),
    )
    return Section(_("五、个人提高"), tables=[table])
