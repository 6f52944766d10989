"""Line files uploaded on a page (agents, customers): kept on disk while the import reads
them, and their rejected lines shown to the person who uploaded them."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from django.contrib import messages
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest
from django.utils.translation import gettext as _

from lingting.engine.reader import LineError

SHOWN_ERRORS = 20


@contextmanager
def saved_upload(upload: UploadedFile[bytes]) -> Iterator[str]:
    """The upload's path in a temporary file with its suffix (.csv, .jsonl), which the
    line readers go by; removed afterwards."""
    suffix = os.path.splitext(upload.name or "")[1].lower()
    with tempfile.NamedTemporaryFile(suffix=suffix) as saved:
        for chunk in upload.chunks():
            saved.write(chunk)
        saved.flush()
        yield saved.name


def report_line_errors(request: HttpRequest, errors: Sequence[LineError], *, command: str) -> None:
    """The first rejected lines as messages, each with its number and reason, and where
    to get them all."""
    for error in errors[:SHOWN_ERRORS]:
        messages.error(
            request, _("第 %(line)s 行：%(reason)s") % {"line": error.line, "reason": error.reason}
        )
    if len(errors) > SHOWN_ERRORS:
        messages.error(
            request,
            _("另有 %(n)s 行被拒绝：可用 lingting %(command)s --errors 保存全部")
            % {"n": len(errors) - SHOWN_ERRORS, "command": command},
        )
