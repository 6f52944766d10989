"""Agents' shift limits in the HTTP API (/api/workforce/), as the shift-limit page sets them
(issue 14): planners, operations managers and admins for every agent, team leaders for their
teams' agents. Agents are named by code; a refusal answers 422 with the reasons."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Router, Schema, Status

from lingting.core.models import Agent, User
from lingting.core.params import ApiDate
from lingting.core.permissions import request_user, require
from lingting.workforce.models import ShiftLimit
from lingting.workforce.permissions import may_see_shift_limits, shift_limit_agents
from lingting.workforce.selectors.shift_limits import shift_limit_of, shift_limits_for
from lingting.workforce.services.shift_limits import Limit, shift_limit_delete, shift_limit_save

router = Router()


class ShiftLimitIn(Schema):
    reason: Literal["pregnancy", "nursing", "medical", "study", "other"] = Field(
        description="pregnancy (7 months or more) and nursing (a baby under one) rule out "
        "night shifts by law (女职工劳动保护特别规定)"
    )
    no_night: bool = Field(True, description="no shift with any hour between 22:00 and 06:00")
    codes: list[str] = Field([], max_length=50, description="shift codes ruled out besides")
    note: str = Field("", max_length=200)
    last_day: ApiDate | None = Field(None, description="null: until taken back")


class ShiftLimitOut(Schema):
    agent: str
    team: str | None  # the agent's team's code
    reason: str
    no_night: bool
    codes: list[str]
    note: str
    last_day: date | None


def _limit_out(limit: ShiftLimit) -> dict[str, Any]:
    return {
        "agent": limit.agent.code,
        "team": limit.agent.team.code if limit.agent.team else None,
        "reason": limit.reason,
        "no_night": limit.no_night,
        "codes": list(limit.codes),
        "note": limit.note,
        "last_day": limit.last_day,
    }


def _user(request: HttpRequest) -> User:
    user = request_user(request)
    require(may_see_shift_limits(user))
    return user


def _agent(user: User, code: str) -> Agent:
    """The agent with that code among `user`'s (404 otherwise: not theirs to know of)."""
    return get_object_or_404(shift_limit_agents(user).select_related("team"), code=code)


@router.get("/shift-limits", response=list[ShiftLimitOut])
def shift_limit_list(request: HttpRequest, ended: bool = False) -> list[dict[str, Any]]:
    """The limits in force today (with `ended`, past ones too) of the agents the user may
    see: every agent for planners, a team leader's teams' agents."""
    user = _user(request)
    rows = shift_limits_for(user=user, today=timezone.localdate(), include_ended=ended)
    return [_limit_out(limit) for limit in rows[:1000]]


@router.get("/agents/{code}/shift-limit", response=ShiftLimitOut)
def shift_limit_detail(request: HttpRequest, code: str) -> dict[str, Any]:
    user = _user(request)
    limit = shift_limit_of(user, _agent(user, code))
    if limit is None:
        raise Http404
    return _limit_out(limit)


@router.put("/agents/{code}/shift-limit", response=ShiftLimitOut)
def shift_limit_replace(request: HttpRequest, code: str, body: ShiftLimitIn) -> dict[str, Any]:
    """Set or replace the agent's limit (audited); 422 with the reasons for a pregnancy or
    nursing limit that allows nights, an unknown shift code, a limit ruling nothing out, a
    last day before today or an agent who has left."""
    user = _user(request)
    agent = _agent(user, code)
    limit = Limit(body.reason, body.no_night, body.codes, body.note, body.last_day)
    return _limit_out(
        shift_limit_save(actor=user, agent=agent, limit=limit, today=timezone.localdate())
    )


@router.delete("/agents/{code}/shift-limit", response={204: None})
def shift_limit_remove(request: HttpRequest, code: str) -> Status[None]:
    """Take the agent's limit back (audited)."""
    user = _user(request)
    limit = shift_limit_of(user, _agent(user, code))
    if limit is None:
        raise Http404
    shift_limit_delete(actor=user, limit=limit)
    return Status(204, None)
