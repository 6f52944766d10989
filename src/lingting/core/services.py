"""Writes every app shares: the audit trail, in-app notifications, API keys."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from lingting.core.models import (
    ApiToken,
    AuditEvent,
    Heartbeat,
    Notification,
    Role,
    ScheduledRun,
    User,
)
from lingting.core.personal_numbers import shown_text


def audit_record(
    *,
    actor: User | None,
    action: str,
    object_type: str,
    object_id: object,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    note: str = "",
) -> AuditEvent:
    """Keep who changed what, when, from what to what, and why (`actor` None: the system).

    Call it inside the transaction that makes the change, so both land or neither does.
    """
    return AuditEvent.objects.create(
        actor=actor,
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        before=before,
        after=after,
        note=note,
    )


def notification_send(*, user: User, text: str, url: str = "") -> Notification:
    """Leave `user` a message inside Lingting; `url` is a path of this site ("" for none).

    Call it inside the transaction of what it announces, so no one hears of a change that
    did not happen.
    """
    if url and (not url.startswith("/") or url.startswith("//")):
        raise ValueError(f"a notification links inside Lingting only, not to {url!r}")
    # Masked as written, for its one reader: cut to its length, the text could end in part
    # of a number that no later masking would recognise (and the stored rows need not
    # carry what the reader may not see). The page and the API mask it again as shown, so a
    # reader whose role no longer sees numbers does not see them in older messages either.
    text = shown_text(text, user)
    if len(text) > 500:  # Notification.text's max_length
        text = text[:499] + "…"
    return Notification.objects.create(user=user, text=text, url=url)


def notifications_mark_read(*, user: User) -> int:
    """Mark every unread notification of `user` read; how many there were."""
    return Notification.objects.filter(user=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def api_token_create(*, user: User, name: str) -> tuple[ApiToken, str]:
    """A new API key for `user`: the key is returned once and only its digest is stored."""
    key = f"lt_{secrets.token_urlsafe(32)}"
    token = ApiToken.objects.create(
        user=user, name=name, digest=api_key_digest(key), prefix=key[:8]
    )
    audit_record(actor=user, action="api_token.create", object_type="api_token", object_id=token.pk)
    return token, key


def api_key_digest(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def scheduled_run_claim(*, job: str, due_at: datetime) -> ScheduledRun | None:
    """This process's claim on running `job` for `due_at`; None when it already ran (or
    another scheduler claimed it first)."""
    try:
        with transaction.atomic():
            return ScheduledRun.objects.create(job=job, due_at=due_at)
    except IntegrityError:
        return None


def scheduled_run_finish(*, run: ScheduledRun, succeeded: bool, output: str) -> None:
    run.finished_at = timezone.now()
    run.succeeded = succeeded
    run.output = output[-20_000:]  # the end of a long log says what went wrong
    run.save(update_fields=["finished_at", "succeeded", "output"])


def heartbeat_beat(*, process: str, every_seconds: float) -> None:
    """Say that `process` is alive now and will say so again within `every_seconds`."""
    Heartbeat.objects.update_or_create(
        process=process,
        defaults={"beat_at": timezone.now(), "every_seconds": every_seconds},
    )


def system_user(*, username: str, name: str) -> User:
    """An account that acts for Lingting itself (the bot, the surveys) where a service needs
    an actor: an agent's rights, and it never signs in."""
    user, created = User.objects.get_or_create(
        username=username, defaults={"role": Role.AGENT, "first_name": name}
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user
