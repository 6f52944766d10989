"""Writes of the workforce app: storing agent state events, sending the hourly broadcast."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, tzinfo
from itertools import batched

from django.db import transaction

from lingting.core.models import Agent
from lingting.core.services import audit_record
from lingting.engine.occupancy import StateEvent, read_state_events
from lingting.engine.reader import LineError
from lingting.workforce.models import AgentStateEvent

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
