"""Webhook endpoints managed by administrators through the API; the API for external
systems (webhooks, the work orders' Idempotency-Key and change feed) in the OpenAPI
schema."""

from __future__ import annotations

from lingting.core.models import AuditEvent, Role, User
from lingting.webhooks.models import WebhookEndpoint
from tests.web.conftest import Api
from tests.web.webhooks.webhook_receiver import Receiver, receiver_fixture  # noqa: F401 (a fixture)


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
