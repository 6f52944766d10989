"""Leavers' logins, and agents' hire and leaving dates imported from a file (issue 14).

An agent's `left_on` is their last day on staff. From that day their login (if they have
one) is deactivated: they can no longer sign in, and a session they hold ends at its next
request (Django's ModelBackend refuses an inactive user); their contacts, scores and
figures stay. A leaving recorded for today or a past day deactivates the login at once; one
recorded ahead takes effect on its day by the daily job "leavers"
(`lingting leavers_deactivate`). Every deactivation is audited, and taking back a leaving
recorded by mistake re-activates a login that the leaving deactivated (and no other).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import translation

from lingting.core.models import Agent, AuditEvent, LeavingReason, Team, User
from lingting.core.services import audit_record
from lingting.engine.agent_records import AgentRecord, read_agent_records
from lingting.engine.reader import LineError
from lingting.workforce.permissions import may_record_leavers

DEACTIVATED = "user.deactivate_leaver"
REACTIVATED = "user.reactivate_leaver"


def leaver_login_deactivate(*, agent: Agent, actor: User | None, today: date) -> bool:
    """Deactivate `agent`'s login if their last day has come (`left_on` ≤ `today`);
    audited. True when it was active and now is not. Call it in the leaving's transaction."""
    user = agent.user
    if agent.left_on is None or agent.left_on > today or user is None or not user.is_active:
        return False
    user.is_active = False
    user.save(update_fields=["is_active"])
    audit_record(
        actor=actor,
        action=DEACTIVATED,
        object_type="user",
        object_id=user.pk,
        before={"is_active": True},
        after={"is_active": False, "agent": agent.code, "left_on": agent.left_on.isoformat()},
    )
    return True


def leaver_login_reactivate(*, agent: Agent, actor: User) -> bool:
    """Re-activate `agent`'s login if a leaving deactivated it (its latest audited change
    of state was that), when the leaving is taken back; audited."""
    user = agent.user
    if user is None or user.is_active:
        return False
    latest = (
        AuditEvent.objects.filter(
            object_type="user", object_id=str(user.pk), action__in=(DEACTIVATED, REACTIVATED)
        )
        .order_by("-id")
        .values_list("action", flat=True)
        .first()
    )
    if latest != DEACTIVATED:
        return False
    user.is_active = True
    user.save(update_fields=["is_active"])
    audit_record(
        actor=actor,
        action=REACTIVATED,
        object_type="user",
        object_id=user.pk,
        before={"is_active": False},
        after={"is_active": True, "agent": agent.code},
    )
    return True


def leavers_deactivate(*, today: date) -> list[str]:
    """Deactivate the logins of every agent whose last day has come (the daily job);
    the agents' codes, each audited. Running it again deactivates nobody more."""
    due = Agent.objects.filter(left_on__lte=today, user__is_active=True).select_related("user")
    done = []
    for agent in due.order_by("code"):
        with transaction.atomic():
            if leaver_login_deactivate(agent=agent, actor=None, today=today):
                done.append(agent.code)
    return done


# --- Import ---------------------------------------------------------------------------------


@dataclass(slots=True)
class AgentImportReport:
    read: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    deactivated: int = 0  # logins of leavers whose last day has come


def leaving_reasons() -> dict[str, str]:
    """Each accepted spelling of a leaving reason (its value, its label in the center's
    language or in English) → its value."""
    spelled = {value: value for value in LeavingReason.values}
    for language in (settings.LANGUAGE_CODE, "en"):
        with translation.override(language):
            spelled.update({str(label).lower(): value for value, label in LeavingReason.choices})
    return spelled


def agents_import_file(
    path: str,
    *,
    actor: User | None,
    today: date,
    on_error: Callable[[LineError], None] | None = None,
) -> AgentImportReport:
    """Create or update the agents of a .csv/.jsonl file (`engine.agent_records`), a line
    at a time: a line that cannot be stored whole (bad field, unknown team, leaving before
    the hiring already stored) goes to `on_error` with its number and reason and changes
    nothing; the rest are stored, each change audited, and leavers whose last day has come
    lose their login. `actor` None is the command line; a person must record leavers.
    Raises `UnreadableFileError` when the file as a whole cannot be read."""
    if actor is not None and not may_record_leavers(actor):
        raise PermissionDenied
    teams = _teams()
    report = AgentImportReport()
    for item in read_agent_records(path, reasons=leaving_reasons()):
        report.read += 1
        if isinstance(item, LineError):
            _reject(report, on_error, item)
            continue
        number, record = item
        problem = _store(record, teams, actor=actor, today=today, report=report)
        if problem:
            _reject(report, on_error, LineError(number, problem, record.code, id=record.code))
    audit_record(
        actor=actor,
        action="agents.import",
        object_type="agent_file",
        object_id=os.path.basename(path),
        after={
            "read": report.read,
            "created": report.created,
            "updated": report.updated,
            "unchanged": report.unchanged,
            "rejected": report.rejected,
            "deactivated": report.deactivated,
        },
    )
    return report


def _reject(
    report: AgentImportReport, on_error: Callable[[LineError], None] | None, error: LineError
) -> None:
    report.rejected += 1
    if on_error is not None:
        on_error(error)


def _teams() -> dict[str, int]:
    """Team id by code and by name (a code wins where a name is another team's code)."""
    found: dict[str, int] = {}
    rows = list(Team.objects.values_list("pk", "code", "name"))
    for pk, _code, name in rows:
        found[name] = pk
    for pk, code, _name in rows:
        found[code] = pk
    return found


def _store(
    record: AgentRecord,
    teams: dict[str, int],
    *,
    actor: User | None,
    today: date,
    report: AgentImportReport,
) -> str:
    """Store one record in its own transaction; the reason it cannot be stored, or ""."""
    if record.team and record.team not in teams:
        return f"no team with the code or name {record.team[:40]!r}"
    with transaction.atomic():
        agent = (
            Agent.objects.select_for_update(of=("self",))  # the login: an outer join
            .select_related("user")
            .filter(code=record.code)
            .first()
        )
        created = agent is None
        if agent is None:
            agent = Agent(code=record.code)
        before = _fields(agent)
        _apply(agent, record, teams)
        if agent.hired_on and agent.left_on and agent.left_on < agent.hired_on:
            return f"'left_on' {agent.left_on} is before the stored 'hired_on' {agent.hired_on}"
        after = _fields(agent)
        if not created and after == before:
            report.unchanged += 1
        else:
            agent.save()
            audit_record(
                actor=actor,
                action="agent.import",
                object_type="agent",
                object_id=agent.code,
                before=None if created else before,
                after=after,
            )
            report.created += created
            report.updated += not created
        report.deactivated += leaver_login_deactivate(agent=agent, actor=actor, today=today)
    return ""


def _apply(agent: Agent, record: AgentRecord, teams: dict[str, int]) -> None:
    if record.name:
        agent.name = record.name
    if record.team:
        agent.team_id = teams[record.team]
    if record.hired_on is not None:
        agent.hired_on = record.hired_on
    if record.left_on is not None:
        agent.left_on = record.left_on
        agent.leaving_reason = record.leaving_reason or agent.leaving_reason


def _fields(agent: Agent) -> dict[str, Any]:
    return {
        "name": agent.name,
        "team_id": agent.team_id,
        "hired_on": agent.hired_on.isoformat() if agent.hired_on else None,
        "left_on": agent.left_on.isoformat() if agent.left_on else None,
        "leaving_reason": agent.leaving_reason,
    }
