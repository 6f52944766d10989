"""The QA lists (plans and their draws, the review queue, records, disputes, trust calls,
analysts' access, calibration sessions, cases), as pages and in the API, ask as many queries
for 200 rows as for 20: each row's contact, agent, reviewer and counts come with the list."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from lingting.core.models import Role, User
from lingting.quality.models import (
    AssignmentKind,
    CalibrationSession,
    Case,
    CaseKind,
    Dispute,
    DisputeStatus,
    PlanReviewer,
    ReviewAssignment,
    SampleDraw,
    SamplingPlan,
)
from tests.web.listing import rows
from tests.web.listing.conftest import AssertFlat
from tests.web.listing.rows import Center, row_name


@pytest.mark.parametrize("url", ["/quality/plans/", "/api/quality/plans"])
def test_sampling_plans_queries_do_not_grow(
    url: str, assert_flat: AssertFlat, qa_zhao: User, qa_sun: User
) -> None:
    def add_rows(numbers: range) -> None:
        plans = SamplingPlan.objects.bulk_create(
            SamplingPlan(
                name=row_name("plan", n), method="random", sample_size=5, created_by=qa_zhao
            )
            for n in numbers
        )
        PlanReviewer.objects.bulk_create(
            PlanReviewer(plan=plan, reviewer=reviewer)
            for plan in plans
            for reviewer in (qa_sun, qa_zhao)
        )

    assert_flat(qa_zhao, url, add_rows=add_rows, shown="plan-{n:03d}")


def test_a_plans_draws_queries_do_not_grow(assert_flat: AssertFlat, qa_zhao: User) -> None:
    plan = SamplingPlan.objects.create(
        name="日常抽检", method="random", sample_size=5, created_by=qa_zhao
    )
    url = f"/quality/plans/{plan.pk}/"
    start = timezone.now()

    def add_rows(numbers: range) -> None:
        SampleDraw.objects.bulk_create(
            SampleDraw(
                plan=plan,
                drawn_by=qa_zhao,
                day=date(2026, 10, 2),
                seed=n,
                window_start=start,
                window_end=start + timedelta(days=1),
                candidates=100,
                drawn=0,
                why_empty=row_name("draw", n),
            )
            for n in numbers
        )

    assert_flat(qa_zhao, url, add_rows=add_rows, shown="draw-{n:03d}")


@pytest.mark.parametrize("url", ["/quality/reviews/", "/api/quality/reviews"])
def test_review_queue_queries_do_not_grow(
    url: str, assert_flat: AssertFlat, center: Center, qa_sun: User
) -> None:
    def add_rows(numbers: range) -> None:
        ReviewAssignment.objects.bulk_create(
            ReviewAssignment(contact=contact, reviewer=qa_sun, kind=AssignmentKind.SAMPLE)
            for contact in rows.contacts(center, numbers)
        )

    assert_flat(qa_sun, url, add_rows=add_rows, shown=rows.CONTACT)


@pytest.mark.parametrize(
    ("reader", "url"),
    [
        ("agent_li", "/quality/my-scores/"),
        ("qa_zhao", "/api/quality/evaluations"),
        ("qa_zhao", "/quality/trust/forbidden_phrases/calls/?kind=confirmed"),
        ("qa_zhao", "/quality/calibration/new/"),
    ],
)
def test_monitoring_records_queries_do_not_grow(
    reader: str, url: str, assert_flat: AssertFlat, center: Center, qa_sun: User
) -> None:
    """An agent's own records (我的成绩), every record in the API, the calls behind the
    automatic fails reviewers confirmed, and a new calibration's recently reviewed contacts
    and reviewers to choose: per row, a contact its record failed and a QA analyst."""

    def add_rows(numbers: range) -> None:
        made = rows.contacts(center, numbers)
        rows.evaluations(made, reviewer=qa_sun, result="fail")
        rows.users(numbers, role=Role.QA_ANALYST, prefix="analyst")

    assert_flat(center.org.users[reader], url, add_rows=add_rows, shown=rows.CONTACT)


@pytest.mark.parametrize(
    "url", ["/quality/disputes/", "/api/quality/disputes", "/api/quality/disputes?status=open"]
)
def test_disputes_queries_do_not_grow(
    url: str, assert_flat: AssertFlat, center: Center, agent_li: User, qa_sun: User, qa_zhao: User
) -> None:
    """Odd rows open (the supervisor's queue), even rows decided (the list below it)."""

    def add_rows(numbers: range) -> None:
        made = rows.contacts(center, numbers)
        records = rows.evaluations(made, reviewer=qa_sun, result="fail")
        decided = {
            "status": DisputeStatus.UPHELD,
            "decided_by": qa_zhao,
            "decided_at": timezone.now(),
            "decision_note": "维持",
        }
        Dispute.objects.bulk_create(
            Dispute(
                evaluation=record,
                item="forbidden_phrases",
                raised_by=agent_li,
                reason=f"申诉{n:03d}",
                **({} if n % 2 else decided),
            )
            for n, record in zip(numbers, records, strict=True)
        )

    assert_flat(qa_zhao, url, add_rows=add_rows, shown=rows.CONTACT)


def test_trust_report_queries_do_not_grow(
    assert_flat: AssertFlat, center: Center, qa_sun: User, qa_zhao: User
) -> None:
    """A line per automatic item: each row's record reviewed an item of its own."""
    url = "/quality/trust/"

    def add_rows(numbers: range) -> None:
        for n, contact in zip(numbers, rows.contacts(center, numbers), strict=True):
            rows.evaluations([contact], reviewer=qa_sun, item=(f"item{n}", row_name("规则", n)))

    assert_flat(qa_zhao, url, add_rows=add_rows, shown="规则-{n:03d}")


def test_dispute_report_queries_do_not_grow(
    assert_flat: AssertFlat, center: Center, agent_li: User, qa_zhao: User
) -> None:
    """A line per reviewer: each row's record, disputed, is by a QA analyst of its own."""
    url = "/quality/disputes/report/"

    def add_rows(numbers: range) -> None:
        reviewers = rows.users(numbers, role=Role.QA_ANALYST, prefix="analyst")
        contacts = rows.contacts(center, numbers)
        records = [
            record
            for reviewer, contact in zip(reviewers, contacts, strict=True)
            for record in rows.evaluations([contact], reviewer=reviewer, result="fail")
        ]
        Dispute.objects.bulk_create(
            Dispute(evaluation=record, item="forbidden_phrases", raised_by=agent_li, reason="申诉")
            for record in records
        )

    assert_flat(qa_zhao, url, add_rows=add_rows, shown="analyst-{n:03d}")


def test_analysts_access_queries_do_not_grow(assert_flat: AssertFlat, qa_zhao: User) -> None:
    """One form per QA analyst, each with every team and queue to tick."""
    url = "/quality/access/"

    def add_rows(numbers: range) -> None:
        rows.users(numbers, role=Role.QA_ANALYST, prefix="analyst")

    assert_flat(qa_zhao, url, add_rows=add_rows, shown='id="access-analyst-{n:03d}"')


@pytest.mark.parametrize("url", ["/quality/calibration/", "/api/quality/calibrations"])
def test_calibration_sessions_queries_do_not_grow(
    url: str, assert_flat: AssertFlat, center: Center, qa_zhao: User, qa_sun: User
) -> None:
    contact = rows.contacts(center, [999])[0]

    def add_rows(numbers: range) -> None:
        sessions = CalibrationSession.objects.bulk_create(
            CalibrationSession(
                title=row_name("calibration", n), created_by=qa_zhao, version=center.version
            )
            for n in numbers
        )
        for session in sessions:
            session.contacts.add(contact)
            session.reviewers.add(qa_sun, qa_zhao)

    assert_flat(qa_zhao, url, add_rows=add_rows, shown="calibration-{n:03d}")


@pytest.mark.parametrize(
    "path", ["/quality/calibration/{session}/", "/api/quality/calibrations/{session}"]
)
def test_a_calibration_sessions_contacts_queries_do_not_grow(
    path: str, assert_flat: AssertFlat, center: Center, qa_zhao: User, qa_sun: User
) -> None:
    """A session's page (and its summary in the API): one section per contact with each
    reviewer's answers, and the viewer's own contacts still to score."""
    session = CalibrationSession.objects.create(
        title="十月校准", created_by=qa_zhao, version=center.version
    )
    session.reviewers.add(qa_sun, qa_zhao)
    url = path.format(session=session.pk)

    def add_rows(numbers: range) -> None:
        made = rows.contacts(center, numbers)
        session.contacts.add(*made)
        ReviewAssignment.objects.bulk_create(
            ReviewAssignment(
                contact=contact,
                reviewer=reviewer,
                kind=AssignmentKind.CALIBRATION,
                session=session,
            )
            for contact in made
            for reviewer in (qa_sun, qa_zhao)
        )

    assert_flat(qa_zhao, url, add_rows=add_rows, shown=rows.CONTACT)


@pytest.mark.parametrize("url", ["/quality/cases/", "/api/quality/cases"])
def test_case_library_queries_do_not_grow(
    url: str, assert_flat: AssertFlat, center: Center, qa_zhao: User
) -> None:
    def add_rows(numbers: range) -> None:
        made = rows.contacts(center, numbers)
        Case.objects.bulk_create(
            Case(
                contact=contact,
                kind=CaseKind.EXCELLENT,
                title=row_name("case", n),
                tags=["开场白"],
                created_by=qa_zhao,
            )
            for n, contact in zip(numbers, made, strict=True)
        )

    assert_flat(qa_zhao, url, add_rows=add_rows, shown="case-{n:03d}")
