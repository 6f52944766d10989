"""A tiny 24-hour pool (issue 14): open around the clock, a quiet interval forecast near zero
instead of closed, and a minimum of agents in every open interval."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from lingting.engine.arrivals import forecast_arrivals
from lingting.engine.pool_hours import staff_at_least
from lingting.engine.queue_history import QueueHistory
from lingting.engine.staffing import Model, Queue, Targets, staff

SHANGHAI = ZoneInfo("Asia/Shanghai")
TARGETS = Targets(service_level=0.8)


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=SHANGHAI)


def kham_history(weeks: int) -> QueueHistory:
    """Three calls a day at 09:10, 09:40 and 20:05 (a quiet night), and no call at all on
    each Wednesday: what a 康巴 pool's history looks like."""
    history = QueueHistory(interval_minutes=30)
    monday = date(2026, 9, 7)
    for offset in range(weeks * 7):
        day = monday + timedelta(days=offset)
        if day.weekday() == 2:
            continue
        for hour, minute in ((9, 10), (9, 40), (20, 5)):
            history.add(at(day, hour, minute), abandoned=False, wait_s=8, handle_s=300)
    return history


def test_learned_hours_close_the_quiet_intervals_and_the_silent_weekday() -> None:
    points = kham_history(2).points()

    slots = {(start.hour, start.minute) for start, _ in points}
    assert slots == {(9, 0), (9, 30), (20, 0)}
    assert not any(start.weekday() == 2 for start, _ in points)
    assert len(points) == 12 * 3  # 12 days with calls, 3 open half hours each


def test_around_the_clock_opens_every_half_hour_of_every_day_with_zeros() -> None:
    points = kham_history(2).points(around_the_clock=True)

    assert len(points) == 14 * 48  # Monday 7th to Sunday 20th, the Wednesdays too
    counts = dict(points)
    assert counts[at(date(2026, 9, 7), 9)] == 1
    assert counts[at(date(2026, 9, 7), 3)] == 0  # a quiet night is a zero, not closed
    assert counts[at(date(2026, 9, 9), 9)] == 0  # so is a day without a call
    assert sum(counts.values()) == 12 * 3  # every call counted once
    assert points[0][0] == at(date(2026, 9, 7), 0)
    assert points[-1][0] == at(date(2026, 9, 20), 23, 30)


def test_an_empty_history_has_no_points_either_way() -> None:
    assert QueueHistory(interval_minutes=30).points(around_the_clock=True) == []


def test_a_forecast_around_the_clock_covers_every_interval_and_is_near_zero_at_night() -> None:
    history = kham_history(6)

    forecast = forecast_arrivals(
        history.points(around_the_clock=True),
        first=date(2026, 10, 19),
        last=date(2026, 10, 25),
        interval_minutes=30,
        calendar=None,
    )

    assert len(forecast.rows) == 7 * 48
    by_start = {row.start: row.forecast for row in forecast.rows}
    assert by_start[at(date(2026, 10, 19), 3)] == pytest.approx(0, abs=0.05)
    assert by_start[at(date(2026, 10, 19), 9)] > 0.5  # a call every day but Wednesday

    learned = forecast_arrivals(
        history.points(),
        first=date(2026, 10, 19),
        last=date(2026, 10, 25),
        interval_minutes=30,
        calendar=None,
    )
    assert len(learned.rows) == 6 * 3  # Wednesday closed, three half hours a day


def kham_queue(traffic: float) -> Queue:
    return Queue(
        model=Model.ERLANG_A, traffic=traffic, aht_s=300, patience_s=120, answer_within_s=20
    )


def test_a_seat_that_must_be_manned_keeps_one_agent_in_an_interval_nobody_calls() -> None:
    result = staff_at_least(kham_queue(0.0), TARGETS, 1)

    assert (result.agents, result.fractional_agents) == (1, 1.0)
    assert result.figures.occupancy == 0  # type: ignore[union-attr]


def test_the_minimum_raises_a_small_answer_and_its_figures_are_at_the_minimum() -> None:
    # 0.5 Erlang (6 calls of 5 minutes in half an hour) at 80 % in 20 s: two agents suffice.
    queue = kham_queue(0.5)
    answer = staff(queue, TARGETS)
    assert answer.agents == 2

    raised = staff_at_least(queue, TARGETS, 3)

    assert (raised.agents, raised.fractional_agents) == (3, 3.0)
    assert raised.figures.agents == 3
    assert raised.figures.service_level > answer.figures.service_level  # type: ignore[union-attr]


def test_a_minimum_below_the_answer_changes_nothing() -> None:
    queue = kham_queue(4.0)
    answer = staff(queue, TARGETS)

    assert staff_at_least(queue, TARGETS, 1) == answer
    assert staff_at_least(queue, TARGETS, 0) == answer


def test_the_fractional_requirement_is_never_below_the_minimum() -> None:
    # A load the first agent covers only in part: the interpolated requirement is below 1.
    queue = Queue(model=Model.ERLANG_C, traffic=0.05, aht_s=300, answer_within_s=20)
    answer = staff(queue, Targets(service_level=0.8, max_occupancy=0.9))
    raised = staff_at_least(queue, Targets(service_level=0.8, max_occupancy=0.9), 1)

    assert answer.agents == 1
    assert raised.agents == 1
    assert raised.fractional_agents == 1.0 >= answer.fractional_agents


def test_a_negative_minimum_is_refused() -> None:
    with pytest.raises(ValueError, match="negative"):
        staff_at_least(kham_queue(1.0), TARGETS, -1)
