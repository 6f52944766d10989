"""Improvement plans and their phases, as a user may see them."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, QuerySet
from django.utils import timezone

from lingting.coaching.models import CoachingSession, ImprovementPlan, Phase, PhaseGoal
from lingting.coaching.permissions import plan_agents
from lingting.coaching.selectors.figures import month_end
from lingting.core.models import Agent, User
from lingting.core.permissions import contact_scope
from lingting.engine.streaks import add_months
from lingting.interactions.models import Contact
from lingting.performance.selectors import kpi_table_for
from lingting.quality.contact_filters import ContactFilters


def plans_for(*, user: User, status: str = "") -> QuerySet[ImprovementPlan]:
    plans = ImprovementPlan.objects.filter(agent__in=plan_agents(user)).select_related(
        "agent__team", "opened_by"
    )
    if status:
        plans = plans.filter(status=status)
    # Explicit: a model's default ordering is dropped from a query that aggregates.
    return plans.annotate(session_count=Count("sessions")).order_by("-opened_on", "-id")


def plan_for(*, user: User, plan_id: int) -> ImprovementPlan:
    """One plan `user` may see (DoesNotExist otherwise: the view answers 404)."""
    return ImprovementPlan.objects.select_related("agent__team", "agent__user", "opened_by").get(
        pk=plan_id, agent__in=plan_agents(user)
    )


@dataclass(frozen=True, slots=True)
class PhaseCell:
    """One third of one month of a plan: the agent's goal, the follow-ups, the figure."""

    month: date
    phase: str
    label: str
    goal: PhaseGoal | None
    sessions: list[CoachingSession]
    value: float | None


def plan_phases(*, user: User, plan: ImprovementPlan, months: int = 3) -> list[PhaseCell]:
    """The plan's months from its start, each in thirds (上中下旬), with what happened."""
    goals = {(g.month, g.phase): g for g in plan.goals.select_related("updated_by")}
    sessions: dict[tuple[date, str], list[CoachingSession]] = defaultdict(list)
    for session in plan.sessions.select_related("coach").prefetch_related("contacts"):
        sessions[session.held_on.replace(day=1), session.phase].append(session)
    first = plan.opened_on.replace(day=1)
    today = timezone.localdate()
    cells = []
    for offset in range(months):
        month = add_months(first, offset)
        for phase, start, end in (
            (Phase.EARLY, 1, 10),
            (Phase.MIDDLE, 11, 20),
            (Phase.LATE, 21, month_end(month).day),
        ):
            begins = month.replace(day=start)
            value = (
                _figure_between(
                    user=user,
                    agent=plan.agent,
                    figure=plan.figure,
                    date_from=begins,
                    date_to=month.replace(day=end),
                )
                if begins <= today
                else None
            )
            cells.append(
                PhaseCell(
                    month=month,
                    phase=phase.value,
                    label=str(phase.label),
                    goal=goals.get((month, phase.value)),
                    sessions=sessions.get((month, phase.value), []),
                    value=value,
                )
            )
    return cells


def _figure_between(
    *, user: User, agent: Agent, figure: str, date_from: date, date_to: date
) -> float | None:
    filters = ContactFilters(date_from=date_from, date_to=date_to, agent_id=agent.pk)
    rows = kpi_table_for(user=user, filters=filters, by=())
    value = rows[0].values().get(figure) if rows else None
    return value if isinstance(value, int | float) else None


def session_contacts(*, user: User, agent: Agent, since: date) -> QuerySet[Contact]:
    """The agent's contacts `user` may see, from `since` on: what a session can link to."""
    return (
        Contact.objects.filter(contact_scope(user), agent=agent, started_at__date__gte=since)
        .select_related("current_score")
        .order_by("-started_at")
    )
