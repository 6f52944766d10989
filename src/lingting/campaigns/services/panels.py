"""The fixed-customer panel (固定客户感知跟踪, seed 004 篇1) kept: set up, recruited from its
segments (engine.panels.draw_members), its quarterly waves scheduled, each member's answer
in a wave recorded, and a member who leaves replaced by a fresh draw. Every change is
audited and made in one transaction: a refused one stores nothing."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.forms import ModelForm
from django.utils import timezone
from django.utils.translation import gettext as _

from lingting.campaigns.models import (
    DoNotCallSource,
    Panel,
    PanelAnswer,
    PanelCallOutcome,
    PanelLeaveReason,
    PanelMember,
    PanelWave,
    PerceptionChoice,
)
from lingting.campaigns.selectors.panels import (
    active_members,
    do_not_call_among,
    member_in_wave,
    member_phone,
    on_do_not_call_list,
    panel_segment_pools,
)
from lingting.campaigns.services.customers import do_not_call_add
from lingting.core.models import User
from lingting.core.services import audit_record
from lingting.engine.panels import draw_members, quarterly_waves

SCORES = range(1, 6)


class PanelRefused(ValueError):
    """A change the panel cannot take; the message says why, `field` names the form field
    it is about ("" for the whole)."""

    def __init__(self, message: str, *, field: str = "") -> None:
        super().__init__(message)
        self.field = field


# --- the panel and its members -------------------------------------------------------------


def panel_save(*, actor: User, form: ModelForm[Panel]) -> Panel:
    """Store a panel the form checked (segments, size, aspects), audited."""
    with transaction.atomic():
        before = _described(form.instance) if form.instance.pk else None
        if form.instance.created_by_id is None:
            form.instance.created_by = actor
        panel = form.save()
        audit_record(
            actor=actor,
            action="panel.save",
            object_type="panel",
            object_id=panel.pk,
            before=before,
            after=_described(panel),
        )
    return panel


def _described(panel: Panel) -> dict[str, Any]:
    return {
        "name": panel.name,
        "size": panel.size,
        "aspects": list(panel.aspects),
        "segments": sorted(panel.segments.values_list("pk", flat=True)),
    }


@dataclass(frozen=True)
class Recruitment:
    joined: list[PanelMember]
    short: int  # seats left empty: the segments have no more customers to draw


def panel_recruit(*, actor: User, panel: Panel, today: date) -> Recruitment:
    """Fill the panel up to its size from its segments' customers of today."""
    with transaction.atomic():
        locked = Panel.objects.select_for_update().get(pk=panel.pk)
        joined = _draw(locked, today=today)
        short = max(locked.size - active_members(locked).count(), 0)
        audit_record(
            actor=actor,
            action="panel.recruit",
            object_type="panel",
            object_id=panel.pk,
            after={"joined": [m.customer_id for m in joined], "short": short},
        )
    return Recruitment(joined, short)


def _draw(panel: Panel, *, today: date, limit: int | None = None) -> list[PanelMember]:
    """New members drawn for `panel` (locked by the caller): seeded by the panel and how
    many it has ever had, so the same state draws the same customers."""
    ever = list(panel.members.values_list("customer_id", flat=True))
    pools = panel_segment_pools(panel, today=today)
    drawn = draw_members(
        pools,
        size=panel.size,
        members=list(active_members(panel).values_list("customer_id", flat=True)),
        excluded=ever,
        do_not_call=do_not_call_among(pools),
        seed=f"panel-{panel.pk}-{len(ever)}",
        limit=limit,
    )
    return [
        PanelMember.objects.create(panel=panel, customer_id=recruit.customer_id, joined_on=today)
        for recruit in drawn
    ]


def panel_member_leave(
    *, actor: User, member: PanelMember, reason: PanelLeaveReason, today: date
) -> PanelMember | None:
    """`member` leaves the panel for `reason` and a customer drawn afresh from the same
    segments takes the place (None: nobody left to draw, or the panel is over its size).
    Leaving because the customer asked not to be called puts the number on the list."""
    with transaction.atomic():
        panel = Panel.objects.select_for_update().get(pk=member.panel_id)
        leaver_row = PanelMember.objects.select_for_update().get(pk=member.pk)
        if leaver_row.left_on is not None:
            raise PanelRefused(_("该客户已经退出固定样本"))
        leaver_row.left_on = today
        leaver_row.left_reason = reason
        leaver_row.save(update_fields=["left_on", "left_reason"])
        phone = member_phone(leaver_row)
        if reason == PanelLeaveReason.DO_NOT_CALL and phone:
            do_not_call_add(
                number=phone,
                source=DoNotCallSource.MANUAL,
                actor=actor,
                note=_("固定客户跟踪：%(panel)s") % {"panel": panel.name},
            )
        replacement = next(iter(_draw(panel, today=today, limit=1)), None)
        if replacement is not None:
            replacement.replaces = leaver_row
            replacement.save(update_fields=["replaces"])
        audit_record(
            actor=actor,
            action="panel.member_leave",
            object_type="panel_member",
            object_id=member.pk,
            before={"left_on": None},
            after={
                "left_on": str(today),
                "reason": str(reason),
                "replaced_by": replacement.customer_id if replacement else None,
            },
        )
    member.left_on, member.left_reason = leaver_row.left_on, leaver_row.left_reason
    return replacement


# --- waves ---------------------------------------------------------------------------------


def panel_waves_schedule(
    *, actor: User, panel: Panel, first_opens_on: date, count: int, open_days: int
) -> list[PanelWave]:
    """`count` quarterly waves from `first_opens_on`, each open `open_days` days; refused
    when one would share a name or days with a wave the panel has."""
    try:
        planned = quarterly_waves(first_opens_on=first_opens_on, count=count, open_days=open_days)
    except ValueError:
        raise PanelRefused(
            _("每次回访开放的天数须短于两次回访的间隔（三个月）"), field="open_days"
        ) from None
    with transaction.atomic():
        Panel.objects.select_for_update().get(pk=panel.pk)
        for wave in planned:
            clash = (
                panel.waves.filter(
                    opens_on__lte=wave.closes_on, closes_on__gte=wave.opens_on
                ).first()
                or panel.waves.filter(name=wave.name).first()
            )
            if clash is not None:
                raise PanelRefused(
                    _("%(new)s 与已有的回访 %(old)s 时间或名称重叠")
                    % {"new": wave.name, "old": clash.name},
                    field="first_opens_on",
                )
        waves = [
            PanelWave.objects.create(
                panel=panel, name=wave.name, opens_on=wave.opens_on, closes_on=wave.closes_on
            )
            for wave in planned
        ]
        audit_record(
            actor=actor,
            action="panel.schedule",
            object_type="panel",
            object_id=panel.pk,
            after={
                "waves": [[w.name, str(w.opens_on), str(w.closes_on)] for w in waves],
            },
        )
    return waves


# --- answers -------------------------------------------------------------------------------


@dataclass(frozen=True)
class AnswerGiven:
    """What the manager heard on the call."""

    outcome: str  # PanelCallOutcome
    satisfaction: int | None = None
    aspects: Mapping[str, int] = field(default_factory=dict)
    perception: str = ""  # PerceptionChoice or ""
    comment: str = ""


def panel_answer_record(
    *,
    actor: User,
    wave: PanelWave,
    member: PanelMember,
    given: AnswerGiven,
    answered_at: datetime | None = None,
) -> PanelAnswer:
    """The member's answer in `wave` (recorded again: corrected). Refused, storing
    nothing, for a member not in the panel in the wave's time, a number on the do-not-call
    list, a wave not open yet, a score out of 1–5, or an aspect the panel does not ask."""
    answered_at = answered_at or timezone.now()
    aspects = _checked_answer(wave.panel, given)
    with transaction.atomic():
        # the member's row locked: one answer per wave however many managers press save,
        # and a member who left meanwhile is seen as gone
        locked = PanelMember.objects.select_for_update().get(pk=member.pk)
        _check_call(wave, locked, answered_at)
        existing = PanelAnswer.objects.select_for_update().filter(wave=wave, member=member).first()
        before = _answer_described(existing) if existing else None
        answer = existing or PanelAnswer(wave=wave, member=member)
        answer.outcome = given.outcome
        answer.satisfaction = given.satisfaction
        answer.aspects = aspects
        answer.perception = given.perception
        answer.comment = given.comment.strip()
        answer.asked_by = actor
        answer.answered_at = answered_at
        answer.save()
        audit_record(
            actor=actor,
            action="panel.answer",
            object_type="panel_answer",
            object_id=answer.pk,
            before=before,
            after=_answer_described(answer),
        )
    return answer


def _check_call(wave: PanelWave, member: PanelMember, answered_at: datetime) -> None:
    if not member_in_wave(member, wave):
        raise PanelRefused(_("该客户在这次回访期间不在固定样本中"))
    if timezone.localdate(answered_at) < wave.opens_on:
        raise PanelRefused(
            _("%(wave)s 从 %(day)s 开始") % {"wave": wave.name, "day": wave.opens_on}
        )
    if on_do_not_call_list(member_phone(member)):
        raise PanelRefused(_("该号码已登记免打扰，不得拨打"))


def _checked_answer(panel: Panel, given: AnswerGiven) -> dict[str, int]:
    if given.outcome not in PanelCallOutcome.values:
        raise PanelRefused(_("请选择回访结果"), field="outcome")
    if given.perception and given.perception not in PerceptionChoice.values:
        raise PanelRefused(_("未知的服务感知变化"), field="perception")
    if given.outcome != PanelCallOutcome.ANSWERED:
        if given.satisfaction is not None or given.aspects or given.perception:
            raise PanelRefused(_("客户未回答时不能填写评分"), field="outcome")
        return {}
    if given.satisfaction not in SCORES:
        raise PanelRefused(_("总体满意度须为 1 到 5 分"), field="satisfaction")
    for aspect, score in given.aspects.items():
        if aspect not in panel.aspects:
            raise PanelRefused(
                _("“%(aspect)s”不是这个固定样本的测评方面") % {"aspect": aspect}, field="aspects"
            )
        if score not in SCORES:
            raise PanelRefused(
                _("“%(aspect)s”的评分须为 1 到 5 分") % {"aspect": aspect}, field="aspects"
            )
    return dict(given.aspects)


def _answer_described(answer: PanelAnswer) -> dict[str, Any]:
    return {
        "wave": answer.wave_id,
        "member": answer.member_id,
        "outcome": answer.outcome,
        "satisfaction": answer.satisfaction,
        "aspects": dict(answer.aspects),
        "perception": answer.perception,
    }
