"""A tiny 24-hour pool on the planning page and in the API (issue 14): its policy opens it
around the clock and keeps a seat manned in every interval; both audited, both explained."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta

import pytest
from django.test import Client
from django.urls import reverse

from lingting.core.models import AuditEvent, User
from lingting.interactions.models import Contact, Queue
from lingting.workforce.models import ForecastRun, StaffingPolicy
from lingting.workforce.selectors.planning import requirement_of
from tests.conftest import SHANGHAI, Org
from tests.web.conftest import Api

pytestmark = pytest.mark.django_db
ClientFor = Callable[[User], Client]

HISTORY_FIRST = date(2026, 8, 17)  # a Monday; six weeks up to Sunday 27 September
FORECAST_FIRST, FORECAST_LAST = date(2026, 9, 28), date(2026, 10, 4)
POLICY = {
    "model": "erlang_a",
    "interval_minutes": 30,
    "closed_on_holidays": "",  # a 24-hour line works the holidays
    "service_level": "80",
    "answer_within_s": "20",
    "service_level_basis": "offered",
    "short_abandon_s": "5",
    "shrinkage": "30",
    "aht_s": "300",
    "patience_s": "120",
}


def kham_history(queue: Queue) -> None:
    """Three calls a day, every day: 09:10, 09:40 and 20:05 (a 康巴 pool)."""
    contacts = []
    for offset in range((FORECAST_FIRST - HISTORY_FIRST).days):
        day = HISTORY_FIRST + timedelta(days=offset)
        for hour, minute in ((9, 10), (9, 40), (20, 5)):
            queued = datetime(day.year, day.month, day.day, hour, minute, tzinfo=SHANGHAI)
            contacts.append(
                Contact(
                    external_id=f"KB-{queued:%Y%m%d%H%M}",
                    channel="voice",
                    direction="inbound",
                    queue=queue,
                    queued_at=queued,
                    started_at=queued,
                    answered_at=queued + timedelta(seconds=8),
                    ended_at=queued + timedelta(seconds=308),
                    disposition="answered",
                    wait_s=8.0,
                    talk_s=280.0,
                    acw_s=20.0,
                )
            )
    Contact.objects.bulk_create(contacts)


def save_policy(client: Client, queue: Queue, **fields: str) -> str:
    response = client.post(
        reverse("workforce:planning_policy", args=[queue.pk]), POLICY | fields, follow=True
    )
    return str(response.content.decode())


def forecast(client: Client, queue: Queue) -> ForecastRun:
    client.post(
        reverse("workforce:planning_forecast", args=[queue.pk]),
        {"first_day": FORECAST_FIRST.isoformat(), "last_day": FORECAST_LAST.isoformat()},
    )
    return ForecastRun.objects.filter(queue=queue).get()


def test_learned_hours_leave_a_tiny_pool_open_three_half_hours_a_day(
    client_for: ClientFor, org: Org, planner_qian: User
) -> None:
    queue = Queue.objects.create(code="95598-KB", name="95598藏语康巴")
    kham_history(queue)
    client = client_for(planner_qian)
    save_policy(client, queue)

    run = forecast(client, queue)

    assert run.intervals.count() == 7 * 3  # 09:00, 09:30, 20:00: the rest read as closed


def test_around_the_clock_with_one_seat_forecasts_and_staffs_every_half_hour(
    client_for: ClientFor, org: Org, planner_qian: User
) -> None:
    queue = Queue.objects.create(code="95598-KB", name="95598藏语康巴")
    kham_history(queue)
    client = client_for(planner_qian)

    page = save_policy(client, queue, open_hours="around_the_clock", min_agents="1")
    run = forecast(client, queue)

    assert "已保存 95598藏语康巴 的人力配置策略" in page
    policy = StaffingPolicy.objects.get(queue=queue)
    assert (policy.open_hours, policy.min_agents) == ("around_the_clock", 1)
    event = AuditEvent.objects.get(action="staffing_policy.save")
    assert (event.after["open_hours"], event.after["min_agents"]) == ("around_the_clock", 1)
    assert run.intervals.count() == 7 * 48
    rows = requirement_of(run, policy).rows
    night = [r for r in rows if r.starts_at.astimezone(SHANGHAI).hour == 3]
    assert all(r.calls < 0.1 for r in night)  # a quiet night forecast near zero
    assert all(r.agents == 1 and r.fractional_agents == 1.0 for r in rows)  # a seat manned
    assert all(r.scheduled == 2 for r in rows)  # 1 ÷ (1 − 30 % shrinkage), rounded up

    planning = client.get(reverse("workforce:planning"), {"queue": queue.pk}).content.decode()
    assert 'id="open-hours-help"' in planning
    assert "24 小时（每个时段都营业）" in planning
    assert "每个营业时段至少 1 名在线坐席（策略的下限）" in planning


def test_a_minimum_out_of_range_is_refused_with_its_reason(
    client_for: ClientFor, org: Org, planner_qian: User
) -> None:
    queue = org.queues["ACD-01"]

    page = save_policy(client_for(planner_qian), queue, min_agents="101")

    assert "策略未保存" in page
    assert not StaffingPolicy.objects.filter(queue=queue).exists()


def test_a_policy_posted_without_the_new_settings_keeps_learned_hours_and_no_minimum(
    client_for: ClientFor, org: Org, planner_qian: User
) -> None:
    save_policy(client_for(planner_qian), org.queues["ACD-01"])

    policy = StaffingPolicy.objects.get(queue=org.queues["ACD-01"])
    assert (policy.open_hours, policy.min_agents) == ("learned", 0)


def test_the_api_sets_and_reads_the_opening_hours_and_the_minimum(
    org: Org, planner_qian: User
) -> None:
    api = Api(planner_qian)

    saved = api.put(
        "/workforce/queues/ACD-02/policy", {"open_hours": "around_the_clock", "min_agents": 2}
    )
    read = api.get("/workforce/queues/ACD-02/policy").json()
    default = api.get("/workforce/queues/ACD-01/policy").json()
    bad = api.put("/workforce/queues/ACD-02/policy", {"open_hours": "sometimes"})
    negative = api.put("/workforce/queues/ACD-02/policy", {"min_agents": -1})

    assert saved.status_code == 200
    assert (read["open_hours"], read["min_agents"]) == ("around_the_clock", 2)
    assert (default["open_hours"], default["min_agents"]) == ("learned", 0)
    assert (bad.status_code, negative.status_code) == (422, 422)
    policy = StaffingPolicy.objects.get(queue=org.queues["ACD-02"])
    assert (policy.open_hours, policy.min_agents) == ("around_the_clock", 2)
    event = AuditEvent.objects.get(action="staffing_policy.save")
    assert event.after["min_agents"] == 2
