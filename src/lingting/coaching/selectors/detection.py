"""The "3+1" detection: the agents below target for months running."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from lingting.coaching.models import ImprovementPlan, PlanStatus
from lingting.coaching.permissions import plan_agents
from lingting.coaching.selectors.figures import (
    LOOKBACK_MONTHS,
    AgentTarget,
    Figure,
    agent_month_figures,
    month_end,
)
from lingting.core.models import Agent, User
from lingting.engine.streaks import MonthFigure, Streak, below_target_streaks, months_before


@dataclass(frozen=True, slots=True)
class Detected:
    agent: Agent
    figure: str
    streak: Streak
    target: AgentTarget | None
    running_plan: ImprovementPlan | None

    @property
    def detected_months(self) -> list[MonthFigure]:
        return list(self.streak.figures[-self.streak.run :])

    @property
    def detected_days(self) -> tuple[date, date]:
        """The first day of the first month found below target and the last of the last:
        what its diagnosis reads."""
        months = self.detected_months
        first = date.fromisoformat(f"{months[0].month}-01")
        return first, month_end(date.fromisoformat(f"{months[-1].month}-01"))


@dataclass(frozen=True, slots=True)
class Detection:
    figure: Figure
    as_of: date
    months: list[date]
    length: int
    detected: list[Detected]
    has_target: bool
    agents_looked_at: int


def detect_below_target(
    *, user: User, figure: str, as_of: date, length: int = 3, lookback: int = LOOKBACK_MONTHS
) -> Detection:
    """The agents `user` may coach whose `figure` was below target in each of the `length`
    whole months before `as_of` (the run is counted back up to `lookback` months)."""
    months = months_before(as_of, max(length, lookback))
    data = agent_month_figures(user=user, figure=figure, months=months)
    codes = set(plan_agents(user).values_list("code", flat=True))
    series = {code: figures for code, figures in data.series.items() if code in codes}
    streaks = below_target_streaks(series, length=length)
    # With their teams: the page names each agent's team.
    agents = Agent.objects.select_related("team").in_bulk(
        [s.agent for s in streaks], field_name="code"
    )
    running = {
        plan.agent.code: plan
        for plan in ImprovementPlan.objects.filter(agent__code__in=agents, figure=figure)
        .exclude(status=PlanStatus.CLOSED)
        .select_related("agent")
    }
    return Detection(
        figure=data.figure,
        as_of=as_of,
        months=months,
        length=length,
        detected=[
            Detected(
                agent=agents[s.agent],
                figure=figure,
                streak=s,
                target=data.targets.get(s.agent),
                running_plan=running.get(s.agent),
            )
            for s in streaks
            if s.agent in agents
        ],
        has_target=bool(data.targets),
        agents_looked_at=len(series),
    )
