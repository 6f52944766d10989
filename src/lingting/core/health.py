"""/healthz, for a load balancer or a monitor: is the database answering, are the task worker
and the scheduler alive?"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from lingting.core.selectors import heartbeats_now


@login_not_required
@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """200 while the database answers, with the worker's and the scheduler's last heartbeat
    and whether each is recent; 503 without the database. Open to anyone, so it says
    nothing more (no versions, hosts or counts)."""
    try:
        beats = heartbeats_now()
    except DatabaseError:
        return JsonResponse({"database": "unavailable"}, status=503)
    body: dict[str, Any] = {"database": "ok"}
    for beat in beats:
        last = beat.last_beat.isoformat() if beat.last_beat else None
        body[beat.process] = {"last_beat": last, "fresh": beat.fresh}
    return JsonResponse(body)
