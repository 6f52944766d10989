"""The demo's calls with recordings: their files written where the app reads recordings,
and what listening hears in them, stored for the contact and review pages."""

from __future__ import annotations

from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils import timezone

from lingting.demo.generator.recorded_calls import call_records, recorded_calls, write_call
from lingting.interactions.models import Contact, Listening
from lingting.interactions.services.listening import recordings_listen

FOLDER = "demo"  # below LINGTING_RECORDINGS_ROOT
# Before the day's first generated call (08:00), so that the agent is free to take them.
FIRST_ANSWERED = time(7, 30)


def demo_call_recordings(*, agent_id: str, queue: str, day: date) -> list[dict[str, Any]]:
    """Write the demo's stereo calls under LINGTING_RECORDINGS_ROOT and return their
    interaction records: answered by `agent_id` in `queue` on the morning of `day`."""
    calls = recorded_calls()
    folder = Path(settings.LINGTING_RECORDINGS_ROOT) / FOLDER
    for call in calls:
        write_call(folder / f"{call.key}.wav", call)
    first = timezone.make_aware(datetime.combine(day, FIRST_ANSWERED))
    return list(
        call_records(calls, first_answered=first, agent_id=agent_id, queue=queue, folder=FOLDER)
    )


def demo_listen(records: list[dict[str, Any]]) -> str:
    """Listen to the recordings of these imported demo calls, here rather than in the task
    worker (a recording heard since its file was written is left as it is); one line on what
    was heard, for the demo's output."""
    contact_ids = list(
        Contact.objects.filter(external_id__in=[r["id"] for r in records]).values_list(
            "id", flat=True
        )
    )
    recordings_listen(contact_ids=contact_ids)
    heard = Listening.objects.filter(recording__contact_id__in=contact_ids)
    unheard = list(heard.exclude(error="").values_list("error", flat=True))
    line = (
        f"recordings: {len(records)} stereo calls of agent {records[0]['agent_id']} written "
        f"under {Path(settings.LINGTING_RECORDINGS_ROOT) / FOLDER}, "
        f"{heard.count() - len(unheard)} listened to"
    )
    return "\n".join([line, *(f"  not heard: {error}" for error in unheard)])
