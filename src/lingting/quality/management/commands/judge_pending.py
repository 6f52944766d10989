"""`lingting judge_pending`: have the model judge pre-score the contacts waiting in
reviewers' queues that it has not answered yet.

Judging is normally enqueued when a draw hands contacts to reviewers; this catches what it
could not do then: contacts drawn before the judge was enabled, or while the model's server
was down (their items are asked again; answered ones are not).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from lingting.quality.selectors.judge import contacts_awaiting_judgement, judge_is_on
from lingting.quality.services.judge import contacts_judge

CHUNK = 20


class Command(BaseCommand):
    help = "Pre-score the manual items of contacts awaiting review with the model judge."

    def handle(self, *args: Any, **options: Any) -> None:
        if not judge_is_on():
            raise CommandError(
                "the model judge is off: an administrator enables it at /quality/judge/"
            )
        contact_ids = contacts_awaiting_judgement()
        stored = 0
        for start in range(0, len(contact_ids), CHUNK):
            stored += contacts_judge(contact_ids=contact_ids[start : start + CHUNK])
        self.stdout.write(
            f"{len(contact_ids)} contacts awaiting review, {stored} judgements stored"
        )
