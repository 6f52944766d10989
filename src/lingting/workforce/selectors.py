"""Reads of the workforce app: time in each state and occupancy per agent or team."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Literal

from django.utils import timezone

from lingting.core.models import User
from lingting.core.permissions import occupancy_agents
from lingting.engine.occupancy import MAX_GAP, StateEvent, StateTotals, agent_days
from lingting.workforce.models import AgentStateEvent

GroupBy = Literal["agent", "team"]
Period = Literal["day", "month"]


@dataclass(frozen=True, slots=True)
class OccupancyRow:
    name: str  # the agent ("A1001 李娜") or the team
    period: str  # 2026-10-01, or 2026-10 by month
    totals: StateTotals
    agents: int  # agents with states in the row


def occupancy_rows(
    *,
    user: User,
    date_from: date,
    date_to: date,
    by: GroupBy = "agent",
    period: Period = "day",
    team_id: int | None = None,
) -> list[OccupancyRow]:
    """Seconds per state, occupancy and utilisation of the agents `user` may see, per
    agent or team and per day or month, over the local days `date_from`..`date_to`.

    Events from a day either side are read too, so that a session open at midnight is
    counted on both days and its missing logout or login is judged on the whole session.
    """
    tz = timezone.get_current_timezone()
    agents = occupancy_agents(user)
    if team_id is not None:
        agents = agents.filter(team_id=team_id)
    names = {
        code: (f"{code} {name}".strip(), team or "")
        for code, name, team in agents.values_list("code", "name", "team__name")
    }
    start = datetime.combine(date_from - timedelta(days=1), time(), tzinfo=tz)
    end = datetime.combine(date_to + timedelta(days=2), time(), tzinfo=tz)
    rows = (
        AgentStateEvent.objects.filter(agent__in=agents.values("pk"), at__gte=start, at__lt=end)
        .order_by("agent_id", "at", "id")
        .values_list("agent__code", "state", "at", "reason")
        .iterator(chunk_size=5000)
    )
    events = [StateEvent(code, state, at, reason) for code, state, at, reason in rows]
    now = timezone.now()
    until = now if date_to >= now.astimezone(tz).date() else None
    grouped: dict[tuple[str, str], StateTotals] = defaultdict(StateTotals)
    members: dict[tuple[str, str], set[str]] = defaultdict(set)
    for day in agent_days(events, tz=tz, until=until, max_gap=MAX_GAP):
        if not date_from <= day.day <= date_to:
            continue
        agent_name, team_name = names[day.agent_id]
        name = agent_name if by == "agent" else team_name
        key = (name, day.day.isoformat() if period == "day" else f"{day.day:%Y-%m}")
        grouped[key].add(day.totals)
        members[key].add(day.agent_id)
    return [
        OccupancyRow(
            name, key_period, grouped[(name, key_period)], len(members[(name, key_period)])
        )
        for name, key_period in sorted(grouped, key=lambda k: (k[1], k[0] == "", k[0]))
    ]


def latest_state_day(user: User) -> date | None:
    """The local day of the latest state event `user` may see (where the page opens)."""
    latest = (
        AgentStateEvent.objects.filter(agent__in=occupancy_agents(user).values("pk"))
        .order_by("-at")
        .values_list("at", flat=True)
        .first()
    )
    return timezone.localtime(latest).date() if latest else None
