"""`lingting scheduler [--once]`: run the recurring jobs of LINGTING_SCHEDULE when due.

Each job is a `lingting` command with a schedule (`daily 00:05`, `hourly :00`, `weekly mon
06:00`, `monthly 1 06:00`; see lingting.engine.schedule). Every minute the scheduler runs each
job whose latest due moment has not run yet, once: the moment is claimed in the database
first (core.ScheduledRun), so two schedulers never run it twice, and the run's output and
outcome are kept there. A failing job is logged and does not stop the others.

Each check writes the scheduler's heartbeat, which /healthz reports.

`--once` checks once and exits (for a cron entry `* * * * * lingting scheduler --once`);
`--status` lists each job's last run.
"""

from __future__ import annotations

import io
import time
import traceback
from typing import Any

from django.conf import settings
from django.core.management import call_command, get_commands
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from lingting.core.models import ScheduledRun
from lingting.core.services import heartbeat_beat, scheduled_run_claim, scheduled_run_finish
from lingting.engine.schedule import Schedule, ScheduleError, last_due, parse_schedule

Job = tuple[str, Schedule, list[str]]


class Command(BaseCommand):
    help = "Run the recurring jobs (samples, broadcasts, reports) when they are due."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="check once and exit")
        parser.add_argument("--status", action="store_true", help="list each job's last run")
        parser.add_argument("--interval", type=float, default=60.0, help="seconds between checks")

    def handle(self, *args: Any, **options: Any) -> None:
        jobs = configured_jobs()
        if options["status"]:
            self._status(jobs)
            return
        for name, schedule, argv in jobs:
            self.stdout.write(f"{name}: {schedule} → lingting {' '.join(argv)}")
        # Run from cron with --once, it beats once a minute (the cron line's step).
        every = 60.0 if options["once"] else options["interval"]
        while True:
            heartbeat_beat(process="scheduler", every_seconds=every)  # read by /healthz
            self.run_due(jobs)
            if options["once"]:
                return
            time.sleep(options["interval"])

    def run_due(self, jobs: list[Job]) -> None:
        now = timezone.localtime()
        for name, schedule, argv in jobs:
            run = scheduled_run_claim(job=name, due_at=last_due(schedule, now))
            if run is None:
                continue
            output = io.StringIO()
            try:
                call_command(*argv, stdout=output, stderr=output)
            except Exception:  # one job's failure must not stop the others
                output.write(traceback.format_exc())
                scheduled_run_finish(run=run, succeeded=False, output=output.getvalue())
                self.stderr.write(f"{name} failed for {run.due_at:%Y-%m-%d %H:%M}; see --status")
            else:
                scheduled_run_finish(run=run, succeeded=True, output=output.getvalue())
                self.stdout.write(f"{name} ran for {run.due_at:%Y-%m-%d %H:%M}")

    def _status(self, jobs: list[Job]) -> None:
        for name, schedule, _argv in jobs:
            last = ScheduledRun.objects.filter(job=name).first()
            if last is None:
                self.stdout.write(f"{name} ({schedule}): never ran")
                continue
            outcome = {True: "ok", False: "FAILED", None: "running"}[last.succeeded]
            due = timezone.localtime(last.due_at)  # stored in UTC, read in the center's time
            self.stdout.write(f"{name} ({schedule}): {outcome} for {due:%Y-%m-%d %H:%M}")
            if last.succeeded is False:
                self.stdout.write(last.output)


def configured_jobs() -> list[Job]:
    """LINGTING_SCHEDULE read and checked: a bad schedule or an unknown command stops the
    scheduler at start with the job's name, rather than failing quietly at 3 a.m."""
    commands = get_commands()
    jobs: list[Job] = []
    for name, text, argv in settings.LINGTING_SCHEDULE:
        try:
            schedule = parse_schedule(text)
        except ScheduleError as error:
            raise CommandError(f"LINGTING_SCHEDULE job {name!r}: {error}") from None
        if not argv or argv[0] not in commands:
            raise CommandError(f"LINGTING_SCHEDULE job {name!r}: no command {argv[:1]!r}")
        jobs.append((name, schedule, list(argv)))
    return jobs
