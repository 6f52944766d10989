"""One's own in-app notifications in the HTTP API: the latest, and marking them read.

The same selector and service as the notifications page; every user has their own.
"""

from datetime import datetime

from django.http import HttpRequest
from ninja import Router, Schema

from lingting.core.permissions import request_user
from lingting.core.personal_numbers import ShownText
from lingting.core.selectors import notifications_for, notifications_unread_count
from lingting.core.services import notifications_mark_read

router = Router(tags=["notifications"])


class NotificationOut(Schema):
    id: int
    text: ShownText  # masked when written; again here, for the reader's right today
    url: str  # a path of this site ("" for none)
    created_at: datetime
    read_at: datetime | None


class NotificationsOut(Schema):
    unread: int
    items: list[NotificationOut]  # the latest, newest first


class MarkedReadOut(Schema):
    marked: int  # how many were unread


@router.get("", response=NotificationsOut)
def notification_list(request: HttpRequest) -> dict[str, object]:
    user = request_user(request)
    return {
        "unread": notifications_unread_count(user),
        "items": list(notifications_for(user)),
    }


@router.post("/read", response=MarkedReadOut)
def notifications_read(request: HttpRequest) -> dict[str, int]:
    return {"marked": notifications_mark_read(user=request_user(request))}
