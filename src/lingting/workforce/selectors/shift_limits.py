"""Reads of agents' shift limits (issue 14): the list a planner or a team leader sees, one
agent's limit, and every limit in force over a roster's dates."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db.models import Q, QuerySet

from lingting.core.models import Agent, Team, User
from lingting.workforce.models import ShiftLimit, ShiftTemplate
from lingting.workforce.permissions import shift_limit_agents


def shift_limits_for(
    *, user: User, today: date, team: Team | None = None, include_ended: bool = False
) -> QuerySet[ShiftLimit]:
    """The limits of the agents `user` may see, in force today (or ended too), by agent."""
    rows = ShiftLimit.objects.filter(agent__in=shift_limit_agents(user))
    if not include_ended:
        rows = rows.filter(Q(last_day__isnull=True) | Q(last_day__gte=today))
    if team is not None:
        rows = rows.filter(agent__team=team)
    return rows.select_related("agent", "agent__team", "updated_by").order_by("agent__code")


def shift_limit_of(user: User, agent: Agent) -> ShiftLimit | None:
    """`agent`'s limit if `user` may see it."""
    return (
        ShiftLimit.objects.filter(agent=agent, agent__in=shift_limit_agents(user))
        .select_related("agent")
        .first()
    )


def shift_limits_over(agent_ids: Iterable[int], first: date) -> dict[int, ShiftLimit]:
    """The limits of the agents (by id) still in force on `first` or later, in one query:
    a limit that ends inside a roster's dates holds for the whole roster (the solver takes
    one set of shifts per agent), so an agent is never put on a night they may not work."""
    rows = ShiftLimit.objects.filter(agent__in=list(agent_ids)).filter(
        Q(last_day__isnull=True) | Q(last_day__gte=first)
    )
    return {row.agent_id: row for row in rows}


def shift_codes() -> list[str]:
    """Every shift template's code, active first (what a limit may name)."""
    return list(
        ShiftTemplate.objects.order_by("-is_active", "start_minutes", "code").values_list(
            "code", flat=True
        )
    )
