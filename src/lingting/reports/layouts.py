"""Each report laid out as a ReportDocument: the sections, tables and charts a QA
supervisor hands to management (002 §七), in the words of the seed."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils import timezone
from django.utils.translation import gettext as _

from lingting.core.models import User
from lingting.documents.document import (
    Cell,
    Chart,
    Column,
    Fmt,
    Num,
    ReportDocument,
    Section,
    Table,
    display,
)
from lingting.documents.figures import Figure, figure_cells, figure_columns
from lingting.documents.periods import Period, PeriodKind, period_label
from lingting.engine.charts import ForecastBand, Series
from lingting.engine.forecast import METHOD_HOLT_DAMPED, METHOD_NAIVE, Forecast
from lingting.quality.models import CaseKind, FindingScope
from lingting.reports.selectors import (
    CaseRow,
    DetailRow,
    QualityReport,
    TrainingPlan,
    case_analysis,
    daily_detail,
    quality_report,
    scope_label,
    training_plan,
)


def _scope(label: str) -> str:
    return label or _("全中心")


def method_text(forecast: Forecast) -> str:
    if forecast.method == METHOD_HOLT_DAMPED:
        return _(
            "Holt 阻尼趋势指数平滑（α=%(a)s，β=%(b)s，φ=%(p)s，按一步预测误差平方和最小选取）"
        ) % {
            "a": forecast.alpha,
            "b": forecast.beta,
            "p": forecast.phi,
        }
    if forecast.method == METHOD_NAIVE:
        return _("朴素预测（历史不足 3 期，取最后一期）")
    return _("无数据，无法预测")


# --- the weekly / monthly quality report ------------------------------------------------


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
                    "scope": _scope(report.scope_label),
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
        _forecast_section(report),
    ]
    return ReportDocument(
        title=title,
        period_label=period_label(period),
        scope_label=_scope(report.scope_label),
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


def _forecast_section(report: QualityReport) -> Section:
    trend = report.trend
    forecasts = report.forecasts
    next_period = report.period.next()
    rows: list[list[Cell]] = [
        [
            p.period.key,
            p.totals.volume,
            Num(p.totals.auto_pass_rate, Fmt.PERCENT),
            p.totals.reviewed,
            Num(p.totals.reviewed_pass_rate, Fmt.PERCENT),
        ]
        for p in trend
    ]
    rows.append(
        [
            _("%(key)s（预测）") % {"key": next_period.key},
            Num(forecasts["volume"].value, Fmt.INT),
            Num(forecasts["auto_pass_rate"].value, Fmt.PERCENT),
            None,
            Num(forecasts["reviewed_pass_rate"].value, Fmt.PERCENT),
        ]
    )
    series_table = Table(
        _("各期数据与下期预测"),
        [
            Column(_("周期")),
            Column(_("联络量"), Fmt.INT),
            Column(_("自动质检合格率"), Fmt.PERCENT),
            Column(_("监听量"), Fmt.INT),
            Column(_("抽检合格率"), Fmt.PERCENT),
        ],
        rows,
    )
    names = {
        "volume": (_("联络量"), Fmt.INT),
        "auto_pass_rate": (_("自动质检合格率"), Fmt.PERCENT),
        "reviewed_pass_rate": (_("抽检合格率"), Fmt.PERCENT),
    }
    accuracy = Table(
        _("预测与回测误差（滚动起点，每期只用之前的数据）"),
        [
            Column(_("指标")),
            Column(_("下期预测")),
            Column(_("约95%区间")),
            Column(_("MAE")),
            Column(_("MAPE"), Fmt.PERCENT),
            Column(_("回测期数"), Fmt.INT),
            Column(_("方法"), wide=True),
        ],
        [
            [
                label,
                Num(f.value, fmt),
                (
                    f"{display(f.low, fmt)} – {display(f.high, fmt)}"
                    if f.low is not None and f.high is not None
                    else "—"
                ),
                Num(f.mae, fmt if fmt != Fmt.PERCENT else Fmt.CHANGE_POINTS),
                f.mape,
                len(f.backtest),
                method_text(f),
            ]
            for key, (label, fmt) in names.items()
            for f in [forecasts[key]]
        ],
    )
    labels = [p.period.key for p in trend]

    def band(key: str) -> ForecastBand | None:
        f = forecasts[key]
        if f.value is None or not labels:
            return None
        return ForecastBand(next_period.key, f.value, f.low, f.high)

    charts = [
        Chart(
            "line",
            _("合格率趋势与下期预测"),
            labels,
            [
                Series(_("自动质检合格率"), [p.totals.auto_pass_rate for p in trend]),
                Series(_("抽检合格率"), [p.totals.reviewed_pass_rate for p in trend]),
            ],
            percent=True,
            forecast=[band("auto_pass_rate"), band("reviewed_pass_rate")],
            forecast_name=_("预测"),
        ),
        Chart(
            "line",
            _("联络量趋势与下期预测"),
            labels,
            [Series(_("联络量"), [float(p.totals.volume) for p in trend])],
            forecast=[band("volume")],
            forecast_name=_("预测"),
        ),
    ]
    return Section(
        _("七、质量趋势预测"),
        paragraphs=[
            _(
                "方法：Holt 阻尼趋势指数平滑。水平和趋势每期更新，下期 = 水平 + φ×趋势；"
                "α、β、φ 在网格中按一步预测误差平方和最小选取，不足 3 期时取最后一期。"
                "误差：滚动起点回测，每一期只用它之前的数据预测，再与实际比较，"
                "给出平均绝对误差 MAE 和平均绝对百分比误差 MAPE；区间为 ±1.96×回测均方根误差。"
            )
        ],
        tables=[series_table, accuracy],
        charts=charts if labels else [],
    )


# --- daily detail, cases, training plan ------------------------------------------------


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
        scope_label=" · ".join(p for p in (_scope(scope_label), filters_label) if p),
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


def cases_document(cases: Sequence[CaseRow], period: Period, scope_label: str) -> ReportDocument:
    excellent = sum(1 for c in cases if c.kind == CaseKind.EXCELLENT)
    return ReportDocument(
        title=_("案例分析报告"),
        period_label=period_label(period),
        scope_label=_scope(scope_label),
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
        scope_label=_scope(plan.scope_label),
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


# --- one entry point for every kind -----------------------------------------------------

PERIOD_OF_KIND = {
    "daily": PeriodKind.DAY,
    "weekly": PeriodKind.WEEK,
    "monthly": PeriodKind.MONTH,
    "cases": PeriodKind.MONTH,
    "training": PeriodKind.MONTH,
}


def document_for(
    *,
    kind: str,
    period: Period,
    user: User | None,
    queue_id: int | None = None,
    team_id: int | None = None,
) -> ReportDocument:
    """The report `kind` ("daily", "weekly", "monthly", "cases", "training") of `period`
    as `user` may read it (None: the center-wide archive copy, personal numbers masked)."""
    label = scope_label(user) if user else ""
    if kind == "daily":
        rows = daily_detail(user=user, day=period, queue_id=queue_id, team_id=team_id)
        return daily_document(rows, period, label)
    if kind in ("weekly", "monthly"):
        return quality_document(quality_report(user=user, period=period))
    if kind == "cases":
        return cases_document(case_analysis(user=user, period=period), period, label)
    if kind == "training":
        return training_document(training_plan(user=user, period=period))
    raise ValueError(f"no report of kind {kind!r}")
