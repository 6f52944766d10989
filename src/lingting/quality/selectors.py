"""Reading stored contacts back as the engine's `Contact`, ready to be scored."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.db.models import OuterRef, Subquery

from lingting.engine.contacts import Contact, Hold, Turn
from lingting.interactions.models import Contact as ContactRow
from lingting.interactions.models import Recording
from lingting.interactions.models import Turn as TurnRow

_TEXT_FIELDS = ("channel", "direction", "disposition", "hangup_by")
_COPIED_FIELDS = (
    "queued_at",
    "started_at",
    "answered_at",
    "ended_at",
    "rings",
    "wait_s",
    "talk_s",
    "hold_s",
    "acw_s",
)


def engine_contacts_for(*, contact_ids: Iterable[int]) -> list[tuple[int, Contact]]:
    """(row id, engine contact) for each stored contact, in id order, in two queries."""
    ids = sorted(set(contact_ids))
    turns = _turns_by_contact(ids)
    # The engine holds one recording; the latest one imported is the one that counts.
    latest_recording = Recording.objects.filter(contact=OuterRef("pk")).order_by("-id")
    rows = (
        ContactRow.objects.filter(id__in=ids)
        .annotate(recording=Subquery(latest_recording.values("uri")[:1]))
        .order_by("id")
        .values(
            "id",
            "external_id",
            "queue__code",
            "agent__code",
            "customer__code",
            "tags",
            "holds",
            "extra",
            "recording",
            *_TEXT_FIELDS,
            *_COPIED_FIELDS,
        )
    )
    return [(row["id"], _engine_contact(row, turns.get(row["id"], ()))) for row in rows]


def _turns_by_contact(ids: list[int]) -> dict[int, tuple[Turn, ...]]:
    grouped: defaultdict[int, list[Turn]] = defaultdict(list)
    rows = (
        TurnRow.objects.filter(contact_id__in=ids)
        .order_by("contact_id", "index")
        .values_list("contact_id", "index", "speaker", "text", "start", "end")
    )
    for contact_id, index, speaker, text, start, end in rows:
        grouped[contact_id].append(Turn(index, speaker, text, start, end))
    return {contact_id: tuple(turns) for contact_id, turns in grouped.items()}


def _engine_contact(row: dict[str, Any], turns: tuple[Turn, ...]) -> Contact:
    # Blank text columns stand for "absent" in the file, which the engine spells None.
    texts = {name: row[name] or None for name in _TEXT_FIELDS}
    return Contact(
        id=row["external_id"],
        turns=turns,
        queue=row["queue__code"],
        agent_id=row["agent__code"],
        customer_id=row["customer__code"],
        tags=tuple(row["tags"]),
        holds=tuple(Hold(h["start"], h["end"]) for h in row["holds"]),
        recording=row["recording"],
        extra=row["extra"],
        **texts,
        **{name: row[name] for name in _COPIED_FIELDS},
    )
