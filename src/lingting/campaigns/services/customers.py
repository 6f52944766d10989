"""Customers' data from the billing or CRM export (engine.customer_records), and the
do-not-call list."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from lingting.campaigns.models import CustomerProfile, DoNotCall, DoNotCallSource
from lingting.campaigns.permissions import may_run_campaigns
from lingting.core.models import User
from lingting.core.services import audit_record
from lingting.engine.customer_records import CustomerRecord, read_customer_records
from lingting.engine.reader import LineError
from lingting.interactions.models import Customer


@dataclass
class CustomerImportReport:
    read: int = 0
    created: int = 0
    updated: int = 0
    rejected: int = 0


def customers_import_file(
    path: str, *, actor: User | None, on_error: Callable[[LineError], None] | None = None
) -> CustomerImportReport:
    """Create or update the customers of a .csv/.jsonl file, a line in its own transaction:
    a bad line goes to `on_error` with its number and reason and changes nothing, the rest
    are stored; the import is audited. `actor` None is the command line. Raises
    `UnreadableFileError` when the file as a whole cannot be read."""
    if actor is not None and not may_run_campaigns(actor):
        raise PermissionDenied
    report = CustomerImportReport()
    for item in read_customer_records(path):
        report.read += 1
        if isinstance(item, LineError):
            report.rejected += 1
            if on_error is not None:
                on_error(item)
            continue
        if _store(item[1]):
            report.created += 1
        else:
            report.updated += 1
    audit_record(
        actor=actor,
        action="customers.import",
        object_type="customer_file",
        object_id=os.path.basename(path),
        after={
            "read": report.read,
            "created": report.created,
            "updated": report.updated,
            "rejected": report.rejected,
        },
    )
    return report


def _store(record: CustomerRecord) -> bool:
    """Store one customer's record; whether their profile is new. Fields the record leaves
    out keep what is stored; attributes are merged."""
    with transaction.atomic():
        customer, _ = Customer.objects.get_or_create(code=record.code)
        profile, created = CustomerProfile.objects.select_for_update().get_or_create(
            customer=customer
        )
        for name in ("name", "phone", "region"):
            if value := getattr(record, name):
                setattr(profile, name, value)
        if record.usage_last_month is not None:
            profile.usage_last_month = Decimal(f"{record.usage_last_month:.2f}")
        if record.products is not None:
            profile.products = list(record.products)
            profile.product_keys = product_keys(record.products)
        for name, day in record.days.items():
            setattr(profile, name, day)
        profile.attributes = {**profile.attributes, **record.attributes}
        profile.save()
    return created


def product_keys(products: tuple[str, ...] | list[str]) -> str:
    """ "|宽带|4G|": what `product has 宽带` looks for (`|宽带|`) on any database."""
    return "|" + "|".join(products) + "|" if products else ""


def do_not_call_add(
    *, number: str, source: DoNotCallSource, actor: User | None, note: str = ""
) -> DoNotCall:
    """Put `number` on the do-not-call list for good (once: a number already there keeps
    its first entry)."""
    entry, created = DoNotCall.objects.get_or_create(
        number=number,
        defaults={
            "since": timezone.now(),
            "source": source,
            "note": note[:200],
            "recorded_by": actor,
        },
    )
    if created:
        audit_record(
            actor=actor,
            action="do_not_call.add",
            object_type="do_not_call",
            object_id=entry.pk,
            after={"number": number, "source": str(source)},
            note=note,
        )
    return entry
