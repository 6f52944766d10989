"""Reading the search index: which contacts a search box query finds, and the words of
each that matched.

One query finds a contact by its id (exactly), by a phone number it carries (for roles that
may see personal numbers), or else by the words said in it or its tags (every word of the
query, segmented as the transcripts are: lingting.engine.search). Anyone else searching a number
finds nothing by it: the documents hold transcripts masked, and the phone table is not
asked. The caller narrows the result to the contacts the user may see.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.db.models import BooleanField, Exists, OuterRef, Q
from django.db.models.expressions import RawSQL
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from lingting.core.models import User
from lingting.core.permissions import may_see_personal_numbers
from lingting.engine import pii
from lingting.engine.contacts import Turn as EngineTurn
from lingting.engine.search import (
    DEFAULT_DICTIONARY,
    Segmenter,
    phone_number_in,
    segmenter_for,
)
from lingting.interactions.models import Contact, PhoneNumber, SearchDocument, Turn

MAX_QUERY_CHARS = 200
# From this many contacts saying the words on, a search walks the contacts newest first
# (see _words_on_postgresql; measured with benchmarks/search.py on 1 M contacts).
COMMON_MATCHES = 20_000
FTS_TABLE = f"{SearchDocument._meta.db_table}_fts"  # SQLite only (migration 0005)
_BEFORE_CHARS = 16
_AFTER_CHARS = 40


@dataclass(frozen=True, slots=True)
class Snippet:
    """Where a search matched in one contact: the matching words and some text around."""

    where: str  # who said it (坐席, 客户 …) or 标签
    before: str
    match: str
    after: str


def search_segmenter() -> Segmenter:
    """The segmenter of this installation: the shipped words and the center's own."""
    own = settings.LINGTING_SEARCH_DICTIONARY
    return segmenter_for((DEFAULT_DICTIONARY, *((Path(own),) if own else ())))


def search_condition(*, user: User, query: str) -> Q | Exists:
    """A filter on contacts: those `query` finds (before any role's scope).

    A query that is a contact's id, or a phone number a contact carries (for a role that
    may see numbers), finds those contacts; any other is searched as words. Two separate
    conditions, not one OR: each alone leaves the database free to plan it well (walking
    the contacts newest first for a common word, the word's index for a rare one)."""
    query = query.strip()
    exact = Q(external_id=query)
    number = phone_number_in(query) if may_see_personal_numbers(user) else None
    if number:
        exact |= Q(pk__in=PhoneNumber.objects.filter(number=number).values("contact_id"))
    if Contact.objects.filter(exact).exists():
        return exact
    terms = search_segmenter().query_terms(query)
    if not terms:
        return Q(pk__in=[])
    if connection.vendor == "postgresql":
        return _words_on_postgresql(terms)
    # Each term quoted: FTS5 reads it as a string, never as syntax; all must match.
    match = " ".join('"{}"'.format(term.replace('"', '""')) for term in terms)
    return Q(pk__in=RawSQL(f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s", [match]))


def _words_on_postgresql(terms: list[str]) -> Q | Exists:
    """Contacts whose stored tsvector (`words`, migrations 0006 and 0011, GIN-indexed) has
    every term: the terms as lexemes, exactly as the documents' terms are (letters and
    digits only, so no quoting is needed), never parsed again by a text search parser.

    Two plans, chosen by how many contacts the planner expects to say the words (its
    estimate from the column's word statistics: a millisecond, where counting a common
    word's matches takes half a second): a common word is found newest first, walking the
    contacts and checking each one's document, which stops after a page; a rare one is
    collected from the index and joined, which walking would not (it would check thousands
    of contacts that do not say it). PostgreSQL's own choice between the two, made inside
    the page's query, goes wrong around a few thousand matches."""
    said = "words @@ %s::tsquery"
    every_term = " & ".join(f"'{term}'" for term in terms)
    documents = SearchDocument._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"EXPLAIN (FORMAT JSON) SELECT 1 FROM {documents} WHERE {said}", [every_term]
        )
        (plan,) = cursor.fetchone()
    plan = json.loads(plan) if isinstance(plan, str) else plan
    if plan[0]["Plan"]["Plan Rows"] >= COMMON_MATCHES:
        condition = RawSQL(said, [every_term], output_field=BooleanField())
        return Exists(SearchDocument.objects.filter(condition, contact_id=OuterRef("pk")))
    # OFFSET 0 keeps the subquery whole: collected first, never probed contact by contact.
    return Q(
        pk__in=RawSQL(f"SELECT contact_id FROM {documents} WHERE {said} OFFSET 0", [every_term])
    )


def search_snippets(
    *,
    user: User,
    contacts: Sequence[Contact],
    query: str,
    speaker_labels: Mapping[str, Promise],
) -> dict[int, Snippet]:
    """For each of these contacts (a page of results), the first turn that has a word of
    `query` (or the phone number searched, for a role that may see it), or else its tag;
    the text is masked as `user` must see it."""
    reveal = may_see_personal_numbers(user)
    terms = sorted(search_segmenter().query_terms(query), key=len, reverse=True)
    words = re.compile("|".join(map(re.escape, terms)), re.IGNORECASE) if terms else None
    number = phone_number_in(query.strip()) if reveal else None
    turns: dict[int, list[EngineTurn]] = defaultdict(list)
    for contact_id, index, speaker, text in (
        Turn.objects.filter(contact_id__in=[c.pk for c in contacts])
        .order_by("contact_id", "index")
        .values_list("contact_id", "index", "speaker", "text")
    ):
        turns[contact_id].append(EngineTurn(index, speaker, text))
    snippets: dict[int, Snippet] = {}
    for contact in contacts:
        spoken = turns.get(contact.pk, [])
        shown = [t.text for t in spoken] if reveal else pii.mask_turn_texts(spoken)
        snippet = _in_turns(spoken, shown, words, speaker_labels) or _by_number(
            spoken, number, speaker_labels
        )
        if snippet is None and words is not None:
            snippet = _in_tags([str(tag) for tag in contact.tags or ()], words)
        if snippet is not None:
            snippets[contact.pk] = snippet
    return snippets


def _in_turns(
    turns: Sequence[EngineTurn],
    shown: Sequence[str],
    words: re.Pattern[str] | None,
    labels: Mapping[str, Promise],
) -> Snippet | None:
    if words is None:
        return None
    for turn, text in zip(turns, shown, strict=True):
        found = words.search(text)
        if found:
            return _around(_label(labels, turn.speaker), text, found.start(), found.end())
    return None


def _by_number(
    turns: Sequence[EngineTurn], number: str | None, labels: Mapping[str, Promise]
) -> Snippet | None:
    if number is None:
        return None
    by_index = {t.index: t for t in turns}
    for finding in pii.find_personal_numbers(turns):
        if finding.value == number:
            span = finding.spans[0]
            turn = by_index[span.turn]
            where = _label(labels, turn.speaker)
            return _around(where, turn.text, span.start_char, span.end_char)
    return None


def _in_tags(tags: Sequence[str], words: re.Pattern[str]) -> Snippet | None:
    for tag in tags:
        found = words.search(tag)
        if found:
            return _around(str(_("标签")), tag, found.start(), found.end())
    return None


def _label(labels: Mapping[str, Promise], speaker: str) -> str:
    return str(labels.get(speaker, speaker))


def _around(where: str, text: str, start: int, end: int) -> Snippet:
    low, high = max(0, start - _BEFORE_CHARS), min(len(text), end + _AFTER_CHARS)
    return Snippet(
        where=where,
        before=("…" if low else "") + text[low:start],
        match=text[start:end],
        after=text[end:high] + ("…" if high < len(text) else ""),
    )
