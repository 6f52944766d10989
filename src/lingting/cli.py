"""The one `lingting` command.

Engine commands (`score`, `kpis`, `scorecard test|diff`, `erlang`, `forecast`, `faq-match`,
`faq-train`, `listen`) run without Django or a database, so they work on any machine and in
distributed workers; every other command is a Django management command (`lingting
migrate`, `lingting import FILE`, `lingting demo`, ...), among them the three production
processes: `lingting serve` (the web app under gunicorn), `lingting worker` (the task
worker) and `lingting scheduler` (the recurring jobs).
"""

from __future__ import annotations

import os
import sys

ENGINE_COMMANDS = {
    "score",
    "kpis",
    "scorecard",
    "erlang",
    "forecast",
    "faq-match",
    "faq-train",
    "listen",
}


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if args and args[0] in ENGINE_COMMANDS:
        from lingting.engine_cli import run_engine_command

        return run_engine_command(args)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lingting.config.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["lingting", *args])
    return 0


if __name__ == "__main__":
    sys.exit(main())
