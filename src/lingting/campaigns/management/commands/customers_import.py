"""`lingting customers_import FILE.csv|FILE.jsonl`: customers for callback campaigns.

Columns (CSV header) or keys (JSON lines): code, and any of name, phone, region,
usage_last_month, products, installed_on, contract_ends_on, last_complaint_on,
last_fault_on; other fields are kept as attributes. UTF-8 or GBK. Each bad line is
reported with its number and reason and changes nothing; the rest are stored.
"""

from __future__ import annotations

from collections.abc import Callable

from lingting.campaigns.services.customers import CustomerImportReport, customers_import_file
from lingting.core.management.line_import import LineFileImportCommand
from lingting.engine.reader import LineError


class Command(LineFileImportCommand):
    help = (
        "Create or update customers (code, name, phone, region, usage_last_month, products, "
        "installed_on, contract_ends_on, last_complaint_on, last_fault_on, other attributes) "
        "from a JSON-lines or CSV file (UTF-8 or GBK). Exit status 0: all lines stored; "
        "1: some lines rejected; 2: nothing could be read."
    )
    what = "customers"

    def import_file(self, path: str, on_error: Callable[[LineError], None]) -> CustomerImportReport:
        return customers_import_file(path, actor=None, on_error=on_error)

    def summary(self, report: CustomerImportReport) -> str:
        return (
            f"read {report.read} · created {report.created} · updated {report.updated} · "
            f"rejected {report.rejected}"
        )
