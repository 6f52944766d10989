"""A planner's writes: a queue's staffing policy and its forecasts (issue 14)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.forms.models import model_to_dict

from lingting.calendars.selectors import business_calendar
from lingting.core.models import User
from lingting.core.services import audit_record
from lingting.engine.arrivals import (
    ArrivalForecast,
    ArrivalsError,
    BandChoice,
    ForecastWarning,
    LeadScore,
    forecast_arrivals,
)
from lingting.interactions.models import Queue
from lingting.workforce.models import (
    POLICY_FIELDS,
    ForecastInterval,
    ForecastRun,
    OpenHours,
    StaffingPolicy,
)
from lingting.workforce.selectors.planning import queue_history, staffing_policy_of


class ForecastError(ValueError):
    """Why a queue cannot be forecast (no history, a range that is not in the future)."""


def staffing_policy_save(*, queue: Queue, values: dict[str, Any], actor: User) -> StaffingPolicy:
    """Set `queue`'s policy to `values` (the POLICY_FIELDS), audited from what it was."""
    with transaction.atomic():
        policy = staffing_policy_of(queue)
        before = _snapshot(policy) if policy.pk else None
        for name in POLICY_FIELDS:
            setattr(policy, name, values[name])
        policy.updated_by = actor
        policy.full_clean()
        policy.save()
        audit_record(
            actor=actor,
            action="staffing_policy.save",
            object_type="queue",
            object_id=queue.pk,
            before=before,
            after=_snapshot(policy),
        )
    return policy


def _snapshot(policy: StaffingPolicy) -> dict[str, Any]:
    return model_to_dict(policy, fields=POLICY_FIELDS)


@dataclass(frozen=True, slots=True)
class _Built:
    forecast: ArrivalForecast
    offered: int
    abandoned: int
    aht_s: float | None
    patience_s: float | None
    first_history_day: date


def forecast_build(*, queue: Queue, first: date, last: date, actor: User | None) -> ForecastRun:
    """Forecast `queue`'s contacts from `first` to `last` from its stored history, with the
    policy's interval length and the center's business calendar, and store it."""
    policy = staffing_policy_of(queue)
    built = _forecast(queue, first, last, policy)
    interval = policy.interval_minutes
    with transaction.atomic():
        run = ForecastRun.objects.create(
            queue=queue,
            interval_minutes=interval,
            first_day=first,
            last_day=last,
            history_first_day=built.first_history_day,
            history_last_day=built.forecast.history_last_day,
            offered=built.offered,
            abandoned=built.abandoned,
            aht_s=built.aht_s,
            patience_s=built.patience_s,
            bands=[_band(band) for band in built.forecast.bands],
            backtest=[_lead_score(score) for score in built.forecast.backtest],
            origins=built.forecast.origins,
            warnings=[_warning(warning) for warning in built.forecast.warnings],
            created_by=actor,
        )
        ForecastInterval.objects.bulk_create(
            ForecastInterval(
                run=run,
                starts_at=row.start,
                forecast=row.forecast,
                lower=row.lower,
                upper=row.upper,
                method=row.method,
            )
            for row in built.forecast.rows
        )
        audit_record(
            actor=actor,
            action="forecast.build",
            object_type="queue",
            object_id=queue.pk,
            after={"run": run.pk, "first_day": str(first), "last_day": str(last)},
        )
    return run


def _forecast(queue: Queue, first: date, last: date, policy: StaffingPolicy) -> _Built:
    interval = policy.interval_minutes
    history = queue_history(queue, until=first, interval_minutes=interval)
    points = history.points(around_the_clock=policy.open_hours == OpenHours.AROUND_THE_CLOCK)
    if not points:
        raise ForecastError(f"{queue} has no offered contacts in the weeks before {first}")
    try:
        forecast = forecast_arrivals(
            points,
            first=first,
            last=last,
            interval_minutes=interval,
            calendar=business_calendar() if policy.closed_on_holidays else None,
        )
    except ArrivalsError as exc:
        raise ForecastError(str(exc)) from exc
    return _Built(
        forecast=forecast,
        offered=history.answered + history.abandoned,
        abandoned=history.abandoned,
        aht_s=history.aht_s,
        patience_s=history.patience_s,
        first_history_day=points[0][0].date(),
    )


def _warning(warning: ForecastWarning) -> dict[str, Any]:
    """Kept by kind and figures, so that each page says it in its reader's language."""
    return {
        "kind": warning.kind.value,
        "text": warning.text,
        "years": list(warning.years),
        "days": [day.isoformat() for day in warning.days],
        "count": warning.count,
    }


def _band(band: BandChoice) -> dict[str, Any]:
    return {
        "first_lead": band.first_lead,
        "last_lead": band.last_lead,
        "method": band.method,
        "wape": band.wape,
        "mape": band.mape,
        "tested": band.tested,
        "methods": dict(band.method_wapes),  # every candidate's WAPE, so the choice can be read
    }


def _lead_score(score: LeadScore) -> dict[str, Any]:
    return {
        "method": score.method,
        "lead_days": score.lead_days,
        "wape": score.wape,
        "mape": score.mape,
        "intervals": score.intervals,
    }
