"""Recognising the calls that come without a transcript: their turns from the recording.

When LINGTING_ASR_MODEL names a model folder, listening to the stereo recording of a contact
that has no transcript (`services.listening`) goes on to recognise it: one speaker per
channel, each voice segment a turn (`lingting.engine.asr`), stored as the contact's
transcript like an imported one, so that the call is searched and scored like any other.
A transcript the contact has is never replaced. A mono recording mixes both sides: who said
what is unknown, so it gets no turns.

What came of it is kept with what was heard, under `recognition` in the listening's
metrics: `{"turns": N, "by": "the … model in … on the CPU"}`, or `{"turns": 0, "why": …}`
when there was none (a mono call, a folder without a model, sherpa-onnx stopping). A call
not recognised by a model yet is heard again by the next listening (`recordings_listen`),
so fixing the folder and running `lingting listen_recordings` recognises what was missed.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction

from lingting.engine.asr_model import AsrModelError
from lingting.engine.audio import AudioFormatError
from lingting.engine.listening import Heard
from lingting.interactions.models import Contact, Recording, Turn
from lingting.interactions.search_index import search_index_refresh
from lingting.interactions.speech_model import RecognitionStopped, recognise

logger = logging.getLogger(__name__)

MONO = "a mono recording mixes both sides: who said what is unknown, so no turns are stored"


def recognition_wanted(*, turn_count: int, channels: object, recognised_by: object) -> bool:
    """Whether a recording heard with `channels` (and recognised by `recognised_by`, if it
    ever was) of a contact with `turn_count` turns is still to be recognised."""
    model_set = bool(settings.LINGTING_ASR_MODEL)
    return model_set and not turn_count and channels == 2 and not recognised_by


def transcript_recognise(
    *, recording: Recording, path: Path, heard: Heard
) -> dict[str, Any] | None:
    """Recognise the recording's call, which listening heard as `heard` from `path`, and
    store its turns as the contact's transcript; returns what is kept under `recognition`,
    or None where no recognition is asked for (no model set, or the contact has a
    transcript)."""
    folder = settings.LINGTING_ASR_MODEL
    if not folder or _has_transcript(recording.contact_id):
        return None
    if heard.channels != 2:
        logger.info("recording %s (%s): %s", recording.pk, recording.uri, MONO)
        return {"turns": 0, "why": MONO}
    try:
        recognised = recognise(
            Path(folder), path, heard, agent_channel=settings.LINGTING_AGENT_CHANNEL
        )
    except (AsrModelError, RecognitionStopped, AudioFormatError, OSError) as exc:
        logger.warning("recording %s (%s) not recognised: %s", recording.pk, recording.uri, exc)
        return {"turns": 0, "why": str(exc)}
    if not _transcript_store(recording.contact_id, recognised.turns):
        return None  # a transcript was imported while the call was being recognised
    return {"turns": len(recognised.turns), "by": recognised.by}


def _has_transcript(contact_id: int) -> bool:
    return (
        Contact.objects.filter(pk=contact_id, turn_count__gt=0).exists()
        or Turn.objects.filter(contact_id=contact_id).exists()
    )


def _transcript_store(contact_id: int, turns: list[dict[str, Any]]) -> bool:
    """Store `turns` as the transcript of a contact that still has none, and index it for
    search; False, storing nothing, when it has one by now."""
    with transaction.atomic():
        # Locked, then checked again: an import may have brought a transcript meanwhile.
        locked = Contact.objects.select_for_update().filter(pk=contact_id, turn_count=0)
        if not list(locked.values_list("pk", flat=True)) or _has_transcript(contact_id):
            return False
        if not turns:
            return True  # the model heard no words
        Turn.objects.bulk_create(
            Turn(
                contact_id=contact_id,
                index=index,
                speaker=turn["speaker"],
                text=turn["text"],
                start=turn["start"],
                end=turn["end"],
            )
            for index, turn in enumerate(turns)
        )
        locked.update(turn_count=len(turns))
        search_index_refresh(contact_ids=[contact_id])
    return True
