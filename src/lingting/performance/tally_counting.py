"""Counting contacts into daily tally rows (`DailyTally`), one local start date at a time.

The KPI sums are the engine's own (a `KpiAccumulator` per day: the same `KpiSums` a file's
figures come from); the quality sums add each contact's score of record, its current
automatic score (the items it judged, picked in the database by `_EvaluatedItems`) and its
sample review; the meaning counts are quality's `MeaningTotals`, each contact's meaning read
in the same query. When and what to count again is `performance.tallies`.
"""

from __future__ import annotations

from collections import defaultdict
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import date, datetime, tzinfo
from typing import Any

import orjson
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Func, QuerySet, TextField
from django.db.models.sql.compiler import SQLCompiler
from django.utils import timezone

from lingting.core.planner import planner_settings
from lingting.engine.kpis import SUM_FIELDS, KpiAccumulator, KpiSums
from lingting.engine.scorecard import Scorecard, ScorecardError
from lingting.engine.scorecard_yaml import builtin_scorecard, parse_scorecard
from lingting.interactions.models import Contact
from lingting.performance.models import TALLY_OPTIONS
from lingting.performance.selectors import CDR_FIELDS, cdr_contact, possible_repeats
from lingting.quality.models import AssignmentKind, Evaluation, ReviewedItem, ScorecardVersion
from lingting.quality.selectors.meaning_figures import MeaningTotals
from lingting.quality.selectors.score_of_record import with_score_of_record

TallyKey = tuple[date | None, date | None, int | None, int | None]  # a tally row's key

_TALLY_FIELDS = (
    "contacts",
    "handled",
    *SUM_FIELDS,
    "qa_scored",
    "qa_score_sum",
    "qa_passed",
    "auto_scored",
    "auto_sum",
    "auto_passed",
    "auto_fatal",
    "auto_a",
    "auto_b",
    "auto_c",
    "record_scored",
    "record_score_sum",
    "reviewed",
    "reviewed_sum",
    "scored_auto",
    "score_auto_sum",
)
_ROW_FIELDS = (
    *CDR_FIELDS,
    "pk",
    "queue_id",
    "agent_id",
    # What the customer meant (no meaning row: all None), as `MeaningTotals.count` reads it.
    "meaning__emotion_end",
    "meaning__resolved",
    "meaning__satisfaction_predicted",
    "current_score__score",
    "current_score__passed",
    "current_score__fatal",
    "current_score__severity_a",
    "current_score__severity_b",
    "current_score__severity_c",
    "current_score__version_id",
    "evaluated_items",  # the current score's items judged pass or fail (`_EvaluatedItems`)
)


def local_date(moment: datetime | None, tz: tzinfo) -> date | None:
    # The zone is passed in: timezone.localtime looks the current one up on every call.
    return None if moment is None else moment.astimezone(tz).date()


@dataclass(slots=True)
class TallyRow:
    """One tally row being counted: the KPI engine's sums and the rest."""

    kpi: KpiSums
    values: dict[str, float]
    meaning: MeaningTotals = field(default_factory=MeaningTotals)
    sections: dict[str, list[float]] = field(default_factory=dict)
    item_fails: dict[str, int] = field(default_factory=dict)
    latest: datetime | None = None
    fcr_open: list[float] = field(default_factory=list)  # KpiAccumulator.pending_moments


def _index_lookups() -> AbstractContextManager[None]:
    """PostgreSQL: look a day's contacts' scores, customers and reviews up by index. The
    planner otherwise hashes the whole score and customer tables for each day (a million
    rows each, 180 times over a rebuild); and plans the cursors for reading every row, not
    the first tenth (its default for a cursor), which walked the customers' repeats in
    moment order."""
    return planner_settings(
        enable_hashjoin="off", enable_mergejoin="off", cursor_tuple_fraction="1"
    )


def count_contacts(contacts: QuerySet[Contact]) -> dict[TallyKey, TallyRow]:
    """The tally rows of these contacts (one local start date's), counted by the engine."""
    with _index_lookups():
        return _count_by_engine(contacts)


def _count_by_engine(contacts: QuerySet[Contact]) -> dict[TallyKey, TallyRow]:
    tz = timezone.get_current_timezone()
    accumulator = KpiAccumulator(
        by=("day", "queue", "agent"), options=TALLY_OPTIONS, tz=tz, extra=True
    )
    rows: dict[TallyKey, TallyRow] = {}
    engine_keys: dict[tuple[Any, ...], TallyKey] = {}
    reviews = _sample_reviews(contacts)
    sections = _ItemSections()
    customer_moments: list[datetime] = []  # where the customers' repeats can start
    for values in (
        with_score_of_record(contacts)
        .annotate(evaluated_items=_EvaluatedItems("current_score__items"))
        .order_by()
        .values_list(*_ROW_FIELDS)
        .iterator(chunk_size=5000)
    ):
        contact = cdr_contact(values)
        record_score, record_passed = values[len(CDR_FIELDS) - 2 : len(CDR_FIELDS)]
        pk, queue_id, agent_id, end, resolved, satisfaction, *score = values[len(CDR_FIELDS) :]
        moment = contact.queued_at or contact.started_at
        key = (local_date(contact.started_at, tz), local_date(moment, tz), queue_id, agent_id)
        row = rows.get(key)
        if row is None:
            row = rows[key] = TallyRow(KpiSums(), dict.fromkeys(_TALLY_FIELDS, 0))
            engine_keys[(_engine_day(moment, tz), contact.queue, contact.agent_id)] = key
        if moment is not None and (row.latest is None or moment > row.latest):
            row.latest = moment
        if moment is not None and contact.customer_id is not None:
            customer_moments.append(moment)
        tally = row.values
        tally["contacts"] += 1
        tally["handled"] += contact.disposition == "answered"
        row.meaning.count(end, resolved, satisfaction)
        if record_score is not None:
            tally["record_scored"] += 1
            tally["record_score_sum"] += record_score
        if accumulator.add(contact) and record_score is not None:
            tally["qa_scored"] += 1
            tally["qa_score_sum"] += record_score
            tally["qa_passed"] += bool(record_passed)
        machine = _MachineScore(*score) if score[0] is not None else None
        if machine is not None:
            _add_machine(row, machine)
        _add_quality(row, reviews.get(pk), machine, sections)
    if customer_moments:
        span = (min(customer_moments), max(customer_moments))
        for later in possible_repeats(contacts, fcr_days=TALLY_OPTIONS.fcr_days, span=span):
            accumulator.add_possible_repeat(later)
    for engine_key, sums in accumulator.sums(settle=False).items():
        rows[engine_keys[engine_key]].kpi = sums
    for engine_key, moments in accumulator.pending_moments().items():
        rows[engine_keys[engine_key]].fcr_open = moments
    return rows


def _engine_day(moment: datetime | None, tz: tzinfo) -> str | None:
    local = local_date(moment, tz)
    return None if local is None else local.isoformat()


@dataclass(frozen=True, slots=True)
class _Review:
    score: float
    items: list[tuple[str, float, str, float]]  # section, points, result, points lost


def _sample_reviews(contacts: QuerySet[Contact]) -> dict[int, _Review]:
    """Each reviewed contact's sample record (at most one: a database constraint)."""
    evaluations = {
        evaluation: (contact, score)
        for evaluation, contact, score in Evaluation.objects.filter(
            contact__in=contacts.values("pk"), kind=AssignmentKind.SAMPLE
        ).values_list("id", "contact_id", "score")
    }
    items: dict[int, list[tuple[str, float, str, float]]] = defaultdict(list)
    for evaluation, section, points, result, lost in ReviewedItem.objects.filter(
        evaluation_id__in=list(evaluations)
    ).values_list("evaluation_id", "section", "points", "result", "points_lost"):
        items[evaluation].append((section, points, result, lost))
    return {
        contact: _Review(score, items[evaluation])
        for evaluation, (contact, score) in evaluations.items()
    }


@dataclass(frozen=True, slots=True)
class _MachineScore:
    """A contact's current automatic score, as `_ROW_FIELDS` read it."""

    score: float
    passed: bool
    fatal: bool
    severity_a: int
    severity_b: int
    severity_c: int
    version: int
    evaluated: str | None  # `_EvaluatedItems` of its items

    def judged(self) -> list[tuple[Any, Any, Any]]:
        """(item id, failed, points lost) of each item it judged pass or fail."""
        return orjson.loads(self.evaluated) if self.evaluated else []


class _EvaluatedItems(Func):
    """A score's items judged pass or fail (not those left to a person or not applicable),
    as JSON text [[item id, failed, points lost], ...], or NULL when there are none: what the
    tallies need of the ~45 items of a score, picked in the database rather than sending
    every item's title and evidence to be read here (a tenth of the bytes)."""

    output_field = TextField()

    def as_postgresql(
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, **extra: Any
    ) -> tuple[str, tuple[Any, ...]]:
        items, params = compiler.compile(self.source_expressions[0])
        return (
            "(SELECT jsonb_agg(jsonb_build_array("
            "e -> 'item', e ->> 'result' = 'fail', e -> 'points_lost'))::text"
            f" FROM jsonb_array_elements(CASE WHEN jsonb_typeof({items}) = 'array'"
            f" THEN {items} END) AS e WHERE e ->> 'result' IN ('pass', 'fail'))",
            (*params, *params),
        )

    def as_sqlite(
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, **extra: Any
    ) -> tuple[str, tuple[Any, ...]]:
        items, params = compiler.compile(self.source_expressions[0])
        result = "json_extract(e.value, '$.result')"
        return (
            "(SELECT json_group_array(json_array(json_extract(e.value, '$.item'),"
            f" {result} = 'fail', json_extract(e.value, '$.points_lost')))"
            f" FROM json_each(CASE WHEN json_type({items}) = 'array' THEN {items} END) AS e"
            f" WHERE {result} IN ('pass', 'fail') HAVING count(*))",
            (*params, *params),
        )


def _add_machine(row: TallyRow, machine: _MachineScore) -> None:
    """The quality reports' automatic QA: the current score (its failed items: `_add_items`)."""
    tally = row.values
    tally["auto_scored"] += 1
    tally["auto_sum"] += machine.score
    tally["auto_passed"] += bool(machine.passed)
    tally["auto_fatal"] += bool(machine.fatal)
    tally["auto_a"] += machine.severity_a
    tally["auto_b"] += machine.severity_b
    tally["auto_c"] += machine.severity_c


def _add_quality(
    row: TallyRow, review: _Review | None, machine: _MachineScore | None, sections: _ItemSections
) -> None:
    """The assessment's quality sums: a reviewer's record where there is one (its reviewed
    items give the sections), else the machine's current score (its items mapped through
    their scorecard version); and the machine's failed items either way."""
    tally = row.values
    if review is not None:
        tally["reviewed"] += 1
        tally["reviewed_sum"] += review.score
        for section, points, result, lost in review.items:
            if result in ("pass", "fail"):
                _add_section(row, section, points, lost)
    if machine is None:
        return
    if review is None:
        tally["scored_auto"] += 1
        tally["score_auto_sum"] += machine.score
    _add_items(row, machine.judged(), None if review else sections.of_version(machine.version))


def _add_items(
    row: TallyRow, judged: list[tuple[Any, Any, Any]], placed: dict[str, tuple[str, float]] | None
) -> None:
    """The failed items of a machine score, and (`placed`: item → section and points) the
    points of its judged items by section. Every score passes here: one loop, no calls."""
    fails, sections = row.item_fails, row.sections
    for item, failed, points_lost in judged:
        name = str(item)
        if failed:
            fails[name] = fails.get(name, 0) + 1
        where = placed.get(name) if placed is not None else None
        if where is not None:
            sums = sections.get(where[0])
            if sums is None:
                sums = sections[where[0]] = [0.0, 0.0]
            sums[0] += where[1]
            sums[1] += float(points_lost or 0)


def _add_section(row: TallyRow, section: str, points: float, lost: float) -> None:
    sums = row.sections.setdefault(section, [0.0, 0.0])
    sums[0] += points
    sums[1] += lost


class _ItemSections:
    """Item id → (section, points) per scorecard version, read once per version."""

    def __init__(self) -> None:
        self._standard = self._map(builtin_scorecard())
        self._versions: dict[int, dict[str, tuple[str, float]]] = {}

    @staticmethod
    def _map(scorecard: Scorecard) -> dict[str, tuple[str, float]]:
        return {item.id: (item.section, item.points) for item in scorecard.items}

    def of_version(self, version: int) -> dict[str, tuple[str, float]]:
        """Item id → (section, points) of `version`, the built-in standard's for the rest."""
        if version not in self._versions:
            source = (
                ScorecardVersion.objects.filter(pk=version)
                .values_list("source_text", flat=True)
                .first()
            )
            try:
                own = self._map(parse_scorecard(source or ""))
            except ScorecardError:
                own = {}
            self._versions[version] = self._standard | own
        return self._versions[version]
