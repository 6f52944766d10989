"""The performance tables (KPIs by agent and by queue, as pages and in the API; the targets;
the monthly assessment; the weekly ranking) ask as many queries for 200 rows as for 20."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from lingting.core.models import User
from lingting.performance.models import KpiTarget
from lingting.performance.services import assessment_compute
from lingting.quality.models import ScorecardVersion
from tests.conftest import SHANGHAI, Org
from tests.web.listing import rows
from tests.web.listing.conftest import ClientOf
from tests.web.listing.counting import assert_queries_flat

WEEK_41 = datetime(2026, 10, 5, 9, 0, tzinfo=SHANGHAI)  # a Monday
OCTOBER = "date_from=2026-10-01&date_to=2026-10-31"


def reviewed_agents(org: Org, version: ScorecardVersion, numbers: range, *, reviewer: User) -> None:
    """New agents AG-nnn (in new teams T-nnn), each with a contact of week 41 its record
    scored: what the assessment and the ranking rank."""
    made = rows.agents(org, numbers, team=rows.teams(numbers))
    contacts = rows.contacts(
        org, version, numbers, agent=[agent.code for agent in made], first_call=WEEK_41
    )
    rows.evaluations(contacts, reviewer=reviewer)


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        (f"/performance/kpis/?by=agent&{OCTOBER}", "坐席{n:03d}"),
        (f"/api/kpis/?by=agent&{OCTOBER}", "AG-{n:03d}"),
        (f"/performance/kpis/?by=queue&{OCTOBER}", "队列{n:03d}"),
        (f"/api/kpis/?by=queue&{OCTOBER}", "Q-{n:03d}"),
    ],
)
def test_kpis(
    url: str,
    shown: str,
    client_of: ClientOf,
    org: Org,
    ops_zhou: User,
    standard_version: ScorecardVersion,
) -> None:
    """A row per agent or per queue, each row's agent in a team with targets of its own."""

    def add_rows(numbers: range) -> None:
        teams = rows.teams(numbers)
        agents = rows.agents(org, numbers, team=teams)
        KpiTarget.objects.bulk_create(
            KpiTarget(figure="qa_score", team=team, green=85, amber=75) for team in teams
        )
        rows.contacts(
            org,
            standard_version,
            numbers,
            agent=[agent.code for agent in agents],
            queue=[queue.code for queue in rows.queues(org, numbers)],
        )

    assert_queries_flat(
        client_of(ops_zhou, url), url, add_rows=add_rows, shown=lambda n: shown.format(n=n)
    )


def test_kpi_targets(client_of: ClientOf, ops_zhou: User) -> None:
    url = "/performance/targets/"

    def add_rows(numbers: range) -> None:
        KpiTarget.objects.bulk_create(
            KpiTarget(figure="qa_score", team=team, green=85, amber=75)
            for team in rows.teams(numbers)
        )

    assert_queries_flat(
        client_of(ops_zhou, url), url, add_rows=add_rows, shown=lambda n: f"班组{n:03d}"
    )


def test_monthly_assessment(
    client_of: ClientOf, org: Org, ops_zhou: User, qa_sun: User, standard_version: ScorecardVersion
) -> None:
    """Computed by the service after each batch, as the operations manager would."""
    url = "/performance/assessment/?month=2026-10"

    def add_rows(numbers: range) -> None:
        reviewed_agents(org, standard_version, numbers, reviewer=qa_sun)
        assessment_compute(actor=ops_zhou, month=date(2026, 10, 1))

    assert_queries_flat(
        client_of(ops_zhou, url), url, add_rows=add_rows, shown=lambda n: f"坐席{n:03d}"
    )


def test_weekly_ranking(
    client_of: ClientOf, org: Org, agent_li: User, qa_sun: User, standard_version: ScorecardVersion
) -> None:
    url = "/performance/ranking/?week=2026-W41"

    def add_rows(numbers: range) -> None:
        reviewed_agents(org, standard_version, numbers, reviewer=qa_sun)

    assert_queries_flat(
        client_of(agent_li, url), url, add_rows=add_rows, shown=lambda n: f"坐席{n:03d}"
    )
