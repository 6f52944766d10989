"""Surveys in the HTTP API (/api/surveys/): the gateway hands in the customers' SMS replies.

``POST /api/surveys/replies`` with ``{"message_id", "address", "text", "received_at"}``,
authenticated by the API key of a user who manages surveys. Sending the same `message_id`
again (a gateway's retry) stores nothing new and answers what the first request stored.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema, Status

from lingting.core.permissions import request_user, require
from lingting.engine.survey_invitations import normal_address
from lingting.surveys.models import SurveyReply
from lingting.surveys.permissions import may_manage_surveys
from lingting.surveys.services.invitations import survey_reply_receive

router = Router(tags=["surveys"])
EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)


class ReplyIn(Schema):
    message_id: str = Field(min_length=1, max_length=128)  # the gateway's id of the message
    address: str = Field(min_length=1, max_length=64)  # the number it came from
    text: str = Field(max_length=1000)
    received_at: datetime  # with its offset (without: the center's time zone)


class ReplyOut(Schema):
    id: int
    kind: str  # score, opt_out (回复TD), unreadable (kept for a person)
    answered: bool  # it answered an open invitation (a survey response was stored)


@router.post("/replies", response={200: ReplyOut})
def reply_receive(request: HttpRequest, body: ReplyIn) -> Status[dict[str, object]]:
    require(may_manage_surveys(request_user(request)))
    reply: SurveyReply = survey_reply_receive(
        message_id=body.message_id,
        address=normal_address(body.address) or body.address,
        text=body.text,
        received_at=_moment(body.received_at),
    )
    answered = reply.invitation is not None and reply.invitation.response_id is not None
    return Status(200, {"id": reply.pk, "kind": reply.kind, "answered": answered})


def _moment(received_at: datetime) -> datetime:
    """The reply's moment in UTC (the center's clock where it came without an offset);
    a moment outside 2000 … tomorrow is no reply to a survey of ours."""
    try:
        if timezone.is_naive(received_at):
            received_at = timezone.make_aware(received_at)
        moment = received_at.astimezone(UTC)
    except (OverflowError, ValueError):
        moment = None
    if moment is None or not EARLIEST <= moment <= timezone.now() + timedelta(days=1):
        raise ValidationError("received_at: a moment between 2000 and now, with its offset")
    return moment
