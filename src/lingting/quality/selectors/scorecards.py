"""Reading the scorecards: the version in force, its compiled form, its item titles."""

from __future__ import annotations

from lingting.engine.scorecard import CompiledScorecard, ScorecardError
from lingting.engine.scorecard import Scorecard as EngineScorecard
from lingting.engine.scorecard_yaml import parse_scorecard
from lingting.quality.models import ScorecardVersion

# The scorecard whose active version gives each contact its current score and scores new
# contacts. Other scorecards (a trial, a campaign's) score too, but only alongside it.
CURRENT_SCORECARD = "standard"

# Compiling (YAML, phrase automata) costs far more than scoring a contact: compile each
# version once per process. Keyed by fingerprint, which names the content, not by row id,
# which a fresh database (tests, a restored backup) can give to another scorecard.
_compiled: dict[str, CompiledScorecard] = {}


def current_scorecard_version(name: str = CURRENT_SCORECARD) -> ScorecardVersion | None:
    """The active version of scorecard `name`, None before one was activated (the service
    `scorecard_version_ensure_current` loads the built-in one then)."""
    return ScorecardVersion.objects.filter(scorecard__name=name, is_active=True).first()


def scorecard_of(version: ScorecardVersion) -> EngineScorecard:
    """The engine's scorecard for a stored version (compiled once per process)."""
    return compiled_scorecard(version).scorecard


def compiled_scorecard(version: ScorecardVersion) -> CompiledScorecard:
    compiled = _compiled.get(version.fingerprint)
    if compiled is None:
        compiled = _compiled[version.fingerprint] = parse_scorecard(version.source_text).compile()
    return compiled


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
