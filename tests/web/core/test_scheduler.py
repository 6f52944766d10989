"""`lingting scheduler`: each recurring job runs once per due moment, failures are kept."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from lingting.core.models import ScheduledRun

pytestmark = pytest.mark.django_db


def test_a_due_job_runs_once_however_often_the_scheduler_looks(
    settings: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    settings.LINGTING_SCHEDULE = [("checks", "hourly :00", ["check"])]

    call_command("scheduler", "--once")
    call_command("scheduler", "--once")

    run = ScheduledRun.objects.get()
    assert run.job == "checks"
    assert run.succeeded is True
    assert "System check identified" in run.output
    assert run.due_at.minute == 0
    assert capsys.readouterr().out.count("checks ran for") == 1


def test_a_failing_job_is_recorded_and_the_others_still_run(
    settings: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    settings.LINGTING_SCHEDULE = [
        ("broken", "daily 00:05", ["sampling_run", "--day", "2026-02-30"]),
        ("checks", "daily 00:05", ["check"]),
    ]

    call_command("scheduler", "--once")
    call_command("scheduler", "--status")

    broken, checks = ScheduledRun.objects.order_by("job")
    assert broken.succeeded is False
    assert "2026-02-30" in broken.output
    assert checks.succeeded is True
    status = capsys.readouterr().out
    assert "broken (daily 00:05): FAILED" in status
    assert "checks (daily 00:05): ok" in status
    assert status.count(" 00:05\n") >= 2  # the due moment in the center's time, not UTC


@pytest.mark.parametrize(
    ("job", "complaint"),
    [
        (("reports", "monthly 31 06:00", ["check"]), "job 'reports': 'monthly 31 06:00'"),
        (("ghost", "hourly :00", ["no_such_command"]), "job 'ghost': no command"),
    ],
)
def test_a_misconfigured_job_stops_the_scheduler_at_start(
    settings: Any, job: tuple[str, str, list[str]], complaint: str
) -> None:
    settings.LINGTING_SCHEDULE = [job]

    with pytest.raises(CommandError, match=complaint):
        call_command("scheduler", "--once")
    assert not ScheduledRun.objects.exists()


def test_the_default_schedule_draws_the_daily_samples(capsys: pytest.CaptureFixture[str]) -> None:
    call_command("scheduler", "--once")

    assert ScheduledRun.objects.get(job="samples").succeeded is True
    assert "no daily plan is due" in ScheduledRun.objects.get(job="samples").output
