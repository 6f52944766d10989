"""Trust in the machine: how often reviewers overturn each automatic item.

For every automatic item and month, over sampled contacts a person reviewed: how often the
engine said "fail" and the reviewer agreed (a confirmed hit), said "fail" and the reviewer
did not (a false hit: an agent wrongly accused), or said pass/na and the reviewer found a
failure (a miss). An item whose hits reviewers keep overturning is flagged to the QA
supervisor: its rule needs work before anyone relies on it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone

from lingting.quality.models import AssignmentKind, ReviewedItem

# An item is flagged when fewer than this share of its reviewed hits were confirmed…
MIN_PRECISION = 0.8
# …once enough hits were reviewed for the share to mean something.
MIN_HITS_FOR_FLAG = 5


@dataclass(frozen=True, slots=True)
class ItemTrust:
    item: str
    title: str
    month: date | None  # None: the whole period
    reviewed: int
    hits: int  # the engine said fail
    confirmed: int
    false_hits: int
    misses: int

    @property
    def overturned(self) -> int:
        return self.false_hits + self.misses

    @property
    def overturn_rate(self) -> float | None:
        return self.overturned / self.reviewed if self.reviewed else None

    @property
    def precision(self) -> float | None:
        """Of the engine's hits a person checked, the share that were right."""
        return self.confirmed / self.hits if self.hits else None

    @property
    def flagged(self) -> bool:
        precision = self.precision
        return (
            self.hits >= MIN_HITS_FOR_FLAG and precision is not None and precision < MIN_PRECISION
        )


@dataclass(frozen=True, slots=True)
class TrustReport:
    items: list[ItemTrust]  # whole period, worst precision first
    months: list[ItemTrust]  # per item per month, for the trend

    @property
    def flagged(self) -> list[ItemTrust]:
        return [item for item in self.items if item.flagged]


def _counts() -> dict[str, Count]:
    hit = Q(auto_result="fail")
    failed = Q(result="fail")
    return {
        "reviewed": Count("id"),
        "hits": Count("id", filter=hit),
        "confirmed": Count("id", filter=hit & failed),
        "false_hits": Count("id", filter=hit & ~failed),
        "misses": Count("id", filter=~hit & failed),
    }


def trust_report(*, date_from: date | None = None, date_to: date | None = None) -> TrustReport:
    """Overturns of automatic items in sample reviews submitted between the dates."""
    rows = ReviewedItem.objects.filter(evaluation__kind=AssignmentKind.SAMPLE).exclude(
        auto_result=""
    )
    if date_from:
        rows = rows.filter(evaluation__submitted_at__date__gte=date_from)
    if date_to:
        rows = rows.filter(evaluation__submitted_at__date__lte=date_to)
    titles = dict(rows.values_list("item", "title").distinct())

    def trust_of(row: Mapping[str, Any], month: date | None) -> ItemTrust:
        return ItemTrust(
            item=row["item"],
            title=titles.get(row["item"], row["item"]),
            month=month,
            reviewed=row["reviewed"],
            hits=row["hits"],
            confirmed=row["confirmed"],
            false_hits=row["false_hits"],
            misses=row["misses"],
        )

    overall = [
        trust_of(row, None) for row in rows.values("item").annotate(**_counts()).order_by("item")
    ]
    monthly = [
        trust_of(row, timezone.localdate(row["month"]))
        for row in rows.annotate(month=TruncMonth("evaluation__submitted_at"))
        .values("item", "month")
        .annotate(**_counts())
        .order_by("item", "month")
    ]
    overall.sort(key=lambda t: (t.precision if t.precision is not None else 2.0, t.item))
    return TrustReport(items=overall, months=monthly)
