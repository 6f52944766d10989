"""What the customers of many contacts meant, counted (issue 15): the share whose customer
ended angry (and angry or dissatisfied), the unresolved rate and the mean predicted
satisfaction, each with the count it is taken over — for the quality report and the KPI
page alike.

Only contacts whose customer spoke count (a contact without a customer turn has no emotion
and no verdict, and one never read has no meaning row); the unresolved rate is over the
contacts with a verdict (resolved or not, "unclear" left out). Counted in SQL over the
contacts joined to their meaning by primary key, grouped as the caller asks: nothing loops
over contacts in Python.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, fields
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum

from lingting.interactions.models import Contact
from lingting.quality.selectors.meaning import UPSET_AT_END


@dataclass(slots=True)
class MeaningTotals:
    with_customer: int = 0  # contacts whose customer spoke (a meaning was read)
    ended_angry: int = 0
    ended_upset: int = 0  # angry or dissatisfied at the end
    verdicts: int = 0  # resolved or unresolved ("unclear" left out)
    unresolved: int = 0
    satisfaction_count: int = 0
    satisfaction_sum: float = 0.0

    @property
    def ended_angry_share(self) -> float | None:
        return self.ended_angry / self.with_customer if self.with_customer else None

    @property
    def ended_upset_share(self) -> float | None:
        return self.ended_upset / self.with_customer if self.with_customer else None

    @property
    def unresolved_rate(self) -> float | None:
        return self.unresolved / self.verdicts if self.verdicts else None

    @property
    def mean_satisfaction(self) -> float | None:
        return self.satisfaction_sum / self.satisfaction_count if self.satisfaction_count else None

    def count(self, end: str | None, resolved: bool | None, satisfaction: float | None) -> None:
        """Count one contact by its meaning's end emotion, verdict and predicted satisfaction
        (all None: never read), as `meaning_totals_by` counts it in SQL: the daily tallies'
        way (performance.tally_counting)."""
        if not end:
            return  # the customer never spoke, or the contact was never read
        self.with_customer += 1
        self.ended_angry += end == "angry"
        self.ended_upset += end in UPSET_AT_END
        if resolved is not None:
            self.verdicts += 1
            self.unresolved += not resolved
        if satisfaction is not None:
            self.satisfaction_count += 1
            self.satisfaction_sum += satisfaction

    def counts(self) -> dict[str, float]:
        """The counts by name (`MEANING_COUNTS`): what a daily tally keeps."""
        return {name: getattr(self, name) for name in MEANING_COUNTS}

    def add(self, other: MeaningTotals) -> None:
        for name in MEANING_COUNTS:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def figures(self) -> dict[str, Any]:
        """Every figure by name, rates as fractions rounded to a hundredth of a percent (None
        where their count is 0), each beside the count it is taken over: the KPI API's."""
        return {
            "with_customer": self.with_customer,
            "ended_angry": self.ended_angry,
            "ended_angry_share": _rounded(self.ended_angry_share),
            "ended_upset": self.ended_upset,
            "ended_upset_share": _rounded(self.ended_upset_share),
            "resolution_verdicts": self.verdicts,
            "unresolved": self.unresolved,
            "unresolved_rate": _rounded(self.unresolved_rate),
            "satisfaction_predicted_count": self.satisfaction_count,
            "satisfaction_predicted_mean": _rounded(self.mean_satisfaction),
        }


# The counts a group's figures are taken from, by name (the daily tallies' columns too).
MEANING_COUNTS = tuple(f.name for f in fields(MeaningTotals))


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def meaning_totals_by(
    contacts: QuerySet[Contact], *group: str, **named_groups: Any
) -> Iterator[tuple[dict[str, Any], MeaningTotals]]:
    """The figures of those of `contacts` whose customer spoke, one SQL group per distinct
    value of `group` (field paths) and `named_groups` (expressions, by name): each group's
    values and its totals."""
    spoke = contacts.filter(meaning__emotion_end__gt="").order_by()
    counts = {
        "_with_customer": Count("id"),
        "_ended_angry": Count("id", filter=Q(meaning__emotion_end="angry")),
        "_ended_upset": Count("id", filter=Q(meaning__emotion_end__in=UPSET_AT_END)),
        "_verdicts": Count("meaning__resolved"),
        "_unresolved": Count("id", filter=Q(meaning__resolved=False)),
        "_satisfaction_count": Count("meaning__satisfaction_predicted"),
        "_satisfaction_sum": Sum("meaning__satisfaction_predicted"),
    }
    rows: Iterable[dict[str, Any]] = (
        spoke.values(*group, **named_groups).annotate(**counts)
        if group or named_groups
        else [spoke.aggregate(**counts)]  # values() of nothing would group by every column
    )
    for row in rows:
        totals = MeaningTotals(**{name: row.pop(f"_{name}") or 0 for name in MEANING_COUNTS})
        totals.satisfaction_sum = float(totals.satisfaction_sum)
        yield row, totals
