"""What every quality report reads through: the contacts and sample records a reader's
reports cover, a period's rows, the period a moment falls in, the daily tallies, the items'
titles."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from lingting.core.models import Team, User
from lingting.documents.periods import Period, PeriodKind, period_containing
from lingting.interactions.models import Contact
from lingting.performance.models import DailyTally
from lingting.quality.models import (
    AssignmentKind,
    Evaluation,
    ReviewedItem,
)
from lingting.quality.permissions import may_read_qa_reports
from lingting.quality.selectors.scorecards import item_titles
from lingting.reports.permissions import report_scope


def scope_label(user: User) -> str:
    """全中心 for the center-wide reader, the team names for a team leader."""
    if may_read_qa_reports(user):
        return ""
    return "、".join(
        Team.objects.filter(leader=user).order_by("code").values_list("name", flat=True)
    )


def contacts_of(user: User | None) -> QuerySet[Contact]:
    return Contact.objects.filter(report_scope(user)) if user else Contact.objects.all()


def sample_records_of(user: User | None) -> QuerySet[Evaluation]:
    samples = Evaluation.objects.filter(kind=AssignmentKind.SAMPLE)
    return samples.filter(report_scope(user, via="contact")) if user else samples


def within(rows: QuerySet[Any], path: str, start: Period, end: Period) -> QuerySet[Any]:
    tz = timezone.get_current_timezone()
    low, _ = start.bounds(tz)
    _, high = end.bounds(tz)
    return rows.filter(**{f"{path}__gte": low, f"{path}__lt": high})


def period_key(value: datetime | date | None, kind: PeriodKind) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return period_containing(kind, value).key


def as_int(value: Any) -> int:
    return int(value or 0)


# The same counts added up from the daily tallies (performance.tallies), by column.
TALLIED_COUNTS = {
    "volume": "contacts",
    "scored": "auto_scored",
    "auto_passed": "auto_passed",
    "auto_fatal": "auto_fatal",
    "auto_a": "auto_a",
    "auto_b": "auto_b",
    "auto_c": "auto_c",
    "auto_score_sum": "auto_sum",
    "record_scored": "record_scored",
    "record_score_sum": "record_score_sum",
}


def tallies_of(user: User | None, first: Period, last: Period) -> QuerySet[DailyTally]:
    """The daily tallies of the contacts `user`'s reports cover, started from `first` to
    `last` (periods)."""
    tz = timezone.get_current_timezone()
    low, high = first.bounds(tz)[0], last.bounds(tz)[1]
    return DailyTally.objects.filter(
        report_scope(user) if user else Q(),
        day__gte=timezone.localtime(low).date(),
        day__lt=timezone.localtime(high).date(),
    )


def item_titles_of(items: Iterable[str]) -> dict[str, str]:
    """The items' titles in the active scorecards; an item none of them has any more keeps
    the title its reviews stored."""
    wanted = {item for item in items if item}
    current = item_titles()
    titles = {item: current[item] for item in wanted if item in current}
    retired = [item for item in wanted if item not in current]
    if retired:
        # Without the model's ordering, which DISTINCT would otherwise take in (a sort of
        # every reviewed item of those items, by its evaluation).
        rows = (
            ReviewedItem.objects.filter(item__in=retired)
            .order_by("item", "title")
            .values_list("item", "title")
            .distinct()
        )
        titles.update(rows)
    return titles
