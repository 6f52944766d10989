"""Writes every app shares: the audit trail."""

from __future__ import annotations

from typing import Any

from lingting.core.models import AuditEvent, User


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
