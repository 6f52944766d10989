"""Playing a contact's recording beside its transcript.

A contact's `recording` (FORMATS.md extension) is a path on the recording platform; the
files are reachable from this server under LINGTING_RECORDINGS_ROOT. Only files inside
that folder are ever served (a path that climbs out of it is no recording), and only to a
user who may see the contact. Browsers seek in audio with HTTP range requests, so the
response honours a single `Range: bytes=…`.
"""

from __future__ import annotations

import mimetypes
import os
import re
from pathlib import Path

from django.conf import settings
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.utils.translation import gettext as _

from lingting.interactions.models import Contact, Recording

AUDIO_TYPES = {
    ".wav": "audio/wav",
    ".mp3": "audio/mpeg",
    ".ogg": "audio/ogg",
    ".opus": "audio/ogg",
    ".m4a": "audio/mp4",
    ".aac": "audio/aac",
    ".flac": "audio/flac",
}
_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")
# A range is answered with at most this much (a smaller range than asked is allowed): the
# player asks for the rest as it plays, and no request holds a whole long call in memory.
MAX_RANGE_BYTES = 2 * 1024 * 1024


def latest_recording(contact: Contact) -> Recording | None:
    """The contact's latest recording, the one the page plays and draws (read from the
    contact's prefetched recordings where the page fetched them with the contact)."""
    return max(contact.recordings.all(), key=lambda recording: recording.pk, default=None)


def recording_file(contact: Contact) -> Path | None:
    """The playable file of the contact's latest recording, or None."""
    recording = latest_recording(contact)
    if recording is None:
        return None
    return _inside_root(recording.uri)


class RecordingUnavailable(Exception):
    """A recording this server cannot read; the message says why, in the active language."""


def recording_path(uri: str) -> Path:
    """The audio file of a recording's `uri`, below LINGTING_RECORDINGS_ROOT (never outside
    it): what is played on the contact page and listened to after import.

    Raises `RecordingUnavailable` naming the uri and the reason."""
    root = Path(settings.LINGTING_RECORDINGS_ROOT).resolve()
    relative = uri.removeprefix("file://").lstrip("/")
    try:
        path = (root / relative).resolve()
        inside = path.is_relative_to(root)
        found = inside and path.is_file()
    except (OSError, ValueError):
        # A path the filesystem refuses (a name over 255 bytes, a path over PATH_MAX,
        # a NUL, no permission): no recording to read, like a missing file.
        raise RecordingUnavailable(_("录音路径无法读取：%(uri)s") % {"uri": uri}) from None
    if not inside:
        raise RecordingUnavailable(
            _("录音不在录音目录（LINGTING_RECORDINGS_ROOT）之内：%(uri)s") % {"uri": uri}
        )
    if not found:
        raise RecordingUnavailable(_("找不到录音文件：%(uri)s") % {"uri": uri})
    if path.suffix.lower() not in AUDIO_TYPES:
        raise RecordingUnavailable(_("不是音频文件：%(uri)s") % {"uri": uri})
    return path


def _inside_root(uri: str) -> Path | None:
    try:
        return recording_path(uri)
    except RecordingUnavailable:
        return None


def recording_response(request: HttpRequest, path: Path) -> HttpResponseBase:
    """The file, whole or the one byte range asked for (206), typed as audio."""
    content_type = AUDIO_TYPES.get(path.suffix.lower()) or mimetypes.guess_type(path)[0]
    try:
        audio = path.open("rb")
    except OSError:  # gone or unreadable since it was found: as if it had never been there
        raise Http404 from None
    size = os.fstat(audio.fileno()).st_size
    wanted = _RANGE.match(request.headers.get("Range", "").strip())
    if wanted is None:
        response = FileResponse(audio, content_type=content_type)
        response["Accept-Ranges"] = "bytes"
        return response
    first, last = wanted.groups()
    if first == "":  # the last N bytes
        start, end = max(size - int(last or 0), 0), size - 1
    else:
        start, end = int(first), min(int(last), size - 1) if last else size - 1
    with audio:
        if start >= size or start > end:
            refused = HttpResponse(status=416)
            refused["Content-Range"] = f"bytes */{size}"
            return refused
        end = min(end, start + MAX_RANGE_BYTES - 1)
        audio.seek(start)
        body = audio.read(end - start + 1)
    partial = HttpResponse(body, status=206, content_type=content_type)
    partial["Content-Range"] = f"bytes {start}-{end}/{size}"
    partial["Accept-Ranges"] = "bytes"
    return partial
