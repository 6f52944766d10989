"""The intraday page as a report document: the queue's intervals (forecast, actual,
re-forecast, agents required, rostered and working) with two charts, and the adherence of
each agent and team with the exceptions, for the page's SVG and its CSV/XLSX download."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lingting.documents.document import Chart, Column, Fmt, ReportDocument, Table
from lingting.documents.exports.page import page_document
from lingting.engine.charts import Series
from lingting.engine.intraday import LOGGED_OUT
from lingting.workforce.models import AgentState
from lingting.workforce.selectors.intraday import AdherenceDay, QueueDay
from lingting.workforce.selectors.planning import RequirementRow

ACTIVITY_NAMES = {
    "work": gettext_lazy("在岗接线"),
    "break": gettext_lazy("休息"),
    "off": gettext_lazy("非排班时间"),
}


def state_name(state: str) -> str:
    """An agent's state (engine.intraday: ready, busy, acw, not_ready, logged_out) in words."""
    if state == LOGGED_OUT:
        return _("未登录")
    return str(AgentState(state).label)


def activity_name(activity: str) -> str:
    return str(ACTIVITY_NAMES.get(activity, activity))


def intraday_document(*, queue_day: QueueDay | None, adherence: AdherenceDay) -> ReportDocument:
    """The queue's day (when the reader sees it) and the adherence of the agents they see."""
    tables = [_interval_table(queue_day)] if queue_day is not None else []
    tables += [_team_table(adherence), _agent_table(adherence), _exception_table(adherence)]
    day = adherence.window.day
    scope = str(queue_day.queue) if queue_day is not None else _("本人")
    suffix = f"-{queue_day.queue.code}" if queue_day is not None else ""
    return page_document(
        title=_("当日监控"),
        scope_label=scope,
        period_label=f"{day:%Y-%m-%d}",
        tables=tables,
        charts=_charts(queue_day) if queue_day is not None else [],
        filename=f"intraday{suffix}-{day:%Y%m%d}",
    )


def _interval_table(queue_day: QueueDay) -> Table:
    return Table(
        title=_("各时段实际与预测"),
        columns=[
            Column(_("时段开始")),
            Column(_("预测呼入"), Fmt.NUMBER),
            Column(_("实际呼入"), Fmt.INT),
            Column(_("累计差额"), Fmt.CHANGE_NUMBER),
            Column(_("重新预测"), Fmt.NUMBER),
            Column(_("重新预测下限（80%）"), Fmt.NUMBER),
            Column(_("重新预测上限（80%）"), Fmt.NUMBER),
            Column(_("按预测需在线"), Fmt.NUMBER),
            Column(_("按重新预测需在线"), Fmt.NUMBER),
            Column(_("排班在岗"), Fmt.NUMBER),
            Column(_("实际在线"), Fmt.NUMBER),
        ],
        rows=[
            [
                f"{timezone.localtime(row.interval.start):%H:%M}",
                row.interval.forecast,
                row.interval.actual,
                row.interval.gap,
                row.interval.reforecast,
                row.interval.reforecast_lower,
                row.interval.reforecast_upper,
                _needed(row.required),
                _needed(row.restaffed),
                row.agents.scheduled,
                row.agents.working,
            ]
            for row in queue_day.rows
        ],
        empty=_("这一天没有预测的时段，也没有呼入。"),
    )


def _charts(queue_day: QueueDay) -> list[Chart]:
    rows = queue_day.rows
    if not rows:
        return []
    labels = [f"{timezone.localtime(row.interval.start):%H:%M}" for row in rows]
    day = f"{queue_day.window.day:%Y-%m-%d}"
    calls = Chart(
        kind="line",
        title=_("%(day)s 呼入：预测、实际与重新预测") % {"day": day},
        labels=labels,
        series=[
            Series(_("预测呼入"), [row.interval.forecast for row in rows]),
            # The interval under way is left out: its calls so far would read as a drop.
            Series(
                _("实际呼入"),
                [_float(row.interval.actual) if row.interval.complete else None for row in rows],
            ),
            Series(_("重新预测"), [row.interval.reforecast for row in rows]),
        ],
    )
    agents = Chart(
        kind="line",
        title=_("%(day)s 坐席：所需、排班与实际在线") % {"day": day},
        labels=labels,
        series=[
            Series(_("按预测需在线"), [_needed(row.required) for row in rows]),
            Series(_("按重新预测需在线"), [_needed(row.restaffed) for row in rows]),
            Series(_("排班在岗"), [row.agents.scheduled for row in rows]),
            Series(_("实际在线"), [row.agents.working for row in rows]),
        ],
    )
    return [calls, agents]


def _needed(row: RequirementRow | None) -> float | None:
    return None if row is None else row.fractional_agents


def _float(value: int | None) -> float | None:
    return None if value is None else float(value)


def _team_table(adherence: AdherenceDay) -> Table:
    return Table(
        title=_("班组遵从度"),
        columns=[
            Column(_("班组")),
            Column(_("坐席数"), Fmt.INT),
            Column(_("排班时长（小时）"), Fmt.NUMBER),
            Column(_("遵从度"), Fmt.PERCENT),
            Column(_("出勤符合度"), Fmt.PERCENT),
        ],
        rows=[
            [
                row.team or _("（无班组）"),
                row.totals.agents,
                row.totals.scheduled_s / 3600,
                row.totals.adherence,
                row.totals.conformance,
            ]
            for row in adherence.teams
        ],
        empty=_("这一天没有排班，也没有坐席状态。"),
    )


def _agent_table(adherence: AdherenceDay) -> Table:
    return Table(
        title=_("坐席遵从度"),
        columns=[
            Column(_("坐席")),
            Column(_("班组")),
            Column(_("排班时长（小时）"), Fmt.NUMBER),
            Column(_("遵从时长（小时）"), Fmt.NUMBER),
            Column(_("遵从度"), Fmt.PERCENT),
            Column(_("工作时长（小时）"), Fmt.NUMBER),
            Column(_("出勤符合度"), Fmt.PERCENT),
            Column(_("异常数"), Fmt.INT),
        ],
        rows=[
            [
                row.name,
                row.team,
                row.totals.scheduled_s / 3600,
                row.totals.adhering_s / 3600,
                row.totals.adherence,
                row.totals.worked_s / 3600,
                row.totals.conformance,
                len(row.exceptions),
            ]
            for row in adherence.agents
        ],
        empty=_("这一天没有排班，也没有坐席状态。"),
    )


def _exception_table(adherence: AdherenceDay) -> Table:
    return Table(
        title=_("遵从异常"),
        columns=[
            Column(_("坐席")),
            Column(_("开始")),
            Column(_("结束")),
            Column(_("时长（分钟）"), Fmt.NUMBER),
            Column(_("排班要求")),
            Column(_("实际状态"), wide=True),
        ],
        rows=[
            [
                agent.name,
                f"{timezone.localtime(found.start):%H:%M}",
                f"{timezone.localtime(found.end):%H:%M}",
                found.minutes,
                activity_name(found.scheduled),
                did_text(found.did),
            ]
            for agent, found in adherence.exceptions
        ],
        empty=_("没有超过阈值的遵从异常。"),
    )


def did_text(did: tuple[tuple[str, float], ...]) -> str:
    """(("not_ready", 600.0), ("ready", 120.0)) → "未就绪 10 分钟、就绪 2 分钟"."""
    return "、".join(
        _("%(state)s %(minutes)s 分钟") % {"state": state_name(state), "minutes": round(s / 60)}
        for state, s in did
    )
