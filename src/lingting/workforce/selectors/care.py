"""Reads of the care of agents on the phone (issue 14, seed 000 §1(2)): the center's care
settings as the engine takes them, who is on a published shift, when agents started their
breaks, and the contacts of a shift as strain signals."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, time, timedelta, tzinfo

from django.db.models import F, Prefetch

from lingting.engine.break_rules import BreakRule
from lingting.engine.care import ContactSignal, ReminderSchedule
from lingting.engine.difficulty import DifficultyCheck, DifficultyRules
from lingting.interactions.engine_contacts import engine_contacts_for
from lingting.interactions.models import Contact
from lingting.quality.selectors.sampling import COMPLAINT_TAGS
from lingting.workforce.models import (
    AgentState,
    AgentStateEvent,
    CareNotice,
    CareSettings,
    RosterBreak,
    RosterShift,
    RosterStatus,
)
from lingting.workorders.selectors.ladder import threat_words

MINUTE = timedelta(minutes=1)


def care_settings() -> CareSettings:
    """The center's care settings; seed 000's defaults (unsaved) until a planner saves them."""
    return CareSettings.objects.filter(pk=1).first() or CareSettings(pk=1)


@dataclass(frozen=True, slots=True)
class CarePlan:
    """The care settings as the engine takes them."""

    schedule: ReminderSchedule
    greetings: dict[time, str]  # a reminder's time of day → its words
    break_rules: tuple[BreakRule, ...]
    break_reason: str
    difficulty: DifficultyCheck
    strain_run: int
    strain_break: timedelta


def care_plan(settings: CareSettings) -> CarePlan:
    """`settings` read into engine terms; they were checked when saved (the care form)."""
    greetings = {time.fromisoformat(r["time"]): r["text"] for r in settings.reminders}
    rules = DifficultyRules(
        insult_words=tuple(settings.insult_words) if settings.insults else (),
        insult_excused=tuple(settings.insult_excused) if settings.insults else (),
        threat_words=tuple(threat_words()) if settings.threats else (),
        complaint_tags=COMPLAINT_TAGS if settings.complaints else (),
    )
    return CarePlan(
        schedule=ReminderSchedule(
            tuple(sorted(greetings)), settings.reminder_lead_minutes * MINUTE
        ),
        greetings=greetings,
        break_rules=tuple(
            BreakRule(
                r["name"], r["worked_min"] * MINUTE, r["worked_max"] * MINUTE, r["length"] * MINUTE
            )
            for r in settings.break_rules
        ),
        break_reason=settings.break_reason,
        difficulty=DifficultyCheck(rules),
        strain_run=settings.strain_run,
        strain_break=settings.strain_break_minutes * MINUTE,
    )


def published_shifts(*, start: datetime, end: datetime) -> list[RosterShift]:
    """The shifts of published rosters that overlap `start`..`end`, with their agent, the
    agent's login, team and team leader, and their planned breaks. Where two published
    rosters give an agent a shift on the same day, the one published last holds."""
    rows = (
        RosterShift.objects.filter(
            roster__status=RosterStatus.PUBLISHED, starts_at__lte=end, ends_at__gt=start
        )
        .select_related("agent__user", "agent__team__leader")
        .prefetch_related(Prefetch("breaks", queryset=RosterBreak.objects.order_by("starts_at")))
        .order_by(F("roster__published_at").desc(nulls_last=True), "-roster_id")
    )
    kept: dict[tuple[int, object], RosterShift] = {}
    for row in rows:
        kept.setdefault((row.agent_id, row.day), row)
    return sorted(kept.values(), key=lambda row: (row.starts_at, row.agent_id))


def breaks_started(
    *, agent_ids: Iterable[int], reason: str, since: datetime, tz: tzinfo
) -> dict[int, list[datetime]]:
    """When each agent went not ready for `reason` (a break) from `since` on, by agent id,
    in `tz`: the agent state events are how Lingting knows that a break started."""
    started: dict[int, list[datetime]] = defaultdict(list)
    rows = AgentStateEvent.objects.filter(
        agent_id__in=list(agent_ids), state=AgentState.NOT_READY, reason=reason, at__gte=since
    ).values_list("agent_id", "at")
    for agent_id, at in rows.order_by("at"):
        started[agent_id].append(at.astimezone(tz))
    return started


def agents_with_new_contacts(
    *, agent_ids: Iterable[int], since: datetime, until: datetime
) -> set[int]:
    """The agents with a contact stored or changed after `since` up to `until`: only their
    runs of difficult contacts can have grown."""
    return set(
        Contact.objects.filter(
            agent_id__in=list(agent_ids), updated_at__gt=since, updated_at__lte=until
        ).values_list("agent_id", flat=True)
    )


@dataclass(frozen=True, slots=True)
class ShiftContacts:
    signals: list[ContactSignal]
    new: set[str]  # the external ids of those stored or changed after `since`


def shift_signals(
    shifts: list[RosterShift], *, check: DifficultyCheck, since: datetime, until: datetime
) -> ShiftContacts:
    """The contacts each shift's agent ended during that shift up to `until`, each with what
    made it difficult: the strain signals of the shifts (a night's rest ends any run). One
    agent a shift; the contacts of every agent are read together."""
    starts = {row.agent_id: row.starts_at for row in shifts}
    codes = {row.agent_id: row.agent.code for row in shifts}
    if not starts:
        return ShiftContacts([], set())
    rows = [
        (pk, agent_id, external_id, updated)
        for pk, agent_id, external_id, ended, updated in Contact.objects.filter(
            agent_id__in=list(starts), ended_at__gte=min(starts.values()), ended_at__lte=until
        ).values_list("pk", "agent_id", "external_id", "ended_at", "updated_at")
        if agent_id is not None and ended is not None and ended >= starts[agent_id]
    ]
    agent_of = {pk: codes[agent_id] for pk, agent_id, _, _ in rows}
    signals = [
        ContactSignal(agent_of[pk], contact.id, contact.ended_at, check.difficulty(contact))
        for pk, contact in engine_contacts_for(contact_ids=list(agent_of))
        if contact.ended_at is not None
    ]
    new = {external_id for _, _, external_id, updated in rows if updated > since}
    return ShiftContacts(signals, new)


def recent_care_notices(limit: int = 20) -> list[CareNotice]:
    """The latest care notices sent, for the care page: proof that the job runs."""
    return list(CareNotice.objects.select_related("agent", "recipient")[:limit])
