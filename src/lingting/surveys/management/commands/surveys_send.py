"""`lingting surveys_send`: decide about the contacts that ended under every active survey
plan, then send what is due through the configured gateway (scheduled every 5 minutes; the
task worker sends in between)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from lingting.surveys.services.invitations import survey_invitations_decide
from lingting.surveys.services.sending import survey_invitations_send


class Command(BaseCommand):
    help = "Decide survey invitations for ended contacts and send those due"

    def handle(self, *args: Any, **options: Any) -> None:
        decided = survey_invitations_decide()
        run = survey_invitations_send()
        self.stdout.write(
            f"{decided} invitations due, {run.sent} sent, {run.failed} failed attempts,"
            f" {run.withdrawn} withdrawn (opted out)"
        )
