"""`lingting listen_recordings`: listen to the recordings of contacts already stored.

An import has its contacts' recordings listened to by the task worker; run this for
contacts stored before listening existed, after files arrived late on the recording
platform, or with `--again` after changing LINGTING_AGENT_CHANNEL or upgrading Lingting
(what is heard may have grown). Safe to run at any time: each recording's result is
replaced, never duplicated.
"""

from __future__ import annotations

import time
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand

from lingting.interactions.services.listening import stored_recordings_listen


class Command(BaseCommand):
    help = (
        "Listen to the latest recording of every stored contact that has one: talk time, "
        "overtalk, dead air, levels and the waveform, kept for its page. Recordings heard "
        "since their file last changed are left as they are unless --again."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--again",
            action="store_true",
            help="listen to every recording, also those already heard",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        began = time.perf_counter()
        done = stored_recordings_listen(again=options["again"])
        self.stdout.write(
            f"listened to {done.listened} recordings ({done.unheard} could not be heard) "
            f"of {done.contacts} contacts with a recording in {time.perf_counter() - began:.1f} s"
        )
