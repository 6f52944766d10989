"""Shift swaps (换班) in the HTTP API (/api/workforce/swaps), as the pages work them: an agent
proposes a swap of one of their published shifts to come and answers those offered to them;
the requester's team leader or a planner approves or rejects. The same services and rule
check as the pages: a refusal answers 422 with every reason (the broken rules in words)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status

from lingting.core.models import Agent
from lingting.core.params import RowId
from lingting.core.permissions import request_user, require
from lingting.workforce.models import RosterShift, ShiftSwap
from lingting.workforce.permissions import may_see_own_schedule, may_take_swap_step
from lingting.workforce.selectors.swaps import swaps_for
from lingting.workforce.services.swaps import (
    SwapOffer,
    SwapRefused,
    SwapRow,
    swap_propose,
    swap_rows,
    swap_take_step,
)

router = Router()
SwapStatusName = Literal[
    "proposed", "accepted", "approved", "declined", "withdrawn", "rejected", "expired"
]


class SwapQuery(Schema):
    status: SwapStatusName | None = None


class SwapIn(Schema):
    shift: RowId = Field(description="the id of one of your published shifts to come")
    counterpart: str = Field(min_length=1, max_length=64, description="the colleague's code")
    returned_shift: RowId | None = Field(
        None, description="in an exchange, the id of the colleague's shift you take"
    )
    reason: str = Field("", max_length=200)


class NoteIn(Schema):
    note: str = Field("", max_length=200)


class ShiftOut(Schema):
    id: int
    day: date
    code: str
    queue: str | None
    starts_at: datetime
    ends_at: datetime


class SwapOut(Schema):
    id: int
    status: SwapStatusName  # as of now: an open swap whose shift has started is expired
    requester: str
    counterpart: str
    shift: ShiftOut
    returned_shift: ShiftOut | None
    reason: str
    decision_note: str
    decided_by: str | None
    decided_at: datetime | None
    created_at: datetime
    accepted_at: datetime | None
    problems: list[str]  # the rules an open swap breaks as of now, in words


def _shift_out(shift: RosterShift | None) -> dict[str, Any] | None:
    if shift is None:
        return None
    return {
        "id": shift.pk,
        "day": shift.day,
        "code": shift.code,
        "queue": shift.queue.code if shift.queue else None,
        "starts_at": shift.starts_at,
        "ends_at": shift.ends_at,
    }


def _swap_out(row: SwapRow) -> dict[str, Any]:
    swap = row.swap
    return {
        "id": swap.pk,
        "status": row.status,
        "requester": swap.requester.code,
        "counterpart": swap.counterpart.code,
        "shift": _shift_out(swap.shift),
        "returned_shift": _shift_out(swap.returned_shift),
        "reason": swap.reason,
        "decision_note": swap.decision_note,
        "decided_by": swap.decided_by.username if swap.decided_by else None,
        "decided_at": swap.decided_at,
        "created_at": swap.created_at,
        "accepted_at": swap.accepted_at,
        "problems": row.problems,
    }


def _one(request: HttpRequest, swap_id: int) -> dict[str, Any]:
    user = request_user(request)
    swap = get_object_or_404(swaps_for(user), pk=swap_id)
    return _swap_out(swap_rows([swap], user, timezone.now())[0])


@router.get("/swaps", response=list[SwapOut])
def swap_list(request: HttpRequest, query: Query[SwapQuery]) -> list[dict[str, Any]]:
    """The swaps the user sees, newest first: an agent their own (either side), a team
    leader their teams' agents', planners all; `status` filters by the status as of now."""
    user = request_user(request)
    rows = swap_rows(swaps_for(user)[:500], user, timezone.now())
    return [_swap_out(row) for row in rows if query.status in (None, row.status)]


@router.post("/swaps", response={201: SwapOut})
def swap_add(request: HttpRequest, body: SwapIn) -> Status[dict[str, Any]]:
    """Propose a swap of one of your shifts (agents; audited, the colleague is told); 422
    with every reason where it cannot be made, the broken rules among them."""
    user = request_user(request)
    require(may_see_own_schedule(user))
    requester = get_object_or_404(Agent, user=user)
    returned = None
    if body.returned_shift is not None:
        returned = get_object_or_404(RosterShift, pk=body.returned_shift)
    offer = SwapOffer(
        requester=requester,
        shift=get_object_or_404(RosterShift, pk=body.shift, agent=requester),
        counterpart=get_object_or_404(Agent, code=body.counterpart),
        returned_shift=returned,
        reason=body.reason,
    )
    try:
        swap = swap_propose(offer=offer, actor=user)
    except SwapRefused as exc:
        raise ValidationError(exc.reasons) from exc
    return Status(201, _one(request, swap.pk))


def _step(request: HttpRequest, swap_id: int, step: str, note: str = "") -> dict[str, Any]:
    user = request_user(request)
    swap: ShiftSwap = get_object_or_404(swaps_for(user), pk=swap_id)
    require(may_take_swap_step(user, step, swap.requester, swap.counterpart))
    try:
        swap_take_step(swap=swap, step=step, actor=user, note=note)
    except SwapRefused as exc:
        raise ValidationError(exc.reasons) from exc
    return _one(request, swap.pk)


@router.post("/swaps/{swap_id}/accept", response=SwapOut)
def swap_accept_api(request: HttpRequest, swap_id: RowId) -> dict[str, Any]:
    """The colleague asked agrees (the rules checked again); the approver is told."""
    return _step(request, swap_id, "accept")


@router.post("/swaps/{swap_id}/decline", response=SwapOut)
def swap_decline_api(request: HttpRequest, swap_id: RowId, body: NoteIn) -> dict[str, Any]:
    """The colleague asked says no."""
    return _step(request, swap_id, "decline", body.note)


@router.post("/swaps/{swap_id}/withdraw", response=SwapOut)
def swap_withdraw_api(request: HttpRequest, swap_id: RowId) -> dict[str, Any]:
    """The requester takes the request back before it is approved."""
    return _step(request, swap_id, "withdraw")


@router.post("/swaps/{swap_id}/approve", response=SwapOut)
def swap_approve_api(request: HttpRequest, swap_id: RowId, body: NoteIn) -> dict[str, Any]:
    """The requester's team leader or a planner applies an accepted swap (the rules checked
    again): the shifts change hands, with their breaks; both agents are told."""
    return _step(request, swap_id, "approve", body.note)


@router.post("/swaps/{swap_id}/reject", response=SwapOut)
def swap_reject_api(request: HttpRequest, swap_id: RowId, body: NoteIn) -> dict[str, Any]:
    """The approver turns an open swap down, with a note; both agents are told."""
    return _step(request, swap_id, "reject", body.note)
