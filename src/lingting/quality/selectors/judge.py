"""Reading the model judge: its settings, its suggestions for a review, and how often
reviewers agreed with it (the trust page's model section)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Avg, Count, OuterRef, Q, QuerySet, Subquery, Sum

from lingting.core.models import User
from lingting.core.permissions import may_see_personal_numbers
from lingting.engine.pii import mask_personal_numbers
from lingting.quality.models import (
    AssignmentKind,
    AssignmentStatus,
    JudgeSettings,
    ModelJudgement,
    ReviewAssignment,
    ReviewedItem,
)

SETTINGS_PK = 1


def judge_settings() -> JudgeSettings:
    """The settings row, or the defaults (judge off) when an administrator never saved any."""
    return JudgeSettings.objects.filter(pk=SETTINGS_PK).first() or JudgeSettings(pk=SETTINGS_PK)


def judge_is_on() -> bool:
    return judge_settings().usable


def contacts_awaiting_judgement(*, assigned_before: datetime | None = None) -> list[int]:
    """Contacts in reviewers' sample queues the judge has no accepted answer for yet (a
    contact it answered in part is asked about the rest by `contacts_judge`); with
    `assigned_before`, only those drawn before then."""
    answered = ModelJudgement.objects.exclude(result="").values("contact_id")
    pending = ReviewAssignment.objects.filter(
        kind=AssignmentKind.SAMPLE, status=AssignmentStatus.PENDING
    )
    if assigned_before is not None:
        pending = pending.filter(assigned_at__lt=assigned_before)
    return list(
        pending.exclude(contact_id__in=answered)
        .order_by("contact_id")
        .values_list("contact_id", flat=True)
        .distinct()
    )


@dataclass(frozen=True, slots=True)
class JudgeUsage:
    """What the judge has cost so far: for the administrator deciding on a model."""

    judgements: int
    discarded: int  # no usable answer (server error, a quote not in the transcript…)
    cached: int
    tokens: int
    cost: float  # 元
    mean_latency_ms: float | None  # of the answers the model was actually asked for


def judge_usage() -> JudgeUsage:
    totals = ModelJudgement.objects.aggregate(
        judgements=Count("id"),
        discarded=Count("id", filter=Q(result="")),
        from_cache=Count("id", filter=Q(cached=True)),
        prompt_tokens=Sum("prompt_tokens", default=0),
        completion_tokens=Sum("completion_tokens", default=0),
        cost=Sum("cost", default=0.0),
        mean_latency_ms=Avg("latency_ms", filter=Q(cached=False)),
    )
    return JudgeUsage(
        judgements=totals["judgements"],
        discarded=totals["discarded"],
        cached=totals["from_cache"],
        tokens=totals["prompt_tokens"] + totals["completion_tokens"],
        cost=float(totals["cost"]),
        mean_latency_ms=totals["mean_latency_ms"],
    )


@dataclass(frozen=True, slots=True)
class QuoteView:
    turn: int  # the turn's index (its anchor on the page is turn-<index>)
    text: str

    @property
    def number(self) -> int:
        """1-based, as the model read the numbered transcript."""
        return self.turn + 1


@dataclass(frozen=True, slots=True)
class Suggestion:
    """The model's answer for one manual item, as a reviewer sees it."""

    result: str
    reason: str
    evidence: list[QuoteView]
    model: str


def judge_suggestions_for(
    *, user: User, contact_id: int, version_id: int, made_by: datetime | None = None
) -> dict[str, Suggestion]:
    """Item id → the newest accepted model judgement of the contact's item, for this
    scorecard version (with `made_by`, the newest made by then). Personal numbers in the
    quotes and reason are masked for a reader who may not see them (the model may have been
    sent them in full)."""
    mask = not may_see_personal_numbers(user)
    suggestions: dict[str, Suggestion] = {}
    rows = ModelJudgement.objects.filter(contact_id=contact_id, version_id=version_id).exclude(
        result=""
    )
    if made_by is not None:
        rows = rows.filter(created_at__lte=made_by)
    rows = rows.order_by("item", "-created_at", "-id")
    for row in rows:
        if row.item in suggestions:
            continue
        suggestions[row.item] = Suggestion(
            result=row.result,
            reason=_shown(row.reason, mask),
            evidence=[
                QuoteView(int(quote.get("turn", 0)), _shown(str(quote.get("text", "")), mask))
                for quote in row.evidence
                if isinstance(quote, dict)
            ],
            model=row.model,
        )
    return suggestions


def _shown(text: str, mask: bool) -> str:
    return mask_personal_numbers(text) if mask else text


@dataclass(frozen=True, slots=True)
class JudgeItemTrust:
    """How reviewers' final answers compare with the model's for one manual item."""

    item: str
    title: str
    reviewed: int  # reviewed items the model had answered before the review
    agreed: int
    model_fails: int
    confirmed: int  # the model failed it and so did the reviewer
    false_hits: int  # the model failed it, the reviewer did not
    misses: int  # the model passed it, the reviewer failed it

    @property
    def agreement(self) -> float | None:
        return self.agreed / self.reviewed if self.reviewed else None

    @property
    def precision(self) -> float | None:
        """Of the model's failures a person checked, the share the person upheld."""
        return self.confirmed / self.model_fails if self.model_fails else None

    @property
    def overturns(self) -> int:
        return self.false_hits + self.misses


_MODEL_FAIL = Q(model_result="fail")
_REVIEWER_FAIL = Q(result="fail")


def judge_trust(
    *, date_from: date | None = None, date_to: date | None = None
) -> list[JudgeItemTrust]:
    """Per manual item, sample reviews submitted between the dates whose item the model had
    answered before the review was submitted (a judgement made after cannot have been
    overturned), worst agreement first."""
    model_result = (
        ModelJudgement.objects.filter(
            contact=OuterRef("evaluation__contact"),
            version=OuterRef("evaluation__version"),
            item=OuterRef("item"),
            created_at__lte=OuterRef("evaluation__submitted_at"),
        )
        .exclude(result="")
        .order_by("-created_at", "-id")
        .values("result")[:1]
    )
    if not ModelJudgement.objects.exists():
        return []  # a center without the judge pays nothing for this section
    judged_contacts = ModelJudgement.objects.exclude(result="").values("contact_id")
    rows = (
        _reviewed_manual_items(date_from, date_to)
        .filter(evaluation__contact_id__in=judged_contacts)
        .annotate(model_result=Subquery(model_result))
        .filter(model_result__isnull=False)
        .values("item", "title")
        .annotate(
            reviewed=Count("id"),
            agreed=Count(
                "id", filter=(_MODEL_FAIL & _REVIEWER_FAIL) | (~_MODEL_FAIL & ~_REVIEWER_FAIL)
            ),
            model_fails=Count("id", filter=_MODEL_FAIL),
            confirmed=Count("id", filter=_MODEL_FAIL & _REVIEWER_FAIL),
            false_hits=Count("id", filter=_MODEL_FAIL & ~_REVIEWER_FAIL),
            misses=Count("id", filter=~_MODEL_FAIL & _REVIEWER_FAIL),
        )
        .order_by("item", "title")
    )
    merged: dict[str, dict[str, int]] = {}
    titles: dict[str, str] = {}
    for row in rows:
        titles.setdefault(row["item"], row["title"] or row["item"])
        sums = merged.setdefault(row["item"], {})
        for name in ("reviewed", "agreed", "model_fails", "confirmed", "false_hits", "misses"):
            sums[name] = sums.get(name, 0) + int(row[name])
    report = [
        JudgeItemTrust(item=item, title=titles[item], **sums) for item, sums in merged.items()
    ]
    report.sort(key=lambda t: (t.agreement if t.agreement is not None else 2.0, t.item))
    return report


def _reviewed_manual_items(date_from: date | None, date_to: date | None) -> QuerySet[ReviewedItem]:
    rows = ReviewedItem.objects.filter(evaluation__kind=AssignmentKind.SAMPLE, auto_result="")
    if date_from:
        rows = rows.filter(evaluation__submitted_at__date__gte=date_from)
    if date_to:
        rows = rows.filter(evaluation__submitted_at__date__lte=date_to)
    return rows
