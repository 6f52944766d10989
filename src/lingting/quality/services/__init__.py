"""The quality app's writes, one module per part of the work: scorecard versions, scoring,
sampling, reviews, disputes, calibration, cases."""

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
