"""Reading the scorecards: the version in force, its compiled form, its item titles."""

from __future__ import annotations

from lingting.engine.scorecard import CompiledScorecard, ScorecardError
from lingting.engine.scorecard import Scorecard as EngineScorecard
from lingting.engine.scorecard_yaml import parse_scorecard
from lingting.interactions.models import Contact
from lingting.quality.models import QueueScorecard, ScorecardVersion

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


def queue_scorecards() -> dict[int, int]:
    """Queue id → the scorecard that scores its contacts, for queues given a scorecard
    that has an active version (the others fall back to CURRENT_SCORECARD)."""
    return dict(
        QueueScorecard.objects.filter(scorecard__versions__is_active=True).values_list(
            "queue_id", "scorecard_id"
        )
    )


def versions_in_force_for(contact_ids: list[int]) -> list[tuple[ScorecardVersion, list[int]]]:
    """The active version that gives each of these contacts its current score — its
    queue's scorecard's, else CURRENT_SCORECARD's — with the contacts it scores."""
    default = current_scorecard_version()
    by_queue = queue_scorecards()
    if not by_queue:  # the usual case: one scorecard for all, no look-up per contact
        return [] if default is None else [(default, list(contact_ids))]
    queues = dict(Contact.objects.filter(pk__in=contact_ids).values_list("pk", "queue_id"))
    versions = {
        v.scorecard_id: v
        for v in ScorecardVersion.objects.filter(
            is_active=True, scorecard_id__in=set(by_queue.values())
        ).select_related("scorecard")
    }
    groups: dict[int, tuple[ScorecardVersion, list[int]]] = {}
    for contact_id in contact_ids:
        version = versions.get(by_queue.get(queues.get(contact_id, 0) or 0, 0), default)
        if version is not None:
            groups.setdefault(version.pk, (version, []))[1].append(contact_id)
    return list(groups.values())


def current_under(version: ScorecardVersion, contact_ids: list[int]) -> set[int]:
    """Those of these contacts whose current score `version` gives (see
    `versions_in_force_for`); the others it scores alongside."""
    if not version.is_active:
        return set()
    return {
        contact_id
        for in_force, ids in versions_in_force_for(contact_ids)
        if in_force.pk == version.pk
        for contact_id in ids
    }


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
