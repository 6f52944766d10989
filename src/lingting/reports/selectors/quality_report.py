"""The figures of the quality reports (seed 002 §七), aggregated in SQL.

Seed 002 §七: "所有的报告都是基于每日监听明细汇总分析出来的" — every report is a summary of the
monitoring records, set against the automatic QA of every contact:

- **Volume** (联络量): contacts that started in the period; each is auto-QA'd, so the auto
  pass rate covers all of them.
- **Monitored** (监听量): sample reviews (human monitoring records, not calibration
  practice) of those contacts. A review counts in the period of the contact it reviewed,
  so the monitored share and both pass rates describe the same contacts.
- Per ACD group (queue), A/B/C issue counts, fatal errors, common vs individual issues
  (Finding.scope) with examples, cases filed in the period, training suggestions by item
  (培训意见ABC项), each agent's issues (个人提高ABC项), every figure beside the previous
  period's, and a forecast of the next period (engine.forecast).

Every query groups in the database (GROUP BY period bucket and queue, conditional counts):
nothing loops over contacts in Python, so a month of 1 M contacts stays well under 2 s on
PostgreSQL (benchmarks/monthly_report.py)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from django.db import transaction
from django.db.models import Count, Q, Sum
from django.db.models.functions import Trunc
from django.utils import timezone

from lingting.core.models import User
from lingting.core.personal_numbers import text_shown_to
from lingting.core.planner import planner_settings
from lingting.documents.figures import Figure
from lingting.documents.periods import Period, PeriodKind
from lingting.engine.forecast import Forecast, forecast_next
from lingting.interactions.models import Queue
from lingting.performance.selectors import tallies_ready
from lingting.quality.models import (
    AssignmentKind,
    Finding,
    FindingScope,
    ReviewedItem,
)
from lingting.quality.selectors.quotes import quote_shown_to
from lingting.quality.selectors.score_of_record import with_score_of_record
from lingting.reports.permissions import report_scope
from lingting.reports.selectors.cases import case_rows, cases_count
from lingting.reports.selectors.meaning import meaning_report
from lingting.reports.selectors.rows import (
    AgentRow,
    Example,
    IssueRow,
    Pair,
    QualityReport,
    QueueRow,
    Totals,
    TrainingRow,
    TrendPoint,
)
from lingting.reports.selectors.scope import (
    TALLIED_COUNTS,
    contacts_of,
    item_titles_of,
    period_key,
    sample_records_of,
    scope_label,
    tallies_of,
    within,
)

HISTORY = {PeriodKind.MONTH: 12, PeriodKind.WEEK: 12, PeriodKind.DAY: 14}  # trend length


EXAMPLES_PER_SCOPE = 5


NEEDS_PER_ITEM = 3


TOP_AGENTS = 20


def _auto_counts() -> dict[str, Any]:
    return {
        "volume": Count("id"),
        "scored": Count("current_score"),
        "auto_passed": Count("id", filter=Q(current_score__passed=True)),
        "auto_fatal": Count("id", filter=Q(current_score__fatal=True)),
        "auto_a": Sum("current_score__severity_a"),
        "auto_b": Sum("current_score__severity_b"),
        "auto_c": Sum("current_score__severity_c"),
        "auto_score_sum": Sum("current_score__score"),
        "record_scored": Count("record_score"),
        "record_score_sum": Sum("record_score"),
    }


def _auto_rows(
    user: User | None, first: Period, last: Period, by: str
) -> Iterable[Mapping[str, Any]]:
    """`_auto_counts` per period bucket and `by` ("queue", "agent"): added up from the daily
    tallies once they are built (a year of a big center's contacts is a few hundred thousand
    tally rows, not tens of millions of contacts), else counted over the contacts."""
    kind = last.kind
    if tallies_ready():
        tallied: Iterable[Mapping[str, Any]] = (
            tallies_of(user, first, last)
            .annotate(bucket=Trunc("day", kind.value))
            .values("bucket", by)
            .annotate(**{name: Sum(column) for name, column in TALLIED_COUNTS.items()})
            .order_by()
        )
        return tallied
    counted: Iterable[Mapping[str, Any]] = (
        with_score_of_record(within(contacts_of(user), "started_at", first, last))
        .annotate(bucket=Trunc("started_at", kind.value, tzinfo=timezone.get_current_timezone()))
        .values("bucket", by)
        .annotate(**_auto_counts())
        .order_by()
    )
    return counted


def _review_counts() -> dict[str, Any]:
    return {
        "reviewed": Count("id"),
        "reviewed_passed": Count("id", filter=Q(passed=True)),
        "reviewed_fatal": Count("id", filter=Q(fatal=True)),
        "reviewed_a": Sum("severity_a"),
        "reviewed_b": Sum("severity_b"),
        "reviewed_c": Sum("severity_c"),
        "reviewed_score_sum": Sum("score"),
    }


def _totals_of(row: Mapping[str, Any]) -> Totals:
    totals = Totals()
    for name in Totals.__slots__:
        if name in row:
            kind = float if name.endswith("_sum") else int
            setattr(totals, name, kind(row[name] or 0))
    return totals


def _grouped_totals(
    user: User | None, first: Period, last: Period, by: str
) -> dict[tuple[str | None, Any], Totals]:
    """Totals per (period key, `by`) from the contacts and the sample reviews, where `by`
    is a contact field ("queue", "agent")."""
    kind = last.kind
    tz = timezone.get_current_timezone()
    grouped: dict[tuple[str | None, Any], Totals] = defaultdict(Totals)
    for row in _auto_rows(user, first, last, by):
        grouped[(period_key(row["bucket"], kind), row[by])].add(_totals_of(row))
    reviews = (
        within(sample_records_of(user), "contact__started_at", first, last)
        .annotate(bucket=Trunc("contact__started_at", kind.value, tzinfo=tz))
        .values("bucket", f"contact__{by}")
        .annotate(**_review_counts())
        .order_by()
    )
    for row in reviews:
        grouped[(period_key(row["bucket"], kind), row[f"contact__{by}"])].add(_totals_of(row))
    return grouped


def _by_period(grouped: Mapping[tuple[str | None, Any], Totals]) -> dict[str | None, Totals]:
    totals: dict[str | None, Totals] = defaultdict(Totals)
    for (key, _group), row in grouped.items():
        totals[key].add(row)
    return totals


def _queues(
    grouped: Mapping[tuple[str | None, Any], Totals], period: Period, previous: Period
) -> list[QueueRow]:
    ids = {queue for key, queue in grouped if key == period.key}
    names = {q.pk: q for q in Queue.objects.filter(pk__in=[i for i in ids if i is not None])}
    rows = []
    for queue_id in ids:
        queue = names.get(queue_id)
        rows.append(
            QueueRow(
                code=queue.code if queue else "",
                name=str(queue) if queue else "",
                totals=Pair(
                    grouped.get((period.key, queue_id), Totals()),
                    grouped.get((previous.key, queue_id), Totals()),
                ),
            )
        )
    rows.sort(key=lambda r: (r.code == "", r.code))
    return rows


def _agents(user: User | None, period: Period, previous: Period) -> list[AgentRow]:
    kind = period.kind
    tz = timezone.get_current_timezone()
    rows = (
        within(sample_records_of(user), "contact__started_at", previous, period)
        .annotate(bucket=Trunc("contact__started_at", kind.value, tzinfo=tz))
        .values(
            "bucket", "contact__agent__code", "contact__agent__name", "contact__agent__team__name"
        )
        .annotate(**_review_counts())
        .order_by()
    )
    current: dict[tuple[str, str, str], Totals] = defaultdict(Totals)
    before: dict[tuple[str, str, str], Totals] = defaultdict(Totals)
    for row in rows:
        who = (
            row["contact__agent__code"] or "",
            row["contact__agent__name"] or "",
            row["contact__agent__team__name"] or "",
        )
        target = current if period_key(row["bucket"], kind) == period.key else before
        target[who].add(_totals_of(row))
    agents = [
        AgentRow(code, name, team, Pair(totals, before.get((code, name, team), Totals())))
        for (code, name, team), totals in current.items()
    ]
    # Most issues first (A weighs most), then the lowest pass rate: who needs help most.
    agents.sort(
        key=lambda a: (
            -(a.totals.current.reviewed_a * 100 + a.totals.current.reviewed_b * 10)
            - a.totals.current.reviewed_c,
            a.totals.current.reviewed_pass_rate or 0,
            a.code,
        )
    )
    return agents[:TOP_AGENTS]


def issue_rows(user: User | None, period: Period, previous: Period) -> list[IssueRow]:
    kind = period.kind
    tz = timezone.get_current_timezone()
    findings = within(
        Finding.objects.filter(evaluation__kind=AssignmentKind.SAMPLE).filter(
            report_scope(user, via="evaluation__contact") if user else Q()
        ),
        "evaluation__contact__started_at",
        previous,
        period,
    )
    rows = (
        findings.annotate(bucket=Trunc("evaluation__contact__started_at", kind.value, tzinfo=tz))
        .values("bucket", "scope", "item")
        .annotate(n=Count("id"), agents=Count("evaluation__contact__agent", distinct=True))
        .order_by()
    )
    counts: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0, 0])
    for row in rows:
        slot = counts[(row["scope"], row["item"])]
        if period_key(row["bucket"], kind) == period.key:
            slot[0] += row["n"]
            slot[2] += row["agents"]
        else:
            slot[1] += row["n"]
    titles = item_titles_of(item for _scope, item in counts)
    issues = [
        IssueRow(scope, item, titles.get(item, item), Figure(now, before), agents)
        for (scope, item), (now, before, agents) in counts.items()
    ]
    issues.sort(key=lambda r: (r.scope != FindingScope.COMMON, -(r.count.value or 0), r.item))
    return issues


def _examples(
    user: User | None, period: Period, mask: Callable[[str], str], titles: Mapping[str, str]
) -> list[Example]:
    examples = []
    for scope in (FindingScope.COMMON, FindingScope.INDIVIDUAL):
        findings = (
            within(
                Finding.objects.filter(evaluation__kind=AssignmentKind.SAMPLE, scope=scope).filter(
                    report_scope(user, via="evaluation__contact") if user else Q()
                ),
                "evaluation__contact__started_at",
                period,
                period,
            )
            .select_related("evaluation__contact__agent", "evaluation__contact__queue")
            .order_by("-evaluation__submitted_at", "-id")[:EXAMPLES_PER_SCOPE]
        )
        for finding in findings:
            contact = finding.evaluation.contact
            examples.append(
                Example(
                    scope=scope,
                    title=titles.get(finding.item, finding.item),
                    quote=quote_shown_to(finding, user),
                    note=mask(finding.note),
                    agent=str(contact.agent) if contact.agent else "",
                    queue=str(contact.queue) if contact.queue else "",
                    contact_id=contact.pk,
                    external_id=contact.external_id,
                )
            )
    return examples


def training_rows(
    user: User | None, period: Period, previous: Period, mask: Callable[[str], str]
) -> list[TrainingRow]:
    kind = period.kind
    tz = timezone.get_current_timezone()
    failed = within(
        ReviewedItem.objects.filter(evaluation__kind=AssignmentKind.SAMPLE, result="fail").filter(
            report_scope(user, via="evaluation__contact") if user else Q()
        ),
        "evaluation__contact__started_at",
        previous,
        period,
    )
    rows = (
        failed.annotate(bucket=Trunc("evaluation__contact__started_at", kind.value, tzinfo=tz))
        .values("bucket", "item", "title", "severity")
        .annotate(n=Count("id"), agents=Count("evaluation__contact__agent", distinct=True))
        .order_by()
    )
    counts: dict[str, list[Any]] = {}
    for row in rows:
        slot = counts.setdefault(row["item"], [row["title"], row["severity"], 0, 0, 0])
        if period_key(row["bucket"], kind) == period.key:
            slot[2] += row["n"]
            slot[4] += row["agents"]
        else:
            slot[3] += row["n"]
    needs: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for row in (
        within(failed, "evaluation__contact__started_at", period, period)
        .exclude(evaluation__training_need="")
        .values("item", "evaluation__training_need")
        .annotate(n=Count("id"))
        .order_by("item", "-n", "evaluation__training_need")
    ):
        if len(needs[row["item"]]) < NEEDS_PER_ITEM:
            needs[row["item"]].append((mask(row["evaluation__training_need"]), row["n"]))
    training = [
        TrainingRow(item, title, severity or "", Figure(now, before), agents, tuple(needs[item]))
        for item, (title, severity, now, before, agents) in counts.items()
        if now or before
    ]
    training.sort(key=lambda r: (r.severity or "Z", -(r.count.value or 0), r.item))
    return training


def _trend(by_period: Mapping[str | None, Totals], first: Period, last: Period) -> list[TrendPoint]:
    """Every period from the first with contacts to `last` (empty periods inside kept)."""
    points: list[TrendPoint] = []
    period = first
    while period.start <= last.start:
        totals = by_period.get(period.key)
        if (totals is not None and totals.volume) or points:
            points.append(TrendPoint(period, totals or Totals()))
        period = period.next()
    return points


def _forecasts(trend: list[TrendPoint]) -> dict[str, Forecast]:
    def series(name: str) -> list[float]:
        values = [getattr(p.totals, name) for p in trend]
        return [float(v) for v in values if v is not None]

    return {
        "volume": forecast_next(series("volume"), lower=0),
        "auto_pass_rate": forecast_next(series("auto_pass_rate"), lower=0, upper=1),
        "reviewed_pass_rate": forecast_next(series("reviewed_pass_rate"), lower=0, upper=1),
    }


def quality_report(*, user: User | None, period: Period) -> QualityReport:
    """The weekly or monthly quality report of `period`, over the contacts `user` may
    report on (None: the whole center, for the scheduled archive), personal numbers masked
    unless `user` may see them."""
    # Enough memory to group a month of contacts without spilling to disk, and the cost of a
    # random read on SSD storage, so the small review tables are joined to their contacts by
    # primary key instead of by scanning the month's 1 M contacts
    # (benchmarks/monthly_report.py: 2.4 s → 1.5 s).
    with transaction.atomic(), planner_settings(work_mem="64MB", random_page_cost="1.1"):
        return _quality_report(user, period)


def _quality_report(user: User | None, period: Period) -> QualityReport:
    previous = period.previous()
    first = period.previous(HISTORY[period.kind] - 1)
    mask = text_shown_to(user)
    grouped = _grouped_totals(user, first, period, "queue")
    by_period = _by_period(grouped)
    trend = _trend(by_period, first, period)
    issues = issue_rows(user, period, previous)
    return QualityReport(
        period=period,
        previous=previous,
        scope_label=scope_label(user) if user else "",
        totals=Pair(by_period.get(period.key, Totals()), by_period.get(previous.key, Totals())),
        queues=_queues(grouped, period, previous),
        issues=issues,
        # The issues count every finding of the period: their items' titles serve.
        examples=_examples(user, period, mask, {row.item: row.title for row in issues}),
        training=training_rows(user, period, previous, mask),
        agents=_agents(user, period, previous),
        cases=case_rows(user, period, mask),
        cases_previous=cases_count(user, previous),
        trend=trend,
        forecasts=_forecasts(trend),
        meaning=meaning_report(user=user, period=period),
    )
