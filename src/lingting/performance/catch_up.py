"""Before a page reads the tallies: count the few waiting changes in the request, or ask the
task worker to count the many (`lingting.performance.tasks`) and tell the page how many
wait. Kept apart from the counting itself (`lingting.performance.tallies`), which the task
runs, so that the task module and what enqueues it import one way."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from functools import update_wrapper
from typing import Concatenate

from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone

from lingting.performance.models import TallyState
from lingting.performance.tallies import tallies_count_in_request
from lingting.performance.tasks import count_figure_changes

_QUEUED_FOR = timedelta(minutes=10)  # a queued update not done by then is queued again


def tallies_catch_up() -> int:
    """Count the waiting changes now when they are few, so a page shows what was just
    imported, scored or reviewed; else leave them to the task worker (queued once) and
    return how many wait, for the page to say so. Tallies never built wait for every
    contact (the pages read the contacts meanwhile)."""
    waiting = tallies_count_in_request()
    if waiting:
        _queue_update()
    return waiting


def counted_first[**P, R](
    view: Callable[Concatenate[HttpRequest, P], R],
) -> Callable[Concatenate[HttpRequest, P], R]:
    """For a view that reads the tallies: catch them up first (`tallies_catch_up`); the
    page's banner (core/base.html) says how many changes still wait, if any."""

    def counted(request: HttpRequest, /, *args: P.args, **kwargs: P.kwargs) -> R:
        request.tallies_waiting = tallies_catch_up()  # type: ignore[attr-defined]
        return view(request, *args, **kwargs)

    update_wrapper(counted, view)
    return counted


def _queue_update() -> None:
    TallyState.objects.get_or_create(pk=1)
    stale = timezone.now() - _QUEUED_FOR
    if TallyState.objects.filter(Q(queued_at=None) | Q(queued_at__lt=stale), pk=1).update(
        queued_at=timezone.now()
    ):
        count_figure_changes.enqueue()
