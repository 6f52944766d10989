"""What both ways of storing an import share: the report, the rejection of a line, the
columns' limits, and what follows a stored batch."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial

from django.db import models, transaction

from lingting.core.models import Agent
from lingting.engine.contacts import Contact
from lingting.engine.reader import LineError
from lingting.interactions.models import Contact as ContactRow
from lingting.interactions.models import Customer, Queue, Recording
from lingting.interactions.tasks import listen_later

# The report keeps this many errors for display; `on_error` sees every one.
MAX_KEPT_ERRORS = 1000

ErrorSink = Callable[[LineError], None]
# Called, once a batch commits, with the ids of its contacts whose transcript is new or
# changed, or whose line names a recording: quality's scoring, passed in by whoever runs the
# import, so that the store of contacts does not depend on the apps that read them. It hears
# the recordings before it scores (the rules on sound judge what was heard:
# `quality.tasks.listen_and_score`); contacts without a transcript are not scored.
StoredContacts = Callable[[list[int]], None]


@dataclass(slots=True)
class ImportReport:
    read: int = 0
    imported: int = 0  # contacts created
    updated: int = 0  # lines that updated a stored contact (or an earlier line of the file)
    rejected: int = 0
    errors: list[LineError] = field(default_factory=list)  # the first MAX_KEPT_ERRORS
    seconds: float = 0.0

    @property
    def contacts_per_second(self) -> float:
        return self.read / self.seconds if self.seconds > 0 else 0.0


@dataclass(frozen=True, slots=True)
class FollowUp:
    """What follows each stored batch once it commits."""

    on_stored: StoredContacts | None  # None: store only
    in_process: bool  # index the words for search here, not in the task worker


def follow_up_batch(follow_up: FollowUp, *, recorded: list[int], to_score: list[int]) -> None:
    """What follows a stored batch once it commits: its new and changed transcripts, and
    the contacts whose lines name a recording, go to the scoring follow-up, which hears the
    recordings first (and may recognise a call without a transcript); without one, the
    recordings are heard alone."""
    if follow_up.on_stored is None:
        listen_later(contact_ids=recorded, in_process=follow_up.in_process)
        return
    sent = list(dict.fromkeys([*to_score, *recorded]))
    if sent:
        transaction.on_commit(partial(follow_up.on_stored, sent))


def reject(report: ImportReport, error: LineError, on_error: ErrorSink | None) -> None:
    report.rejected += 1
    if len(report.errors) < MAX_KEPT_ERRORS:
        report.errors.append(error)
    if on_error is not None:
        on_error(error)


def _column_limits() -> dict[str, int]:
    columns: dict[str, tuple[type[models.Model], str]] = {
        "id": (ContactRow, "external_id"),
        "channel": (ContactRow, "channel"),
        "direction": (ContactRow, "direction"),
        "disposition": (ContactRow, "disposition"),
        "hangup_by": (ContactRow, "hangup_by"),
        "queue": (Queue, "code"),
        "agent_id": (Agent, "code"),
        "customer_id": (Customer, "code"),
        "recording": (Recording, "uri"),
    }
    limits = {}
    for name, (model, column) in columns.items():
        field = model._meta.get_field(column)
        assert isinstance(field, models.CharField)
        assert field.max_length is not None
        limits[name] = field.max_length
    return limits


_LIMITS = _column_limits()


def column_problem(contact: Contact) -> str | None:
    """Why the contact does not fit its columns, checked here so that SQLite and
    PostgreSQL (which alone enforces sizes) accept and refuse the same lines. (What no
    column of any database holds, the reader refuses: `lingting.engine.contacts`.)"""
    for name, limit in _LIMITS.items():
        value = getattr(contact, name)
        if value is not None and len(value) > limit:
            return f"'{name}' is longer than {limit} characters ({len(value)})"
    return None
