"""Rosters as their readers see them: the planner's grid of a week by agent, a team leader's
teams in it, an agent's own shifts and breaks (issue 14)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db.models import QuerySet
from django.utils import timezone

from lingting.calendars.selectors import business_calendar
from lingting.core.models import Agent, Role, User
from lingting.engine.statutory import FIRST_YEAR as STATUTORY_RULES_FROM
from lingting.engine.statutory import LAST_YEAR as STATUTORY_RULES_TO
from lingting.engine.statutory import day_kind_hours, statutory_holidays_between
from lingting.workforce.models import (
    DayOffWish,
    Roster,
    RosterShift,
    RosterStatus,
    ShiftLimit,
    ShiftPreference,
    ShiftTemplate,
)
from lingting.workforce.permissions import may_plan, roster_agents
from lingting.workforce.selectors.shift_limits import shift_limits_over

DAY = timedelta(days=1)
SCHEDULE_DAYS_AHEAD = 14
SCHEDULE_DAYS_BACK = 7


def rosters_for(user: User) -> QuerySet[Roster]:
    """Planners see every roster, drafts too; team leaders the published ones."""
    rosters = Roster.objects.all()
    if may_plan(user):
        return rosters
    if user.role == Role.TEAM_LEADER:
        return rosters.exclude(status=RosterStatus.DRAFT)
    return rosters.none()


@dataclass(frozen=True, slots=True)
class Cell:
    code: str
    queue: str
    starts: datetime  # local
    ends: datetime
    breaks: tuple[tuple[datetime, datetime], ...]


@dataclass(slots=True)
class GridRow:
    agent: Agent
    cells: list[Cell | None]
    hours: float = 0.0
    nights: int = 0
    wished_off: list[bool] = field(default_factory=list)  # per day: the agent asked it off
    statutory_hours: float = 0.0  # clock hours on 法定节假日 (paid 300 %)
    rest_day_hours: float = 0.0  # clock hours on other days off (200 % or time off)
    limit: ShiftLimit | None = None  # shifts the agent may not work, in force over the roster

    @property
    def days(self) -> list[tuple[Cell | None, bool]]:
        """Each day's shift (None: off) and whether the agent wished it off."""
        return list(zip(self.cells, self.wished_off, strict=True))


@dataclass(slots=True)
class RosterGrid:
    days: list[date]
    rows: list[GridRow] = field(default_factory=list)
    on_shift: list[int] = field(default_factory=list)  # agents rostered each day
    statutory: dict[date, str] = field(default_factory=dict)  # 法定节假日 → its name
    statutory_unknown: bool = False  # the roster reaches before the 2008 rules

    @property
    def headers(self) -> list[tuple[date, str]]:
        """Each day and, for a statutory holiday, its name ("" otherwise)."""
        return [(day, self.statutory.get(day, "")) for day in self.days]


def roster_grid(roster: Roster, user: User) -> RosterGrid:
    """The roster as a grid of agents by day, of the agents `user` may see."""
    days = [
        roster.first_day + timedelta(days=n)
        for n in range((roster.last_day - roster.first_day).days + 1)
    ]
    grid = RosterGrid(days=days, on_shift=[0] * len(days))
    # A night shift of the last day runs into the next: its hours count there.
    grid.statutory, grid.statutory_unknown = _statutory(roster.first_day, roster.last_day + DAY)
    shifts = (
        roster.shifts.filter(agent__in=roster_agents(user))
        .select_related("agent", "agent__team", "queue")
        .prefetch_related("breaks")
        .order_by("agent__team__code", "agent__code", "day")
    )
    rows: dict[int, GridRow] = {}
    spans: dict[int, list[tuple[datetime, datetime]]] = {}
    for shift in shifts:
        row = rows.setdefault(shift.agent_id, GridRow(shift.agent, [None] * len(days)))
        index = (shift.day - roster.first_day).days
        row.cells[index] = cell = _cell(shift)
        spans.setdefault(shift.agent_id, []).append((cell.starts, cell.ends))
        row.hours += (shift.ends_at - shift.starts_at) / timedelta(hours=1)
        row.nights += timezone.localtime(shift.starts_at).hour >= 20 or _starts_at_midnight(shift)
        grid.on_shift[index] += 1
    wishes = DayOffWish.objects.filter(
        agent__in=rows, day__range=(roster.first_day, roster.last_day)
    ).values_list("agent_id", "day")
    wished = {(agent_id, day) for agent_id, day in wishes}
    calendar = business_calendar()
    limits = shift_limits_over(rows, roster.first_day)
    for agent_id, row in rows.items():
        row.wished_off = [(agent_id, day) in wished for day in days]
        by_kind = day_kind_hours(spans[agent_id], statutory=grid.statutory, calendar=calendar)
        row.statutory_hours, row.rest_day_hours = by_kind.statutory, by_kind.rest_day
        row.limit = limits.get(agent_id)
    grid.rows = list(rows.values())
    return grid


def _statutory(first: date, last: date) -> tuple[dict[date, str], bool]:
    """The statutory holidays from `first` to `last`, and whether dates outside the years
    they are computed for (before the 2008 rules, past the lunar tables) were left out."""
    known_from, known_to = date(STATUTORY_RULES_FROM, 1, 1), date(STATUTORY_RULES_TO, 12, 31)
    outside = first < known_from or last > known_to
    if last < known_from or first > known_to:
        return {}, True
    return statutory_holidays_between(max(first, known_from), min(last, known_to)), outside


def _starts_at_midnight(shift: RosterShift) -> bool:
    return timezone.localtime(shift.starts_at).date() > shift.day


def _cell(shift: RosterShift) -> Cell:
    return Cell(
        code=shift.code,
        queue=shift.queue.code if shift.queue else "",
        starts=timezone.localtime(shift.starts_at),
        ends=timezone.localtime(shift.ends_at),
        breaks=tuple(
            (timezone.localtime(b.starts_at), timezone.localtime(b.ends_at))
            for b in shift.breaks.all()
        ),
    )


@dataclass(frozen=True, slots=True)
class ScheduledDay:
    day: date
    cell: Cell | None  # None: a day off


def my_schedule(user: User, today: date) -> list[ScheduledDay]:
    """The agent's published shifts and breaks, a week back and two ahead; days off shown."""
    first = today - timedelta(days=SCHEDULE_DAYS_BACK)
    last = today + timedelta(days=SCHEDULE_DAYS_AHEAD)
    shifts = (
        RosterShift.objects.filter(
            agent__user=user,
            roster__status=RosterStatus.PUBLISHED,
            day__range=(first, last),
        )
        .select_related("queue")
        .prefetch_related("breaks")
    )
    by_day = {shift.day: _cell(shift) for shift in shifts}
    published_days = _published_days(first, last)
    return [
        ScheduledDay(day, by_day.get(day))
        for day in (first + timedelta(days=n) for n in range((last - first).days + 1))
        if day in published_days
    ]


def _published_days(first: date, last: date) -> set[date]:
    days: set[date] = set()
    for roster in Roster.objects.filter(
        status=RosterStatus.PUBLISHED, first_day__lte=last, last_day__gte=first
    ):
        day = max(roster.first_day, first)
        while day <= min(roster.last_day, last):
            days.add(day)
            day += timedelta(days=1)
    return days


def active_shift_codes() -> list[str]:
    return list(ShiftTemplate.objects.filter(is_active=True).values_list("code", flat=True))


def shift_wishes_of(agent: Agent) -> dict[str, bool]:
    """Shift code → True (prefers it) or False (would rather not)."""
    return dict(ShiftPreference.objects.filter(agent=agent).values_list("code", "prefers"))


def upcoming_day_off_wishes(agent: Agent, today: date) -> QuerySet[DayOffWish]:
    return DayOffWish.objects.filter(agent=agent, day__gte=today).order_by("day")
