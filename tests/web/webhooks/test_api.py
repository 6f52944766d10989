"""The API for external systems: an idempotent create (Idempotency-Key), polling for the
orders changed since a moment, and webhook endpoints managed by administrators; all in the
OpenAPI schema."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO
from typing import Any

from django.core.management import call_command
from django.utils import timezone

from lingting.core.models import AuditEvent, Role, User
from lingting.webhooks.models import ApiIdempotencyKey, WebhookEndpoint
from lingting.workorders.models import WorkOrder
from tests.web.conftest import Api
from tests.web.webhooks.webhook_receiver import Receiver, receiver_fixture  # noqa: F401 (a fixture)

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
    hourly webhooks_deliver deletes it) and reusing it makes a new order."""
    api = Api(agent_li)
    first = _post(api, BODY, "crm-9").json()["number"]
    ApiIdempotencyKey.objects.update(created_at=timezone.now() - timedelta(hours=23))
    assert _post(api, BODY, "crm-9").json()["number"] == first
    ApiIdempotencyKey.objects.update(created_at=timezone.now() - timedelta(hours=25))
    out = StringIO()
    call_command("webhooks_deliver", stdout=out)
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


def test_administrators_manage_webhooks_through_the_api(
    ops_zhou: User, receiver: Receiver, db: None
) -> None:
    admin = User.objects.create_user("admin_ma", role=Role.ADMIN)
    api = Api(admin)
    made = api.post("/webhooks/", {"name": "CRM", "url": receiver.url, "events": ["*"]})
    assert made.status_code == 201
    secret = made.json()["secret"]
    assert secret.startswith("whsec_")
    endpoint_id = made.json()["id"]
    listed = api.get("/webhooks/").json()
    assert [e["name"] for e in listed] == ["CRM"]
    assert "secret" not in listed[0]
    changed = api.put(
        f"/webhooks/{endpoint_id}",
        {"name": "CRM", "url": receiver.url, "events": ["workorder.close"]},
    )
    assert changed.json()["events"] == ["workorder.close"]
    ping = api.client.post(f"/api/webhooks/{endpoint_id}/ping")
    answer = ping.json()
    # Status and timing only: the receiver's reply ("ok") never comes back to the caller.
    assert answer == {"delivered": True, "status_code": 200, "duration_ms": answer["duration_ms"]}
    assert 0 <= answer["duration_ms"] < 5000
    assert receiver.events() == ["ping"]
    bad = api.post("/webhooks/", {"name": "x", "url": "http://x.test/", "events": ["nope"]})
    assert bad.status_code == 422
    assert AuditEvent.objects.filter(action__startswith="webhook.").count() == 2
    outsider = Api(ops_zhou)
    assert outsider.get("/webhooks/").status_code == 403
    assert outsider.post("/webhooks/", {"name": "x", "url": "http://x.test/"}).status_code == 403
    assert WebhookEndpoint.objects.count() == 1


def test_the_schema_documents_the_key_polling_and_webhooks(agent_li: User, db: None) -> None:
    schema = Api(agent_li).get("/openapi.json").json()
    create = schema["paths"]["/api/tickets/"]["post"]
    assert any(p["name"] == "Idempotency-Key" and p["in"] == "header" for p in create["parameters"])
    changes = schema["paths"]["/api/tickets/changes"]["get"]
    assert {p["name"] for p in changes["parameters"]} >= {"updated_since", "cursor", "limit"}
    assert "/api/webhooks/" in schema["paths"]
