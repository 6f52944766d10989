"""Reports generated on a schedule (lingting report_run) and on demand, kept in the archive."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from lingting.core.models import AuditEvent, Notification, User
from lingting.documents.exports.fonts import ReportFontMissing
from lingting.interactions.models import FigureChange
from lingting.performance import tallies
from lingting.reports.models import GeneratedReport, QueuedReport
from lingting.reports.tasks import generate_queued_report
from tests.web.reports.test_reports import two_months  # noqa: F401 - the fixture, used by name

ClientFor = Callable[[User], Client]


def _run(*args: str) -> str:
    out = io.StringIO()
    call_command("report_run", *args, stdout=out)
    return out.getvalue()


@pytest.mark.usefixtures("two_months")
def test_report_run_stores_the_month_once_and_notifies_the_qa_supervisors(
    qa_zhao: User, qa_sun: User
) -> None:
    first = _run("--kind", "monthly", "--period", "2026-10")
    again = _run("--kind", "monthly", "--period", "2026-10")

    stored = GeneratedReport.objects.get()
    assert "generated" in first
    assert "already generated" in again
    assert (stored.kind, stored.period, stored.generated_by) == ("monthly", "2026-10", None)
    assert bytes(stored.pdf).startswith(b"%PDF")
    assert bytes(stored.xlsx).startswith(b"PK")
    notes = Notification.objects.filter(user=qa_zhao)
    assert [n.text for n in notes] == ["质检月报 2026-10 已生成，可下载 XLSX 和 PDF"]
    assert not Notification.objects.filter(user=qa_sun).exists()  # analysts are not told
    assert AuditEvent.objects.filter(action="report.generate").count() == 1


@pytest.mark.usefixtures("two_months")
def test_report_run_every_kind_and_a_clear_error_for_a_bad_period() -> None:
    for kind, period in [
        ("daily", "2026-10-06"),
        ("weekly", "2026-W41"),
        ("cases", "2026-10"),
        ("training", "2026-10"),
    ]:
        assert "generated" in _run("--kind", kind, "--period", period)
    assert GeneratedReport.objects.count() == 4
    with pytest.raises(CommandError, match="like 2026-W40"):
        _run("--kind", "weekly", "--period", "2026-10")


@pytest.mark.usefixtures("two_months")
def test_report_run_names_the_font_paths_when_none_exists(monkeypatch: Any) -> None:
    monkeypatch.setenv("LINGTING_REPORT_FONT", "/nowhere/cjk.ttf")

    with pytest.raises(CommandError, match=r"/nowhere/cjk\.ttf"):
        _run("--kind", "monthly", "--period", "2026-10")
    assert not GeneratedReport.objects.exists()


@pytest.mark.usefixtures("two_months")
def test_a_qa_supervisor_generates_on_demand_and_downloads_from_the_archive(
    client_for: ClientFor, qa_zhao: User, ops_zhou: User
) -> None:
    _run("--kind", "monthly", "--period", "2026-10")
    client = client_for(qa_zhao)

    response = client.post(reverse("reports:generate"), {"kind": "monthly", "period": "2026-10"})

    stored = GeneratedReport.objects.get()  # replaced, not doubled
    assert response.status_code == 302
    assert stored.generated_by == qa_zhao
    page = client_for(ops_zhou).get(reverse("reports:archive")).content.decode()
    assert "质检月报" in page
    assert "赵敏" in page
    pdf = client_for(ops_zhou).get(reverse("reports:archive_file", args=[stored.pk, "pdf"]))
    assert pdf.content.startswith(b"%PDF")
    assert 'filename="monthly-2026-10.pdf"' in pdf["Content-Disposition"]


@pytest.mark.usefixtures("two_months")
def test_a_report_asked_for_while_much_waits_to_be_counted_is_made_in_the_background(
    client_for: ClientFor, qa_zhao: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    # More figure changes wait than a request counts (after a big import: minutes of work):
    # the request queues the report instead, the archive lists it, the worker makes it.
    monkeypatch.setattr(tallies, "IN_REQUEST_CHANGES", 0)
    client = client_for(qa_zhao)

    response = client.post(reverse("reports:generate"), {"kind": "monthly", "period": "2026-10"})

    queued = QueuedReport.objects.get()
    assert response.status_code == 302
    assert response["Location"].endswith(f"#queued-{queued.pk}")
    assert not GeneratedReport.objects.exists()
    archive = client.get(reverse("reports:archive")).content.decode()
    assert f'<tr id="queued-{queued.pk}">' in archive
    assert "排队生成" in archive
    assert DBTaskResult.objects.filter(task_path__endswith="generate_queued_report").count() == 1

    report_id = generate_queued_report.call(queued.pk)  # as the task worker runs it

    stored = GeneratedReport.objects.get()
    assert (stored.pk, stored.generated_by, stored.period) == (report_id, qa_zhao, "2026-10")
    assert bytes(stored.pdf).startswith(b"%PDF")
    assert not QueuedReport.objects.exists()
    assert not FigureChange.objects.exists()  # every waiting change counted first
    note = Notification.objects.get(user=qa_zhao)
    assert note.text == "质检月报 2026-10 已生成，可下载 XLSX 和 PDF"
    assert note.url.endswith(f"#report-{stored.pk}")
    assert f'id="queued-{queued.pk}"' not in client.get(reverse("reports:archive")).content.decode()


@pytest.mark.usefixtures("two_months")
def test_a_queued_report_that_cannot_be_made_tells_whoever_asked(
    client_for: ClientFor, qa_zhao: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tallies, "IN_REQUEST_CHANGES", 0)
    client_for(qa_zhao).post(reverse("reports:generate"), {"kind": "monthly", "period": "2026-10"})
    queued = QueuedReport.objects.get()
    monkeypatch.setenv("LINGTING_REPORT_FONT", "/nowhere/cjk.ttf")

    with pytest.raises(ReportFontMissing):  # the task fails, as the worker records it
        generate_queued_report.call(queued.pk)

    assert not QueuedReport.objects.exists()
    assert not GeneratedReport.objects.exists()
    note = Notification.objects.get(user=qa_zhao)
    assert note.text == "质检月报 2026-10 生成失败，请重试或联系管理员"


@pytest.mark.usefixtures("two_months")
def test_only_a_qa_supervisor_may_generate(
    client_for: ClientFor, ops_zhou: User, leader_wang: User
) -> None:
    for user in (ops_zhou, leader_wang):
        response = client_for(user).post(
            reverse("reports:generate"), {"kind": "monthly", "period": "2026-10"}
        )
        assert response.status_code == 403
    assert not GeneratedReport.objects.exists()


def test_a_bad_period_on_demand_is_refused_with_the_formats(
    client_for: ClientFor, qa_zhao: User
) -> None:
    response = client_for(qa_zhao).post(
        reverse("reports:generate"), {"kind": "monthly", "period": "oct"}, follow=True
    )

    assert "周期格式不对" in response.content.decode()
    assert not GeneratedReport.objects.exists()


@pytest.mark.usefixtures("two_months")
def test_demo_fills_the_archive_with_each_month(org: Any) -> None:
    from datetime import date

    from lingting.demo.reports import demo_reports

    line = demo_reports(users=org.users, months=[date(2026, 9, 1), date(2026, 10, 1)])
    again = demo_reports(users=org.users, months=[date(2026, 9, 1), date(2026, 10, 1)])

    assert line == "reports: 4 generated into the archive (monthly 2026-09, 2026-10)"
    assert again.startswith("reports: 0 generated")
    assert set(GeneratedReport.objects.values_list("kind", "period")) == {
        ("monthly", "2026-09"),
        ("monthly", "2026-10"),
        ("cases", "2026-10"),
        ("training", "2026-10"),
    }
