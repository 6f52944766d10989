"""Who is asked about a contact, and when (issue 17): the plan's queues, channels and
dispositions, rest days, complaints, opt-outs and the quiet hours."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from lingting.engine.survey_invitations import (
    ContactFacts,
    CustomerHistory,
    InvitationRule,
    Verdict,
    contact_address,
    in_quiet_hours,
    invitation_decision,
    outside_quiet_hours,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")
AFTERNOON = datetime(2026, 12, 7, 15, 0, tzinfo=SHANGHAI)
RULE = InvitationRule(queues=frozenset({"10000"}), channels=frozenset({"voice"}))


def call(**changes: object) -> ContactFacts:
    facts: dict[str, object] = {
        "ended_at": AFTERNOON - timedelta(minutes=1),
        "queue": "10000",
        "channel": "voice",
        "disposition": "answered",
        "address": "13812345678",
    }
    return ContactFacts(**(facts | changes))  # type: ignore[arg-type]


def test_an_answered_call_in_the_plan_is_surveyed_five_minutes_after_it_ended() -> None:
    decision = invitation_decision(RULE, call(), CustomerHistory(), now=AFTERNOON)

    assert decision.invited
    assert decision.send_at == AFTERNOON + timedelta(minutes=4)


@pytest.mark.parametrize(
    ("facts", "verdict"),
    [
        ({"queue": "95598"}, Verdict.QUEUE),
        ({"channel": "chat"}, Verdict.CHANNEL),
        ({"disposition": "abandoned"}, Verdict.DISPOSITION),
        ({"tags": frozenset({"投诉"})}, Verdict.COMPLAINT),
        ({"address": ""}, Verdict.NO_ADDRESS),
        ({"ended_at": AFTERNOON - timedelta(days=3)}, Verdict.STALE),
    ],
)
def test_contacts_outside_the_plan_are_not_surveyed_and_say_why(
    facts: dict[str, object], verdict: Verdict
) -> None:
    decision = invitation_decision(RULE, call(**facts), CustomerHistory(), now=AFTERNOON)

    assert decision.verdict is verdict
    assert decision.send_at is None


def test_a_plan_may_choose_to_ask_after_complaints() -> None:
    rule = InvitationRule(after_complaints=True)
    complaint = call(tags=frozenset({"complaint"}))

    assert invitation_decision(rule, complaint, CustomerHistory(), now=AFTERNOON).invited


def test_a_customer_asked_within_the_rest_days_is_not_asked_again_until_they_pass() -> None:
    asked = CustomerHistory(last_invited_at=AFTERNOON - timedelta(days=29))
    rested = CustomerHistory(last_invited_at=AFTERNOON - timedelta(days=30))

    assert invitation_decision(RULE, call(), asked, now=AFTERNOON).verdict is Verdict.RESTING
    assert invitation_decision(RULE, call(), rested, now=AFTERNOON).invited


def test_an_opt_out_wins_over_everything_else() -> None:
    history = CustomerHistory(opted_out=True, last_invited_at=AFTERNOON - timedelta(days=400))
    decision = invitation_decision(InvitationRule(), call(), history, now=AFTERNOON)

    assert decision.verdict is Verdict.OPTED_OUT


def test_a_call_ending_at_night_is_surveyed_at_eight_the_next_morning() -> None:
    night = datetime(2026, 12, 7, 22, 30, tzinfo=SHANGHAI)
    decision = invitation_decision(RULE, call(ended_at=night), CustomerHistory(), now=night)

    assert decision.send_at == datetime(2026, 12, 8, 8, 0, tzinfo=SHANGHAI)


def test_a_call_in_the_small_hours_waits_for_the_same_morning() -> None:
    small_hours = datetime(2026, 12, 8, 2, 0, tzinfo=SHANGHAI)
    decision = invitation_decision(
        RULE, call(ended_at=small_hours), CustomerHistory(), now=small_hours
    )

    assert decision.send_at == datetime(2026, 12, 8, 8, 0, tzinfo=SHANGHAI)


@pytest.mark.parametrize(
    ("clock", "quiet"),
    [
        (time(20, 59), False),
        (time(21), True),
        (time(0), True),
        (time(7, 59), True),
        (time(8), False),
    ],
)
def test_quiet_hours_cross_midnight(clock: time, quiet: bool) -> None:
    moment = datetime.combine(AFTERNOON.date(), clock, SHANGHAI)

    assert in_quiet_hours(moment, time(21), time(8)) is quiet


def test_quiet_hours_within_a_day_and_none_at_all() -> None:
    lunch = datetime(2026, 12, 7, 12, 30, tzinfo=SHANGHAI)

    assert outside_quiet_hours(lunch, time(12), time(13, 30)) == lunch.replace(hour=13, minute=30)
    assert outside_quiet_hours(lunch, time(0), time(0)) == lunch


@pytest.mark.parametrize(
    ("customer_id", "extra", "address"),
    [
        ("U88812", {"customer_phone": "+86 138-1234-5678"}, "13812345678"),
        ("U88812", {"ani": 13812345678}, "13812345678"),
        ("13912345678", {}, "13912345678"),
        ("U88812", {}, ""),
        (None, {"phone": "12"}, ""),
    ],
)
def test_the_survey_goes_to_the_number_the_contact_names(
    customer_id: str | None, extra: dict[str, object], address: str
) -> None:
    assert contact_address(customer_id, extra) == address
