"""Sending what the outbox holds: every pending delivery that is due, one POST each,
recorded with what came back; retries on the schedule of `RETRY_DELAYS`, the endpoint
resting after a failure and disabled after too many (see `lingting.webhooks.services` for
the guarantees). When the next retry is due is the caller's to act on (`SendRun.next_due`):
the task worker asks for itself again then (`lingting.webhooks.tasks`)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from lingting.core.models import Role, User
from lingting.core.services import audit_record, notification_send
from lingting.engine.webhooks import PING, RETRY_DELAYS, retry_delay, signature_header
from lingting.webhooks import transport
from lingting.webhooks.models import (
    DeliveryStatus,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
)

LEASE = RETRY_DELAYS[0]  # a claimed delivery is free again after this (its sender died)


def _disable_after() -> int:
    return int(getattr(settings, "LINGTING_WEBHOOK_DISABLE_AFTER", 10))


@dataclass(slots=True)
class SendRun:
    """What one `webhook_deliveries_send` did."""

    delivered: int = 0
    failed_attempts: int = 0
    given_up: int = 0  # deliveries that failed their last retry
    waiting: int = 0  # due, but behind an older delivery of the same order, or resting
    disabled: list[str] = field(default_factory=list)  # endpoints disabled in this run
    next_due: datetime | None = None  # the earliest a failed one may go again


def webhook_deliveries_send(*, now: datetime | None = None) -> SendRun:
    """Send every pending delivery that is due, oldest first: 2xx is delivered, anything
    else is recorded and tried again later (`RETRY_DELAYS`), then given up."""
    now = now or timezone.now()
    run = SendRun()
    held: set[tuple[int, int]] = set()  # (endpoint, order) with an older delivery waiting
    resting: dict[int, datetime] = {}
    pending = (
        WebhookDelivery.objects.filter(status=DeliveryStatus.PENDING, endpoint__is_active=True)
        .select_related("endpoint")
        .defer("payload")  # read for the few that are sent
        .order_by("id")
    )
    for delivery in pending:
        endpoint = delivery.endpoint
        key = (endpoint.pk, delivery.order_id) if delivery.order_id else None
        rest = resting.get(endpoint.pk, endpoint.resting_until)
        due = delivery.next_attempt_at is None or delivery.next_attempt_at <= now
        if key in held or not due or (rest is not None and rest > now):
            if key is not None:
                held.add(key)
            run.waiting += due
            continue
        outcome = delivery_attempt(delivery, now=now)
        if outcome is None:  # another sender has it
            if key is not None:
                held.add(key)
            continue
        if outcome.succeeded:
            run.delivered += 1
            continue
        run.failed_attempts += 1
        run.given_up += delivery.status == DeliveryStatus.FAILED
        if key is not None:
            held.add(key)
        endpoint.refresh_from_db(fields=["is_active", "resting_until"])
        resting[endpoint.pk] = endpoint.resting_until or now
        if not endpoint.is_active:
            run.disabled.append(endpoint.name)
        if delivery.next_attempt_at is not None:
            retry_at = max(delivery.next_attempt_at, resting[endpoint.pk])
            run.next_due = min(run.next_due or retry_at, retry_at)
    return run


def delivery_attempt(delivery: WebhookDelivery, *, now: datetime) -> transport.Answer | None:
    """Claim `delivery`, POST it, record the answer; None when another sender claimed it."""
    claimed = WebhookDelivery.objects.filter(
        Q(next_attempt_at__lte=now) | Q(next_attempt_at__isnull=True),
        pk=delivery.pk,
        status=DeliveryStatus.PENDING,
    ).update(next_attempt_at=now + LEASE)
    if not claimed:
        return None
    answer = _post(delivery)
    _record(delivery, answer, now=now)
    return answer


def _post(delivery: WebhookDelivery) -> transport.Answer:
    endpoint = WebhookEndpoint.objects.get(pk=delivery.endpoint_id)  # the secret in force now
    body = json.dumps(delivery.payload, ensure_ascii=False, separators=(",", ":")).encode()
    timestamp = int(timezone.now().timestamp())
    return transport.post(
        endpoint.url,
        body,
        {
            "X-Lingting-Event": delivery.event_type,
            "X-Lingting-Delivery": str(delivery.uuid),
            "X-Lingting-Timestamp": str(timestamp),
            "X-Lingting-Signature": signature_header(
                endpoint.signing_secrets(timezone.now()), timestamp, body
            ),
        },
    )


def _record(delivery: WebhookDelivery, answer: transport.Answer, *, now: datetime) -> None:
    ping = delivery.event_type == PING
    with transaction.atomic():
        WebhookAttempt.objects.create(
            delivery=delivery,
            at=now,
            succeeded=answer.succeeded,
            status_code=answer.status_code,
            response=answer.text,
            duration_ms=answer.duration_ms,
        )
        delivery.attempts += 1
        delivery.last_status_code = answer.status_code
        delivery.last_response = answer.text
        if answer.succeeded:
            delivery.status = DeliveryStatus.DELIVERED
            delivery.delivered_at = now
            delivery.next_attempt_at = None
        else:
            delay = None if ping else retry_delay(delivery.attempts)
            delivery.status = DeliveryStatus.PENDING if delay else DeliveryStatus.FAILED
            delivery.next_attempt_at = now + delay if delay else None
        delivery.save(
            update_fields=[
                "attempts",
                "last_status_code",
                "last_response",
                "status",
                "delivered_at",
                "next_attempt_at",
            ]
        )
        if ping:  # a test says nothing about the events' deliveries
            return
        if answer.succeeded:
            WebhookEndpoint.objects.filter(pk=delivery.endpoint_id).exclude(
                failures_in_a_row=0, resting_until=None
            ).update(failures_in_a_row=0, resting_until=None)
        else:
            _endpoint_failed(delivery.endpoint_id, answer, now=now)


def _endpoint_failed(endpoint_id: int, answer: transport.Answer, *, now: datetime) -> None:
    """Count the failure; rest the endpoint for the delay its run of failures reached; at
    the limit, disable it and tell the administrators."""
    endpoint = WebhookEndpoint.objects.select_for_update().get(pk=endpoint_id)
    endpoint.failures_in_a_row += 1
    failures = endpoint.failures_in_a_row
    endpoint.resting_until = now + (retry_delay(failures) or RETRY_DELAYS[-1])
    endpoint.save(update_fields=["failures_in_a_row", "resting_until"])
    if failures < _disable_after() or not endpoint.is_active:
        return
    what = f"HTTP {answer.status_code}" if answer.status_code else answer.text
    endpoint.is_active = False
    endpoint.disabled_reason = _("连续 %(count)d 次推送失败（最近一次：%(what)s）") % {
        "count": failures,
        "what": what[:100],
    }
    endpoint.save(update_fields=["is_active", "disabled_reason"])
    audit_record(
        actor=None,
        action="webhook.disable",
        object_type="webhook",
        object_id=endpoint.pk,
        before={"is_active": True},
        after={"is_active": False},
        note=endpoint.disabled_reason,
    )
    text = _("Webhook「%(name)s」%(reason)s，已自动停用；修复接收端后请重新启用。") % {
        "name": endpoint.name,
        "reason": endpoint.disabled_reason,
    }
    url = reverse("webhooks:detail", args=[endpoint.pk])
    for admin in User.objects.filter(Q(role=Role.ADMIN) | Q(is_superuser=True), is_active=True):
        notification_send(user=admin, text=text, url=url)
