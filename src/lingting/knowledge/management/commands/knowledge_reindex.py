"""`lingting knowledge_reindex`: rebuild every article's search document.

The article services keep the index as articles go live, and saving the owners' words
rebuilds it; run this after changing the shipped lists (lingting/engine/search_words.txt,
knowledge_synonyms.txt) or once for articles stored before search existed.
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand

from lingting.knowledge.search_index import article_reindex_all


class Command(BaseCommand):
    help = "Rebuild the search index of every knowledge article."

    def handle(self, *args: Any, **options: Any) -> None:
        began = time.perf_counter()
        indexed = article_reindex_all()
        seconds = time.perf_counter() - began
        self.stdout.write(f"indexed {indexed:,} articles in {seconds:.1f} s")
