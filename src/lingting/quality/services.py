"""Scorecard versions (load, activate) and automatic scoring of stored contacts."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import Max, OuterRef, Subquery
from django.utils import timezone

from lingting.core.models import AuditEvent, User
from lingting.engine.results import ContactResult
from lingting.engine.scorecard import CompiledScorecard, builtin_scorecard, parse_scorecard
from lingting.engine.scorecard import Scorecard as EngineScorecard
from lingting.interactions.models import Contact
from lingting.quality.models import ContactScore, ItemFailure, Scorecard, ScorecardVersion
from lingting.quality.selectors import engine_contacts_for

# Compiling (YAML, phrase automata) costs far more than scoring a contact: compile each
# version once per process. Keyed by fingerprint, which names the content, not by row id,
# which a fresh database (tests, a restored backup) can give to another scorecard.
_compiled: dict[str, CompiledScorecard] = {}

# The scorecard whose active version gives each contact its current score and scores new
# contacts. Other scorecards (a trial, a campaign's) score too, but only alongside it.
CURRENT_SCORECARD = "standard"

_SCORE_FIELDS = [
    "score",
    "passed",
    "fatal",
    "severity_a",
    "severity_b",
    "severity_c",
    "items",
    "scored_at",
]


def scorecard_load(*, scorecard: EngineScorecard, actor: User | None) -> ScorecardVersion:
    """The stored version of this scorecard text, created (inactive) if its fingerprint
    is new; version numbers count up per scorecard."""
    with transaction.atomic():
        card, _ = Scorecard.objects.get_or_create(
            name=scorecard.name, defaults={"title": scorecard.title}
        )
        # Lock the scorecard so two loads cannot take the same version number.
        card = Scorecard.objects.select_for_update().get(pk=card.pk)
        existing = card.versions.filter(fingerprint=scorecard.fingerprint).first()
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
        _audit(actor, "scorecard_version.create", version, before=None, after=_described(version))
    return version


def scorecard_version_activate(
    *, version: ScorecardVersion, actor: User | None, rescore: bool = True
) -> None:
    """Make `version` the one that scores its scorecard's contacts, and (with `rescore`)
    re-score every contact with it once this commits."""
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
        _audit(
            actor,
            "scorecard_version.activate",
            version,
            before=None if previous is None else _described(previous),
            after=_described(version),
        )
        if rescore:
            # Imported here: the tasks module imports this one.
            from lingting.quality.tasks import rescore_all

            transaction.on_commit(lambda: rescore_all.enqueue(version.pk))


def active_scorecard_version(name: str = CURRENT_SCORECARD) -> ScorecardVersion:
    """The active version of scorecard `name`. When none is active yet, the built-in
    standard scorecard is loaded and activated (with a re-score of every contact)."""
    version = ScorecardVersion.objects.filter(scorecard__name=name, is_active=True).first()
    if version is not None:
        return version
    builtin = builtin_scorecard()
    if builtin.name != name:
        raise ScorecardVersion.DoesNotExist(f"no active version of scorecard {name!r}")
    version = scorecard_load(scorecard=builtin, actor=None)
    scorecard_version_activate(version=version, actor=None)
    return version


def contacts_score(*, contact_ids: Iterable[int], version: ScorecardVersion) -> int:
    """Score these contacts with `version`; returns how many were scored.

    CDR-only contacts (no turns) are not scored. Scores are upserted per (contact,
    version), their failed items replaced, and `Contact.current_score` set when `version`
    is the active version of CURRENT_SCORECARD. Pass at most a few thousand ids at a time
    (one transaction).
    """
    compiled = _compiled_scorecard(version)
    results = [
        (contact_id, compiled.score(contact))
        for contact_id, contact in engine_contacts_for(contact_ids=contact_ids)
        if contact.turns
    ]
    if not results:
        return 0
    with transaction.atomic():
        scores = [_score_row(contact_id, version, result) for contact_id, result in results]
        ContactScore.objects.bulk_create(
            scores,
            update_conflicts=True,
            unique_fields=["contact", "version"],
            update_fields=_SCORE_FIELDS,
        )
        _replace_failures(scores, [result for _, result in results])
        if version.is_active and version.scorecard.name == CURRENT_SCORECARD:
            _point_current_scores([contact_id for contact_id, _ in results], version)
    return len(results)


def _compiled_scorecard(version: ScorecardVersion) -> CompiledScorecard:
    compiled = _compiled.get(version.fingerprint)
    if compiled is None:
        compiled = _compiled[version.fingerprint] = parse_scorecard(version.source_text).compile()
    return compiled


def _score_row(contact_id: int, version: ScorecardVersion, result: ContactResult) -> ContactScore:
    counts = result.severity_counts
    return ContactScore(
        contact_id=contact_id,
        version=version,
        score=result.score,
        passed=result.passed,
        fatal=result.fatal,
        severity_a=counts.get("A", 0),
        severity_b=counts.get("B", 0),
        severity_c=counts.get("C", 0),
        items=[item.to_dict() for item in result.items],
    )


def _replace_failures(scores: list[ContactScore], results: list[ContactResult]) -> None:
    ItemFailure.objects.filter(score__in=scores).delete()
    ItemFailure.objects.bulk_create(
        ItemFailure(
            score=score,
            item=item.item,
            severity=item.severity or "",
            points_lost=item.points_lost,
        )
        for score, result in zip(scores, results, strict=True)
        for item in result.items
        if item.result == "fail"
    )


def _point_current_scores(contact_ids: list[int], version: ScorecardVersion) -> None:
    score_of = ContactScore.objects.filter(contact=OuterRef("pk"), version=version)
    Contact.objects.filter(id__in=contact_ids).update(
        current_score=Subquery(score_of.values("id")[:1])
    )


def _described(version: ScorecardVersion) -> dict[str, Any]:
    return {
        "scorecard": version.scorecard.name,
        "number": version.number,
        "label": version.label,
        "fingerprint": version.fingerprint,
    }


def _audit(
    actor: User | None,
    action: str,
    version: ScorecardVersion,
    *,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
) -> None:
    AuditEvent.objects.create(
        actor=actor,
        action=action,
        object_type="scorecard_version",
        object_id=str(version.pk),
        before=before,
        after=after,
    )
