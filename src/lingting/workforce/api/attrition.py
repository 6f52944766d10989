"""Attrition in the HTTP API: the attrition page's figures as JSON, for HR or a BI tool.

The same selector, permissions and definitions as the page (`/workforce/attrition/`):
planners, operations managers and admins see every team, a team leader their own teams,
agents and QA are refused (403). Rates are fractions; a figure with nothing to divide by is
null. The definitions are those of `lingting.engine.attrition`.
"""

from datetime import date
from typing import Annotated, Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema

from lingting.core.permissions import request_user, require
from lingting.engine.attrition import (
    TENURE_BANDS,
    Employment,
    Headcount,
    HeadcountRow,
    Leaver,
    LeaverPerformance,
    Performance,
)
from lingting.performance.catch_up import tallies_catch_up
from lingting.workforce.forms import attrition_months
from lingting.workforce.permissions import attrition_teams, may_see_attrition
from lingting.workforce.selectors import attrition_figures

router = Router()

# 1900-01 to 2999-12, the dates the application works with (core.params).
ApiMonth = Annotated[
    str,
    Field(pattern=r"^(19|2\d)\d\d-(0[1-9]|1[0-2])$", description="a month, e.g. 2026-10"),
]


class AttritionQuery(Schema):
    month_from: ApiMonth | None = None  # default: eleven months before month_to
    month_to: ApiMonth | None = None  # default: this month
    team: str | None = None  # a team's code; default: every team the user sees


class HeadcountOut(Schema):
    month: str | None  # "2026-10"; null: all the months together
    team: str | None  # the team's name ("" no team); null: every team together
    months: int
    start: int  # headcount at the start
    end: int  # headcount at the end
    average: float  # average headcount
    hires: int
    leavers: int
    early_leavers: int  # left within 90 days of being hired
    rate: float | None  # leavers ÷ average headcount
    annualised: float | None  # rate × 12 ÷ months
    early_share: float | None  # early leavers ÷ leavers


class TenureOut(Schema):
    team: str | None  # null: every team together
    staff: dict[str, int]  # on staff on `as_of`, by tenure band
    leavers: dict[str, int]  # left within the months, tenure at leaving


class PerformanceOut(Schema):
    agents: int
    agent_months: int  # weighted for the stayers: as often as a leaver is compared
    answered_per_month: float | None
    handle_time_s: float | None
    qa_score: float | None  # mean QA score of record


class LeaverOut(Schema):
    agent: str  # the agent's code
    name: str
    team: str
    hired_on: date
    left_on: date  # the last day on staff
    reason: str  # resigned, dismissed, transferred, other, or "" unknown
    tenure_days: int
    early: bool
    tenure_band: str
    window: list[str]  # the full months compared, oldest first
    own: PerformanceOut | None  # null while the daily tallies are not built
    stayers: PerformanceOut | None  # the stayers in the same months


class ComparisonOut(Schema):
    leavers: PerformanceOut
    stayers: PerformanceOut


class UnplacedOut(Schema):
    agent: str
    name: str
    team: str
    problem: str  # no_hired_on, or left_before_hired


class AttritionOut(Schema):
    first_month: str
    last_month: str
    as_of: date  # the day the staff's tenure is measured on
    tenure_bands: list[str]  # lt_3m, 3_6m, 6_12m, 1_2y, gt_2y (completed months)
    totals: list[HeadcountOut]  # the whole range: each team, then every team (team null)
    months: list[HeadcountOut]  # month by month: each team, then every team
    tenure: list[TenureOut]
    leavers: list[LeaverOut]
    comparison: ComparisonOut | None  # null while the daily tallies are not built
    unplaced: list[UnplacedOut]  # agents no figure counts, and why


@router.get("/attrition", response=AttritionOut)
def attrition(request: HttpRequest, query: Query[AttritionQuery]) -> dict[str, Any]:
    """Headcount at the start and end of each month, average headcount, hires, leavers,
    attrition rate (monthly and annualised), early leavers, tenure bands, and the leavers'
    last three full months against the stayers in the same months."""
    user = request_user(request)
    require(may_see_attrition(user))
    tallies_catch_up()
    today = timezone.localdate()
    first, last = attrition_months(
        _month(query.month_from), _month(query.month_to), this_month=today.replace(day=1)
    )
    team_id = None
    if query.team:
        team_id = attrition_teams(user).filter(code=query.team).values_list("pk", flat=True).first()
        if team_id is None:
            raise ValidationError(f"no team {query.team!r} among yours")
    figures = attrition_figures(
        user=user, first_month=first, last_month=last, team_id=team_id, today=today
    )
    report, comparison = figures.report, figures.comparison
    per_leaver = {p.leaver.employment.agent: p for p in comparison.per_leaver} if comparison else {}
    return {
        "first_month": f"{report.first_month:%Y-%m}",
        "last_month": f"{report.last_month:%Y-%m}",
        "as_of": report.as_of,
        "tenure_bands": [code for code, _low, _high in TENURE_BANDS],
        "totals": [_headcount(row) for row in report.totals],
        "months": [_headcount(row) for row in report.months],
        "tenure": [
            {"team": row.team, "staff": _bands(row.staff), "leavers": _bands(row.leavers)}
            for row in report.tenure
        ],
        "leavers": [
            _leaver(leaver, per_leaver.get(leaver.employment.agent)) for leaver in report.leavers
        ],
        "comparison": (
            {
                "leavers": _performance(comparison.leavers),
                "stayers": _performance(comparison.stayers),
            }
            if comparison
            else None
        ),
        "unplaced": [_unplaced(e, "no_hired_on") for e in report.undated]
        + [_unplaced(p.employment, "left_before_hired") for p in report.problems],
    }


def _month(text: str | None) -> date | None:
    return date.fromisoformat(f"{text}-01") if text else None


def _headcount(row: HeadcountRow) -> dict[str, Any]:
    f: Headcount = row.figures
    return {
        "month": row.month,
        "team": row.team,
        "months": f.months,
        "start": f.start,
        "end": f.end,
        "average": f.average,
        "hires": f.hires,
        "leavers": f.leavers,
        "early_leavers": f.early_leavers,
        "rate": f.rate,
        "annualised": f.annualised,
        "early_share": f.early_share,
    }


def _bands(counts: tuple[int, ...]) -> dict[str, int]:
    return {code: count for (code, _low, _high), count in zip(TENURE_BANDS, counts, strict=True)}


def _performance(performance: Performance) -> dict[str, Any]:
    return {
        "agents": performance.agents,
        "agent_months": performance.agent_months,
        "answered_per_month": performance.answered_per_month,
        "handle_time_s": performance.handle_time_s,
        "qa_score": performance.qa_score,
    }


def _leaver(leaver: Leaver, compared: LeaverPerformance | None) -> dict[str, Any]:
    employment = leaver.employment
    return {
        "agent": employment.agent,
        "name": employment.name,
        "team": employment.team,
        "hired_on": leaver.hired_on,
        "left_on": leaver.left_on,
        "reason": employment.reason,
        "tenure_days": leaver.tenure_days,
        "early": leaver.early,
        "tenure_band": leaver.band,
        "window": list(leaver.window),
        "own": _performance(compared.own) if compared else None,
        "stayers": _performance(compared.stayers) if compared else None,
    }


def _unplaced(employment: Employment, problem: str) -> dict[str, str]:
    return {
        "agent": employment.agent,
        "name": employment.name,
        "team": employment.team,
        "problem": problem,
    }
