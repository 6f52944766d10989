"""A callback call recorded (issue 17): its outcome moves the customer on (done, tried again,
closed, called back), a do-not-call request goes on the list for good, every call is an
outbound contact of the campaign's queue, a dialer's retry records nothing twice; and
whether the agent may dial now: the campaign's hours inside the legal window, the rest
days between two campaigns' calls to one number."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

import pytest

from lingting.campaigns.models import (
    CallAttempt,
    Campaign,
    CampaignTarget,
    DoNotCall,
    DoNotCallSource,
)
from lingting.campaigns.selectors import target_call_verdict
from lingting.campaigns.services.calls import CallOutcome, CallRefused, call_record
from lingting.campaigns.services.campaigns import campaign_refresh
from lingting.campaigns.services.customers import do_not_call_add
from lingting.core.models import Agent, AuditEvent, User
from lingting.engine.callbacks import CallVerdict, Disposition, TargetState
from lingting.interactions.models import Contact, Customer
from tests.conftest import SHANGHAI, ContactFactory
from tests.web.campaigns.conftest import TODAY, MakeCampaign, MakeCustomer

pytestmark = pytest.mark.django_db
PHONE = "13800138000"


def at(hour: int, minute: int = 0, *, day: date = TODAY) -> datetime:
    """A moment of `day` (Monday 2026-12-07 unless told) in Shanghai."""
    return datetime.combine(day, time(hour, minute), tzinfo=SHANGHAI)


@pytest.fixture
def customer(make_customer: MakeCustomer) -> None:
    make_customer("U1", name="王小明", phone=PHONE, usage_last_month=0)


def enlist(campaign: Campaign) -> Campaign:
    """U1 on H01's list of the campaign for today, written straight into the table (the
    refresh that does it has its own tests)."""
    CampaignTarget.objects.create(
        campaign=campaign,
        customer=Customer.objects.get(code="U1"),
        phone=PHONE,
        assigned_to=Agent.objects.get(code="H01"),
        assigned_on=TODAY,
        added_on=TODAY,
    )
    return campaign


@pytest.fixture
def campaign(customer: None, make_campaign: MakeCampaign) -> Campaign:
    """零使用回访: up to 3 calls, 120 minutes apart; its customer U1 on today's list."""
    return enlist(make_campaign(max_attempts=3, retry_minutes=120))


def target_of(campaign: Campaign) -> CampaignTarget:
    return CampaignTarget.objects.select_related("campaign").get(
        campaign=campaign, customer__code="U1"
    )


@pytest.fixture
def caller(callers: dict[str, Agent]) -> User:
    user = callers["H01"].user
    assert user is not None
    return user


def record(
    campaign: Campaign, disposition: Disposition, called_at: datetime, **kwargs: Any
) -> CallAttempt:
    agent = Agent.objects.get(code=kwargs.pop("agent", "H01"))
    return call_record(
        actor=kwargs.pop("actor", agent.user),
        target=target_of(campaign),
        agent=agent,
        disposition=disposition,
        called_at=called_at,
        **kwargs,
    )


# --- what a call's outcome does --------------------------------------------------------------


def test_a_reached_customer_is_done_with_what_they_said(campaign: Campaign, caller: User) -> None:
    outcome = CallOutcome(
        non_use_reason="price", offer_accepted=True, satisfaction=4, revenue=Decimal("30.00")
    )

    attempt = record(
        campaign, Disposition.REACHED, at(10), note="已推荐 39 元套餐", outcome=outcome
    )

    target = target_of(campaign)
    assert (target.state, target.attempts, target.next_try_at) == (TargetState.DONE, 1, None)
    assert (target.last_disposition, target.last_called_at) == ("reached", at(10))
    assert (target.non_use_reason, target.offer_accepted) == ("price", True)
    assert (target.satisfaction, target.revenue) == (4, Decimal("30.00"))
    assert (attempt.number, attempt.note, attempt.agent.code) == (PHONE, "已推荐 39 元套餐", "H01")
    event = AuditEvent.objects.get(action="callback.call")
    assert (event.actor, event.object_id) == (caller, str(target.pk))
    assert event.after == {"state": "done", "attempts": 1, "disposition": "reached"}


def test_a_satisfaction_off_the_scale_records_nothing(campaign: Campaign) -> None:
    with pytest.raises(CallRefused):
        record(campaign, Disposition.REACHED, at(10), outcome=CallOutcome(satisfaction=6))

    assert not CallAttempt.objects.exists()
    assert not Contact.objects.exists()
    assert target_of(campaign).attempts == 0


def test_no_answer_is_tried_again_after_the_wait_and_closed_after_the_last_attempt(
    campaign: Campaign,
) -> None:
    record(campaign, Disposition.NO_ANSWER, at(10))
    first = target_of(campaign)
    assert (first.state, first.attempts, first.next_try_at) == ("open", 1, at(12))
    assert target_call_verdict(first, at(11)) == CallVerdict.NOT_YET
    assert target_call_verdict(first, at(12)) == CallVerdict.ALLOWED

    record(campaign, Disposition.BUSY, at(12, 5))
    second = target_of(campaign)
    assert (second.state, second.attempts, second.next_try_at) == ("open", 2, at(14, 5))

    record(campaign, Disposition.NO_ANSWER, at(14, 10))
    third = target_of(campaign)
    assert (third.state, third.attempts, third.next_try_at) == ("closed", 3, None)
    assert target_call_verdict(third, at(16)) == CallVerdict.NOT_OPEN
    with pytest.raises(CallRefused):
        record(campaign, Disposition.NO_ANSWER, at(16))
    assert CallAttempt.objects.count() == 3


def test_a_call_back_waits_for_the_time_the_customer_named(campaign: Campaign) -> None:
    tomorrow_afternoon = at(15, day=TODAY + timedelta(days=1))

    attempt = record(campaign, Disposition.CALL_BACK, at(10), call_back_at=tomorrow_afternoon)

    assert attempt.call_back_at == tomorrow_afternoon
    target = target_of(campaign)
    assert (target.state, target.next_try_at) == ("open", tomorrow_afternoon)
    assert target_call_verdict(target, at(16)) == CallVerdict.NOT_YET
    assert target_call_verdict(target, tomorrow_afternoon) == CallVerdict.ALLOWED


@pytest.mark.parametrize("call_back_at", [None, datetime(2026, 12, 7, 9, 0, tzinfo=SHANGHAI)])
def test_a_call_back_needs_a_time_after_the_call(
    campaign: Campaign, call_back_at: datetime | None
) -> None:
    with pytest.raises(CallRefused):
        record(campaign, Disposition.CALL_BACK, at(10), call_back_at=call_back_at)

    assert not CallAttempt.objects.exists()
    assert target_of(campaign).attempts == 0


@pytest.mark.parametrize("state", [TargetState.DONE, TargetState.CLOSED, TargetState.SUPPRESSED])
def test_a_customer_no_longer_open_cannot_be_called(campaign: Campaign, state: TargetState) -> None:
    CampaignTarget.objects.filter(campaign=campaign).update(state=state)

    with pytest.raises(CallRefused, match=str(state)):
        record(campaign, Disposition.REACHED, at(10))

    assert not CallAttempt.objects.exists()


# --- do not call -----------------------------------------------------------------------------


def test_a_do_not_call_request_is_kept_for_good_by_every_campaign(
    campaign: Campaign, make_campaign: MakeCampaign, caller: User
) -> None:
    other = enlist(make_campaign("宽带续约"))  # U1 on today's list in both campaigns

    record(campaign, Disposition.DO_NOT_CALL, at(10), note="客户要求不再来电")

    assert target_of(campaign).state == TargetState.SUPPRESSED
    entry = DoNotCall.objects.get()
    assert (entry.number, entry.source, entry.recorded_by) == (PHONE, "call", caller)
    assert "零使用回访" in entry.note
    # the other campaign's list was made before: the verdict at dialing time says no
    assert target_call_verdict(target_of(other), at(11)) == CallVerdict.DO_NOT_CALL
    campaign_refresh(other, today=TODAY)
    suppressed = target_of(other)
    assert (suppressed.state, suppressed.assigned_to) == (TargetState.SUPPRESSED, None)
    with pytest.raises(CallRefused):
        record(other, Disposition.REACHED, at(11))
    with pytest.raises(CallRefused):
        record(campaign, Disposition.REACHED, at(11))
    do_not_call_add(number=PHONE, source=DoNotCallSource.IMPORT, actor=None)  # listed again
    assert DoNotCall.objects.get() == entry
    assert DoNotCall.objects.get().source == "call"  # the first entry kept


def test_a_later_campaign_on_the_same_customer_suppresses_them_from_the_start(
    campaign: Campaign, make_campaign: MakeCampaign
) -> None:
    record(campaign, Disposition.DO_NOT_CALL, at(10))

    later = make_campaign("春节关怀", starts_on=date(2027, 1, 20), ends_on=date(2027, 2, 28))
    report = campaign_refresh(later, today=date(2027, 2, 1))

    assert (report.added, report.shared) == (1, 0)
    assert target_of(later).state == TargetState.SUPPRESSED
    assert DoNotCall.objects.filter(number=PHONE).exists()


# --- the call as a contact -------------------------------------------------------------------


def test_a_call_is_an_outbound_contact_of_the_campaigns_queue(campaign: Campaign) -> None:
    attempt = record(campaign, Disposition.NO_ANSWER, at(10), agent="H02")

    contact = attempt.contact
    assert contact is not None
    assert (contact.direction, contact.channel) == ("outbound", "voice")
    assert contact.queue == campaign.queue
    assert contact.agent == Agent.objects.get(code="H02")
    assert contact.customer == Customer.objects.get(code="U1")
    assert (contact.started_at, contact.disposition) == (at(10), "no_answer")
    assert contact.extra == {"campaign": "零使用回访"}
    second = record(campaign, Disposition.REACHED, at(12, 30))
    assert second.contact is not None
    assert second.contact.pk != contact.pk  # each call its own contact


def test_a_dialer_reporting_a_call_twice_records_it_once(campaign: Campaign) -> None:
    first = record(campaign, Disposition.NO_ANSWER, at(10), dialer_key="DLR-20261207-0001")
    again = record(campaign, Disposition.NO_ANSWER, at(10), dialer_key="DLR-20261207-0001")

    assert again.pk == first.pk
    assert CallAttempt.objects.count() == 1
    assert Contact.objects.count() == 1
    assert target_of(campaign).attempts == 1
    assert AuditEvent.objects.filter(action="callback.call").count() == 1


def test_a_call_names_the_switchs_contact_whether_imported_already_or_not(
    campaign: Campaign, make_contact: ContactFactory
) -> None:
    imported = make_contact(
        "SW-20261207-0001", agent="A1001", queue=None, direction="outbound", started_at=at(10)
    )

    first = record(campaign, Disposition.NO_ANSWER, at(10), contact_id="SW-20261207-0001")
    second = record(campaign, Disposition.REACHED, at(12, 30), contact_id="SW-20261207-0002")

    assert first.contact == imported  # linked, not copied
    assert second.contact is not None
    assert second.contact.external_id == "SW-20261207-0002"  # its transcript comes later
    assert (second.contact.direction, second.contact.queue) == ("outbound", campaign.queue)
    assert Contact.objects.count() == 2
    assert Contact.objects.get(external_id="SW-20261207-0002").callback_call == second


def test_one_switch_contact_is_never_two_calls(campaign: Campaign) -> None:
    record(campaign, Disposition.NO_ANSWER, at(10), contact_id="SW-20261207-0001")

    with pytest.raises(CallRefused, match="SW-20261207-0001"):
        record(campaign, Disposition.REACHED, at(12, 30), contact_id="SW-20261207-0001")

    assert CallAttempt.objects.count() == 1
    assert target_of(campaign).attempts == 1


# --- may the agent dial now ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("moment", "verdict"),
    [
        (at(8, 59), CallVerdict.OUTSIDE_HOURS),
        (at(9), CallVerdict.ALLOWED),
        (at(19, 59), CallVerdict.ALLOWED),
        (at(20), CallVerdict.OUTSIDE_HOURS),
        (at(23, 30), CallVerdict.OUTSIDE_HOURS),
        (datetime(2026, 12, 7, 1, 30, tzinfo=UTC), CallVerdict.ALLOWED),  # 09:30 in Shanghai
        (datetime(2026, 12, 7, 12, 30, tzinfo=UTC), CallVerdict.OUTSIDE_HOURS),  # 20:30
    ],
)
def test_an_agent_may_dial_only_in_the_campaigns_hours(
    campaign: Campaign, moment: datetime, verdict: CallVerdict
) -> None:
    assert target_call_verdict(target_of(campaign), moment) == verdict


@pytest.mark.parametrize(
    ("moment", "verdict"),
    [
        (at(7, 30), CallVerdict.OUTSIDE_HOURS),
        (at(8), CallVerdict.ALLOWED),
        (at(20, 59), CallVerdict.ALLOWED),
        (at(21), CallVerdict.OUTSIDE_HOURS),
        (at(21, 30), CallVerdict.OUTSIDE_HOURS),
    ],
)
def test_the_legal_window_holds_whatever_the_campaign_says(
    customer: None, make_campaign: MakeCampaign, moment: datetime, verdict: CallVerdict
) -> None:
    early_and_late = enlist(make_campaign(call_start=time(7), call_end=time(22)))

    assert target_call_verdict(target_of(early_and_late), moment) == verdict


def test_the_legal_window_is_the_centers_setting(campaign: Campaign, settings: Any) -> None:
    settings.LINGTING_CALLING_WINDOW = (time(9, 30), time(18))

    assert target_call_verdict(target_of(campaign), at(9, 15)) == CallVerdict.OUTSIDE_HOURS
    assert target_call_verdict(target_of(campaign), at(17, 59)) == CallVerdict.ALLOWED
    assert target_call_verdict(target_of(campaign), at(18)) == CallVerdict.OUTSIDE_HOURS


def test_no_calls_on_a_day_the_campaign_does_not_call(
    customer: None, make_campaign: MakeCampaign
) -> None:
    weekdays = enlist(make_campaign(call_days=[0, 1, 2, 3, 4]))
    saturday = TODAY + timedelta(days=5)

    assert target_call_verdict(target_of(weekdays), at(10, day=saturday)) == (
        CallVerdict.OUTSIDE_HOURS
    )
    assert target_call_verdict(target_of(weekdays), at(10, day=TODAY)) == CallVerdict.ALLOWED


def test_a_number_another_campaign_called_rests_for_that_campaigns_rest_days(
    campaign: Campaign, make_campaign: MakeCampaign
) -> None:
    renewal = enlist(make_campaign("宽带续约", rest_days=7))
    record(campaign, Disposition.REACHED, at(10))  # 零使用回访 reaches U1 on Monday

    target = target_of(renewal)
    assert target_call_verdict(target, at(11)) == CallVerdict.CALLED_ELSEWHERE
    six_days_on = TODAY + timedelta(days=6)
    assert target_call_verdict(target, at(10, day=six_days_on)) == CallVerdict.CALLED_ELSEWHERE
    a_week_on = TODAY + timedelta(days=7)
    assert target_call_verdict(target, at(9, 59, day=a_week_on)) == CallVerdict.CALLED_ELSEWHERE
    assert target_call_verdict(target, at(10, day=a_week_on)) == CallVerdict.ALLOWED
    # its own calls are no reason to wait
    assert target_call_verdict(target_of(campaign), at(11)) == CallVerdict.NOT_OPEN


def test_a_campaign_not_running_says_so(campaign: Campaign) -> None:
    after_the_end = date(2027, 1, 4)

    assert target_call_verdict(target_of(campaign), at(10, day=after_the_end)) == (
        CallVerdict.CAMPAIGN_NOT_RUNNING
    )
