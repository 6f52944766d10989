"""The QA pages that list rows (plans and their draws, the review queue, records, disputes,
trust calls, analysts' access, calibration sessions, cases) ask as many queries for 200 rows
as for 20: each row's contact, agent, reviewer and counts come with the list, not one by one."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from lingting.core.models import Role, User
from lingting.quality.models import (
    AssignmentKind,
    AssignmentStatus,
    CalibrationSession,
    Case,
    CaseKind,
    Dispute,
    DisputeStatus,
    PlanReviewer,
    ReviewAssignment,
    SampleDraw,
    SamplingPlan,
    ScorecardVersion,
)
from tests.conftest import Org
from tests.web.listing import rows
from tests.web.listing.counting import assert_queries_flat
from tests.web.listing.rows import row_name

ClientFor = Callable[[User], Client]


@pytest.fixture
def supervisor(client_for: ClientFor, qa_zhao: User) -> Client:
    """The QA supervisor, who reads every plan, record, dispute, session and case."""
    return client_for(qa_zhao)


def test_plan_list(
    supervisor: Client, qa_zhao: User, qa_sun: User, standard_version: ScorecardVersion
) -> None:
    def add_rows(numbers: range) -> None:
        plans = SamplingPlan.objects.bulk_create(
            SamplingPlan(
                name=row_name("方案", n), method="random", sample_size=5, created_by=qa_zhao
            )
            for n in numbers
        )
        PlanReviewer.objects.bulk_create(
            PlanReviewer(plan=plan, reviewer=reviewer)
            for plan in plans
            for reviewer in (qa_sun, qa_zhao)
        )

    assert_queries_flat(
        supervisor, "/quality/plans/", add_rows=add_rows, shown=lambda n: row_name("方案", n)
    )


def test_plan_draws(supervisor: Client, qa_zhao: User, standard_version: ScorecardVersion) -> None:
    plan = SamplingPlan.objects.create(
        name="日常抽检", method="random", sample_size=5, created_by=qa_zhao
    )
    start = timezone.now()

    def add_rows(numbers: range) -> None:
        SampleDraw.objects.bulk_create(
            SampleDraw(
                plan=plan,
                drawn_by=qa_zhao,
                day=date(2026, 10, 2),
                seed=900_000 + n,
                window_start=start,
                window_end=start + timedelta(days=1),
                candidates=100,
                drawn=5,
            )
            for n in numbers
        )

    assert_queries_flat(
        supervisor,
        f"/quality/plans/{plan.pk}/",
        add_rows=add_rows,
        shown=lambda n: str(900_000 + n),
    )


def test_review_queue(
    client_for: ClientFor, org: Org, qa_sun: User, standard_version: ScorecardVersion
) -> None:
    def add_rows(numbers: range) -> None:
        ReviewAssignment.objects.bulk_create(
            ReviewAssignment(contact=contact, reviewer=qa_sun, kind=AssignmentKind.SAMPLE)
            for contact in rows.contacts(org, standard_version, numbers)
        )

    assert_queries_flat(
        client_for(qa_sun), "/quality/reviews/", add_rows=add_rows, shown=rows.contact_name
    )


def test_my_scores(
    client_for: ClientFor,
    org: Org,
    agent_li: User,
    qa_sun: User,
    standard_version: ScorecardVersion,
) -> None:
    def add_rows(numbers: range) -> None:
        made = rows.contacts(org, standard_version, numbers)
        rows.evaluations(made, reviewer=qa_sun, result="fail")

    assert_queries_flat(
        client_for(agent_li), "/quality/my-scores/", add_rows=add_rows, shown=rows.contact_name
    )


def test_dispute_list(
    supervisor: Client,
    org: Org,
    agent_li: User,
    qa_sun: User,
    qa_zhao: User,
    standard_version: ScorecardVersion,
) -> None:
    """Half open (the supervisor's queue), half decided (the list below it)."""

    def add_rows(numbers: range) -> None:
        made = rows.contacts(org, standard_version, numbers)
        records = rows.evaluations(made, reviewer=qa_sun, result="fail")
        Dispute.objects.bulk_create(
            Dispute(
                evaluation=record,
                item="forbidden_phrases",
                raised_by=agent_li,
                reason=f"申诉{n:03d}",
                **(
                    {}
                    if n % 2
                    else {
                        "status": DisputeStatus.UPHELD,
                        "decided_by": qa_zhao,
                        "decided_at": timezone.now(),
                        "decision_note": "维持",
                    }
                ),
            )
            for n, record in zip(numbers, records, strict=True)
        )

    assert_queries_flat(
        supervisor, "/quality/disputes/", add_rows=add_rows, shown=rows.contact_name
    )


def test_trust_calls(
    supervisor: Client, org: Org, qa_sun: User, standard_version: ScorecardVersion
) -> None:
    """The false hits of 服务禁语: automatic fails the reviewers passed."""

    def add_rows(numbers: range) -> None:
        rows.evaluations(rows.contacts(org, standard_version, numbers), reviewer=qa_sun)

    assert_queries_flat(
        supervisor,
        "/quality/trust/forbidden_phrases/calls/?kind=false_hits",
        add_rows=add_rows,
        shown=rows.contact_name,
    )


def test_analysts_access(supervisor: Client, org: Org) -> None:
    """One form per QA analyst, each with every team and queue to tick."""

    def add_rows(numbers: range) -> None:
        rows.users(numbers, role=Role.QA_ANALYST, prefix="analyst")

    assert_queries_flat(
        supervisor,
        "/quality/access/",
        add_rows=add_rows,
        shown=lambda n: f'id="access-{row_name("analyst", n)}"',
    )


def test_calibration_sessions(
    supervisor: Client,
    org: Org,
    qa_zhao: User,
    qa_sun: User,
    standard_version: ScorecardVersion,
) -> None:
    contact = rows.contacts(org, standard_version, [999])[0]

    def add_rows(numbers: range) -> None:
        sessions = CalibrationSession.objects.bulk_create(
            CalibrationSession(
                title=row_name("校准", n), created_by=qa_zhao, version=standard_version
            )
            for n in numbers
        )
        for session in sessions:
            session.contacts.add(contact)
            session.reviewers.add(qa_sun, qa_zhao)

    assert_queries_flat(
        supervisor,
        "/quality/calibration/",
        add_rows=add_rows,
        shown=lambda n: row_name("校准", n),
    )


def test_new_calibration_offers_recently_reviewed_contacts(
    supervisor: Client, org: Org, qa_sun: User, standard_version: ScorecardVersion
) -> None:
    def add_rows(numbers: range) -> None:
        rows.evaluations(rows.contacts(org, standard_version, numbers), reviewer=qa_sun)
        rows.users(numbers, role=Role.QA_ANALYST, prefix="analyst")

    assert_queries_flat(
        supervisor, "/quality/calibration/new/", add_rows=add_rows, shown=rows.contact_name
    )


def test_calibration_session_contacts(
    supervisor: Client,
    org: Org,
    qa_zhao: User,
    qa_sun: User,
    standard_version: ScorecardVersion,
) -> None:
    """A session's page: one line per contact, with each reviewer's progress on it."""
    session = CalibrationSession.objects.create(
        title="十月校准", created_by=qa_zhao, version=standard_version
    )
    session.reviewers.add(qa_sun, qa_zhao)

    def add_rows(numbers: range) -> None:
        made = rows.contacts(org, standard_version, numbers)
        session.contacts.add(*made)
        ReviewAssignment.objects.bulk_create(
            ReviewAssignment(
                contact=contact,
                reviewer=reviewer,
                kind=AssignmentKind.CALIBRATION,
                session=session,
                status=AssignmentStatus.PENDING,
            )
            for contact in made
            for reviewer in (qa_sun, qa_zhao)
        )

    assert_queries_flat(
        supervisor,
        f"/quality/calibration/{session.pk}/",
        add_rows=add_rows,
        shown=rows.contact_name,
    )


def test_case_library(
    supervisor: Client, org: Org, qa_zhao: User, standard_version: ScorecardVersion
) -> None:
    def add_rows(numbers: range) -> None:
        made = rows.contacts(org, standard_version, numbers)
        Case.objects.bulk_create(
            Case(
                contact=contact,
                kind=CaseKind.EXCELLENT,
                title=row_name("案例", n),
                tags=["开场白"],
                created_by=qa_zhao,
            )
            for n, contact in zip(numbers, made, strict=True)
        )

    assert_queries_flat(
        supervisor, "/quality/cases/", add_rows=add_rows, shown=lambda n: row_name("案例", n)
    )
