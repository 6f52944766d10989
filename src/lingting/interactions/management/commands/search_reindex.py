"""`lingting search_reindex`: rebuild every contact's search document and phone numbers.

The import keeps the index as it stores contacts; run this after changing the search
dictionaries (LINGTING_SEARCH_DICTIONARY, lingting/engine/search_words.txt) or once for
contacts stored before search existed. Safe to run at any time, a chunk per transaction.
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand

from lingting.interactions.search_index import search_reindex_all


class Command(BaseCommand):
    help = "Rebuild the full-text search index of every contact."

    def handle(self, *args: Any, **options: Any) -> None:
        began = time.perf_counter()
        indexed = search_reindex_all()
        seconds = time.perf_counter() - began
        self.stdout.write(f"indexed {indexed:,} contacts in {seconds:.1f} s")
