"""What a planner (排班) reads to staff a queue: its policy, its history, its latest forecast and
the agents each forecast interval requires (issue 14).

The requirement is computed when it is read, from the stored forecast and the policy as it is
now: staffing a week of intervals takes milliseconds (engine.staffing), so a changed target
shows at once, and no stored figure can disagree with the policy beside it.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import F, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from lingting.engine.erlang import AbandonmentFigures, ErlangError, QueueFigures
from lingting.engine.erlang import ServiceLevelBasis as EngineBasis
from lingting.engine.kpis import handle_from_times, wait_from_times
from lingting.engine.pool_hours import staff_at_least
from lingting.engine.queue_history import QueueHistory
from lingting.engine.staffing import Model, Queue, Targets, scheduled_agents
from lingting.interactions.models import Contact
from lingting.interactions.models import Queue as AcdQueue
from lingting.workforce.models import ForecastInterval, ForecastRun, StaffingModel, StaffingPolicy

HISTORY_WEEKS = 16  # Taylor's call-arrival comparisons fit on a few months of history


def staffing_policy_of(queue: AcdQueue) -> StaffingPolicy:
    """The queue's policy, or an unsaved one with the defaults where none was set."""
    try:
        return queue.staffing_policy
    except StaffingPolicy.DoesNotExist:
        return StaffingPolicy(queue=queue)


def planning_queues() -> QuerySet[AcdQueue]:
    return AcdQueue.objects.order_by("code")


def offered_contacts(queue: AcdQueue) -> QuerySet[Contact]:
    """The queue's offered contacts: inbound, answered or abandoned (what a forecast counts),
    each arriving at `ARRIVED_AT`."""
    return Contact.objects.filter(
        queue=queue, direction="inbound", disposition__in=("answered", "abandoned")
    )


# When an offered contact arrived: when it joined the queue, else when it began.
ARRIVED_AT = Coalesce(F("queued_at"), F("started_at"))


def queue_history(queue: AcdQueue, *, until: date, interval_minutes: int) -> QueueHistory:
    """The offered contacts of the `HISTORY_WEEKS` weeks before `until` (local days)."""
    end = datetime.combine(until, time(), timezone.get_current_timezone())
    begin = end - timedelta(weeks=HISTORY_WEEKS)
    return contacts_history(queue, begin=begin, end=end, interval_minutes=interval_minutes)


def contacts_history(
    queue: AcdQueue, *, begin: datetime, end: datetime, interval_minutes: int
) -> QueueHistory:
    """The offered contacts that arrived in [begin, end): arrivals, handling and waits."""
    zone = timezone.get_current_timezone()
    history = QueueHistory(interval_minutes=interval_minutes)
    rows = (
        offered_contacts(queue)
        .annotate(moment=ARRIVED_AT)
        .filter(moment__gte=begin, moment__lt=end)
        .values_list(
            "moment",
            "disposition",
            "wait_s",
            "queued_at",
            "started_at",
            "answered_at",
            "ended_at",
            "talk_s",
            "hold_s",
            "acw_s",
        )
    )
    for (
        moment,
        disposition,
        wait_s,
        queued,
        started,
        answered,
        ended,
        talk,
        hold,
        acw,
    ) in rows.iterator(chunk_size=5000):
        abandoned = disposition == "abandoned"
        history.add(
            timezone.localtime(moment, zone),
            abandoned=abandoned,
            wait_s=wait_from_times(
                wait_s=wait_s,
                abandoned=abandoned,
                queued_at=queued,
                started_at=started,
                answered_at=answered,
                ended_at=ended,
                tz=zone,
            ),
            handle_s=handle_from_times(
                talk_s=talk, hold_s=hold, acw_s=acw, answered_at=answered, ended_at=ended, tz=zone
            ),
        )
    return history


def latest_forecast(queue: AcdQueue) -> ForecastRun | None:
    return ForecastRun.objects.filter(queue=queue).first()


def forecast_runs(*, queue_code: str | None = None) -> QuerySet[ForecastRun]:
    """Forecasts, newest first, of the queue with that ACD code or of all queues."""
    runs = ForecastRun.objects.select_related("queue")
    return runs if queue_code is None else runs.filter(queue__code=queue_code)


@dataclass(frozen=True, slots=True)
class MethodScores:
    """One candidate method's backtest WAPE in each band of lead days (None: not scored)."""

    method: str
    wapes: list[float | None]
    chosen: list[bool]

    @property
    def cells(self) -> list[tuple[float | None, bool]]:
        return list(zip(self.wapes, self.chosen, strict=True))


def backtest_comparison(run: ForecastRun) -> list[MethodScores]:
    """Every candidate method against the others, band by band, as the backtest scored them
    (None where a band was not tested), best overall first; empty for a run stored before
    every method's score was kept."""
    bands = run.bands
    methods = {name for band in bands for name in band.get("methods", {})}
    rows = [
        MethodScores(
            method=name,
            wapes=[band.get("methods", {}).get(name) for band in bands],
            chosen=[band["method"] == name for band in bands],
        )
        for name in methods
    ]
    return sorted(rows, key=lambda row: (_mean_scored(row.wapes), row.method))


def _mean_scored(wapes: list[float | None]) -> float:
    scored = [wape for wape in wapes if wape is not None]
    return sum(scored) / len(scored) if scored else math.inf


@dataclass(frozen=True, slots=True)
class RequirementRow:
    """One forecast interval staffed under the policy."""

    starts_at: datetime
    calls: float
    lower: float
    upper: float
    method: str
    traffic: float
    agents: int  # on the phones, whole
    fractional_agents: float  # the requirement before rounding: what adds up
    scheduled: int  # after shrinkage, whole
    service_level: float | None
    abandon: float | None
    asa_s: float | None
    occupancy: float | None


@dataclass(frozen=True, slots=True)
class DayTotal:
    day: date
    calls: float
    agent_hours: float  # fractional requirement × interval length
    scheduled_hours: float  # agent_hours grossed up for shrinkage
    peak_agents: int
    peak_scheduled: int


@dataclass(frozen=True, slots=True)
class Requirement:
    rows: list[RequirementRow]
    days: list[DayTotal]
    aht_s: float | None
    patience_s: float | None
    problems: list[str]  # why some or all intervals could not be staffed


def requirement_of(run: ForecastRun, policy: StaffingPolicy) -> Requirement:
    """Every interval of `run` staffed under `policy`, with the totals per day."""
    intervals = ForecastInterval.objects.filter(run=run).order_by("starts_at")
    return intervals_staffed(intervals, run=run, policy=policy)


def intervals_staffed(
    intervals: Iterable[ForecastInterval],
    *,
    run: ForecastRun,
    policy: StaffingPolicy,
    aht_s: float | None = None,
    patience_s: float | None = None,
) -> Requirement:
    """`intervals` (of `run`, or re-forecast from them) staffed under `policy` with the
    handling time and patience given (the day's own, intraday), else the policy's, else
    those of `run`'s history."""
    aht_s = aht_s or policy.aht_s or run.aht_s
    patience_s = patience_s or policy.patience_s or run.patience_s
    problems = _missing_inputs(policy, aht_s, patience_s)
    if problems:
        return Requirement([], [], aht_s, patience_s, problems)
    assert aht_s is not None
    targets = _targets(policy)
    rows: list[RequirementRow] = []
    for interval in intervals:
        try:
            rows.append(
                _staffed(interval, policy, targets, aht_s, patience_s, run.interval_minutes)
            )
        except ErlangError as exc:
            problems.append(f"{timezone.localtime(interval.starts_at):%Y-%m-%d %H:%M} {exc}")
    days = _day_totals(rows, policy, run.interval_minutes)
    return Requirement(rows, days, aht_s, patience_s, problems)


def _missing_inputs(
    policy: StaffingPolicy, aht_s: float | None, patience_s: float | None
) -> list[str]:
    problems = []
    if aht_s is None:
        problems.append(_("历史中没有可用的处理时长：请在策略中填写平均处理时长。"))
    if policy.model == StaffingModel.ERLANG_A and patience_s is None:
        problems.append(
            _("历史中没有放弃的来电，无法估计耐心时长：请在策略中填写，或改用 Erlang C。")
        )
    return problems


def _targets(policy: StaffingPolicy) -> Targets:
    return Targets(
        service_level=policy.service_level,
        asa_s=policy.asa_s,
        max_occupancy=policy.max_occupancy,
        max_abandon=policy.max_abandon if policy.model == StaffingModel.ERLANG_A else None,
    )


def _staffed(
    interval: ForecastInterval,
    policy: StaffingPolicy,
    targets: Targets,
    aht_s: float,
    patience_s: float | None,
    interval_minutes: int,
) -> RequirementRow:
    """The interval staffed, with no fewer agents than the policy's minimum; its length is
    the forecast's (a policy changed since then to other intervals does not make 30 minutes
    of calls into 15)."""
    traffic = interval.forecast * aht_s / (interval_minutes * 60)
    queue = Queue(
        model=Model(policy.model),
        traffic=traffic,
        aht_s=aht_s,
        patience_s=patience_s if policy.model == StaffingModel.ERLANG_A else None,
        answer_within_s=policy.answer_within_s,
        basis=EngineBasis(policy.service_level_basis),
        short_abandon_s=policy.short_abandon_s,
    )
    if traffic == 0 and not policy.min_agents:
        return _unstaffed(interval)
    result = staff_at_least(queue, targets, policy.min_agents)
    figures = result.figures
    assert isinstance(figures, QueueFigures | AbandonmentFigures)
    return RequirementRow(
        starts_at=interval.starts_at,
        calls=interval.forecast,
        lower=interval.lower,
        upper=interval.upper,
        method=interval.method,
        traffic=traffic,
        agents=result.agents,
        fractional_agents=result.fractional_agents,
        scheduled=scheduled_agents(result.agents, policy.shrinkage),
        service_level=figures.service_level,
        abandon=figures.abandon_probability if isinstance(figures, AbandonmentFigures) else None,
        asa_s=figures.asa_s,
        occupancy=figures.occupancy,
    )


def _unstaffed(interval: ForecastInterval) -> RequirementRow:
    """An interval nobody is expected to call in needs nobody (where no minimum is set)."""
    return RequirementRow(
        starts_at=interval.starts_at,
        calls=interval.forecast,
        lower=interval.lower,
        upper=interval.upper,
        method=interval.method,
        traffic=0.0,
        agents=0,
        fractional_agents=0.0,
        scheduled=0,
        service_level=None,
        abandon=None,
        asa_s=None,
        occupancy=None,
    )


def _day_totals(
    rows: list[RequirementRow], policy: StaffingPolicy, interval_minutes: int
) -> list[DayTotal]:
    hours = interval_minutes / 60
    by_day: dict[date, list[RequirementRow]] = defaultdict(list)
    for row in rows:
        by_day[timezone.localtime(row.starts_at).date()].append(row)
    return [
        DayTotal(
            day=day,
            calls=sum(row.calls for row in day_rows),
            agent_hours=sum(row.fractional_agents for row in day_rows) * hours,
            scheduled_hours=sum(row.fractional_agents for row in day_rows)
            * hours
            / (1 - policy.shrinkage),
            peak_agents=max(row.agents for row in day_rows),
            peak_scheduled=max(row.scheduled for row in day_rows),
        )
        for day, day_rows in sorted(by_day.items())
    ]


def next_week(today: date) -> tuple[date, date]:
    """The Monday to Sunday after `today`: what a planner forecasts by default."""
    monday = today + timedelta(days=7 - today.weekday())
    return monday, monday + timedelta(days=6)
