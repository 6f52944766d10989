"""The performance tables (KPIs by agent and by queue, as pages and in the API; the targets;
the monthly assessment; the weekly ranking) ask as many queries for 200 rows as for 20."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from lingting.core.models import User
from lingting.performance.models import KpiTarget
from lingting.performance.services import assessment_compute
from tests.conftest import SHANGHAI
from tests.web.listing import rows
from tests.web.listing.conftest import AssertFlat
from tests.web.listing.rows import Center

WEEK_41 = datetime(2026, 10, 5, 9, 0, tzinfo=SHANGHAI)  # a Monday
OCTOBER = "date_from=2026-10-01&date_to=2026-10-31"


def reviewed_agents(center: Center, numbers: range, *, reviewer: User) -> None:
    """New agents AG-nnn (in new teams T-nnn), each with a contact of week 41 its record
    scored: what the assessment and the ranking rank."""
    made = rows.agents(center.org, numbers, team=rows.teams(numbers))
    contacts = rows.contacts(
        center, numbers, agent=[agent.code for agent in made], first_call=WEEK_41
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
def test_kpis_queries_do_not_grow(
    url: str, shown: str, assert_flat: AssertFlat, center: Center, ops_zhou: User
) -> None:
    """A row per agent or per queue, each row's agent in a team with targets of its own."""

    def add_rows(numbers: range) -> None:
        teams = rows.teams(numbers)
        agents = rows.agents(center.org, numbers, team=teams)
        KpiTarget.objects.bulk_create(
            KpiTarget(figure="qa_score", team=team, green=85, amber=75) for team in teams
        )
        rows.contacts(
            center,
            numbers,
            agent=[agent.code for agent in agents],
            queue=[queue.code for queue in rows.queues(center.org, numbers)],
        )

    assert_flat(ops_zhou, url, add_rows=add_rows, shown=shown)


def test_kpi_targets_queries_do_not_grow(assert_flat: AssertFlat, ops_zhou: User) -> None:
    url = "/performance/targets/"

    def add_rows(numbers: range) -> None:
        KpiTarget.objects.bulk_create(
            KpiTarget(figure="qa_score", team=team, green=85, amber=75)
            for team in rows.teams(numbers)
        )

    assert_flat(ops_zhou, url, add_rows=add_rows, shown="班组{n:03d}")


@pytest.mark.parametrize(
    ("reader", "url"),
    [
        ("ops_zhou", "/performance/assessment/?month=2026-10"),
        ("agent_li", "/performance/ranking/?week=2026-W41"),
    ],
)
def test_assessment_and_ranking_queries_do_not_grow(
    reader: str, url: str, assert_flat: AssertFlat, center: Center, ops_zhou: User, qa_sun: User
) -> None:
    """The monthly assessment, computed by the service after each batch as the operations
    manager would, and the weekly ranking every agent reads."""

    def add_rows(numbers: range) -> None:
        reviewed_agents(center, numbers, reviewer=qa_sun)
        assessment_compute(actor=ops_zhou, month=date(2026, 10, 1))

    assert_flat(center.org.users[reader], url, add_rows=add_rows, shown="坐席{n:03d}")
