"""The phase training plan (阶段培训计划): the items to train on, from the reviews and the
machine's failures."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from django.db.models import Count, Q
from django.db.models.functions import Trunc
from django.utils import timezone

from lingting.core.models import User
from lingting.core.personal_numbers import text_shown_to
from lingting.documents.figures import Figure
from lingting.documents.periods import Period
from lingting.performance.selectors import tallies_ready
from lingting.quality.models import (
    AssignmentKind,
    Finding,
    FindingScope,
    ItemFailure,
    ReviewedItem,
)
from lingting.reports.permissions import report_scope
from lingting.reports.selectors.quality_report import NEEDS_PER_ITEM, issue_rows, training_rows
from lingting.reports.selectors.scope import (
    contacts_of,
    item_titles_of,
    period_key,
    sample_records_of,
    scope_label,
    tallies_of,
    within,
)


@dataclass(frozen=True, slots=True)
class PlanRow:
    """One training topic: an item that reviews keep finding, ranked by how often."""

    rank: int
    item: str
    title: str
    severity: str
    failed: Figure  # failed in monitoring records
    common: int  # common-issue findings (共性问题)
    individual: int
    agents: tuple[str, ...]
    needs: tuple[tuple[str, int], ...]
    notes: tuple[str, ...]  # what reviewers wrote in common findings
    auto_rate: Figure  # share of all contacts the automatic QA failed on it: tracks training


@dataclass(frozen=True, slots=True)
class TrainingPlan:
    period: Period
    previous: Period
    scope_label: str
    rows: list[PlanRow]
    reviewed: int


def training_plan(*, user: User | None, period: Period) -> TrainingPlan:
    """Common issues and training needs raised in the period's reviews, ranked, with the
    agents affected, and each item's automatic failure rate beside the previous period's
    (002 §六: "对与共性问题培训后问题有没有得到控制")."""
    previous = period.previous()
    mask = text_shown_to(user)
    training = {row.item: row for row in training_rows(user, period, previous, mask)}
    issues = issue_rows(user, period, previous)
    common = {r.item: int(r.count.value or 0) for r in issues if r.scope == FindingScope.COMMON}
    individual = {
        r.item: int(r.count.value or 0) for r in issues if r.scope == FindingScope.INDIVIDUAL
    }
    scoped = report_scope(user, via="evaluation__contact") if user else Q()
    agents: dict[str, set[str]] = defaultdict(set)
    for item, code, name in (
        within(
            ReviewedItem.objects.filter(
                evaluation__kind=AssignmentKind.SAMPLE, result="fail"
            ).filter(scoped),
            "evaluation__contact__started_at",
            period,
            period,
        )
        .values_list("item", "evaluation__contact__agent__code", "evaluation__contact__agent__name")
        .distinct()
    ):
        agents[item].add(f"{name or code}")
    notes: dict[str, list[str]] = defaultdict(list)
    for item, note in (
        within(
            Finding.objects.filter(
                evaluation__kind=AssignmentKind.SAMPLE, scope=FindingScope.COMMON
            ).filter(scoped),
            "evaluation__contact__started_at",
            period,
            period,
        )
        .values_list("item", "note")
        .order_by("item", "note")
        .distinct()
    ):
        if len(notes[item]) < NEEDS_PER_ITEM:
            notes[item].append(mask(note))
    rates = _auto_item_rates(user, period, previous)
    items = set(training) | set(common)
    titles = item_titles_of(items)
    ranked = sorted(
        items,
        key=lambda i: (
            -(common.get(i, 0) + int(training[i].count.value or 0 if i in training else 0)),
            i,
        ),
    )
    rows = []
    for rank, item in enumerate(ranked, start=1):
        row = training.get(item)
        rows.append(
            PlanRow(
                rank=rank,
                item=item,
                title=row.title if row else titles.get(item, item),
                severity=row.severity if row else "",
                failed=row.count if row else Figure(0, 0),
                common=common.get(item, 0),
                individual=individual.get(item, 0),
                agents=tuple(sorted(agents.get(item, set()))),
                needs=row.needs if row else (),
                notes=tuple(notes.get(item, [])),
                auto_rate=rates.get(item, Figure(None, None)),
            )
        )
    reviewed = within(sample_records_of(user), "contact__started_at", period, period).count()
    return TrainingPlan(period, previous, scope_label(user) if user else "", rows, reviewed)


def _auto_item_rates(user: User | None, period: Period, previous: Period) -> dict[str, Figure]:
    """Each item's automatic failure rate (contacts whose current score failed it ÷ scored
    contacts) in `period` and `previous`."""
    scored: dict[str | None, int] = defaultdict(int)
    fails: dict[str, dict[str | None, int]] = defaultdict(lambda: defaultdict(int))
    for key, n, item_fails in _item_fail_counts(user, period, previous):
        scored[key] += n
        for item, count in item_fails.items():
            fails[item][key] += count

    def rate(item: str, key: str) -> float | None:
        return fails[item][key] / scored[key] if scored.get(key) else None

    return {item: Figure(rate(item, period.key), rate(item, previous.key)) for item in fails}


def _item_fail_counts(
    user: User | None, period: Period, previous: Period
) -> Iterator[tuple[str | None, int, Mapping[str, int]]]:
    """(period key, scored contacts, failures per item) in parts that add up: daily tallies
    once they are built, else one part per period and item counted over the contacts."""
    tz = timezone.get_current_timezone()
    kind = period.kind
    if tallies_ready():
        parts = tallies_of(user, previous, period).values_list("day", "auto_scored", "item_fails")
        for day, scored, item_fails in parts:
            yield period_key(day, kind), scored, item_fails
        return
    contacts = within(contacts_of(user), "started_at", previous, period)
    for row in (
        contacts.filter(current_score__isnull=False)
        .annotate(bucket=Trunc("started_at", kind.value, tzinfo=tz))
        .values("bucket")
        .annotate(n=Count("id"))
        .order_by()
    ):
        yield period_key(row["bucket"], kind), row["n"], {}
    for row in (
        ItemFailure.objects.filter(score__current_for__in=contacts)
        .annotate(bucket=Trunc("score__current_for__started_at", kind.value, tzinfo=tz))
        .values("bucket", "item")
        .annotate(n=Count("id"))
        .order_by()
    ):
        yield period_key(row["bucket"], kind), 0, {row["item"]: row["n"]}
