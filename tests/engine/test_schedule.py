"""Schedules as an operations team writes them, and the latest moment each one names."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lingting.engine.schedule import (
    MINUTE_STEPS,
    Schedule,
    ScheduleError,
    last_due,
    parse_schedule,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 11, 23, 14, 37, 12, tzinfo=SHANGHAI)  # a Monday


@pytest.mark.parametrize(
    ("text", "due"),
    [
        ("every 1 min", datetime(2026, 11, 23, 14, 37, tzinfo=SHANGHAI)),
        ("every 5 min", datetime(2026, 11, 23, 14, 35, tzinfo=SHANGHAI)),
        ("every 15 min", datetime(2026, 11, 23, 14, 30, tzinfo=SHANGHAI)),
        ("hourly :00", datetime(2026, 11, 23, 14, 0, tzinfo=SHANGHAI)),
        ("hourly :45", datetime(2026, 11, 23, 13, 45, tzinfo=SHANGHAI)),
        ("daily 00:05", datetime(2026, 11, 23, 0, 5, tzinfo=SHANGHAI)),
        ("daily 18:00", datetime(2026, 11, 22, 18, 0, tzinfo=SHANGHAI)),
        ("weekly mon 06:00", datetime(2026, 11, 23, 6, 0, tzinfo=SHANGHAI)),
        ("weekly mon 15:00", datetime(2026, 11, 16, 15, 0, tzinfo=SHANGHAI)),
        ("weekly fri 06:00", datetime(2026, 11, 20, 6, 0, tzinfo=SHANGHAI)),
        ("monthly 1 06:00", datetime(2026, 11, 1, 6, 0, tzinfo=SHANGHAI)),
        ("monthly 28 06:00", datetime(2026, 10, 28, 6, 0, tzinfo=SHANGHAI)),
    ],
)
def test_last_due_is_the_latest_named_moment(text: str, due: datetime) -> None:
    assert last_due(parse_schedule(text), NOW) == due


def test_a_monthly_schedule_before_its_day_in_january_falls_in_last_december() -> None:
    january = datetime(2027, 1, 3, 9, 0, tzinfo=SHANGHAI)

    assert last_due(parse_schedule("monthly 5 06:00"), january) == datetime(
        2026, 12, 5, 6, 0, tzinfo=SHANGHAI
    )


def test_the_moment_itself_is_due() -> None:
    on_the_hour = datetime(2026, 11, 23, 15, 0, tzinfo=SHANGHAI)

    assert last_due(parse_schedule("hourly :00"), on_the_hour) == on_the_hour


@pytest.mark.parametrize(
    ("text", "complaint"),
    [
        ("", "empty schedule"),
        ("every hour", "is not a schedule"),
        ("daily 25:00", "hour must be a number from 0 to 23"),
        ("hourly :75", "minute must be a number from 0 to 59"),
        ("weekly someday 06:00", "is not a schedule"),
        ("monthly 31 06:00", "day of the month must be a number from 1 to 28"),
        ("daily 0600", "is not a time of day"),
        ("every 7 min", "the step must divide the hour"),
        ("every 5 minutes", "is not a schedule"),
    ],
)
def test_unreadable_schedules_say_what_is_wrong(text: str, complaint: str) -> None:
    with pytest.raises(ScheduleError, match=complaint):
        parse_schedule(text)


@pytest.mark.parametrize(
    "text", ["every 5 min", "hourly :07", "daily 23:59", "weekly sun 00:00", "monthly 28 12:30"]
)
def test_a_schedule_prints_as_it_was_written(text: str) -> None:
    assert str(parse_schedule(text)) == text


PERIODS = {"hourly": timedelta(hours=1), "daily": timedelta(days=1), "weekly": timedelta(days=7)}
schedules = st.builds(
    Schedule,
    unit=st.sampled_from(["hourly", "daily", "weekly", "monthly"]),
    minute=st.integers(0, 59),
    hour=st.integers(0, 23),
    weekday=st.integers(0, 6),
    day=st.integers(1, 28),
)
moments = st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2035, 12, 31)).map(
    lambda moment: moment.replace(tzinfo=SHANGHAI)
)


@given(schedules, moments)
def test_last_due_is_past_recent_and_on_the_schedule(schedule: Schedule, now: datetime) -> None:
    due = last_due(schedule, now)

    assert due <= now
    assert now - due < PERIODS.get(schedule.unit, timedelta(days=31))
    assert (due.minute, due.second) == (schedule.minute, 0)
    if schedule.unit != "hourly":
        assert due.hour == schedule.hour
    if schedule.unit == "weekly":
        assert due.weekday() == schedule.weekday
    if schedule.unit == "monthly":
        assert due.day == schedule.day


@given(st.sampled_from(MINUTE_STEPS), moments)
def test_a_step_of_minutes_falls_on_the_same_minutes_every_hour(step: int, now: datetime) -> None:
    due = last_due(Schedule("every", minute=step), now)

    assert timedelta(0) <= now - due < timedelta(minutes=step)
    assert (due.minute % step, due.second, due.microsecond) == (0, 0, 0)
