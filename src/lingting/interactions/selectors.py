"""Reading contacts as stored: one contact a user may read, local days, queue names, what
was heard in a contact's recording.

The contact list and the contact page, which show scores, are quality's
(`lingting.quality.selectors.contacts`, `lingting.quality.selectors.contact_page`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from django.http import Http404
from django.utils import timezone

from lingting.core.models import User
from lingting.core.permissions import readable_contact_scope
from lingting.interactions.models import Contact, Listening, Queue
from lingting.interactions.recordings import latest_recording
from lingting.interactions.waveform_layout import (
    SoundFigures,
    Waveform,
    sound_figures,
    waveform_layout,
)


def local_midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def readable_contact(*, user: User, contact_id: int) -> Contact:
    """One contact `user` may read; Http404 for any other id (a contact out of scope is
    not told apart from one that does not exist)."""
    contact = Contact.objects.filter(readable_contact_scope(user), pk=contact_id).first()
    if contact is None:
        raise Http404("no such contact")
    return contact


def queue_names() -> dict[str, str]:
    """Each ACD group's name as every page, export and API shows it (`Queue.__str__`: its name,
    else its code), by code: for tables whose rows carry only the code (KPIs, the assessment,
    satisfaction)."""
    return {queue.code: str(queue) for queue in Queue.objects.only("code", "name")}


@dataclass(frozen=True, slots=True)
class RecordingSound:
    """What the contact page shows of its recording's listening."""

    state: str  # "pending" (not listened to yet), "failed" (see `error`) or "heard"
    error: str = ""
    figures: SoundFigures | None = None
    waveform: Waveform | None = None


def recording_sound(contact: Contact) -> RecordingSound | None:
    """The listening of the contact's latest recording (the one the player plays); None
    when the contact has no recording. Prefetch `recordings` with their `listening` (as the
    contact page does) to read it without a query."""
    recording = latest_recording(contact)
    if recording is None:
        return None
    try:
        listening = recording.listening
    except Listening.DoesNotExist:
        return RecordingSound(state="pending")
    if listening.error:
        return RecordingSound(state="failed", error=listening.error)
    return RecordingSound(
        state="heard",
        figures=sound_figures(listening.metrics),
        waveform=waveform_layout(listening.waveform, listening.metrics),
    )
