"""The change feed of the work-order API (/api/tickets/changes), for systems that poll
instead of taking webhooks."""

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status

from lingting.core.params import ApiDateTime
from lingting.core.permissions import request_user
from lingting.workorders.api.schemas import OrderOut, Problem, order_out
from lingting.workorders.selectors.changes import workorders_changed

router = Router()


class ChangesQuery(Schema):
    updated_since: ApiDateTime | None = None  # ISO 8601; without an offset, Beijing time
    cursor: str = ""  # the `cursor` of the previous answer (wins over updated_since)
    limit: int = Field(100, ge=1, le=1000)


class ChangesOut(Schema):
    orders: list[OrderOut]
    cursor: str  # ask again with it for the changes after these
    has_more: bool  # more changes wait: ask again at once


@router.get("/changes", response={200: ChangesOut, 422: Problem})
def order_changes(request: HttpRequest, query: Query[ChangesQuery]) -> Status[dict[str, Any]]:
    """For systems that poll instead of taking webhooks: the orders (of those this key may
    see) created or changed since `updated_since`, oldest change first, in every state.
    Keep the answer's `cursor` and ask with it next time; `has_more` says to ask again now.
    Changes show up about ten seconds after they are made (a step still committing is never
    skipped); an order changed twice between polls comes once, as it is now (`version`)."""
    user = request_user(request)
    since = query.updated_since
    if since is not None and timezone.is_naive(since):
        since = timezone.make_aware(since)
    page = workorders_changed(user, since=since, cursor=query.cursor, limit=query.limit)
    return Status(
        200,
        {
            "orders": [order_out(order, viewer=user) for order in page.orders],
            "cursor": page.cursor,
            "has_more": page.has_more,
        },
    )
