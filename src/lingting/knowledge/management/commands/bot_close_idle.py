"""`lingting bot_close_idle`: end the bot conversations nobody writes in any more."""

from __future__ import annotations

from argparse import ArgumentParser
from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from lingting.knowledge.services.bot import chats_close_idle


class Command(BaseCommand):
    help = (
        "End bot conversations with no new message for --idle-minutes (in the queue for a "
        "person: --waiting-minutes), storing each as a contact for auto-QA. Run hourly by "
        "the scheduler."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--idle-minutes", type=int, default=30)
        parser.add_argument("--waiting-minutes", type=int, default=180)

    def handle(self, *args: Any, **options: Any) -> None:
        ended = chats_close_idle(
            now=timezone.now(),
            idle=timedelta(minutes=options["idle_minutes"]),
            waiting=timedelta(minutes=options["waiting_minutes"]),
        )
        self.stdout.write(f"{ended} idle conversations ended")
