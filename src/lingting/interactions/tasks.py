"""Background work on stored contacts, run by the database-backed task worker."""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial

from django.db import transaction
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


@task()
def listen_to_recordings(contact_ids: list[int]) -> int:
    """Listen to these contacts' latest recordings and keep what was heard (see
    services.listening); returns how many were listened to."""
    # Imported here, not above: the import services, in the same package, import this
    # module (for `search_index_later` and `listen_later`).
    from lingting.interactions.services.listening import recordings_listen

    return len(recordings_listen(contact_ids=contact_ids))


def listen_later(*, contact_ids: Sequence[int], in_process: bool) -> None:
    """Listen to these contacts' recordings: queued for the task worker in the caller's
    transaction (committed, or rolled back, with the contacts), or with `in_process` here
    once it commits — after, not inside it: hearing a batch's files takes seconds, and the
    transaction holds the database's write lock on SQLite."""
    if not contact_ids:
        return
    if in_process:
        transaction.on_commit(partial(listen_to_recordings.call, list(contact_ids)))
    else:
        listen_to_recordings.enqueue(list(contact_ids))
