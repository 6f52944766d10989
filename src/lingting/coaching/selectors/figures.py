"""The figures a plan can be about, and each agent's monthly figure against their target."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from lingting.core.models import User
from lingting.engine.streaks import MonthFigure, add_months, month_key
from lingting.engine.targets import Target
from lingting.performance.models import LOWER_IS_BETTER, TargetFigure
from lingting.performance.selectors import (
    TargetBook,
    agent_team_codes,
    kpi_table_for,
    kpi_targets,
    kpi_team_targets,
    main_queues,
)
from lingting.quality.contact_filters import ContactFilters

QA_SCORE = "qa_score"


# Used only while operations has set no qa_score target: 80 points is on target, 70 a
# warning (the standard scorecard passes a contact at 60).
DEFAULT_QA_SCORE_TARGET = Target(green=80.0, amber=70.0)


LOOKBACK_MONTHS = 6


EXAMPLES = 3


TargetSource = Literal["team", "queue", "center", "default"]


@dataclass(frozen=True, slots=True)
class Figure:
    code: str
    label: str
    higher_is_better: bool
    unit: Literal["rate", "seconds", "points", "count"]


RATE_FIGURES = frozenset(
    {"answer_rate", "abandon_rate", "service_level", "fcr", "transfer_rate", "pass_rate"}
)


def figures() -> list[Figure]:
    """The figures detection and the effect page work on: every figure operations can set
    a target for (QA score among them)."""
    return [
        Figure(
            code=str(value),
            label=str(label),
            higher_is_better=value not in LOWER_IS_BETTER,
            unit="rate" if value in RATE_FIGURES else "points" if value == QA_SCORE else "seconds",
        )
        for value, label in TargetFigure.choices
    ]


def figure_named(code: str) -> Figure:
    for figure in figures():
        if figure.code == code:
            return figure
    raise KeyError(code)


def month_end(first: date) -> date:
    return add_months(first, 1) - timedelta(days=1)


@dataclass(frozen=True, slots=True)
class AgentTarget:
    target: Target
    source: TargetSource
    queue: str | None  # the agent's main queue (where most of their contacts were)


@dataclass(frozen=True, slots=True)
class FigureSeries:
    figure: Figure
    months: list[date]
    series: dict[str, list[MonthFigure]]  # agent code → one per month, oldest first
    targets: dict[str, AgentTarget]


def agent_month_figures(*, user: User, figure: str, months: Sequence[date]) -> FigureSeries:
    """Each visible agent's `figure` for each month of `months` (first days, in order),
    coloured against the agent's target."""
    info = figure_named(figure)
    filters = ContactFilters(date_from=months[0], date_to=month_end(months[-1]))
    queues = main_queues(user=user, filters=filters)
    targets, team_targets, teams = kpi_targets(), kpi_team_targets(), agent_team_codes()
    agent_targets = {
        agent: _target_for(figure, queue, teams.get(agent), targets, team_targets)
        for agent, queue in queues.items()
    }
    book = TargetBook(targets, team_targets)
    found: dict[tuple[str, str], MonthFigure] = {}
    for table_row in kpi_table_for(user=user, filters=filters, by=("agent", "month")):
        group = dict(table_row.row.group)
        agent, month = group.get("agent"), group.get("month")
        if not isinstance(agent, str) or not isinstance(month, str):
            continue
        value = table_row.values().get(figure)
        # The rows are by agent and month, not queue: the agent's main queue's target.
        status = book.status(figure, value, team=teams.get(agent), queue=queues.get(agent))
        known = agent_targets.get(agent)
        if status is None and known is not None and known.source == "default":
            status = known.target.status(value)
        found[agent, month] = MonthFigure(month=month, value=value, status=status)
    keys = [month_key(m) for m in months]
    agents = sorted({agent for agent, _month in found})
    return FigureSeries(
        figure=info,
        months=list(months),
        series={
            agent: [found.get((agent, k), MonthFigure(k, None, None)) for k in keys]
            for agent in agents
        },
        targets={a: t for a, t in agent_targets.items() if t is not None},
    )


def _target_for(
    figure: str,
    queue: str | None,
    team: str | None,
    targets: dict[tuple[str, str | None], Target],
    team_targets: dict[tuple[str, str], Target],
) -> AgentTarget | None:
    if team is not None and (figure, team) in team_targets:
        return AgentTarget(team_targets[figure, team], "team", queue)
    if queue is not None and (figure, queue) in targets:
        return AgentTarget(targets[figure, queue], "queue", queue)
    if (figure, None) in targets:
        return AgentTarget(targets[figure, None], "center", queue)
    if figure == QA_SCORE and not any(f == QA_SCORE for f, _q in [*targets, *team_targets]):
        return AgentTarget(DEFAULT_QA_SCORE_TARGET, "default", queue)
    return None
