"""Background work on the daily tallies, run by the database-backed task worker."""

from __future__ import annotations

from django.tasks import task

from lingting.performance.models import TallyState
from lingting.performance.tallies import tallies_drain


@task()
def count_figure_changes() -> int:
    """Count every waiting figure change (round after round, each its own transaction);
    queued by a page that found too many to count while it answers."""
    counted = tallies_drain()
    TallyState.objects.filter(pk=1).update(queued_at=None)
    return counted
