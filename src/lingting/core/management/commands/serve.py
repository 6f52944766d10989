"""`lingting serve`: the web app under gunicorn, the production server.

The task worker (`lingting worker`) and the scheduler (`lingting scheduler`) run as separate
processes beside it (deploy/systemd/ has a unit for each). More gunicorn options can be given
in GUNICORN_CMD_ARGS, which gunicorn reads itself.
"""

from __future__ import annotations

import os
import sys
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError, CommandParser

from lingting.core.startup import require_secret_key


def default_workers() -> int:
    return min(2 * (os.cpu_count() or 1) + 1, 9)


class Command(BaseCommand):
    help = "Serve the web app with gunicorn (production); the worker and scheduler run apart."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--bind",
            default=os.environ.get("LINGTING_BIND", "127.0.0.1:8000"),
            help="address:port or unix:/path to listen on (default: LINGTING_BIND or "
            "127.0.0.1:8000, behind the reverse proxy)",
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=int(os.environ.get("LINGTING_WEB_WORKERS", default_workers())),
            help="gunicorn worker processes (default: LINGTING_WEB_WORKERS or 2 × cores + 1)",
        )
        parser.add_argument("--threads", type=int, default=4, help="threads per worker")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            require_secret_key()
        except ImproperlyConfigured as refusal:
            raise CommandError(str(refusal)) from None
        argv = [
            sys.executable,
            "-m",
            "gunicorn",
            "lingting.config.wsgi:application",
            "--bind",
            options["bind"],
            "--workers",
            str(options["workers"]),
            "--threads",
            str(options["threads"]),
            # a PDF report or a large export takes longer than gunicorn's default 30 s
            "--timeout",
            "120",
            "--access-logfile",
            "-",
            "--no-control-socket",  # gunicorn's runtime-control socket: not used, not opened
        ]
        sys.stdout.flush()
        # exec, not a child: systemd (or the demo script) signals gunicorn itself
        os.execv(sys.executable, argv)
