"""A stored forecast for roster tests: a 24-hour queue needing one agent on the phones in every
half hour (one call of 180 s a half hour, a service-level target alone, no shrinkage), so a
roster's coverage can be read shift by shift."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from lingting.interactions.models import Queue
from lingting.workforce.models import ForecastInterval, ForecastRun, StaffingPolicy
from tests.conftest import SHANGHAI

HALF_HOURS_A_DAY = 48


def one_agent_around_the_clock(queue: Queue, first: date, days: int) -> ForecastRun:
    """`queue` open 24 hours on holidays too, forecast from `first` for `days` days."""
    StaffingPolicy.objects.create(
        queue=queue, closed_on_holidays=False, shrinkage=0.0, max_occupancy=None, max_abandon=None
    )
    run = ForecastRun.objects.create(
        queue=queue,
        interval_minutes=30,
        first_day=first,
        last_day=first + timedelta(days=days - 1),
        history_first_day=first - timedelta(weeks=8),
        history_last_day=first - timedelta(days=1),
        offered=1000,
        abandoned=50,
        aht_s=180.0,
        patience_s=120.0,
    )
    start = datetime(first.year, first.month, first.day, tzinfo=SHANGHAI)
    ForecastInterval.objects.bulk_create(
        ForecastInterval(
            run=run,
            starts_at=start + timedelta(minutes=30 * n),
            forecast=1.0,
            lower=0.0,
            upper=3.0,
            method="test",
        )
        for n in range(days * HALF_HOURS_A_DAY)
    )
    return run
