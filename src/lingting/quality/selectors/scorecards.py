"""Reading the scorecards: what the active versions call their items."""

from __future__ import annotations

from lingting.engine.scorecard import ScorecardError
from lingting.quality.models import ScorecardVersion
from lingting.quality.services.scoring import scorecard_of


def item_titles() -> dict[str, str]:
    """Scorecard item code → title, from the active scorecard versions."""
    titles: dict[str, str] = {}
    for version in ScorecardVersion.objects.filter(is_active=True):
        try:
            items = scorecard_of(version).items
        except ScorecardError:
            continue  # a stored version that no longer parses: its items keep their codes
        for item in items:
            titles.setdefault(item.id, item.title)
    return titles
