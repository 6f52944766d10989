"""A detected agent's diagnosis: the items failed most, topics, common issues, examples."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Count, F, QuerySet, Window
from django.db.models.functions import RowNumber

from lingting.coaching.selectors.figures import EXAMPLES
from lingting.core.models import Agent, User
from lingting.core.personal_numbers import text_shown_to
from lingting.quality.contact_filters import ContactFilters
from lingting.quality.models import (
    AssignmentKind,
    Evaluation,
    Finding,
    FindingScope,
    ItemFailure,
    ReviewedItem,
)
from lingting.quality.selectors.contacts import contacts_matching
from lingting.quality.selectors.quotes import quote_shown_to
from lingting.quality.selectors.scorecards import item_titles


@dataclass(frozen=True, slots=True)
class Example:
    contact_id: int
    external_id: str


@dataclass(frozen=True, slots=True)
class ItemCount:
    item: str
    title: str
    count: int
    share: float | None  # of the contacts looked at (scored or reviewed)
    examples: list[Example] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class TopicCount:
    tag: str
    contacts: int
    with_deductions: int

    @property
    def share(self) -> float:
        return self.with_deductions / self.contacts if self.contacts else 0.0


@dataclass(frozen=True, slots=True)
class IssueNote:
    item: str
    title: str
    note: str
    quote: str
    example: Example


@dataclass(frozen=True, slots=True)
class Diagnosis:
    contacts: int
    scored: int
    reviewed: int
    auto_items: list[ItemCount]
    reviewed_items: list[ItemCount]
    topics: list[TopicCount]
    common_issues: list[IssueNote]

    def summary(self) -> dict[str, Any]:
        """What a plan keeps of it (JSON): the items failed most and the topics."""
        return {
            "auto_items": [[i.item, i.title, i.count] for i in self.auto_items],
            "reviewed_items": [[i.item, i.title, i.count] for i in self.reviewed_items],
            "topics": [[t.tag, t.with_deductions, t.contacts] for t in self.topics],
            "common_issues": [i.note for i in self.common_issues],
        }


def training_items() -> dict[str, str]:
    """What a training can target: the active scorecards' items, and any other item code
    reviews or automatic scores have failed (shown by its code)."""
    items = item_titles()
    for code in Finding.objects.exclude(item="").values_list("item", flat=True).distinct():
        items.setdefault(code, code)
    for code in ItemFailure.objects.values_list("item", flat=True).distinct()[:200]:
        items.setdefault(code, code)
    return items


def _title_in_score(failures: QuerySet[ItemFailure], item: str) -> str:
    """An item's title as the engine wrote it into a score that failed it."""
    failure = failures.filter(item=item).select_related("score").first()
    for entry in failure.score.items if failure and isinstance(failure.score.items, list) else []:
        if isinstance(entry, dict) and entry.get("item") == item and entry.get("title"):
            return str(entry["title"])
    return item


def _newest_examples(
    failed: QuerySet[ItemFailure] | QuerySet[ReviewedItem], *, contact: str, newest: str
) -> dict[str, list[Example]]:
    """The `EXAMPLES` newest contacts (by `newest`) of each item among these failed items,
    in one query: the database ranks them per item, however many an agent failed."""
    ranked = failed.annotate(
        rank=Window(RowNumber(), partition_by=F("item"), order_by=F(newest).desc())
    ).filter(rank__lte=EXAMPLES)
    examples: dict[str, list[Example]] = defaultdict(list)
    for item, pk, external in ranked.order_by("item", "rank").values_list(
        "item", f"{contact}_id", f"{contact}__external_id"
    ):
        examples[item].append(Example(pk, external))
    return examples


def agent_diagnosis(
    *, user: User, agent: Agent, date_from: date, date_to: date, top: int = 5
) -> Diagnosis:
    """Why `agent` is behind, from the QA results of their contacts `user` may see between
    the two dates: the items failed most (automatic and by reviewers), the topics (contact
    tags) where they lose points, the common issues reviewers noted; with example contacts."""
    contacts = contacts_matching(
        user=user,
        filters=ContactFilters(date_from=date_from, date_to=date_to, agent_id=agent.pk),
    )
    titles = item_titles()
    scored = contacts.filter(current_score__isnull=False)
    n_scored = scored.count()
    failures = ItemFailure.objects.filter(score_id__in=scored.values("current_score_id"))
    most_failed = list(
        failures.order_by().values_list("item").annotate(n=Count("pk")).order_by("-n", "item")[:top]
    )
    auto_examples = _newest_examples(
        failures.filter(item__in=[item for item, _n in most_failed]),
        contact="score__contact",
        newest="score__contact__started_at",
    )
    auto_items = [
        ItemCount(
            item=item,
            title=titles.get(item) or _title_in_score(failures, item),
            count=n,
            share=n / n_scored if n_scored else None,
            examples=auto_examples.get(item, []),
        )
        for item, n in most_failed
    ]
    evaluations = Evaluation.objects.filter(contact__in=contacts).exclude(
        kind=AssignmentKind.CALIBRATION
    )
    n_reviewed = evaluations.values("contact").distinct().count()
    failed_reviewed = ReviewedItem.objects.filter(evaluation__in=evaluations, result="fail")
    most_reviewed = list(
        failed_reviewed.order_by()
        .values_list("item", "title")
        .annotate(n=Count("pk"))
        .order_by("-n", "item")[:top]
    )
    reviewed_examples = _newest_examples(
        failed_reviewed.filter(item__in=[item for item, _title, _n in most_reviewed]),
        contact="evaluation__contact",
        newest="evaluation__submitted_at",
    )
    reviewed_items = [
        ItemCount(
            item=item,
            title=title,
            count=n,
            share=n / n_reviewed if n_reviewed else None,
            examples=reviewed_examples.get(item, []),
        )
        for item, title, n in most_reviewed
    ]
    deducted = set(failures.values_list("score_id", flat=True).distinct())
    topics: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for tags, score_id in scored.values_list("tags", "current_score_id"):
        for tag in tags if isinstance(tags, list) else []:
            topics[str(tag)][0] += 1
            topics[str(tag)][1] += score_id in deducted
    shown = text_shown_to(user)
    common = [
        IssueNote(
            item=f.item,
            title=titles.get(f.item, f.item),
            note=shown(f.note),
            quote=quote_shown_to(f, user),
            example=Example(f.evaluation.contact_id, f.evaluation.contact.external_id),
        )
        for f in Finding.objects.filter(evaluation__in=evaluations, scope=FindingScope.COMMON)
        .select_related("evaluation__contact")
        .order_by("-evaluation__submitted_at")[: top * 2]
    ]
    return Diagnosis(
        contacts=contacts.count(),
        scored=n_scored,
        reviewed=n_reviewed,
        auto_items=auto_items,
        reviewed_items=reviewed_items,
        topics=sorted(
            (TopicCount(tag, n, bad) for tag, (n, bad) in topics.items()),
            key=lambda t: (-t.with_deductions, -t.contacts, t.tag),
        )[:top],
        common_issues=common,
    )
