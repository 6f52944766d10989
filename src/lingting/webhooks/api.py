"""Webhook endpoints in the HTTP API (/api/webhooks/), for administrators: list, register
(the signing secret is in that answer only), change, send a test ping.

How a receiver verifies a delivery: ``X-Lingting-Signature`` is ``sha256=`` and the hex
HMAC-SHA256, keyed with the endpoint's secret, of ``X-Lingting-Timestamp + "." + raw body``;
compare in constant time and refuse timestamps more than five minutes away. Other headers:
``X-Lingting-Event`` (``workorder.<step>``, ``ping``) and ``X-Lingting-Delivery`` (a UUID per
delivery). 2xx is delivered; anything else is retried after 1 min, 5 min, 30 min, 2 h and
12 h, then given up.
"""

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from lingting.core.params import RowId
from lingting.core.permissions import request_user, require
from lingting.engine.webhooks import ALL_EVENTS, event_types
from lingting.webhooks.models import WebhookEndpoint
from lingting.webhooks.permissions import may_manage_webhooks
from lingting.webhooks.services import (
    EndpointSpec,
    webhook_endpoint_create,
    webhook_endpoint_update,
    webhook_ping,
)

router = Router(tags=["webhooks"])


class EndpointIn(Schema):
    name: str
    url: str  # http:// or https://
    events: list[str] = Field(
        default_factory=lambda: [ALL_EVENTS],
        description=f"'{ALL_EVENTS}' for all, or some of: {', '.join(event_types())}",
    )
    personal_numbers: bool = False  # personal numbers in full (masked by default)
    is_active: bool = True


class EndpointOut(Schema):
    id: int
    name: str
    url: str
    events: list[str]
    personal_numbers: bool
    is_active: bool
    disabled_reason: str
    failures_in_a_row: int
    created_at: datetime


class EndpointCreated(EndpointOut):
    secret: str  # shown in this answer only


class PingOut(Schema):
    """What the test ping tells its caller: whether it arrived, the receiver's status code and
    how long it took. Never the receiver's reply: the ping would otherwise read any address
    it is pointed at for whoever sends it."""

    delivered: bool
    status_code: int | None  # None: no HTTP answer (refused, timed out, bad address)
    duration_ms: int


class Problem(Schema):
    detail: str | list[str]


def _spec(body: EndpointIn) -> EndpointSpec:
    return EndpointSpec(
        name=body.name,
        url=body.url,
        events=body.events,
        personal_numbers=body.personal_numbers,
        is_active=body.is_active,
    )


def _endpoint(request: HttpRequest, endpoint_id: RowId) -> WebhookEndpoint | None:
    require(may_manage_webhooks(request_user(request)))
    return WebhookEndpoint.objects.filter(pk=endpoint_id).first()


@router.get("/", response=list[EndpointOut])
def endpoint_list(request: HttpRequest) -> list[WebhookEndpoint]:
    require(may_manage_webhooks(request_user(request)))
    return list(WebhookEndpoint.objects.order_by("name", "id"))


@router.post("/", response={201: EndpointCreated})
def endpoint_create(request: HttpRequest, body: EndpointIn) -> Status[dict[str, Any]]:
    endpoint, secret = webhook_endpoint_create(actor=request_user(request), spec=_spec(body))
    shown = EndpointOut.from_orm(endpoint).model_dump()
    return Status(201, shown | {"secret": secret})


@router.put("/{endpoint_id}", response={200: EndpointOut, 404: Problem})
def endpoint_update(
    request: HttpRequest, endpoint_id: RowId, body: EndpointIn
) -> Status[WebhookEndpoint | dict[str, str]]:
    endpoint = _endpoint(request, endpoint_id)
    if endpoint is None:
        return Status(404, {"detail": "webhook not found"})
    changed = webhook_endpoint_update(
        actor=request_user(request), endpoint=endpoint, spec=_spec(body)
    )
    return Status(200, changed)


@router.post("/{endpoint_id}/ping", response={200: PingOut, 404: Problem})
def endpoint_ping(request: HttpRequest, endpoint_id: RowId) -> Status[dict[str, Any]]:
    endpoint = _endpoint(request, endpoint_id)
    if endpoint is None:
        return Status(404, {"detail": "webhook not found"})
    delivery = webhook_ping(actor=request_user(request), endpoint=endpoint)
    attempt = delivery.attempt_log.order_by("-pk").first()
    return Status(
        200,
        {
            "delivered": delivery.status == "delivered",
            "status_code": delivery.last_status_code,
            "duration_ms": attempt.duration_ms if attempt else 0,
        },
    )
