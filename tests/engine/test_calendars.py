"""Business time across the official 2026 calendar: National Day, Spring Festival, weekends."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lingting.engine.calendars import (
    BusinessCalendar,
    CalendarGap,
    WorkingHours,
    add_working_time,
    official_days,
    package_years,
    working_time_between,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")
CAL_2026 = BusinessCalendar.from_package([2026])
OFFICE = WorkingHours.office()
ALL_DAY = WorkingHours.around_the_clock()


def at(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=SHANGHAI)


def test_the_package_has_the_official_2026_national_day_schedule() -> None:
    """State Council notice for 2026: 10-01..07 off; Sunday 09-20 and Saturday 10-10 worked."""
    for day in range(1, 8):
        assert not CAL_2026.is_workday(date(2026, 10, day))
    assert date(2026, 9, 20).weekday() == 6
    assert CAL_2026.is_workday(date(2026, 9, 20))
    assert date(2026, 10, 10).weekday() == 5
    assert CAL_2026.is_workday(date(2026, 10, 10))
    assert CAL_2026.is_workday(date(2026, 10, 8))
    assert CAL_2026.is_workday(date(2026, 10, 9))


def test_the_package_has_the_official_2026_spring_festival_schedule() -> None:
    """Spring Festival 2026: 02-15..23 off; Saturdays 02-14 and 02-28 worked."""
    for day in range(15, 24):
        assert not CAL_2026.is_workday(date(2026, 2, day))
    assert CAL_2026.is_workday(date(2026, 2, 14))
    assert CAL_2026.is_workday(date(2026, 2, 28))
    assert CAL_2026.is_workday(date(2026, 2, 24))


def test_official_days_are_the_exceptions_to_monday_to_friday_with_their_festival() -> None:
    days = {day.date: (day.kind, day.name) for day in official_days(2026)}

    assert days[date(2026, 10, 1)] == ("holiday", "国庆节")
    assert days[date(2026, 10, 10)] == ("workday", "国庆节")
    assert date(2026, 10, 3) not in days  # a Saturday: a day off anyway


def test_a_year_the_package_does_not_know_is_a_calendar_gap() -> None:
    assert 2027 not in package_years()  # chinese_calendar 1.11.0 stops at 2026
    with pytest.raises(CalendarGap, match="no official holiday schedule for 2027"):
        BusinessCalendar.from_package([2027])


def test_outside_the_loaded_years_a_calendar_falls_back_to_monday_to_friday() -> None:
    assert not CAL_2026.covers(date(2027, 1, 1))
    assert CAL_2026.is_workday(date(2027, 1, 1))  # a Friday; New Year's Day unknown yet
    assert not CAL_2026.is_workday(date(2027, 1, 2))
    assert CAL_2026.covers(date(2026, 12, 31))


def test_a_span_is_covered_only_when_every_year_in_it_is_loaded() -> None:
    assert CAL_2026.covers_span(date(2026, 9, 30), date(2026, 10, 9))
    assert not CAL_2026.covers_span(date(2026, 12, 30), date(2027, 1, 5))


def test_office_hours_are_seven_and_a_half_hours_a_day() -> None:
    assert OFFICE.workday_length == timedelta(hours=7, minutes=30)
    monday = at(2026, 11, 23)

    assert working_time_between(
        monday, monday + timedelta(days=1), calendar=CAL_2026, hours=OFFICE
    ) == timedelta(hours=7, minutes=30)


def test_working_time_skips_the_lunch_break() -> None:
    assert add_working_time(
        at(2026, 11, 23, 11), timedelta(hours=2), calendar=CAL_2026, hours=OFFICE
    ) == at(2026, 11, 23, 14, 30)


def test_working_time_that_ends_with_the_morning_ends_at_noon() -> None:
    assert add_working_time(
        at(2026, 11, 23, 8, 30), timedelta(hours=3, minutes=30), calendar=CAL_2026, hours=OFFICE
    ) == at(2026, 11, 23, 12)


def test_friday_afternoon_work_continues_on_monday_morning() -> None:
    assert add_working_time(
        at(2026, 11, 20, 17), timedelta(hours=1), calendar=CAL_2026, hours=OFFICE
    ) == at(2026, 11, 23, 9)


def test_an_order_started_on_saturday_starts_counting_on_monday() -> None:
    assert add_working_time(
        at(2026, 11, 21, 10), timedelta(hours=1), calendar=CAL_2026, hours=OFFICE
    ) == at(2026, 11, 23, 9, 30)


def test_national_day_is_skipped_and_the_make_up_saturday_is_worked_on_office_hours() -> None:
    """Wed 09-30 17:00 + 1h: 0.5h on Wednesday, then nothing until Thursday 10-08 08:30."""
    assert add_working_time(
        at(2026, 9, 30, 17), timedelta(hours=1), calendar=CAL_2026, hours=OFFICE
    ) == at(2026, 10, 8, 9)
    # the make-up Saturday 10-10 has Monday's office hours
    assert working_time_between(
        at(2026, 10, 10), at(2026, 10, 11), calendar=CAL_2026, hours=OFFICE
    ) == timedelta(hours=7, minutes=30)


def test_a_weekday_left_empty_is_a_day_the_department_does_not_work() -> None:
    """Closed on Wednesdays: from Tue 11-24 16:30, 7.5 working hours are 1 h on Tuesday,
    none on Wednesday and 6.5 h on Thursday, to 16:30. A make-up Saturday still borrows the
    first filled day's hours (Monday's)."""
    day = OFFICE.periods[0]
    closed_wednesdays = WorkingHours(periods=(day, day, (), day, day, (), ()))
    assert add_working_time(
        at(2026, 11, 24, 16, 30),
        timedelta(hours=7, minutes=30),
        calendar=CAL_2026,
        hours=closed_wednesdays,
    ) == at(2026, 11, 26, 16, 30)
    assert working_time_between(
        at(2026, 10, 10), at(2026, 10, 11), calendar=CAL_2026, hours=closed_wednesdays
    ) == timedelta(hours=7, minutes=30)


def test_around_the_clock_under_the_business_clock_counts_whole_workdays() -> None:
    """Two days from Wed 09-30 10:00: Thursday 10-08 is the first workday, Friday the second."""
    assert add_working_time(
        at(2026, 9, 30, 10), timedelta(days=2), calendar=CAL_2026, hours=ALL_DAY
    ) == at(2026, 10, 9, 10)


def test_hours_are_read_in_the_departments_zone_whatever_zone_the_moment_is_in() -> None:
    hours = WorkingHours.office(tz=SHANGHAI)
    start_utc = at(2026, 11, 23, 8, 30).astimezone(ZoneInfo("UTC"))  # 00:30 UTC

    end = add_working_time(start_utc, timedelta(hours=1), calendar=CAL_2026, hours=hours)

    assert end == at(2026, 11, 23, 9, 30)
    assert end.tzinfo == ZoneInfo("UTC")


def test_a_night_shift_counts_after_midnight() -> None:
    night = ((time(22), time(6)),)
    hours = WorkingHours(periods=(night,) * 5 + ((), ()))

    assert add_working_time(
        at(2026, 11, 23, 23), timedelta(hours=3), calendar=CAL_2026, hours=hours
    ) == at(2026, 11, 24, 2)


def test_naive_moments_and_negative_durations_are_refused() -> None:
    with pytest.raises(ValueError, match="aware datetime"):
        add_working_time(datetime(2026, 11, 23), timedelta(1), calendar=CAL_2026, hours=OFFICE)
    with pytest.raises(ValueError, match="cannot be negative"):
        add_working_time(at(2026, 11, 23), timedelta(-1), calendar=CAL_2026, hours=OFFICE)


def test_hours_without_any_weekday_are_refused() -> None:
    with pytest.raises(ValueError, match="Monday to Friday"):
        WorkingHours(periods=((),) * 5 + (((time(9), time(17)),), ()))
    with pytest.raises(ValueError, match="7 weekdays"):
        WorkingHours(periods=((),))


def test_a_calendar_with_no_workday_at_all_says_so() -> None:
    start = date(2026, 1, 1)
    every_day = frozenset(start + timedelta(days=n) for n in range(4000))
    closed = BusinessCalendar(holidays=every_day, workdays=frozenset(), years=frozenset({2026}))

    with pytest.raises(ValueError, match="no working time"):
        add_working_time(at(2026, 1, 1), timedelta(hours=1), calendar=closed, hours=OFFICE)


# --- properties -------------------------------------------------------------------------

moments = st.datetimes(
    min_value=datetime(2025, 12, 1), max_value=datetime(2027, 2, 1), timezones=st.just(SHANGHAI)
)
durations = st.timedeltas(min_value=timedelta(0), max_value=timedelta(hours=200))
hour_sets = st.sampled_from([OFFICE, ALL_DAY])


@given(moments, durations, hour_sets)
def test_adding_then_measuring_gives_back_the_duration(
    start: datetime, duration: timedelta, hours: WorkingHours
) -> None:
    end = add_working_time(start, duration, calendar=CAL_2026, hours=hours)

    assert end >= start
    assert working_time_between(start, end, calendar=CAL_2026, hours=hours) == duration


@given(moments, moments, durations, hour_sets)
def test_a_later_start_never_gives_an_earlier_end(
    first: datetime, second: datetime, duration: timedelta, hours: WorkingHours
) -> None:
    early, late = sorted([first, second])

    assert add_working_time(early, duration, calendar=CAL_2026, hours=hours) <= add_working_time(
        late, duration, calendar=CAL_2026, hours=hours
    )


@given(moments, durations, durations, hour_sets)
def test_a_longer_duration_never_gives_an_earlier_end(
    start: datetime, first: timedelta, second: timedelta, hours: WorkingHours
) -> None:
    short, long = sorted([first, second])

    assert add_working_time(start, short, calendar=CAL_2026, hours=hours) <= add_working_time(
        start, long, calendar=CAL_2026, hours=hours
    )


@given(moments, moments, moments)
def test_working_time_adds_up_over_consecutive_spans(a: datetime, b: datetime, c: datetime) -> None:
    first, middle, last = sorted([a, b, c])

    def between(x: datetime, y: datetime) -> timedelta:
        return working_time_between(x, y, calendar=CAL_2026, hours=OFFICE)

    assert between(first, last) == between(first, middle) + between(middle, last)
