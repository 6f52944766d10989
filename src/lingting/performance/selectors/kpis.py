"""KPIs of stored contacts, computed by the same engine as `lingting kpis`, and the targets
they are coloured against.

Pages add up the daily tallies (performance.tallies: the engine's sums per day, queue and
agent) where those can answer, and otherwise stream the contacts a user may see out of the
database as the engine's CDR-only `Contact`s (no transcript). Either way a page and the
command give identical figures for the same contacts (tests/web/test_kpis_page.py and
tests/web/test_tallies.py check exactly that)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.db.models import Count, F, Max, Min, Q, QuerySet, Sum
from django.db.models.functions import Coalesce, ExtractHour, TruncDate, TruncMonth, TruncWeek
from django.utils import timezone
from django.utils.translation import gettext as _

from lingting.core.models import Agent, Role, User
from lingting.core.params import BadParameter
from lingting.core.permissions import contact_scope, sees_all_contacts
from lingting.core.planner import planner_settings
from lingting.engine.contacts import Contact as EngineContact
from lingting.engine.kpis import (
    DAY_GROUPINGS,
    SUM_FIELDS,
    GroupKey,
    KpiAccumulator,
    KpiOptions,
    KpiRow,
    KpiSums,
    day_group_key,
    fcr_open_split,
    group_key,
    rows_of,
)
from lingting.engine.targets import Status, Target
from lingting.interactions.models import Contact, Queue
from lingting.performance.models import (
    TALLY_OPTIONS,
    DailyTally,
    KpiTarget,
    TallyState,
    TargetFigure,
)
from lingting.quality.contact_filters import ContactFilters
from lingting.quality.selectors.contacts import contacts_matching, meaning_condition
from lingting.quality.selectors.meaning_figures import (
    MEANING_COUNTS,
    MeaningTotals,
    meaning_totals_by,
)
from lingting.quality.selectors.score_of_record import with_score_of_record

CALL_FIELDS = (
    "external_id",
    "channel",
    "direction",
    "queue__code",
    "agent__code",
    "queued_at",
    "started_at",
    "answered_at",
    "ended_at",
    "disposition",
    "wait_s",
    "talk_s",
    "hold_s",
    "acw_s",
    "customer__code",
    "hangup_by",
    "tags",
    "extra__transferred",
)
# With the score of record (`with_score_of_record`): reviewed once a person reviewed it.
CDR_FIELDS = (*CALL_FIELDS, "record_score", "record_passed")


@dataclass(frozen=True, slots=True)
class QaFigures:
    """The QA of a group's contacts (from the database, not the file engine): `qa_score`
    the mean score of record (reviewed where a person reviewed, else the machine's),
    `pass_rate` the share passing, over `scored`."""

    scored: int = 0
    qa_score: float | None = None
    pass_rate: float | None = None


@dataclass(frozen=True, slots=True)
class KpiTableRow:
    row: KpiRow
    qa: QaFigures
    meaning: MeaningTotals | None = None  # what the group's customers meant, when asked for

    def values(self) -> dict[str, Any]:
        """Every figure by name, rounded (the KPI page's cells and the targets' colours)."""
        return {
            **self.row.to_dict(extra=True),
            "qa_score": None if self.qa.qa_score is None else round(self.qa.qa_score, 1),
            "pass_rate": None if self.qa.pass_rate is None else round(self.qa.pass_rate, 4),
            "qa_scored": self.qa.scored,
            **(self.meaning.figures() if self.meaning is not None else {}),
        }


def kpi_table_for(
    *,
    user: User,
    filters: ContactFilters,
    by: Sequence[str],
    options: KpiOptions | None = None,
    meaning: bool = False,
) -> list[KpiTableRow]:
    """The KPI page: the KPIs of FORMATS.md over the contacts `user` may see that `filters`
    select, grouped `by`, with the figures beyond FORMATS.md (FCR, transfers,
    complaints) and each group's QA score and pass rate (the score of record) over the same
    offered contacts; with `meaning`, also what each group's customers meant
    (`kpi_meaning_for`).

    FCR looks for a customer's repeat contact among *all* stored contacts, not only those
    `user` may see or `filters` select (a repeat handled by another team still means the
    first contact did not resolve it); the end of the data is the latest stored contact.

    Read from the daily tallies (performance.tallies) where they can answer: the tallies'
    thresholds, groupings a contact's day settles, a scope of whole agents, and filters on
    dates, queue, team and agent. The one day on which FCR's "not yet known" window ends is
    read from its contacts, so that split stays exact. What the customers meant comes from
    the same tally rows. Anything else is read from the contacts themselves, as the engine
    reads a file, the meaning counted in SQL (`kpi_meaning_for`): the same figures, slower.
    """
    options = options or KpiOptions()
    scope = _tally_scope(user, filters, by, options)
    if scope is None:
        return kpi_table_of_contacts(
            user=user, filters=filters, by=by, options=options, meaning=meaning
        )
    meanings: dict[GroupKeys, MeaningTotals] | None = {} if meaning else None
    groups = _tally_groups(scope, by, known_until=_latest_tallied_moment(), meanings=meanings)
    return _table(groups, by, meanings)


def kpi_meaning_for(
    *, user: User, filters: ContactFilters, by: Sequence[str]
) -> dict[GroupKeys, MeaningTotals]:
    """What the customers meant, per group of `by` (the KPI table's keys), over the contacts
    `user` may see that `filters` select whose customer spoke (quality.selectors.
    meaning_figures, as the quality report counts them): not only the offered ones, so a
    queue's or agent's figures are the report's for the same days. Grouped in SQL; a time
    grouping by the contact's moment, as the engine groups it."""
    named: dict[str, Any] = {}
    if "queue" in by:
        named["by_queue"] = F("queue__code")
    if "agent" in by:
        named["by_agent"] = F("agent__code")
    if any(name in DAY_GROUPINGS for name in by):
        named["by_day"] = TruncDate(MOMENT)
    if "hour" in by:
        named["by_hour"] = ExtractHour(MOMENT)
    groups: dict[GroupKeys, MeaningTotals] = defaultdict(MeaningTotals)
    for row, totals in meaning_totals_by(contacts_matching(user=user, filters=filters), **named):
        groups[tuple(_meaning_key(name, row) for name in by)].add(totals)
    return dict(groups)


def _meaning_key(name: str, row: Mapping[str, Any]) -> GroupKey:
    if name not in DAY_GROUPINGS:
        return row[f"by_{name}"]  # type: ignore[no-any-return]
    day = row["by_day"]
    return None if day is None else day_group_key(name, day)


def kpi_table_of_contacts(
    *,
    user: User,
    filters: ContactFilters,
    by: Sequence[str],
    options: KpiOptions | None = None,
    meaning: bool = False,
) -> list[KpiTableRow]:
    """`kpi_table_for` read from every contact, one by one, by the engine (never from the
    tallies), with `meaning` what the customers meant counted in SQL (`kpi_meaning_for`):
    what it falls back to, and what the tallies are checked against.

    Raises BadParameter (the page says it, the API answers 400) rather than read more than
    CONTACTS_READ_ONE_BY_ONE contacts: seconds per hundred thousand, minutes per million.
    """
    options = options or KpiOptions()
    matching = contacts_matching(user=user, filters=filters)
    if matching.order_by().values("pk")[CONTACTS_READ_ONE_BY_ONE:].exists():
        raise BadParameter(
            _(
                "按时段分组、自定义阈值或按通话内容筛选时，指标要逐条联络重新计算；"
                "这次超过了 %(limit)s 条联络。请缩小日期范围或其他条件，"
                "或使用默认阈值、按日/周/月/ACD组/坐席分组。"
            )
            % {"limit": CONTACTS_READ_ONE_BY_ONE}
        )
    groups = _contact_groups(
        matching,
        by=by,
        options=options,
        known_until=_latest_contact_moment(),
    )
    return _table(
        groups, by, kpi_meaning_for(user=user, filters=filters, by=by) if meaning else None
    )


# The most contacts a figure page reads one by one (see `kpi_table_of_contacts`).
CONTACTS_READ_ONE_BY_ONE = 100_000


@dataclass(slots=True)
class _Group:
    """One group's KPI sums and the QA of its offered contacts, added up from parts."""

    sums: KpiSums = field(default_factory=KpiSums)
    qa_scored: int = 0
    qa_score_sum: float = 0.0
    qa_passed: int = 0

    def merge(self, other: _Group) -> None:
        self.sums.merge(other.sums)
        self.qa_scored += other.qa_scored
        self.qa_score_sum += other.qa_score_sum
        self.qa_passed += other.qa_passed

    def qa(self) -> QaFigures:
        if not self.qa_scored:
            return QaFigures()
        return QaFigures(
            self.qa_scored, self.qa_score_sum / self.qa_scored, self.qa_passed / self.qa_scored
        )


GroupKeys = tuple[GroupKey, ...]


def _table(
    groups: dict[GroupKeys, _Group],
    by: Sequence[str],
    meanings: Mapping[GroupKeys, MeaningTotals] | None = None,
) -> list[KpiTableRow]:
    """The table's rows; with `meanings`, each with its group's (none counted: zeros)."""
    rows = rows_of({key: group.sums for key, group in groups.items()}, by=by, extra=True)
    empty = _Group()
    return [
        KpiTableRow(
            row=row,
            qa=groups.get(_keys(row), empty).qa(),
            meaning=None if meanings is None else meanings.get(_keys(row)) or MeaningTotals(),
        )
        for row in rows
    ]


def _keys(row: KpiRow) -> GroupKeys:
    return tuple(key for _name, key in row.group)


def _contact_groups(
    contacts: QuerySet[Contact],
    *,
    by: Sequence[str],
    options: KpiOptions,
    known_until: datetime | None,
) -> dict[GroupKeys, _Group]:
    """The groups of `contacts`, read one by one by the engine (FCR's repeats looked for
    among all stored contacts: `possible_repeats`)."""
    tz = timezone.get_current_timezone()
    accumulator = KpiAccumulator(by=by, options=options, tz=tz, extra=True, known_until=known_until)
    qa: dict[GroupKeys, _Group] = defaultdict(_Group)
    for contact, score, passed in _cdr_contacts_with_scores(contacts):
        if not accumulator.add(contact) or score is None:
            continue
        group = qa[group_key(contact, accumulator.by, tz)]
        group.qa_scored += 1
        group.qa_score_sum += score
        group.qa_passed += bool(passed)
    for contact in possible_repeats(contacts, fcr_days=options.fcr_days):
        accumulator.add_possible_repeat(contact)
    groups = {}
    for key, sums in accumulator.sums().items():
        group = groups[key] = qa.get(key) or _Group()
        group.sums = sums
    return groups


_TALLY_GROUPS: dict[str, Any] = {
    "day": F("group_day"),
    "week": TruncWeek("group_day"),
    "month": TruncMonth("group_day"),
    # By row id, named by code afterwards (`_named`): joining the agents and queues to
    # months of tally rows took a third of the query.
    "queue": F("queue_id"),
    "agent": F("agent_id"),
}
_CODED: dict[str, type[Agent] | type[Queue]] = {"queue": Queue, "agent": Agent}
_QA_SUMS = ("qa_scored", "qa_score_sum", "qa_passed")


def _tally_groups(
    scope: Q,
    by: Sequence[str],
    *,
    known_until: datetime | None,
    meanings: dict[GroupKeys, MeaningTotals] | None = None,
) -> dict[GroupKeys, _Group]:
    """The groups added up from the tallies in `scope`, FCR settled at `known_until` (the
    end of the data): contacts of days before the one on which their window reaches it are
    resolved unless repeated, those after not yet known; that day's are split one by one
    (the tallies keep their moments). Given `meanings`, what the customers meant is added
    up into it per group from the same rows, in the same query."""
    tallies = DailyTally.objects.filter(scope).order_by()
    boundary = (
        None
        if known_until is None
        else timezone.localtime(known_until - timedelta(days=TALLY_OPTIONS.fcr_days)).date()
    )
    unsettled = F("answered") - F("fcr_unidentified") - F("fcr_repeated")
    # Named apart from the columns: an annotation named as a column would hide it.
    added = (*SUM_FIELDS, *_QA_SUMS, *(MEANING_COUNTS if meanings is not None else ()))
    sums: dict[str, Any] = {f"sum_{name}": Sum(name) for name in added}
    names = {f"by_{name}": _TALLY_GROUPS[name] for name in by}
    codes = _codes(by)  # looked up once for the rows and the boundary day's
    if boundary is not None:
        tallies = tallies.exclude(group_day=boundary)
        sums["sum_fcr_pending"] = Sum(unsettled, filter=Q(group_day__gt=boundary))
        sums["sum_fcr_resolved"] = Sum(unsettled, filter=Q(group_day__lt=boundary))
    # The planner cannot foresee that months of rows make a few thousand groups: with its
    # default 4 MB it sorts them on disk instead of hashing them (0.21 -> 0.10 s at 1 M).
    with planner_settings(work_mem="32MB"):
        rows = (
            [tallies.aggregate(**sums)]
            if not by
            else _named(tallies.values(**names).annotate(**sums), codes)
        )
    groups: dict[GroupKeys, _Group] = {}
    for row in rows:
        values = {n[4:]: v for n, v in row.items() if n[:4] == "sum_"}
        _add_tally_sums(groups, meanings, by, row, values)
    if boundary is None or known_until is None:
        return groups
    columns = {f"sum_{name}": F(name) for name in added}
    boundary_day = DailyTally.objects.filter(scope, group_day=boundary)
    for row in _named(boundary_day.values("fcr_open", **columns, **names), codes):
        values = {n[4:]: v for n, v in row.items() if n[:4] == "sum_"}
        values["fcr_resolved"], values["fcr_pending"] = fcr_open_split(
            row["fcr_open"], options=TALLY_OPTIONS, end=known_until
        )
        _add_tally_sums(groups, meanings, by, row, values)
    return groups


def _codes(by: Sequence[str]) -> dict[str, dict[int, str]]:
    """Row id → code of the agents and queues that `by` groups by."""
    return {
        name: dict(model.objects.values_list("pk", "code"))
        for name, model in _CODED.items()
        if name in by
    }


def _named(
    grouped: Iterable[Mapping[str, Any]], codes: Mapping[str, Mapping[int, str]]
) -> list[dict[str, Any]]:
    """Rows grouped by agent or queue row id, their groups named by code instead."""
    rows = [dict(row) for row in grouped]
    for name, code in codes.items():
        for row in rows:
            row[f"by_{name}"] = code.get(row[f"by_{name}"])
    return rows


def _add_tally_sums(
    groups: dict[GroupKeys, _Group],
    meanings: dict[GroupKeys, MeaningTotals] | None,
    by: Sequence[str],
    row: Mapping[str, Any],
    values: dict[str, Any],
) -> None:
    """Add one row of tally sums (`values`, by name) to its group (`row`'s by_ keys), and
    its meaning counts to the group's in `meanings` (when given)."""
    key = tuple(_tally_key(name, row[f"by_{name}"]) for name in by)
    if meanings is not None:
        # Every contact's, offered or not (as `kpi_meaning_for` counts them): a group's
        # part without offered contacts still counts towards the group.
        counted = MeaningTotals(**{name: values.pop(name) or 0 for name in MEANING_COUNTS})
        meanings.setdefault(key, MeaningTotals()).add(counted)
    if not any(values[name] for name in ("answered", "abandoned", "short_abandoned")):
        return  # no offered contact: no group, as the engine makes none
    group = groups.setdefault(key, _Group())
    group.qa_scored += values.pop("qa_scored") or 0
    group.qa_score_sum += values.pop("qa_score_sum") or 0.0
    group.qa_passed += values.pop("qa_passed") or 0
    group.sums.merge_values(values)


def _tally_key(name: str, value: Any) -> GroupKey:
    if value is None or name not in DAY_GROUPINGS:
        return value  # type: ignore[no-any-return]
    day = value.date() if isinstance(value, datetime) else value
    return day_group_key(name, day)


def _tally_scope(
    user: User, filters: ContactFilters, by: Sequence[str], options: KpiOptions
) -> Q | None:
    """The tallies `user` and `filters` select; None when tallies cannot answer."""
    if options != TALLY_OPTIONS or any(name not in _TALLY_GROUPS for name in by):
        return None
    if not tallies_ready():
        return None
    by_contact = (
        filters.score_band,
        filters.failed_item,
        filters.fatal_only,
        filters.unscored,
        filters.topic_id,
        filters.query,
        meaning_condition(filters),  # what the customer meant: not a whole day's contacts
    )
    if any(by_contact):
        return None
    if user.role == Role.QA_ANALYST and not sees_all_contacts(user):
        return None  # assigned and granted contacts, not whole agents' days
    scope = contact_scope(user)  # whole agents' contacts: a tally has the same `agent`
    if filters.date_from:
        scope &= Q(day__gte=filters.date_from)
    if filters.date_to:
        scope &= Q(day__lte=filters.date_to)
    if filters.queue_id:
        scope &= Q(queue_id=filters.queue_id)
    if filters.agent_id:
        scope &= Q(agent_id=filters.agent_id)
    if filters.team_id:
        scope &= Q(agent__team_id=filters.team_id)
    return scope


def main_queues(*, user: User, filters: ContactFilters) -> dict[str, str | None]:
    """Each agent's main queue among the contacts `user` may see that `filters` select: the
    queue of most contacts (the last code on a tie); from the tallies where they answer."""
    scope = _tally_scope(user, filters, (), TALLY_OPTIONS)
    counts: Iterable[tuple[str, str | None, int]]
    if scope is not None:
        grouped = (
            DailyTally.objects.filter(scope, agent__isnull=False)
            .order_by()
            .values(**{f"by_{name}": _TALLY_GROUPS[name] for name in ("agent", "queue")})
            .annotate(n=Sum("contacts"))
        )
        counts = [
            (row["by_agent"], row["by_queue"], row["n"])
            for row in _named(grouped, _codes(("agent", "queue")))
        ]
    else:
        counts = (
            contacts_matching(user=user, filters=filters)
            .filter(agent__isnull=False)
            .order_by()
            .values_list("agent__code", "queue__code")
            .annotate(n=Count("pk"))
        )
    best: dict[str, tuple[int, str | None]] = {}
    for agent, queue, n in counts:
        if agent not in best or (n, queue or "") > (best[agent][0], best[agent][1] or ""):
            best[agent] = (n, queue)
    return {agent: queue for agent, (_n, queue) in best.items()}


def tallies_ready() -> bool:
    """Whether the daily tallies were ever built (until then pages read the contacts)."""
    return TallyState.objects.filter(pk=1, rebuilt_at__isnull=False).exists()


def _latest_tallied_moment() -> datetime | None:
    """The latest queue-or-start time counted: the end of the data for FCR."""
    last_day = DailyTally.objects.aggregate(last=Max("group_day"))["last"]
    if last_day is None:
        return None
    latest: datetime | None = DailyTally.objects.filter(group_day=last_day).aggregate(
        latest=Max("latest_moment")
    )["latest"]
    return latest


# The KPI engine's moment of a contact: its queue time, else its start (indexed).
MOMENT = Coalesce("queued_at", "started_at")


def with_moment_between(
    contacts: QuerySet[Contact], first: datetime, last: datetime
) -> QuerySet[Contact]:
    """`contacts` whose moment is from `first` to `last`, both included."""
    return contacts.alias(moment=MOMENT).filter(moment__gte=first, moment__lte=last)


def _latest_contact_moment() -> datetime | None:
    latest: datetime | None = Contact.objects.aggregate(latest=Max(MOMENT))["latest"]
    return latest


def possible_repeats(
    contacts: QuerySet[Contact],
    *,
    fcr_days: float,
    span: tuple[datetime, datetime] | None = None,
) -> Iterator[EngineContact]:
    """Every contact of the customers of `contacts` queued (else started) from the first of
    `contacts` to `fcr_days` after the last (`span`, when the caller knows it): where a
    repeat of one of theirs can be, among all stored contacts. (They include `contacts`
    themselves: a repeat is strictly later, so a contact never repeats itself.) Each holds
    what FCR reads of it: whether it was offered, when, and whose."""
    if span is None:
        # Counted too: with MIN and MAX alone PostgreSQL reads them off the moment index,
        # from the first contact ever stored until it meets one of `contacts`.
        found = contacts.exclude(customer=None).aggregate(
            first=Min(MOMENT), last=Max(MOMENT), n=Count("pk")
        )
        if found["first"] is None:
            return
        span = (found["first"], found["last"])
    others = with_moment_between(
        Contact.objects.filter(customer__in=contacts.exclude(customer=None).values("customer")),
        span[0],
        span[1] + timedelta(days=fcr_days),
    )
    # Only what makes a contact someone's repeat: whether it was offered, when, and whose.
    for external_id, direction, disposition, queued, started, customer in (
        others.order_by()
        .values_list(
            "external_id", "direction", "disposition", "queued_at", "started_at", "customer__code"
        )
        .iterator(chunk_size=5000)
    ):
        yield EngineContact(
            id=external_id,
            direction=direction or None,
            disposition=disposition or None,
            queued_at=queued,
            started_at=started,
            customer_id=customer,
        )


def _cdr_contacts_with_scores(
    contacts: QuerySet[Contact],
) -> Iterator[tuple[EngineContact, float | None, bool | None]]:
    rows = (
        with_score_of_record(contacts).order_by().values_list(*CDR_FIELDS).iterator(chunk_size=5000)
    )
    for row in rows:
        yield cdr_contact(row), row[-2], row[-1]


def cdr_contact(row: Sequence[Any]) -> EngineContact:
    """The engine's contact (no transcript) from a row that starts with `CALL_FIELDS`."""
    external_id, channel, direction, queue, agent, *times, disposition = row[:10]
    wait_s, talk_s, hold_s, acw_s = row[10:14]
    customer, hangup_by, tags, transferred = row[14:18]
    return EngineContact(
        id=external_id,
        channel=channel or None,
        direction=direction or None,
        queue=queue,
        agent_id=agent,
        customer_id=customer,
        queued_at=times[0],
        started_at=times[1],
        answered_at=times[2],
        ended_at=times[3],
        disposition=disposition or None,
        hangup_by=hangup_by or None,
        tags=tuple(tags) if isinstance(tags, list) else (),
        wait_s=wait_s,
        talk_s=talk_s,
        hold_s=hold_s,
        acw_s=acw_s,
        extra={} if transferred is None else {"transferred": transferred},
    )


Statuses = dict[str, Status]


def kpi_targets() -> dict[tuple[str, str | None], Target]:
    """The queues' and the whole center's targets, by (figure, queue code); a None code is
    the whole center's. Teams' targets: `kpi_team_targets`."""
    return {
        (t.figure, t.queue.code if t.queue else None): t.target
        for t in KpiTarget.objects.filter(team=None).select_related("queue")
    }


def kpi_team_targets() -> dict[tuple[str, str], Target]:
    """The teams' targets, by (figure, team code)."""
    return {
        (t.figure, t.team.code): t.target
        for t in KpiTarget.objects.exclude(team=None).select_related("team")
        if t.team is not None
    }


@dataclass(frozen=True, slots=True)
class TargetBook:
    """Every target at hand, for figures the KPI engine does not compute (satisfaction from
    surveys, utilisation from agent states): a team's target first, then the queue's, then
    the whole center's."""

    center_and_queues: dict[tuple[str, str | None], Target]
    teams: dict[tuple[str, str], Target]

    def status(
        self, figure: str, value: float | None, *, team: str | None = None, queue: str | None = None
    ) -> Status | None:
        target = (
            (self.teams.get((figure, team)) if team is not None else None)
            or (self.center_and_queues.get((figure, queue)) if queue is not None else None)
            or self.center_and_queues.get((figure, None))
        )
        return target.status(value) if target is not None else None


def target_book() -> TargetBook:
    return TargetBook(kpi_targets(), kpi_team_targets())


def agent_team_codes() -> dict[str, str]:
    """Each agent's team code, by agent code (agents without a team left out)."""
    return dict(Agent.objects.exclude(team=None).values_list("code", "team__code"))


def row_statuses(
    row: KpiRow,
    targets: dict[tuple[str, str | None], Target],
    *,
    queue: str | None = None,
    team: str | None = None,
    team_targets: Mapping[tuple[str, str], Target] | None = None,
    values: Mapping[str, Any] | None = None,
) -> Statuses:
    """Red/amber/green of each figure of `row` that has a target: the team's target first
    (`team`, with `team_targets`), then the row's own queue's (grouped by queue, or `queue`
    filtered on), then the whole center's. `values` gives figures the row does not hold
    (the QA score and pass rate); the row's own figures are read from it."""
    queue = dict(row.group).get("queue", queue)  # type: ignore[assignment]
    book = TargetBook(targets, dict(team_targets or {}))
    statuses: Statuses = {}
    for figure in TargetFigure.values:
        value = values[figure] if values and figure in values else getattr(row, figure, None)
        status = book.status(figure, value, team=team, queue=queue)
        if status is not None:
            statuses[figure] = status
    return statuses
