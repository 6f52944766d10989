"""SLA deadlines, warning points and pauses on the official 2026 calendar."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lingting.engine.calendars import BusinessCalendar, WorkingHours
from lingting.engine.sla import (
    Clock,
    Pause,
    SlaPolicy,
    deadline,
    elapsed_share,
    warning_points,
    workdays,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")
CAL = BusinessCalendar.from_package([2025, 2026])
OFFICE = WorkingHours.office()
TWO_OFFICE_DAYS = SlaPolicy(Clock.BUSINESS, workdays(2, hours=OFFICE))


def at(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=SHANGHAI)


def due(
    started: datetime,
    policy: SlaPolicy = TWO_OFFICE_DAYS,
    *,
    pauses: Sequence[Pause] = (),
    now: datetime | None = None,
) -> datetime:
    return deadline(started, policy, calendar=CAL, hours=OFFICE, pauses=pauses, now=now)


def test_two_office_days_are_fifteen_working_hours() -> None:
    assert TWO_OFFICE_DAYS.limit == timedelta(hours=15)


def test_two_business_days_from_the_eve_of_national_day_end_on_friday_october_9() -> None:
    """Wed 09-30 10:00: 6h left that day (10–12, 13:30–17:30); 10-01..07 are off;
    Thu 10-08 gives 7.5h (13.5h in all); the last 1.5h end Fri 10-09 at 08:30 + 1:30 = 10:00.
    """
    assert due(at(2026, 9, 30, 10)) == at(2026, 10, 9, 10)


def test_two_business_days_from_friday_october_9_run_through_the_make_up_saturday() -> None:
    """Fri 10-09 10:00: 6h on Friday, 7.5h on the make-up Saturday 10-10, the last 1.5h on
    Monday 10-12 until 10:00 (not Tuesday, as a plain weekend would give)."""
    assert due(at(2026, 10, 9, 10)) == at(2026, 10, 12, 10)


def test_the_make_up_sunday_before_national_day_is_a_workday() -> None:
    """Fri 09-18 16:30: 1h Friday, Sunday 09-20 is worked (7.5h), 6.5h on Monday 09-21."""
    assert due(at(2026, 9, 18, 16, 30)) == at(2026, 9, 21, 16, 30)


def test_two_business_days_across_spring_festival() -> None:
    """Fri 02-13 10:00: 6h Friday, Saturday 02-14 is a make-up workday (7.5h); 02-15..23 off;
    the last 1.5h on Tuesday 02-24 until 10:00."""
    assert due(at(2026, 2, 13, 10)) == at(2026, 2, 24, 10)


def test_two_business_days_over_an_ordinary_weekend() -> None:
    """Fri 11-20 10:00: Friday and Monday, ending Tuesday 11-24 at 10:00."""
    assert due(at(2026, 11, 20, 10)) == at(2026, 11, 24, 10)


def test_a_natural_clock_ignores_holidays_and_hours() -> None:
    policy = SlaPolicy(Clock.NATURAL, timedelta(hours=24))

    assert due(at(2026, 9, 30, 10), policy) == at(2026, 10, 1, 10)


def test_warning_points_are_the_shares_of_the_limit_then_the_deadline() -> None:
    """15 working hours from Mon 11-23 08:30: 50% (7.5h) is Monday 17:30; 80% (12h) is 4.5h
    into Tuesday: 08:30 + 3.5h = 12:00, then 1h after lunch = 14:30; 100% Tuesday 17:30."""
    points = warning_points(at(2026, 11, 23, 8, 30), TWO_OFFICE_DAYS, calendar=CAL, hours=OFFICE)

    assert points == [
        (0.5, at(2026, 11, 23, 17, 30)),
        (0.8, at(2026, 11, 24, 14, 30)),
        (1.0, at(2026, 11, 24, 17, 30)),
    ]


def test_a_pause_pushes_the_deadline_by_the_working_time_it_covered() -> None:
    """Paused Mon 11-23 10:00–Wed 11-25 10:00 on office hours: 15h of working time paused."""
    started = at(2026, 11, 23, 8, 30)
    pause = (at(2026, 11, 23, 10), at(2026, 11, 25, 10))

    assert due(started, pauses=[pause]) == at(2026, 11, 26, 17, 30)


def test_a_pause_over_a_weekend_costs_nothing_on_the_business_clock() -> None:
    started = at(2026, 11, 20, 10)

    assert due(started, pauses=[(at(2026, 11, 21, 9), at(2026, 11, 22, 18))]) == due(started)


def test_a_pause_after_the_deadline_does_not_move_it() -> None:
    started = at(2026, 11, 23, 8, 30)

    assert due(started, pauses=[(at(2026, 11, 30, 9), at(2026, 12, 1, 9))]) == due(started)


def test_an_open_pause_lasts_until_now_so_the_deadline_moves_while_it_lasts() -> None:
    started = at(2026, 11, 23, 8, 30)
    pauses: list[Pause] = [(at(2026, 11, 23, 9, 30), None)]

    # 1h used by 09:30; resumed Mon 11:30, 14h remain: 4.5h Monday, 7.5h Tuesday, 2h Wednesday
    assert due(started, pauses=pauses, now=at(2026, 11, 23, 11, 30)) == at(2026, 11, 25, 10, 30)
    # resumed Tue 08:30: 7.5h Tuesday, then Wednesday 08:30 + 6.5h (lunch skipped) = 16:30
    assert due(started, pauses=pauses, now=at(2026, 11, 24, 8, 30)) == at(2026, 11, 25, 16, 30)


def test_elapsed_share_stops_while_paused_and_passes_one_when_overdue() -> None:
    started = at(2026, 11, 23, 8, 30)
    pauses: list[Pause] = [(at(2026, 11, 23, 9, 30), None)]

    def share(now: datetime, pauses: list[Pause]) -> float:
        return elapsed_share(
            started, now, TWO_OFFICE_DAYS, calendar=CAL, hours=OFFICE, pauses=pauses
        )

    assert share(at(2026, 11, 23, 8), []) == 0
    assert share(at(2026, 11, 23, 9, 30), pauses) == pytest.approx(1 / 15)
    assert share(at(2026, 11, 27, 9, 30), pauses) == pytest.approx(1 / 15)
    assert share(at(2026, 11, 25, 17, 30), []) == pytest.approx(1.5)


def test_a_policy_needs_a_positive_limit_and_warnings_inside_it() -> None:
    with pytest.raises(ValueError, match="positive"):
        SlaPolicy(Clock.BUSINESS, timedelta(0))
    with pytest.raises(ValueError, match="between 0 and 1"):
        SlaPolicy(Clock.BUSINESS, timedelta(hours=1), warn_at=(0.5, 1.2))


def test_a_clock_stored_as_text_is_read_back() -> None:
    assert Clock("business") is Clock.BUSINESS


# --- properties -------------------------------------------------------------------------

moments = st.datetimes(
    min_value=datetime(2025, 12, 1), max_value=datetime(2026, 12, 31), timezones=st.just(SHANGHAI)
)
limits = st.timedeltas(min_value=timedelta(minutes=1), max_value=timedelta(hours=120))
clocks = st.sampled_from(list(Clock))
pause_lists = st.lists(
    st.tuples(moments, st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=10))).map(
        lambda pair: (pair[0], pair[0] + pair[1])
    ),
    max_size=4,
)


@given(moments, moments, limits, clocks)
def test_deadlines_are_monotone_in_the_start(
    first: datetime, second: datetime, limit: timedelta, clock: Clock
) -> None:
    early, late = sorted([first, second])
    policy = SlaPolicy(clock, limit)

    assert due(early, policy) <= due(late, policy)


@given(moments, limits, limits, clocks)
def test_deadlines_are_monotone_in_the_limit(
    started: datetime, first: timedelta, second: timedelta, clock: Clock
) -> None:
    short, long = sorted([first, second])

    assert due(started, SlaPolicy(clock, short)) <= due(started, SlaPolicy(clock, long))


@given(moments, limits)
def test_a_natural_clock_ignores_the_calendar(started: datetime, limit: timedelta) -> None:
    policy = SlaPolicy(Clock.NATURAL, limit)
    closed = BusinessCalendar(holidays=CAL.holidays, workdays=frozenset(), years=CAL.years)

    assert due(started, policy) == started + limit
    assert deadline(started, policy, calendar=closed, hours=WorkingHours.around_the_clock()) == (
        started + limit
    )


@given(moments, limits, clocks, pause_lists)
def test_pauses_never_shorten_a_deadline(
    started: datetime,
    limit: timedelta,
    clock: Clock,
    pauses: list[Pause],
) -> None:
    policy = SlaPolicy(clock, limit)

    assert due(started, policy, pauses=pauses) >= due(started, policy)


@given(moments, limits, clocks, pause_lists)
def test_at_the_deadline_exactly_the_whole_limit_is_used(
    started: datetime,
    limit: timedelta,
    clock: Clock,
    pauses: list[Pause],
) -> None:
    policy = SlaPolicy(clock, limit)
    end = due(started, policy, pauses=pauses)

    share = elapsed_share(started, end, policy, calendar=CAL, hours=OFFICE, pauses=pauses)

    assert share == pytest.approx(1.0)


@given(moments, limits, clocks, pause_lists)
def test_warning_points_come_in_order_and_end_with_the_deadline(
    started: datetime,
    limit: timedelta,
    clock: Clock,
    pauses: list[Pause],
) -> None:
    policy = SlaPolicy(clock, limit)
    points = warning_points(started, policy, calendar=CAL, hours=OFFICE, pauses=pauses)

    assert [share for share, _ in points] == [0.5, 0.8, 1.0]
    assert [moment for _, moment in points] == sorted(moment for _, moment in points)
    assert points[-1][1] == due(started, policy, pauses=pauses)
