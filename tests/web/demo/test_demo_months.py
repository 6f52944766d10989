"""`lingting demo` with more days and months than the small demo of test_command.py: the
quality workflow's month, and the quieter months behind it (each test builds its own)."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from lingting.interactions.models import Contact
from lingting.quality.models import (
    AssignmentStatus,
    CalibrationSession,
    Case,
    Dispute,
    Evaluation,
    ReviewAssignment,
    SamplingPlan,
)

pytestmark = pytest.mark.django_db


def test_the_demo_month_has_plans_draws_reviews_and_shared_cases() -> None:
    call_command(
        "demo",
        *("--months", "1", "--days", "4", "--calls-per-agent-day", "2", "--no-jddc"),
        *("--line-weeks", "0"),
    )

    assert SamplingPlan.objects.filter(schedule="daily").get().draws.count() == 4
    pending = ReviewAssignment.objects.filter(status=AssignmentStatus.PENDING)
    assert pending.exists()  # the last days wait in the reviewers' queues
    assert (
        Evaluation.objects.count()
        == ReviewAssignment.objects.filter(status=AssignmentStatus.SUBMITTED).count()
        > 0
    )
    assert Evaluation.objects.filter(items__overturned=True).exists()
    assert Case.objects.filter(shared=True).count() == 2
    disputes = Dispute.objects.count()
    assert disputes  # agent_li disputed some deductions…
    assert Dispute.objects.exclude(status="open").count() == min(disputes, 2)  # …two decided
    session = CalibrationSession.objects.get()
    assert session.assignments.filter(status=AssignmentStatus.SUBMITTED).count() == (
        session.assignments.count()
    )


def test_the_demo_reaches_back_months_with_a_quieter_history() -> None:
    call_command(
        "demo",
        *("--months", "3", "--days", "3", "--calls-per-agent-day", "6"),
        *("--history-calls-per-agent-day", "1", "--no-jddc", "--line-weeks", "0"),
    )

    # the generated traffic (the callback campaign's calls of this month aside)
    traffic = Contact.objects.filter(callback_call__isnull=True)
    months = sorted({c.started_at.strftime("%Y-%m") for c in traffic})
    assert len(months) == 3
    last = Contact.objects.filter(started_at__month=int(months[-1][5:])).count()
    earlier = Contact.objects.filter(started_at__month=int(months[0][5:])).count()
    assert earlier < last * 10  # a whole month at 1 call a day against 3 days at 6
    assert earlier > 0
