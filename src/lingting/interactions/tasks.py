"""Background work on stored contacts, run by the database-backed task worker."""

from __future__ import annotations

from collections.abc import Sequence

from django.tasks import task

from lingting.interactions.search_index import search_index_refresh


@task()
def index_for_search(contact_ids: list[int]) -> int:
    """Write these contacts' search documents and phone numbers (see search_index)."""
    search_index_refresh(contact_ids=contact_ids)
    return len(contact_ids)


def search_index_later(*, contact_ids: Sequence[int], in_process: bool) -> None:
    """Index these contacts once the caller's transaction commits: by the task worker, or
    here and now with `in_process`. Either way in that transaction: the queued task is
    committed, or rolled back, with the contacts it indexes."""
    if in_process:
        search_index_refresh(contact_ids=contact_ids)
    elif contact_ids:
        index_for_search.enqueue(list(contact_ids))
