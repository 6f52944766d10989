"""The intraday day by hand: calls against the forecast, the re-forecast of the rest of the day
and its band, and adherence and conformance of agents against a roster with a break."""

from __future__ import annotations

import math
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lingting.engine.arrivals import Z_80
from lingting.engine.intraday import (
    AdherenceException,
    PlannedInterval,
    ScheduledShift,
    adherence,
    day_handling,
    interval_agents,
    intraday_day,
    totals_by,
)
from lingting.engine.occupancy import StateEvent

SHANGHAI = ZoneInfo("Asia/Shanghai")
DAY = date(2026, 10, 12)
HALF_HOUR = timedelta(minutes=30)


def at(hour: int, minute: int = 0, *, day: date = DAY) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=SHANGHAI)


def planned(forecast: float, sd: float, start: datetime) -> PlannedInterval:
    """An interval whose 80% band is ±Z_80 standard deviations of `sd`."""
    return PlannedInterval(start, forecast, forecast - Z_80 * sd, forecast + Z_80 * sd)


# Four half hours from 09:00 forecast 10, 20, 30, 40 calls (100 in the day), sd 3, 4, 6, 8.
MORNING = [
    planned(10, 3, at(9)),
    planned(20, 4, at(9, 30)),
    planned(30, 6, at(10)),
    planned(40, 8, at(10, 30)),
]


def test_a_busy_morning_scales_the_rest_of_the_day_with_credibility() -> None:
    # κ = 0.1 (CREDIBILITY_KAPPA, chosen by benchmarks/intraday_reforecast.py).
    # At 10:00 the 09:00 and 09:30 half hours are over: 15 and 25 calls against 10 and 20.
    # r = 40 / 30; they held p = 30 / 100 of the day's forecast, so Z = 0.3 / (0.3 + 0.1)
    # = 0.75 and m = 1 + 0.75 × (4/3 − 1) = 1.25: 30 → 37.5 and 40 → 50 calls.
    day = intraday_day(
        MORNING, {at(9): 15, at(9, 30): 25, at(10): 4}, interval=HALF_HOUR, now=at(10, 5)
    )

    assert day.update.ratio == pytest.approx(4 / 3)
    assert day.update.seen_share == pytest.approx(0.3)
    assert day.update.credibility == pytest.approx(0.75)
    assert day.update.multiplier == pytest.approx(1.25)
    assert [row.reforecast for row in day.rows] == [None, None, 37.5, 50.0]
    assert (day.complete, day.actual_so_far, day.forecast_so_far) == (2, 40, 30)
    assert day.wape_so_far == pytest.approx((5 + 5) / 40)
    assert [row.gap for row in day.rows] == [5, 10, None, None]  # 15 − 10, then + 25 − 20
    assert day.gap_so_far == 10
    # The 10:00 half hour is under way: its 4 calls so far show, but count in nothing.
    assert [row.actual for row in day.rows] == [15, 25, 4, None]
    assert day.day_forecast == 100
    assert day.day_expected == pytest.approx(40 + 37.5 + 50)


def test_the_band_is_scaled_and_widened_by_the_multipliers_own_error() -> None:
    day = intraday_day(MORNING, {at(9): 15, at(9, 30): 25}, interval=HALF_HOUR, now=at(10))

    # The complete half hours' sds 3 and 4 add to a variance of 25: r's sd is 5 / 30 and
    # m's is Z × that = 0.75 / 6 = 0.125. For 10:00 (forecast 30, sd 6): the scaled band's
    # half-width 1.25 × Z_80 × 6 and m's error Z_80 × 0.125 × 30, in quadrature.
    assert day.update.multiplier_sd == pytest.approx(0.125)
    ten = day.rows[2]
    half_width = Z_80 * math.hypot(1.25 * 6, 0.125 * 30)
    assert ten.reforecast_lower == pytest.approx(37.5 - half_width)
    assert ten.reforecast_upper == pytest.approx(37.5 + half_width)
    assert ten.reforecast_upper - ten.reforecast_lower > 1.25 * (ten.upper - ten.lower)


def test_before_any_interval_is_over_the_forecast_stands() -> None:
    day = intraday_day(MORNING, {at(9): 7}, interval=HALF_HOUR, now=at(9, 20))

    assert day.update.multiplier == 1.0
    assert day.update.ratio is None
    assert day.wape_so_far is None
    for row, plan in zip(day.rows, MORNING, strict=True):
        assert (row.reforecast, row.reforecast_lower, row.reforecast_upper) == (
            plan.forecast,
            plan.lower,
            plan.upper,
        )
    assert day.rows[0].actual == 7
    assert day.day_expected == 100


def test_few_intervals_say_little_and_many_say_more() -> None:
    # A flat forecast of 10 calls in each of 20 half hours, and 20 calls in every one that
    # comes: the raw ratio is 2 all day, the multiplier grows toward it.
    flat = [planned(10, 3, at(8) + slot * HALF_HOUR) for slot in range(20)]
    doubled = {plan.start: 20 for plan in flat}

    def multiplier(intervals_over: int) -> float:
        now = at(8) + intervals_over * HALF_HOUR
        return intraday_day(flat, doubled, interval=HALF_HOUR, now=now).update.multiplier

    # p = 1/20: Z = 0.05 / 0.15 = 1/3; p = 1/2: Z = 0.5 / 0.6 = 5/6.
    assert multiplier(1) == pytest.approx(1 + 1 / 3)
    assert multiplier(10) == pytest.approx(1 + 5 / 6)
    assert multiplier(1) < multiplier(5) < multiplier(10) < multiplier(19) < 2


def test_calls_while_the_forecast_had_the_queue_closed_are_counted() -> None:
    day = intraday_day(MORNING, {at(8, 30): 3, at(9): 10}, interval=HALF_HOUR, now=at(9, 30))

    assert [f"{row.start:%H:%M}" for row in day.rows] == [
        "08:30",
        "09:00",
        "09:30",
        "10:00",
        "10:30",
    ]
    assert (day.rows[0].forecast, day.rows[0].actual) == (0.0, 3)
    assert day.wape_so_far == pytest.approx(3 / 13)  # |3 − 0| + |10 − 10| over 13 calls


def test_a_past_day_is_all_actual() -> None:
    calls = {at(9): 8, at(9, 30): 20, at(10): 33, at(10, 30): 41}
    day = intraday_day(MORNING, calls, interval=HALF_HOUR, now=at(23))

    assert all(row.complete and row.reforecast is None for row in day.rows)
    assert day.day_expected == day.actual_so_far == 102
    assert day.gap_so_far == pytest.approx(2)


@given(
    st.lists(st.integers(0, 60), min_size=4, max_size=4),
    st.integers(0, 4),
)
def test_the_multiplier_lies_between_one_and_the_raw_ratio(calls: list[int], over: int) -> None:
    actual = {plan.start: count for plan, count in zip(MORNING, calls, strict=True)}
    day = intraday_day(MORNING, actual, interval=HALF_HOUR, now=at(9) + over * HALF_HOUR)

    ratio = day.update.ratio if day.update.ratio is not None else 1.0
    assert min(1.0, ratio) - 1e-9 <= day.update.multiplier <= max(1.0, ratio) + 1e-9
    for row in day.rows:
        if row.reforecast is not None:
            assert row.reforecast_lower is not None
            assert row.reforecast_upper is not None
            assert 0 <= row.reforecast_lower <= row.reforecast <= row.reforecast_upper


# --- Adherence ------------------------------------------------------------------------------

WINDOW = {"start": at(0), "end": at(0, day=DAY + timedelta(days=1))}
LI_SHIFT = ScheduledShift("A1001", at(9), at(17), ((at(11), at(11, 15)),), queue="ACD-01")


def test_the_forecasts_aht_holds_until_thirty_contacts_are_handled_today() -> None:
    # 29 contacts handled in 29 × 300 s: today runs at 300 s against the forecast's 240 s,
    # but 29 is not yet enough to staff by.
    early = day_handling(
        handled=29,
        handle_s=29 * 300.0,
        abandoned=3,
        waited_s=900.0,
        forecast_aht_s=240.0,
        forecast_patience_s=120.0,
    )
    assert (early.aht_s, early.aht_source, early.today_aht_s) == (240.0, "forecast", 300.0)
    assert (early.patience_s, early.patience_source) == (120.0, "forecast")


def test_today_s_aht_replaces_the_forecasts_from_thirty_handled() -> None:
    # 30 handled in 9 000 s: AHT 300 s; 12 abandons of 2 400 s waited: patience 200 s, but
    # 12 abandons are too few, so patience stays the forecast's.
    handling = day_handling(
        handled=30,
        handle_s=9000.0,
        abandoned=12,
        waited_s=2400.0,
        forecast_aht_s=240.0,
        forecast_patience_s=120.0,
    )
    assert (handling.aht_s, handling.aht_source) == (300.0, "today")
    assert (handling.patience_s, handling.patience_source) == (120.0, "forecast")
    assert handling.today_patience_s == 200.0


def test_today_s_patience_is_used_from_twenty_abandons() -> None:
    # 20 abandons; all callers waited 5 000 s in the queue: patience 5 000 ÷ 20 = 250 s.
    handling = day_handling(
        handled=400,
        handle_s=400 * 250.0,
        abandoned=20,
        waited_s=5000.0,
        forecast_aht_s=240.0,
        forecast_patience_s=120.0,
    )
    assert (handling.aht_s, handling.patience_s) == (250.0, 250.0)
    assert (handling.aht_source, handling.patience_source) == ("today", "today")


def test_a_quiet_day_without_a_forecast_aht_has_none() -> None:
    handling = day_handling(
        handled=0,
        handle_s=0.0,
        abandoned=0,
        waited_s=0.0,
        forecast_aht_s=None,
        forecast_patience_s=None,
    )
    assert (handling.aht_s, handling.today_aht_s, handling.today_patience_s) == (None, None, None)


def ev(state: str, when: datetime, agent: str = "A1001", reason: str = "") -> StateEvent:
    return StateEvent(agent, state, when, reason)


LI_DAY = [
    ev("login", at(8, 55)),  # 5 minutes logged in before the shift: not beyond 5
    ev("ready", at(9, 2)),  # 2 minutes late: out of adherence, under the threshold
    ev("busy", at(9, 30)),
    ev("acw", at(9, 40)),
    ev("ready", at(9, 45)),
    ev("not_ready", at(11), reason="小休"),
    ev("ready", at(11, 25)),  # back 10 minutes after the break ended: an exception
    ev("logout", at(17, 20)),  # 20 minutes after the shift: an exception
]


def test_adherence_conformance_and_exceptions_of_a_day_with_a_break() -> None:
    (li,) = adherence([LI_SHIFT], LI_DAY, **WINDOW)

    # Scheduled 09:00–17:00 = 480 min; in adherence all but 09:00–09:02 and 11:15–11:25.
    assert li.totals.scheduled_s == 480 * 60
    assert li.totals.adhering_s == (480 - 2 - 10) * 60
    assert li.totals.adherence == pytest.approx(468 / 480)
    # Worked (ready, busy, ACW) 09:02–11:00 and 11:25–17:20 = 118 + 355 min, against
    # 480 − 15 scheduled to work: the 20 minutes after the shift count here.
    assert li.totals.worked_s == (118 + 355) * 60
    assert li.totals.conformance == pytest.approx(473 / 465)
    assert li.exceptions == (
        AdherenceException("A1001", at(11, 15), at(11, 25), "work", (("not_ready", 600.0),)),
        AdherenceException("A1001", at(17), at(17, 20), "off", (("ready", 1200.0),)),
    )
    assert li.exceptions[0].minutes == 10


def test_logged_in_before_the_shift_and_late_to_start_are_two_things() -> None:
    # 08:52 login, ready at 09:04, ready through the break, logout at 17:00. Each stretch is
    # judged under its own schedule: 8 minutes logged in off shift (an exception), then 4
    # not ready on shift (under the threshold), then 15 ready on the break (an exception).
    events = [ev("login", at(8, 52)), ev("ready", at(9, 4)), ev("logout", at(17))]
    (li,) = adherence([LI_SHIFT], events, **WINDOW)

    assert [(e.scheduled, e.start, e.end, e.did) for e in li.exceptions] == [
        ("off", at(8, 52), at(9), (("not_ready", 480.0),)),
        ("break", at(11), at(11, 15), (("ready", 900.0),)),
    ]
    assert li.totals.adhering_s == (480 - 4 - 15) * 60


def test_an_agent_who_never_logs_in_is_out_of_adherence_except_on_the_break() -> None:
    (li,) = adherence([LI_SHIFT], [], **WINDOW)

    assert li.totals.adhering_s == 15 * 60  # logged out on the break is what was asked
    assert li.totals.adherence == pytest.approx(15 / 480)
    assert li.totals.conformance == 0
    assert [(e.start, e.end, e.scheduled, e.did) for e in li.exceptions] == [
        (at(9), at(11), "work", (("logged_out", 7200.0),)),
        (at(11, 15), at(17), "work", (("logged_out", 345 * 60.0),)),
    ]


def test_an_agent_without_a_shift_who_works_is_an_exception_and_not_a_ratio() -> None:
    (zhang,) = adherence(
        [], [ev("login", at(10), "A1002"), ev("logout", at(10, 30), "A1002")], **WINDOW
    )

    assert zhang.totals.adherence is None
    assert zhang.totals.conformance is None
    assert [(e.scheduled, e.did) for e in zhang.exceptions] == [("off", (("not_ready", 1800.0),))]


def test_today_is_measured_up_to_now() -> None:
    # At 10:00 the shift has run an hour; the open session runs until now.
    events = [ev("login", at(8, 59)), ev("ready", at(9))]
    (li,) = adherence([LI_SHIFT], events, start=at(0), end=at(10), until=at(10))

    assert li.totals.scheduled_s == 3600
    assert li.totals.adherence == 1.0
    assert li.exceptions == ()


def test_a_missing_logout_is_not_guessed() -> None:
    # A past day whose last event is "ready" at 10:00: the session is closed there, so the
    # rest of the shift is logged out, not seven more hours of work.
    (li,) = adherence([LI_SHIFT], [ev("login", at(9)), ev("ready", at(10))], **WINDOW)

    assert li.totals.worked_s == 0
    assert li.totals.adhering_s == 15 * 60  # the break, logged out


def test_a_night_shift_counts_on_both_days() -> None:
    eve = DAY - timedelta(days=1)
    night = ScheduledShift("A1001", at(22, day=eve), at(6), ())
    events = [ev("login", at(21, 58, day=eve)), ev("ready", at(22, day=eve)), ev("logout", at(6))]

    (li,) = adherence([night], events, **WINDOW)

    assert li.totals.scheduled_s == 6 * 3600  # 00:00–06:00 of this day
    assert li.totals.adherence == 1.0


def test_team_totals_add_seconds_before_dividing() -> None:
    chen_shift = ScheduledShift("A1003", at(9), at(13), ())
    chen_day = [
        ev("login", at(9), "A1003"),
        ev("ready", at(9), "A1003"),
        ev("logout", at(11), "A1003"),
    ]
    agents = adherence([LI_SHIFT, chen_shift], LI_DAY + chen_day, **WINDOW)

    teams = totals_by(agents, lambda code: "一班")

    # 468 + 120 minutes in adherence out of 480 + 240 scheduled.
    assert teams["一班"].agents == 2
    assert teams["一班"].adherence == pytest.approx((468 + 120) / (480 + 240))
    assert teams["一班"].conformance == pytest.approx((473 + 120) / (465 + 240))


def test_agents_scheduled_and_working_a_pool_per_interval() -> None:
    # 李 works ACD-01 from 09:00; 陈 from 09:15 with a break 09:30–09:45; 张 works ACD-02.
    shifts = [
        ScheduledShift("A1001", at(9), at(10), (), "ACD-01"),
        ScheduledShift("A1003", at(9, 15), at(10), ((at(9, 30), at(9, 45)),), "ACD-01"),
        ScheduledShift("A1002", at(9), at(10), (), "ACD-02"),
    ]
    events = [
        ev("login", at(9)),
        ev("ready", at(9)),
        ev("not_ready", at(9, 50)),  # 李 not ready for the last 10 minutes
        ev("login", at(9, 15), "A1003"),
        ev("ready", at(9, 15), "A1003"),
        ev("login", at(9), "A1002"),
        ev("ready", at(9), "A1002"),
    ]
    agents = adherence(shifts, events, start=at(9), end=at(10), until=at(10))

    rows = interval_agents(agents, [at(9), at(9, 30)], interval=HALF_HOUR, queue="ACD-01")

    # 09:00: 李 30 min + 陈 15 min = 1.5 agents scheduled, all of it working.
    # 09:30: 李 30 + 陈 15 (after the break) = 1.5 scheduled; 李's 10 not-ready minutes
    # and 陈's break do not work: (20 + 15) / 30 working.
    assert [(row.scheduled, row.working) for row in rows] == [
        (1.5, 1.5),
        (1.5, pytest.approx(35 / 30)),
    ]


def test_the_interval_under_way_is_working_over_its_part_measured() -> None:
    # At 09:40, 10 minutes into the 09:30 half hour: the roster is known for all of it,
    # the states only up to now. 李 is ready those 10 minutes, 陈 on her break.
    shifts = [
        ScheduledShift("A1001", at(9), at(10), (), "ACD-01"),
        ScheduledShift("A1003", at(9, 15), at(10), ((at(9, 30), at(9, 45)),), "ACD-01"),
    ]
    events = [ev("login", at(9)), ev("ready", at(9)), ev("login", at(9, 15), "A1003")]
    agents = adherence(shifts, events, start=at(9), end=at(10), until=at(9, 40))

    rows = interval_agents(
        agents, [at(9), at(9, 30)], interval=HALF_HOUR, queue="ACD-01", until=at(9, 40)
    )
    later = interval_agents(agents, [at(10)], interval=HALF_HOUR, queue="ACD-01", until=at(9, 40))

    assert (rows[1].scheduled, rows[1].working) == (1.5, 1.0)
    assert later[0].working is None  # not begun
