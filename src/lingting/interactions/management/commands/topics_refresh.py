"""`lingting topics_refresh`: keep the topics (客户之声) of recent contacts up to date.

Puts the contacts of the last weeks that have no topic yet in their nearest topic, and
re-clusters those weeks every four weeks, or now with `--recluster`
(lingting.interactions.services.topics). Run daily (`lingting scheduler` does, as the job
"topics"); running it twice changes nothing more.
"""

from __future__ import annotations

import time
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from lingting.interactions.services.topics import TOPIC_WEEKS, topics_refresh


class Command(BaseCommand):
    help = "Assign new contacts to the nearest topic; re-cluster recent contacts when due."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--recluster", action="store_true", help="find the topics again now, from scratch"
        )
        parser.add_argument(
            "--weeks",
            type=int,
            default=TOPIC_WEEKS,
            help=f"weeks of contacts a clustering reads (default {TOPIC_WEEKS})",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["weeks"] < 1:
            raise CommandError("--weeks must be at least 1")
        began = time.perf_counter()
        done = topics_refresh(
            now=timezone.now(), recluster=options["recluster"], weeks=options["weeks"]
        )
        seconds = time.perf_counter() - began
        what = "re-clustered" if done.reclustered else "assigned new contacts"
        self.stdout.write(
            f"topics {what}: {done.topics} topics, {done.assigned:,} contacts given a topic,"
            f" {done.without_topic:,} without one, in {seconds:.1f} s"
        )
