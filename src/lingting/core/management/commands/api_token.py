"""`lingting api_token USER [--name NAME]`: make an API key and print it once."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from lingting.core.models import User
from lingting.core.services import api_token_create


class Command(BaseCommand):
    help = "Make an API key for USER (it acts with USER's permissions); the key is shown once."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--name", default="cli", help="what the key is for")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"no user {options['username']!r}")
        token, key = api_token_create(user=user, name=options["name"])
        self.stdout.write(key)
        self.stderr.write(
            f"API key {token.prefix}… for {user.username}: use it as "
            "'Authorization: Bearer <key>'; it will not be shown again."
        )
