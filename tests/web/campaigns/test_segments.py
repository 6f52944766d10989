"""Segments against real rows (issue 17): each rule of seed 003's lists finds the customers
it names, from the imported profile and from the center's own work orders and surveys."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest

from lingting.campaigns.selectors import segment_count, segment_customers
from lingting.core.models import User
from lingting.engine.segments import parse_segment_rules
from lingting.interactions.models import Customer
from lingting.surveys.models import SurveyResponse
from lingting.workorders.models import WorkOrder, WorkOrderType
from tests.conftest import SHANGHAI, ContactFactory
from tests.web.campaigns.conftest import TODAY, MakeCustomer

pytestmark = pytest.mark.django_db


def finds(rules: str) -> list[str]:
    """The codes of the customers the rules find on TODAY (2026-12-07), checked against the
    live count the segment page shows."""
    conditions = parse_segment_rules(rules)
    codes = sorted(segment_customers(conditions, today=TODAY).values_list("code", flat=True))
    assert segment_count(conditions, today=TODAY) == len(codes)
    return codes


def at(month: int, day: int, hour: int = 10) -> datetime:
    return datetime(2026, month, day, hour, 0, tzinfo=SHANGHAI)


def work_order(
    type_code: str, customer: Customer, *, created: datetime, closed: datetime | None = None
) -> WorkOrder:
    return WorkOrder.objects.create(
        number=f"GD-C{WorkOrder.objects.count() + 1:03d}",
        type=WorkOrderType.objects.get(code=type_code),  # seeded by the migrations
        title="客户来电",
        customer=customer,
        created_at=created,
        state="closed" if closed else "dispatched",
        closed_at=closed,
    )


def test_usage_last_month_finds_the_zero_usage_customers(make_customer: MakeCustomer) -> None:
    make_customer("Z1", usage_last_month=Decimal(0))
    make_customer("Z2", usage_last_month=Decimal("0.01"))
    make_customer("Z3", usage_last_month=Decimal("35.50"))
    make_customer("Z4")  # the export said nothing: not zero
    Customer.objects.create(code="Z5")  # a caller with no profile is in no segment

    assert finds("usage_last_month = 0") == ["Z1"]
    assert finds("usage_last_month > 10") == ["Z3"]
    assert finds("usage_last_month != 0") == ["Z2", "Z3"]


def test_installed_within_30_days_counts_back_from_today(make_customer: MakeCustomer) -> None:
    make_customer("I1", installed_on=date(2026, 11, 20))
    make_customer("I2", installed_on=date(2026, 11, 7))  # 30 days ago: in
    make_customer("I3", installed_on=date(2026, 11, 6))
    make_customer("I4", installed_on=TODAY)
    make_customer("I5")

    assert finds("installed_on within 30") == ["I1", "I2", "I4"]
    assert finds("installed_on >= 2026-11-20") == ["I1", "I4"]


def test_contract_ending_within_60_days_counts_forward_from_today(
    make_customer: MakeCustomer,
) -> None:
    make_customer("K1", contract_ends_on=date(2027, 1, 15))
    make_customer("K2", contract_ends_on=date(2027, 2, 5))  # 60 days ahead: in
    make_customer("K3", contract_ends_on=date(2027, 2, 6))
    make_customer("K4", contract_ends_on=date(2026, 12, 1))  # ended already
    make_customer("K5")

    assert finds("contract_ends_on within 60") == ["K1", "K2"]


def test_product_has_finds_a_whole_product_name(make_customer: MakeCustomer) -> None:
    make_customer("P1", products=["宽带", "4G"])
    make_customer("P2", products=["4G", "宽带"])
    make_customer("P3", products=["宽带融合"])  # another product, not 宽带
    make_customer("P4", products=["IPTV"])
    make_customer("P5")

    assert finds("product has 宽带") == ["P1", "P2"]
    assert finds("product has 宽带融合") == ["P3"]
    assert finds("not product has 宽带") == ["P3", "P4", "P5"]


def test_region_and_a_chinese_attribute_name_match_their_text(
    make_customer: MakeCustomer,
) -> None:
    make_customer("R1", region="城关区", attributes={"套餐": "88元", "积分": "1200"})
    make_customer("R2", region="西峰区", attributes={"套餐": "88元"})
    make_customer("R3", region="城关区", attributes={"套餐": "128元"})
    make_customer("R4", region="城关区")

    assert finds("region = 城关区") == ["R1", "R3", "R4"]
    assert finds("attribute.套餐 = 88元") == ["R1", "R2"]
    assert finds("attribute.套餐 != 88元") == ["R3"]  # no 套餐 at all: not "other than"
    assert finds("region = 城关区\nattribute.套餐 = 88元") == ["R1"]
    assert finds("attribute.积分 = 1200") == ["R1"]


def test_not_complained_leaves_out_complaint_orders_and_imported_complaints(
    make_customer: MakeCustomer, ops_zhou: User
) -> None:
    by_order = make_customer("C1")
    work_order("complaint", by_order, created=at(11, 25))
    make_customer("C2", last_complaint_on=date(2026, 11, 30))  # from the billing export
    long_ago = make_customer("C3")
    work_order("complaint", long_ago, created=at(10, 1))
    make_customer("C4", last_complaint_on=date(2026, 10, 20))
    faulty = make_customer("C5")
    work_order("fault", faulty, created=at(12, 1))  # a fault report is no complaint
    make_customer("C6")

    assert finds("complained within 30") == ["C1", "C2"]
    assert finds("not complained within 30") == ["C3", "C4", "C5", "C6"]


def test_fault_closed_counts_closed_fault_orders_and_imported_faults(
    make_customer: MakeCustomer,
) -> None:
    closed = make_customer("F1")
    work_order("fault", closed, created=at(11, 28), closed=at(12, 1))
    still_open = make_customer("F2")
    work_order("fault", still_open, created=at(12, 2))
    long_ago = make_customer("F3")
    work_order("fault", long_ago, created=at(9, 20), closed=at(10, 1))
    make_customer("F4", last_fault_on=date(2026, 12, 5))
    complaint = make_customer("F5")
    work_order("complaint", complaint, created=at(12, 1), closed=at(12, 2))

    assert finds("fault_closed within 14") == ["F1", "F4"]


def test_low_score_is_the_bottom_two_of_five_or_a_detractor(
    make_customer: MakeCustomer, make_contact: ContactFactory
) -> None:
    for code, score, question, answered in [
        ("L1", 1, "csat", at(12, 3)),
        ("L2", 2, "csat", at(12, 4)),
        ("L3", 3, "csat", at(12, 4)),
        ("L4", 5, "csat", at(12, 5)),
        ("L5", 1, "csat", at(10, 1)),  # long ago
        ("N1", 6, "nps", at(12, 4)),  # a detractor
        ("N2", 7, "nps", at(12, 4)),  # passive
    ]:
        make_customer(code)
        contact = make_contact(customer=code, started_at=answered.replace(hour=9))
        SurveyResponse.objects.create(
            contact=contact,
            channel="sms",
            score=score,
            scale=10 if question == "nps" else 5,
            question=question,
            answered_at=answered,
        )
    make_customer("L6")

    assert finds("low_score within 30") == ["L1", "L2", "N1"]
    assert finds("not low_score within 30") == ["L3", "L4", "L5", "L6", "N2"]
