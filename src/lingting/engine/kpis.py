"""Contact-center KPIs (接通率, abandon rate, service level, ASA, AHT) over contacts.

The definitions are the FORMATS.md contract ("KPI definitions"); `lingting kpis` and the
web app's KPI pages both call `kpi_rows` (or feed a `KpiAccumulator` themselves), so a
figure is the same wherever it is read.

What counts: inbound contacts (`direction` exactly ``inbound``) whose `disposition` is
``answered`` or ``abandoned``; IVR-only, phantom, outbound and undirected contacts were never
offered to an agent and are left out.

`wait_s` is the record's when given, else `answered_at` (or `ended_at` for an abandoned
contact) minus `queued_at`, else minus `started_at`.

Contacts missing what a figure needs are still counted, never dropped:

- No time for the group (no `queued_at` nor `started_at` for `day`/`hour`/`week`/`month`),
  or no `queue`/`agent_id`: the contact falls in a group whose key is ``None`` (null in
  JSON, an empty CSV cell), sorted last. Totals are therefore the same whatever the grouping.
- No wait (none recorded and the times to derive it are missing, or the derived wait is
  negative, i.e. clocks disagree): the contact still counts in `offered`, `answered` or
  `abandoned`, but it is never a short abandon, never "within the service level", and it is
  left out of `asa_s`'s mean. The service-level denominator keeps it: an unknown wait is
  not proof of a fast answer.
- No handle time (no `talk_s`, and no `answered_at`/`ended_at` pair): left out of `aht_s`'s
  mean only. Missing `hold_s`/`acw_s` count as 0.

A rate or mean whose denominator is zero is ``None``, never 0 and never an error.

The accumulator streams: it keeps a handful of counters and sums per group, never the
contacts, so a file of any size is summarised in memory proportional to its groups.

Figures beyond FORMATS.md (`EXTRA_FIGURES`, asked for with ``extra=True``; `lingting kpis
--extra`), over the same offered contacts and groups:

- First-contact resolution 一次解决率 (seed 001 lists it among the figures to watch). An
  answered contact is *resolved* when the same `customer_id` makes no further offered contact
  (inbound, answered or abandoned, any queue or agent) strictly after it and within
  `fcr_days` days (default 7); *repeated* when it does. ``fcr`` = resolved ÷ (resolved +
  repeated), in the group of the first contact. Answered contacts without a customer (no
  `customer_id`, or one of `unidentified_customers`: "" and "0", the switch's "caller not
  identified", as in the Anonymous Bank log) or without a time are left out of the
  denominator and counted in ``fcr_unidentified``. An answered contact with no repeat whose
  window has not closed yet (it is less than `fcr_days` before the end of the data: the
  latest contact read, or `known_until` when the caller knows better) is not yet known:
  counted in ``fcr_pending``, left out of the denominator. FCR keeps a small tuple per
  offered contact with a customer until `rows` (its memory grows with those contacts).
- Transfers 转接率: an answered contact was transferred when its record says
  ``"transferred": true``, or ``"hangup_by": "transfer"``, or it is tagged 转接.
  ``transfer_rate`` = transferred ÷ answered; null when no answered contact of the group
  records anything about transfers (no `transferred` true/false, no such `hangup_by` or
  tag): a log that does not record transfers (the Anonymous Bank's) says nothing, which is
  not the same as "none".
- Complaints 投诉量: offered contacts tagged 投诉, or in one of `complaint_queues`.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, tzinfo
from typing import Any

from lingting.engine.contacts import Contact

GROUPINGS = ("day", "queue", "agent", "hour", "week", "month")
FIGURES = (
    "offered",
    "answered",
    "abandoned",
    "short_abandoned",
    "answer_rate",
    "abandon_rate",
    "service_level",
    "asa_s",
    "aht_s",
)
EXTRA_FIGURES = (
    "fcr",
    "fcr_resolved",
    "fcr_repeated",
    "fcr_pending",
    "fcr_unidentified",
    "transferred",
    "transfer_rate",
    "complaints",
)
COMPLAINT_TAG = "投诉"
TRANSFER_TAG = "转接"
# Output precision: rates as fractions to a hundredth of a percent, means to a tenth of a
# second. Enough for any report, and stable across platforms' float printing.
RATE_DIGITS = 4
SECONDS_DIGITS = 1

GroupKey = str | int | None


class KpiError(ValueError):
    """A request the KPIs cannot answer (an unknown grouping); the message says what is valid."""


@dataclass(frozen=True, slots=True)
class KpiOptions:
    """The two thresholds of the definitions, in seconds, and the settings of the figures
    beyond FORMATS.md (see the module's docstring)."""

    service_level_seconds: float = 20
    short_abandon_seconds: float = 5
    fcr_days: float = 7
    complaint_queues: frozenset[str] = frozenset()
    unidentified_customers: frozenset[str] = frozenset({"", "0"})


@dataclass(frozen=True, slots=True)
class KpiRow:
    """The figures of one group. `group` pairs each grouping name with its key, in the
    order asked for; rates and means are exact here and rounded only by `to_dict`."""

    group: tuple[tuple[str, GroupKey], ...]
    offered: int
    answered: int
    abandoned: int
    short_abandoned: int
    answer_rate: float | None
    abandon_rate: float | None
    service_level: float | None
    asa_s: float | None
    aht_s: float | None
    # Beyond FORMATS.md: filled only when the accumulator was asked for them (extra=True).
    fcr: float | None = None
    fcr_resolved: int = 0
    fcr_repeated: int = 0
    fcr_pending: int = 0
    fcr_unidentified: int = 0
    transferred: int = 0
    transfer_rate: float | None = None
    complaints: int = 0

    def to_dict(self, *, extra: bool = False) -> dict[str, Any]:
        """Group keys, then figures (FIGURES order, then EXTRA_FIGURES when `extra`),
        rounded for output; None stays None."""
        row: dict[str, Any] = dict(self.group)
        row.update(
            offered=self.offered,
            answered=self.answered,
            abandoned=self.abandoned,
            short_abandoned=self.short_abandoned,
            answer_rate=_round(self.answer_rate, RATE_DIGITS),
            abandon_rate=_round(self.abandon_rate, RATE_DIGITS),
            service_level=_round(self.service_level, RATE_DIGITS),
            asa_s=_round(self.asa_s, SECONDS_DIGITS),
            aht_s=_round(self.aht_s, SECONDS_DIGITS),
        )
        if extra:
            row.update(
                fcr=_round(self.fcr, RATE_DIGITS),
                fcr_resolved=self.fcr_resolved,
                fcr_repeated=self.fcr_repeated,
                fcr_pending=self.fcr_pending,
                fcr_unidentified=self.fcr_unidentified,
                transferred=self.transferred,
                transfer_rate=_round(self.transfer_rate, RATE_DIGITS),
                complaints=self.complaints,
            )
        return row


def _round(value: float | None, digits: int) -> float | None:
    return None if value is None else round(value, digits)


def parse_groupings(text: str) -> tuple[str, ...]:
    """``"day,queue"`` → ``("day", "queue")``; an empty text means one total row.

    Raises `KpiError` naming the valid groupings for an unknown or repeated one.
    """
    names = tuple(name.strip() for name in text.split(",") if name.strip())
    unknown = [name for name in names if name not in GROUPINGS]
    if unknown:
        raise KpiError(
            f"unknown grouping {', '.join(map(repr, unknown))}: "
            f"group by any of {', '.join(GROUPINGS)} (comma-separated)"
        )
    if len(set(names)) != len(names):
        raise KpiError(f"a grouping is named twice in {text!r}")
    return names


# --- per-contact derivations ---------------------------------------------------------------


def is_offered(contact: Contact) -> bool:
    """Offered to an agent: inbound and answered or abandoned (FORMATS.md)."""
    return contact.direction == "inbound" and contact.disposition in ("answered", "abandoned")


def wait_seconds(contact: Contact, *, tz: tzinfo) -> float | None:
    """The contact's wait: recorded, else derived from its times; None when unknown."""
    return wait_from_times(
        wait_s=contact.wait_s,
        abandoned=contact.disposition != "answered",
        queued_at=contact.queued_at,
        started_at=contact.started_at,
        answered_at=contact.answered_at,
        ended_at=contact.ended_at,
        tz=tz,
    )


def wait_from_times(
    *,
    wait_s: float | None,
    abandoned: bool,
    queued_at: datetime | None,
    started_at: datetime | None,
    answered_at: datetime | None,
    ended_at: datetime | None,
    tz: tzinfo,
) -> float | None:
    """A wait as `wait_seconds` derives it, from the fields themselves (a stored contact's)."""
    if wait_s is not None:
        return wait_s
    end = ended_at if abandoned else answered_at
    start = queued_at if queued_at is not None else started_at
    if end is None or start is None:
        return None
    wait = _seconds_between(start, end, tz)
    # A negative wait means the switch's clocks disagree: unknown, rather than a figure
    # that pulls the mean down.
    return wait if wait >= 0 else None


def handle_seconds(contact: Contact, *, tz: tzinfo) -> float | None:
    """Talk (recorded, else answered → ended) plus hold and after-call work; None if unknown."""
    return handle_from_times(
        talk_s=contact.talk_s,
        hold_s=contact.hold_s,
        acw_s=contact.acw_s,
        answered_at=contact.answered_at,
        ended_at=contact.ended_at,
        tz=tz,
    )


def handle_from_times(
    *,
    talk_s: float | None,
    hold_s: float | None,
    acw_s: float | None,
    answered_at: datetime | None,
    ended_at: datetime | None,
    tz: tzinfo,
) -> float | None:
    """A handle time as `handle_seconds` derives it, from the fields themselves."""
    talk = talk_s
    if talk is None:
        if answered_at is None or ended_at is None:
            return None
        talk = _seconds_between(answered_at, ended_at, tz)
        if talk < 0:
            return None
    return talk + (hold_s or 0.0) + (acw_s or 0.0)


def transfer_of(contact: Contact) -> bool | None:
    """Whether the contact was transferred: True, False, or None when its record says
    nothing about transfers (see the module's docstring for the fields read)."""
    flag = contact.extra.get("transferred")
    if flag is True or contact.hangup_by == "transfer" or TRANSFER_TAG in contact.tags:
        return True
    return False if flag is False else None


def is_complaint(contact: Contact, options: KpiOptions) -> bool:
    """Tagged 投诉, or in a queue the center names a complaints queue."""
    return COMPLAINT_TAG in contact.tags or (
        contact.queue is not None and contact.queue in options.complaint_queues
    )


def customer_of(contact: Contact, options: KpiOptions) -> str | None:
    """The contact's customer for FCR; None when it has none or an unidentified one."""
    customer = contact.customer_id
    return None if customer is None or customer in options.unidentified_customers else customer


def _seconds_between(start: datetime, end: datetime, tz: tzinfo) -> float:
    return (_aware(end, tz) - _aware(start, tz)).total_seconds()


def _aware(moment: datetime, tz: tzinfo) -> datetime:
    """Contacts read from files are already aware; one built in code may not be, and a
    naive time is read in the configured zone, as FORMATS.md says."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=tz)


def _local_moment(contact: Contact, tz: tzinfo) -> datetime | None:
    moment = contact.queued_at if contact.queued_at is not None else contact.started_at
    return None if moment is None else _aware(moment, tz).astimezone(tz)


def _week_label(moment: datetime) -> str:
    year, week, _ = moment.isocalendar()
    return f"{year}-W{week:02d}"


_TIME_KEYS: dict[str, Callable[[datetime], GroupKey]] = {
    "day": lambda moment: moment.date().isoformat(),
    "hour": lambda moment: moment.hour,
    "week": _week_label,
    "month": lambda moment: f"{moment.year:04d}-{moment.month:02d}",
}


DAY_GROUPINGS = ("day", "week", "month")  # the time groupings a local date settles


def day_group_key(name: str, day: date) -> GroupKey:
    """The key of grouping `name` (one of DAY_GROUPINGS) for a contact of local date `day`:
    the same as `group_key` gives the contact."""
    return _TIME_KEYS[name](datetime.combine(day, datetime.min.time()))


def group_key(contact: Contact, by: Sequence[str], tz: tzinfo) -> tuple[GroupKey, ...]:
    """The contact's key for each grouping in `by`; None where it lacks what one needs."""
    moment = _local_moment(contact, tz) if any(n in _TIME_KEYS for n in by) else None
    keys: list[GroupKey] = []
    for name in by:
        if name == "queue":
            keys.append(contact.queue)
        elif name == "agent":
            keys.append(contact.agent_id)
        else:
            keys.append(None if moment is None else _TIME_KEYS[name](moment))
    return tuple(keys)


# --- accumulation ----------------------------------------------------------------------------


# The sums one group's figures are derived from, in the order a store of them (the web app's
# daily tallies) keeps them. FCR's resolved/pending split depends on the end of the data, so
# a store keeps `fcr_repeated` and `fcr_unidentified` and settles the rest when it is read.
SUM_FIELDS = (
    "answered",
    "abandoned",
    "short_abandoned",
    "within_service_level",
    "wait_count",
    "wait_sum",
    "handle_count",
    "handle_sum",
    "complaints",
    "transfer_known",
    "transferred",
    "fcr_unidentified",
    "fcr_repeated",
)


class KpiSums:
    """Counters and sums of one group: constant size, whatever the number of contacts.

    Sums add up: the figures of a group are those of the sums of its parts, which is what
    lets a database keep them per day and agent and a page add them up (`merge`).
    """

    __slots__ = (
        "abandoned",
        "answered",
        "complaints",
        "fcr_pending",
        "fcr_repeated",
        "fcr_resolved",
        "fcr_unidentified",
        "handle_count",
        "handle_sum",
        "short_abandoned",
        "transfer_known",
        "transferred",
        "wait_count",
        "wait_sum",
        "within_service_level",
    )

    def __init__(self) -> None:
        self.answered = self.abandoned = self.short_abandoned = 0
        self.within_service_level = self.wait_count = self.handle_count = 0
        self.wait_sum = self.handle_sum = 0.0
        self.complaints = self.transfer_known = self.transferred = 0
        self.fcr_resolved = self.fcr_repeated = self.fcr_pending = self.fcr_unidentified = 0

    @classmethod
    def of(cls, values: Mapping[str, float]) -> KpiSums:
        """Sums read back from a store: any of `__slots__` by name, the rest 0."""
        sums = cls()
        sums.merge_values(values)
        return sums

    def merge_values(self, values: Mapping[str, float]) -> None:
        for name, value in values.items():
            setattr(self, name, getattr(self, name) + (value or 0))

    def merge(self, other: KpiSums) -> None:
        self.merge_values({name: getattr(other, name) for name in KpiSums.__slots__})

    def values(self) -> dict[str, float]:
        """`SUM_FIELDS` by name: what a store keeps."""
        return {name: getattr(self, name) for name in SUM_FIELDS}

    def add_extra(self, contact: Contact, options: KpiOptions) -> None:
        """The figures beyond FORMATS.md that one contact settles by itself (FCR needs the
        customer's other contacts: `KpiAccumulator.rows` settles it)."""
        self.complaints += is_complaint(contact, options)
        if contact.disposition == "answered":
            transferred = transfer_of(contact)
            if transferred is not None:
                self.transfer_known += 1
                self.transferred += transferred

    def add(self, contact: Contact, options: KpiOptions, tz: tzinfo) -> None:
        wait = wait_seconds(contact, tz=tz)
        if contact.disposition == "abandoned":
            if wait is not None and wait < options.short_abandon_seconds:
                self.short_abandoned += 1
            else:
                self.abandoned += 1
            return
        self.answered += 1
        if wait is not None:
            self.wait_count += 1
            self.wait_sum += wait
            self.within_service_level += wait <= options.service_level_seconds
        handle = handle_seconds(contact, tz=tz)
        if handle is not None:
            self.handle_count += 1
            self.handle_sum += handle

    def row(self, group: tuple[tuple[str, GroupKey], ...]) -> KpiRow:
        offered = self.answered + self.abandoned + self.short_abandoned
        # Short abandons are callers who hung up before an agent could have answered: they
        # count in `offered` but not against the center.
        counted = offered - self.short_abandoned
        return KpiRow(
            group=group,
            offered=offered,
            answered=self.answered,
            abandoned=self.abandoned,
            short_abandoned=self.short_abandoned,
            answer_rate=_ratio(self.answered, counted),
            abandon_rate=_ratio(self.abandoned, counted),
            service_level=_ratio(self.within_service_level, counted),
            asa_s=_ratio(self.wait_sum, self.wait_count),
            aht_s=_ratio(self.handle_sum, self.handle_count),
        )

    def extra_row(self, row: KpiRow) -> KpiRow:
        return replace(
            row,
            fcr=_ratio(self.fcr_resolved, self.fcr_resolved + self.fcr_repeated),
            fcr_resolved=self.fcr_resolved,
            fcr_repeated=self.fcr_repeated,
            fcr_pending=self.fcr_pending,
            fcr_unidentified=self.fcr_unidentified,
            transferred=self.transferred,
            transfer_rate=_ratio(self.transferred, self.answered) if self.transfer_known else None,
            complaints=self.complaints,
        )


def _ratio(part: float, whole: float) -> float | None:
    return part / whole if whole else None


# A contact of a customer, for FCR: its moment (a POSIX timestamp) and, for an answered
# contact that counts, its group key (None for one that is only a possible repeat).
_CustomerContact = tuple[float, tuple[GroupKey, ...] | None]


class KpiAccumulator:
    """Feed contacts one at a time with `add`; read the figures with `rows`.

    Memory grows with the number of groups, never with the number of contacts, unless the
    figures beyond FORMATS.md are asked for (`extra`): FCR then keeps a small tuple per
    offered contact that has a customer. `known_until` is the end of the data for FCR's
    "not yet known" (default: the latest contact fed).
    """

    def __init__(
        self,
        *,
        by: Sequence[str],
        options: KpiOptions | None = None,
        tz: tzinfo,
        extra: bool = False,
        known_until: datetime | None = None,
    ) -> None:
        unknown = [name for name in by if name not in GROUPINGS]
        if unknown or len(set(by)) != len(by):
            raise KpiError(f"group by distinct names among {', '.join(GROUPINGS)}, not {by!r}")
        self.by = tuple(by)
        self.options = options or KpiOptions()
        self.tz = tz
        self.extra = extra
        self.known_until = known_until
        self._tallies: dict[tuple[GroupKey, ...], KpiSums] = {}
        self._customers: dict[str, list[_CustomerContact]] = {}
        self._latest: float | None = None
        self._pending: dict[tuple[GroupKey, ...], list[float]] = {}

    def add(self, contact: Contact) -> bool:
        """Count one contact; False (and nothing counted) when it was not offered."""
        if not is_offered(contact):
            return False
        key = group_key(contact, self.by, self.tz)
        tally = self._tallies.get(key)
        if tally is None:
            tally = self._tallies[key] = KpiSums()
        tally.add(contact, self.options, self.tz)
        if self.extra:
            tally.add_extra(contact, self.options)
            answered = contact.disposition == "answered"
            if not self._remember(contact, key if answered else None) and answered:
                tally.fcr_unidentified += 1
        return True

    def add_possible_repeat(self, contact: Contact) -> bool:
        """A contact that is not counted (outside the filters, or one the reader may not
        see) but may still be a customer's repeat contact for FCR."""
        return self.extra and is_offered(contact) and self._remember(contact, None)

    def _remember(self, contact: Contact, key: tuple[GroupKey, ...] | None) -> bool:
        moment = _local_moment(contact, self.tz)
        if moment is None:
            return False
        stamp = moment.timestamp()
        # The end of the data is the latest contact, identified customer or not.
        if self._latest is None or stamp > self._latest:
            self._latest = stamp
        customer = customer_of(contact, self.options)
        if customer is None:
            return False
        self._customers.setdefault(customer, []).append((stamp, key))
        return True

    def rows(self) -> list[KpiRow]:
        """One row per group, sorted by its keys (None last). Without groupings, exactly
        one total row, even over no contacts (its rates are then None)."""
        return rows_of(self.sums(), by=self.by, extra=self.extra)

    def sums(self, *, settle: bool = True) -> dict[tuple[GroupKey, ...], KpiSums]:
        """The sums per group. With `settle` False (a store that settles FCR when it is
        read), every answered contact with no repeat is left "not yet known" (`fcr_pending`)
        whatever the end of the data; `fcr_repeated` and `fcr_unidentified` are final."""
        if self.extra:
            known = self.known_until.timestamp() if self.known_until is not None else None
            end = (known if known is not None else self._latest) if settle else -math.inf
            self._settle_fcr(end=end)
        return dict(self._tallies)

    def pending_moments(self) -> dict[tuple[GroupKey, ...], list[float]]:
        """After `sums`: the moments (POSIX seconds, in order) of each group's contacts
        counted in `fcr_pending`, from which a store that settles FCR when it is read splits
        them at the end of the data then (`fcr_open_split`)."""
        return {key: sorted(moments) for key, moments in self._pending.items()}

    def _settle_fcr(self, *, end: float | None) -> None:
        for tally in self._tallies.values():
            tally.fcr_resolved = tally.fcr_repeated = tally.fcr_pending = 0
        self._pending = {}
        window = self.options.fcr_days * 86400
        for contacts in self._customers.values():
            contacts.sort(key=lambda entry: entry[0])
            moments = [moment for moment, _key in contacts]
            for moment, key in contacts:
                if key is None:
                    continue
                tally = self._tallies[key]
                later = bisect_right(moments, moment)
                if later < len(moments) and moments[later] - moment <= window:
                    tally.fcr_repeated += 1
                elif end is None or _still_open(moment, window=window, end=end):
                    tally.fcr_pending += 1
                    self._pending.setdefault(key, []).append(moment)
                else:
                    tally.fcr_resolved += 1


def _still_open(moment: float, *, window: float, end: float) -> bool:
    """Whether an answered contact with no repeat is not yet known to be resolved: its FCR
    window reaches past the end of the data."""
    return moment + window > end


def fcr_open_split(
    moments: Sequence[float], *, options: KpiOptions, end: datetime
) -> tuple[int, int]:
    """How many of these answered contacts with no repeat (`pending_moments`) are resolved
    and how many not yet known, the data ending at `end`: (resolved, pending)."""
    window, stamp = options.fcr_days * 86400, end.timestamp()
    pending = sum(_still_open(moment, window=window, end=stamp) for moment in moments)
    return len(moments) - pending, pending


def rows_of(
    sums: Mapping[tuple[GroupKey, ...], KpiSums], *, by: Sequence[str], extra: bool
) -> list[KpiRow]:
    """The rows of sums per group (`KpiAccumulator.rows`; a store's sums added up), sorted by
    group keys, None last; without groupings exactly one total row."""
    if not by and not sums:
        sums = {(): KpiSums()}
    rows = []
    for key in sorted(sums, key=_sort_key):
        row = sums[key].row(tuple(zip(by, key, strict=True)))
        rows.append(sums[key].extra_row(row) if extra else row)
    return rows


def _sort_key(key: tuple[GroupKey, ...]) -> tuple[tuple[bool, GroupKey], ...]:
    # None sorts after every real key; each position holds one type, so the rest compare.
    return tuple((part is None, "" if part is None else part) for part in key)


def kpi_rows(
    contacts: Iterable[Contact],
    *,
    by: Sequence[str],
    options: KpiOptions | None = None,
    tz: tzinfo,
    extra: bool = False,
) -> list[KpiRow]:
    """The KPIs of `contacts` per group of `by` (any of GROUPINGS), sorted by group keys;
    with the figures beyond FORMATS.md when `extra`."""
    accumulator = KpiAccumulator(by=by, options=options, tz=tz, extra=extra)
    for contact in contacts:
        accumulator.add(contact)
    return accumulator.rows()
