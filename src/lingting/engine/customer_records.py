"""Customers for callback campaigns (issue 17), from the billing or CRM system's export.

One customer a line, JSON lines or CSV with a header (`engine.records`: UTF-8 or GBK, each
broken line its own error). `code` is required: the customer's number in the center's
systems, the same `customer_id` the contacts carry, so a customer's calls, orders and
surveys show beside them. Known fields:

- `name`, `phone` (any spelling: 138-0013-8000, +86 …; stored as digits), `region`;
- `usage_last_month`: a number ≥ 0 (minutes, MB or yuan: whatever the export measures;
  seed 003's zero-usage customers have 0);
- `products`: a JSON list, or text split at `|`, `;`, `、` or `,` (宽带|4G);
- `installed_on`, `contract_ends_on`, `last_complaint_on`, `last_fault_on`: days.

Every other field is kept as text among the customer's attributes, for segments to test
(`attribute.套餐 = 88元`). A field left out or empty changes nothing already stored.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from lingting.engine.reader import LineError
from lingting.engine.records import (
    RecordError,
    parse_records,
    read_records,
    record_day,
    record_text,
)
from lingting.engine.survey_invitations import normal_address

REQUIRED_FIELDS = ("code",)
MAX_CODE = 128
MAX_TEXT = 128
MAX_ATTRIBUTES = 50
MAX_PRODUCTS_TEXT = 1000  # what the database keeps of them as one text
MAX_ATTRIBUTE_NAME = 64
MAX_USAGE = 1e11  # what the database keeps (12 digits before the point)
DAY_FIELDS = ("installed_on", "contract_ends_on", "last_complaint_on", "last_fault_on")
KNOWN_FIELDS = frozenset(
    {"code", "name", "phone", "region", "usage_last_month", "products", *DAY_FIELDS}
)
_PRODUCT_SEPARATORS = re.compile(r"[|;,、，；]")


@dataclass(frozen=True, slots=True)
class CustomerRecord:
    code: str
    name: str = ""  # "": unchanged
    phone: str = ""  # digits only
    region: str = ""
    usage_last_month: float | None = None  # None: unchanged
    products: tuple[str, ...] | None = None
    days: Mapping[str, date] = field(default_factory=dict)  # DAY_FIELDS given
    attributes: Mapping[str, str] = field(default_factory=dict)


def customer_record(record: Mapping[str, Any]) -> CustomerRecord:
    """Validate one record; raises `RecordError` naming the wrong field and why."""
    code = record_text(record, "code")
    if not code:
        raise RecordError("missing 'code' (the customer's number, as contacts carry it)")
    if len(code) > MAX_CODE:
        raise RecordError(f"'code' is longer than {MAX_CODE} characters")
    texts = {name: _short_text(record, name) for name in ("name", "region")}
    spelled_phone = record_text(record, "phone")
    phone = normal_address(spelled_phone)
    if spelled_phone and not 7 <= len(phone) <= 20:
        raise RecordError(f"'phone' is not a phone number: {spelled_phone[:40]!r}")
    days = {name: day for name in DAY_FIELDS if (day := record_day(record, name)) is not None}
    attributes = {
        str(name): value
        for name in record
        if name not in KNOWN_FIELDS and (value := _attribute(record, str(name)))
    }
    if len(attributes) > MAX_ATTRIBUTES:
        raise RecordError(f"more than {MAX_ATTRIBUTES} other fields")
    return CustomerRecord(
        code=code,
        name=texts["name"],
        phone=phone,
        region=texts["region"],
        usage_last_month=_usage(record),
        products=_products(record.get("products")),
        days=days,
        attributes=attributes,
    )


def read_customer_records(path: str) -> Iterator[tuple[int, CustomerRecord] | LineError]:
    """(line number, record) or a `LineError` for each non-blank line of a .jsonl/.csv file;
    raises `UnreadableFileError` when the file as a whole cannot be read."""
    return parse_records(read_records(path, required=REQUIRED_FIELDS), customer_record)


def _short_text(record: Mapping[str, Any], name: str) -> str:
    text = record_text(record, name)
    if len(text) > MAX_TEXT:
        raise RecordError(f"'{name}' is longer than {MAX_TEXT} characters")
    return text


def _usage(record: Mapping[str, Any]) -> float | None:
    value = record.get("usage_last_month")
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise RecordError("'usage_last_month' must be a number")
    try:
        usage = float(value)
    except (TypeError, ValueError):
        raise RecordError(f"'usage_last_month' is not a number: {str(value)[:40]!r}") from None
    if not math.isfinite(usage) or not 0 <= usage < MAX_USAGE:
        raise RecordError(f"'usage_last_month' must be a number from 0 to {MAX_USAGE:.0e}")
    return usage


def _products(value: Any) -> tuple[str, ...] | None:
    if value is None or value == "":
        return None
    if isinstance(value, str):
        names = _PRODUCT_SEPARATORS.split(value)
    elif isinstance(value, list) and all(isinstance(name, str) for name in value):
        names = value
    else:
        raise RecordError("'products' must be text or a list of texts")
    products = tuple(dict.fromkeys(name.strip() for name in names if name.strip()))
    if not products:
        return None  # empty changes nothing, as for every field
    if any(len(name) > MAX_TEXT for name in products):
        raise RecordError(f"a product name is longer than {MAX_TEXT} characters")
    if sum(len(name) + 1 for name in products) >= MAX_PRODUCTS_TEXT:
        raise RecordError(f"'products' are longer than {MAX_PRODUCTS_TEXT} characters in all")
    return products


def _attribute(record: Mapping[str, Any], name: str) -> str:
    if len(name) > MAX_ATTRIBUTE_NAME or not name.strip() or any(ch.isspace() for ch in name):
        raise RecordError(
            f"field name {name[:70]!r}: up to {MAX_ATTRIBUTE_NAME} characters, no spaces"
        )
    value = record.get(name)
    if isinstance(value, float | int) and not isinstance(value, bool):
        # all its digits: 1234567.89, not 1.23457e+06
        return repr(value).removesuffix(".0") if isinstance(value, float) else str(value)
    if value is None or isinstance(value, str):
        return _short_text(record, name)
    raise RecordError(f"'{name}' must be text or a number")
