"""Whether each agent at work called their quota of customers (seed 003: at least five a
day), per calling day: customers called, not calls made; absent agents not held to it."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest

from lingting.campaigns.models import Campaign, CampaignTarget, CustomerProfile
from lingting.campaigns.selectors import quota_attainment
from lingting.campaigns.services.calls import call_record
from lingting.core.models import Agent
from lingting.engine.callbacks import Disposition
from lingting.workforce.models import Absence
from tests.conftest import SHANGHAI
from tests.web.campaigns.conftest import TODAY, MakeCampaign, MakeCustomer

pytestmark = pytest.mark.django_db
MONDAY, TUESDAY, SATURDAY = TODAY, date(2026, 12, 8), date(2026, 12, 12)


@pytest.fixture
def campaign(make_customer: MakeCustomer, make_campaign: MakeCampaign) -> Campaign:
    """Weekdays from Tuesday 2026-12-01, two customers per agent a day; U0 … U5."""
    for number in range(6):
        make_customer(f"U{number}", phone=f"138001380{number:02d}", usage_last_month=0)
    made = make_campaign(daily_quota=2, call_days=[0, 1, 2, 3, 4])
    CampaignTarget.objects.bulk_create(
        CampaignTarget(campaign=made, customer_id=customer, phone=phone, added_on=MONDAY)
        for customer, phone in CustomerProfile.objects.values_list("customer_id", "phone")
    )
    return made


def call(campaign: Campaign, agent: str, customer: str, day: date, hour: int, result: str) -> None:
    call_record(
        actor=None,
        target=CampaignTarget.objects.get(campaign=campaign, customer__code=customer),
        agent=Agent.objects.get(code=agent),
        disposition=Disposition(result),
        called_at=datetime.combine(day, time(hour), tzinfo=SHANGHAI),
    )


def test_each_agent_at_work_is_held_to_the_quota_on_each_calling_day(
    campaign: Campaign, callers: dict[str, Agent]
) -> None:
    Absence.objects.create(agent=callers["H03"], first_day=TUESDAY, last_day=TUESDAY, kind="sick")
    call(campaign, "H01", "U0", MONDAY, 10, "no_answer")
    call(campaign, "H01", "U0", MONDAY, 12, "reached")  # one customer, twice
    call(campaign, "H01", "U1", MONDAY, 19, "reached")
    call(campaign, "H02", "U2", MONDAY, 11, "reached")
    call(campaign, "H01", "U3", TUESDAY, 10, "reached")
    call(campaign, "H02", "U4", TUESDAY, 9, "busy")
    call(campaign, "H02", "U5", TUESDAY, 10, "reached")
    call(campaign, "H03", "U4", SATURDAY, 10, "reached")  # not a calling day

    days = quota_attainment(campaign, [SATURDAY, TUESDAY, MONDAY, date(2026, 11, 30), MONDAY])

    assert [(d.day, d.agent.code, d.called, d.quota, d.met) for d in days] == [
        (MONDAY, "H01", 2, 2, True),
        (MONDAY, "H02", 1, 2, False),
        (MONDAY, "H03", 0, 2, False),
        (TUESDAY, "H01", 1, 2, False),
        (TUESDAY, "H02", 2, 2, True),  # H03 away on Tuesday: not listed
    ]


def test_no_calling_days_no_rows(campaign: Campaign) -> None:
    assert quota_attainment(campaign, [SATURDAY, date(2027, 1, 4)]) == []
