"""What a queue's stored contacts say for planning: arrivals per interval, handling time and
callers' patience (issue 14).

- **Arrivals.** Offered contacts (inbound, answered or abandoned, as the KPIs count them) per
  interval of their queue time. The forecast reads an interval missing from its history as
  one the center was closed (FORMATS.md, "Forecast"), but a stored history only has the
  intervals in which someone called: a quiet 04:00 on a 24-hour line would pass for closed.
  So an interval of the day is *open* on a weekday when contacts came in it on at least
  `OPEN_SHARE` of that weekday's days with contacts (and on two of them at least), and
  every open interval of every day with contacts is given, zero where nobody called; a day
  without any contact (a holiday) stays missing, closed. A stray contact outside a
  weekday's open intervals is not forecast.
- **Around the clock** (a queue's policy says so, `pool_hours.OpenHours`): every interval of
  every day from the first day with contacts to the last is open, zero where nobody called,
  and a day without contacts in between is a quiet day, not a closed one: a pool of a few
  calls a day is open all day even though most of its intervals are empty.
- **Handling time**: the mean of answered contacts' talk + hold + after-call work.
- **Patience**: exponential patience estimated as issue 14 asks, the total time callers
  spent waiting (answered and abandoned alike: every second in the queue was a second in
  which they could have hung up) divided by the number who hung up. It is the maximum
  likelihood estimate for exponential patience with censoring by service (Brown et al.
  2005). Short abandons count: they are callers who ran out of patience too.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

OPEN_SHARE = 0.25
MIN_OPEN_DAYS = 2  # one stray call does not open an interval (where the weekday has 2 days)


@dataclass(slots=True)
class QueueHistory:
    """Accumulates one queue's offered contacts (in local time) for planning."""

    interval_minutes: int
    arrivals: Counter[datetime] = field(default_factory=Counter)
    answered: int = 0
    abandoned: int = 0
    handle_count: int = 0
    handle_sum: float = 0.0
    waited_s: float = 0.0  # queue time of every offered contact whose wait is known

    def add(
        self, moment: datetime, *, abandoned: bool, wait_s: float | None, handle_s: float | None
    ) -> None:
        self.arrivals[self.interval_start(moment)] += 1
        if abandoned:
            self.abandoned += 1
        else:
            self.answered += 1
            if handle_s is not None:
                self.handle_count += 1
                self.handle_sum += handle_s
        if wait_s is not None:
            self.waited_s += wait_s

    def interval_start(self, moment: datetime) -> datetime:
        minutes = moment.hour * 60 + moment.minute
        start = minutes - minutes % self.interval_minutes
        return moment.replace(hour=start // 60, minute=start % 60, second=0, microsecond=0)

    @property
    def aht_s(self) -> float | None:
        return self.handle_sum / self.handle_count if self.handle_count else None

    @property
    def patience_s(self) -> float | None:
        """Mean patience: all time waited ÷ callers who hung up; None without a hang-up."""
        return self.waited_s / self.abandoned if self.abandoned else None

    def points(self, *, around_the_clock: bool = False) -> list[tuple[datetime, float]]:
        """(interval start, contacts) for every open interval of every day with contacts;
        `around_the_clock`: of every day from the first with contacts to the last."""
        if around_the_clock:
            return self._every_interval()
        days: dict[date, list[datetime]] = defaultdict(list)
        for start in self.arrivals:
            days[start.date()].append(start)
        open_slots = self._open_slots(days)
        points = []
        for day in sorted(days):
            sample = days[day][0]
            for slot in sorted(open_slots[day.weekday()]):
                start = sample.replace(hour=slot.hour, minute=slot.minute)
                points.append((start, float(self.arrivals.get(start, 0))))
        return points

    def _open_slots(self, days: dict[date, list[datetime]]) -> dict[int, set[time]]:
        weekday_days: Counter[int] = Counter(day.weekday() for day in days)
        seen: Counter[tuple[int, time]] = Counter(
            (start.weekday(), start.time()) for start in self.arrivals
        )
        open_slots: dict[int, set[time]] = defaultdict(set)
        for (weekday, slot), count in seen.items():
            days_seen = weekday_days[weekday]
            if count >= max(OPEN_SHARE * days_seen, min(MIN_OPEN_DAYS, days_seen)):
                open_slots[weekday].add(slot)
        return open_slots

    def _every_interval(self) -> list[tuple[datetime, float]]:
        if not self.arrivals:
            return []
        first, last = min(self.arrivals), max(self.arrivals)
        # On the first contact's clock (its zone): each day starts at its own midnight.
        day, points = first.date(), []
        step = timedelta(minutes=self.interval_minutes)
        while day <= last.date():
            start = first.replace(year=day.year, month=day.month, day=day.day, hour=0, minute=0)
            for slot in range(24 * 60 // self.interval_minutes):
                moment = start + slot * step
                points.append((moment, float(self.arrivals.get(moment, 0))))
            day += timedelta(days=1)
        return points
