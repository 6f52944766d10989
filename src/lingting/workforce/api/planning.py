"""Workforce planning in the HTTP API (/api/workforce/), for WFM planners and operations
managers: a queue's staffing policy, its forecasts and the agents each interval requires, as
the planning page shows them (issue 14). Queues are named by their ACD code.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status

from lingting.core.params import ApiDate, RowId
from lingting.core.permissions import request_user, require
from lingting.interactions.models import Queue
from lingting.workforce.models import MAX_MIN_AGENTS, POLICY_FIELDS, ForecastRun
from lingting.workforce.permissions import may_plan
from lingting.workforce.selectors.planning import (
    forecast_runs,
    requirement_of,
    staffing_policy_of,
)
from lingting.workforce.services.planning import (
    ForecastError,
    forecast_build,
    staffing_policy_save,
)

router = Router()


class PolicyIn(Schema):
    model: Literal["erlang_a", "erlang_c"] = "erlang_a"
    interval_minutes: Literal[15, 30, 60] = 30
    closed_on_holidays: bool = True  # false for a 24-hour line that works official holidays
    service_level: float = Field(0.8, gt=0, le=1, description="a fraction: 0.8 for 80 %")
    answer_within_s: float = Field(20, ge=0, le=3600)
    service_level_basis: Literal["offered", "answered", "offered_less_short_abandons"] = "offered"
    short_abandon_s: float = Field(5, ge=0, le=3600)
    asa_s: float | None = Field(None, gt=0, le=3600)
    max_occupancy: float | None = Field(0.9, gt=0, le=1)
    max_abandon: float | None = Field(0.05, gt=0, le=1)
    shrinkage: float = Field(0.3, ge=0, lt=1)
    aht_s: float | None = Field(None, gt=0, description="null: the queue's history")
    patience_s: float | None = Field(None, gt=0, description="null: estimated from history")
    open_hours: Literal["learned", "around_the_clock"] = Field(
        "learned",
        description="learned: open where the history had calls; around_the_clock: every "
        "interval open, a quiet one forecast near zero (a small pool on a 24-hour line)",
    )
    min_agents: int = Field(
        0, ge=0, le=MAX_MIN_AGENTS, description="agents on the phones in every open interval"
    )


class PolicyOut(PolicyIn):
    queue: str
    updated_at: datetime | None


class ForecastIn(Schema):
    queue: str
    first_day: ApiDate
    last_day: ApiDate


class ForecastSummary(Schema):
    id: int
    queue: str
    interval_minutes: int
    first_day: date
    last_day: date
    history_first_day: date
    history_last_day: date
    offered: int
    abandoned: int
    aht_s: float | None
    patience_s: float | None
    bands: list[dict[str, Any]]
    origins: int
    # kind (unknown_years, too_short_to_backtest, nothing_open, after_days_off), text, years,
    # days, count
    warnings: list[dict[str, Any]]
    created_at: datetime


class IntervalOut(Schema):
    starts_at: datetime
    forecast: float
    lower: float
    upper: float
    method: str


class ForecastOut(ForecastSummary):
    backtest: list[dict[str, Any]]
    intervals: list[IntervalOut]


class RequirementRowOut(Schema):
    starts_at: datetime
    calls: float
    traffic: float
    agents: int
    fractional_agents: float
    scheduled: int
    service_level: float | None
    abandon: float | None
    asa_s: float | None
    occupancy: float | None


class DayTotalOut(Schema):
    day: date
    calls: float
    agent_hours: float
    scheduled_hours: float
    peak_agents: int
    peak_scheduled: int


class RequirementOut(Schema):
    forecast: int
    aht_s: float | None
    patience_s: float | None
    problems: list[str]
    days: list[DayTotalOut]
    intervals: list[RequirementRowOut]


class Problem(Schema):
    detail: str | list[str]


def _planner(request: HttpRequest) -> None:
    require(may_plan(request_user(request)))


def _queue(code: str) -> Queue:
    return get_object_or_404(Queue, code=code)


def _summary(run: ForecastRun) -> dict[str, Any]:
    fields = ForecastSummary.model_fields
    values = {name: getattr(run, name) for name in fields if name != "queue"}
    return values | {"queue": run.queue.code}


@router.get("/queues/{code}/policy", response=PolicyOut)
def staffing_policy(request: HttpRequest, code: str) -> dict[str, Any]:
    """The queue's staffing policy (the defaults where none was set)."""
    _planner(request)
    policy = staffing_policy_of(_queue(code))
    values = {name: getattr(policy, name) for name in POLICY_FIELDS}
    return values | {"queue": code, "updated_at": policy.updated_at if policy.pk else None}


@router.put("/queues/{code}/policy", response=PolicyOut)
def staffing_policy_update(request: HttpRequest, code: str, body: PolicyIn) -> dict[str, Any]:
    """Set the queue's staffing policy (audited)."""
    _planner(request)
    queue = _queue(code)
    policy = staffing_policy_save(
        queue=queue, values=body.model_dump(), actor=request_user(request)
    )
    values = {name: getattr(policy, name) for name in POLICY_FIELDS}
    return values | {"queue": code, "updated_at": policy.updated_at}


@router.get("/forecasts", response=list[ForecastSummary])
def forecast_list(request: HttpRequest, queue: str | None = None) -> list[dict[str, Any]]:
    """Forecasts, newest first (50 at most), of one queue or all."""
    _planner(request)
    return [_summary(run) for run in forecast_runs(queue_code=queue)[:50]]


@router.post("/forecasts", response={201: ForecastOut, 400: Problem})
def forecast_create(request: HttpRequest, body: ForecastIn) -> Status[dict[str, Any]]:
    """Forecast a queue's contacts per interval from its stored history (as the page does)."""
    _planner(request)
    if body.first_day > body.last_day:
        raise ValidationError("first_day is after last_day")
    try:
        run = forecast_build(
            queue=_queue(body.queue),
            first=body.first_day,
            last=body.last_day,
            actor=request_user(request),
        )
    except ForecastError as exc:
        return Status(400, {"detail": str(exc)})
    return Status(201, _detail(run))


@router.get("/forecasts/{forecast_id}", response=ForecastOut)
def forecast_detail(request: HttpRequest, forecast_id: RowId) -> dict[str, Any]:
    _planner(request)
    return _detail(get_object_or_404(ForecastRun, pk=forecast_id))


def _detail(run: ForecastRun) -> dict[str, Any]:
    intervals = run.intervals.order_by("starts_at").values(*IntervalOut.model_fields)
    return _summary(run) | {"backtest": run.backtest, "intervals": list(intervals)}


@router.get("/forecasts/{forecast_id}/requirement", response=RequirementOut)
def forecast_requirement(request: HttpRequest, forecast_id: RowId) -> dict[str, Any]:
    """The agents each interval of the forecast requires under the queue's policy now."""
    _planner(request)
    run = get_object_or_404(ForecastRun, pk=forecast_id)
    requirement = requirement_of(run, staffing_policy_of(run.queue))
    return {
        "forecast": run.pk,
        "aht_s": requirement.aht_s,
        "patience_s": requirement.patience_s,
        "problems": requirement.problems,
        "days": requirement.days,
        "intervals": requirement.rows,
    }
