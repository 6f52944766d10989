"""Writes of agents' shift limits (issue 14): the shifts an agent may not be rostered on, with
the reason, as planners (anyone) and team leaders (their teams' agents) enter them on the
shift-limit page and through the API. One limit per agent: saving replaces it. Each change is
audited in its own transaction."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from lingting.core.models import Agent, User
from lingting.core.services import audit_record
from lingting.workforce.models import ShiftLimit, ShiftLimitReason, ShiftTemplate
from lingting.workforce.permissions import shift_limit_agents
from lingting.workforce.selectors.setup import has_left

# 女职工劳动保护特别规定 第九条、第十条: no night work, whatever else the limit says.
NIGHT_BY_LAW = frozenset({ShiftLimitReason.PREGNANCY, ShiftLimitReason.NURSING})


@dataclass(frozen=True, slots=True)
class Limit:
    """What is set on an agent's limit."""

    reason: str  # a ShiftLimitReason
    no_night: bool = True
    codes: Sequence[str] = ()  # shift templates ruled out besides the night ones
    note: str = ""
    last_day: date | None = None  # None: until taken back


def _limit_errors(agent: Agent, limit: Limit, today: date) -> list[str]:
    errors = []
    if limit.reason not in ShiftLimitReason.values:
        errors.append(_("原因不对：%(reason)s") % {"reason": limit.reason})
    if limit.reason in NIGHT_BY_LAW and not limit.no_night:
        errors.append(
            _("怀孕 7 个月以上或哺乳未满 1 周岁婴儿的女职工依法不得安排夜班：请勾选“不排夜班”")
        )
    known = set(ShiftTemplate.objects.filter(code__in=limit.codes).values_list("code", flat=True))
    if unknown := [code for code in limit.codes if code not in known]:
        errors.append(_("没有这些班次：%(codes)s") % {"codes": "、".join(unknown)})
    if not limit.no_night and not limit.codes:
        errors.append(_("请勾选“不排夜班”或至少选一个不排的班次"))
    if limit.last_day is not None and limit.last_day < today:
        errors.append(_("截止日期不能早于今天"))
    if has_left(agent, today):
        errors.append(
            _("%(agent)s 已于 %(day)s 离职，不能再设置班次限制")
            % {"agent": agent, "day": agent.left_on}
        )
    return errors


def _limit_values(limit: ShiftLimit) -> dict[str, Any]:
    return {
        "agent": limit.agent.code,
        "reason": limit.reason,
        "no_night": limit.no_night,
        "codes": list(limit.codes),
        "note": limit.note,
        "last_day": str(limit.last_day) if limit.last_day else None,
    }


def shift_limit_save(*, actor: User, agent: Agent, limit: Limit, today: date) -> ShiftLimit:
    """Set (or replace) the shifts `agent` may not be rostered on. Refused (ValidationError
    naming each reason) for a pregnancy or nursing limit that allows nights, shift codes
    that do not exist, a limit that rules nothing out, a last day before today, an agent who
    has left; PermissionDenied for an agent who is not `actor`'s to set."""
    if not shift_limit_agents(actor).filter(pk=agent.pk).exists():
        raise PermissionDenied
    if errors := _limit_errors(agent, limit, today):
        raise ValidationError(errors)
    with transaction.atomic():
        Agent.objects.select_for_update().filter(pk=agent.pk).first()  # one save at a time
        current = ShiftLimit.objects.filter(agent=agent).first()
        before = _limit_values(current) if current is not None else None
        row = current or ShiftLimit(agent=agent)
        row.reason = limit.reason
        row.no_night = limit.no_night
        row.codes = sorted(set(limit.codes))
        row.note = limit.note.strip()
        row.last_day = limit.last_day
        row.updated_by = actor
        row.save()
        audit_record(
            actor=actor,
            action="shift_limit.save",
            object_type="agent",
            object_id=agent.code,
            before=before,
            after=_limit_values(row),
        )
    return row


def shift_limit_delete(*, actor: User, limit: ShiftLimit) -> None:
    """Take a limit back (audited with what it was)."""
    if not shift_limit_agents(actor).filter(pk=limit.agent_id).exists():
        raise PermissionDenied
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="shift_limit.delete",
            object_type="agent",
            object_id=limit.agent.code,
            before=_limit_values(limit),
        )
        limit.delete()
