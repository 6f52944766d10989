"""The intraday day in the HTTP API (/api/workforce/intraday and /api/workforce/adherence):
the same selectors and permissions as the page (`/workforce/intraday/`).

- `intraday`: a queue's day (by ACD code) against its latest forecast covering the day, the
  rest re-forecast and re-staffed, for planners, operations managers, admins and team
  leaders; agents and QA are refused (403).
- `adherence`: adherence, conformance and exceptions of the agents the caller sees, as for
  their states: planners, managers and admins everyone's, a team leader their teams', an
  agent their own; QA is refused (403).

Times are ISO 8601 with their offset; shares are fractions; a figure with nothing to divide by
is null.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Router, Schema

from lingting.core.params import ApiDate
from lingting.core.permissions import request_user, require
from lingting.engine.intraday import AdherenceTotals, DayHandling
from lingting.interactions.models import Queue
from lingting.workforce.permissions import may_see_intraday, sees_queue_day
from lingting.workforce.selectors.intraday import adherence_day, queue_day
from lingting.workforce.selectors.planning import RequirementRow

router = Router()


class UpdateOut(Schema):
    ratio: float | None  # actual ÷ forecast over the intervals over
    seen_share: float  # their share of the day's forecast calls
    credibility: float  # Z = seen_share ÷ (seen_share + κ)
    multiplier: float  # 1 + Z (ratio − 1): what the rest of the day's forecast is scaled by
    multiplier_sd: float


class IntervalOut(Schema):
    starts_at: datetime
    forecast: float
    lower: float
    upper: float
    actual: int | None  # null: not begun
    complete: bool
    cumulative_gap: float | None
    reforecast: float | None  # null: the interval is over
    reforecast_lower: float | None
    reforecast_upper: float | None
    required_agents: float | None  # the forecast staffed under the policy (fractional)
    restaffed_agents: float | None  # the re-forecast staffed
    restaffed_scheduled: int | None  # the re-forecast's agents to schedule (shrinkage)
    rostered_agents: float  # time-weighted, on this queue and not on a break
    working_agents: float | None  # ready, busy or ACW on it so far; null: not begun


class HandlingOut(Schema):
    """The AHT and patience the rest of the day is re-staffed with: today's own once today
    has 30 contacts handled (patience: 20 abandons), else the forecast's; a switch."""

    aht_s: float | None
    aht_source: str  # today or forecast
    patience_s: float | None
    patience_source: str  # today or forecast
    handled_today: int
    abandoned_today: int
    today_aht_s: float | None  # today's own, used or not
    today_patience_s: float | None


class IntradayOut(Schema):
    queue: str
    day: date
    measured_at: datetime
    forecast: int | None  # the forecast run's id; null: no forecast covers the day
    interval_minutes: int
    complete_intervals: int
    actual_so_far: int
    forecast_so_far: float
    wape_so_far: float | None
    gap_so_far: float
    day_forecast: float
    day_expected: float
    update: UpdateOut
    restaffing: HandlingOut | None  # null: no forecast covers the day
    problems: list[str]
    intervals: list[IntervalOut]


class TotalsOut(Schema):
    agents: int
    scheduled_s: float
    adhering_s: float
    scheduled_work_s: float
    worked_s: float
    adherence: float | None
    conformance: float | None


class ExceptionOut(Schema):
    starts_at: datetime
    ends_at: datetime
    minutes: float
    scheduled: str  # work, break or off
    did: dict[str, float]  # seconds per state: ready, busy, acw, not_ready, logged_out


class AgentAdherenceOut(Schema):
    agent: str
    name: str
    team: str
    totals: TotalsOut
    exceptions: list[ExceptionOut]


class TeamAdherenceOut(Schema):
    team: str
    totals: TotalsOut


class AdherenceOut(Schema):
    day: date
    measured_until: datetime
    teams: list[TeamAdherenceOut]
    agents: list[AgentAdherenceOut]


class Problem(Schema):
    detail: str


@router.get("/intraday", response={200: IntradayOut, 404: Problem})
def intraday(request: HttpRequest, queue: str, day: ApiDate | None = None) -> dict[str, Any]:
    """A queue's day (today by default) against its forecast, re-forecast and re-staffed;
    404 for a queue code that names no queue."""
    require(sees_queue_day(request_user(request)))
    found = get_object_or_404(Queue, code=queue)
    figures = queue_day(found, day or timezone.localdate())
    summary = figures.figures
    return {
        "queue": found.code,
        "day": figures.window.day,
        "measured_at": figures.window.now,
        "forecast": figures.run.pk if figures.run is not None else None,
        "interval_minutes": (
            figures.run.interval_minutes
            if figures.run is not None
            else figures.policy.interval_minutes
        ),
        "complete_intervals": summary.complete,
        "actual_so_far": summary.actual_so_far,
        "forecast_so_far": summary.forecast_so_far,
        "wape_so_far": summary.wape_so_far,
        "gap_so_far": summary.gap_so_far,
        "day_forecast": summary.day_forecast,
        "day_expected": summary.day_expected,
        "update": summary.update,
        "restaffing": _handling(figures.handling),
        "problems": figures.problems,
        "intervals": [
            {
                "starts_at": row.interval.start,
                "forecast": row.interval.forecast,
                "lower": row.interval.lower,
                "upper": row.interval.upper,
                "actual": row.interval.actual,
                "complete": row.interval.complete,
                "cumulative_gap": row.interval.gap,
                "reforecast": row.interval.reforecast,
                "reforecast_lower": row.interval.reforecast_lower,
                "reforecast_upper": row.interval.reforecast_upper,
                "required_agents": _fractional(row.required),
                "restaffed_agents": _fractional(row.restaffed),
                "restaffed_scheduled": row.restaffed.scheduled if row.restaffed else None,
                "rostered_agents": row.agents.scheduled,
                "working_agents": row.agents.working,
            }
            for row in figures.rows
        ],
    }


def _handling(handling: DayHandling | None) -> dict[str, Any] | None:
    if handling is None:
        return None
    return {
        "aht_s": handling.aht_s,
        "aht_source": handling.aht_source,
        "patience_s": handling.patience_s,
        "patience_source": handling.patience_source,
        "handled_today": handling.handled,
        "abandoned_today": handling.abandoned,
        "today_aht_s": handling.today_aht_s,
        "today_patience_s": handling.today_patience_s,
    }


def _fractional(row: RequirementRow | None) -> float | None:
    return None if row is None else row.fractional_agents


@router.get("/adherence", response=AdherenceOut)
def adherence(request: HttpRequest, day: ApiDate | None = None) -> dict[str, Any]:
    """Adherence, conformance and exceptions on a day (today by default) of the agents the
    caller sees, per agent and team."""
    user = request_user(request)
    require(may_see_intraday(user))
    found = adherence_day(user=user, day=day or timezone.localdate())
    return {
        "day": found.window.day,
        "measured_until": found.window.end,
        "teams": [{"team": row.team, "totals": _totals(row.totals)} for row in found.teams],
        "agents": [
            {
                "agent": row.code,
                "name": row.name,
                "team": row.team,
                "totals": _totals(row.totals),
                "exceptions": [
                    {
                        "starts_at": exception.start,
                        "ends_at": exception.end,
                        "minutes": exception.minutes,
                        "scheduled": exception.scheduled,
                        "did": dict(exception.did),
                    }
                    for exception in row.exceptions
                ],
            }
            for row in found.agents
        ],
    }


def _totals(totals: AdherenceTotals) -> dict[str, Any]:
    return {
        "agents": totals.agents,
        "scheduled_s": totals.scheduled_s,
        "adhering_s": totals.adhering_s,
        "scheduled_work_s": totals.scheduled_work_s,
        "worked_s": totals.worked_s,
        "adherence": totals.adherence,
        "conformance": totals.conformance,
    }
