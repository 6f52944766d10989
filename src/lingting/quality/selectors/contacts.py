"""The contact list (auto-QA's front page): the contacts a user may see, narrowed by
filters that read their scores, a page at a time.

Every read goes through `lingting.core.permissions`, so a contact a user may not see is
never listed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.core.paginator import Page, Paginator
from django.db import models
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils.functional import cached_property

from lingting.core.models import Agent, User
from lingting.core.permissions import contact_scope
from lingting.interactions.engine_contacts import contacts_without_current_score
from lingting.interactions.labels import CHANNEL_LABELS, SPEAKER_LABELS, label_of
from lingting.interactions.models import Contact
from lingting.interactions.search import Snippet, search_condition, search_snippets
from lingting.interactions.selectors import local_midnight
from lingting.interactions.transcript import format_clock
from lingting.quality.contact_filters import ContactFilters, Resolved, ScoreBand
from lingting.quality.models import ContactMeaning, ItemFailure
from lingting.quality.selectors.meaning import emotion_label
from lingting.quality.selectors.score_of_record import (
    FATAL_OF_RECORD,
    ScoreOfRecord,
    score_of_record,
    score_of_record_in,
    with_score_of_record,
)

PAGE_SIZE = 50
COUNT_CAP = 10_000  # counting past this costs more than it tells anyone


def contact_list_for(*, user: User, filters: ContactFilters) -> QuerySet[Contact]:
    """The contacts `user` may see, narrowed by `filters`, newest first.

    Each row carries `failed_count`, the number of failed items of its current score.
    Queue, agent and current score come in the same query (the score's item JSON is left
    behind: the list does not show it).
    """
    failures = (
        ItemFailure.objects.filter(score_id=OuterRef("current_score_id"))
        .order_by()
        .values("score_id")
        .annotate(n=Count("*"))
        .values("n")
    )
    return (
        with_score_of_record(contacts_matching(user=user, filters=filters))
        .select_related("queue", "agent", "current_score", "meaning")
        .defer("extra", "holds", "current_score__items", "meaning__details")
        .annotate(failed_count=Coalesce(Subquery(failures), 0))
        .order_by("-started_at", "-id")
        .fetch_mode(models.FETCH_PEERS)
    )


def contacts_matching(*, user: User, filters: ContactFilters) -> QuerySet[Contact]:
    """Only the WHERE clause: what the page, its (capped) count and sampling plans
    (reverse checks from a saved list filter) need."""
    contacts = Contact.objects.filter(contact_scope(user))
    if filters.date_from:
        contacts = contacts.filter(started_at__gte=local_midnight(filters.date_from))
    if filters.date_to:
        contacts = contacts.filter(
            started_at__lt=local_midnight(filters.date_to + timedelta(days=1))
        )
    if filters.queue_id:
        contacts = contacts.filter(queue_id=filters.queue_id)
    if filters.agent_id:
        contacts = contacts.filter(agent_id=filters.agent_id)
    if filters.team_id:
        contacts = contacts.filter(
            agent_id__in=Agent.objects.filter(team_id=filters.team_id).values("pk")
        )
    if filters.score_band or filters.fatal_only:  # both read the score of record
        contacts = with_score_of_record(contacts)
    if filters.score_band:
        contacts = contacts.filter(score_of_record_in(*filters.score_band.bounds))
    if filters.failed_item:
        contacts = contacts.filter(
            Exists(
                ItemFailure.objects.filter(
                    score_id=OuterRef("current_score_id"), item=filters.failed_item
                )
            )
        )
    if filters.fatal_only:
        contacts = contacts.filter(FATAL_OF_RECORD)
    if filters.unscored:
        # The sweep's rule: a transcript and no current result (a CDR is never scored).
        contacts &= contacts_without_current_score()
    if filters.topic_id:
        contacts = contacts.filter(topic_link__topic_id=filters.topic_id)
    if filters.query:
        contacts = contacts.filter(search_condition(user=user, query=filters.query))
    meaning = meaning_condition(filters)
    if meaning:
        contacts = contacts.filter(meaning)
    return contacts


def meaning_condition(filters: ContactFilters) -> Q:
    """The filters on what the contact meant, on ContactMeaning's indexed columns (one join
    by primary key); an empty Q when none is set. "Unclear" counts only contacts whose
    customer spoke: a contact without a customer turn has no verdict to be unclear about."""
    condition = Q()
    if filters.emotion_end:
        condition &= Q(meaning__emotion_end__in=filters.emotion_end)
    if filters.emotion_peak:
        condition &= Q(meaning__emotion_peak__in=filters.emotion_peak)
    if filters.resolved == Resolved.YES:
        condition &= Q(meaning__resolved=True)
    elif filters.resolved == Resolved.NO:
        condition &= Q(meaning__resolved=False)
    elif filters.resolved == Resolved.UNCLEAR:
        condition &= Q(meaning__resolved__isnull=True, meaning__emotion_end__gt="")
    if filters.satisfaction_below is not None:
        condition &= Q(meaning__satisfaction_predicted__lt=filters.satisfaction_below / 100)
    return condition


class CappedPaginator(Paginator[Contact]):
    """A paginator whose count stops at COUNT_CAP, so a page costs the same on 1 M rows.

    It counts `matching`, the bare filtered rows without order, joins for display or
    annotations, so the database may count them by whichever index suits the filter.
    """

    def __init__(
        self, contacts: QuerySet[Contact], per_page: int, *, matching: QuerySet[Contact]
    ) -> None:
        super().__init__(contacts, per_page)
        self.matching = matching

    @cached_property
    def counted(self) -> int:
        """Matching rows, counted up to one past the cap."""
        return self.matching.order_by()[: COUNT_CAP + 1].count()

    @cached_property
    def count(self) -> int:
        return min(self.counted, COUNT_CAP)

    @property
    def is_capped(self) -> bool:
        return self.counted > COUNT_CAP


@dataclass(frozen=True, slots=True)
class ContactRow:
    contact: Contact
    channel: str
    duration: str
    band: str  # a ScoreBand value, "" when the contact has no score
    failed_count: int
    score: ScoreOfRecord | None  # the reviewed score once reviewed, else the machine's
    snippet: Snippet | None = None  # where the search matched, when there is a search
    meaning: ContactMeaning | None = None  # what the customer felt, once read

    @property
    def emotion_end_label(self) -> str:
        return emotion_label(self.meaning.emotion_end) if self.meaning else ""


@dataclass(frozen=True, slots=True)
class ContactPage:
    rows: list[ContactRow]
    page: Page[Contact]
    total: int
    total_is_capped: bool


def contact_page_for(
    *, user: User, filters: ContactFilters, page_number: str | int | None
) -> ContactPage:
    """One page of `contact_list_for`, ready to show."""
    paginator = CappedPaginator(
        contact_list_for(user=user, filters=filters),
        PAGE_SIZE,
        matching=contacts_matching(user=user, filters=filters),
    )
    page = paginator.get_page(page_number)
    snippets = (
        search_snippets(
            user=user,
            contacts=list(page.object_list),
            query=filters.query,
            speaker_labels=SPEAKER_LABELS,
        )
        if filters.query
        else {}
    )
    rows = [_row(contact, score_of_record(contact), snippets) for contact in page.object_list]
    return ContactPage(
        rows=rows, page=page, total=paginator.count, total_is_capped=paginator.is_capped
    )


def _row(
    contact: Contact, record: ScoreOfRecord | None, snippets: dict[int, Snippet]
) -> ContactRow:
    return ContactRow(
        contact=contact,
        channel=label_of(CHANNEL_LABELS, contact.channel),
        duration=format_clock(duration_s(contact)),
        band=band_of(record),
        failed_count=getattr(contact, "failed_count", 0),
        score=record,
        snippet=snippets.get(contact.pk),
        meaning=meaning_of(contact),
    )


def meaning_of(contact: Contact) -> ContactMeaning | None:
    """The contact's stored meaning (selected with it), None when it has none yet."""
    try:
        meaning: ContactMeaning = contact.meaning
    except ContactMeaning.DoesNotExist:
        return None
    return meaning


def band_of(score: ScoreOfRecord | None) -> str:
    return ScoreBand.of(score.score).value if score else ""


def duration_s(contact: Contact) -> float | None:
    if contact.talk_s is not None:
        return contact.talk_s
    start = contact.answered_at or contact.started_at
    if start and contact.ended_at:
        return (contact.ended_at - start).total_seconds()
    return None
