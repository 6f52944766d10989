"""The quality app's writes: scoring, sampling, reviews (one module each)."""

from lingting.quality.services.scoring import (
    CURRENT_SCORECARD,
    active_scorecard_version,
    contacts_score,
    scorecard_load,
    scorecard_of,
    scorecard_version_activate,
)

__all__ = [
    "CURRENT_SCORECARD",
    "active_scorecard_version",
    "contacts_score",
    "scorecard_load",
    "scorecard_of",
    "scorecard_version_activate",
]
