"""The report pages (the daily monitoring detail, the weekly and monthly quality reports, the
case analysis, the training plan) and the archive ask as many queries for 200 rows as for 20."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from lingting.core.models import User
from lingting.quality.models import Case, CaseKind
from lingting.reports.models import GeneratedReport, QueuedReport
from tests.web.listing import rows
from tests.web.listing.conftest import AssertFlat
from tests.web.listing.rows import Center, row_name


def monitored_day(center: Center, numbers: range, *, reviewer: User) -> None:
    """Per row, on 1 October 2026: a new agent AG-nnn in a new team T-nnn, a contact of
    theirs its record failed on 服务禁语, a common finding on an item of its own (item-nnn)
    and a case filed from it (case-nnn)."""
    agents = rows.agents(center.org, numbers, team=rows.teams(numbers))
    contacts = rows.contacts(center, numbers, agent=[agent.code for agent in agents])
    records = rows.evaluations(contacts, reviewer=reviewer, result="fail")
    rows.common_findings(records, numbers)
    Case.objects.bulk_create(
        Case(contact=contact, kind=CaseKind.POOR, title=row_name("case", n), created_by=reviewer)
        for n, contact in zip(numbers, contacts, strict=True)
    )


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("/reports/daily/?period=2026-10-01", "L-{n:03d}"),
        ("/reports/weekly/?period=2026-W40", "坐席{n:03d}"),
        ("/reports/monthly/?period=2026-10", "坐席{n:03d}"),
        ("/reports/cases/?period=2026-10", "case-{n:03d}"),
        ("/reports/training/?period=2026-10", "item-{n:03d}"),
    ],
)
def test_reports_queries_do_not_grow(
    url: str, shown: str, assert_flat: AssertFlat, center: Center, qa_sun: User, qa_zhao: User
) -> None:
    def add_rows(numbers: range) -> None:
        monitored_day(center, numbers, reviewer=qa_sun)

    assert_flat(qa_zhao, url, add_rows=add_rows, shown=shown)


def test_report_archive_queries_do_not_grow(assert_flat: AssertFlat, qa_zhao: User) -> None:
    """Daily reports generated for the days from 1 January 2026, and as many weekly ones
    queued (the newest listed last: the queue is shown in full)."""
    url = "/reports/archive/"
    first_day = date(2026, 1, 1)

    def add_rows(numbers: range) -> None:
        days = [first_day + timedelta(days=n) for n in numbers]
        GeneratedReport.objects.bulk_create(
            GeneratedReport(
                kind="daily",
                period=day.isoformat(),
                period_start=day,
                period_end=day,
                generated_at=timezone.now(),
                generated_by=qa_zhao,
                xlsx=b"",
                pdf=b"",
            )
            for day in days
        )
        QueuedReport.objects.bulk_create(
            QueuedReport(kind="weekly", period=f"2026-W{n:03d}", requested_by=qa_zhao)
            for n in numbers
        )

    assert_flat(qa_zhao, url, add_rows=add_rows, shown="2026-W{n:03d}")
