"""The change feed for external systems that poll (/api/tickets/changes): the orders
changed since a moment or a cursor, oldest change first."""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from lingting.core.models import User
from lingting.workorders.models import WorkOrder
from lingting.workorders.selectors.orders import workorders_for

# A step stamps the order's `updated_at` inside its transaction, moments before the commit;
# changes younger than this are left for the next poll, so a poller that moves its cursor
# past an order never misses a step that was still committing.
SETTLE = timedelta(seconds=10)


@dataclass(frozen=True, slots=True)
class ChangesPage:
    orders: list[WorkOrder]
    cursor: str  # give it back to get the changes after these
    has_more: bool


def workorders_changed(
    user: User,
    *,
    since: datetime | None,
    cursor: str,
    limit: int,
    now: datetime | None = None,
) -> ChangesPage:
    """The orders `user` may see that were created or changed at or after `since`, or after
    the position `cursor` names (it wins over `since`), oldest change first, in every state.
    An order appears once per poll with its latest state (its `version` says which)."""
    settled = (now or timezone.now()) - SETTLE
    orders = workorders_for(user).filter(updated_at__lte=settled)
    if cursor:
        at, last_id = _cursor_position(cursor)
        orders = orders.filter(Q(updated_at__gt=at) | Q(updated_at=at, pk__gt=last_id))
    elif since is not None:
        orders = orders.filter(updated_at__gte=since)
    # With what each order's body names: its contact, customer and the order it repeats.
    ordered = orders.select_related("contact", "customer", "repeat_of").order_by("updated_at", "pk")
    page = list(ordered[: limit + 1])
    more = len(page) > limit
    page = page[:limit]
    if page:
        cursor = _cursor_of(page[-1].updated_at, page[-1].pk)
    elif not cursor:
        cursor = _cursor_of(since, 0) if since is not None else ""
    return ChangesPage(orders=page, cursor=cursor, has_more=more)


def _cursor_of(at: datetime, last_id: int) -> str:
    text = f"{at.isoformat()}|{last_id}"
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def _cursor_position(cursor: str) -> tuple[datetime, int]:
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        at, last_id = text.split("|")
        moment = datetime.fromisoformat(at)
        if moment.tzinfo is None:
            raise ValueError(at)
        return moment, int(last_id)
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise ValidationError({"cursor": _("cursor 无效：请使用上一次返回的 cursor")}) from None
