"""Writes of the workforce app: storing agent state events, sending the hourly broadcast,
recording that an agent left."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from itertools import batched

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from lingting.core.models import Agent, LeavingReason, Team, User
from lingting.core.services import audit_record, notification_send
from lingting.engine.csat import CsatTotals
from lingting.engine.occupancy import StateEvent, read_state_events
from lingting.engine.reader import LineError
from lingting.workforce.models import AgentStateEvent, HourlyBroadcast
from lingting.workforce.permissions import may_record_leavers
from lingting.workforce.selectors import team_calls, team_satisfaction
from lingting.workforce.services.leavers import leaver_login_deactivate, leaver_login_reactivate

BATCH = 2000

ErrorSink = Callable[[LineError], None]


@dataclass(slots=True)
class StateImportReport:
    read: int = 0
    stored: int = 0
    already_stored: int = 0  # events that were in the database (or earlier in the file)
    rejected: int = 0


def agent_states_import_file(
    path: str, *, tz: tzinfo, on_error: ErrorSink | None = None
) -> StateImportReport:
    """Store the agent state events of a .jsonl or .csv file (README, "Agent state
    events"); raises `UnreadableFileError` when the file as a whole cannot be read."""
    report = agent_states_import(lines=read_state_events(path, tz=tz), on_error=on_error)
    audit_record(
        actor=None,
        action="agent_states.import",
        object_type="agent_state_file",
        object_id=os.path.basename(path),
        after={
            "read": report.read,
            "stored": report.stored,
            "already_stored": report.already_stored,
            "rejected": report.rejected,
        },
    )
    return report


def agent_states_import(
    *,
    lines: Iterable[tuple[int, StateEvent] | LineError],
    on_error: ErrorSink | None = None,
) -> StateImportReport:
    """Store parsed events, a batch per transaction. An event already stored (same agent,
    time and state) is left as it is, so importing a file again changes nothing; a broken
    line goes to `on_error` and the rest are stored. Unknown agent codes become agents, as
    the contact import does."""
    report = StateImportReport()
    for batch in batched(lines, BATCH):
        events: list[StateEvent] = []
        for item in batch:
            report.read += 1
            if isinstance(item, LineError):
                report.rejected += 1
                if on_error is not None:
                    on_error(item)
            else:
                events.append(item[1])
        if events:
            stored = _store_events(events)
            report.stored += stored
            report.already_stored += len(events) - stored
    return report


@transaction.atomic
def _store_events(events: list[StateEvent]) -> int:
    agents = _agent_ids({e.agent_id for e in events})
    existing = set(
        AgentStateEvent.objects.filter(
            agent_id__in=set(agents.values()),
            at__gte=min(e.at for e in events),
            at__lte=max(e.at for e in events),
        ).values_list("agent_id", "at", "state")
    )
    new: dict[tuple[int, datetime, str], AgentStateEvent] = {}
    for event in events:
        key = (agents[event.agent_id], event.at, event.state)
        if key not in existing and key not in new:
            new[key] = AgentStateEvent(
                agent_id=key[0],
                state=event.state,
                at=event.at,
                reason=event.reason,
                contact_ref=event.contact_id,
            )
    # A concurrent import of the same file may have stored some since: ignored, not doubled.
    AgentStateEvent.objects.bulk_create(new.values(), ignore_conflicts=True)
    return len(new)


def _agent_ids(codes: set[str]) -> dict[str, int]:
    found: dict[str, int] = dict(Agent.objects.filter(code__in=codes).values_list("code", "id"))
    missing = codes - found.keys()
    if missing:
        Agent.objects.bulk_create([Agent(code=code) for code in missing], ignore_conflicts=True)
        found.update(Agent.objects.filter(code__in=missing).values_list("code", "id"))
    return found


def broadcast_hour(*, hour_start: datetime) -> list[HourlyBroadcast]:
    """Tell each team how the hour from `hour_start` went (000 §1(2): every hour, the
    team's CALL量 and live satisfaction): a notification to each member (the agents'
    logins and the team leader) with the team's calls that hour, its calls so far that day
    and its satisfaction so far that day.

    Once per team and hour: a team already told about this hour is left alone, however
    often this runs. A team whose agents took no call in the hour is not told. Returns the
    broadcasts sent now.
    """
    tz = timezone.get_current_timezone()
    hour_start = hour_start.astimezone(tz).replace(minute=0, second=0, microsecond=0)
    hour_end = hour_start + timedelta(hours=1)
    day_start = datetime.combine(hour_start.date(), time(), tzinfo=tz)
    teams = Team.objects.all()
    calls_hour = team_calls(teams=teams, start=hour_start, end=hour_end)
    calls_today = team_calls(teams=teams, start=day_start, end=hour_end)
    satisfaction = team_satisfaction(teams=teams, start=day_start, end=hour_end)
    sent = []
    for team in teams.filter(pk__in=[pk for pk, calls in calls_hour.items() if calls]):
        today = satisfaction.get(team.pk, CsatTotals())
        sent_one = _broadcast_team(
            team=team,
            hour_start=hour_start,
            calls_hour=calls_hour[team.pk],
            calls_today=calls_today.get(team.pk, 0),
            satisfaction=today,
        )
        if sent_one is not None:
            sent.append(sent_one)
    return sent


def _broadcast_team(
    *,
    team: Team,
    hour_start: datetime,
    calls_hour: int,
    calls_today: int,
    satisfaction: CsatTotals,
) -> HourlyBroadcast | None:
    recipients = {user.pk: user for user in User.objects.filter(agent__team=team, is_active=True)}
    if team.leader is not None and team.leader.is_active:
        recipients[team.leader.pk] = team.leader
    try:
        with transaction.atomic():
            broadcast = HourlyBroadcast.objects.create(
                team=team,
                hour_start=hour_start,
                calls_hour=calls_hour,
                calls_today=calls_today,
                responses_today=satisfaction.responses,
                satisfied_today=satisfaction.satisfied,
                recipients=len(recipients),
            )
            text = _broadcast_text(broadcast, satisfaction)
            url = f"{reverse('workforce:broadcast')}?day={hour_start.date().isoformat()}"
            for user in recipients.values():
                notification_send(user=user, text=text, url=url)
    except IntegrityError:  # told already, by an earlier or a concurrent run
        return None
    return broadcast


def _broadcast_text(broadcast: HourlyBroadcast, satisfaction: CsatTotals) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        hour = timezone.localtime(broadcast.hour_start)
        if satisfaction.csat is None:
            csat = _("今日暂无满意度评价")
        else:
            csat = _("今日满意度 %(csat).1f%%（%(n)d 份评价）") % {
                "csat": satisfaction.csat * 100,
                "n": satisfaction.responses,
            }
        return _(
            "【话务播报】%(team)s %(day)s %(start)s–%(end)s 接听 %(calls)d 通，"
            "今日累计 %(today)d 通，%(csat)s"
        ) % {
            "team": broadcast.team.name,
            "day": f"{hour:%m-%d}",
            "start": f"{hour:%H:00}",
            "end": f"{hour + timedelta(hours=1):%H:00}",
            "calls": broadcast.calls_hour,
            "today": broadcast.calls_today,
            "csat": csat,
        }


def agent_leaving_record(
    *, actor: User, agent: Agent, left_on: date, reason: str = "", note: str = ""
) -> Agent:
    """Record that `agent` left, `left_on` being their last day on staff, and why (a
    `LeavingReason`, "" unknown); recording it again corrects it. The agent keeps their
    contacts, scores and figures; the attrition page counts them as a leaver from then."""
    if not may_record_leavers(actor):
        raise PermissionDenied
    if reason and reason not in LeavingReason.values:
        raise ValidationError(_("未知的离职原因：%(reason)s") % {"reason": reason[:40]})
    with transaction.atomic():
        agent = (
            Agent.objects.select_for_update(of=("self",)).select_related("user").get(pk=agent.pk)
        )
        if agent.hired_on is not None and left_on < agent.hired_on:
            raise ValidationError(
                _("离职日期 %(left)s 早于入职日期 %(hired)s")
                % {"left": left_on, "hired": agent.hired_on}
            )
        before = _leaving(agent)
        agent.left_on, agent.leaving_reason = left_on, reason
        agent.save(update_fields=["left_on", "leaving_reason"])
        audit_record(
            actor=actor,
            action="agent.leave",
            object_type="agent",
            object_id=agent.code,
            before=before,
            after=_leaving(agent),
            note=note,
        )
        leaver_login_deactivate(agent=agent, actor=actor, today=timezone.localdate())
    return agent


def agent_leaving_cancel(*, actor: User, agent: Agent, note: str = "") -> Agent:
    """Take back a leaving recorded by mistake: `agent` is on staff again."""
    if not may_record_leavers(actor):
        raise PermissionDenied
    with transaction.atomic():
        agent = (
            Agent.objects.select_for_update(of=("self",)).select_related("user").get(pk=agent.pk)
        )
        if agent.left_on is None:
            raise ValidationError(_("%(agent)s 没有离职记录") % {"agent": agent.code})
        before = _leaving(agent)
        agent.left_on, agent.leaving_reason = None, ""
        agent.save(update_fields=["left_on", "leaving_reason"])
        audit_record(
            actor=actor,
            action="agent.leave_cancel",
            object_type="agent",
            object_id=agent.code,
            before=before,
            after=_leaving(agent),
            note=note,
        )
        leaver_login_reactivate(agent=agent, actor=actor)
    return agent


def _locked_with_login(agent: Agent) -> Agent:
    """`agent` locked for the change, with their login (not locked: an outer join)."""
    return Agent.objects.select_for_update(of=("self",)).select_related("user").get(pk=agent.pk)


def _leaving(agent: Agent) -> dict[str, str | None]:
    return {
        "left_on": agent.left_on.isoformat() if agent.left_on else None,
        "leaving_reason": agent.leaving_reason,
    }
