"""Workforce planning in the HTTP API: the same policy, forecast and requirement as the page,
for planners and operations managers only."""

from __future__ import annotations

from typing import Any

import pytest

from lingting.calendars.services import calendar_load
from lingting.core.models import AuditEvent, User
from lingting.workforce.models import ForecastRun, StaffingPolicy
from tests.conftest import STAFF
from tests.web.conftest import Api
from tests.web.workforce.test_planning import FORECAST_FIRST, FORECAST_LAST, store_history

pytestmark = pytest.mark.django_db

MAY_PLAN = {"ops_zhou", "planner_qian"}


@pytest.mark.parametrize("username", STAFF)
def test_only_planners_and_operations_managers_reach_planning(org: Any, username: str) -> None:
    api = Api(org.users[username])

    policy = api.get("/workforce/queues/ACD-01/policy")
    forecasts = api.get("/workforce/forecasts")

    expected = 200 if username in MAY_PLAN else 403
    assert (policy.status_code, forecasts.status_code) == (expected, expected)


def test_a_forecast_and_its_requirement_through_the_api(org: Any, planner_qian: User) -> None:
    calendar_load(year=2026)
    store_history(org.queues["ACD-01"])
    api = Api(planner_qian)

    created = api.post(
        "/workforce/forecasts",
        {
            "queue": "ACD-01",
            "first_day": FORECAST_FIRST.isoformat(),
            "last_day": FORECAST_LAST.isoformat(),
        },
    )

    assert created.status_code == 201
    forecast = created.json()
    run = ForecastRun.objects.get()
    assert forecast["id"] == run.pk
    assert forecast["queue"] == "ACD-01"
    assert len(forecast["intervals"]) == run.intervals.count() == 6 * 16
    assert forecast["patience_s"] == pytest.approx(90)
    requirement = api.get(f"/workforce/forecasts/{run.pk}/requirement").json()
    assert requirement["problems"] == []
    assert len(requirement["intervals"]) == 6 * 16
    assert [day["day"] for day in requirement["days"]][:3] == [
        "2026-09-28",
        "2026-09-29",
        "2026-09-30",
    ]
    for row in requirement["intervals"]:
        assert row["agents"] - 1 < row["fractional_agents"] <= row["agents"]
        assert row["service_level"] >= 0.8
    listed = api.get("/workforce/forecasts", queue="ACD-01").json()
    assert [item["id"] for item in listed] == [run.pk]


def test_the_policy_is_set_and_audited_through_the_api(org: Any, ops_zhou: User) -> None:
    api = Api(ops_zhou)
    body = {"model": "erlang_c", "service_level": 0.9, "answer_within_s": 15, "shrinkage": 0.25}

    answer = api.put("/workforce/queues/ACD-02/policy", body)

    assert answer.status_code == 200
    assert answer.json()["model"] == "erlang_c"
    policy = StaffingPolicy.objects.get(queue=org.queues["ACD-02"])
    assert (policy.service_level, policy.answer_within_s, policy.shrinkage) == (0.9, 15, 0.25)
    assert AuditEvent.objects.filter(action="staffing_policy.save", actor=ops_zhou).count() == 1


def test_bad_requests_say_what_is_wrong(org: Any, planner_qian: User) -> None:
    api = Api(planner_qian)

    out_of_range = api.put("/workforce/queues/ACD-01/policy", {"service_level": 80})
    unknown = api.get("/workforce/queues/NOPE/policy")
    no_history = api.post(
        "/workforce/forecasts",
        {"queue": "ACD-02", "first_day": "2026-09-28", "last_day": "2026-10-04"},
    )

    assert out_of_range.status_code == 422
    assert unknown.status_code == 404
    assert no_history.status_code == 400
    assert "no offered contacts" in no_history.json()["detail"]
    assert not StaffingPolicy.objects.exists()
