"""The quality app's writes: scoring, sampling, reviews (one module each)."""

from lingting.quality.services.scorecards import (
    scorecard_load,
    scorecard_version_activate,
    scorecard_version_ensure_current,
)
from lingting.quality.services.scoring import contacts_score

__all__ = [
    "contacts_score",
    "scorecard_load",
    "scorecard_version_activate",
    "scorecard_version_ensure_current",
]
