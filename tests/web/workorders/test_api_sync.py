"""The work-order API for external systems: an idempotent create (Idempotency-Key) and
polling for the orders changed since a moment."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO
from typing import Any

from django.core.management import call_command
from django.utils import timezone

from lingting.core.models import User
from lingting.workorders.models import ApiIdempotencyKey, WorkOrder
from tests.web.conftest import Api

BODY = {"type": "complaint", "title": "停电三天", "fields": {"phone": "13812345678"}}


def _post(api: Api, body: dict[str, Any], key: str) -> Any:
    return api.client.post(
        "/api/tickets/", body, content_type="application/json", headers={"Idempotency-Key": key}
    )


def test_the_same_idempotency_key_twice_makes_one_order(agent_li: User, db: None) -> None:
    api = Api(agent_li)
    first = _post(api, BODY, "crm-4711")
    again = _post(api, BODY, "crm-4711")
    assert (first.status_code, again.status_code) == (201, 201)
    assert first.json()["number"] == again.json()["number"]
    assert again.headers["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first.headers
    assert WorkOrder.objects.count() == 1
    assert _post(api, BODY, "crm-4712").json()["number"] != first.json()["number"]
    assert WorkOrder.objects.count() == 2


def test_the_same_key_with_another_body_is_422_and_makes_nothing(agent_li: User, db: None) -> None:
    api = Api(agent_li)
    _post(api, BODY, "crm-4711")
    other = _post(api, BODY | {"title": "另一件事"}, "crm-4711")
    assert other.status_code == 422
    assert "这个 Idempotency-Key 已用于另一个不同的请求" in str(other.json())
    assert WorkOrder.objects.count() == 1


def test_keys_belong_to_the_api_key_that_sent_them(agent_li: User, db: None) -> None:
    first = _post(Api(agent_li), BODY, "crm-4711").json()["number"]
    second = _post(Api(agent_li), BODY, "crm-4711").json()["number"]  # another key
    assert first != second


def test_a_refused_create_does_not_use_up_the_key(agent_li: User, db: None) -> None:
    api = Api(agent_li)
    refused = _post(api, {"type": "complaint", "title": "x"}, "crm-1")  # no phone
    assert refused.status_code == 422
    assert _post(api, BODY, "crm-1").status_code == 201


def test_a_key_is_remembered_for_a_day_then_forgotten(agent_li: User, db: None) -> None:
    """Within 24 hours a retry answers the first order; after, the key is forgotten (the
    hourly workorder_warn deletes it) and reusing it makes a new order."""
    api = Api(agent_li)
    first = _post(api, BODY, "crm-9").json()["number"]
    ApiIdempotencyKey.objects.update(created_at=timezone.now() - timedelta(hours=23))
    assert _post(api, BODY, "crm-9").json()["number"] == first
    ApiIdempotencyKey.objects.update(created_at=timezone.now() - timedelta(hours=25))
    out = StringIO()
    call_command("workorder_warn", stdout=out)
    assert "forgot 1 idempotency keys older than 24 hours" in out.getvalue()
    again = _post(api, BODY, "crm-9")
    assert (again.status_code, "Idempotent-Replayed" in again.headers) == (201, False)
    assert again.json()["number"] != first


def test_an_expired_key_is_forgotten_even_before_the_hourly_run(agent_li: User, db: None) -> None:
    api = Api(agent_li)
    first = _post(api, BODY | {"title": "旧的"}, "crm-10").json()["number"]
    ApiIdempotencyKey.objects.update(created_at=timezone.now() - timedelta(hours=25))
    reused = _post(api, BODY, "crm-10")  # another body, but the old use is forgotten
    assert reused.status_code == 201
    assert reused.json()["number"] != first


def test_polling_lists_what_changed_since_with_a_cursor(agent_li: User, db: None) -> None:
    api = Api(agent_li)
    numbers = [api.post("/tickets/", BODY).json()["number"] for _ in range(3)]
    start = timezone.now() - timedelta(minutes=10)
    for minutes, number in enumerate(numbers):  # settled changes, a minute apart
        WorkOrder.objects.filter(number=number).update(
            updated_at=start + timedelta(minutes=minutes)
        )
    since = (start + timedelta(seconds=30)).isoformat()
    page = api.get("/tickets/changes", updated_since=since, limit=1).json()
    assert [o["number"] for o in page["orders"]] == [numbers[1]]
    assert page["has_more"] is True
    rest = api.get("/tickets/changes", cursor=page["cursor"]).json()
    assert [o["number"] for o in rest["orders"]] == [numbers[2]]
    assert rest["has_more"] is False
    assert api.get("/tickets/changes", cursor=rest["cursor"]).json()["orders"] == []
    closed = numbers[1]
    WorkOrder.objects.filter(number=closed).update(
        state="cancelled", updated_at=timezone.now() - timedelta(minutes=1)
    )
    later = api.get("/tickets/changes", cursor=rest["cursor"]).json()
    assert [(o["number"], o["state"]) for o in later["orders"]] == [(closed, "cancelled")]
    assert api.get("/tickets/changes", cursor="nonsense").status_code == 422


def test_a_change_still_settling_waits_for_the_next_poll(agent_li: User, db: None) -> None:
    api = Api(agent_li)
    api.post("/tickets/", BODY)
    since = (timezone.now() - timedelta(hours=1)).isoformat()
    assert api.get("/tickets/changes", updated_since=since).json()["orders"] == []
    WorkOrder.objects.update(updated_at=timezone.now() - timedelta(seconds=11))
    assert len(api.get("/tickets/changes", updated_since=since).json()["orders"]) == 1


def test_polling_is_scoped_like_the_list(agent_li: User, agent_zhang: User, db: None) -> None:
    Api(agent_li).post("/tickets/", BODY)
    WorkOrder.objects.update(updated_at=timezone.now() - timedelta(minutes=1))
    assert Api(agent_zhang).get("/tickets/changes").json()["orders"] == []
    assert len(Api(agent_li).get("/tickets/changes").json()["orders"]) == 1
