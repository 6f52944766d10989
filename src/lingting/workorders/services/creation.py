"""Creating a work order: by hand or from a contact, its fields checked against its type's,
a repeat complaint (重复投诉) linked to the order it repeats and expedited, and the new order
put on the escalation ladder where a threat already puts it."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lingting.core.models import User
from lingting.core.permissions import contact_scope
from lingting.engine.escalation import threat_words_found
from lingting.engine.workorders import Priority
from lingting.interactions.models import Contact, Customer
from lingting.workorders.models import OPEN_STATES, Department, WorkOrder, WorkOrderType
from lingting.workorders.permissions import may_take_workorders
from lingting.workorders.selectors.ladder import threat_words
from lingting.workorders.selectors.orders import repeat_target
from lingting.workorders.services.deadlines import workorder_deadline_refresh
from lingting.workorders.services.escalation import repeat_complaint_urge, workorder_escalate_if_due
from lingting.workorders.services.transitions import (
    CREATE,
    workorder_event_record,
)

# --- fields ------------------------------------------------------------------------------

FIELD_TYPES = frozenset({"text", "number", "date", "phone", "choice"})


def fields_clean(order_type: WorkOrderType, values: dict[str, Any]) -> dict[str, Any]:
    """`values` checked against the type's fields: required ones present, numbers and
    dates parsed, choices among theirs, unknown names refused. ValidationError per field."""
    errors: dict[str, str] = {}
    cleaned: dict[str, Any] = {}
    known = {spec["name"]: spec for spec in order_type.fields}
    for name in values:
        if name not in known:
            errors[name] = _("「%(type)s」工单没有这个字段") % {"type": order_type.name}
    for name, spec in known.items():
        raw = values.get(name)
        text = "" if raw is None else str(raw).strip()
        if not text:
            if spec.get("required"):
                errors[name] = _("请填写%(label)s") % {"label": spec["label"]}
            continue
        kind = spec.get("type", "text")
        try:
            cleaned[name] = _field_value(kind, text, spec)
        except ValueError:
            errors[name] = _("%(label)s格式不对") % {"label": spec["label"]}
    if errors:
        raise ValidationError(errors)
    return cleaned


def _field_value(kind: str, text: str, spec: dict[str, Any]) -> Any:
    if kind == "number":
        return float(text) if "." in text else int(text)
    if kind == "date":
        return date.fromisoformat(text).isoformat()
    if kind == "choice" and text not in spec.get("choices", []):
        raise ValueError(text)
    if kind == "phone" and not text.replace("-", "").replace(" ", "").isdigit():
        raise ValueError(text)
    return text


# --- creating ----------------------------------------------------------------------------


def workorder_create(
    *,
    actor: User,
    order_type: WorkOrderType,
    title: str,
    description: str = "",
    fields: dict[str, Any] | None = None,
    priority: str = "",
    customer: Customer | None = None,
    contact: Contact | None = None,
    department: Department | None = None,
    threatened: bool = False,
) -> WorkOrder:
    """A new order, accepted (已受理) by `actor`; its deadline starts now.

    `priority` "" takes the type's default; `department` None the type's default (the
    department it will be dispatched to; dispatching is a step of its own). `threatened`:
    the customer threatens the media or a complaint over the centre's head (媒体曝光/越级
    投诉); the threat words in the customer's turns of `contact` mark it so too.

    A repeat complaint (重复投诉: the customer has an order of this type from the type's
    `repeat_days` before) is linked to that order (`repeat_of`) and expedited: one priority
    step higher, and the earlier order, if still open, urged on the customer's behalf
    ("我们马上为您加急处理"). The new order then meets the escalation ladder.
    """
    if not may_take_workorders(actor):
        raise PermissionDenied(_("你不能受理工单"))
    title = title.strip()
    if not title:
        raise ValidationError({"title": _("请填写标题")})
    if not order_type.is_active:
        raise ValidationError({"order_type": _("这个工单类型已停用")})
    cleaned = fields_clean(order_type, fields or {})
    priority = priority or order_type.default_priority
    if priority not in Priority:
        raise ValidationError({"priority": _("优先级不对")})
    now = timezone.now()
    words = _threat_words_said(contact)
    with transaction.atomic():
        earlier = repeat_target(order_type, customer, now)
        if earlier is not None:
            priority = Priority(priority).raised().value
        order = WorkOrder.objects.create(
            number=f"new-{uuid.uuid4().hex}",  # the real number needs the row's id
            type=order_type,
            title=title,
            description=description.strip(),
            fields=cleaned,
            customer=customer,
            contact=contact,
            priority=priority,
            department=department or order_type.default_department,
            owner=actor,
            created_by=actor,
            created_at=now,
            updated_at=now,
            repeat_of=earlier,
            threatened=threatened or bool(words),
        )
        order.number = f"GD{timezone.localtime(now):%Y%m%d}{order.pk:06d}"
        workorder_event_record(
            order,
            actor=actor,
            action=CREATE,
            before="",
            reason="",
            payload=_creation_facts(earlier, threatened=threatened, words=words),
        )
        order.save(update_fields=["number"])
        workorder_deadline_refresh(order, now=now)
        if earlier is not None and earlier.state in OPEN_STATES:
            repeat_complaint_urge(earlier, repeat=order, actor=actor)
        workorder_escalate_if_due(order, actor=actor, now=now)
    order.refresh_from_db()
    return order


def _creation_facts(
    earlier: WorkOrder | None, *, threatened: bool, words: list[str]
) -> dict[str, Any]:
    """What the creation event records beyond the order's own fields."""
    facts: dict[str, Any] = {}
    if earlier is not None:
        facts["repeat_of"] = earlier.number
    if threatened:
        facts["threat"] = True
    if words:
        facts["threat_words"] = words
    return facts


def _threat_words_said(contact: Contact | None) -> list[str]:
    """The threat words (媒体, 曝光, 12315 …) the customer said in `contact`."""
    if contact is None:
        return []
    texts = list(contact.turns.filter(speaker="customer").values_list("text", flat=True))
    return threat_words_found(texts, threat_words())


def workorder_create_from_contact(
    *,
    actor: User,
    contact: Contact,
    order_type: WorkOrderType,
    title: str,
    description: str = "",
    fields: dict[str, Any] | None = None,
    priority: str = "",
    threatened: bool = False,
) -> WorkOrder:
    """An order taken from `contact` (one the actor may see): the contact linked and its
    customer copied onto the order."""
    if not Contact.objects.filter(contact_scope(actor), pk=contact.pk).exists():
        raise PermissionDenied(_("你不能查看这条联络"))
    return workorder_create(
        actor=actor,
        order_type=order_type,
        title=title,
        description=description,
        fields=fields,
        priority=priority,
        customer=contact.customer,
        contact=contact,
        threatened=threatened,
    )
