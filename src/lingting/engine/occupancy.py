"""Agent states from the ACD, and occupancy and utilisation (在线利用率) computed from them.

An agent state file (README, "Agent state events") says when each agent logged in, became
ready for contacts, went not ready (小休, 培训, 会议, … as a reason code), was busy on a
contact, did after-call work (ACW, 话后处理) and logged out. From one agent's events in time
order this module gives the seconds spent in each state on each local day:

- Each event puts the agent in its state until their next event. `login` starts a session
  in which the agent is *not ready* (reason "") until they say otherwise; `logout` ends it.
- An interval open at midnight is split at the day boundary (a night shift counts on both
  days).
- A missing logout is never guessed: when a session is still open at the agent's next
  `login`, at the end of the data, or before a silence longer than `max_gap` (12 hours by
  default: no state lasts that long), it is closed at its last event — the state that
  event began counts no time — and that day is flagged `missing_logouts`. With `until`
  (the data is complete up to then: "now" for today), a session still open at the end
  runs until `until` instead, if that is within `max_gap`.
- A state event while logged out (its login is missing) opens a session at that event
  and flags the day `missing_logins`.

The figures, over any set of agent-days (sums of seconds first, then the ratio):

- occupancy 在线利用率 = (busy + acw) / (busy + acw + ready): the share of the time the
  agent was available for contacts that they spent working on one.
- utilisation = (busy + acw) / logged-in time, logged-in time = ready + busy + acw +
  not ready: the share of all logged-in time spent on contacts.

Utilisation is never above occupancy. A figure with nothing to divide by is None.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Any, Literal

from lingting.engine.reader import LineError
from lingting.engine.records import RecordError, parse_records, read_records

STATES = ("login", "ready", "not_ready", "busy", "acw", "logout")
TIMED_STATES = ("ready", "busy", "acw", "not_ready")
MAX_GAP = timedelta(hours=12)
REQUIRED_FIELDS = ("agent_id", "state", "at")


@dataclass(frozen=True, slots=True)
class StateEvent:
    agent_id: str
    state: str  # one of STATES
    at: datetime  # aware
    reason: str = ""  # the not-ready reason code (小休, 培训, 会议…)
    contact_id: str = ""  # the contact a busy agent was on, when the switch says


def state_event_from_record(record: dict[str, Any], *, tz: tzinfo) -> StateEvent:
    """Validate one decoded record (JSON object or CSV row) and build its event.

    Times without an offset are read in `tz`. Raises `RecordError` naming the field.
    """
    agent_id = _text(record, "agent_id", required=True)
    state = _text(record, "state", required=True).lower()
    if state not in STATES:
        raise RecordError(f"'state' must be one of {', '.join(STATES)}, not {state!r}")
    raw_at = record.get("at")
    if not isinstance(raw_at, str) or not raw_at:
        raise RecordError("missing 'at' (an ISO 8601 time, e.g. 2026-10-01T08:58:00+08:00)")
    try:
        at = datetime.fromisoformat(raw_at)
    except ValueError:
        raise RecordError(
            f"'at' is not an ISO 8601 time: {raw_at[:40]!r} (e.g. 2026-10-01T08:58:00+08:00)"
        ) from None
    reason = _text(record, "reason")
    if len(reason) > 64:
        raise RecordError("'reason' is longer than 64 characters")
    contact_id = _text(record, "contact_id")
    if len(agent_id) > 64 or len(contact_id) > 128:
        raise RecordError("'agent_id' (64) or 'contact_id' (128) is too long")
    return StateEvent(
        agent_id=agent_id,
        state=state,
        at=at if at.tzinfo is not None else at.replace(tzinfo=tz),
        reason=reason,
        contact_id=contact_id,
    )


def _text(record: dict[str, Any], name: str, *, required: bool = False) -> str:
    value = record.get(name)
    if value is None or value == "":
        if required:
            raise RecordError(f"missing '{name}'")
        return ""
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if not isinstance(value, str):
        raise RecordError(f"'{name}' must be a string")
    return value.strip()


def read_state_events(path: str, *, tz: tzinfo) -> Iterator[tuple[int, StateEvent] | LineError]:
    """(line number, event) or a `LineError` for each non-blank line of a .jsonl/.csv file."""
    records = read_records(path, required=REQUIRED_FIELDS)
    return parse_records(records, lambda record: state_event_from_record(record, tz=tz))


@dataclass(slots=True)
class StateTotals:
    """Seconds in each state, and the flags, over one agent-day or any sum of them."""

    ready_s: float = 0.0
    busy_s: float = 0.0
    acw_s: float = 0.0
    not_ready_s: float = 0.0
    not_ready_reasons: dict[str, float] = field(default_factory=dict)
    missing_logouts: int = 0
    missing_logins: int = 0

    @property
    def logged_in_s(self) -> float:
        return self.ready_s + self.busy_s + self.acw_s + self.not_ready_s

    @property
    def handling_s(self) -> float:
        """Time on contacts: busy + after-call work."""
        return self.busy_s + self.acw_s

    @property
    def occupancy(self) -> float | None:
        available = self.handling_s + self.ready_s
        return _ratio(self.handling_s, available)

    @property
    def utilisation(self) -> float | None:
        return _ratio(self.handling_s, self.logged_in_s)

    def credit(self, state: str, seconds: float, reason: str = "") -> None:
        if state == "not_ready":
            self.not_ready_s += seconds
            self.not_ready_reasons[reason] = self.not_ready_reasons.get(reason, 0.0) + seconds
        else:
            setattr(self, f"{state}_s", getattr(self, f"{state}_s") + seconds)

    def add(self, other: StateTotals) -> None:
        self.ready_s += other.ready_s
        self.busy_s += other.busy_s
        self.acw_s += other.acw_s
        self.not_ready_s += other.not_ready_s
        for reason, seconds in other.not_ready_reasons.items():
            self.not_ready_reasons[reason] = self.not_ready_reasons.get(reason, 0.0) + seconds
        self.missing_logouts += other.missing_logouts
        self.missing_logins += other.missing_logins


def _ratio(part: float, whole: float) -> float | None:
    return round(part / whole, 4) if whole > 0 else None


@dataclass(frozen=True, slots=True)
class AgentDay:
    agent_id: str
    day: date  # local to the time zone the days were cut in
    totals: StateTotals


def agent_days(
    events: Iterable[StateEvent],
    *,
    tz: tzinfo,
    until: datetime | None = None,
    max_gap: timedelta = MAX_GAP,
) -> list[AgentDay]:
    """Each agent's seconds per state per local day of `tz`, by agent and day.

    Events may come in any order and for any number of agents; events of one agent at the
    same instant keep their order in `events`.
    """
    by_agent: dict[str, list[StateEvent]] = defaultdict(list)
    for event in events:
        by_agent[event.agent_id].append(event)
    days: list[AgentDay] = []
    for agent_id in sorted(by_agent):
        timeline = sorted(by_agent[agent_id], key=lambda e: e.at)
        totals = _Timeline(tz, until, max_gap).run(timeline)
        days.extend(AgentDay(agent_id, day, totals[day]) for day in sorted(totals))
    return days


@dataclass(frozen=True, slots=True)
class StateSpan:
    """A stretch of logged-in time in one state. `login` is read as not ready (reason "")."""

    start: datetime
    end: datetime
    state: str  # one of TIMED_STATES
    reason: str = ""


@dataclass(frozen=True, slots=True)
class SessionFlag:
    """Where a session's logout or login is missing (see the module's docstring)."""

    at: datetime  # the event the session was closed at, or opened at
    missing: Literal["logout", "login"]


def agent_timeline(
    events: Iterable[StateEvent],
    *,
    until: datetime | None = None,
    max_gap: timedelta = MAX_GAP,
) -> Iterator[StateSpan | SessionFlag]:
    """One agent's events, in time order, as the spans of logged-in time they describe and
    the flags of missing logouts and logins, in time order. The gaps between spans are
    logged-out time. Occupancy adds the spans up per day; adherence (engine.intraday) lays
    them against the schedule."""
    current: StateEvent | None = None  # the event whose state the agent is in
    for event in events:
        if current is not None and (event.state == "login" or event.at - current.at > max_gap):
            yield SessionFlag(current.at, "logout")
            current = None
        if current is not None:
            yield from _span(current, event.at)
        elif event.state not in ("login", "logout"):
            yield SessionFlag(event.at, "login")
        current = None if event.state == "logout" else event
    if current is not None:
        if until is not None and timedelta(0) <= until - current.at <= max_gap:
            yield from _span(current, until)
        else:
            yield SessionFlag(current.at, "logout")


def _span(event: StateEvent, end: datetime) -> Iterator[StateSpan]:
    if end > event.at:
        state = "not_ready" if event.state == "login" else event.state
        yield StateSpan(event.at, end, state, event.reason if state == "not_ready" else "")


class _Timeline:
    """One agent's spans and flags, credited to the local days they fall on."""

    def __init__(self, tz: tzinfo, until: datetime | None, max_gap: timedelta) -> None:
        self.tz = tz
        self.until = until
        self.max_gap = max_gap
        self.days: dict[date, StateTotals] = defaultdict(StateTotals)

    def run(self, events: list[StateEvent]) -> dict[date, StateTotals]:
        for item in agent_timeline(events, until=self.until, max_gap=self.max_gap):
            if isinstance(item, StateSpan):
                self._credit(item)
            elif item.missing == "logout":
                self._day(item.at).missing_logouts += 1
            else:
                self._day(item.at).missing_logins += 1
        return self.days

    def _day(self, moment: datetime) -> StateTotals:
        return self.days[moment.astimezone(self.tz).date()]

    def _credit(self, span: StateSpan) -> None:
        start_utc, end_utc = span.start.astimezone(UTC), span.end.astimezone(UTC)
        while start_utc < end_utc:
            day = start_utc.astimezone(self.tz).date()
            midnight = datetime.combine(day + timedelta(days=1), time(), tzinfo=self.tz)
            stop = min(end_utc, midnight.astimezone(UTC))
            self.days[day].credit(span.state, (stop - start_utc).total_seconds(), span.reason)
            start_utc = stop
