"""The center's other tables (satisfaction by team, queue and day with its low-score
comments, the hourly broadcast's team boards, occupancy by agent and by team, the calendar's
corrections) ask as many queries for 200 rows as for 20."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from lingting.calendars.models import CalendarDay, DayKind, Source
from lingting.core.models import User
from lingting.performance.models import KpiTarget
from lingting.surveys.models import SurveyResponse
from lingting.workforce.models import AgentState, AgentStateEvent
from tests.conftest import Org
from tests.web.listing import rows
from tests.web.listing.conftest import AssertFlat
from tests.web.listing.rows import FIRST_CALL, Center


def surveyed_teams(center: Center, numbers: range) -> None:
    """Per row: a team T-nnn with a satisfaction target of its own, its agent AG-nnn, a
    contact of 1 October 2026 in queue Q-nnn and the customer's low score with a comment."""
    teams = rows.teams(numbers)
    KpiTarget.objects.bulk_create(
        KpiTarget(figure="csat", team=team, green=0.9, amber=0.8) for team in teams
    )
    agents = rows.agents(center.org, numbers, team=teams)
    contacts = rows.contacts(
        center,
        numbers,
        agent=[agent.code for agent in agents],
        queue=[queue.code for queue in rows.queues(center.org, numbers)],
    )
    SurveyResponse.objects.bulk_create(
        SurveyResponse(
            contact=contact,
            channel="sms",
            score=1,
            answered_at=FIRST_CALL + timedelta(minutes=n, seconds=330),
            comment=f"{contact.external_id} 等太久了",
        )
        for n, contact in zip(numbers, contacts, strict=True)
    )


SATISFACTION = "/surveys/?date_from=2026-10-01&date_to=2026-10-31&by="


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        (f"{SATISFACTION}team", "班组{n:03d}"),
        (f"{SATISFACTION}queue", "队列{n:03d}"),
        (f"{SATISFACTION}day", "L-{n:03d}"),  # the low scores' comments under the days
        ("/workforce/broadcast/?day=2026-10-01", "班组{n:03d}"),
    ],
)
def test_satisfaction_queries_do_not_grow(
    url: str, shown: str, assert_flat: AssertFlat, center: Center, ops_zhou: User
) -> None:
    """The satisfaction page by team, queue and day, and the teams' hourly broadcast."""

    def add_rows(numbers: range) -> None:
        surveyed_teams(center, numbers)

    assert_flat(ops_zhou, url, add_rows=add_rows, shown=shown)


@pytest.mark.parametrize(("by", "shown"), [("agent", "AG-{n:03d}"), ("team", "班组{n:03d}")])
def test_occupancy_queries_do_not_grow(
    by: str, shown: str, assert_flat: AssertFlat, org: Org, ops_zhou: User
) -> None:
    """Per row: an agent in a team of its own, logged in, ready, busy and out on 1 October."""
    url = f"/workforce/occupancy/?date_from=2026-10-01&date_to=2026-10-01&by={by}"
    day = [
        (AgentState.LOGIN, timedelta(0)),
        (AgentState.READY, timedelta(minutes=1)),
        (AgentState.BUSY, timedelta(minutes=30)),
        (AgentState.ACW, timedelta(minutes=35)),
        (AgentState.LOGOUT, timedelta(hours=8)),
    ]

    def add_rows(numbers: range) -> None:
        AgentStateEvent.objects.bulk_create(
            AgentStateEvent(agent=agent, state=state, at=FIRST_CALL + after)
            for agent in rows.agents(org, numbers, team=rows.teams(numbers))
            for state, after in day
        )

    assert_flat(ops_zhou, url, add_rows=add_rows, shown=shown)


def test_calendar_corrections_queries_do_not_grow(assert_flat: AssertFlat, ops_zhou: User) -> None:
    """An administrator's correction for each of the first 200 days of 2026."""
    url = "/calendars/?year=2026"
    first_day = date(2026, 1, 1)

    def add_rows(numbers: range) -> None:
        CalendarDay.objects.bulk_create(
            CalendarDay(
                date=first_day + timedelta(days=n),
                kind=DayKind.HOLIDAY,
                name=f"假日{n:03d}",
                source=Source.ADMIN,
                note="更正",
                changed_by=ops_zhou,
            )
            for n in numbers
        )

    assert_flat(ops_zhou, url, add_rows=add_rows, shown="假日{n:03d}")
