"""Surveys in the HTTP API (/api/surveys/): the gateway hands in the customers' SMS replies;
a BI tool reads the service competitiveness index.

``POST /api/surveys/replies`` with ``{"message_id", "address", "text", "received_at"}``,
authenticated by the API key of a user who manages surveys. Sending the same `message_id`
again (a gateway's retry) stores nothing new and answers what the first request stored.

``GET /api/surveys/competitiveness``: the choice-intention waves by survey date, each with
the index, its retention and market parts and their change since the wave before (points,
as on the page), and every operator's counts.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema, Status

from lingting.core.permissions import request_user, require
from lingting.engine.competitiveness import CompetitivenessChange
from lingting.engine.survey_invitations import normal_address
from lingting.surveys.competitiveness_selectors import WaveFigures, competitiveness_waves
from lingting.surveys.models import SurveyReply
from lingting.surveys.permissions import may_manage_surveys, may_see_competitiveness
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


class OperatorOut(Schema):
    operator: str
    ours: bool
    subscribers: int
    asked: int
    choosing_us: int
    share: float  # choosing_us / asked, a fraction


class ChangeOut(Schema):
    index: float
    retention: float
    market: float | None


class WaveOut(Schema):
    id: int
    name: str
    surveyed_on: date
    note: str
    index: float
    retention: float
    market: float | None  # null where the wave asked no rival's users
    change: ChangeOut | None  # against the wave before; null for the first
    operators: list[OperatorOut]


@router.get("/competitiveness", response=list[WaveOut])
def competitiveness(request: HttpRequest) -> list[dict[str, object]]:
    require(may_see_competitiveness(request_user(request)))
    return [_wave_out(wave) for wave in competitiveness_waves()]


def _wave_out(wave: WaveFigures) -> dict[str, object]:
    return {
        "id": wave.wave.pk,
        "name": wave.wave.name,
        "surveyed_on": wave.wave.surveyed_on,
        "note": wave.wave.note,
        "index": wave.figures.index,
        "retention": wave.figures.retention,
        "market": wave.figures.market,
        "change": _change_out(wave.change),
        "operators": [
            {
                "operator": line.row.operator,
                "ours": line.row.ours,
                "subscribers": line.row.subscribers,
                "asked": line.row.asked,
                "choosing_us": line.row.choosing_us,
                "share": line.share,
            }
            for line in wave.lines
        ],
    }


def _change_out(change: CompetitivenessChange | None) -> dict[str, float | None] | None:
    if change is None:
        return None
    return {"index": change.index, "retention": change.retention, "market": change.market}
