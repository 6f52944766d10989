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
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, tzinfo
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
# Output precision: rates as fractions to a hundredth of a percent, means to a tenth of a
# second. Enough for any report, and stable across platforms' float printing.
RATE_DIGITS = 4
SECONDS_DIGITS = 1

GroupKey = str | int | None


class KpiError(ValueError):
    """A request the KPIs cannot answer (an unknown grouping); the message says what is valid."""


@dataclass(frozen=True, slots=True)
class KpiOptions:
    """The two thresholds of the definitions, in seconds."""

    service_level_seconds: float = 20
    short_abandon_seconds: float = 5


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

    def to_dict(self) -> dict[str, Any]:
        """Group keys, then figures (FIGURES order), rounded for output; None stays None."""
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
    if contact.wait_s is not None:
        return contact.wait_s
    end = contact.answered_at if contact.disposition == "answered" else contact.ended_at
    start = contact.queued_at if contact.queued_at is not None else contact.started_at
    if end is None or start is None:
        return None
    wait = _seconds_between(start, end, tz)
    # A negative wait means the switch's clocks disagree: unknown, rather than a figure
    # that pulls the mean down.
    return wait if wait >= 0 else None


def handle_seconds(contact: Contact, *, tz: tzinfo) -> float | None:
    """Talk (recorded, else answered → ended) plus hold and after-call work; None if unknown."""
    talk = contact.talk_s
    if talk is None:
        if contact.answered_at is None or contact.ended_at is None:
            return None
        talk = _seconds_between(contact.answered_at, contact.ended_at, tz)
        if talk < 0:
            return None
    return talk + (contact.hold_s or 0.0) + (contact.acw_s or 0.0)


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


class _Tally:
    """Counters and sums of one group: constant size, whatever the number of contacts."""

    __slots__ = (
        "abandoned",
        "answered",
        "handle_count",
        "handle_sum",
        "short_abandoned",
        "wait_count",
        "wait_sum",
        "within_service_level",
    )

    def __init__(self) -> None:
        self.answered = self.abandoned = self.short_abandoned = 0
        self.within_service_level = self.wait_count = self.handle_count = 0
        self.wait_sum = self.handle_sum = 0.0

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


def _ratio(part: float, whole: float) -> float | None:
    return part / whole if whole else None


class KpiAccumulator:
    """Feed contacts one at a time with `add`; read the figures with `rows`.

    Memory grows with the number of groups, never with the number of contacts.
    """

    def __init__(self, *, by: Sequence[str], options: KpiOptions | None = None, tz: tzinfo) -> None:
        unknown = [name for name in by if name not in GROUPINGS]
        if unknown or len(set(by)) != len(by):
            raise KpiError(f"group by distinct names among {', '.join(GROUPINGS)}, not {by!r}")
        self.by = tuple(by)
        self.options = options or KpiOptions()
        self.tz = tz
        self._tallies: dict[tuple[GroupKey, ...], _Tally] = {}

    def add(self, contact: Contact) -> bool:
        """Count one contact; False (and nothing counted) when it was not offered."""
        if not is_offered(contact):
            return False
        key = group_key(contact, self.by, self.tz)
        tally = self._tallies.get(key)
        if tally is None:
            tally = self._tallies[key] = _Tally()
        tally.add(contact, self.options, self.tz)
        return True

    def rows(self) -> list[KpiRow]:
        """One row per group, sorted by its keys (None last). Without groupings, exactly
        one total row, even over no contacts (its rates are then None)."""
        tallies = dict(self._tallies)
        if not self.by and not tallies:
            tallies[()] = _Tally()
        return [
            tallies[key].row(tuple(zip(self.by, key, strict=True)))
            for key in sorted(tallies, key=_sort_key)
        ]


def _sort_key(key: tuple[GroupKey, ...]) -> tuple[tuple[bool, GroupKey], ...]:
    # None sorts after every real key; each position holds one type, so the rest compare.
    return tuple((part is None, "" if part is None else part) for part in key)


def kpi_rows(
    contacts: Iterable[Contact],
    *,
    by: Sequence[str],
    options: KpiOptions | None = None,
    tz: tzinfo,
) -> list[KpiRow]:
    """The KPIs of `contacts` per group of `by` (any of GROUPINGS), sorted by group keys."""
    accumulator = KpiAccumulator(by=by, options=options, tz=tz)
    for contact in contacts:
        accumulator.add(contact)
    return accumulator.rows()
