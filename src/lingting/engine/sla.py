"""Service-level deadlines of work orders: a time limit on a business or a natural clock.

Seed 004 (95598) sets each work-order type a time limit and warns before it runs out; seed 003
calls that step 时限预警. A `SlaPolicy` is the limit, the clock it runs on and the shares of the
limit at which to warn (50% and 80% by default; 100% is the deadline itself).

- The **natural clock** (自然时间) runs every second; the calendar and hours are ignored.
- The **business clock** (工作时间) runs only in working time (`lingting.engine.calendars`).

Everything is computed from stored moments — when the order started and when it was paused
and resumed — so nothing lives in memory and a restart loses nothing.

**Pauses** (waiting for the customer, 挂起) stop the clock: the paused time, counted on the
same clock, is added to the deadline, so a pause never brings a deadline nearer. Pauses that
overlap count once; time before the start is ignored. An **open pause** (its end is None) is
taken to last until `now`: the deadline shown is the one the order would have if it resumed
now, and it moves later while the pause lasts; the elapsed share stays where it was.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum

from lingting.engine.calendars import (
    BusinessCalendar,
    WorkingHours,
    add_working_time,
    working_time_between,
)

Pause = tuple[datetime, datetime | None]


class Clock(StrEnum):
    BUSINESS = "business"
    NATURAL = "natural"


@dataclass(frozen=True, slots=True)
class SlaPolicy:
    clock: Clock
    limit: timedelta
    warn_at: tuple[float, ...] = (0.5, 0.8)  # shares of the limit, each in (0, 1)

    def __post_init__(self) -> None:
        if self.limit <= timedelta(0):
            raise ValueError(f"a time limit must be positive, got {self.limit}")
        for share in self.warn_at:
            if not 0 < share < 1:
                raise ValueError(f"warning points are shares between 0 and 1, got {share}")


def workdays(count: float, *, hours: WorkingHours) -> timedelta:
    """`count` working days of `hours` as working time (2 office days: 15 hours)."""
    return hours.workday_length * count


def deadline(
    started: datetime,
    policy: SlaPolicy,
    *,
    calendar: BusinessCalendar,
    hours: WorkingHours,
    pauses: Sequence[Pause] = (),
    now: datetime | None = None,
) -> datetime:
    """When `policy`'s limit runs out for an order started at `started`, pauses added.

    `now` closes an open pause (default: the current time); the answer is in `started`'s zone.
    """
    return _reach(started, policy.limit, policy, calendar, hours, pauses, now)


def warning_points(
    started: datetime,
    policy: SlaPolicy,
    *,
    calendar: BusinessCalendar,
    hours: WorkingHours,
    pauses: Sequence[Pause] = (),
    now: datetime | None = None,
) -> list[tuple[float, datetime]]:
    """``[(0.5, t50), (0.8, t80), (1.0, deadline)]``: when each share of the limit is used up."""
    shares = sorted({*policy.warn_at, 1.0})
    return [
        (share, _reach(started, policy.limit * share, policy, calendar, hours, pauses, now))
        for share in shares
    ]


def elapsed_share(
    started: datetime,
    now: datetime,
    policy: SlaPolicy,
    *,
    calendar: BusinessCalendar,
    hours: WorkingHours,
    pauses: Sequence[Pause] = (),
) -> float:
    """The share of the limit used by `now` (0 before the start; above 1 when overdue)."""
    used = _measure(started, now, policy.clock, calendar, hours)
    for begin, end in _merged(started, pauses, now):
        if begin >= now:
            break
        used -= _measure(begin, min(end, now), policy.clock, calendar, hours)
    return max(used, timedelta(0)) / policy.limit


def _reach(
    started: datetime,
    amount: timedelta,
    policy: SlaPolicy,
    calendar: BusinessCalendar,
    hours: WorkingHours,
    pauses: Sequence[Pause],
    now: datetime | None,
) -> datetime:
    """The moment `amount` of running clock time has passed since `started`."""
    cursor, remaining = started, amount
    for begin, end in _merged(started, pauses, now or datetime.now(UTC)):
        candidate = _add(cursor, remaining, policy.clock, calendar, hours)
        if candidate <= begin:
            return candidate.astimezone(started.tzinfo)
        remaining -= _measure(cursor, begin, policy.clock, calendar, hours)
        cursor = max(cursor, end)
    return _add(cursor, remaining, policy.clock, calendar, hours).astimezone(started.tzinfo)


def _merged(
    started: datetime, pauses: Sequence[Pause], now: datetime
) -> list[tuple[datetime, datetime]]:
    """Pauses closed at `now` when open, clipped to after `started`, overlaps merged, in order."""
    closed = sorted(
        (max(begin, started), end if end is not None else max(now, begin)) for begin, end in pauses
    )
    merged: list[tuple[datetime, datetime]] = []
    for begin, end in closed:
        if end <= begin:
            continue
        if merged and begin <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((begin, end))
    return merged


def _add(
    start: datetime,
    amount: timedelta,
    clock: Clock,
    calendar: BusinessCalendar,
    hours: WorkingHours,
) -> datetime:
    if clock == Clock.NATURAL:
        return (start.astimezone(UTC) + amount).astimezone(start.tzinfo)
    return add_working_time(start, amount, calendar=calendar, hours=hours)


def _measure(
    start: datetime, end: datetime, clock: Clock, calendar: BusinessCalendar, hours: WorkingHours
) -> timedelta:
    if clock == Clock.NATURAL:
        return max(end.astimezone(UTC) - start.astimezone(UTC), timedelta(0))
    return working_time_between(start, end, calendar=calendar, hours=hours)
