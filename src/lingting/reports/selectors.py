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
PostgreSQL (benchmarks/monthly_report.py).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.db import connection, transaction
from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import Trunc
from django.utils import timezone

from lingting.core.models import Team, User
from lingting.core.permissions import may_read_qa_reports, report_scope
from lingting.core.personal_numbers import text_shown_to
from lingting.documents.figures import Figure
from lingting.documents.periods import Period, PeriodKind, period_containing
from lingting.engine.forecast import Forecast, forecast_next
from lingting.interactions.models import Contact, Queue
from lingting.performance.models import DailyTally
from lingting.performance.selectors import tallies_ready
from lingting.quality.models import (
    AssignmentKind,
    Case,
    Evaluation,
    Finding,
    FindingScope,
    ItemFailure,
    ReviewedItem,
)
from lingting.quality.selectors.quotes import quote_shown_to
from lingting.quality.selectors.score_of_record import with_score_of_record
from lingting.quality.selectors.scorecards import item_titles

HISTORY = {PeriodKind.MONTH: 12, PeriodKind.WEEK: 12, PeriodKind.DAY: 14}  # trend length
EXAMPLES_PER_SCOPE = 5
NEEDS_PER_ITEM = 3
TOP_AGENTS = 20


# --- building blocks --------------------------------------------------------------------


# Which way each figure should move: the report colours a change green or red by it
# (more contacts or more monitoring is neither).
BETTER = {
    "auto_pass_rate": 1,
    "auto_average": 1,
    "record_average": 1,
    "reviewed_pass_rate": 1,
    "reviewed_average": 1,
    **dict.fromkeys(("auto_fatal", "auto_a", "auto_b", "auto_c"), -1),
    **dict.fromkeys(("reviewed_fatal", "reviewed_a", "reviewed_b", "reviewed_c"), -1),
}


@dataclass(slots=True)
class Totals:
    """Counts of one period (and queue or agent): automatic QA and human monitoring."""

    volume: int = 0
    scored: int = 0
    auto_passed: int = 0
    auto_fatal: int = 0
    auto_a: int = 0
    auto_b: int = 0
    auto_c: int = 0
    auto_score_sum: float = 0.0
    reviewed: int = 0
    reviewed_passed: int = 0
    reviewed_fatal: int = 0
    reviewed_a: int = 0
    reviewed_b: int = 0
    reviewed_c: int = 0
    reviewed_score_sum: float = 0.0
    # The score of record: reviewed where a person reviewed the contact, else the machine's.
    record_scored: int = 0
    record_score_sum: float = 0.0

    def add(self, other: Totals) -> None:
        for name in self.__slots__:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    @property
    def auto_pass_rate(self) -> float | None:
        return self.auto_passed / self.scored if self.scored else None

    @property
    def auto_average(self) -> float | None:
        return self.auto_score_sum / self.scored if self.scored else None

    @property
    def record_average(self) -> float | None:
        return self.record_score_sum / self.record_scored if self.record_scored else None

    @property
    def reviewed_pass_rate(self) -> float | None:
        return self.reviewed_passed / self.reviewed if self.reviewed else None

    @property
    def reviewed_average(self) -> float | None:
        return self.reviewed_score_sum / self.reviewed if self.reviewed else None

    @property
    def monitored_share(self) -> float | None:
        return self.reviewed / self.volume if self.volume else None


@dataclass(frozen=True, slots=True)
class Pair:
    """A thing measured in this period and the previous one."""

    current: Totals
    previous: Totals

    def figure(self, name: str) -> Figure:
        return Figure(
            getattr(self.current, name), getattr(self.previous, name), BETTER.get(name, 0)
        )


@dataclass(frozen=True, slots=True)
class QueueRow:
    code: str
    name: str
    totals: Pair


@dataclass(frozen=True, slots=True)
class AgentRow:
    code: str
    name: str
    team: str
    totals: Pair


@dataclass(frozen=True, slots=True)
class IssueRow:
    """Findings about one item (or about the contact as a whole), of one scope."""

    scope: str
    item: str
    title: str
    count: Figure
    agents: int


@dataclass(frozen=True, slots=True)
class Example:
    scope: str
    title: str
    quote: str
    note: str
    agent: str
    queue: str
    contact_id: int
    external_id: str


@dataclass(frozen=True, slots=True)
class TrainingRow:
    """A failed item of the monitoring records (培训意见ABC项) and what reviewers asked for."""

    item: str
    title: str
    severity: str
    count: Figure
    agents: int
    needs: tuple[tuple[str, int], ...]  # (training need, how many records raised it)


@dataclass(frozen=True, slots=True)
class CaseFinding:
    scope: str
    quote: str
    note: str


@dataclass(frozen=True, slots=True)
class CaseRow:
    case_id: int
    kind: str
    kind_label: str
    title: str
    note: str
    shared: bool
    created_at: datetime
    agent: str
    queue: str
    contact_id: int
    external_id: str
    score: float | None
    passed: bool | None
    summary: str
    findings: tuple[CaseFinding, ...]


@dataclass(frozen=True, slots=True)
class TrendPoint:
    period: Period
    totals: Totals


@dataclass(frozen=True, slots=True)
class QualityReport:
    period: Period
    previous: Period
    scope_label: str
    totals: Pair
    queues: list[QueueRow]
    issues: list[IssueRow]
    examples: list[Example]
    training: list[TrainingRow]
    agents: list[AgentRow]
    cases: list[CaseRow]
    cases_previous: int
    trend: list[TrendPoint]
    forecasts: dict[str, Forecast] = field(default_factory=dict)

    def issue_figure(self, scope: str) -> Figure:
        rows = [row for row in self.issues if row.scope == scope]
        return Figure(
            sum(row.count.value or 0 for row in rows),
            sum(row.count.previous or 0 for row in rows),
            better=-1,
        )


# --- scope and masking ------------------------------------------------------------------


def scope_label(user: User) -> str:
    """全中心 for the center-wide reader, the team names for a team leader."""
    if may_read_qa_reports(user):
        return ""
    return "、".join(
        Team.objects.filter(leader=user).order_by("code").values_list("name", flat=True)
    )


def _contacts(user: User | None) -> QuerySet[Contact]:
    return Contact.objects.filter(report_scope(user)) if user else Contact.objects.all()


def _evaluations(user: User | None) -> QuerySet[Evaluation]:
    samples = Evaluation.objects.filter(kind=AssignmentKind.SAMPLE)
    return samples.filter(report_scope(user, via="contact")) if user else samples


def _in(rows: QuerySet[Any], path: str, start: Period, end: Period) -> QuerySet[Any]:
    tz = timezone.get_current_timezone()
    low, _ = start.bounds(tz)
    _, high = end.bounds(tz)
    return rows.filter(**{f"{path}__gte": low, f"{path}__lt": high})


def _bucket(value: datetime | date | None, kind: PeriodKind) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return period_containing(kind, value).key


def _int(value: Any) -> int:
    return int(value or 0)


# --- the figures ------------------------------------------------------------------------


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


# The same counts added up from the daily tallies (performance.tallies), by column.
_TALLIED_COUNTS = {
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


def _tallies_in(user: User | None, first: Period, last: Period) -> QuerySet[DailyTally]:
    """The daily tallies of the contacts `user`'s reports cover, started from `first` to
    `last` (periods)."""
    tz = timezone.get_current_timezone()
    low, high = first.bounds(tz)[0], last.bounds(tz)[1]
    return DailyTally.objects.filter(
        report_scope(user) if user else Q(),
        day__gte=timezone.localtime(low).date(),
        day__lt=timezone.localtime(high).date(),
    )


def _auto_rows(
    user: User | None, first: Period, last: Period, by: str
) -> Iterable[Mapping[str, Any]]:
    """`_auto_counts` per period bucket and `by` ("queue", "agent"): added up from the daily
    tallies once they are built (a year of a big center's contacts is a few hundred thousand
    tally rows, not tens of millions of contacts), else counted over the contacts."""
    kind = last.kind
    if tallies_ready():
        tallied: Iterable[Mapping[str, Any]] = (
            _tallies_in(user, first, last)
            .annotate(bucket=Trunc("day", kind.value))
            .values("bucket", by)
            .annotate(**{name: Sum(column) for name, column in _TALLIED_COUNTS.items()})
            .order_by()
        )
        return tallied
    counted: Iterable[Mapping[str, Any]] = (
        with_score_of_record(_in(_contacts(user), "started_at", first, last))
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
        grouped[(_bucket(row["bucket"], kind), row[by])].add(_totals_of(row))
    reviews = (
        _in(_evaluations(user), "contact__started_at", first, last)
        .annotate(bucket=Trunc("contact__started_at", kind.value, tzinfo=tz))
        .values("bucket", f"contact__{by}")
        .annotate(**_review_counts())
        .order_by()
    )
    for row in reviews:
        grouped[(_bucket(row["bucket"], kind), row[f"contact__{by}"])].add(_totals_of(row))
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
        _in(_evaluations(user), "contact__started_at", previous, period)
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
        target = current if _bucket(row["bucket"], kind) == period.key else before
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


def _item_titles(items: Iterable[str]) -> dict[str, str]:
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


def _issues(user: User | None, period: Period, previous: Period) -> list[IssueRow]:
    kind = period.kind
    tz = timezone.get_current_timezone()
    findings = _in(
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
        if _bucket(row["bucket"], kind) == period.key:
            slot[0] += row["n"]
            slot[2] += row["agents"]
        else:
            slot[1] += row["n"]
    titles = _item_titles(item for _scope, item in counts)
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
            _in(
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


def _training(
    user: User | None, period: Period, previous: Period, mask: Callable[[str], str]
) -> list[TrainingRow]:
    kind = period.kind
    tz = timezone.get_current_timezone()
    failed = _in(
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
        if _bucket(row["bucket"], kind) == period.key:
            slot[2] += row["n"]
            slot[4] += row["agents"]
        else:
            slot[3] += row["n"]
    needs: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for row in (
        _in(failed, "evaluation__contact__started_at", period, period)
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


def _period_cases(user: User | None, period: Period) -> QuerySet[Case]:
    """The cases about the period's contacts (by when the call was, like the reviews: a case
    filed on the 2nd about a call of the 30th belongs to the month of the call)."""
    low, high = period.bounds(timezone.get_current_timezone())
    cases = Case.objects.filter(contact__started_at__gte=low, contact__started_at__lt=high)
    if user is not None:
        cases = cases.filter(report_scope(user, via="contact"))
    return cases


def _cases(user: User | None, period: Period, mask: Callable[[str], str]) -> list[CaseRow]:
    cases = _period_cases(user, period).select_related("contact__agent", "contact__queue")
    cases = cases.order_by("created_at", "id")
    listed = list(cases)
    records: dict[int, Evaluation] = {}
    for evaluation in (
        Evaluation.objects.filter(
            kind=AssignmentKind.SAMPLE, contact__in=[c.contact_id for c in listed]
        )
        .prefetch_related("findings")
        .order_by("submitted_at")
    ):
        records[evaluation.contact_id] = evaluation  # the latest record of the contact
    rows = []
    for case in listed:
        record = records.get(case.contact_id)
        contact = case.contact
        rows.append(
            CaseRow(
                case_id=case.pk,
                kind=case.kind,
                kind_label=str(case.get_kind_display()),
                title=case.title,
                note=mask(case.note),
                shared=case.shared,
                created_at=case.created_at,
                agent=str(contact.agent) if contact.agent else "",
                queue=str(contact.queue) if contact.queue else "",
                contact_id=contact.pk,
                external_id=contact.external_id,
                score=record.score if record else None,
                passed=record.passed if record else None,
                summary=mask(record.summary) if record else "",
                findings=tuple(
                    CaseFinding(f.scope, quote_shown_to(f, user), mask(f.note))
                    for f in (record.findings.all() if record else [])
                ),
            )
        )
    return rows


def _cases_count(user: User | None, period: Period) -> int:
    return _period_cases(user, period).count()


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
    with transaction.atomic(), _planner_settings():
        return _quality_report(user, period)


@contextmanager
def _planner_settings() -> Iterator[None]:
    """On PostgreSQL, for this transaction only: enough memory to group a month of contacts
    without spilling to disk, and the cost of a random read on SSD storage, so the small
    review tables are joined to their contacts by primary key instead of by scanning the
    month's 1 M contacts (benchmarks/monthly_report.py: 2.4 s → 1.5 s)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL work_mem = '64MB'")
            cursor.execute("SET LOCAL random_page_cost = 1.1")
    yield


def _quality_report(user: User | None, period: Period) -> QualityReport:
    previous = period.previous()
    first = period.previous(HISTORY[period.kind] - 1)
    mask = text_shown_to(user)
    grouped = _grouped_totals(user, first, period, "queue")
    by_period = _by_period(grouped)
    trend = _trend(by_period, first, period)
    issues = _issues(user, period, previous)
    return QualityReport(
        period=period,
        previous=previous,
        scope_label=scope_label(user) if user else "",
        totals=Pair(by_period.get(period.key, Totals()), by_period.get(previous.key, Totals())),
        queues=_queues(grouped, period, previous),
        issues=issues,
        # The issues count every finding of the period: their items' titles serve.
        examples=_examples(user, period, mask, {row.item: row.title for row in issues}),
        training=_training(user, period, previous, mask),
        agents=_agents(user, period, previous),
        cases=_cases(user, period, mask),
        cases_previous=_cases_count(user, previous),
        trend=trend,
        forecasts=_forecasts(trend),
    )


# --- the daily monitoring detail (每日监听明细) --------------------------------------------


@dataclass(frozen=True, slots=True)
class DetailFinding:
    scope: str
    item: str
    quote: str
    note: str


@dataclass(frozen=True, slots=True)
class DetailRow:
    evaluation_id: int
    contact_id: int
    external_id: str
    started_at: datetime | None
    reviewer: str
    agent: str
    team: str
    queue: str
    score: float
    passed: bool
    fatal: bool
    severity_a: int
    severity_b: int
    severity_c: int
    failed_items: tuple[str, ...]
    findings: tuple[DetailFinding, ...]
    summary: str
    coaching_note: str
    training_need: str


def daily_detail(
    *, user: User | None, day: Period, queue_id: int | None = None, team_id: int | None = None
) -> list[DetailRow]:
    """Every contact of `day` a reviewer monitored (sample reviews), with its findings."""
    mask = text_shown_to(user)
    records = _in(_evaluations(user), "contact__started_at", day, day)
    if queue_id:
        records = records.filter(contact__queue_id=queue_id)
    if team_id:
        records = records.filter(contact__agent__team_id=team_id)
    records = (
        records.select_related("reviewer", "contact__agent__team", "contact__queue")
        .prefetch_related("findings", "items")
        .order_by("contact__started_at", "id")
    )
    rows = []
    for record in records:
        contact = record.contact
        agent = contact.agent
        titles = {i.item: i.title for i in record.items.all()}
        rows.append(
            DetailRow(
                evaluation_id=record.pk,
                contact_id=contact.pk,
                external_id=contact.external_id,
                started_at=contact.started_at,
                reviewer=record.reviewer.display_name,
                agent=str(agent) if agent else "",
                team=agent.team.name if agent and agent.team else "",
                queue=str(contact.queue) if contact.queue else "",
                score=record.score,
                passed=record.passed,
                fatal=record.fatal,
                severity_a=record.severity_a,
                severity_b=record.severity_b,
                severity_c=record.severity_c,
                failed_items=tuple(
                    f"{i.title}({i.severity})" if i.severity else i.title
                    for i in record.items.all()
                    if i.result == "fail"
                ),
                findings=tuple(
                    DetailFinding(
                        f.scope, titles.get(f.item, f.item), quote_shown_to(f, user), mask(f.note)
                    )
                    for f in record.findings.all()
                ),
                summary=mask(record.summary),
                coaching_note=mask(record.coaching_note),
                training_need=mask(record.training_need),
            )
        )
    return rows


# --- the phase training plan (阶段培训计划) and case analysis (案例分析) ---------------------


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
    training = {row.item: row for row in _training(user, period, previous, mask)}
    issues = _issues(user, period, previous)
    common = {r.item: int(r.count.value or 0) for r in issues if r.scope == FindingScope.COMMON}
    individual = {
        r.item: int(r.count.value or 0) for r in issues if r.scope == FindingScope.INDIVIDUAL
    }
    scoped = report_scope(user, via="evaluation__contact") if user else Q()
    agents: dict[str, set[str]] = defaultdict(set)
    for item, code, name in (
        _in(
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
        _in(
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
    titles = _item_titles(items)
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
    reviewed = _in(_evaluations(user), "contact__started_at", period, period).count()
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
        parts = _tallies_in(user, previous, period).values_list("day", "auto_scored", "item_fails")
        for day, scored, item_fails in parts:
            yield _bucket(day, kind), scored, item_fails
        return
    contacts = _in(_contacts(user), "started_at", previous, period)
    for row in (
        contacts.filter(current_score__isnull=False)
        .annotate(bucket=Trunc("started_at", kind.value, tzinfo=tz))
        .values("bucket")
        .annotate(n=Count("id"))
        .order_by()
    ):
        yield _bucket(row["bucket"], kind), row["n"], {}
    for row in (
        ItemFailure.objects.filter(score__current_for__in=contacts)
        .annotate(bucket=Trunc("score__current_for__started_at", kind.value, tzinfo=tz))
        .values("bucket", "item")
        .annotate(n=Count("id"))
        .order_by()
    ):
        yield _bucket(row["bucket"], kind), 0, {row["item"]: row["n"]}


def case_analysis(*, user: User | None, period: Period) -> list[CaseRow]:
    """The cases about `period`'s contacts with the findings and notes of their monitoring record
    (002 §一.6: "汇总、整理、编写案例分析")."""
    return _cases(user, period, text_shown_to(user))
