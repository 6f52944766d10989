"""Shift swaps (换班) between agents on a published roster (issue 14).

An agent offers a future shift to a colleague qualified for its pool: a give-away (替班), or
an exchange where the colleague gives one of theirs back (the same date or another). The
colleague accepts or declines; the requester's team leader or a planner approves or
rejects; approval applies it. Every step is audited and told to the people it concerns.

**The rule check** (`swap_check`, engine.swap) runs when the swap is proposed, accepted and
approved: both agents' schedules after the swap must keep the roster's hard rules (rest,
night→morning turnaround, forward rotation, days in a row, the weekly and monthly caps of
their contract: a rotation team works 综合计算工时 with no weekly cap), the taker must have
the shift's pool as a skill and no leave that date. A refusal says which rules, in words.

**Applying** moves the shift rows to their new agents, their breaks with them; in an exchange
of two shifts of the same roster and date the rows trade their times, pool and breaks
instead (a roster holds one shift per agent and date, so a row cannot change agent while
the other still holds that date). Either way the roster's coverage is unchanged by
construction: the same shifts, at the same times, in the same pools, only worked by others.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from lingting.core.models import Agent, User
from lingting.core.services import audit_record, notification_send
from lingting.engine.rotation import ShiftTemplate as EngineTemplate
from lingting.engine.swap import Breach, Schedule, Swap, SwapRule, Worked, check_swap
from lingting.workforce.models import (
    RosterBreak,
    RosterShift,
    RosterStatus,
    RotationTeam,
    ShiftSwap,
    SwapStatus,
)
from lingting.workforce.permissions import may_approve_swaps_of
from lingting.workforce.selectors.swaps import OPEN, open_swaps_of_shift, swap_stale_reason

# The agent as the roster solver reads them (skills, leave, their contract's weekly cap), so
# that a swap is held to the very rules the roster was built under.
from lingting.workforce.services.rosters import _engine_agent

DAY = timedelta(days=1)
AROUND = timedelta(days=7)  # rest, turnaround and days in a row look a week either side


class SwapRefused(ValueError):
    """Why a swap cannot be proposed or go ahead: one reason a line, in the reader's words."""

    def __init__(self, reasons: list[str]) -> None:
        super().__init__("；".join(reasons))
        self.reasons = reasons


@dataclass(frozen=True, slots=True)
class SwapRow:
    """A swap as listed: its status as of now (an open swap whose shift has started has
    expired, whether or not anyone has acted on it since), the rules it breaks as of now
    (open swaps only) and whether the reader may decide it."""

    swap: ShiftSwap
    status: str
    status_label: str
    problems: list[str]
    may_decide: bool


def swap_rows(swaps: Iterable[ShiftSwap], user: User, now: datetime) -> list[SwapRow]:
    rows = []
    for swap in swaps:
        status = swap.status
        problems: list[str] = []
        if status in OPEN and (stale := swap_stale_reason(swap, now)):
            status, problems = SwapStatus.EXPIRED, [stale]
        elif status in OPEN:
            problems = swap_check(swap.shift, swap.counterpart, swap.returned_shift)
        may_decide = status == SwapStatus.ACCEPTED and may_approve_swaps_of(user, swap.requester)
        rows.append(SwapRow(swap, status, str(SwapStatus(status).label), problems, may_decide))
    return rows


def swap_check(
    shift: RosterShift, counterpart: Agent, returned_shift: RosterShift | None
) -> list[str]:
    """The hard rules the swap would break, in words; [] where it keeps them all."""
    days = [shift.day] + ([returned_shift.day] if returned_shift else [])
    first, last = _window(min(days), max(days))
    rotating = set(RotationTeam.objects.values_list("team__code", flat=True))
    giver, taker = shift.agent, counterpart
    schedules = {
        agent.pk: Schedule(
            _engine_agent(agent, first, last, rotating=rotating), _published(agent, first, last)
        )
        for agent in (giver, taker)
    }
    swap = Swap(
        giver=schedules[giver.pk],
        taker=schedules[taker.pk],
        given=_worked(shift),
        returned=_worked(returned_shift) if returned_shift else None,
    )
    names = {giver.code: giver.name or giver.code, taker.code: taker.name or taker.code}
    moves = [(schedules[taker.pk], shift)]
    if returned_shift is not None:
        moves.append((schedules[giver.pk], returned_shift))
    return [breach_text(breach, names) for breach in check_swap(swap)] + [
        _("%(agent)s 有班次限制，不能上 %(shift)s")
        % {"agent": names[schedule.agent.id], "shift": moved.code}
        for schedule, moved in moves
        # A shift limit (no nights, say): the shifts the roster would never give them.
        if schedule.agent.shifts is not None and moved.code not in schedule.agent.shifts
    ]


def _window(first: date, last: date) -> tuple[date, date]:
    """From the earliest of the week, the month and a week before the first date, to the
    latest of theirs after the last date: what the caps and the rest rules read."""
    start = min(first - AROUND, first - DAY * first.weekday(), first.replace(day=1))
    next_month = (last.replace(day=1) + 32 * DAY).replace(day=1)
    end = max(last + AROUND, last + DAY * (6 - last.weekday()), next_month - DAY)
    return start, end


def _published(agent: Agent, first: date, last: date) -> tuple[Worked, ...]:
    shifts = RosterShift.objects.filter(
        agent=agent, roster__status=RosterStatus.PUBLISHED, day__range=(first, last)
    ).select_related("queue")
    return tuple(_worked(shift) for shift in shifts)


def _worked(shift: RosterShift) -> Worked:
    start = timezone.localtime(shift.starts_at).replace(tzinfo=None)
    midnight = datetime.combine(shift.day, datetime.min.time())
    template = EngineTemplate(shift.code, start - midnight, shift.ends_at - shift.starts_at)
    return Worked(shift.day, template, shift.queue.code if shift.queue else None)


def breach_text(breach: Breach, names: dict[str, str]) -> str:
    """A broken rule in the reader's language, with the agent's name and the figures."""
    values = {
        "agent": names.get(breach.agent_id, breach.agent_id),
        "shift": _shift_text(breach.shift),
        "other": _shift_text(breach.other) if breach.other else "",
        "queue": breach.shift.queue or "",
        "amount": f"{breach.amount:g}" if breach.amount is not None else "",
        "limit": f"{breach.limit:g}" if breach.limit is not None else "",
    }
    match breach.rule:
        case SwapRule.SKILL:
            text = _("%(agent)s 没有 %(queue)s 的技能，不能上 %(shift)s")
        case SwapRule.LEAVE:
            text = _("%(agent)s 当天请假，不能上 %(shift)s")
        case SwapRule.SAME_DAY:
            text = _("%(agent)s 当天已有 %(other)s，一天只能上一个班")
        case SwapRule.REST:
            text = _(
                "%(agent)s 的 %(shift)s 与 %(other)s 之间只休息 %(amount)s 小时，"
                "至少需要 %(limit)s 小时"
            )
        case SwapRule.TURNAROUND:
            text = _(
                "%(agent)s 的 %(shift)s 与 %(other)s 是夜班接早班，只隔 %(amount)s 小时，"
                "至少需要 %(limit)s 小时"
            )
        case SwapRule.FORWARD:
            text = _(
                "%(agent)s 的 %(shift)s 与 %(other)s 是相邻两天，后一天的班开始得更早，违反顺向轮换"
            )
        case SwapRule.CONSECUTIVE:
            text = _("%(agent)s 上 %(shift)s 将连续上班 %(amount)s 天，最多 %(limit)s 天")
        case SwapRule.WEEK_CAP:
            text = _("%(agent)s 上 %(shift)s 后当周共 %(amount)s 小时，每周最多 %(limit)s 小时")
        case SwapRule.MONTH_CAP:
            text = _("%(agent)s 上 %(shift)s 后当月共 %(amount)s 小时，每月最多 %(limit)s 小时")
    return text % values


def _shift_text(shift: Worked) -> str:
    return f"{shift.day:%m-%d} {shift.template.code}"


# --- the steps ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SwapOffer:
    """What an agent asks for: `shift` (theirs) to `counterpart`, `returned_shift` (the
    counterpart's) back in an exchange."""

    requester: Agent
    shift: RosterShift
    counterpart: Agent
    returned_shift: RosterShift | None = None
    reason: str = ""


def swap_propose(*, offer: SwapOffer, actor: User, now: datetime | None = None) -> ShiftSwap:
    """Ask the counterpart; SwapRefused with every reason where the swap cannot be made."""
    now = now or timezone.now()
    reasons = _offer_refusals(offer, now)
    if not reasons:
        reasons = swap_check(offer.shift, offer.counterpart, offer.returned_shift)
    if reasons:
        raise SwapRefused(reasons)
    with transaction.atomic():
        swap = ShiftSwap.objects.create(
            requester=offer.requester,
            counterpart=offer.counterpart,
            shift=offer.shift,
            returned_shift=offer.returned_shift,
            reason=offer.reason.strip(),
        )
        _audit(swap, actor)
        _tell(
            offer.counterpart,
            _("%(agent)s 想把 %(shift)s 换给您，请确认") % _words(swap),
        )
    return swap


def _offer_refusals(offer: SwapOffer, now: datetime) -> list[str]:
    shift, returned = offer.shift, offer.returned_shift
    reasons = []
    if shift.agent_id != offer.requester.pk:
        reasons.append(_("只能调换自己的班次"))
    if offer.counterpart.pk == offer.requester.pk:
        reasons.append(_("不能和自己换班"))
    if offer.counterpart.user_id is None:
        reasons.append(_("对方没有登录账号，无法确认换班"))
    if offer.counterpart.left_on is not None and offer.counterpart.left_on < shift.day:
        reasons.append(_("对方届时已离职"))
    if returned is not None and returned.agent_id != offer.counterpart.pk:
        reasons.append(_("换回的班次不是对方的"))
    for item in (shift, *([returned] if returned else [])):
        if item.roster.status != RosterStatus.PUBLISHED:
            reasons.append(_("只能调换已发布排班中的班次"))
        if item.starts_at <= now:
            reasons.append(_("班次已开始，不能再换班"))
        if open_swaps_of_shift(item).exists():
            reasons.append(_("%(shift)s 已有待处理的换班申请") % {"shift": _shift_words(item)})
    return list(dict.fromkeys(reasons))


def swap_take_step(*, swap: ShiftSwap, step: str, actor: User, note: str = "") -> None:
    """One of `permissions.SWAP_STEPS`, by whoever `may_take_swap_step`."""
    match step:
        case "accept":
            swap_accept(swap=swap, actor=actor)
        case "decline":
            swap_decline(swap=swap, actor=actor, note=note)
        case "withdraw":
            swap_withdraw(swap=swap, actor=actor)
        case "approve":
            swap_approve(swap=swap, actor=actor, note=note)
        case "reject":
            swap_reject(swap=swap, actor=actor, note=note)
        case _:
            raise ValueError(f"no swap step {step!r}")


def swap_accept(*, swap: ShiftSwap, actor: User, now: datetime | None = None) -> None:
    """The counterpart agrees; the approver is told. Refused where the rules now break."""
    _still_open(swap, (SwapStatus.PROPOSED,), now or timezone.now())
    if reasons := swap_check(swap.shift, swap.counterpart, swap.returned_shift):
        raise SwapRefused(reasons)
    with transaction.atomic():
        swap.status = SwapStatus.ACCEPTED
        swap.accepted_at = timezone.now()
        swap.save(update_fields=["status", "accepted_at"])
        _audit(swap, actor)
        _tell(swap.requester, _("%(counterpart)s 已同意换班 %(shift)s，等待审批") % _words(swap))
        team = swap.requester.team
        if team is not None and team.leader is not None:
            notification_send(
                user=team.leader,
                text=_("%(agent)s 与 %(counterpart)s 的换班 %(shift)s 待您审批") % _words(swap),
                url=reverse("workforce:swap_list"),
            )


def swap_decline(*, swap: ShiftSwap, actor: User, note: str = "") -> None:
    _still_open(swap, (SwapStatus.PROPOSED,), timezone.now())
    with transaction.atomic():
        _close(swap, actor, SwapStatus.DECLINED, note)
        _tell(swap.requester, _("%(counterpart)s 没有同意换班 %(shift)s") % _words(swap))


def swap_withdraw(*, swap: ShiftSwap, actor: User) -> None:
    _still_open(swap, OPEN, timezone.now())
    with transaction.atomic():
        _close(swap, actor, SwapStatus.WITHDRAWN, "")
        _tell(swap.counterpart, _("%(agent)s 撤回了换班 %(shift)s") % _words(swap))


def swap_reject(*, swap: ShiftSwap, actor: User, note: str = "") -> None:
    _still_open(swap, OPEN, timezone.now())
    with transaction.atomic():
        _close(swap, actor, SwapStatus.REJECTED, note)
        for agent in (swap.requester, swap.counterpart):
            _tell(agent, _("换班 %(shift)s 审批未通过") % _words(swap))


def swap_approve(
    *, swap: ShiftSwap, actor: User, note: str = "", now: datetime | None = None
) -> None:
    """Apply an accepted swap: the shifts change hands. Refused where the rules now break."""
    _still_open(swap, (SwapStatus.ACCEPTED,), now or timezone.now())
    if reasons := swap_check(swap.shift, swap.counterpart, swap.returned_shift):
        raise SwapRefused(reasons)
    with transaction.atomic():
        # Two approvers at once: the second finds the swap applied and stops here.
        if ShiftSwap.objects.select_for_update().get(pk=swap.pk).status != SwapStatus.ACCEPTED:
            raise SwapRefused([_("这个换班申请刚刚已被处理")])
        given = RosterShift.objects.select_for_update().get(pk=swap.shift_id)
        returned = None
        if swap.returned_shift_id is not None:
            returned = RosterShift.objects.select_for_update().get(pk=swap.returned_shift_id)
        _apply(swap, given, returned)
        _close(swap, actor, SwapStatus.APPROVED, note)
        # Other requests for these shifts were made of the shifts as they were.
        others = ShiftSwap.objects.filter(status__in=OPEN).exclude(pk=swap.pk)
        for other in others.filter(shift__in=[given, returned]) | others.filter(
            returned_shift__in=[given, returned]
        ):
            _close(other, None, SwapStatus.EXPIRED, _("班次已经换给了别人"))
        for agent in (swap.requester, swap.counterpart):
            _tell(agent, _("换班 %(shift)s 已批准生效") % _words(swap))


def _apply(swap: ShiftSwap, given: RosterShift, returned: RosterShift | None) -> None:
    same_row_day = (
        returned is not None and returned.roster_id == given.roster_id and returned.day == given.day
    )
    if returned is not None and same_row_day:
        _trade_contents(given, returned)
        # The given shift now sits in the counterpart's row, the returned in the requester's.
        swap.shift, swap.returned_shift = returned, given
        swap.save(update_fields=["shift", "returned_shift"])
        return
    given.agent = swap.counterpart
    given.save(update_fields=["agent"])
    if returned is not None:
        returned.agent = swap.requester
        returned.save(update_fields=["agent"])


def _trade_contents(one: RosterShift, other: RosterShift) -> None:
    fields = ["code", "queue", "starts_at", "ends_at"]
    for name in fields:
        mine, theirs = getattr(one, name), getattr(other, name)
        setattr(one, name, theirs)
        setattr(other, name, mine)
    one_breaks = list(one.breaks.values_list("pk", flat=True))
    other_breaks = list(other.breaks.values_list("pk", flat=True))
    RosterBreak.objects.filter(pk__in=one_breaks).update(shift=other)
    RosterBreak.objects.filter(pk__in=other_breaks).update(shift=one)
    one.save(update_fields=fields)
    other.save(update_fields=fields)


def _still_open(swap: ShiftSwap, statuses: tuple[str, ...], now: datetime) -> None:
    """SwapRefused where the swap is no longer at this step; an open swap whose shift has
    started (or changed) is marked expired on the way."""
    if swap.status in OPEN and (stale := swap_stale_reason(swap, now)):
        _close(swap, None, SwapStatus.EXPIRED, stale)
        raise SwapRefused([stale])
    if swap.status not in statuses:
        raise SwapRefused(
            [_("这个换班申请已是「%(status)s」") % {"status": SwapStatus(swap.status).label}]
        )


def swaps_expire(*, now: datetime) -> int:
    """Close the open swaps that can no longer go ahead (a shift started, the roster was
    replaced, a shift changed hands) and tell the agents, so a request nobody answered does
    not sit "waiting" in anyone's list; the number closed. Pages already show such a swap as
    expired; this stores it (the scheduler's job "swaps", hourly)."""
    closed = 0
    waiting = ShiftSwap.objects.filter(status__in=OPEN).select_related(
        "requester__user", "counterpart__user", "shift__roster", "returned_shift__roster"
    )
    for swap in waiting:
        if stale := swap_stale_reason(swap, now):
            with transaction.atomic():
                _close(swap, None, SwapStatus.EXPIRED, stale)
                for agent in (swap.requester, swap.counterpart):
                    _tell(
                        agent, _("换班 %(shift)s 已失效：%(why)s") % (_words(swap) | {"why": stale})
                    )
            closed += 1
    return closed


def _close(swap: ShiftSwap, actor: User | None, status: str, note: str) -> None:
    with transaction.atomic():
        swap.status = status
        swap.decision_note = note.strip()[:200]
        swap.decided_by = actor
        swap.decided_at = timezone.now()
        swap.save(update_fields=["status", "decision_note", "decided_by", "decided_at"])
        _audit(swap, actor)


def _audit(swap: ShiftSwap, actor: User | None) -> None:
    """The swap as it now stands, under its new status (shift_swap.proposed, .accepted,
    .approved, .declined, .withdrawn, .rejected, .expired)."""
    returned = swap.returned_shift
    audit_record(
        actor=actor,
        action=f"shift_swap.{swap.status}",
        object_type="shift_swap",
        object_id=swap.pk,
        after={
            "status": swap.status,
            "requester": swap.requester.code,
            "counterpart": swap.counterpart.code,
            "shift": {"id": swap.shift_id, "day": str(swap.shift.day), "code": swap.shift.code},
            "returned_shift": (
                {"id": returned.pk, "day": str(returned.day), "code": returned.code}
                if returned
                else None
            ),
            "note": swap.decision_note or swap.reason,
        },
    )


def _tell(agent: Agent, text: str) -> None:
    if agent.user is not None:
        notification_send(user=agent.user, text=text, url=reverse("workforce:my_schedule"))


def _words(swap: ShiftSwap) -> dict[str, str]:
    shift = _shift_words(swap.shift)
    if swap.returned_shift is not None:
        shift = _("%(given)s（换回 %(returned)s）") % {
            "given": shift,
            "returned": _shift_words(swap.returned_shift),
        }
    return {
        "agent": swap.requester.name or swap.requester.code,
        "counterpart": swap.counterpart.name or swap.counterpart.code,
        "shift": shift,
    }


def _shift_words(shift: RosterShift) -> str:
    start = timezone.localtime(shift.starts_at)
    end = timezone.localtime(shift.ends_at)
    return f"{shift.day:%m-%d} {shift.code} {start:%H:%M}–{end:%H:%M}"
