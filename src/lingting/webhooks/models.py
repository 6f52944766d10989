"""Outgoing webhooks: the endpoints, the deliveries of an outbox, each attempt.

A delivery row is written in the transaction of the change it announces (a work-order
step, or any other event an app publishes): a change rolled back leaves none, a crash after
the commit loses none. It is sent after the commit and, when the receiver fails, again on
the schedule of `lingting.engine.webhooks.RETRY_DELAYS`.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lingting.core.models import User


class WebhookEndpoint(models.Model):
    """A receiver an administrator registered: its URL, its signing secret and the event
    types it wants (``["*"]``: all of them, those added later too).

    `failures_in_a_row` counts failed attempts since the last success; at the limit
    (LINGTING_WEBHOOK_DISABLE_AFTER) the endpoint is disabled and the administrators told.
    `personal_numbers`: the receiver gets personal numbers in full (masked by default).
    """

    name = models.CharField(_("名称"), max_length=100)
    url = models.URLField(_("接收地址"), max_length=500)
    secret = models.CharField(max_length=100)  # kept to sign with; shown once when made
    # after a rotation the old secret signs too, until `previous_secret_until`
    previous_secret = models.CharField(max_length=100, blank=True)
    previous_secret_until = models.DateTimeField(null=True, blank=True)
    events = models.JSONField(_("推送事件"), default=list)
    personal_numbers = models.BooleanField(_("推送完整的个人号码"), default=False)
    is_active = models.BooleanField(_("启用"), default=True)
    failures_in_a_row = models.PositiveIntegerField(_("连续失败次数"), default=0)
    # after a failure nothing is sent to it before this (the delay its failures reached)
    resting_until = models.DateTimeField(_("暂停推送至"), null=True, blank=True)
    disabled_reason = models.CharField(_("停用原因"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    updated_at = models.DateTimeField(_("更新时间"), default=timezone.now)

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return f"{self.name} {self.url}"

    def signing_secrets(self, now: datetime) -> list[str]:
        """The secrets a delivery is signed with now: the one in force, and the one it
        replaced while the rotation's overlap lasts."""
        overlapping = self.previous_secret_until is not None and now < self.previous_secret_until
        return [self.secret, self.previous_secret] if overlapping else [self.secret]


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("待发送")
    DELIVERED = "delivered", _("已送达")
    FAILED = "failed", _("失败")


class WebhookDelivery(models.Model):
    """One event for one endpoint: the body as it is sent (frozen when the event was
    published), where it stands, and when it is next tried. `uuid` is the
    X-Lingting-Delivery header; a redelivery is a new row with the same event id in its
    body."""

    endpoint = models.ForeignKey(
        WebhookEndpoint, on_delete=models.PROTECT, related_name="deliveries"
    )
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    event_type = models.CharField(_("事件"), max_length=64)
    # The event's subject (`services.Subject`), in the columns the outbox had when the work
    # orders were its only publisher: the work order (its deliveries to one endpoint go out
    # in the order published) and the step of its trail. Named, not imported: the work
    # orders sit above this app. Empty for an event about anything else.
    event = models.ForeignKey(
        "tickets.WorkOrderEvent", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    order = models.ForeignKey(
        "tickets.WorkOrder", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    payload = models.JSONField()
    status = models.CharField(
        _("状态"), max_length=16, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveIntegerField(_("尝试次数"), default=0)
    next_attempt_at = models.DateTimeField(_("下次尝试"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    delivered_at = models.DateTimeField(_("送达时间"), null=True, blank=True)
    last_status_code = models.PositiveSmallIntegerField(_("响应码"), null=True, blank=True)
    last_response = models.TextField(_("响应"), blank=True)  # or the error; 500 chars at most
    redelivery_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="redeliveries"
    )

    class Meta:
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="webhook_delivery_due_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.endpoint_id} {self.event_type} {self.status}"


class WebhookAttempt(models.Model):
    """One POST of a delivery and what came back: the status code, the start of the
    response body or the error."""

    delivery = models.ForeignKey(
        WebhookDelivery, on_delete=models.CASCADE, related_name="attempt_log"
    )
    at = models.DateTimeField(_("时间"), default=timezone.now)
    succeeded = models.BooleanField(_("成功"))
    status_code = models.PositiveSmallIntegerField(_("响应码"), null=True, blank=True)
    response = models.TextField(_("响应"), blank=True)
    duration_ms = models.PositiveIntegerField(_("耗时（毫秒）"), default=0)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.delivery_id} {self.at:%Y-%m-%d %H:%M:%S} {self.status_code}"
