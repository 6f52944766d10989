"""What the intraday page reads (issue 14): a queue's day against the latest forecast that
covers it, the rest of the day re-forecast (engine.intraday) and re-staffed under the queue's
policy, and the agents' adherence and conformance to the published roster from the
agent-state events the app imports.

A day is a local day, measured up to now when it is today. The published roster is what
adherence is measured against (a draft is nobody's schedule yet); where two published
rosters give an agent a shift on the same date, the later publication holds.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import QuerySet
from django.utils import timezone

from lingting.core.models import Agent, User
from lingting.engine.intraday import (
    AdherenceException,
    AdherenceTotals,
    AgentAdherence,
    DayHandling,
    IntervalAgents,
    IntervalRow,
    IntradayDay,
    PlannedInterval,
    ScheduledShift,
    adherence,
    day_handling,
    interval_agents,
    intraday_day,
    totals_by,
)
from lingting.engine.occupancy import StateEvent
from lingting.engine.queue_history import QueueHistory
from lingting.interactions.models import Queue as AcdQueue
from lingting.workforce.models import (
    AgentStateEvent,
    ForecastInterval,
    ForecastRun,
    RosterShift,
    RosterStatus,
    StaffingPolicy,
)
from lingting.workforce.permissions import occupancy_agents
from lingting.workforce.selectors.planning import (
    RequirementRow,
    contacts_history,
    intervals_staffed,
    staffing_policy_of,
)


@dataclass(frozen=True, slots=True)
class Window:
    """The part of a local day that is measured: all of it, or up to now for today."""

    day: date
    start: datetime
    end: datetime
    now: datetime

    @property
    def is_today(self) -> bool:
        return self.start <= self.now < self.start + timedelta(days=1)

    @property
    def until(self) -> datetime | None:
        """ "Now" for today (an open session runs up to it); None for another day."""
        return self.now if self.is_today else None


def day_window(day: date, *, now: datetime | None = None) -> Window:
    now = now or timezone.now()
    zone = timezone.get_current_timezone()
    start = datetime.combine(day, time(), zone)
    midnight = datetime.combine(day + timedelta(days=1), time(), zone)
    return Window(day, start, max(start, min(midnight, now)), now)


# --- The queue's day ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class IntradayRow:
    interval: IntervalRow
    required: RequirementRow | None  # the forecast staffed under the policy
    restaffed: RequirementRow | None  # the re-forecast staffed (intervals not over)
    agents: IntervalAgents  # rostered on the queue, and working it


@dataclass(frozen=True, slots=True)
class QueueDay:
    queue: AcdQueue
    window: Window
    run: ForecastRun | None  # the latest forecast covering the day; None: no forecast
    policy: StaffingPolicy
    figures: IntradayDay
    rows: list[IntradayRow]
    problems: list[str]  # why some intervals could not be staffed
    handling: DayHandling | None  # the AHT and patience re-staffed with; None: no forecast


def forecast_covering(queue: AcdQueue, day: date) -> ForecastRun | None:
    """The latest forecast of `queue` whose days include `day`."""
    return ForecastRun.objects.filter(queue=queue, first_day__lte=day, last_day__gte=day).first()


def queue_day(queue: AcdQueue, day: date, *, now: datetime | None = None) -> QueueDay:
    """`queue`'s calls on `day` against its forecast, re-forecast and re-staffed at `now`."""
    window = day_window(day, now=now)
    run = forecast_covering(queue, day)
    policy = staffing_policy_of(queue)
    minutes = run.interval_minutes if run is not None else policy.interval_minutes
    interval = timedelta(minutes=minutes)
    stored = _forecast_intervals(run, window) if run is not None else []
    planned = [PlannedInterval(i.starts_at, i.forecast, i.lower, i.upper) for i in stored]
    today = contacts_history(queue, begin=window.start, end=window.end, interval_minutes=minutes)
    figures = intraday_day(planned, dict(today.arrivals), interval=interval, now=window.now)
    required: dict[datetime, RequirementRow] = {}
    restaffed: dict[datetime, RequirementRow] = {}
    problems: list[str] = []
    handling = None
    if run is not None:
        requirement = intervals_staffed(stored, run=run, policy=policy)
        required = {row.starts_at: row for row in requirement.rows}
        handling = _handling(today, requirement.aht_s, requirement.patience_s)
        again = intervals_staffed(
            _reforecast_intervals(figures, stored),
            run=run,
            policy=policy,
            aht_s=handling.aht_s,
            patience_s=handling.patience_s,
        )
        restaffed = {row.starts_at: row for row in again.rows}
        problems = list(dict.fromkeys(requirement.problems + again.problems))
    starts = [row.start for row in figures.rows]
    on_queue = rostered_adherence(queue, window=window)
    agents = interval_agents(
        on_queue, starts, interval=interval, queue=queue.code, until=window.until
    )
    rows = [
        IntradayRow(row, required.get(row.start), restaffed.get(row.start), staffed)
        for row, staffed in zip(figures.rows, agents, strict=True)
    ]
    return QueueDay(queue, window, run, policy, figures, rows, problems, handling)


def _handling(
    today: QueueHistory, forecast_aht_s: float | None, forecast_patience_s: float | None
) -> DayHandling:
    """The day's own AHT and patience where it has enough of them (engine.intraday), else
    the forecast's (the policy's, else its history's)."""
    return day_handling(
        handled=today.handle_count,
        handle_s=today.handle_sum,
        abandoned=today.abandoned,
        waited_s=today.waited_s,
        forecast_aht_s=forecast_aht_s,
        forecast_patience_s=forecast_patience_s,
    )


def _forecast_intervals(run: ForecastRun, window: Window) -> list[ForecastInterval]:
    midnight = window.start + timedelta(days=1)
    return list(
        ForecastInterval.objects.filter(
            run=run, starts_at__gte=window.start, starts_at__lt=midnight
        ).order_by("starts_at")
    )


def _reforecast_intervals(
    figures: IntradayDay, stored: list[ForecastInterval]
) -> list[ForecastInterval]:
    """The re-forecast of the intervals not over, as unsaved forecast intervals for the
    staffing (a re-forecast is read, never stored)."""
    methods = {interval.starts_at: interval.method for interval in stored}
    return [
        ForecastInterval(
            starts_at=row.start,
            forecast=row.reforecast,
            lower=row.reforecast_lower or 0.0,
            upper=row.reforecast_upper or 0.0,
            method=methods.get(row.start, ""),
        )
        for row in figures.rows
        if row.reforecast is not None
    ]


def rostered_adherence(queue: AcdQueue, *, window: Window) -> list[AgentAdherence]:
    """The agents rostered on `queue` on the window's day, laid against the whole day's
    roster (known ahead) with their states up to now: for the agents scheduled and working
    per interval, figures of the queue rather than of any one agent."""
    midnight = window.start + timedelta(days=1)
    agents = Agent.objects.filter(
        roster_shifts__queue=queue,
        roster_shifts__roster__status=RosterStatus.PUBLISHED,
        roster_shifts__starts_at__lt=midnight,
        roster_shifts__ends_at__gt=window.start,
    ).distinct()
    return _adherence(agents, window, end=midnight)


# --- Adherence ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AgentRow:
    code: str
    name: str  # "A1001 李娜"
    team: str
    totals: AdherenceTotals
    exceptions: tuple[AdherenceException, ...]


@dataclass(frozen=True, slots=True)
class TeamRow:
    team: str
    totals: AdherenceTotals


@dataclass(frozen=True, slots=True)
class AdherenceDay:
    window: Window
    agents: list[AgentRow]
    teams: list[TeamRow]

    @property
    def exceptions(self) -> list[tuple[AgentRow, AdherenceException]]:
        """Every agent's exceptions, in time order."""
        found = [(agent, found) for agent in self.agents for found in agent.exceptions]
        return sorted(found, key=lambda pair: (pair[1].start, pair[0].code))


def adherence_day(*, user: User, day: date, now: datetime | None = None) -> AdherenceDay:
    """Adherence, conformance and exceptions on `day` of the agents `user` may see (as for
    their states: an agent their own, a team leader their teams', planners and managers
    everyone's), per agent and per team."""
    window = day_window(day, now=now)
    agents = occupancy_agents(user)
    known = {
        code: (f"{code} {name}".strip(), team or "", team_code or "")
        for code, name, team, team_code in agents.values_list(
            "code", "name", "team__name", "team__code"
        )
    }
    results = _adherence(agents, window)
    rows = [
        AgentRow(r.agent_id, known[r.agent_id][0], known[r.agent_id][1], r.totals, r.exceptions)
        for r in results
    ]
    team_order = {team: code for _, team, code in known.values()}
    teams = totals_by(results, lambda code: known[code][1])
    return AdherenceDay(
        window,
        sorted(rows, key=lambda row: (team_order.get(row.team, "~"), row.code)),
        [
            TeamRow(team, totals)
            for team, totals in sorted(teams.items(), key=lambda t: team_order.get(t[0], "~"))
        ],
    )


def _adherence(
    agents: QuerySet[Agent], window: Window, *, end: datetime | None = None
) -> list[AgentAdherence]:
    """The engine's adherence of `agents` from the window's start to `end` (its own end by
    default), from their published shifts and their state events: from a day before (a
    session open at the start) up to now for today, or to a day after for another day, as
    occupancy reads them."""
    end = end or window.end
    shifts = published_shifts(agents, start=window.start, end=end)
    events = state_events(
        agents,
        start=window.start - timedelta(days=1),
        end=window.until or window.end + timedelta(days=1),
    )
    return adherence(shifts, events, start=window.start, end=end, until=window.until)


def published_shifts(
    agents: QuerySet[Agent], *, start: datetime, end: datetime
) -> list[ScheduledShift]:
    """The published shifts of `agents` that overlap [start, end), with their breaks; of
    two publications of one agent's date, the later."""
    shifts = (
        RosterShift.objects.filter(
            agent__in=agents.values("pk"),
            roster__status=RosterStatus.PUBLISHED,
            starts_at__lt=end,
            ends_at__gt=start,
        )
        .select_related("agent", "queue")
        .prefetch_related("breaks")
        .order_by("roster__published_at", "roster_id")
    )
    latest: dict[tuple[str, date], ScheduledShift] = {}
    for shift in shifts:
        latest[(shift.agent.code, shift.day)] = ScheduledShift(
            agent_id=shift.agent.code,
            start=shift.starts_at,
            end=shift.ends_at,
            breaks=tuple((b.starts_at, b.ends_at) for b in shift.breaks.all()),
            queue=shift.queue.code if shift.queue is not None else "",
        )
    return list(latest.values())


def state_events(
    agents: QuerySet[Agent], *, start: datetime, end: datetime
) -> Iterable[StateEvent]:
    rows = (
        AgentStateEvent.objects.filter(agent__in=agents.values("pk"), at__gte=start, at__lt=end)
        .order_by("agent_id", "at", "id")
        .values_list("agent__code", "state", "at", "reason")
    )
    return [StateEvent(code, state, at, reason) for code, state, at, reason in rows]
