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
from enum import StrEnum
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from lingting.core.models import User
from lingting.core.permissions import contact_scope
from lingting.quality.models import AssignmentKind, ReviewedItem

# An item is flagged when reviewers overturned more than this share of its reviewed hits…
MAX_OVERTURN_RATE = 0.2
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
    def overturn_rate(self) -> float | None:
        """Of the engine's hits a person checked, the share the person overturned. Only the
        item's own reviewed hits count: a review where the engine passed the item cannot
        overturn a hit, and counting it would dilute the rate until nothing is flagged."""
        return self.false_hits / self.hits if self.hits else None

    @property
    def precision(self) -> float | None:
        """Of the engine's hits a person checked, the share that were right."""
        return self.confirmed / self.hits if self.hits else None

    @property
    def miss_rate(self) -> float | None:
        """Of the reviews where the engine did not fail the item, the share where a person
        found a failure."""
        passed = self.reviewed - self.hits
        return self.misses / passed if passed else None

    @property
    def outcome_counts(self) -> list[tuple[str, int]]:
        """(outcome, count) in the report's column order, each linking to its calls."""
        return [(outcome.value, getattr(self, outcome.value)) for outcome in Outcome]

    @property
    def flagged(self) -> bool:
        rate = self.overturn_rate
        return self.hits >= MIN_HITS_FOR_FLAG and rate is not None and rate > MAX_OVERTURN_RATE


@dataclass(frozen=True, slots=True)
class TrustReport:
    items: list[ItemTrust]  # whole period, worst precision first
    months: list[ItemTrust]  # per item per month, for the trend

    @property
    def flagged(self) -> list[ItemTrust]:
        return [item for item in self.items if item.flagged]


_HIT = Q(auto_result="fail")
_FAILED = Q(result="fail")


class Outcome(StrEnum):
    """Which reviewed items a figure of the report counts, to list the calls behind it."""

    HITS = "hits"
    CONFIRMED = "confirmed"
    FALSE_HITS = "false_hits"
    MISSES = "misses"

    @property
    def condition(self) -> Q:
        return {
            Outcome.HITS: _HIT,
            Outcome.CONFIRMED: _HIT & _FAILED,
            Outcome.FALSE_HITS: _HIT & ~_FAILED,
            Outcome.MISSES: ~_HIT & _FAILED,
        }[self]

    @property
    def label(self) -> Promise:
        return {
            Outcome.HITS: _("自动扣分"),
            Outcome.CONFIRMED: _("人工确认"),
            Outcome.FALSE_HITS: _("误判"),
            Outcome.MISSES: _("漏判"),
        }[self]


def _counts() -> dict[str, Count]:
    return {"reviewed": Count("id")} | {
        outcome.value: Count("id", filter=outcome.condition) for outcome in Outcome
    }


def _reviewed_auto_items(date_from: date | None, date_to: date | None) -> QuerySet[ReviewedItem]:
    """Automatic items of sample reviews submitted between the dates."""
    rows = ReviewedItem.objects.filter(evaluation__kind=AssignmentKind.SAMPLE).exclude(
        auto_result=""
    )
    if date_from:
        rows = rows.filter(evaluation__submitted_at__date__gte=date_from)
    if date_to:
        rows = rows.filter(evaluation__submitted_at__date__lte=date_to)
    return rows


def trust_report(*, date_from: date | None = None, date_to: date | None = None) -> TrustReport:
    """Overturns of automatic items in sample reviews submitted between the dates: one
    aggregate per item and month, the items' overall figures their months added up."""
    rows = (
        _reviewed_auto_items(date_from, date_to)
        .annotate(month=TruncMonth("evaluation__submitted_at"))
        .values("item", "title", "month")
        .annotate(**_counts())
        .order_by("item", "month")
    )
    counts = ("reviewed", *(outcome.value for outcome in Outcome))
    titles: dict[str, str] = {}
    monthly: list[ItemTrust] = []
    totals: dict[str, dict[str, int]] = {}
    for values in rows:
        row: dict[str, Any] = dict(values)
        item = row["item"]
        titles.setdefault(item, row["title"] or item)
        # One item's months may carry different titles (a scorecard renamed it): one per month.
        month = timezone.localdate(row["month"])
        if monthly and monthly[-1].item == item and monthly[-1].month == month:
            monthly[-1] = _trust(item, titles[item], month, _added(monthly[-1], row, counts))
        else:
            monthly.append(_trust(item, titles[item], month, {name: row[name] for name in counts}))
        sums = totals.setdefault(item, dict.fromkeys(counts, 0))
        for name in counts:
            sums[name] += row[name]
    overall = [_trust(item, titles[item], None, sums) for item, sums in sorted(totals.items())]
    overall.sort(key=lambda t: (t.precision if t.precision is not None else 2.0, t.item))
    return TrustReport(items=overall, months=monthly)


def _added(trust: ItemTrust, row: Mapping[str, Any], counts: tuple[str, ...]) -> dict[str, int]:
    return {name: getattr(trust, name) + row[name] for name in counts}


def _trust(item: str, title: str, month: date | None, counts: Mapping[str, int]) -> ItemTrust:
    return ItemTrust(
        item=item,
        title=title,
        month=month,
        reviewed=counts["reviewed"],
        hits=counts["hits"],
        confirmed=counts["confirmed"],
        false_hits=counts["false_hits"],
        misses=counts["misses"],
    )


def trust_calls(
    *,
    user: User,
    item: str,
    outcome: Outcome,
    date_from: date | None = None,
    date_to: date | None = None,
) -> QuerySet[ReviewedItem]:
    """The reviewed items behind one figure of the report (e.g. the false hits of one
    item), each with its record and contact, among the contacts `user` may see."""
    return (
        _reviewed_auto_items(date_from, date_to)
        .filter(outcome.condition, contact_scope(user, via="evaluation__contact"), item=item)
        .select_related("evaluation__contact__agent", "evaluation__contact__queue")
        .order_by("-evaluation__submitted_at", "-id")
    )
