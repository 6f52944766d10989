"""A running campaign's refresh (issue 17, every 15 minutes): its segment's customers added
once, today's lists shared out among the team's agents at work up to the daily quota,
absent agents' customers handed to the others, do-not-call numbers and customers not due
today left off."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

import pytest

from lingting.campaigns.models import (
    Campaign,
    CampaignStatus,
    CampaignTarget,
    CustomerProfile,
    DoNotCallSource,
)
from lingting.campaigns.services.calls import call_record
from lingting.campaigns.services.campaigns import (
    RefreshReport,
    campaign_refresh,
    campaigns_refresh,
)
from lingting.campaigns.services.customers import do_not_call_add
from lingting.core.models import Agent, User
from lingting.engine.callbacks import Disposition, TargetState
from lingting.surveys.gateways import FakeGateway
from lingting.surveys.models import SurveyPlan
from lingting.surveys.services.invitations import survey_invitations_decide, survey_reply_receive
from lingting.surveys.services.sending import survey_invitations_send
from lingting.workforce.models import Absence
from tests.conftest import SHANGHAI, ContactFactory
from tests.web.campaigns.conftest import TODAY, MakeCampaign, MakeCustomer

pytestmark = pytest.mark.django_db
TOMORROW = TODAY + timedelta(days=1)


def phone(number: int) -> str:
    return f"1380013{number:04d}"


@pytest.fixture
def zero_usage(make_customer: MakeCustomer) -> Any:
    """`zero_usage(n)`: n more customers with no usage last month, U00, U01 …"""

    def made(count: int) -> None:
        first = CustomerProfile.objects.count()
        for number in range(first, first + count):
            make_customer(f"U{number:02d}", phone=phone(number), usage_last_month=0)

    return made


def lists(campaign: Campaign, day: date) -> dict[str, list[str]]:
    """Each agent's list for `day`: {agent code: customer codes}."""
    shares: dict[str, list[str]] = {}
    for agent, customer in (
        CampaignTarget.objects.filter(campaign=campaign, assigned_on=day)
        .order_by("customer__code")
        .values_list("assigned_to__code", "customer__code")
    ):
        shares.setdefault(agent, []).append(customer)
    return shares


def target(campaign: Campaign, code: str) -> CampaignTarget:
    return CampaignTarget.objects.get(campaign=campaign, customer__code=code)


def test_a_refresh_adds_the_segments_customers_once(
    zero_usage: Any, make_customer: MakeCustomer, make_campaign: MakeCampaign
) -> None:
    zero_usage(3)
    make_customer("BUSY", phone=phone(99), usage_last_month=88)
    campaign = make_campaign()

    assert campaign_refresh(campaign, today=TODAY).added == 3
    assert campaign_refresh(campaign, today=TODAY).added == 0
    CustomerProfile.objects.filter(customer__code="U00").update(usage_last_month=50)
    zero_usage(1)  # U04 (BUSY took the fourth profile)
    assert campaign_refresh(campaign, today=TOMORROW).added == 1

    targets = CampaignTarget.objects.filter(campaign=campaign).order_by("customer__code")
    assert [(t.customer.code, t.phone, t.added_on) for t in targets] == [
        ("U00", phone(0), TODAY),  # left the segment since: stays on
        ("U01", phone(1), TODAY),
        ("U02", phone(2), TODAY),
        ("U04", phone(4), TOMORROW),
    ]


@pytest.mark.parametrize(("customers", "shared"), [(2, 2), (4, 4), (6, 6), (9, 6)])
def test_todays_lists_fill_each_agent_up_to_the_quota_and_add_up(
    customers: int,
    shared: int,
    zero_usage: Any,
    make_campaign: MakeCampaign,
    callers: dict[str, Agent],
) -> None:
    zero_usage(customers)
    campaign = make_campaign(daily_quota=2)  # three agents: room for six a day

    report = campaign_refresh(campaign, today=TODAY)

    shares = lists(campaign, TODAY)
    sizes = [len(shares.get(code, [])) for code in callers]
    assert report.shared == shared == sum(sizes) == min(customers, len(callers) * 2)
    assert max(sizes) <= 2
    assert max(sizes) - min(sizes) <= 1  # shared evenly
    waiting = CampaignTarget.objects.filter(campaign=campaign, assigned_to__isnull=True)
    assert waiting.count() == customers - shared  # for another day
    assert campaign_refresh(campaign, today=TODAY) == RefreshReport()  # again: nothing moves
    assert lists(campaign, TODAY) == shares


def test_no_lists_are_shared_on_a_day_the_campaign_does_not_call(
    zero_usage: Any, make_campaign: MakeCampaign
) -> None:
    zero_usage(3)
    other_days = [day for day in range(7) if day != TODAY.weekday()]
    campaign = make_campaign(call_days=other_days)

    report = campaign_refresh(campaign, today=TODAY)

    assert report.added == 3  # the customers are taken on for the calling days
    assert report.shared == 0
    assert lists(campaign, TODAY) == {}
    assert campaign_refresh(campaign, today=TOMORROW).shared == 3


def test_an_absent_agent_gets_nothing_and_their_customers_go_to_the_others(
    zero_usage: Any, make_campaign: MakeCampaign, callers: dict[str, Agent], ops_zhou: User
) -> None:
    zero_usage(6)
    campaign = make_campaign(daily_quota=3)
    campaign_refresh(campaign, today=TODAY)
    morning = lists(campaign, TODAY)
    assert [len(morning[code]) for code in callers] == [2, 2, 2]
    Absence.objects.create(
        agent=callers["H02"], first_day=TODAY, last_day=TOMORROW, kind="sick", created_by=ops_zhou
    )

    report = campaign_refresh(campaign, today=TODAY)  # the 15-minute refresh after the leave

    afternoon = lists(campaign, TODAY)
    assert "H02" not in afternoon
    assert (report.released, report.shared) == (2, 2)
    assert sorted(afternoon["H01"] + afternoon["H03"]) == [f"U{n:02d}" for n in range(6)]
    assert set(morning["H01"]) < set(afternoon["H01"])  # kept their own, took one more
    assert set(morning["H03"]) < set(afternoon["H03"])

    next_day = campaign_refresh(campaign, today=TOMORROW)

    assert (next_day.released, next_day.shared) == (6, 6)  # yesterday's lists renewed
    assert lists(campaign, TOMORROW) == afternoon  # each customer back with the same agent


def test_a_do_not_call_number_is_suppressed_and_never_shared(
    zero_usage: Any, make_campaign: MakeCampaign, ops_zhou: User
) -> None:
    zero_usage(3)
    do_not_call_add(number=phone(0), source=DoNotCallSource.IMPORT, actor=ops_zhou)
    campaign = make_campaign()

    report = campaign_refresh(campaign, today=TODAY)

    assert (report.added, report.shared) == (3, 2)
    assert target(campaign, "U00").state == TargetState.SUPPRESSED
    assert target(campaign, "U00").assigned_to is None
    do_not_call_add(number=phone(1), source=DoNotCallSource.MANUAL, actor=ops_zhou)

    campaign_refresh(campaign, today=TODAY)  # put on the list after the lists were made

    assert target(campaign, "U01").state == TargetState.SUPPRESSED
    assert [codes for codes in lists(campaign, TODAY).values()] == [["U02"]]


def test_a_customer_who_asked_to_be_called_later_is_listed_on_that_day(
    zero_usage: Any, make_campaign: MakeCampaign
) -> None:
    zero_usage(2)
    campaign = make_campaign()
    campaign_refresh(campaign, today=TODAY)
    asked = target(campaign, "U00")
    assert asked.assigned_to is not None
    call_record(
        actor=None,
        target=asked,
        agent=asked.assigned_to,
        disposition=Disposition.CALL_BACK,
        called_at=datetime(2026, 12, 7, 10, 0, tzinfo=SHANGHAI),
        call_back_at=datetime(2026, 12, 9, 10, 0, tzinfo=SHANGHAI),
    )

    campaign_refresh(campaign, today=TOMORROW)
    assert [codes for codes in lists(campaign, TOMORROW).values()] == [["U01"]]
    campaign_refresh(campaign, today=TODAY + timedelta(days=2))
    assert "U00" in next(iter(lists(campaign, TODAY + timedelta(days=2)).values()))


def test_a_retry_due_later_today_is_shared_today_and_one_due_tomorrow_is_not(
    zero_usage: Any, make_campaign: MakeCampaign
) -> None:
    zero_usage(3)
    campaign = make_campaign()
    for code, due in [
        ("U00", datetime(2026, 12, 7, 23, 59, tzinfo=SHANGHAI)),
        ("U01", datetime(2026, 12, 8, 0, 0, tzinfo=SHANGHAI)),
    ]:
        CampaignTarget.objects.create(
            campaign=campaign,
            customer=CustomerProfile.objects.get(customer__code=code).customer,
            phone=phone(int(code[1:])),
            attempts=1,
            next_try_at=due,
            added_on=TODAY,
        )

    report = campaign_refresh(campaign, today=TODAY)

    assert (report.added, report.shared) == (1, 2)
    shared = sorted(code for codes in lists(campaign, TODAY).values() for code in codes)
    assert shared == ["U00", "U02"]
    assert target(campaign, "U01").assigned_to is None


@pytest.mark.parametrize(
    "fields",
    [
        {"status": CampaignStatus.DRAFT},
        {"status": CampaignStatus.PAUSED},
        {"status": CampaignStatus.ENDED},
        {"starts_on": TOMORROW},
        {"starts_on": date(2026, 11, 1), "ends_on": TODAY - timedelta(days=1)},
    ],
    ids=["draft", "paused", "ended", "not_started", "over"],
)
def test_a_campaign_not_running_today_changes_nothing(
    fields: dict[str, Any], zero_usage: Any, make_campaign: MakeCampaign
) -> None:
    zero_usage(3)
    campaign = make_campaign(**fields)

    assert campaign_refresh(campaign, today=TODAY) == RefreshReport()
    assert not CampaignTarget.objects.exists()


def test_a_paused_campaigns_lists_stay_as_they_were(
    zero_usage: Any, make_campaign: MakeCampaign, ops_zhou: User
) -> None:
    zero_usage(3)
    campaign = make_campaign()
    campaign_refresh(campaign, today=TODAY)
    before = lists(campaign, TODAY)
    Campaign.objects.filter(pk=campaign.pk).update(status=CampaignStatus.PAUSED)
    campaign.refresh_from_db()
    zero_usage(1)
    do_not_call_add(number=phone(0), source=DoNotCallSource.MANUAL, actor=ops_zhou)

    assert campaign_refresh(campaign, today=TOMORROW) == RefreshReport()
    assert lists(campaign, TODAY) == before
    assert CampaignTarget.objects.count() == 3
    assert target(campaign, "U00").state == TargetState.OPEN


def test_the_scheduler_refreshes_every_running_campaign_and_only_those(
    zero_usage: Any, make_campaign: MakeCampaign
) -> None:
    zero_usage(2)
    make_campaign("零使用回访")
    make_campaign("投诉回访", rules="usage_last_month = 0", status=CampaignStatus.DRAFT)

    reports = campaigns_refresh(today=TODAY)

    assert reports == {"零使用回访": RefreshReport(added=2, shared=2)}


def test_a_low_score_is_called_back_at_the_number_the_survey_reached(
    make_campaign: MakeCampaign, make_contact: ContactFactory
) -> None:
    """A customer known only from a call (no profile from the CRM) who answers the SMS
    survey with a 1 is on the low-score campaign's list at the next refresh, with the
    number that answered."""
    SurveyPlan.objects.create(
        name="短信满意度", question="回复1-5", quiet_start=time(0), quiet_end=time(0)
    )
    ended = datetime(2026, 12, 6, 10, 0, tzinfo=SHANGHAI)
    make_contact(
        customer="C-CALLER",
        started_at=ended - timedelta(minutes=5),
        ended_at=ended,
        extra={"customer_phone": "139 0000 1234"},
    )
    sent_at = ended + timedelta(minutes=10)
    survey_invitations_decide(now=sent_at)
    survey_invitations_send(now=sent_at, gateway=FakeGateway())
    survey_reply_receive(
        message_id="m1", address="13900001234", text="1 等太久", received_at=sent_at
    )
    campaign = make_campaign(name="低分回访", rules="low_score within 7")

    assert campaign_refresh(campaign, today=TODAY).added == 1
    assert target(campaign, "C-CALLER").phone == "13900001234"
