"""The intraday day (issue 14): a queue's calls against its forecast interval by interval, the
rest of the day re-forecast from how the day is running, and each agent's adherence and
conformance to the published roster, from the agent-state events the app imports.

**Actual against forecast.** Over the *complete* intervals (those that ended by `now`):
WAPE so far = Σ|actual − forecast| ÷ Σ actual (the measure `engine.arrivals` chooses its
methods by), and the cumulative gap Σ(actual − forecast), interval by interval. The interval
in progress shows its calls so far but counts in neither: half an interval is no evidence.

**Re-forecast of the rest of the day.** A day's arrivals share a day-level level that the
forecast cannot know in advance, and the morning's calls reveal it: Weinberg, Brown & Stroud
(2007, JASA 102: 1185) update it within the day in a Bayesian model, and Shen & Huang (2008,
M&SOM 10: 391) show that intraday updating cuts the error of the rest of the day. The update
here is the credibility (Bühlmann 1967) form of that idea, small enough to check by hand:

- ratio r = Σ actual ÷ Σ forecast over the complete intervals;
- credibility Z = p ÷ (p + κ), where p is the share of the day's forecast calls that fell in
  the complete intervals. This is Bühlmann's n ÷ (n + k) with n counted in expected calls
  rather than in intervals, so that κ does not change with the interval length (15, 30 or
  60 minutes) and a quiet early morning, which says little about the day, counts little;
- multiplier m = 1 + Z·(r − 1): 1 (the forecast as it was) before any interval is complete,
  moving toward r as the day's calls come in;
- each remaining interval's re-forecast is m × its forecast.

κ = `CREDIBILITY_KAPPA` was chosen on synthetic days only (benchmarks/intraday_reforecast.py
prints the grid it was chosen from), never on the real data the benchmark then scores.

The 80% band of a re-forecast is the interval's own band scaled by m, widened by the 80%
error of the multiplier itself, the two added in quadrature as independent errors. The
multiplier's standard error is Z × that of r; r's comes from the forecast's own bands over
the complete intervals (each band's half-width ÷ z₀.₉ is that interval's standard deviation,
and the intervals' variances add). Before any interval is complete the band is the forecast's.

**Handling time and patience of the rest of the day.** The re-forecast is staffed with the
forecast's handling time (AHT) and patience (the policy's, else the forecast history's) until
today has seen enough of the queue's own, then with today's: a switch, not a blend, so that
the figure on the page is one a supervisor can check against the day's report.

- AHT switches once today has `MIN_HANDLED_TODAY` (30) answered contacts with a handling
  time. Handle times spread about as widely as their mean (a coefficient of variation near
  1), so the mean of n has a standard error of about mean ÷ √n: 18% at 30, already smaller
  than the swings that make a day's own AHT worth following (a new product issue, a slow
  system), and 30 is where a mean is near enough normal to trust.
- Patience switches once today has `MIN_ABANDONED_TODAY` (20) abandons: its estimate, all
  time waited ÷ abandons (`engine.queue_history`), has a relative standard error of about
  1 ÷ √abandons, 22% at 20; fewer abandons leave it to the forecast's.

**Adherence and conformance** (as a WFM team measures them, e.g. Cleveland, *Call Center
Management on Fast Forward*): the schedule says, at each moment, *work* (on shift, not on a
break: the agent should be ready, busy or in after-call work), *break* (not ready or logged
out) or *off* (off shift: logged out). The agent's state comes from
`engine.occupancy.agent_timeline`, the same reading of the events that occupancy uses
(missing logouts are never guessed; logged out between sessions).

- adherence = time in the state the schedule asked for ÷ scheduled time (shift time,
  breaks included). Time logged in while off shift is not scheduled time: it is not in the
  ratio, but beyond the threshold it is an exception, and worked time counts in conformance.
- conformance = time worked (ready, busy, ACW), on shift or not ÷ time scheduled to work
  (shift time less breaks): over 1 with overtime, under 1 when short.
- exceptions: each stretch out of adherence under one scheduled activity, longer than
  `EXCEPTION_THRESHOLD` (5 minutes), with what was scheduled and what the agent did.

Everything is measured in a window (a local day, up to `now` when it is today); a night
shift counts on both days it covers, as occupancy counts it.

**Agents per interval** of a queue, beside its requirement: the agent-time rostered to work
the queue's pool (on shift, not on a break) ÷ the interval's length, and the part of it spent
ready, busy or in ACW ÷ the part of the interval measured so far.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from itertools import pairwise
from typing import Literal

from lingting.engine.arrivals import Z_80
from lingting.engine.occupancy import MAX_GAP, StateEvent, StateSpan, agent_timeline

CREDIBILITY_KAPPA = 0.1  # chosen by benchmarks/intraday_reforecast.py on synthetic days
MIN_HANDLED_TODAY = 30  # answered contacts with a handling time, before today's AHT is used
MIN_ABANDONED_TODAY = 20  # abandons, before today's patience is used
EXCEPTION_THRESHOLD = timedelta(minutes=5)


# --- Actual against forecast, and the re-forecast -------------------------------------------


@dataclass(frozen=True, slots=True)
class PlannedInterval:
    """One interval of the day as forecast: calls expected and their 80% band."""

    start: datetime
    forecast: float
    lower: float
    upper: float


@dataclass(frozen=True, slots=True)
class IntervalRow:
    start: datetime
    forecast: float  # 0 for an interval the forecast had closed but that took calls
    lower: float
    upper: float
    actual: int | None  # calls offered so far; None for an interval not begun
    complete: bool  # ended by `now`: counted in the figures so far
    gap: float | None  # Σ(actual − forecast) over the complete intervals up to this one
    reforecast: float | None  # intervals not complete: m × forecast
    reforecast_lower: float | None
    reforecast_upper: float | None


@dataclass(frozen=True, slots=True)
class DayUpdate:
    """How the day is running, and how much of it the re-forecast believes."""

    ratio: float | None  # Σ actual ÷ Σ forecast over the complete intervals
    seen_share: float  # p: the share of the day's forecast calls in the complete intervals
    credibility: float  # Z = p ÷ (p + κ)
    multiplier: float  # m = 1 + Z (r − 1)
    multiplier_sd: float  # m's standard error


@dataclass(frozen=True, slots=True)
class IntradayDay:
    rows: tuple[IntervalRow, ...]
    update: DayUpdate
    complete: int  # intervals complete
    actual_so_far: int  # calls in the complete intervals
    forecast_so_far: float
    wape_so_far: float | None  # None until a complete interval has calls
    gap_so_far: float
    day_forecast: float  # the whole day as forecast
    day_expected: float  # calls so far + the re-forecast of the intervals not complete


def intraday_day(
    planned: Sequence[PlannedInterval],
    actual: Mapping[datetime, int],
    *,
    interval: timedelta,
    now: datetime,
    kappa: float = CREDIBILITY_KAPPA,
) -> IntradayDay:
    """The day's intervals, forecast and actual, with the rest re-forecast at `now`.

    `actual` counts the calls offered per interval start (the starts of `planned`, or others
    where calls came while the forecast had the queue closed).
    """
    rows = _merged(planned, actual)
    complete = [row for row in rows if row.start + interval <= now]
    day_forecast = sum(row.forecast for row in rows)
    update = _day_update(complete, day_forecast=day_forecast, kappa=kappa)
    out: list[IntervalRow] = []
    gap = 0.0
    for row in rows:
        count = row.actual if row.start < now else None
        if row.start + interval <= now:
            gap += row.actual - row.forecast
            out.append(_complete(row, gap))
        else:
            out.append(_reforecast(row, count, update))
    actual_so_far = sum(row.actual for row in complete)
    forecast_so_far = sum(row.forecast for row in complete)
    return IntradayDay(
        rows=tuple(out),
        update=update,
        complete=len(complete),
        actual_so_far=actual_so_far,
        forecast_so_far=forecast_so_far,
        wape_so_far=_wape(complete),
        gap_so_far=actual_so_far - forecast_so_far,
        day_forecast=day_forecast,
        day_expected=actual_so_far + sum(r.reforecast or 0.0 for r in out if not r.complete),
    )


@dataclass(frozen=True, slots=True)
class _Seen:
    """An interval of the day with its calls so far (0 where none came, or not begun)."""

    start: datetime
    forecast: float
    lower: float
    upper: float
    actual: int


def _merged(planned: Sequence[PlannedInterval], actual: Mapping[datetime, int]) -> list[_Seen]:
    """The forecast's intervals and any other that took calls (forecast 0), in time order."""
    by_start = {plan.start: plan for plan in planned}
    rows = []
    for start in sorted(by_start.keys() | actual.keys()):
        plan = by_start.get(start, PlannedInterval(start, 0.0, 0.0, 0.0))
        rows.append(_Seen(start, plan.forecast, plan.lower, plan.upper, actual.get(start, 0)))
    return rows


def _day_update(complete: Sequence[_Seen], *, day_forecast: float, kappa: float) -> DayUpdate:
    """The multiplier the complete intervals give (see the module's docstring)."""
    forecast = sum(row.forecast for row in complete)
    if forecast <= 0 or day_forecast <= 0:
        return DayUpdate(None, 0.0, 0.0, 1.0, 0.0)
    ratio = sum(row.actual for row in complete) / forecast
    share = min(forecast / day_forecast, 1.0)
    credibility = share / (share + kappa)
    variance = sum(((row.upper - row.lower) / (2 * Z_80)) ** 2 for row in complete)
    return DayUpdate(
        ratio=ratio,
        seen_share=share,
        credibility=credibility,
        multiplier=1 + credibility * (ratio - 1),
        multiplier_sd=credibility * math.sqrt(variance) / forecast,
    )


def _complete(row: _Seen, gap: float) -> IntervalRow:
    return IntervalRow(
        row.start, row.forecast, row.lower, row.upper, row.actual, True, gap, None, None, None
    )


def _reforecast(row: _Seen, count: int | None, update: DayUpdate) -> IntervalRow:
    """m × the forecast; its band scaled by m and widened by m's own 80% error."""
    point = update.multiplier * row.forecast
    spread = Z_80 * update.multiplier_sd * row.forecast
    above = math.hypot(update.multiplier * (row.upper - row.forecast), spread)
    below = math.hypot(update.multiplier * (row.forecast - row.lower), spread)
    return IntervalRow(
        start=row.start,
        forecast=row.forecast,
        lower=row.lower,
        upper=row.upper,
        actual=count,
        complete=False,
        gap=None,
        reforecast=point,
        reforecast_lower=max(point - below, 0.0),
        reforecast_upper=point + above,
    )


def _wape(complete: Sequence[_Seen]) -> float | None:
    calls = sum(row.actual for row in complete)
    if calls == 0:
        return None
    return sum(abs(row.actual - row.forecast) for row in complete) / calls


# --- Handling time and patience for the re-staffing -----------------------------------------

Source = Literal["today", "forecast"]


@dataclass(frozen=True, slots=True)
class DayHandling:
    """The AHT and patience the rest of the day is staffed with, and where each came from."""

    aht_s: float | None
    aht_source: Source
    patience_s: float | None
    patience_source: Source
    handled: int  # today's answered contacts with a handling time
    abandoned: int  # today's abandons
    today_aht_s: float | None  # today's own, used or not
    today_patience_s: float | None


def day_handling(
    *,
    handled: int,
    handle_s: float,
    abandoned: int,
    waited_s: float,
    forecast_aht_s: float | None,
    forecast_patience_s: float | None,
    min_handled: int = MIN_HANDLED_TODAY,
    min_abandoned: int = MIN_ABANDONED_TODAY,
) -> DayHandling:
    """Today's AHT (total handling ÷ contacts handled) once `min_handled` contacts were
    handled, and today's patience (all time waited ÷ abandons) once `min_abandoned` callers
    hung up; the forecast's until then (see the module's docstring)."""
    today_aht = handle_s / handled if handled else None
    today_patience = waited_s / abandoned if abandoned else None
    aht_today = today_aht is not None and handled >= min_handled
    patience_today = today_patience is not None and abandoned >= min_abandoned
    return DayHandling(
        aht_s=today_aht if aht_today else forecast_aht_s,
        aht_source="today" if aht_today else "forecast",
        patience_s=today_patience if patience_today else forecast_patience_s,
        patience_source="today" if patience_today else "forecast",
        handled=handled,
        abandoned=abandoned,
        today_aht_s=today_aht,
        today_patience_s=today_patience,
    )


# --- Adherence and conformance --------------------------------------------------------------

Activity = Literal["work", "break", "off"]
LOGGED_OUT = "logged_out"
WORKING = frozenset({"ready", "busy", "acw"})
EXPECTED: dict[Activity, frozenset[str]] = {
    "work": WORKING,
    "break": frozenset({"not_ready", LOGGED_OUT}),
    "off": frozenset({LOGGED_OUT}),
}


@dataclass(frozen=True, slots=True)
class ScheduledShift:
    """One published shift of one agent, with its breaks."""

    agent_id: str
    start: datetime
    end: datetime
    breaks: tuple[tuple[datetime, datetime], ...] = ()
    queue: str = ""  # the pool worked (its ACD code); "" when the roster does not say


@dataclass(frozen=True, slots=True)
class Stretch:
    """A stretch of one agent's time in which neither the schedule nor the state changes."""

    start: datetime
    end: datetime
    scheduled: Activity
    state: str  # ready, busy, acw, not_ready or logged_out
    queue: str  # the pool of the shift in force; "" off shift

    @property
    def seconds(self) -> float:
        return (self.end - self.start).total_seconds()

    @property
    def adheres(self) -> bool:
        return self.state in EXPECTED[self.scheduled]


@dataclass(frozen=True, slots=True)
class AdherenceException:
    """A stretch out of adherence longer than the threshold: what was scheduled, and what
    the agent did instead (each state's seconds, the longest first)."""

    agent_id: str
    start: datetime
    end: datetime
    scheduled: Activity
    did: tuple[tuple[str, float], ...]

    @property
    def minutes(self) -> float:
        return (self.end - self.start).total_seconds() / 60


@dataclass(slots=True)
class AdherenceTotals:
    """Seconds over one agent's window or any sum of agents."""

    scheduled_s: float = 0.0  # shift time, breaks included
    adhering_s: float = 0.0  # of it, in the state the schedule asked for
    scheduled_work_s: float = 0.0  # shift time less breaks
    worked_s: float = 0.0  # ready, busy or ACW, on shift or not
    agents: int = 0

    @property
    def adherence(self) -> float | None:
        return self.adhering_s / self.scheduled_s if self.scheduled_s > 0 else None

    @property
    def conformance(self) -> float | None:
        return self.worked_s / self.scheduled_work_s if self.scheduled_work_s > 0 else None

    def add(self, other: AdherenceTotals) -> None:
        self.scheduled_s += other.scheduled_s
        self.adhering_s += other.adhering_s
        self.scheduled_work_s += other.scheduled_work_s
        self.worked_s += other.worked_s
        self.agents += other.agents


@dataclass(frozen=True, slots=True)
class AgentAdherence:
    agent_id: str
    totals: AdherenceTotals
    exceptions: tuple[AdherenceException, ...]
    stretches: tuple[Stretch, ...] = field(repr=False)


def adherence(
    shifts: Iterable[ScheduledShift],
    events: Iterable[StateEvent],
    *,
    start: datetime,
    end: datetime,
    until: datetime | None = None,
    threshold: timedelta = EXCEPTION_THRESHOLD,
    max_gap: timedelta = MAX_GAP,
) -> list[AgentAdherence]:
    """Each agent's adherence in the window [start, end), by agent code: every agent with a
    shift or a state event. Events from before the window (a session open at its start) and,
    for a past day, after it are read as occupancy reads them; `until` is "now" for today."""
    shifts_of: dict[str, list[ScheduledShift]] = defaultdict(list)
    for shift in shifts:
        shifts_of[shift.agent_id].append(shift)
    events_of: dict[str, list[StateEvent]] = defaultdict(list)
    for event in events:
        events_of[event.agent_id].append(event)
    return [
        _agent(
            agent_id,
            shifts_of[agent_id],
            sorted(events_of[agent_id], key=lambda e: e.at),
            start=start,
            end=end,
            until=until,
            threshold=threshold,
            max_gap=max_gap,
        )
        for agent_id in sorted(shifts_of.keys() | events_of.keys())
    ]


def _agent(
    agent_id: str,
    shifts: list[ScheduledShift],
    events: list[StateEvent],
    *,
    start: datetime,
    end: datetime,
    until: datetime | None,
    threshold: timedelta,
    max_gap: timedelta,
) -> AgentAdherence:
    spans = [
        item
        for item in agent_timeline(events, until=until, max_gap=max_gap)
        if isinstance(item, StateSpan)
    ]
    stretches = _overlay(_schedule(shifts, start, end), _states(spans, start, end))
    totals = AdherenceTotals(agents=1)
    for stretch in stretches:
        if stretch.scheduled != "off":
            totals.scheduled_s += stretch.seconds
            totals.adhering_s += stretch.seconds if stretch.adheres else 0.0
        if stretch.scheduled == "work":
            totals.scheduled_work_s += stretch.seconds
        if stretch.state in WORKING:
            totals.worked_s += stretch.seconds
    return AgentAdherence(
        agent_id, totals, _exceptions(agent_id, stretches, threshold), tuple(stretches)
    )


_Planned = tuple[datetime, datetime, Activity, str]  # start, end, activity, pool
_Done = tuple[datetime, datetime, str]  # start, end, state


def _schedule(shifts: list[ScheduledShift], start: datetime, end: datetime) -> list[_Planned]:
    """The window cut where the schedule changes: (start, end, activity, pool) pieces."""
    moments = {start, end}
    for shift in shifts:
        moments.update((shift.start, shift.end))
        for begins, ends in shift.breaks:
            moments.update((begins, ends))
    cuts = sorted(moment for moment in moments if start <= moment <= end)
    pieces: list[_Planned] = []
    for begins, ends in pairwise(cuts):
        activity, pool = _scheduled_at(shifts, begins)
        if pieces and pieces[-1][2:] == (activity, pool):
            pieces[-1] = (pieces[-1][0], ends, activity, pool)
        else:
            pieces.append((begins, ends, activity, pool))
    return pieces


def _scheduled_at(shifts: list[ScheduledShift], moment: datetime) -> tuple[Activity, str]:
    for shift in shifts:
        if shift.start <= moment < shift.end:
            on_break = any(begins <= moment < ends for begins, ends in shift.breaks)
            return ("break" if on_break else "work"), shift.queue
    return "off", ""


def _states(spans: list[StateSpan], start: datetime, end: datetime) -> list[_Done]:
    """The window cut where the state changes, logged out between the spans."""
    pieces: list[_Done] = []
    cursor = start
    for span in spans:
        begins, ends = max(span.start, start), min(span.end, end)
        if begins >= ends:
            continue
        if begins > cursor:
            pieces.append((cursor, begins, LOGGED_OUT))
        pieces.append((begins, ends, span.state))
        cursor = ends
    if cursor < end:
        pieces.append((cursor, end, LOGGED_OUT))
    return pieces


def _overlay(schedule: list[_Planned], states: list[_Done]) -> list[Stretch]:
    """The two partitions of the window laid over each other."""
    stretches: list[Stretch] = []
    i = j = 0
    while i < len(schedule) and j < len(states):
        begins = max(schedule[i][0], states[j][0])
        ends = min(schedule[i][1], states[j][1])
        if begins < ends:
            stretches.append(Stretch(begins, ends, schedule[i][2], states[j][2], schedule[i][3]))
        if schedule[i][1] <= states[j][1]:
            i += 1
        else:
            j += 1
    return stretches


def _exceptions(
    agent_id: str, stretches: list[Stretch], threshold: timedelta
) -> tuple[AdherenceException, ...]:
    """Runs of adjoining stretches out of adherence under one scheduled activity, kept
    where they last longer than `threshold`."""
    runs: list[list[Stretch]] = []
    for stretch in stretches:
        if stretch.adheres:
            continue
        last = runs[-1][-1] if runs else None
        if last is not None and last.end == stretch.start and last.scheduled == stretch.scheduled:
            runs[-1].append(stretch)
        else:
            runs.append([stretch])
    return tuple(
        _exception(agent_id, run) for run in runs if run[-1].end - run[0].start > threshold
    )


def _exception(agent_id: str, run: list[Stretch]) -> AdherenceException:
    did: dict[str, float] = defaultdict(float)
    for stretch in run:
        did[stretch.state] += stretch.seconds
    ranked = tuple(sorted(did.items(), key=lambda item: (-item[1], item[0])))
    return AdherenceException(agent_id, run[0].start, run[-1].end, run[0].scheduled, ranked)


def totals_by(
    agents: Iterable[AgentAdherence], group_of: Callable[[str], str]
) -> dict[str, AdherenceTotals]:
    """The agents' totals summed per group (a team), by `group_of(agent code)`."""
    groups: dict[str, AdherenceTotals] = defaultdict(AdherenceTotals)
    for agent in agents:
        groups[group_of(agent.agent_id)].add(agent.totals)
    return dict(groups)


# --- Agents per interval --------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class IntervalAgents:
    """Agents (time-weighted) scheduled to work a pool in one interval, and working it."""

    start: datetime
    scheduled: float  # over the whole interval: the roster is known ahead
    working: float | None  # over the part measured (up to `until`); None: not begun


def interval_agents(
    agents: Iterable[AgentAdherence],
    starts: Sequence[datetime],
    *,
    interval: timedelta,
    queue: str,
    until: datetime | None = None,
) -> list[IntervalAgents]:
    """Per interval start: the agent-time scheduled to work `queue`'s pool ÷ the interval's
    length, and the time of it actually ready, busy or in ACW ÷ the part of the interval
    measured (the stretches up to `until`, "now" for today, are states; after it nobody
    is known to work). An agent working outside their shift has no pool, so overtime
    counts in conformance, not here."""
    if not starts:
        return []
    origin = min(starts)
    scheduled: dict[int, float] = defaultdict(float)
    working: dict[int, float] = defaultdict(float)
    for agent in agents:
        for stretch in agent.stretches:
            if stretch.scheduled != "work" or stretch.queue != queue:
                continue
            for index, seconds in _slices(stretch, origin, interval):
                scheduled[index] += seconds
                working[index] += seconds if stretch.state in WORKING else 0.0
    length = interval.total_seconds()
    result = []
    for start in starts:
        index = int((start - origin) / interval)
        measured = length if until is None else min((until - start).total_seconds(), length)
        result.append(
            IntervalAgents(
                start,
                scheduled[index] / length,
                working[index] / measured if measured > 0 else None,
            )
        )
    return result


def _slices(stretch: Stretch, origin: datetime, interval: timedelta) -> Iterable[tuple[int, float]]:
    """The stretch's seconds in each interval of the grid that starts at `origin`."""
    index = math.floor((stretch.start - origin) / interval)
    while True:
        begins = max(stretch.start, origin + index * interval)
        ends = min(stretch.end, origin + (index + 1) * interval)
        if begins >= stretch.end:
            return
        if ends > begins:
            yield index, (ends - begins).total_seconds()
        index += 1
