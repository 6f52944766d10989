"""Shift swaps (换班) as their readers see them: whose swaps each user sees, what an agent
may offer and to whom, and whether an open swap can still go ahead (issue 14). The rule
check is in `services.swaps` (it reads the agents as the roster solver does)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from lingting.core.models import Agent, User
from lingting.workforce.models import (
    AgentSkill,
    RosterShift,
    RosterStatus,
    ShiftSwap,
    SwapStatus,
)
from lingting.workforce.permissions import swap_agents

OPEN = (SwapStatus.PROPOSED, SwapStatus.ACCEPTED)
EXCHANGE_HORIZON = timedelta(days=21)


def swaps_for(user: User) -> QuerySet[ShiftSwap]:
    """The swaps `user` sees: an agent their own (either side), a team leader their teams'
    agents', planners every one."""
    agents = swap_agents(user)
    return (
        ShiftSwap.objects.filter(Q(requester__in=agents) | Q(counterpart__in=agents))
        .select_related(
            "requester",
            "requester__team",
            "counterpart",
            "counterpart__user",
            "requester__user",
            "shift__agent",
            "shift__roster",
            "shift__queue",
            "returned_shift__agent",
            "returned_shift__roster",
            "returned_shift__queue",
            "decided_by",
        )
        .order_by("-created_at", "-id")
    )


def swap_stale_reason(swap: ShiftSwap, now: datetime) -> str | None:
    """Why an open swap can no longer go ahead, or None: a shift has started, the roster was
    replaced, or a shift has changed hands since."""
    shifts = [swap.shift, *([swap.returned_shift] if swap.returned_shift else [])]
    if any(shift.starts_at <= now for shift in shifts):
        return _("班次已开始，不能再换班")
    if any(shift.roster.status != RosterStatus.PUBLISHED for shift in shifts):
        return _("排班已被替换，请在新排班上重新申请")
    returned = swap.returned_shift
    if swap.shift.agent_id != swap.requester_id or (
        returned is not None and returned.agent_id != swap.counterpart_id
    ):
        return _("班次已经换给了别人")
    return None


# --- what an agent may offer and to whom -----------------------------------------------------


def swappable_shifts(agent: Agent, now: datetime) -> QuerySet[RosterShift]:
    """The agent's published shifts not yet started, without an open swap on them."""
    return (
        RosterShift.objects.filter(
            agent=agent, roster__status=RosterStatus.PUBLISHED, starts_at__gt=now
        )
        .exclude(swaps_given__status__in=OPEN)
        .exclude(swaps_returned__status__in=OPEN)
        .select_related("queue")
        .order_by("starts_at")
    )


def swap_colleagues(agent: Agent, today: date) -> QuerySet[Agent]:
    """Colleagues to ask: on staff, with a login (to answer), sharing a pool with `agent`."""
    pools = AgentSkill.objects.filter(agent=agent).values("queue")
    return (
        Agent.objects.filter(skills__queue__in=pools, user__isnull=False)
        .exclude(pk=agent.pk)
        .exclude(left_on__lt=today)
        .distinct()
        .order_by("code")
    )


def colleague_shifts(agent: Agent, now: datetime) -> QuerySet[RosterShift]:
    """The colleagues' shifts `agent` may take in exchange, in the weeks to come (a month of
    a whole floor would be too long a list to choose from)."""
    colleagues = swap_colleagues(agent, timezone.localtime(now).date())
    return (
        RosterShift.objects.filter(
            agent__in=colleagues,
            roster__status=RosterStatus.PUBLISHED,
            starts_at__gt=now,
            starts_at__lt=now + EXCHANGE_HORIZON,
        )
        .exclude(swaps_given__status__in=OPEN)
        .exclude(swaps_returned__status__in=OPEN)
        .select_related("agent", "queue")
        .order_by("starts_at", "agent__code")
    )


def open_swaps_of_shift(shift: RosterShift) -> QuerySet[ShiftSwap]:
    return ShiftSwap.objects.filter(Q(shift=shift) | Q(returned_shift=shift), status__in=OPEN)
