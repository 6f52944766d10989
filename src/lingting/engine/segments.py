"""Segments of customers by rules (issue 17): who a callback campaign calls.

A segment is a few lines, each a condition every customer in it meets (seed 003's lists:
zero usage last month, installed in the last 30 days, complained, fault reported and
closed, contract ending within 60 days)::

    # zero-usage broadband customers who did not complain lately
    usage_last_month = 0
    product has 宽带
    not complained within 30

Fields and what they accept:

- `usage_last_month` (a number): `=`, `!=`, `<`, `<=`, `>`, `>=` and a number;
- `installed_on`, `contract_ends_on` (days): `within N` (installed in the last N days, a
  contract ending in the next N), or a comparison with a day (`>= 2026-11-01`);
- `complained`, `fault_closed`, `low_score`, `contacted` (what happened to the customer,
  from the center's own work orders, surveys and contacts, and the imported days of last
  complaint and fault): `within N` days;
- `product`: `has NAME`; `region` and `attribute.NAME`: `=` or `!=` and a text.

`not ` before a condition turns it round. The engine reads and checks the text; the app
asks its database for the customers that meet every condition.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum


class FieldKind(StrEnum):
    NUMBER = "number"
    PAST_DAY = "past_day"  # `within N`: the last N days
    FUTURE_DAY = "future_day"  # `within N`: the next N days
    EVENT = "event"  # something that happened to the customer: `within N` only
    LIST = "list"
    TEXT = "text"


FIELDS: dict[str, FieldKind] = {
    "usage_last_month": FieldKind.NUMBER,
    "installed_on": FieldKind.PAST_DAY,
    "contract_ends_on": FieldKind.FUTURE_DAY,
    "complained": FieldKind.EVENT,
    "fault_closed": FieldKind.EVENT,
    "low_score": FieldKind.EVENT,
    "contacted": FieldKind.EVENT,
    "product": FieldKind.LIST,
    "region": FieldKind.TEXT,
}
ATTRIBUTE_PREFIX = "attribute."
COMPARISONS = ("=", "!=", "<", "<=", ">", ">=")
MAX_DAYS = 3660
MAX_CONDITIONS = 20

_LINE = re.compile(r"^(?P<not>not\s+)?(?P<field>\S+)\s+(?P<op>\S+)(?:\s+(?P<value>.+))?$")


class SegmentRuleError(ValueError):
    """A rule that cannot be read; the message names its line and what is wrong."""


@dataclass(frozen=True, slots=True)
class Condition:
    field: str  # a FIELDS name or attribute.NAME
    op: str  # a comparison, "within" or "has"
    value: float | date | str | int  # int: the days of `within`
    negated: bool = False

    @property
    def kind(self) -> FieldKind:
        return FIELDS.get(self.field, FieldKind.TEXT)

    def text(self) -> str:
        value = self.value.isoformat() if isinstance(self.value, date) else self.value
        if isinstance(value, float):
            value = repr(value).removesuffix(".0")  # all its digits: 1234567, not 1.23457e+06
        return f"{'not ' if self.negated else ''}{self.field} {self.op} {value}"

    def days_between(self, today: date) -> tuple[date, date]:
        """The days a `within N` condition covers: the last N days up to `today`, or the
        next N from it for a day ahead (a contract's end)."""
        if self.op != "within" or not isinstance(self.value, int):
            raise ValueError(f"{self.text()!r} is not a 'within N' condition")
        reach = timedelta(days=self.value)
        if self.kind is FieldKind.FUTURE_DAY:
            return today, today + reach
        return today - reach, today


def parse_segment_rules(text: str) -> tuple[Condition, ...]:
    """The conditions of a segment's text, one a line; blank lines and `#` comments are
    skipped. Raises `SegmentRuleError` naming the first bad line."""
    conditions = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        try:
            conditions.append(_condition(line))
        except SegmentRuleError as exc:
            raise SegmentRuleError(f"line {number} ({line[:60]!r}): {exc}") from None
    if len(conditions) > MAX_CONDITIONS:
        raise SegmentRuleError(f"more than {MAX_CONDITIONS} conditions")
    return tuple(conditions)


def format_segment_rules(conditions: tuple[Condition, ...]) -> str:
    return "\n".join(condition.text() for condition in conditions)


def _condition(line: str) -> Condition:
    match = _LINE.match(line)
    if match is None:
        raise SegmentRuleError("write a field, an operator and a value")
    name, op, value = match["field"], match["op"], (match["value"] or "").strip()
    negated = match["not"] is not None
    if name.startswith(ATTRIBUTE_PREFIX) and len(name) > len(ATTRIBUTE_PREFIX):
        kind = FieldKind.TEXT
    elif name in FIELDS:
        kind = FIELDS[name]
    else:
        known = ", ".join([*FIELDS, ATTRIBUTE_PREFIX + "NAME"])
        raise SegmentRuleError(f"unknown field {name!r} (known: {known})")
    if not value:
        raise SegmentRuleError(f"{name} {op}: a value is missing")
    return Condition(name, op, _value(kind, op, value), negated)


def _value(kind: FieldKind, op: str, value: str) -> float | date | str | int:
    allowed = _OPERATORS[kind]
    if op not in allowed:
        raise SegmentRuleError(f"the operator must be one of {' '.join(allowed)}, not {op!r}")
    if op == "within":
        return _days(value)
    if kind is FieldKind.NUMBER:
        try:
            number = float(value)
        except ValueError:
            raise SegmentRuleError(f"{value[:30]!r} is not a number") from None
        if not math.isfinite(number):
            raise SegmentRuleError(f"{value[:30]!r} is not a number")
        return number
    if kind in (FieldKind.PAST_DAY, FieldKind.FUTURE_DAY):
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise SegmentRuleError(f"{value[:30]!r} is not a day like 2026-11-01") from None
    return value


def _days(value: str) -> int:
    if not value.isascii() or not value.isdigit() or not 1 <= int(value) <= MAX_DAYS:
        raise SegmentRuleError(f"within takes a number of days from 1 to {MAX_DAYS}")
    return int(value)


_OPERATORS: dict[FieldKind, tuple[str, ...]] = {
    FieldKind.NUMBER: COMPARISONS,
    FieldKind.PAST_DAY: ("within", *COMPARISONS),
    FieldKind.FUTURE_DAY: ("within", *COMPARISONS),
    FieldKind.EVENT: ("within",),
    FieldKind.LIST: ("has",),
    FieldKind.TEXT: ("=", "!="),
}
