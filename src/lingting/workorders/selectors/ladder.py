"""Reads of the escalation ladder (投诉升级): its rungs as the rules take them, the levels
with whom they tell, the threat words, and the highest rung an order can reach. The rules
themselves (which rung an order belongs on) are `lingting.engine.escalation`."""

from __future__ import annotations

from lingting.engine.escalation import DEFAULT_THREAT_WORDS, Rung
from lingting.workorders.models import EscalationLevel, EscalationSettings, WorkOrder


def rung_of(level: EscalationLevel) -> Rung:
    return Rung(
        rank=level.rank,
        name=level.name,
        active=level.is_active,
        timeout=level.timeout_percent / 100 if level.timeout_percent is not None else None,
        urges=level.urges,
        on_threat=level.on_threat,
    )


def ladder_rungs() -> list[Rung]:
    return [rung_of(level) for level in EscalationLevel.objects.order_by("rank")]


def ladder_levels() -> list[EscalationLevel]:
    return list(EscalationLevel.objects.order_by("rank").prefetch_related("users"))


def threat_words() -> list[str]:
    row = EscalationSettings.objects.first()
    return list(row.threat_words) if row is not None else list(DEFAULT_THREAT_WORDS)


def escalation_top(order: WorkOrder) -> int:
    """The highest active rung `order` can climb to (0: it does not escalate — a child
    order, whose parent carries the customer's complaint, or a type that does not)."""
    if order.parent_id is not None or not order.type.escalates:
        return 0
    top = EscalationLevel.objects.filter(is_active=True).order_by("-rank").first()
    return top.rank if top is not None else 0
