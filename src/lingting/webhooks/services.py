"""Writes for webhooks: registering endpoints (audited), the outbox any app publishes its
events into (`webhook_event_publish`: a work-order step, a QA event …), a test ping, a
redelivery. Sending what is due is `lingting.webhooks.sending`, which the task worker runs
(`lingting.webhooks.tasks`).

Delivery is at least once: a delivery is claimed for a short lease before its POST (no
transaction is held open during the request, so a slow receiver never blocks the change
that published it), and a process that dies mid-request leaves it to be sent again when
the lease runs out. Receivers drop repeats by the event id in the body (a redelivery keeps
it) or by X-Lingting-Delivery.

Order: deliveries about one work order to one endpoint go out in the order of its steps —
while an older one is waiting for a retry, the newer ones wait behind it. When an attempt fails the
endpoint rests (nothing is sent to it) for the delay its run of failures has reached, so a
receiver that is down is asked again gently, and after LINGTING_WEBHOOK_DISABLE_AFTER
failures in a row (about three days with the default 10) it is disabled and the
administrators are told.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lingting.core.models import User
from lingting.core.services import audit_record
from lingting.engine.webhooks import (
    ALL_EVENTS,
    PING,
    ROTATION_OVERLAP,
    event_types,
)
from lingting.webhooks.models import (
    DeliveryStatus,
    WebhookDelivery,
    WebhookEndpoint,
)
from lingting.webhooks.permissions import may_manage_webhooks
from lingting.webhooks.selectors import endpoints_wanting
from lingting.webhooks.sending import delivery_attempt
from lingting.webhooks.tasks import deliveries_send_soon

SECRET_PREFIX = "whsec_"


# --- endpoints ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class EndpointSpec:
    """What an administrator sets on an endpoint. `events`: event types, or ``["*"]``."""

    name: str
    url: str
    events: list[str]
    personal_numbers: bool = False
    is_active: bool = True


def webhook_endpoint_create(*, actor: User, spec: EndpointSpec) -> tuple[WebhookEndpoint, str]:
    """A new endpoint and its signing secret (returned to be shown once)."""
    _require_manager(actor)
    clean = _cleaned(spec)
    secret = _new_secret()
    with transaction.atomic():
        endpoint = WebhookEndpoint.objects.create(
            name=clean.name,
            url=clean.url,
            events=clean.events,
            personal_numbers=clean.personal_numbers,
            is_active=clean.is_active,
            secret=secret,
            created_by=actor,
        )
        audit_record(
            actor=actor,
            action="webhook.create",
            object_type="webhook",
            object_id=endpoint.pk,
            after=_settings_of(endpoint),
        )
    return endpoint, secret


def webhook_endpoint_update(
    *, actor: User, endpoint: WebhookEndpoint, spec: EndpointSpec
) -> WebhookEndpoint:
    """Change an endpoint's settings; enabling one that was disabled clears its failures
    (its waiting deliveries go out again, oldest first)."""
    _require_manager(actor)
    clean = _cleaned(spec)
    with transaction.atomic():
        locked = WebhookEndpoint.objects.select_for_update().get(pk=endpoint.pk)
        before = _settings_of(locked)
        if clean.is_active and not locked.is_active:
            locked.failures_in_a_row = 0
            locked.resting_until = None
            locked.disabled_reason = ""
        locked.name = clean.name
        locked.url = clean.url
        locked.events = clean.events
        locked.personal_numbers = clean.personal_numbers
        locked.is_active = clean.is_active
        locked.updated_at = timezone.now()
        locked.save()
        after = _settings_of(locked)
        if after != before:
            audit_record(
                actor=actor,
                action="webhook.update",
                object_type="webhook",
                object_id=locked.pk,
                before=before,
                after=after,
            )
    if clean.is_active and not before["is_active"]:
        deliveries_send_soon()
    return locked


def webhook_secret_rotate(*, actor: User, endpoint: WebhookEndpoint) -> str:
    """A new signing secret, in force for the next attempt (returned to be shown once); for
    a day the old one signs each delivery too, so the receiver can switch in its own time."""
    _require_manager(actor)
    secret = _new_secret()
    now = timezone.now()
    with transaction.atomic():
        locked = WebhookEndpoint.objects.select_for_update().get(pk=endpoint.pk)
        WebhookEndpoint.objects.filter(pk=endpoint.pk).update(
            secret=secret,
            previous_secret=locked.secret,
            previous_secret_until=now + ROTATION_OVERLAP,
            updated_at=now,
        )
        audit_record(
            actor=actor,
            action="webhook.rotate_secret",
            object_type="webhook",
            object_id=endpoint.pk,
            note=endpoint.name,
        )
    endpoint.secret = secret
    return secret


def _require_manager(actor: User) -> None:
    if not may_manage_webhooks(actor):
        raise PermissionDenied(_("只有管理员可以管理 Webhook"))


def _cleaned(spec: EndpointSpec) -> EndpointSpec:
    errors: dict[str, str] = {}
    name = spec.name.strip()
    if not name:
        errors["name"] = _("请填写名称")
    url = spec.url.strip()
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        errors["url"] = _("请填写以 http:// 或 https:// 开头的完整地址")
    events = list(dict.fromkeys(spec.events))
    known = set(event_types())
    if ALL_EVENTS in events:
        events = [ALL_EVENTS]
    elif not events:
        errors["events"] = _("请至少选择一种事件")
    elif unknown := [kind for kind in events if kind not in known]:
        errors["events"] = _("没有这种事件：%(events)s") % {"events": "、".join(unknown)}
    if errors:
        raise ValidationError(errors)
    return EndpointSpec(
        name=name,
        url=url,
        events=events,
        personal_numbers=spec.personal_numbers,
        is_active=spec.is_active,
    )


def _settings_of(endpoint: WebhookEndpoint) -> dict[str, Any]:
    """What the audit trail keeps of an endpoint (never its secret)."""
    return {
        "name": endpoint.name,
        "url": endpoint.url,
        "events": endpoint.events,
        "personal_numbers": endpoint.personal_numbers,
        "is_active": endpoint.is_active,
    }


def _new_secret() -> str:
    return SECRET_PREFIX + secrets.token_urlsafe(32)


# --- the outbox --------------------------------------------------------------------------

# The body of an event, given whether the endpoint may receive personal numbers in full
# (True) or masked: built only for the endpoints that want the event, once per kind.
PayloadFor = Callable[[bool], dict[str, Any]]


@dataclass(frozen=True, slots=True)
class Subject:
    """What an event is about, where a delivery can record it: a work order (`order_id`;
    its deliveries to one endpoint go out in the order published) and the step of its
    trail (`event_id`). These are the columns the outbox has had since the work orders
    were its only publisher; an event about anything else has no subject and is sent as
    soon as it is due."""

    order_id: int
    event_id: int | None = None


def webhook_event_publish(
    *, event_type: str, payload: PayloadFor, subject: Subject | None = None
) -> list[WebhookDelivery]:
    """A delivery of the event for every active endpoint that wants `event_type`
    (``"workorder.urge"``, ``"quality.…"``), written in the publisher's transaction — call
    it there, so a change rolled back announces nothing; they are sent once it commits."""
    endpoints = endpoints_wanting(event_type)
    if not endpoints:
        return []
    now = timezone.now()
    bodies: dict[bool, dict[str, Any]] = {}
    deliveries = []
    for endpoint in endpoints:
        full = endpoint.personal_numbers
        if full not in bodies:
            bodies[full] = payload(full)
        deliveries.append(
            WebhookDelivery(
                endpoint=endpoint,
                event_type=event_type,
                event_id=subject.event_id if subject else None,
                order_id=subject.order_id if subject else None,
                payload=bodies[full],
                next_attempt_at=now,
            )
        )
    created = WebhookDelivery.objects.bulk_create(deliveries)
    transaction.on_commit(deliveries_send_soon, robust=True)
    return created


# --- by hand -----------------------------------------------------------------------------


def webhook_ping(*, actor: User, endpoint: WebhookEndpoint) -> WebhookDelivery:
    """发送测试: a `ping` sent now, once, whether the endpoint is enabled or not; its result
    does not count towards disabling it."""
    _require_manager(actor)
    now = timezone.now()
    delivery = WebhookDelivery.objects.create(
        endpoint=endpoint,
        event_type=PING,
        payload={
            "id": None,
            "type": PING,
            "occurred_at": timezone.localtime(now).isoformat(),
            "endpoint": endpoint.name,
            "events": endpoint.events,
        },
        next_attempt_at=now,
    )
    delivery_attempt(delivery, now=now)
    delivery.refresh_from_db()
    return delivery


def webhook_redeliver(*, actor: User, delivery: WebhookDelivery) -> WebhookDelivery:
    """Send a delivered or given-up `delivery`'s body again as a new delivery (same event
    id, new delivery id), now — unless an older delivery of the same order is still
    waiting: that one goes first and the new one follows it (left pending). Audited."""
    _require_manager(actor)
    endpoint = delivery.endpoint
    if not endpoint.is_active:
        raise ValidationError(_("这个 Webhook 已停用，请先启用再重新推送"))
    if delivery.status == DeliveryStatus.PENDING:
        raise ValidationError(_("这条推送仍在等待发送或重试，无需重新推送"))
    now = timezone.now()
    with transaction.atomic():
        again = WebhookDelivery.objects.create(
            endpoint=endpoint,
            event_type=delivery.event_type,
            event_id=delivery.event_id,
            order_id=delivery.order_id,
            payload=delivery.payload,
            next_attempt_at=now,
            redelivery_of=delivery,
        )
        audit_record(
            actor=actor,
            action="webhook.redeliver",
            object_type="webhook",
            object_id=endpoint.pk,
            note=str(delivery.uuid),
        )
    behind = (
        again.order_id is not None
        and WebhookDelivery.objects.filter(
            endpoint=endpoint,
            order_id=again.order_id,
            status=DeliveryStatus.PENDING,
            pk__lt=again.pk,
        ).exists()
    )
    if not behind:
        delivery_attempt(again, now=now)
        again.refresh_from_db()
    return again
