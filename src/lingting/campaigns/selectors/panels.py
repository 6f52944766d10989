"""Reads for the fixed-customer panel (固定客户感知跟踪): its segments' customers as the draw
needs them, a wave's call list with each member's earlier answers, and the panel's figures
(engine.panels: how the same customers moved, who left in each wave's time)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from itertools import pairwise

from django.db.models import F, Q, QuerySet

from lingting.campaigns.models import (
    DoNotCall,
    Panel,
    PanelAnswer,
    PanelCallOutcome,
    PanelMember,
    PanelWave,
)
from lingting.campaigns.selectors import segment_customers
from lingting.engine.panels import (
    Candidate,
    MemberAnswer,
    Membership,
    Movement,
    SegmentPool,
    WaveAttrition,
    WaveStart,
    attrition_by_wave,
    movement,
)
from lingting.engine.segments import parse_segment_rules
from lingting.interactions.models import Customer

# --- the draw ------------------------------------------------------------------------------


def panel_segment_pools(panel: Panel, *, today: date) -> list[SegmentPool]:
    """The panel's segments (by name) with their customers of today and their numbers."""
    return [
        SegmentPool(
            segment.name,
            [
                Candidate(customer_id, phone or "")
                for customer_id, phone in _segment_of(segment.rules, today).values_list(
                    "pk", "profile__phone"
                )
            ],
        )
        for segment in panel.segments.order_by("name")
    ]


def do_not_call_among(pools: Sequence[SegmentPool]) -> set[str]:
    """The pools' numbers that are on the do-not-call list (the segments are not read
    again: the list is read once and held against the numbers the pools carry)."""
    listed = set(DoNotCall.objects.values_list("number", flat=True))
    return {c.phone for pool in pools for c in pool.customers if c.phone in listed}


def _segment_of(rules: str, today: date) -> QuerySet[Customer]:
    return segment_customers(parse_segment_rules(rules), today=today).order_by("pk")


def active_members(panel: Panel) -> QuerySet[PanelMember]:
    return panel.members.filter(left_on__isnull=True)


def on_do_not_call_list(number: str) -> bool:
    return bool(number) and DoNotCall.objects.filter(number=number).exists()


# --- a wave's calls ------------------------------------------------------------------------


def in_wave(wave: PanelWave) -> Q:
    """The members who were in the panel at some time while the wave was open."""
    return Q(joined_on__lte=wave.closes_on) & (
        Q(left_on__isnull=True) | Q(left_on__gte=wave.opens_on)
    )


def member_in_wave(member: PanelMember, wave: PanelWave) -> bool:
    return member.panel_id == wave.panel_id and _was_in(member.joined_on, member.left_on, wave)


def _was_in(joined_on: date, left_on: date | None, wave: PanelWave) -> bool:
    return joined_on <= wave.closes_on and (left_on is None or left_on >= wave.opens_on)


@dataclass(frozen=True)
class MemberCall:
    """A member as a wave's caller sees them."""

    member: PanelMember
    phone: str
    suppressed: bool  # the number is on the do-not-call list: not to be called
    answer: PanelAnswer | None  # in this wave
    earlier: list[PanelAnswer]  # in the panel's earlier waves, oldest first

    @property
    def name(self) -> str:
        profile = getattr(self.member.customer, "profile", None)
        return (profile.name if profile else "") or self.member.customer.code


def wave_call_list(wave: PanelWave) -> list[MemberCall]:
    """Every member of the wave's time, those still to call first, then by joining."""
    members = list(
        wave.panel.members.filter(in_wave(wave))
        .select_related("customer__profile", "replaces__customer")
        .order_by("joined_on", "id")
    )
    calls = _member_calls(wave, members)
    return sorted(calls, key=lambda call: call.answer is not None)


def member_call(wave: PanelWave, member: PanelMember) -> MemberCall:
    (call,) = _member_calls(wave, [member])
    return call


def _member_calls(wave: PanelWave, members: Sequence[PanelMember]) -> list[MemberCall]:
    phones = {m.pk: member_phone(m) for m in members}
    refused = set(
        DoNotCall.objects.filter(number__in={p for p in phones.values() if p}).values_list(
            "number", flat=True
        )
    )
    answers: dict[int, list[PanelAnswer]] = {}
    for answer in (
        PanelAnswer.objects.filter(
            member__in=[m.pk for m in members], wave__opens_on__lte=wave.opens_on
        )
        .select_related("wave", "asked_by")
        .order_by("wave__opens_on")
    ):
        answers.setdefault(answer.member_id, []).append(answer)
    calls = []
    for member in members:
        theirs = answers.get(member.pk, [])
        calls.append(
            MemberCall(
                member=member,
                phone=phones[member.pk],
                suppressed=phones[member.pk] in refused,
                answer=next((a for a in theirs if a.wave_id == wave.pk), None),
                earlier=[a for a in theirs if a.wave_id != wave.pk],
            )
        )
    return calls


def member_phone(member: PanelMember) -> str:
    """The number the member is called at: their profile's ("" without one)."""
    profile = getattr(member.customer, "profile", None)
    return profile.phone if profile else ""


# --- the panel's figures -------------------------------------------------------------------


@dataclass(frozen=True)
class WaveMove:
    earlier: PanelWave
    later: PanelWave
    moved: Movement


@dataclass(frozen=True)
class WaveProgress:
    wave: PanelWave
    members: int
    answered: int
    unreachable: int
    declined: int


@dataclass(frozen=True)
class PanelFigures:
    progress: list[WaveProgress]
    attrition: list[WaveAttrition]
    movements: list[WaveMove]  # consecutive waves, then the first against the last


def panel_figures(panel: Panel) -> PanelFigures:
    waves = list(panel.waves.order_by("opens_on"))
    memberships = [
        Membership(
            member_id=pk,
            joined_on=joined_on,
            left_on=left_on,
            left_reason=left_reason,
            replaced=replaced is not None,
        )
        for pk, joined_on, left_on, left_reason, replaced in panel.members.values_list(
            "pk", "joined_on", "left_on", "left_reason", "replaced_by"
        )
    ]
    answered = _answered_by_wave(waves)
    pairs = list(pairwise(waves))
    if len(waves) > 2:
        pairs.append((waves[0], waves[-1]))
    return PanelFigures(
        progress=[_progress(wave, memberships) for wave in waves],
        attrition=attrition_by_wave(
            [WaveStart(wave.name, wave.opens_on) for wave in waves], memberships
        ),
        movements=[
            WaveMove(
                earlier,
                later,
                movement(answered[earlier.pk], answered[later.pk], aspects=panel.aspects),
            )
            for earlier, later in pairs
        ],
    )


def _answered_by_wave(waves: Sequence[PanelWave]) -> dict[int, list[MemberAnswer]]:
    answered: dict[int, list[MemberAnswer]] = {wave.pk: [] for wave in waves}
    for wave_id, member_id, satisfaction, aspects, perception in PanelAnswer.objects.filter(
        wave__in=[wave.pk for wave in waves],
        outcome=PanelCallOutcome.ANSWERED,
        satisfaction__isnull=False,
    ).values_list("wave_id", "member_id", "satisfaction", "aspects", "perception"):
        assert satisfaction is not None  # filtered above
        answered[wave_id].append(MemberAnswer(member_id, satisfaction, aspects or {}, perception))
    return answered


def _progress(wave: PanelWave, memberships: Sequence[Membership]) -> WaveProgress:
    outcomes = list(wave.answers.values_list("outcome", flat=True))
    return WaveProgress(
        wave=wave,
        members=sum(_was_in(m.joined_on, m.left_on, wave) for m in memberships),
        answered=outcomes.count(PanelCallOutcome.ANSWERED),
        unreachable=outcomes.count(PanelCallOutcome.UNREACHABLE),
        declined=outcomes.count(PanelCallOutcome.DECLINED),
    )


def panel_members(panel: Panel) -> list[PanelMember]:
    """Every member ever, those in the panel first, with whom they replaced."""
    return list(
        panel.members.select_related("customer__profile", "replaces__customer").order_by(
            F("left_on").asc(nulls_first=True), "joined_on", "id"
        )
    )
