"""Keeping the search index: each contact's search document and phone numbers.

Segmenting and indexing costs about three times what storing a contact does, so the import
leaves it to the task worker, like scoring (`tasks.search_index_later`): the task is enqueued in
the transaction that stores the contacts, so it is committed, or lost, with them, and a
killed import leaves no contact behind unindexed. `lingting import --sync` indexes in its
own transactions instead, and its reader processes make each line's entry from the line
(`search_entry_of`), so the turns are not read back. `lingting search_reindex` rebuilds every
document, after a change of the dictionaries or for contacts stored before search existed.

The document holds the transcript without the digits of personal numbers: a number searched
for as words never matches, whoever searches. Phone numbers go to their own table, which
only roles that may see them search.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence
from typing import Any, NamedTuple

from django.db import transaction

from lingting.engine import pii
from lingting.engine.contacts import Turn as EngineTurn
from lingting.engine.search import Segmenter, phone_numbers_in, without_personal_numbers
from lingting.interactions.models import Contact, PhoneNumber, SearchDocument, Turn
from lingting.interactions.search import search_segmenter

REINDEX_CHUNK = 2000


class SearchEntry(NamedTuple):
    """What search keeps of one contact: its document's terms (space-separated; empty for
    a contact with nothing to find by words) and the phone numbers it carries."""

    terms: str
    numbers: frozenset[str]


def search_index_refresh(*, contact_ids: Sequence[int]) -> None:
    """Rewrite the search document and phone numbers of these contacts from what is stored
    (their turns, tags, customer code and extra fields)."""
    segmenter = search_segmenter()
    for start in range(0, len(contact_ids), REINDEX_CHUNK):
        ids = list(contact_ids[start : start + REINDEX_CHUNK])
        turns: dict[int, list[EngineTurn]] = defaultdict(list)
        for contact_id, index, speaker, text in (
            Turn.objects.filter(contact_id__in=ids)
            .order_by("contact_id", "index")
            .values_list("contact_id", "index", "speaker", "text")
        ):
            turns[contact_id].append(EngineTurn(index, speaker, text))
        search_entries_store(
            {
                contact_id: search_entry_of(
                    segmenter, turns.get(contact_id, []), tags=tags, customer=customer, extra=extra
                )
                for contact_id, tags, extra, customer in Contact.objects.filter(
                    pk__in=ids
                ).values_list("pk", "tags", "extra", "customer__code")
            }
        )


def search_entries_store(entries: Mapping[int, SearchEntry]) -> None:
    """Replace these contacts' search documents and phone numbers with `entries`."""
    if not entries:
        return
    ids = list(entries)
    documents = [
        SearchDocument(contact_id=contact_id, terms=entry.terms)
        for contact_id, entry in entries.items()
        if entry.terms
    ]
    numbers = [
        PhoneNumber(contact_id=contact_id, number=number)
        for contact_id, entry in entries.items()
        for number in sorted(entry.numbers)
    ]
    with transaction.atomic():
        SearchDocument.objects.filter(contact_id__in=ids).delete()
        PhoneNumber.objects.filter(contact_id__in=ids).delete()
        SearchDocument.objects.bulk_create(documents)
        PhoneNumber.objects.bulk_create(numbers)


def search_entry_of(
    segmenter: Segmenter,
    turns: Sequence[EngineTurn],
    *,
    tags: Any,
    customer: str | None,
    extra: Any,
) -> SearchEntry:
    """A contact's search entry: its document's terms and its phone numbers."""
    in_turns = pii.find_personal_numbers(turns)
    said = without_personal_numbers(turns, in_turns)
    terms = segmenter.index_terms([*said, *(str(tag) for tag in tags or ())])
    carried = [customer or "", *_strings_in(extra)]
    in_fields = pii.find_personal_numbers(
        [EngineTurn(n, "system", text) for n, text in enumerate(carried) if text]
    )
    return SearchEntry(
        " ".join(terms), frozenset(phone_numbers_in(in_turns) | phone_numbers_in(in_fields))
    )


def search_reindex_all() -> int:
    """Rebuild every contact's search document, a chunk per transaction; returns how many
    contacts were indexed."""
    done = 0
    last_id = 0
    while True:
        chunk = list(
            Contact.objects.filter(pk__gt=last_id)
            .order_by("pk")
            .values_list("pk", flat=True)[:REINDEX_CHUNK]
        )
        if not chunk:
            return done
        search_index_refresh(contact_ids=chunk)
        done += len(chunk)
        last_id = chunk[-1]


def _strings_in(value: Any) -> Iterator[str]:
    """Every string inside an extra field's JSON value (a caller's number may be nested)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, int) and not isinstance(value, bool):
        yield str(value)
    elif isinstance(value, Mapping):
        for item in value.values():
            yield from _strings_in(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings_in(item)
