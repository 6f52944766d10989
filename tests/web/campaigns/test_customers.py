"""Customers from the billing or CRM export (issue 17): a GBK CSV and a JSON-lines file,
each bad line reported with its number and reason while the rest are stored, a second
file updating what it names and keeping the rest, only managers importing, every import
audited."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied

from lingting.campaigns.models import CustomerProfile
from lingting.campaigns.selectors import segment_customers
from lingting.campaigns.services.customers import CustomerImportReport, customers_import_file
from lingting.core.models import AuditEvent, User
from lingting.engine.reader import LineError
from lingting.engine.segments import parse_segment_rules
from lingting.interactions.models import Customer
from tests.web.campaigns.conftest import TODAY

pytestmark = pytest.mark.django_db

BILLING_CSV = """\
code,name,phone,region,usage_last_month,products,installed_on,contract_ends_on,套餐
U1001,王小明,138-0013-8000,城关区,0,宽带|4G,2026-11-20,,88元
U1002,李红,+86 139 0000 0002,西峰区,12.5,4G,2026/10/01,2027-01-15,128元
U1003,赵六,12,城关区,0,,,,
U1004,孙七,13900000004,城关区,很多,宽带,,,
U1005,周八,13900000005,,0,,2026-11-31,,
U1006,吴九,13900000006,西峰区,0,IPTV,,,88元
"""

CRM_JSONL = """\
{"code": "U2001", "name": "钱一", "phone": "13800002001", "products": ["宽带", "IPTV"], \
"usage_last_month": 0, "last_complaint_on": "2026-11-30", "套餐": "88元", "积分": 1200}
not json at all
{"name": "没有编号的客户", "phone": "13800002002"}

{"code": "U2003", "usage_last_month": -1}
{"code": "U2004", "products": {"宽带": true}}
{"code": 2005, "name": "郑五", "region": "城关区"}
"""


def profile(code: str) -> CustomerProfile:
    return CustomerProfile.objects.get(customer__code=code)


def imported(path: Path, actor: User | None) -> tuple[CustomerImportReport, dict[int, str]]:
    """The import's report and its rejected lines: {line number: reason}."""
    errors: list[LineError] = []
    report = customers_import_file(str(path), actor=actor, on_error=errors.append)
    return report, {error.line: error.reason for error in errors}


def finds(rules: str) -> list[str]:
    customers = segment_customers(parse_segment_rules(rules), today=TODAY)
    return sorted(customers.values_list("code", flat=True))


def test_a_gbk_csv_is_stored_and_its_bad_lines_are_reported_by_number(
    tmp_path: Path, ops_zhou: User
) -> None:
    path = tmp_path / "billing-202611.csv"
    path.write_bytes(BILLING_CSV.encode("gbk"))

    report, errors = imported(path, ops_zhou)

    assert report == CustomerImportReport(read=6, created=3, updated=0, rejected=3)
    assert sorted(errors) == [4, 5, 6]  # the header is line 1
    assert "phone" in errors[4]
    assert "usage_last_month" in errors[5]
    assert "installed_on" in errors[6]
    assert sorted(Customer.objects.values_list("code", flat=True)) == ["U1001", "U1002", "U1006"]
    first = profile("U1001")
    assert (first.name, first.phone, first.region) == ("王小明", "13800138000", "城关区")
    assert first.usage_last_month == Decimal("0.00")
    assert first.products == ["宽带", "4G"]
    assert first.installed_on == date(2026, 11, 20)
    assert first.contract_ends_on is None  # an empty cell is no day
    assert first.attributes == {"套餐": "88元"}
    second = profile("U1002")
    assert second.phone == "13900000002"  # +86 and the spaces dropped
    assert second.usage_last_month == Decimal("12.50")
    assert (second.installed_on, second.contract_ends_on) == (date(2026, 10, 1), date(2027, 1, 15))
    assert finds("product has 宽带") == ["U1001"]
    assert finds("attribute.套餐 = 88元") == ["U1001", "U1006"]


def test_a_jsonl_file_is_stored_and_its_bad_lines_are_reported_by_number(
    tmp_path: Path, ops_zhou: User
) -> None:
    path = tmp_path / "crm.jsonl"
    path.write_text(CRM_JSONL, encoding="utf-8")

    report, errors = imported(path, ops_zhou)

    assert report == CustomerImportReport(read=6, created=2, updated=0, rejected=4)
    assert sorted(errors) == [2, 3, 5, 6]  # line 4 is blank: skipped, not an error
    assert "JSON" in errors[2]
    assert "code" in errors[3]
    assert "usage_last_month" in errors[5]
    assert "products" in errors[6]
    assert sorted(Customer.objects.values_list("code", flat=True)) == ["2005", "U2001"]
    first = profile("U2001")
    assert first.products == ["宽带", "IPTV"]
    assert first.last_complaint_on == date(2026, 11, 30)
    assert first.attributes == {"套餐": "88元", "积分": "1200"}  # other fields kept as text
    assert (profile("2005").name, profile("2005").region) == ("郑五", "城关区")


def test_a_second_import_updates_what_it_names_and_keeps_the_rest(
    tmp_path: Path, ops_zhou: User
) -> None:
    first = tmp_path / "billing-202611.csv"
    first.write_bytes(BILLING_CSV.encode("gbk"))
    imported(first, ops_zhou)
    assert finds("product has 4G") == ["U1001", "U1002"]
    second = tmp_path / "billing-202612.jsonl"
    second.write_text(
        '{"code": "U1001", "name": "", "region": "西峰区", "products": "宽带;IPTV",'
        ' "积分": "300"}\n'
        '{"code": "U1002", "usage_last_month": 0, "套餐": "88元"}\n'
        '{"code": "U1007", "phone": "13900000007", "products": "宽带、4G"}\n',
        encoding="utf-8",
    )

    report, errors = imported(second, ops_zhou)

    assert (report.created, report.updated, report.rejected, errors) == (1, 2, 0, {})
    updated = profile("U1001")
    assert (updated.name, updated.phone) == ("王小明", "13800138000")  # left out or empty: kept
    assert updated.region == "西峰区"
    assert updated.usage_last_month == Decimal("0.00")
    assert updated.installed_on == date(2026, 11, 20)
    assert updated.products == ["宽带", "IPTV"]  # a new list replaces the old one
    assert updated.attributes == {"套餐": "88元", "积分": "300"}  # merged
    kept = profile("U1002")
    assert kept.products == ["4G"]  # no products in the record: kept
    assert kept.usage_last_month == Decimal("0.00")
    assert kept.attributes == {"套餐": "88元"}  # 128元 overwritten
    assert finds("product has IPTV") == ["U1001", "U1006"]
    assert finds("product has 4G") == ["U1002", "U1007"]
    assert finds("product has 宽带") == ["U1001", "U1007"]
    assert finds("attribute.套餐 = 88元") == ["U1001", "U1002", "U1006"]
    assert CustomerProfile.objects.count() == 4


def test_an_agent_may_not_import_customers(tmp_path: Path, agent_li: User) -> None:
    path = tmp_path / "crm.jsonl"
    path.write_text(CRM_JSONL, encoding="utf-8")

    with pytest.raises(PermissionDenied):
        customers_import_file(str(path), actor=agent_li)

    assert not Customer.objects.exists()
    assert not AuditEvent.objects.filter(action="customers.import").exists()


def test_every_import_is_audited_with_its_counts(tmp_path: Path, ops_zhou: User) -> None:
    path = tmp_path / "crm.jsonl"
    path.write_text(CRM_JSONL, encoding="utf-8")

    imported(path, ops_zhou)
    imported(path, None)  # the command line: no person

    by_person, by_command = AuditEvent.objects.filter(action="customers.import").order_by("id")
    assert (by_person.actor, by_person.object_type, by_person.object_id) == (
        ops_zhou,
        "customer_file",
        "crm.jsonl",
    )
    assert by_person.after == {"read": 6, "created": 2, "updated": 0, "rejected": 4}
    assert by_command.actor is None
    assert by_command.after == {"read": 6, "created": 0, "updated": 2, "rejected": 4}
