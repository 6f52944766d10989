"""`lingting campaigns_refresh`: every running callback campaign takes in its segment's new
customers and shares out today's lists (scheduled every 15 minutes: a new complainant or
a low survey score is on a list within the quarter hour; an agent who is away today has
their customers shared among the others)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from lingting.campaigns.services.campaigns import campaigns_refresh


class Command(BaseCommand):
    help = "Add new segment customers to running campaigns and share out today's lists"

    def handle(self, *args: Any, **options: Any) -> None:
        for name, report in campaigns_refresh(today=timezone.localdate()).items():
            self.stdout.write(
                f"{name}: {report.added} customers added, {report.released} taken back,"
                f" {report.shared} shared out for today"
            )
