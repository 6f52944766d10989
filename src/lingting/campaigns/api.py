"""Callback campaigns in the HTTP API (/api/campaigns/), for an external dialer.

- ``GET /api/campaigns/{id}/calls?agent=CODE``: the customers that may be dialled now (the
  do-not-call list, hours and other campaigns checked at this moment), from the agents'
  lists of today; one agent's with `agent`.
- ``POST /api/campaigns/calls``: one call's outcome, by the dialer's own call id
  (`dialer_key`): the same id sent again records nothing new and answers what the first
  request recorded (200 both times); a call that cannot be recorded answers 409 and why.
- ``GET /api/campaigns/panels/{id}``: a fixed-customer panel's figures: its waves, the
  attrition in each wave's time and how the same customers moved between waves.

Authenticated by the API key of a user who runs campaigns; numbers come in full only to a
role that may see personal numbers (core.personal_numbers), as everywhere.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status

from lingting.campaigns.models import CallAttempt, Campaign, CampaignTarget, NonUseReason, Panel
from lingting.campaigns.permissions import may_call_panel_members, may_run_campaigns
from lingting.campaigns.selectors import target_call_verdict
from lingting.campaigns.selectors.panels import WaveMove, active_members, panel_figures
from lingting.campaigns.services.calls import CallOutcome, CallRefused, call_record
from lingting.core.models import Agent
from lingting.core.params import ApiDateTime
from lingting.core.permissions import request_user, require
from lingting.core.personal_numbers import phone_shown_to
from lingting.engine.callbacks import CallVerdict, Disposition
from lingting.workorders.api.schemas import Problem

router = Router(tags=["campaigns"])


class CallsQuery(Schema):
    agent: str = Field("", max_length=64)  # an agent's code: only their list


class DialOut(Schema):
    target_id: int
    customer: str  # the customer's code
    name: str
    phone: str
    agent: str  # the code of the agent whose list it is on
    attempts: int


@router.get("/{campaign_id}/calls", response={200: list[DialOut]})
def calls_now(
    request: HttpRequest, campaign_id: int, query: Query[CallsQuery]
) -> Status[list[dict[str, object]]]:
    user = request_user(request)
    require(may_run_campaigns(user))
    campaign = get_object_or_404(Campaign, pk=campaign_id)
    targets = CampaignTarget.objects.filter(
        campaign=campaign, assigned_on=timezone.localdate(), assigned_to__isnull=False
    ).select_related("campaign", "customer__profile", "assigned_to")
    if query.agent:
        targets = targets.filter(assigned_to__code=query.agent)
    now = timezone.now()
    return Status(
        200,
        [
            {
                "target_id": target.pk,
                "customer": target.customer.code,
                "name": getattr(getattr(target.customer, "profile", None), "name", ""),
                "phone": phone_shown_to(target.phone, user),
                "agent": target.assigned_to.code if target.assigned_to else "",
                "attempts": target.attempts,
            }
            for target in targets.order_by("id")
            if target_call_verdict(target, now) is CallVerdict.ALLOWED
        ],
    )


class CallIn(Schema):
    dialer_key: str = Field(min_length=1, max_length=128)  # the dialer's id of the call
    target_id: int
    agent: str = Field(min_length=1, max_length=64)  # the code of the agent who called
    disposition: Disposition
    called_at: ApiDateTime  # with its offset (without: the center's time zone)
    call_back_at: ApiDateTime | None = None  # for call_back
    contact_id: str = Field("", max_length=128)  # the switch's id of the call's recording
    note: str = Field("", max_length=500)
    non_use_reason: NonUseReason | None = None
    offer_accepted: bool | None = None
    satisfaction: int | None = Field(None, ge=1, le=5)
    revenue: Decimal | None = Field(None, ge=0, max_digits=12, decimal_places=2)


class CallOut(Schema):
    call_id: int
    target_id: int
    state: str  # open, done, closed, suppressed
    attempts: int
    next_try_at: datetime | None


@router.post("/calls", response={200: CallOut, 404: Problem, 409: Problem})
def call_in(request: HttpRequest, body: CallIn) -> Status[dict[str, object]]:
    user = request_user(request)
    require(may_run_campaigns(user))
    target = CampaignTarget.objects.filter(pk=body.target_id).first()
    agent = Agent.objects.filter(code=body.agent).first()
    if target is None or agent is None:
        missing = "target_id" if target is None else "agent"
        return Status(404, {"detail": f"no such {missing}"})
    try:
        attempt = call_record(
            actor=user,
            target=target,
            agent=agent,
            disposition=body.disposition,
            called_at=_aware(body.called_at),
            call_back_at=_aware(body.call_back_at) if body.call_back_at else None,
            note=body.note,
            outcome=CallOutcome(
                non_use_reason=body.non_use_reason or "",
                offer_accepted=body.offer_accepted,
                satisfaction=body.satisfaction,
                revenue=body.revenue,
            ),
            dialer_key=body.dialer_key,
            contact_id=body.contact_id,
        )
    except CallRefused as refused:
        return Status(409, {"detail": str(refused)})
    return Status(200, _call_out(attempt))


def _call_out(attempt: CallAttempt) -> dict[str, object]:
    target = attempt.target  # as the call left it (read afresh for a repeated dialer key)
    return {
        "call_id": attempt.pk,
        "target_id": target.pk,
        "state": target.state,
        "attempts": target.attempts,
        "next_try_at": target.next_try_at,
    }


def _aware(moment: datetime) -> datetime:
    """In UTC (the center's clock where it came without an offset): any offset a client
    writes (+21:29) is stored as the same moment."""
    return (timezone.make_aware(moment) if timezone.is_naive(moment) else moment).astimezone(UTC)


class WaveOut(Schema):
    name: str
    opens_on: date
    closes_on: date
    members: int  # in the panel at some time while it was open
    answered: int
    unreachable: int
    declined: int


class AttritionOut(Schema):
    wave: str
    opens_on: date
    at_start: int
    joined: int
    left: int
    by_reason: dict[str, int]  # cancelled, declined, unreachable, do_not_call, other
    replaced: int
    rate: float | None


class ShareOut(Schema):
    share: float | None  # of 1
    margin: float | None  # the 95% half-width, of 1
    count: int


class AspectMoveOut(Schema):
    aspect: str
    before: float | None
    after: float | None
    count: int


class MovementOut(Schema):
    earlier: str
    later: str
    count: int  # members who answered both waves
    before: float | None
    after: float | None
    rose: int
    held: int
    fell: int
    improved: ShareOut
    aspects: list[AspectMoveOut]


class PanelOut(Schema):
    id: int
    name: str
    size: int
    members: int  # in the panel now
    segments: list[str]
    aspects: list[str]
    waves: list[WaveOut]
    attrition: list[AttritionOut]
    movements: list[MovementOut]


@router.get("/panels/{panel_id}", response={200: PanelOut})
def panel_out(request: HttpRequest, panel_id: int) -> Status[dict[str, object]]:
    require(may_call_panel_members(request_user(request)))
    panel = get_object_or_404(Panel, pk=panel_id)
    figures = panel_figures(panel)
    return Status(
        200,
        {
            "id": panel.pk,
            "name": panel.name,
            "size": panel.size,
            "members": active_members(panel).count(),
            "segments": list(panel.segments.order_by("name").values_list("name", flat=True)),
            "aspects": list(panel.aspects),
            "waves": [
                {
                    "name": row.wave.name,
                    "opens_on": row.wave.opens_on,
                    "closes_on": row.wave.closes_on,
                    "members": row.members,
                    "answered": row.answered,
                    "unreachable": row.unreachable,
                    "declined": row.declined,
                }
                for row in figures.progress
            ],
            "attrition": [
                {
                    "wave": row.wave,
                    "opens_on": row.opens_on,
                    "at_start": row.at_start,
                    "joined": row.joined,
                    "left": row.left,
                    "by_reason": dict(row.by_reason),
                    "replaced": row.replaced,
                    "rate": row.rate,
                }
                for row in figures.attrition
            ],
            "movements": [_movement_out(move) for move in figures.movements],
        },
    )


def _movement_out(move: WaveMove) -> dict[str, object]:
    moved = move.moved
    return {
        "earlier": move.earlier.name,
        "later": move.later.name,
        "count": moved.count,
        "before": moved.before,
        "after": moved.after,
        "rose": moved.rose,
        "held": moved.held,
        "fell": moved.fell,
        "improved": {
            "share": moved.improved.value,
            "margin": moved.improved.margin,
            "count": moved.improved.count,
        },
        "aspects": [
            {"aspect": a.aspect, "before": a.before, "after": a.after, "count": a.count}
            for a in moved.aspects
        ],
    }
