"""Listening to stored contacts' recordings: what `lingting listen` hears in each, kept.

After an import the task worker listens to the latest recording of each imported contact
that names one (`interactions.tasks.listen_later`); `lingting listen_recordings` does the
same for contacts already stored. What is kept per recording (`Listening`): the `lingting
listen` line of the file (FORMATS.md, "Listening to audio"), the waveform drawn on the
contact page, or — for a file that is missing, outside LINGTING_RECORDINGS_ROOT or cannot be
read as a call — why not, so that the page can say it. A recording listened to again has
its result replaced. With a speech model set (LINGTING_ASR_MODEL), the stereo call of a
contact without a transcript is also recognised (`services.recognition`).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from lingting.engine.audio import AudioFormatError
from lingting.engine.listening import Heard, call_metrics, listen
from lingting.engine.waveform import waveform
from lingting.interactions.models import Listening, Recording
from lingting.interactions.recordings import RecordingUnavailable, recording_path
from lingting.interactions.services.recognition import recognition_wanted, transcript_recognise

logger = logging.getLogger(__name__)

# Contacts whose recordings `stored_recordings_listen` looks at a time.
CHUNK = 500


def listen_recording(recording: Recording) -> Listening:
    """Listen to `recording` and store what was heard, replacing an earlier result.

    A file that cannot be found or read is stored as the reason (`error`, in the active
    language), never raised: one bad file never stops the worker's batch."""
    # Taken before the file is read: a file still being written while it is heard has a
    # later modification time, and is listened to again (`recordings_listen`).
    began = timezone.now()
    values: dict[str, Any] = {"listened_at": began, "metrics": None, "waveform": None}
    try:
        path, heard, metrics, drawn = _heard(recording.uri)
        recognition = transcript_recognise(recording=recording, path=path, heard=heard)
        if recognition is not None:
            metrics["recognition"] = recognition
        values.update(metrics=metrics, waveform=drawn, error="")
    except RecordingUnavailable as exc:
        values["error"] = str(exc)
    except Exception as exc:
        # A fault of the listening itself, not of the file: logged in full for a developer,
        # stored in brief for the page, and the batch goes on.
        logger.exception("listening to recording %s (%s) failed", recording.pk, recording.uri)
        values["error"] = _("分析录音时出错（%(uri)s）：%(reason)s") % {
            "uri": recording.uri,
            "reason": exc,
        }
    listening, _created = Listening.objects.update_or_create(recording=recording, defaults=values)
    return listening


def _heard(uri: str) -> tuple[Path, Heard, dict[str, Any], dict[str, Any]]:
    """The file of the recording at `uri`, what the voice detector heard in it, its `lingting
    listen` line and its waveform; raises `RecordingUnavailable` saying why the file cannot
    be heard."""
    path = recording_path(uri)
    agent_channel = settings.LINGTING_AGENT_CHANNEL
    try:
        heard = listen(path)
        metrics = call_metrics(heard, agent_channel=agent_channel)
        drawn = waveform(path, agent_channel=agent_channel)
    except AudioFormatError as exc:
        # The reason is the engine's (in English): what `lingting listen` says of the file.
        raise RecordingUnavailable(
            _("录音无法分析（%(uri)s）：%(reason)s") % {"uri": uri, "reason": exc}
        ) from exc
    except OSError as exc:
        raise RecordingUnavailable(
            _("无法读取录音文件（%(uri)s）：%(reason)s")
            % {"uri": uri, "reason": exc.strerror or exc}
        ) from exc
    return path, heard, {"file": uri, **metrics}, drawn


def recordings_listen(*, contact_ids: Iterable[int], again: bool = False) -> list[Listening]:
    """Listen to the latest recording of each of these contacts; returns what was heard.

    Without `again`, a recording heard without error since its file last changed is left as
    it is: importing a file of contacts again costs a look at each recording, not a listen,
    yet a recording whose file arrived, or changed, since is heard anew, and so is a call
    still to be recognised (`recognition_wanted`: a model was set, or mended, since)."""
    latest = _latest_recordings(contact_ids)
    heard_at = {
        recording_id: listened_at
        for recording_id, listened_at, turn_count, channels, recognised_by in (
            Listening.objects.filter(recording__in=latest, error="").values_list(
                "recording_id",
                "listened_at",
                "recording__contact__turn_count",
                "metrics__channels",
                "metrics__recognition__by",
            )
        )
        if not recognition_wanted(
            turn_count=turn_count, channels=channels, recognised_by=recognised_by
        )
    }
    return [
        listen_recording(recording)
        for recording in latest
        if again or not _unchanged_since(recording.uri, heard_at.get(recording.pk))
    ]


@dataclass(frozen=True, slots=True)
class StoredListened:
    contacts: int  # stored contacts with a recording
    listened: int
    unheard: int  # of those listened to, the files that could not be heard


def stored_recordings_listen(*, again: bool = False, chunk: int = CHUNK) -> StoredListened:
    """`recordings_listen` for every stored contact with a recording, a chunk at a time
    (`lingting listen_recordings`)."""
    contacts = listened = unheard = 0
    last_id = 0
    while True:
        contact_ids = list(
            Recording.objects.filter(contact_id__gt=last_id)
            .order_by("contact_id")
            .values_list("contact_id", flat=True)
            .distinct()[:chunk]
        )
        if not contact_ids:
            return StoredListened(contacts, listened, unheard)
        heard = recordings_listen(contact_ids=contact_ids, again=again)
        contacts += len(contact_ids)
        listened += len(heard)
        unheard += sum(1 for listening in heard if listening.error)
        last_id = contact_ids[-1]


def _latest_recordings(contact_ids: Iterable[int]) -> list[Recording]:
    """Each contact's latest recording (the one its page plays), for those that have one."""
    latest: dict[int, Recording] = {}
    for recording in Recording.objects.filter(contact_id__in=list(contact_ids)).order_by(
        "contact_id", "-id"
    ):
        latest.setdefault(recording.contact_id, recording)
    return list(latest.values())


def _unchanged_since(uri: str, heard_at: datetime | None) -> bool:
    """Whether the recording at `uri` was heard (at `heard_at`) since its file last changed."""
    if heard_at is None:
        return False
    try:
        modified = recording_path(uri).stat().st_mtime
    except (RecordingUnavailable, OSError):
        return False  # gone since: listened to again, which stores why it cannot be
    return datetime.fromtimestamp(modified, tz=UTC) < heard_at
