"""Arrival forecasts (issue 14): open intervals learned from the history, the Chinese
calendar's days off and make-up days, the backtest by lead time that picks the method, and
80% intervals that hold about 80% of what happens — on synthetic Poisson arrivals whose
true rates the tests know."""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo

import numpy as np
import pytest

from lingting.engine.arrival_days import month_positions, positions_through, read_history
from lingting.engine.arrival_methods import Known, Target, candidate_methods
from lingting.engine.arrivals import (
    ArrivalForecast,
    ArrivalsError,
    WarningKind,
    forecast_arrivals,
)
from lingting.engine.calendars import BusinessCalendar

BEIJING = timezone(timedelta(hours=8))
Rate = Callable[[date, time], float | None]  # expected calls; None: closed then
History = list[tuple[datetime, float]]


def arrivals(
    first: date, last: date, rate: Rate, *, step: int = 15, seed: int = 7, tz: tzinfo | None = None
) -> History:
    """Poisson counts for every open interval of `step` minutes from `first` to `last`."""
    rng = np.random.default_rng(seed)
    rows: History = []
    for offset in range((last - first).days + 1):
        day = first + timedelta(days=offset)
        for minutes in range(0, 24 * 60, step):
            clock = time(minutes // 60, minutes % 60)
            expected = rate(day, clock)
            if expected is not None:
                rows.append((datetime.combine(day, clock, tzinfo=tz), float(rng.poisson(expected))))
    return rows


def office(calls: float, *, opens: int = 9, closes: int = 17) -> Rate:
    """`calls` per interval, Monday to Friday, from `opens` to `closes` o'clock."""

    def rate(day: date, clock: time) -> float | None:
        return calls if day.weekday() < 5 and opens <= clock.hour < closes else None

    return rate


def days_of(result: ArrivalForecast) -> list[date]:
    return sorted({row.start.date() for row in result.rows})


def clocks_on(result: ArrivalForecast, day: date) -> list[time]:
    return [row.start.time() for row in result.rows if row.start.date() == day]


# --- which days and intervals are open ---------------------------------------------------


def test_open_intervals_are_learned_per_weekday_from_recent_weeks() -> None:
    # Four weeks from Monday 2026-03-02: 09:00–17:00, Fridays to 12:00; the last two
    # Wednesdays stay open to 18:00 (new hours); one Tuesday logged nothing at 10:00; one
    # stray call was logged on a Saturday.
    def rate(day: date, clock: time) -> float | None:
        if day == date(2026, 3, 7):
            return 3.0 if clock == time(10) else None
        if day == date(2026, 3, 10) and clock == time(10):
            return None
        closes = {4: 12, 2: 18 if day >= date(2026, 3, 18) else 17}.get(day.weekday(), 17)
        return office(20.0, closes=closes)(day, clock)

    history = arrivals(date(2026, 3, 2), date(2026, 3, 27), rate)

    result = forecast_arrivals(
        history, first=date(2026, 3, 30), last=date(2026, 4, 5), calendar=None
    )

    assert days_of(result) == [date(2026, 3, 30) + timedelta(days=n) for n in range(5)]
    assert len(clocks_on(result, date(2026, 3, 30))) == 32  # Monday 09:00–17:00
    assert time(10) in clocks_on(result, date(2026, 3, 31))  # one missing row closes nothing
    assert clocks_on(result, date(2026, 4, 1))[-1] == time(17, 45)  # Wednesday's new hours
    assert clocks_on(result, date(2026, 4, 3))[-1] == time(11, 45)  # Friday to 12:00


def test_a_holiday_is_closed_and_a_makeup_saturday_worked_like_a_monday() -> None:
    # Mondays open at 08:00, other weekdays at 09:00. In 2026 National Day closes Oct 1–7
    # and Saturday Oct 10 is a make-up workday (调休).
    def rate(day: date, clock: time) -> float | None:
        return office(30.0, opens=8 if day.weekday() == 0 else 9)(day, clock)

    history = arrivals(date(2026, 8, 3), date(2026, 9, 25), rate)
    calendar = BusinessCalendar.from_package([2026])

    result = forecast_arrivals(
        history, first=date(2026, 9, 28), last=date(2026, 10, 11), calendar=calendar
    )

    assert days_of(result) == [
        date(2026, 9, 28),
        date(2026, 9, 29),
        date(2026, 9, 30),
        date(2026, 10, 8),
        date(2026, 10, 9),
        date(2026, 10, 10),
    ]
    assert clocks_on(result, date(2026, 10, 10))[0] == time(8)
    # 2026 is known, so the calendar gives no warning; Mid-Autumn (Friday Sep 25) and
    # National Day are followed by a busier first day, which is said.
    assert len(result.warnings) == 1
    assert result.warnings[0].kind is WarningKind.AFTER_DAYS_OFF
    assert result.warnings[0].days == (date(2026, 9, 28), date(2026, 10, 8))
    assert result.warnings[0].text.startswith("2026-09-28, 2026-10-08: the first open day(s) after")


def test_without_a_calendar_holidays_are_ordinary_days() -> None:
    history = arrivals(date(2026, 8, 3), date(2026, 9, 25), office(30.0))

    result = forecast_arrivals(
        history, first=date(2026, 9, 28), last=date(2026, 10, 11), calendar=None
    )

    assert date(2026, 10, 1) in days_of(result)
    assert date(2026, 10, 10) not in days_of(result)


def test_a_seven_day_center_closes_the_weekend_inside_a_holiday_block() -> None:
    def every_day(day: date, clock: time) -> float | None:
        return 25.0 if 9 <= clock.hour < 12 else None

    history = arrivals(date(2026, 8, 3), date(2026, 9, 27), every_day)
    calendar = BusinessCalendar.from_package([2026])

    result = forecast_arrivals(
        history, first=date(2026, 9, 28), last=date(2026, 10, 11), calendar=calendar
    )

    open_days = days_of(result)
    assert date(2026, 10, 3) not in open_days  # Saturday inside 国庆节 (Oct 1–7)
    assert date(2026, 10, 4) not in open_days
    assert date(2026, 10, 11) in open_days  # an ordinary Sunday after it


def test_a_year_the_calendar_does_not_know_is_a_warning() -> None:
    history = arrivals(date(2026, 11, 2), date(2026, 12, 25), office(30.0))
    calendar = BusinessCalendar.from_package([2026])  # 2027 not published yet

    result = forecast_arrivals(
        history, first=date(2026, 12, 28), last=date(2027, 1, 8), calendar=calendar
    )

    assert len(result.warnings) == 1
    assert result.warnings[0].kind is WarningKind.UNKNOWN_YEARS
    assert result.warnings[0].years == (2027,)
    assert "2027" in result.warnings[0].text
    assert date(2027, 1, 1) in days_of(result)  # unknown, so not closed: and said so


def test_month_positions_count_open_days_from_each_end_of_the_month() -> None:
    september = [date(2026, 9, d) for d in range(1, 31) if date(2026, 9, d).weekday() < 5]

    labels = month_positions(september)

    assert labels[date(2026, 9, 1)] == "s1"
    assert labels[date(2026, 9, 7)] == "s5"  # Monday: the fifth open day
    assert labels[date(2026, 9, 8)] == "mid"
    assert labels[date(2026, 9, 29)] == "e2"
    assert labels[date(2026, 9, 30)] == "e1"


# --- backtest and choice -----------------------------------------------------------------


def turn_of_month_rate(day: date, clock: time) -> float | None:
    """A bank-like queue: 09:00–17:00 on weekdays, a hump at 10–11, Mondays busier, and
    the first five and last two open days of each month much busier."""
    if day.weekday() >= 5 or not 9 <= clock.hour < 17:
        return None
    open_days = [d for d in _month_days(day) if d.weekday() < 5]
    place = open_days.index(day)
    month = 1.4 if place < 5 else 1.2 if place >= len(open_days) - 2 else 1.0
    weekday = (1.25, 1.0, 0.95, 0.95, 1.05)[day.weekday()]
    hour = clock.hour + clock.minute / 60
    shape = 1 + 0.6 * math.exp(-((hour - 10.5) ** 2))
    return 60.0 * weekday * month * shape


def _month_days(day: date) -> list[date]:
    first = day.replace(day=1)
    return [
        first + timedelta(days=n)
        for n in range(31)
        if (first + timedelta(days=n)).month == day.month
    ]


def test_the_backtest_reports_errors_by_lead_day_and_picks_the_model_of_the_process() -> None:
    history = arrivals(date(2026, 1, 5), date(2026, 7, 31), turn_of_month_rate)

    result = forecast_arrivals(
        history, first=date(2026, 8, 3), last=date(2026, 8, 28), calendar=None
    )

    leads = {score.lead_days for score in result.backtest}
    assert {3, 4, 5, 6, 7, 10, 28} <= leads  # history ends on a Friday: lead 3 is Monday
    assert not {1, 2} & leads  # Saturday and Sunday are closed
    assert result.origins == 16
    for band in result.bands:
        assert band.method == "daily_profile_month"
        naive = [w for name, w in band.method_wapes if name.startswith(("last", "mean", "median"))]
        assert band.wape is not None
        assert all(w is not None and band.wape < w for w in naive)
    first_days = [row for row in result.rows if row.start.date() == date(2026, 8, 3)]
    mid_days = [row for row in result.rows if row.start.date() == date(2026, 8, 10)]
    ratio = sum(r.forecast for r in first_days) / sum(r.forecast for r in mid_days)
    assert ratio == pytest.approx(1.4, rel=0.05)  # both Mondays: only the month differs


def test_a_steady_queue_is_forecast_close_to_the_poisson_floor() -> None:
    history = arrivals(date(2025, 10, 6), date(2026, 3, 27), office(40.0))

    result = forecast_arrivals(
        history, first=date(2026, 3, 30), last=date(2026, 4, 24), calendar=None
    )

    # Even knowing the true rate (40), Poisson chance leaves E|X − 40| / 40 of error.
    floor = poisson_mean_absolute_deviation(40.0) / 40.0
    chosen = result.bands[1]  # leads 3–7
    assert chosen.method == "daily_profile"  # pooling a week beats same-weekday averages
    assert chosen.wape is not None
    assert chosen.wape < 1.08 * floor
    by_name = dict(chosen.method_wapes)
    assert by_name["last_week"] is not None
    assert by_name["last_week"] > 1.3 * floor


def poisson_mean_absolute_deviation(mean: float) -> float:
    return sum(abs(k - mean) * poisson_pmf(k, mean) for k in range(int(mean * 4)))


def poisson_pmf(k: int, mean: float) -> float:
    return math.exp(k * math.log(mean) - mean - math.lgamma(k + 1))


def poisson_quantile(p: float, mean: float) -> int:
    total, k = 0.0, 0
    while True:
        total += poisson_pmf(k, mean)
        if total >= p:
            return k
        k += 1


# --- intervals ---------------------------------------------------------------------------


def test_eighty_percent_intervals_hold_about_eighty_percent_of_what_happens() -> None:
    whole = arrivals(date(2026, 1, 5), date(2026, 8, 28), turn_of_month_rate, seed=11)
    history = [(moment, count) for moment, count in whole if moment.date() <= date(2026, 7, 31)]
    future = {moment: count for moment, count in whole if moment.date() > date(2026, 7, 31)}

    result = forecast_arrivals(
        history, first=date(2026, 8, 1), last=date(2026, 8, 28), calendar=None
    )

    assert {row.start for row in result.rows} == set(future)
    inside = [row.lower <= future[row.start] <= row.upper for row in result.rows]
    assert 0.75 <= sum(inside) / len(inside) <= 0.86


def test_an_interval_is_never_narrower_than_poisson_chance() -> None:
    history = arrivals(date(2026, 1, 5), date(2026, 3, 27), office(100.0))

    result = forecast_arrivals(
        history, first=date(2026, 3, 30), last=date(2026, 4, 3), calendar=None
    )

    for row in result.rows:
        assert row.lower <= poisson_quantile(0.1, row.forecast) + 0.5
        assert row.upper >= poisson_quantile(0.9, row.forecast) - 0.5


def test_a_quiet_queue_is_never_forecast_below_zero() -> None:
    history = arrivals(date(2026, 1, 5), date(2026, 3, 27), office(0.3))

    result = forecast_arrivals(
        history, first=date(2026, 3, 30), last=date(2026, 4, 24), calendar=None
    )

    assert result.rows
    assert all(0 <= row.lower <= row.forecast <= row.upper for row in result.rows)
    assert any(row.upper >= 1 for row in result.rows)


# --- clocks, intervals and refusals ------------------------------------------------------


def test_five_minute_rows_add_up_to_fifteen_minute_intervals() -> None:
    history = arrivals(date(2026, 1, 5), date(2026, 3, 27), office(10.0), step=5)

    result = forecast_arrivals(
        history, first=date(2026, 3, 30), last=date(2026, 4, 3), calendar=None
    )

    assert clocks_on(result, date(2026, 3, 30))[:2] == [time(9), time(9, 15)]
    mean = sum(row.forecast for row in result.rows) / len(result.rows)
    assert mean == pytest.approx(30.0, rel=0.03)


def test_times_stay_on_the_history_clock() -> None:
    shanghai = arrivals(date(2026, 1, 5), date(2026, 2, 27), office(20.0), tz=BEIJING)
    # The same history, its second half exported in UTC: read on the clock of the latest.
    mixed = [
        (moment.astimezone(UTC) if moment.date() > date(2026, 2, 1) else moment, count)
        for moment, count in shanghai
    ]

    local = forecast_arrivals(
        shanghai, first=date(2026, 3, 2), last=date(2026, 3, 2), calendar=None
    )
    utc = forecast_arrivals(mixed, first=date(2026, 3, 2), last=date(2026, 3, 6), calendar=None)

    assert local.rows[0].start == datetime(2026, 3, 2, 9, tzinfo=BEIJING)
    assert local.rows[0].start.utcoffset() == timedelta(hours=8)
    assert utc.rows[0].start.utcoffset() == timedelta(0)
    assert utc.rows[0].start.time() == time(1)  # 09:00 in Beijing is 01:00 UTC


def test_short_histories_are_forecast_and_said_to_be_untested() -> None:
    history = arrivals(date(2026, 3, 16), date(2026, 3, 25), office(20.0))

    result = forecast_arrivals(
        history, first=date(2026, 3, 26), last=date(2026, 3, 27), calendar=None
    )

    assert len(result.rows) == 64
    assert result.origins == 0
    assert {row.method for row in result.rows} == {"same_weekday_mean"}
    assert any(w.kind is WarningKind.TOO_SHORT_TO_BACKTEST for w in result.warnings)
    assert any("too few to backtest" in warning.text for warning in result.warnings)


@pytest.mark.parametrize(
    ("first", "last", "interval", "reason"),
    [
        (date(2026, 3, 27), date(2026, 4, 3), 15, "must start after the history's last day"),
        (date(2026, 4, 3), date(2026, 3, 30), 15, "ends (2026-03-30) before it starts"),
        (date(2026, 3, 30), date(2026, 4, 3), 7, "divides a day"),
        (date(2026, 3, 30), date(2026, 4, 3), 0, "divides a day"),
    ],
)
def test_requests_that_cannot_be_forecast_are_refused_with_a_reason(
    first: date, last: date, interval: int, reason: str
) -> None:
    history = arrivals(date(2026, 3, 2), date(2026, 3, 27), office(20.0))

    with pytest.raises(ArrivalsError, match=re.escape(reason)):
        forecast_arrivals(history, first=first, last=last, interval_minutes=interval, calendar=None)


def test_a_tiny_pools_scattered_half_hour_rows_are_not_read_as_coarse_rows() -> None:
    # A Tibetan pool's few calls a day: half-hourly rows, but only at 09:00, 14:30 and 20:00,
    # 330 minutes apart; their minutes from midnight say half hours, so half hours it is.
    history = [
        (datetime.combine(date(2026, 3, 2) + timedelta(days=offset), clock), 1.0)
        for offset in range(28)
        for clock in (time(9), time(14, 30), time(20))
    ]

    result = forecast_arrivals(
        history, first=date(2026, 3, 30), last=date(2026, 3, 30), interval_minutes=30, calendar=None
    )

    assert clocks_on(result, date(2026, 3, 30)) == [time(9), time(14, 30), time(20)]


def test_hourly_rows_are_not_spread_over_quarter_hours() -> None:
    history = arrivals(date(2026, 3, 2), date(2026, 3, 27), office(80.0), step=60)

    with pytest.raises(ArrivalsError, match="counts per 60 minutes"):
        forecast_arrivals(history, first=date(2026, 3, 30), last=date(2026, 4, 3), calendar=None)

    hourly = forecast_arrivals(
        history, first=date(2026, 3, 30), last=date(2026, 4, 3), interval_minutes=60, calendar=None
    )
    assert len(hourly.rows) == 5 * 8


def test_a_history_mixing_local_and_offset_times_is_refused() -> None:
    history = arrivals(date(2026, 3, 2), date(2026, 3, 27), office(20.0))
    history.append((datetime(2026, 3, 27, 17, tzinfo=BEIJING), 4.0))

    with pytest.raises(ArrivalsError, match="mixes times with and without a UTC offset"):
        forecast_arrivals(history, first=date(2026, 3, 30), last=date(2026, 4, 3), calendar=None)


def test_the_day_after_a_closure_does_not_teach_a_busier_weekday() -> None:
    # Three Mondays closed in the last eight weeks; each following Tuesday takes twice the
    # calls (Monday's too). Ordinary Tuesdays stay at 40 calls an interval.
    closed = {date(2026, 4, 6), date(2026, 4, 20), date(2026, 5, 4)}

    def rate(day: date, clock: time) -> float | None:
        if day in closed:
            return None
        busier = 2.0 if day - timedelta(days=1) in closed else 1.0
        return office(40.0 * busier)(day, clock)

    history = arrivals(date(2026, 1, 5), date(2026, 5, 15), rate)

    result = forecast_arrivals(
        history, first=date(2026, 5, 19), last=date(2026, 5, 19), calendar=None
    )

    mean = sum(row.forecast for row in result.rows) / len(result.rows)
    assert mean == pytest.approx(40.0, rel=0.04)


# --- the latest day carried over to short leads ------------------------------------------


def ar_day_effects(first: date, last: date, phi: float, *, seed: int) -> dict[date, float]:
    """An AR(1) deviation of each weekday's log total (innovations of sd 0.08), Mondays
    following Fridays as the next open day."""
    rng = np.random.default_rng(seed)
    effects: dict[date, float] = {}
    previous = 0.0
    for offset in range((last - first).days + 1):
        day = first + timedelta(days=offset)
        if day.weekday() < 5:
            previous = phi * previous + rng.normal(0.0, 0.08)
            effects[day] = previous
    return effects


def office_with(effects: dict[date, float], *, calls: float = 200.0) -> Rate:
    def rate(day: date, clock: time) -> float | None:
        base = office(calls)(day, clock)
        return None if base is None else base * math.exp(effects[day])

    return rate


def actual_total(history: History, day: date) -> float:
    return sum(count for moment, count in history if moment.date() == day)


def fitted_totals(
    history: History, name: str, days: list[date], calendar: BusinessCalendar | None = None
) -> list[float]:
    """The day totals method `name` forecasts for `days`, fitted on the whole history."""
    read = read_history(history, interval_minutes=15, calendar=calendar)
    known = Known(masks=read.rules.masks, positions=positions_through(read, max(days)))
    method = next(m for m in candidate_methods(read.table) if m.name == name)
    predict = method.fit(read.table, known)
    kinds = [read.rules.kind_of(day) for day in days]
    targets = [
        Target(day, kind, known.positions[day])
        for day, kind in zip(days, kinds, strict=True)
        if kind is not None
    ]
    return [float(predict(target).sum()) for target in targets]


LAST_DAY = date(2026, 6, 24)  # a Wednesday: leads 1 and 2 are Thursday and Friday
FIRST_DAY = LAST_DAY - timedelta(weeks=40) + timedelta(days=3)  # a Monday


def test_the_latest_days_deviation_carries_into_short_leads_as_phi_to_the_lead() -> None:
    # Day totals with an AR(1) deviation, φ = 0.7; then four quiet weeks at the level, and
    # the last three days 20% above it.
    effects = ar_day_effects(FIRST_DAY, LAST_DAY, 0.7, seed=3)
    for back in range(4 * 7):
        day = LAST_DAY - timedelta(days=back)
        if day in effects:
            effects[day] = math.log(1.2) if back < 3 else 0.0
    history = arrivals(FIRST_DAY, LAST_DAY, office_with(effects))
    days = [LAST_DAY, *(LAST_DAY + timedelta(days=n) for n in (1, 2, 5, 30))]  # 5: Monday

    plain = fitted_totals(history, "daily_profile", days)
    carried = fitted_totals(history, "daily_profile_ar", days)

    # What the process itself expects: 1.2^(0.7^h) times the level (200 calls × 32
    # intervals), 0.7× and 0.49× of the deviation carried into the next two open days.
    level = 200.0 * 32
    assert carried[1] == pytest.approx(level * 1.2**0.7, rel=0.02)
    assert carried[2] == pytest.approx(level * 1.2**0.49, rel=0.02)
    # The model's 4-week level has already taken some of the last days in (the plain model
    # is above 1.0×), so what is carried is a share φ^h of the last day's deviation from
    # that level, with φ fitted somewhat under the process's 0.7.
    deviation = math.log(actual_total(history, LAST_DAY) / plain[0])
    shares = [math.log(c / p) / deviation for c, p in zip(carried[1:4], plain[1:4], strict=True)]
    phi = shares[0]
    assert 0.5 < phi < 0.7
    assert shares[1:] == pytest.approx([phi**2, phi**3])  # Monday is the third open day on
    assert plain[1] == pytest.approx(level * 1.03, rel=0.02)
    assert carried[4] == plain[4]  # a month on, nothing is left: the plain model


def test_a_history_without_autocorrelation_carries_nothing_over() -> None:
    effects = ar_day_effects(FIRST_DAY, LAST_DAY, 0.0, seed=5)
    history = arrivals(FIRST_DAY, LAST_DAY, office_with(effects))
    days = [LAST_DAY + timedelta(days=n) for n in (1, 2, 5)]

    plain = fitted_totals(history, "daily_profile", days)
    carried = fitted_totals(history, "daily_profile_ar", days)

    assert carried == plain  # φ is fitted at 0


def test_a_deviation_fades_through_the_days_a_holiday_closes() -> None:
    # Deviations of φ = 0.8 to Wednesday 2026-09-30, its last day 50% busier; National Day
    # closes Oct 1–7 (five weekdays), so Thursday Oct 8 is the sixth day the week would have
    # opened, and the make-up Saturday Oct 10 the eighth.
    last = date(2026, 9, 30)
    effects = ar_day_effects(last - timedelta(weeks=40) + timedelta(days=5), last, 0.8, seed=3)
    effects[last] = math.log(1.5)
    history = arrivals(min(effects), last, office_with(effects))
    calendar = BusinessCalendar.from_package([2025, 2026])
    days = [last, date(2026, 10, 8), date(2026, 10, 9), date(2026, 10, 10)]

    plain = fitted_totals(history, "daily_profile", days, calendar)
    carried = fitted_totals(history, "daily_profile_ar", days, calendar)

    deviation = math.log(actual_total(history, last) / plain[0])
    logs = [math.log(c / p) for c, p in zip(carried[1:], plain[1:], strict=True)]
    phi = logs[1] / logs[0]
    assert 0.6 < phi < 0.8  # fitted, for a process of 0.8
    assert logs[0] == pytest.approx(phi**6 * deviation)
    assert logs[2] == pytest.approx(phi * logs[1])  # the make-up Saturday: one step on


def test_the_backtest_carries_the_latest_day_over_for_short_leads_only() -> None:
    effects = ar_day_effects(FIRST_DAY, LAST_DAY, 0.7, seed=3)
    history = arrivals(FIRST_DAY, LAST_DAY, office_with(effects))

    result = forecast_arrivals(
        history, first=LAST_DAY + timedelta(days=1), last=LAST_DAY + timedelta(weeks=4),
        calendar=None,
    )  # fmt: skip

    by_band = {band.label: band for band in result.bands}
    short = by_band["1–2"]
    assert short.tested
    assert short.method.endswith("_ar")
    at_lead_one = {score.method: score.wape for score in result.backtest if score.lead_days == 1}
    plain = "daily_profile_month" if short.method == "daily_month_ar" else "daily_profile"
    carried, without = at_lead_one[short.method], at_lead_one[plain]
    assert carried is not None
    assert without is not None
    assert carried < 0.93 * without  # a day ahead, the latest day saves 7% of the error and more
    assert not by_band["15–28"].method.endswith("_ar")  # far ahead nothing is carried over
    lead_one = [row for row in result.rows if row.lead_days == 1]
    assert lead_one
    assert all(row.method == short.method for row in lead_one)
