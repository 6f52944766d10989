"""The score of record: the one score a contact has. Once a person reviewed the contact
(its sample monitoring record, as disputes left it), the reviewed score; until then the
machine's current score. Every list, page, API answer and figure that shows "the" score of a
contact reads it here; the machine's score stays beside it, never instead of it.

A contact has at most one sample record (a database constraint), so the record joins the
contact row for row: lists, filters and aggregates over a million contacts stay one query.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import F, FilteredRelation, Q, QuerySet
from django.db.models.functions import Coalesce

from lingting.interactions.models import Contact
from lingting.quality.models import AssignmentKind, ContactScore, Evaluation

_SAMPLE_RECORD = "sample_record"


def with_score_of_record(contacts: QuerySet[Contact]) -> QuerySet[Contact]:
    """`contacts` with `record_score`, `record_passed`, `record_fatal` (the score of
    record, None when neither a person nor the machine scored it) and `reviewed_score`
    (None unless a person reviewed it). Filter and aggregate on them like fields."""
    if "record_score" in contacts.query.annotations:
        return contacts
    return contacts.annotate(
        **{
            _SAMPLE_RECORD: FilteredRelation(
                "evaluations", condition=Q(evaluations__kind=AssignmentKind.SAMPLE)
            )
        }
    ).annotate(
        reviewed_score=F(f"{_SAMPLE_RECORD}__score"),
        record_score=Coalesce(F(f"{_SAMPLE_RECORD}__score"), F("current_score__score")),
        record_passed=Coalesce(F(f"{_SAMPLE_RECORD}__passed"), F("current_score__passed")),
        record_fatal=Coalesce(F(f"{_SAMPLE_RECORD}__fatal"), F("current_score__fatal")),
    )


@dataclass(frozen=True, slots=True)
class ScoreOfRecord:
    score: float
    passed: bool
    fatal: bool
    reviewed: bool  # a person's sample review, not the machine
    machine: float | None  # the machine's score, shown beside (None: never scored)


def score_of_record(contact: Contact) -> ScoreOfRecord | None:
    """One contact's score of record (None when unscored): from the annotations of
    `with_score_of_record` when it carries them, else read from its record."""
    machine = contact.current_score.score if contact.current_score else None
    if hasattr(contact, "record_score"):
        score = getattr(contact, "record_score", None)
        if score is None:
            return None
        return ScoreOfRecord(
            score=score,
            passed=bool(getattr(contact, "record_passed", False)),
            fatal=bool(getattr(contact, "record_fatal", False)),
            reviewed=getattr(contact, "reviewed_score", None) is not None,
            machine=machine,
        )
    record = (
        Evaluation.objects.filter(contact=contact, kind=AssignmentKind.SAMPLE)
        .values("score", "passed", "fatal")
        .first()
    )
    if record is not None:
        return ScoreOfRecord(**record, reviewed=True, machine=machine)
    if contact.current_score is None:
        return None
    auto = contact.current_score
    return ScoreOfRecord(auto.score, auto.passed, auto.fatal, reviewed=False, machine=machine)


def score_of_record_in(low: float | None, high: float | None) -> Q:
    """A filter on `with_score_of_record` rows: the score of record in [low, high)."""
    condition = Q()
    if low is not None:
        condition &= Q(record_score__gte=low)
    if high is not None:
        condition &= Q(record_score__lt=high)
    return condition


FATAL_OF_RECORD = Q(record_fatal=True)  # a filter on `with_score_of_record` rows


def auto_results_of(score: ContactScore | None) -> dict[str, str]:
    """Item id → the engine's pass/fail/na for the automatic items of a stored score."""
    return auto_results_in(score.items if score is not None else None)


def auto_results_in(items: Any) -> dict[str, str]:
    """Item id → pass/fail/na of the items (FORMATS.md) the engine judged itself: those it
    left to a person ("manual") are not automatic, so a review never overturns them."""
    if not isinstance(items, list):
        return {}
    return {
        str(item["item"]): str(item["result"])
        for item in items
        if isinstance(item, dict) and item.get("result") in {"pass", "fail", "na"}
    }
