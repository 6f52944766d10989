"""Statutory holidays (法定节假日) told apart from bridged days off, and hours worked on them."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from lingting.engine.calendars import BusinessCalendar
from lingting.engine.rotation import ShiftTemplate
from lingting.engine.statutory import (
    StatutoryRulesUnknown,
    day_kind_hours,
    hours_by_date,
    statutory_days,
    statutory_holidays_between,
)


def _days(year: int, name: str) -> list[date]:
    return [day.date for day in statutory_days(year) if name in day.name]


def test_2024_spring_festival_is_statutory_on_the_first_three_days_the_rest_bridged() -> None:
    """2024 notice: 2-10..17 off (8 days). Under the 2014 rules 春节 is 正月初一..初三:
    2-10..12 statutory, 2-13..17 rest days moved by 调休; 除夕 (2-09) is not statutory."""
    spring = _days(2024, "春节")
    calendar = BusinessCalendar.from_package([2024])

    assert spring == [date(2024, 2, 10), date(2024, 2, 11), date(2024, 2, 12)]
    bridged = [date(2024, 2, day) for day in range(13, 18)]
    assert all(not calendar.is_workday(day) and day not in spring for day in bridged)
    assert date(2024, 2, 9) not in spring
    assert len(statutory_days(2024)) == 11


def test_2025_has_thirteen_statutory_days_with_new_years_eve_and_two_for_labour_day() -> None:
    days = {day.date: day.name for day in statutory_days(2025)}

    assert len(days) == 13
    assert _days(2025, "春节") == [date(2025, 1, d) for d in (28, 29, 30, 31)]  # 除夕..初三
    assert _days(2025, "劳动节") == [date(2025, 5, 1), date(2025, 5, 2)]
    assert _days(2025, "端午节") == [date(2025, 5, 31)]
    assert _days(2025, "国庆节") == [date(2025, 10, 1), date(2025, 10, 2), date(2025, 10, 3)]
    assert _days(2025, "中秋节") == [date(2025, 10, 6)]
    assert days[date(2025, 1, 1)] == "元旦"
    assert days[date(2025, 4, 4)] == "清明节"
    # 10-01..08 are off; 10-04, 05, 07 and 08 are rest days (调休), not statutory.
    assert date(2025, 10, 4) not in days
    assert date(2025, 10, 8) not in days


def test_2026_against_the_state_council_notice() -> None:
    """2026 notice: 元旦 1-1..3, 春节 2-15..23, 清明 4-4..6, 劳动节 5-1..5, 端午 6-19..21,
    中秋 9-25..27, 国庆 10-1..7. Every statutory day is a day off in the package's schedule."""
    days = {day.date: day.name for day in statutory_days(2026)}
    calendar = BusinessCalendar.from_package([2026])

    assert days == {
        date(2026, 1, 1): "元旦",
        date(2026, 2, 16): "春节",  # 除夕
        date(2026, 2, 17): "春节",  # 正月初一
        date(2026, 2, 18): "春节",
        date(2026, 2, 19): "春节",
        date(2026, 4, 5): "清明节",
        date(2026, 5, 1): "劳动节",
        date(2026, 5, 2): "劳动节",
        date(2026, 6, 19): "端午节",
        date(2026, 9, 25): "中秋节",
        date(2026, 10, 1): "国庆节",
        date(2026, 10, 2): "国庆节",
        date(2026, 10, 3): "国庆节",
    }
    assert not any(calendar.is_workday(day) for day in days)


@pytest.mark.parametrize("year", range(2008, 2027))
def test_every_statutory_day_is_off_in_the_official_schedule(year: int) -> None:
    calendar = BusinessCalendar.from_package([year])
    days = statutory_days(year)

    assert not [day.date for day in days if calendar.is_workday(day.date)]
    counted = sum(len(day.name.split("、")) for day in days)
    assert counted == (13 if year >= 2025 else 11) + (year == 2015)  # 2015-09-03 once


def test_the_rules_of_2008_give_new_years_eve_and_two_days_of_spring_festival() -> None:
    # 2013: 正月初一 is 2-10; 除夕 2-09, 初一, 初二 statutory.
    assert _days(2013, "春节") == [date(2013, 2, 9), date(2013, 2, 10), date(2013, 2, 11)]
    assert _days(2013, "劳动节") == [date(2013, 5, 1)]


def test_mid_autumn_on_national_day_is_one_statutory_date_with_both_names() -> None:
    days = {day.date: day.name for day in statutory_days(2020)}

    assert days[date(2020, 10, 1)] == "中秋节、国庆节"
    assert len(days) == 10


def test_a_statutory_day_on_a_weekend_stays_statutory() -> None:
    """2025 端午 falls on Saturday 5-31 (5-31..6-02 off): 5-31 is statutory, worked it is
    paid at 300 %; Monday 6-02 given off in its place is a rest day."""
    calendar = BusinessCalendar.from_package([2025])
    statutory = statutory_holidays_between(date(2025, 5, 30), date(2025, 6, 3))
    saturday = ShiftTemplate.parse("白", "09:00-17:00").span_on(date(2025, 5, 31))
    monday = ShiftTemplate.parse("白", "09:00-17:00").span_on(date(2025, 6, 2))

    assert date(2025, 5, 31).weekday() == 5
    assert statutory == {date(2025, 5, 31): "端午节"}
    assert day_kind_hours([saturday], statutory=statutory, calendar=calendar).statutory == 8
    worked_monday = day_kind_hours([monday], statutory=statutory, calendar=calendar)
    assert (worked_monday.statutory, worked_monday.rest_day) == (0, 8)


def test_a_night_shift_puts_its_hours_on_the_dates_they_fall_on() -> None:
    """2026: a 22:00–06:00 night on 9-30 (a workday) puts 6 h on 10-01 (statutory); one on
    10-03 puts 2 h on 10-03 (statutory) and 6 h on 10-04 (bridged: a rest day); a shift on
    make-up workday Saturday 10-10 counts on neither; Sunday 9-27 is a rest day."""
    night = ShiftTemplate.parse("夜", "22:00-06:00")
    day = ShiftTemplate.parse("白", "09:00-17:00")
    calendar = BusinessCalendar.from_package([2026])
    statutory = statutory_holidays_between(date(2026, 9, 1), date(2026, 10, 31))
    spans = [
        night.span_on(date(2026, 9, 30)),
        day.span_on(date(2026, 10, 1)),
        night.span_on(date(2026, 10, 3)),
        day.span_on(date(2026, 10, 10)),
        day.span_on(date(2026, 9, 27)),
    ]

    hours = day_kind_hours(spans, statutory=statutory, calendar=calendar)

    assert hours_by_date(*night.span_on(date(2026, 9, 30))) == {
        date(2026, 9, 30): 2,
        date(2026, 10, 1): 6,
    }
    assert hours.statutory == 6 + 8 + 2
    assert hours.rest_day == 6 + 8


def test_hours_by_date_keeps_the_zone_of_aware_times() -> None:
    shanghai = ZoneInfo("Asia/Shanghai")
    start = datetime(2026, 9, 30, 20, 30, tzinfo=shanghai)

    assert hours_by_date(start, datetime(2026, 10, 1, 4, 30, tzinfo=shanghai)) == {
        date(2026, 9, 30): 3.5,
        date(2026, 10, 1): 4.5,
    }


def test_years_outside_the_rules_and_the_lunar_tables_are_refused_with_the_reason() -> None:
    with pytest.raises(StatutoryRulesUnknown, match="2007"):
        statutory_days(2007)
    with pytest.raises(StatutoryRulesUnknown, match="2099"):
        statutory_days(2100)  # past the lunar tables: a clear refusal, not a crash
    assert statutory_days(2099)[0].name == "元旦"
