"""When recurring jobs are due: care notices, hourly broadcasts, daily samples, weekly and
monthly reports.

A schedule is written the way an operations team says it::

    every 1 min           every minute; `every 5 min` at :00, :05, :10 … (a divisor of 60)
    hourly :00            every hour on the hour
    daily 00:05           every day at 00:05
    weekly mon 06:00      every Monday at 06:00 (mon tue wed thu fri sat sun)
    monthly 1 06:00       on the 1st of every month at 06:00 (day 1–28, so every month has it)

`last_due` gives the latest moment at or before now that a schedule names; a scheduler runs a
job once per such moment. Missed moments are not replayed one by one: the jobs are written
to catch up on their own (a report for a period, the samples of a day), so the latest moment
is enough, and a scheduler that was down for a week does not fire seven daily runs at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

Unit = Literal["every", "hourly", "daily", "weekly", "monthly"]
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
LAST_SAFE_MONTH_DAY = 28  # every month has a 28th
# Steps that divide the hour, so that `every N min` falls on the same minutes every hour
MINUTE_STEPS = (1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30)


class ScheduleError(ValueError):
    """A schedule text that cannot be read; the message shows the accepted forms."""


FORMS = "'every N min', 'hourly :MM', 'daily HH:MM', 'weekly mon HH:MM' or 'monthly D HH:MM'"


@dataclass(frozen=True, slots=True)
class Schedule:
    unit: Unit
    minute: int  # the minute of the hour; for `every`, the step in minutes
    hour: int = 0
    weekday: int = 0  # Monday is 0, as in datetime.weekday()
    day: int = 1

    def __str__(self) -> str:
        clock = f"{self.hour:02d}:{self.minute:02d}"
        match self.unit:
            case "every":
                return f"every {self.minute} min"
            case "hourly":
                return f"hourly :{self.minute:02d}"
            case "daily":
                return f"daily {clock}"
            case "weekly":
                return f"weekly {WEEKDAYS[self.weekday]} {clock}"
            case "monthly":
                return f"monthly {self.day} {clock}"


def parse_schedule(text: str) -> Schedule:
    """``"weekly mon 06:00"`` → Schedule; ScheduleError says what was wrong."""
    words = text.split()
    if not words:
        raise ScheduleError(f"empty schedule: write {FORMS}")
    unit, *rest = words
    try:
        if unit == "every" and len(rest) == 2 and rest[1] == "min":
            return Schedule("every", minute=_step(rest[0]))
        if unit == "hourly" and len(rest) == 1 and rest[0].startswith(":"):
            return Schedule("hourly", minute=_number(rest[0][1:], 0, 59, "minute"))
        if unit == "daily" and len(rest) == 1:
            return Schedule("daily", *_clock(rest[0]))
        if unit == "weekly" and len(rest) == 2 and rest[0].lower() in WEEKDAYS:
            minute, hour = _clock(rest[1])
            return Schedule("weekly", minute, hour, weekday=WEEKDAYS.index(rest[0].lower()))
        if unit == "monthly" and len(rest) == 2:
            minute, hour = _clock(rest[1])
            day = _number(rest[0], 1, LAST_SAFE_MONTH_DAY, "day of the month")
            return Schedule("monthly", minute, hour, day=day)
    except ScheduleError as error:
        raise ScheduleError(f"{text!r}: {error}") from None
    raise ScheduleError(f"{text!r} is not a schedule: write {FORMS}")


def _clock(text: str) -> tuple[int, int]:
    """``"06:30"`` → (minute 30, hour 6)."""
    hour, sep, minute = text.partition(":")
    if not sep:
        raise ScheduleError(f"{text!r} is not a time of day (HH:MM)")
    return _number(minute, 0, 59, "minute"), _number(hour, 0, 23, "hour")


def _step(text: str) -> int:
    if not text.isdigit() or int(text) not in MINUTE_STEPS:
        steps = ", ".join(map(str, MINUTE_STEPS))
        raise ScheduleError(f"the step must divide the hour ({steps} minutes), not {text!r}")
    return int(text)


def _number(text: str, low: int, high: int, what: str) -> int:
    if not text.isdigit() or not low <= int(text) <= high:
        raise ScheduleError(f"{what} must be a number from {low} to {high}, not {text!r}")
    return int(text)


def last_due(schedule: Schedule, now: datetime) -> datetime:
    """The latest moment at or before `now` that `schedule` names, in `now`'s time zone."""
    if schedule.unit == "every":
        return now.replace(
            minute=now.minute - now.minute % schedule.minute, second=0, microsecond=0
        )
    moment = now.replace(minute=schedule.minute, second=0, microsecond=0)
    if schedule.unit == "hourly":
        return moment if moment <= now else moment - timedelta(hours=1)
    moment = moment.replace(hour=schedule.hour)
    if schedule.unit == "daily":
        return moment if moment <= now else moment - timedelta(days=1)
    if schedule.unit == "weekly":
        moment -= timedelta(days=(moment.weekday() - schedule.weekday) % 7)
        return moment if moment <= now else moment - timedelta(days=7)
    moment = moment.replace(day=schedule.day)
    if moment <= now:
        return moment
    previous_month = moment.replace(day=1) - timedelta(days=1)
    return moment.replace(year=previous_month.year, month=previous_month.month)
