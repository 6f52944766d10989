"""What a roster is asked for, and the request checked.

`RosterRequest` holds the agents, the shift templates, the requirement rows, the calendar
and the hard rules' settings. `check_request` leaves out the rows that cannot be used (a
requirement off the interval grid or outside the plan, a fixed day for an unknown shift or
on leave), each with a warning that names it and says why, and keeps the rest: the `Plan`
the model is built from. `rotation_baseline` turns a 四班三运转 rotation into each agent's
baseline days for exceptions mode.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from enum import StrEnum

from lingting.engine.calendars import BusinessCalendar
from lingting.engine.rotation import REST, RotationPattern, ShiftTemplate, Team, expand_rotation

DAY = timedelta(days=1)
HUNDREDTHS = 100  # coverage and requirements are counted in hundredths of an agent

type PeriodOf = Callable[[date], date]  # the first date of a day's week or month


class RosterError(ValueError):
    """A request that cannot be rostered at all (no dates, no shifts, duplicate ids)."""


class Rule(StrEnum):
    """The hard rules, named so that an impossible plan can say which one it breaks."""

    REST = "rest"
    TURNAROUND = "turnaround"
    FORWARD = "forward"
    CONSECUTIVE = "consecutive"
    WEEK_CAP = "week_cap"
    MONTH_CAP = "month_cap"
    FIXED = "fixed"


@dataclass(frozen=True, slots=True)
class RosterRules:
    """The hard rules' settings; each can be switched off where a center does not use it."""

    min_rest: timedelta = timedelta(hours=11)
    night_to_morning_rest: timedelta = timedelta(hours=48)
    forward_rotation: bool = True
    max_consecutive_days: int = 6

    def __post_init__(self) -> None:
        if self.min_rest < timedelta(0) or self.night_to_morning_rest < timedelta(0):
            raise RosterError("rest times cannot be negative")
        if self.max_consecutive_days < 1:
            raise RosterError("at most 0 working days in a row leaves nobody to roster")

    def describe(self, rule: Rule, agent: Agent) -> str:
        """The rule in words, with the agent's own caps."""
        match rule:
            case Rule.REST:
                return f"at least {hours_text(self.min_rest)} h of rest between shifts"
            case Rule.TURNAROUND:
                rest = hours_text(self.night_to_morning_rest)
                return f"no morning shift within {rest} h after a night shift"
            case Rule.FORWARD:
                return "forward rotation (a shift never starts earlier than the day before's)"
            case Rule.CONSECUTIVE:
                return f"at most {self.max_consecutive_days} working days in a row"
            case Rule.WEEK_CAP:
                return f"at most {agent.week_max_hours:g} h a week"
            case Rule.MONTH_CAP:
                return f"at most {agent.month_max_hours:g} h a month"
            case Rule.FIXED:
                return "the fixed days"


@dataclass(frozen=True, slots=True)
class Agent:
    """An agent as the roster sees them.

    `skills` are the pools (queues) they may serve; `team` is their rotation team
    (`rotation_baseline`). `shifts` limits the templates they may
    work (None: all; e.g. no night shifts). `fixed` pins dates to a shift code, or to None
    for a day off (a swap agreed, a rotation day that must stay). `last_shift` is the
    (date, code) of the last shift worked before the plan (`last_queue`: the pool it was
    worked in, where known), `earlier_shifts` those before it that the rest and turnaround
    rules still reach (a night two days before forbids a morning when forward rotation is
    off), `days_worked_before` how many days in a row they have worked up to the plan's
    first date. The plan's first week and month may have begun before it:
    `week_hours_before` and `month_hours_before` are the hours already worked in them, which
    the caps count; `nights_before` and `rest_days_worked_before` are the counts already
    worked in the fairness period (the month a roster is built in blocks), which the
    fairness terms add to the plan's.
    """

    id: str
    skills: frozenset[str]
    team: str | None = None
    week_max_hours: float | None = None
    month_max_hours: float | None = None
    min_hours: float | None = None  # contracted hours over the plan (soft)
    leave: frozenset[date] = frozenset()
    shifts: frozenset[str] | None = None
    prefers: frozenset[str] = frozenset()
    avoids: frozenset[str] = frozenset()
    wishes_off: frozenset[date] = frozenset()
    fixed: Mapping[date, str | None] = field(default_factory=dict)
    last_shift: tuple[date, str] | None = None
    last_queue: str | None = None
    earlier_shifts: tuple[tuple[date, str], ...] = ()
    days_worked_before: int = 0
    week_hours_before: float = 0.0
    month_hours_before: float = 0.0
    nights_before: int = 0
    rest_days_worked_before: int = 0


@dataclass(frozen=True, slots=True)
class Need:
    """Agents required in the interval starting at `start` on `queue` (fractional)."""

    start: datetime
    queue: str
    agents: float
    weight: int = 1  # how much a shortfall here counts against one elsewhere


@dataclass(frozen=True, slots=True)
class RosterRequest:
    """A week or a month to roster, `first` to `last` inclusive.

    The hour caps count the plan's shifts by the date they belong to, per Monday-to-Sunday
    week and per calendar month, with the agents' hours worked before the plan in its first
    week and month (`Agent.week_hours_before`, `month_hours_before`). A plan longer than
    `block_days` is solved in blocks (see the package).
    `calendar` tells rest days (weekends, official days off) from workdays (make-up days
    included) for the fairness of rest-day shifts; `statutory_holidays` are the 法定节假日
    dates whose clock hours are reported per agent. With a `baseline` (exceptions mode) the
    solver changes as few agent-dates from it as it can.
    """

    first: date
    last: date
    agents: tuple[Agent, ...]
    templates: tuple[ShiftTemplate, ...]
    needs: tuple[Need, ...]
    interval: timedelta = timedelta(minutes=30)
    calendar: BusinessCalendar = field(default_factory=BusinessCalendar.weekdays_only)
    statutory_holidays: frozenset[date] = frozenset()  # 法定节假日: hours reported (300 %)
    rules: RosterRules = field(default_factory=RosterRules)
    baseline: Mapping[tuple[str, date], str | None] | None = None  # exceptions mode
    time_limit_s: float = 10.0
    # CP-SAT's portfolio has its bound-proving workers only from about 8, even on fewer
    # cores: on 2 cores, an understaffed week of 15 agents (benchmarks/roster_week.py at a
    # quarter) had its shortfall proven least in 3 s with 8 workers, not in 15 s with 2.
    workers: int = 8
    # Plans longer than this are solved in blocks of this many days (see the package); None
    # solves the whole plan in one model.
    block_days: int | None = 7
    # The last date whose shifts count towards contracted hours and fairness (None: the
    # plan's last); a block's look-ahead date comes after it (see the package's *Months*).
    counted_last: date | None = None

    @property
    def days(self) -> list[date]:
        return [self.first + DAY * offset for offset in range((self.last - self.first).days + 1)]


# --- the request, checked -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Plan:
    """The request with its bad rows left out: what the model is built from."""

    request: RosterRequest
    agents: tuple[Agent, ...]
    templates: dict[str, ShiftTemplate]
    queues: tuple[str, ...]
    required: dict[tuple[int, str], int]  # (interval index, queue) → hundredths of agents
    weights: dict[tuple[int, str], int]
    exact: dict[tuple[int, str], float]  # the requirement as given, summed, unrounded
    intervals: int
    warnings: tuple[str, ...]

    def interval_start(self, index: int) -> datetime:
        return datetime.combine(self.request.first, time()) + self.request.interval * index


def check_request(request: RosterRequest) -> Plan:
    """The plan to model: RosterError for a request that cannot be rostered at all, a
    warning for each row left out."""
    if request.last < request.first:
        raise RosterError(f"the plan ends ({request.last}) before it starts ({request.first})")
    if not request.templates:
        raise RosterError("a roster needs at least one shift template")
    if request.block_days is not None and request.block_days < 1:
        raise RosterError(f"blocks of {request.block_days} days leave nothing to roster")
    if request.interval <= timedelta(0) or DAY % request.interval:
        raise RosterError(f"the interval must divide a day, not {request.interval}")
    templates = {template.code: template for template in request.templates}
    if len(templates) != len(request.templates):
        raise RosterError("two shift templates have the same code")
    ids = [agent.id for agent in request.agents]
    if len(set(ids)) != len(ids):
        raise RosterError(f"agent ids repeat: {sorted({i for i in ids if ids.count(i) > 1})}")
    warnings: list[str] = []
    agents = tuple(_checked_agent(agent, request, templates, warnings) for agent in request.agents)
    intervals = _axis_length(request, templates.values())
    exact, weights = _needs(request, intervals, warnings)
    skills = {skill for agent in agents for skill in agent.skills}
    for queue in sorted({queue for _, queue in exact} - skills):
        warnings.append(f"no agent has the skill {queue!r}: its requirement stays uncovered")
    return Plan(
        request=request,
        agents=agents,
        templates=templates,
        queues=tuple(sorted({queue for _, queue in exact})),
        required={key: round(value * HUNDREDTHS) for key, value in exact.items()},
        weights=weights,
        exact=exact,
        intervals=intervals,
        warnings=tuple(warnings),
    )


def _axis_length(request: RosterRequest, templates: Iterable[ShiftTemplate]) -> int:
    """Intervals from the first date's 00:00 to the end of the latest shift of the last
    date: a night shift of the last date covers the next morning, and a requirement given
    there is what it is for."""
    origin = datetime.combine(request.first, time())
    return math.ceil((plan_end(request.last, templates) - origin) / request.interval)


def plan_end(last: date, templates: Iterable[ShiftTemplate]) -> datetime:
    """When a plan ending on `last` ends: the next midnight, or later where a shift of
    `last` runs past it."""
    return max(
        datetime.combine(last + DAY, time()),
        *(template.span_on(last)[1] for template in templates),
    )


def _needs(
    request: RosterRequest, intervals: int, warnings: list[str]
) -> tuple[dict[tuple[int, str], float], dict[tuple[int, str], int]]:
    origin = datetime.combine(request.first, time())
    exact: dict[tuple[int, str], float] = {}
    weights: dict[tuple[int, str], int] = {}
    for number, need in enumerate(request.needs, start=1):
        offset = need.start - origin
        index = offset // request.interval
        reason = None
        if not (need.agents >= 0 and math.isfinite(need.agents)):
            reason = f"agents must be a number 0 or more, not {need.agents}"
        elif offset % request.interval:
            reason = f"{need.start:%H:%M} is not on the {minutes_of(request.interval)}-minute grid"
        elif not 0 <= index < intervals:
            reason = (
                f"{need.start} is outside the plan {request.first}..{request.last} "
                "and the hours its last shifts run into"
            )
        elif need.weight < 1:
            reason = f"the weight must be 1 or more, not {need.weight}"
        if reason:
            warnings.append(f"need {number} ({need.queue}, {need.start}): {reason}; left out")
            continue
        key = (index, need.queue)
        exact[key] = exact.get(key, 0.0) + need.agents
        weights[key] = max(weights.get(key, 1), need.weight)
    return exact, weights


def _checked_agent(
    agent: Agent, request: RosterRequest, templates: dict[str, ShiftTemplate], warnings: list[str]
) -> Agent:
    """The agent with the fixed days that cannot apply left out, each with a warning."""
    fixed: dict[date, str | None] = {}
    for day, code in sorted(agent.fixed.items()):
        reason = None
        if not request.first <= day <= request.last:
            reason = "outside the plan"
        elif code is not None and code not in templates:
            reason = f"{code!r} is not a shift template"
        elif code is not None and day in agent.leave:
            reason = "the agent is on leave that day (leave is kept)"
        elif code is not None and agent.shifts is not None and code not in agent.shifts:
            reason = f"the agent may not work {code}"
        if reason:
            warnings.append(f"agent {agent.id}: fixed {code or REST} on {day}: {reason}; left out")
        else:
            fixed[day] = code
    before = []
    for shift in filter(None, (agent.last_shift, *agent.earlier_shifts)):
        if shift[1] in templates and shift[0] < request.first:
            before.append(shift)
        else:
            warnings.append(f"agent {agent.id}: shift {shift} before the plan unusable; left out")
    last_shift = agent.last_shift if agent.last_shift in before else None
    earlier = tuple(shift for shift in before if shift != last_shift)
    return replace(agent, fixed=fixed, last_shift=last_shift, earlier_shifts=earlier)


# --- the rotation as a baseline -------------------------------------------------------------


def rotation_baseline(
    agents: Iterable[Agent],
    pattern: RotationPattern,
    teams: Iterable[Team],
    *,
    anchor: date,
    first: date,
    last: date,
) -> tuple[tuple[Agent, ...], dict[tuple[str, date], str | None]]:
    """Each agent's days from their team's rotation, for exceptions mode: the baseline
    (agent id, date) → code or None, and the agents with `last_shift` and
    `days_worked_before` filled in from the rotation's days before `first`."""
    history = first - DAY * len(pattern.cycle)
    shifts = expand_rotation(pattern, teams, anchor=anchor, first=history, last=last)
    by_team: dict[tuple[str, date], str] = {(s.team, s.day): s.code for s in shifts}
    baseline: dict[tuple[str, date], str | None] = {}
    placed = []
    for agent in agents:
        team = agent.team or ""
        for offset in range((last - first).days + 1):
            day = first + DAY * offset
            baseline[(agent.id, day)] = by_team.get((team, day))
        before = [s for s in shifts if s.team == team and s.day < first]
        streak = 0
        while (team, first - DAY * (streak + 1)) in by_team:
            streak += 1
        last_shift = (before[-1].day, before[-1].code) if before else None
        placed.append(replace(agent, last_shift=last_shift, days_worked_before=streak))
    return tuple(placed), baseline


# --- periods of the caps, and durations -----------------------------------------------------


def week_of(day: date) -> date:
    return day - DAY * day.weekday()


def month_of(day: date) -> date:
    return day.replace(day=1)


def minutes_of(span: timedelta) -> int:
    return int(span / timedelta(minutes=1))


def hours_text(span: timedelta) -> str:
    return f"{span / timedelta(hours=1):g}"
