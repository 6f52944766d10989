"""`lingting judge_pending`: have the model judge pre-score the contacts waiting in
reviewers' queues that it has not answered yet.

Judging is normally enqueued when a draw hands contacts to reviewers; this catches what it
could not do then: contacts drawn before the judge was enabled, or while the model's server
was down (their items are asked again; answered ones are not).

The scheduler runs it hourly (LINGTING_SCHEDULE) with `--if-on`, so that a center without a
model is not told each hour that it has none, and with `--older-than 60`, so that it leaves
the contacts of a draw still being judged in the background to those tasks rather than ask
the model about them twice.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from lingting.quality.selectors.judge import contacts_awaiting_judgement, judge_is_on
from lingting.quality.services.judge import contacts_judge

CHUNK = 20


class Command(BaseCommand):
    help = "Pre-score the manual items of contacts awaiting review with the model judge."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--if-on",
            action="store_true",
            help="when the judge is off or has no model configured, do nothing (no error)",
        )
        parser.add_argument(
            "--older-than",
            type=int,
            default=0,
            metavar="MINUTES",
            help="only contacts drawn at least this many minutes ago",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not judge_is_on():
            if options["if_on"]:
                self.stdout.write("the model judge is off: nothing to do")
                return
            raise CommandError(
                "the model judge is off: an administrator enables it at /quality/judge/"
            )
        older_than = options["older_than"]
        contact_ids = contacts_awaiting_judgement(
            assigned_before=timezone.now() - timedelta(minutes=older_than) if older_than else None
        )
        stored = 0
        for start in range(0, len(contact_ids), CHUNK):
            stored += contacts_judge(contact_ids=contact_ids[start : start + CHUNK])
        self.stdout.write(
            f"{len(contact_ids)} contacts awaiting review, {stored} judgements stored"
        )
