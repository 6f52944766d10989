"""Statutory holidays (法定节假日) apart from the other days off, and hours worked on each kind.

The business calendar (`lingting.engine.calendars`) knows which dates are off and which
weekend days are worked (调休), not which days off are *statutory*. Pay turns on it
(《劳动法》第四十四条, 《工资支付暂行规定》第十三条): work on a statutory holiday is paid at
300 % and no time off replaces the pay; work on a rest day is paid at 200 % unless time off
is given instead. The days off that a holiday block borrows (2026-10-04..07 of 国庆节) are
rest days moved by 调休, not statutory ones.

Statutory days follow 《全国年节及纪念日放假办法》 and its revisions, each effective 1 January:

- **2008** (国务院令第513号): 元旦 1-1; 春节 除夕, 正月初一, 初二; 清明节 (the day of the
  清明 solar term); 劳动节 5-1; 端午节 (五月初五); 中秋节 (八月十五); 国庆节 10-1..3: 11 days.
- **2014** (国务院令第644号): 春节 becomes 正月初一..初三: still 11 days.
- **2025** (国务院令第795号): 春节 除夕 and 正月初一..初三, 劳动节 5-1..2: 13 days.

A statutory day that falls on a weekend stays statutory (worked, it is paid at 300 %); the
weekday given off in its place is a rest day. The lunar dates come from ``lunardate``, the
清明 term from ``chinese_calendar``. When 中秋节 falls on a 国庆节 date (2020-10-01) the date
is one statutory day with both names. Years before 2008 ran under other rules and raise.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import chinese_calendar
from lunardate import LunarDate

from lingting.engine.calendars import BusinessCalendar

FIRST_YEAR = 2008  # the first year under the rules above
LAST_YEAR = 2099  # the last year the lunar tables (lunardate: 1900–2099) reach
SPRING_FESTIVAL_WITHOUT_EVE = 2014  # 2014–2024: 正月初一..初三
THIRTEEN_DAYS = 2025  # from 2025: 除夕 back, 劳动节 two days
DAY = timedelta(days=1)
HOUR = timedelta(hours=1)

# Days the State Council made statutory once, outside the 办法: 2015-09-03 was a national day
# off for the 70th anniversary of the victory over Japan, and the labour ministry paid work
# on it as on a statutory holiday.
ONE_OFF: dict[date, str] = {date(2015, 9, 3): "抗战胜利70周年纪念日"}


class StatutoryRulesUnknown(ValueError):
    """A year before the 2008 rules, or past the lunar tables: not computed here."""


def statutory_known(year: int) -> bool:
    """Whether `year`'s statutory holidays can be computed (2008 to 2099)."""
    return FIRST_YEAR <= year <= LAST_YEAR


@dataclass(frozen=True, slots=True)
class StatutoryDay:
    date: date
    name: str  # 元旦, 春节, 清明节, 劳动节, 端午节, 中秋节, 国庆节; two joined: 国庆节、中秋节


def statutory_days(year: int) -> list[StatutoryDay]:
    """The statutory holidays of `year`, by date (11 days 2008–2024, 13 from 2025; 10 dates
    in a year when 中秋节 falls on 10-01..03)."""
    if year < FIRST_YEAR:
        raise StatutoryRulesUnknown(
            f"statutory holidays are computed from the 2008 rules on; {year} ran under "
            "older ones (劳动节 and 国庆节 3 days each, no 清明, 端午 or 中秋)"
        )
    if year > LAST_YEAR:
        raise StatutoryRulesUnknown(
            f"statutory holidays are computed up to {LAST_YEAR}, the end of the lunar tables"
        )
    names: dict[date, list[str]] = {}
    for day, name in _festivals(year):
        names.setdefault(day, []).append(name)
    return [StatutoryDay(day, "、".join(names[day])) for day in sorted(names)]


def statutory_holidays_between(first: date, last: date) -> dict[date, str]:
    """Statutory date → its name, from `first` to `last` inclusive."""
    return {
        holiday.date: holiday.name
        for year in range(first.year, last.year + 1)
        for holiday in statutory_days(year)
        if first <= holiday.date <= last
    }


def _festivals(year: int) -> list[tuple[date, str]]:
    new_year = LunarDate(year, 1, 1).to_solar_date()
    spring: tuple[int, ...]  # days from 正月初一
    if year < SPRING_FESTIVAL_WITHOUT_EVE:
        spring = (-1, 0, 1)  # 除夕, 初一, 初二
    elif year < THIRTEEN_DAYS:
        spring = (0, 1, 2)  # 初一..初三
    else:
        spring = (-1, 0, 1, 2)  # 除夕, 初一..初三
    labour = 2 if year >= THIRTEEN_DAYS else 1
    return [
        (date(year, 1, 1), "元旦"),
        *((new_year + DAY * offset, "春节") for offset in spring),
        (_qingming(year), "清明节"),
        *((date(year, 5, 1 + n), "劳动节") for n in range(labour)),
        (LunarDate(year, 5, 5).to_solar_date(), "端午节"),
        (LunarDate(year, 8, 15).to_solar_date(), "中秋节"),
        *((date(year, 10, 1 + n), "国庆节") for n in range(3)),
        *((day, name) for day, name in ONE_OFF.items() if day.year == year),
    ]


def _qingming(year: int) -> date:
    """The day of the 清明 solar term (4 or 5 April)."""
    terms: list[tuple[date, str]] = chinese_calendar.get_solar_terms(
        date(year, 4, 1), date(year, 4, 30)
    )
    return next(day for day, name in terms if name == "清明")


def hours_by_date(start: datetime, end: datetime) -> dict[date, float]:
    """Clock hours from `start` to `end` on each date they fall on: a 22:00–06:00 night of
    09-30 gives 2 h to 09-30 and 6 h to 10-01. Pass local times (naive or in one zone)."""
    hours: dict[date, float] = {}
    day = start.date()
    while datetime.combine(day, time(), tzinfo=start.tzinfo) < end:
        day_start = datetime.combine(day, time(), tzinfo=start.tzinfo)
        worked = min(end, day_start + DAY) - max(start, day_start)
        if worked > timedelta(0):
            hours[day] = worked / HOUR
        day += DAY
    return hours


@dataclass(frozen=True, slots=True)
class DayKindHours:
    """Hours worked on statutory holidays (300 %) and on rest days (200 % or time off)."""

    statutory: float = 0.0
    rest_day: float = 0.0


def day_kind_hours(
    spans: Iterable[tuple[datetime, datetime]],
    *,
    statutory: Mapping[date, str] | frozenset[date],
    calendar: BusinessCalendar,
) -> DayKindHours:
    """The clock hours of `spans` (shifts, local times) on statutory holidays and on rest
    days: weekends and days off that are not statutory (a holiday block's bridged days), a
    make-up workday (调休) counting as a workday. Each hour counts on the date it falls on."""
    on_statutory = on_rest_day = 0.0
    for start, end in spans:
        for day, hours in hours_by_date(start, end).items():
            if day in statutory:
                on_statutory += hours
            elif not calendar.is_workday(day):
                on_rest_day += hours
    return DayKindHours(statutory=on_statutory, rest_day=on_rest_day)
