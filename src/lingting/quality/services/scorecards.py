"""Scorecard versions: load one (a new version when its text is new), activate one (the
contacts are scored again with it once that commits), and make sure one is in force.

Activating enqueues the re-score (`lingting.quality.tasks`); the tasks only score, with the
version in force, and never activate one — so the two modules import one way.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from lingting.core.models import User
from lingting.core.services import audit_record
from lingting.engine.scorecard import Scorecard as EngineScorecard
from lingting.engine.scorecard_yaml import builtin_scorecard
from lingting.quality.models import Scorecard, ScorecardVersion, VersionStatus
from lingting.quality.selectors.scorecards import CURRENT_SCORECARD, current_scorecard_version
from lingting.quality.tasks import rescore_all


def scorecard_load(*, scorecard: EngineScorecard, actor: User | None) -> ScorecardVersion:
    """The stored version of this scorecard text, created (inactive) if its fingerprint
    is new; version numbers count up per scorecard."""
    with transaction.atomic():
        card, _ = Scorecard.objects.get_or_create(
            name=scorecard.name, defaults={"title": scorecard.title}
        )
        # Lock the scorecard so two loads cannot take the same version number.
        card = Scorecard.objects.select_for_update().get(pk=card.pk)
        existing = card.versions.filter(
            fingerprint=scorecard.fingerprint, status=VersionStatus.PUBLISHED
        ).first()
        if existing is not None:
            return existing
        last = card.versions.aggregate(last=Max("number"))["last"] or 0
        version = ScorecardVersion.objects.create(
            scorecard=card,
            number=last + 1,
            label=scorecard.version_label,
            fingerprint=scorecard.fingerprint,
            source_text=scorecard.source_text,
        )
        if card.title != scorecard.title:
            card.title = scorecard.title
            card.save(update_fields=["title"])
        scorecard_audit(
            actor, "scorecard_version.create", version, before=None, after=_described(version)
        )
    return version


def scorecard_version_activate(
    *, version: ScorecardVersion, actor: User | None, rescore: bool = True
) -> None:
    """Make `version` the one that scores its scorecard's contacts, and (with `rescore`)
    re-score every contact with it once this commits. Only a published version is ever
    used (a draft is published by `draft_approve`)."""
    if version.status != VersionStatus.PUBLISHED:
        raise ValueError(f"version {version.number} of {version.scorecard.name} is not published")
    with transaction.atomic():
        versions = ScorecardVersion.objects.select_for_update().filter(
            scorecard_id=version.scorecard_id
        )
        previous = versions.filter(is_active=True).first()
        if previous is not None and previous.pk == version.pk:
            return
        # One active version per scorecard is a constraint: deactivate first.
        versions.filter(is_active=True).update(is_active=False)
        version.is_active = True
        version.activated_at = timezone.now()
        version.save(update_fields=["is_active", "activated_at"])
        scorecard_audit(
            actor,
            "scorecard_version.activate",
            version,
            before=None if previous is None else _described(previous),
            after=_described(version),
        )
        if rescore:
            transaction.on_commit(lambda: rescore_all.enqueue(version.pk))


def scorecard_version_ensure_current(*, name: str = CURRENT_SCORECARD) -> ScorecardVersion:
    """The active version of scorecard `name`. When none is active yet, the built-in
    standard scorecard is loaded and activated (with a re-score of every contact once this
    commits): a write, so only writes call it — a page reads `current_scorecard_version`."""
    version = current_scorecard_version(name)
    if version is not None:
        return version
    builtin = builtin_scorecard()
    if builtin.name != name:
        raise ScorecardVersion.DoesNotExist(f"no active version of scorecard {name!r}")
    version = scorecard_load(scorecard=builtin, actor=None)
    scorecard_version_activate(version=version, actor=None)
    return version


def _described(version: ScorecardVersion) -> dict[str, Any]:
    return {
        "scorecard": version.scorecard.name,
        "number": version.number,
        "label": version.label,
        "fingerprint": version.fingerprint,
    }


def scorecard_audit(
    actor: User | None,
    action: str,
    version: ScorecardVersion,
    *,
    after: dict[str, Any] | None,
    before: dict[str, Any] | None = None,
    note: str = "",
) -> None:
    """An audit event on a scorecard version (created, edited, submitted, activated…)."""
    audit_record(
        actor=actor,
        action=action,
        object_type="scorecard_version",
        object_id=version.pk,
        before=before,
        after=after,
        note=note,
    )
