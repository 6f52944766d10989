"""Reads for webhooks: which endpoints want an event, the endpoints' pages (list, delivery
log)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Max, Q, QuerySet

from lingting.engine.webhooks import wants
from lingting.webhooks.models import DeliveryStatus, WebhookDelivery, WebhookEndpoint

DELIVERY_LOG_LENGTH = 100


def endpoints_wanting(kind: str) -> list[WebhookEndpoint]:
    """The active endpoints that asked for events of type `kind` (few rows: filtered here,
    the same way on SQLite and PostgreSQL)."""
    return [
        endpoint
        for endpoint in WebhookEndpoint.objects.filter(is_active=True).order_by("id")
        if wants(endpoint.events, kind)
    ]


@dataclass(frozen=True, slots=True)
class EndpointRow:
    endpoint: WebhookEndpoint
    pending: int
    failed: int
    last: WebhookDelivery | None


def endpoint_rows() -> list[EndpointRow]:
    """Every endpoint with its pending and failed deliveries and the latest one."""
    endpoints = WebhookEndpoint.objects.annotate(
        pending=Count("deliveries", filter=Q(deliveries__status=DeliveryStatus.PENDING)),
        failed=Count("deliveries", filter=Q(deliveries__status=DeliveryStatus.FAILED)),
    ).order_by("name", "id")
    latest: dict[int, WebhookDelivery] = {}
    for delivery in WebhookDelivery.objects.filter(
        pk__in=WebhookDelivery.objects.values("endpoint").annotate(last=Max("id")).values("last")
    ):
        latest[delivery.endpoint_id] = delivery
    return [
        EndpointRow(
            endpoint=endpoint,
            pending=endpoint.pending,
            failed=endpoint.failed,
            last=latest.get(endpoint.pk),
        )
        for endpoint in endpoints
    ]


def endpoint_deliveries(
    endpoint: WebhookEndpoint, *, status: str = ""
) -> QuerySet[WebhookDelivery]:
    """The endpoint's latest deliveries, newest first, with their attempts."""
    deliveries = endpoint.deliveries.prefetch_related("attempt_log").order_by("-id")
    if status in DeliveryStatus.values:
        deliveries = deliveries.filter(status=status)
    return deliveries[:DELIVERY_LOG_LENGTH]
