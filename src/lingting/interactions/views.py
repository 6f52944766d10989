"""A contact's recording, played in the browser for whoever may read the contact."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponseBase
from django.views.decorators.http import require_GET

from lingting.core.permissions import request_user
from lingting.interactions.recordings import recording_file, recording_response
from lingting.interactions.selectors import readable_contact


@require_GET
def contact_recording(request: HttpRequest, contact_id: int) -> HttpResponseBase:
    contact = readable_contact(user=request_user(request), contact_id=contact_id)
    path = recording_file(contact)
    if path is None:
        raise Http404("no playable recording")
    return recording_response(request, path)
