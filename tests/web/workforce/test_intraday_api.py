"""The intraday day in the HTTP API: the page's figures as JSON, refused to the roles the page
refuses, and adherence scoped to the agents each caller sees."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
import time_machine

from lingting.workforce.models import ForecastRun
from tests.conftest import STAFF, Org
from tests.web.conftest import Api
from tests.web.workforce.test_intraday import (
    ADHERENCE_ROWS,
    DAY,
    NEXT_MORNING,
    at,
    set_up_monday,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def monday(org: Org, tmp_path: Path) -> ForecastRun:
    return set_up_monday(org, tmp_path)


#                 agent_li agent_zhang leader_wang leader_liu qa_sun qa_zhao ops_zhou planner
STATUSES = {
    "/workforce/intraday": (403, 403, 200, 200, 403, 403, 200, 200),
    "/workforce/adherence": (200, 200, 200, 200, 403, 403, 200, 200),
}  # fmt: skip


@pytest.mark.parametrize("path", STATUSES)
def test_each_role_reaches_only_the_intraday_figures_it_may(
    org: Org, monday: ForecastRun, path: str
) -> None:
    got = tuple(
        Api(org.users[name]).get(path, queue="ACD-01", day=DAY.isoformat()).status_code
        for name in STAFF
    )

    assert dict(zip(STAFF, got, strict=True)) == dict(zip(STAFF, STATUSES[path], strict=True))


@time_machine.travel(at(10, 5), tick=False)
def test_the_queues_day_re_forecast_and_re_staffed(org: Org, monday: ForecastRun) -> None:
    body = Api(org.users["planner_qian"]).get("/workforce/intraday", queue="ACD-01").json()

    assert (body["queue"], body["day"], body["forecast"]) == ("ACD-01", "2026-10-12", monday.pk)
    assert body["update"]["multiplier"] == pytest.approx(1.25)
    assert body["update"]["credibility"] == pytest.approx(0.75)
    assert (body["actual_so_far"], body["forecast_so_far"]) == (40, 30)
    assert body["day_expected"] == pytest.approx(40 + 37.5 + 50)
    intervals = body["intervals"]
    assert [i["reforecast"] for i in intervals] == [None, None, 37.5, 50.0]
    assert [i["cumulative_gap"] for i in intervals] == [5.0, 10.0, None, None]
    assert intervals[2]["restaffed_agents"] > intervals[2]["required_agents"]
    assert intervals[0]["rostered_agents"] == 2.0


def test_an_unknown_queue_is_a_404(org: Org) -> None:
    response = Api(org.users["ops_zhou"]).get("/workforce/intraday", queue="ACD-99")

    assert response.status_code == 404


def test_a_day_outside_the_calendar_is_a_422(org: Org) -> None:
    response = Api(org.users["ops_zhou"]).get("/workforce/adherence", day="1066-10-14")

    assert response.status_code == 422


@time_machine.travel(NEXT_MORNING, tick=False)
@pytest.mark.parametrize("username", ADHERENCE_ROWS)
def test_adherence_is_scoped_to_the_callers_agents(
    org: Org,
    monday: ForecastRun,
    username: str,
) -> None:
    body = Api(org.users[username]).get("/workforce/adherence", day=DAY.isoformat()).json()

    assert [agent["agent"] for agent in body["agents"]] == ADHERENCE_ROWS[username]


@time_machine.travel(NEXT_MORNING, tick=False)
def test_an_agent_reads_their_exceptions(org: Org, monday: ForecastRun) -> None:
    body: dict[str, Any] = (
        Api(org.users["agent_li"]).get("/workforce/adherence", day=DAY.isoformat()).json()
    )

    (li,) = body["agents"]
    assert li["totals"]["adherence"] == pytest.approx(468 / 480)
    assert li["totals"]["conformance"] == pytest.approx(473 / 465)
    assert [(e["scheduled"], e["minutes"], e["did"]) for e in li["exceptions"]] == [
        ("work", 10, {"not_ready": 600}),
        ("off", 20, {"ready": 1200}),
    ]
    assert datetime.fromisoformat(li["exceptions"][0]["starts_at"]) == at(11, 15)
