"""Reads of the workforce app: time in each state and occupancy per agent or team; each
team's calls and satisfaction hour by hour (the hourly broadcast); headcount, hires, leavers
and leavers' last months against the stayers (attrition)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Literal

from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from lingting.core.models import Agent, Team, User
from lingting.engine.attrition import (
    AttritionReport,
    Comparison,
    Employment,
    FigureBook,
    MonthSums,
    attrition_report,
    compared_months,
    leaver_comparison,
)
from lingting.engine.csat import CsatTotals
from lingting.engine.occupancy import MAX_GAP, StateEvent, StateTotals, agent_days
from lingting.engine.streaks import add_months, month_key
from lingting.engine.targets import Status
from lingting.interactions.models import Contact
from lingting.performance.models import DailyTally
from lingting.performance.selectors import tallies_ready, target_book
from lingting.surveys.selectors import answers as survey_answers
from lingting.workforce.models import AgentStateEvent
from lingting.workforce.permissions import attrition_agents, broadcast_teams, occupancy_agents

GroupBy = Literal["agent", "team"]
Period = Literal["day", "month"]


@dataclass(frozen=True, slots=True)
class OccupancyRow:
    name: str  # the agent ("A1001 李娜") or the team
    period: str  # 2026-10-01, or 2026-10 by month
    totals: StateTotals
    agents: int  # agents with states in the row
    utilisation_status: Status | None = None  # against the team's, else the center's target


def occupancy_rows(
    *,
    user: User,
    date_from: date,
    date_to: date,
    by: GroupBy = "agent",
    period: Period = "day",
    team_id: int | None = None,
) -> list[OccupancyRow]:
    """Seconds per state, occupancy and utilisation of the agents `user` may see, per
    agent or team and per day or month, over the local days `date_from`..`date_to`.

    Events from a day either side are read too, so that a session open at midnight is
    counted on both days and its missing logout or login is judged on the whole session.
    """
    tz = timezone.get_current_timezone()
    agents = occupancy_agents(user)
    if team_id is not None:
        agents = agents.filter(team_id=team_id)
    names = {
        code: (f"{code} {name}".strip(), team or "", team_code)
        for code, name, team, team_code in agents.values_list(
            "code", "name", "team__name", "team__code"
        )
    }
    # Teams in the order of their codes (话务一班, 话务二班…); agents by their codes.
    team_codes = dict(agents.values_list("team__name", "team__code")) if by == "team" else {}
    start = datetime.combine(date_from - timedelta(days=1), time(), tzinfo=tz)
    end = datetime.combine(date_to + timedelta(days=2), time(), tzinfo=tz)
    rows = (
        AgentStateEvent.objects.filter(agent__in=agents.values("pk"), at__gte=start, at__lt=end)
        .order_by("agent_id", "at", "id")
        .values_list("agent__code", "state", "at", "reason")
        .iterator(chunk_size=5000)
    )
    events = [StateEvent(code, state, at, reason) for code, state, at, reason in rows]
    now = timezone.now()
    until = now if date_to >= now.astimezone(tz).date() else None
    grouped: dict[tuple[str, str], StateTotals] = defaultdict(StateTotals)
    members: dict[tuple[str, str], set[str]] = defaultdict(set)
    row_team: dict[str, str | None] = {}
    for day in agent_days(events, tz=tz, until=until, max_gap=MAX_GAP):
        if not date_from <= day.day <= date_to:
            continue
        agent_name, team_name, team = names[day.agent_id]
        name = agent_name if by == "agent" else team_name
        row_team[name] = team
        key = (name, day.day.isoformat() if period == "day" else f"{day.day:%Y-%m}")
        grouped[key].add(day.totals)
        members[key].add(day.agent_id)
    book = target_book()
    return [
        OccupancyRow(
            name,
            key_period,
            grouped[(name, key_period)],
            len(members[(name, key_period)]),
            book.status(
                "utilisation", grouped[(name, key_period)].utilisation, team=row_team[name]
            ),
        )
        for name, key_period in sorted(
            grouped, key=lambda k: (k[1], k[0] == "", team_codes.get(k[0], k[0]))
        )
    ]


def latest_state_day(user: User) -> date | None:
    """The local day of the latest state event `user` may see (where the page opens)."""
    latest = (
        AgentStateEvent.objects.filter(agent__in=occupancy_agents(user).values("pk"))
        .order_by("-at")
        .values_list("at", flat=True)
        .first()
    )
    return timezone.localtime(latest).date() if latest else None


@dataclass(frozen=True, slots=True)
class HourFigures:
    hour: int  # 0–23, local
    calls: int
    satisfaction: CsatTotals  # responses answered in the hour
    current: bool  # the hour is not over yet


@dataclass(frozen=True, slots=True)
class TeamBoard:
    """One team's day, hour by hour (000 §1(2): 每小时CALL量及实时满意度)."""

    team_id: int
    team: str
    hours: list[HourFigures]
    calls_today: int
    satisfaction_today: CsatTotals

    @property
    def busiest(self) -> int:
        return max((h.calls for h in self.hours), default=0)


def team_calls(*, teams: QuerySet[Team], start: datetime, end: datetime) -> dict[int, int]:
    """Contacts handled by each team's agents that started in [start, end), by team id.

    The team of a contact is its agent's team (today's team: agents who move take their
    history with them)."""
    rows = (
        Contact.objects.filter(
            agent__team__in=teams.values("pk"), started_at__gte=start, started_at__lt=end
        )
        .values_list("agent__team")
        .annotate(calls=Count("pk"))
        .order_by()
    )
    return dict(rows)


def team_satisfaction(
    *, teams: QuerySet[Team], start: datetime, end: datetime
) -> dict[int, CsatTotals]:
    """CSAT of the responses answered in [start, end) about each team's contacts."""
    totals: dict[int, CsatTotals] = defaultdict(CsatTotals)
    contacts = Q(agent__team__in=teams.values("pk"))
    for answer in survey_answers(contacts=contacts, start=start, end=end):
        if answer.team_id is not None:
            totals[answer.team_id].add(answer.score, answer.scale)
    return totals


def broadcast_board(*, user: User, day: date) -> list[TeamBoard]:
    """Calls per hour and satisfaction per hour and so far, for each team `user` sees, on
    the local `day` (up to now when it is today)."""
    tz = timezone.get_current_timezone()
    teams = broadcast_teams(user)
    start = datetime.combine(day, time(), tzinfo=tz)
    end = datetime.combine(day + timedelta(days=1), time(), tzinfo=tz)
    now = timezone.now()
    calls: dict[tuple[int, int], int] = defaultdict(int)
    for team_id, started_at in (
        Contact.objects.filter(
            agent__team__in=teams.values("pk"), started_at__gte=start, started_at__lt=end
        )
        .values_list("agent__team", "started_at")
        .iterator(chunk_size=5000)
    ):
        if started_at is not None:  # the range filter leaves none; this tells mypy
            calls[(team_id, started_at.astimezone(tz).hour)] += 1
    hourly: dict[tuple[int, int], CsatTotals] = defaultdict(CsatTotals)
    for answer in survey_answers(
        contacts=Q(agent__team__in=teams.values("pk")), start=start, end=end
    ):
        if answer.team_id is not None:
            hourly[(answer.team_id, answer.answered_at.astimezone(tz).hour)].add(
                answer.score, answer.scale
            )
    boards = []
    for team_id, name in teams.order_by("code").values_list("pk", "name"):
        hours = [
            HourFigures(
                hour,
                calls[(team_id, hour)],
                hourly[(team_id, hour)],
                start + timedelta(hours=hour) <= now < start + timedelta(hours=hour + 1),
            )
            for hour in range(24)
        ]
        today = CsatTotals()
        for figures in hours:
            today.merge(figures.satisfaction)
        boards.append(TeamBoard(team_id, name, hours, sum(h.calls for h in hours), today))
    return boards


def latest_call_day(user: User) -> date | None:
    """The local day of the latest contact of a team `user` sees."""
    latest = (
        Contact.objects.filter(agent__team__in=broadcast_teams(user).values("pk"))
        .order_by("-started_at")
        .values_list("started_at", flat=True)
        .first()
    )
    return timezone.localtime(latest).date() if latest else None


@dataclass(frozen=True, slots=True)
class AttritionFigures:
    report: AttritionReport
    comparison: Comparison | None  # None while the daily tallies were never built


def attrition_figures(
    *, user: User, first_month: date, last_month: date, today: date, team_id: int | None = None
) -> AttritionFigures:
    """Headcount, hires, leavers and tenure (engine.attrition) of the agents `user` may see
    (of one team with `team_id`), the months `first_month`..`last_month`; the staff's tenure
    on the months' last day, or `today` while that is still to come. Each agent counts in
    today's team: moves between teams are not kept."""
    agents = attrition_agents(user)
    if team_id is not None:
        agents = agents.filter(team_id=team_id)
    employments = [
        Employment(code, team or "", hired, left, reason, name)
        for code, name, team, hired, left, reason in agents.order_by(
            F("team__code").asc(nulls_last=True), "code"
        ).values_list("code", "name", "team__name", "hired_on", "left_on", "leaving_reason")
    ]
    months_end = add_months(last_month, 1) - timedelta(days=1)
    report = attrition_report(
        employments,
        first_month=first_month,
        last_month=last_month,
        as_of=min(months_end, today),
    )
    if not tallies_ready():
        return AttritionFigures(report, None)
    figures = agent_month_sums(agents=agents, months=compared_months(report))
    return AttritionFigures(report, leaver_comparison(report, employments, figures))


def agent_month_sums(*, agents: QuerySet[Agent], months: list[str]) -> FigureBook:
    """Each of `agents`' answered calls, handle time and QA score of record in each of
    `months` ("2026-10"), added up from the daily tallies (performance.tallies); an agent
    who handled no contact in a month has no entry for it."""
    if not months:
        return {}
    first = date.fromisoformat(f"{min(months)}-01")
    end = add_months(date.fromisoformat(f"{max(months)}-01"), 1)
    wanted = set(months)
    rows = (
        DailyTally.objects.filter(agent__in=agents.values("pk"), day__gte=first, day__lt=end)
        .annotate(month=TruncMonth("day"))
        .values("agent__code", "month")
        .annotate(
            handled_sum=Sum("handled"),
            answered_sum=Sum("answered"),
            handle_count_sum=Sum("handle_count"),
            handle_time_sum=Sum("handle_sum"),
            qa_scored_sum=Sum("qa_scored"),
            qa_score_total=Sum("qa_score_sum"),
        )
        .order_by()
    )
    return {
        (row["agent__code"], month_key(row["month"])): MonthSums(
            row["answered_sum"] or 0,
            row["handle_count_sum"] or 0,
            row["handle_time_sum"] or 0.0,
            row["qa_scored_sum"] or 0,
            row["qa_score_total"] or 0.0,
        )
        for row in rows
        if row["handled_sum"] and month_key(row["month"]) in wanted
    }
