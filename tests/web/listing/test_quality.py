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
    ScorecardVersion,
)
from tests.conftest import Org
from tests.web.listing import rows
from tests.web.listing.conftest import ClientOf
from tests.web.listing.counting import assert_queries_flat
from tests.web.listing.rows import row_name


@pytest.mark.parametrize("url", ["/quality/plans/", "/api/quality/plans"])
def test_sampling_plans(url: str, client_of: ClientOf, qa_zhao: User, qa_sun: User) -> None:
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

    assert_queries_flat(
        client_of(qa_zhao, url), url, add_rows=add_rows, shown=lambda n: row_name("plan", n)
    )


def test_a_plans_draws(client_of: ClientOf, qa_zhao: User) -> None:
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
                seed=900_000 + n,
                window_start=start,
                window_end=start + timedelta(days=1),
                candidates=100,
                drawn=5,
            )
            for n in numbers
        )

    assert_queries_flat(
        client_of(qa_zhao, url), url, add_rows=add_rows, shown=lambda n: str(900_000 + n)
    )


@pytest.mark.parametrize("url", ["/quality/reviews/", "/api/quality/reviews"])
def test_review_queue(
    url: str, client_of: ClientOf, org: Org, qa_sun: User, standard_version: ScorecardVersion
) -> None:
    def add_rows(numbers: range) -> None:
        ReviewAssignment.objects.bulk_create(
            ReviewAssignment(contact=contact, reviewer=qa_sun, kind=AssignmentKind.SAMPLE)
            for contact in rows.contacts(org, standard_version, numbers)
        )

    assert_queries_flat(client_of(qa_sun, url), url, add_rows=add_rows, shown=rows.contact_name)


@pytest.mark.parametrize(
    ("reader", "url"),
    [("agent_li", "/quality/my-scores/"), ("qa_zhao", "/api/quality/evaluations")],
)
def test_monitoring_records(
    reader: str,
    url: str,
    client_of: ClientOf,
    org: Org,
    qa_sun: User,
    standard_version: ScorecardVersion,
) -> None:
    """An agent's own records (我的成绩), and every record in the API."""

    def add_rows(numbers: range) -> None:
        made = rows.contacts(org, standard_version, numbers)
        rows.evaluations(made, reviewer=qa_sun, result="fail")

    assert_queries_flat(
        client_of(org.users[reader], url), url, add_rows=add_rows, shown=rows.contact_name
    )


@pytest.mark.parametrize(
    "url", ["/quality/disputes/", "/api/quality/disputes", "/api/quality/disputes?status=open"]
)
def test_disputes(
    url: str,
    client_of: ClientOf,
    org: Org,
    agent_li: User,
    qa_sun: User,
    qa_zhao: User,
    standard_version: ScorecardVersion,
) -> None:
    """Odd rows open (the supervisor's queue), even rows decided (the list below it)."""

    def add_rows(numbers: range) -> None:
        made = rows.contacts(org, standard_version, numbers)
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

    assert_queries_flat(
        client_of(qa_zhao, url),
        url,
        add_rows=add_rows,
        # The open ones' ids, or the contact ids the API does not show.
        shown=rows.contact_name,
    )


def test_trust_calls(
    client_of: ClientOf, org: Org, qa_sun: User, qa_zhao: User, standard_version: ScorecardVersion
) -> None:
    """The false hits of 服务禁语: automatic fails the reviewers passed."""
    url = "/quality/trust/forbidden_phrases/calls/?kind=false_hits"

    def add_rows(numbers: range) -> None:
        rows.evaluations(rows.contacts(org, standard_version, numbers), reviewer=qa_sun)

    assert_queries_flat(client_of(qa_zhao, url), url, add_rows=add_rows, shown=rows.contact_name)


def test_trust_report(
    client_of: ClientOf, org: Org, qa_sun: User, qa_zhao: User, standard_version: ScorecardVersion
) -> None:
    """A line per automatic item: each row's record reviewed an item of its own."""
    url = "/quality/trust/"

    def add_rows(numbers: range) -> None:
        for n, contact in zip(numbers, rows.contacts(org, standard_version, numbers), strict=True):
            rows.evaluations([contact], reviewer=qa_sun, item=(f"item{n}", row_name("规则", n)))

    assert_queries_flat(
        client_of(qa_zhao, url), url, add_rows=add_rows, shown=lambda n: row_name("规则", n)
    )


def test_dispute_report(
    client_of: ClientOf,
    org: Org,
    agent_li: User,
    qa_zhao: User,
    standard_version: ScorecardVersion,
) -> None:
    """A line per reviewer: each row's record, disputed, is by a QA analyst of its own."""
    url = "/quality/disputes/report/"

    def add_rows(numbers: range) -> None:
        reviewers = rows.users(numbers, role=Role.QA_ANALYST, prefix="analyst")
        contacts = rows.contacts(org, standard_version, numbers)
        records = [
            record
            for reviewer, contact in zip(reviewers, contacts, strict=True)
            for record in rows.evaluations([contact], reviewer=reviewer, result="fail")
        ]
        Dispute.objects.bulk_create(
            Dispute(evaluation=record, item="forbidden_phrases", raised_by=agent_li, reason="申诉")
            for record in records
        )

    assert_queries_flat(
        client_of(qa_zhao, url), url, add_rows=add_rows, shown=lambda n: row_name("analyst", n)
    )


def test_analysts_access(client_of: ClientOf, org: Org, qa_zhao: User) -> None:
    """One form per QA analyst, each with every team and queue to tick."""
    url = "/quality/access/"

    def add_rows(numbers: range) -> None:
        rows.users(numbers, role=Role.QA_ANALYST, prefix="analyst")

    assert_queries_flat(
        client_of(qa_zhao, url),
        url,
        add_rows=add_rows,
        shown=lambda n: f'id="access-{row_name("analyst", n)}"',
    )


@pytest.mark.parametrize("url", ["/quality/calibration/", "/api/quality/calibrations"])
def test_calibration_sessions(
    url: str,
    client_of: ClientOf,
    org: Org,
    qa_zhao: User,
    qa_sun: User,
    standard_version: ScorecardVersion,
) -> None:
    contact = rows.contacts(org, standard_version, [999])[0]

    def add_rows(numbers: range) -> None:
        sessions = CalibrationSession.objects.bulk_create(
            CalibrationSession(
                title=row_name("calibration", n), created_by=qa_zhao, version=standard_version
            )
            for n in numbers
        )
        for session in sessions:
            session.contacts.add(contact)
            session.reviewers.add(qa_sun, qa_zhao)

    assert_queries_flat(
        client_of(qa_zhao, url),
        url,
        add_rows=add_rows,
        shown=lambda n: row_name("calibration", n),
    )


def test_new_calibration_offers_recent_contacts_and_reviewers(
    client_of: ClientOf, org: Org, qa_sun: User, qa_zhao: User, standard_version: ScorecardVersion
) -> None:
    url = "/quality/calibration/new/"

    def add_rows(numbers: range) -> None:
        rows.evaluations(rows.contacts(org, standard_version, numbers), reviewer=qa_sun)
        rows.users(numbers, role=Role.QA_ANALYST, prefix="analyst")

    assert_queries_flat(client_of(qa_zhao, url), url, add_rows=add_rows, shown=rows.contact_name)


@pytest.mark.parametrize(
    "path", ["/quality/calibration/{session}/", "/api/quality/calibrations/{session}"]
)
def test_a_calibration_sessions_contacts(
    path: str,
    client_of: ClientOf,
    org: Org,
    qa_zhao: User,
    qa_sun: User,
    standard_version: ScorecardVersion,
) -> None:
    """A session's page (and its summary in the API): one section per contact with each
    reviewer's answers, and the viewer's own contacts still to score."""
    session = CalibrationSession.objects.create(
        title="十月校准", created_by=qa_zhao, version=standard_version
    )
    session.reviewers.add(qa_sun, qa_zhao)
    url = path.format(session=session.pk)

    def add_rows(numbers: range) -> None:
        made = rows.contacts(org, standard_version, numbers)
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

    assert_queries_flat(client_of(qa_zhao, url), url, add_rows=add_rows, shown=rows.contact_name)


@pytest.mark.parametrize("url", ["/quality/cases/", "/api/quality/cases"])
def test_case_library(
    url: str, client_of: ClientOf, org: Org, qa_zhao: User, standard_version: ScorecardVersion
) -> None:
    def add_rows(numbers: range) -> None:
        made = rows.contacts(org, standard_version, numbers)
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

    assert_queries_flat(
        client_of(qa_zhao, url), url, add_rows=add_rows, shown=lambda n: row_name("case", n)
    )
