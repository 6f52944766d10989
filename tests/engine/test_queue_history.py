"""A queue's stored contacts as planning reads them: open intervals with zeros, handling time,
and patience as all waiting over the callers who hung up."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from lingting.engine.queue_history import QueueHistory

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=SHANGHAI)


def test_a_quiet_open_interval_is_zero_and_a_day_without_contacts_stays_closed() -> None:
    history = QueueHistory(interval_minutes=30)
    # Mondays 2, 9, 16 (and 23, a holiday with no contact at all): calls at 09:00–10:30, but
    # nobody called at 09:30 on the 9th; a lone call at 22:10 on the 16th.
    for day in (2, 9, 16):
        for hour, minute in ((9, 5), (9, 40), (10, 10)):
            if (day, hour, minute) != (9, 9, 40):
                history.add(at(day, hour, minute), abandoned=False, wait_s=5, handle_s=200)
    history.add(at(16, 22, 10), abandoned=False, wait_s=5, handle_s=200)

    points = dict(history.points())

    assert points[at(9, 9, 30)] == 0  # open (called on most Mondays), quiet that day
    assert points[at(2, 9, 0)] == 1
    assert at(16, 22, 0) not in points  # one stray call does not open 22:00
    assert not any(start.day == 23 for start in points)
    assert sorted({start.day for start in points}) == [2, 9, 16]
    assert len(points) == 3 * 3


def test_patience_is_all_time_waited_over_the_callers_who_hung_up() -> None:
    history = QueueHistory(interval_minutes=15)
    start = at(2, 9)
    waits = [(12.0, False), (30.0, False), (45.0, True), (3.0, True), (60.0, False)]
    for minute, (wait, abandoned) in enumerate(waits):
        history.add(
            start + timedelta(minutes=minute),
            abandoned=abandoned,
            wait_s=wait,
            handle_s=None if abandoned else 240.0,
        )

    assert history.patience_s == pytest.approx((12 + 30 + 45 + 3 + 60) / 2)
    assert history.aht_s == 240
    assert (history.answered, history.abandoned) == (3, 2)


def test_no_hang_up_means_no_patience_estimate() -> None:
    history = QueueHistory(interval_minutes=15)
    history.add(at(2, 9), abandoned=False, wait_s=10, handle_s=None)

    assert history.patience_s is None
    assert history.aht_s is None
