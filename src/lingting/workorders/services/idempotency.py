"""Idempotent creates through the work-order API: a retried request with the same
`Idempotency-Key` answers the order the first one made instead of making a second."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lingting.workorders.models import ApiIdempotencyKey, WorkOrder

MAX_KEY_LENGTH = 255  # ApiIdempotencyKey.key


class IdempotencyMismatch(ValidationError):
    """The key was used before with a different request."""


# How long a key is remembered (Stripe's choice too): long enough for any client's
# retries, short enough that the table does not grow for ever. An older key is forgotten:
# reused, it makes a new order.
IDEMPOTENCY_WINDOW = timedelta(hours=24)


def idempotency_keys_forget(*, now: datetime | None = None) -> int:
    """Delete the keys older than the window; returns how many (run with the hourly
    `lingting workorder_warn`)."""
    cutoff = (now or timezone.now()) - IDEMPOTENCY_WINDOW
    deleted, _by_model = ApiIdempotencyKey.objects.filter(created_at__lt=cutoff).delete()
    return deleted


def request_fingerprint(body: dict[str, Any]) -> str:
    """SHA-256 of the request's JSON, keys sorted: the same request hashes the same."""
    canonical = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def workorder_create_once(
    *, scope: str, key: str, fingerprint: str, create: Callable[[], WorkOrder]
) -> tuple[WorkOrder, bool]:
    """The order `create` makes, once per `scope` and `key`: a repeat of the request answers
    the first one's order (True: replayed). The same key with another request is refused.

    Two requests with one key at the same moment: both create inside one transaction with
    the key's row; the key's unique constraint lets one commit, the other is rolled back
    (its order and the order's outbox with it) and answers the winner's order.
    """
    key = key.strip()
    if not key or len(key) > MAX_KEY_LENGTH:
        raise ValidationError({"Idempotency-Key": _("Idempotency-Key 须为 1 到 255 个字符")})
    for _attempt_number in range(2):
        found = _key_used(scope, key, fingerprint)
        if found is not None:
            return found, True
        try:
            with transaction.atomic():
                order = create()
                ApiIdempotencyKey.objects.create(
                    scope=scope, key=key, request_hash=fingerprint, order=order
                )
            return order, False
        except IntegrityError:
            continue  # another request with this key won: answer its order
    raise IntegrityError(f"idempotency key {key!r} could not be settled")


def _key_used(scope: str, key: str, fingerprint: str) -> WorkOrder | None:
    mine = ApiIdempotencyKey.objects.filter(scope=scope, key=key)
    mine.filter(created_at__lt=timezone.now() - IDEMPOTENCY_WINDOW).delete()  # forgotten
    used = mine.select_related("order").first()
    if used is None:
        return None
    if used.request_hash != fingerprint:
        raise IdempotencyMismatch(_("这个 Idempotency-Key 已用于另一个不同的请求"))
    return used.order
