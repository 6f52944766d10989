"""Contacts in the HTTP API: the list a user may see, and one contact with its score.

Same selectors as the pages, so the same role rules and the same masking of personal
numbers apply.
"""

from datetime import datetime

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.pagination import paginate
from pydantic import Field

from lingting.core.params import ApiDate, BoundedLimitOffset, RowId
from lingting.core.permissions import request_user
from lingting.interactions.models import Contact
from lingting.interactions.search import MAX_QUERY_CHARS
from lingting.quality.contact_filters import ContactFilters, Resolved
from lingting.quality.models import CustomerEmotion
from lingting.quality.selectors.contact_page import ContactDetail, contact_detail_page_for
from lingting.quality.selectors.contacts import contacts_matching, meaning_of
from lingting.quality.selectors.score_of_record import score_of_record, with_score_of_record

router = Router(tags=["contacts"])


class ContactFields(Schema):
    id: int
    external_id: str
    channel: str
    started_at: datetime | None
    queue: str | None
    agent: str | None
    score: float | None  # the score of record: reviewed once a person reviewed it
    passed: bool | None
    fatal: bool | None
    auto_score: float | None  # the machine's score, beside it
    # What the contact meant (issue 15); null until read, or when the customer never spoke.
    emotion_end: str | None  # calm, anxious, dissatisfied, angry, pleased
    emotion_peak: str | None
    resolved: bool | None  # null: no verdict (unclear)
    satisfaction_predicted: float | None  # 0–1


class ContactOut(ContactFields):
    """A contact read from the database: related rows resolved to codes and figures."""

    @staticmethod
    def resolve_queue(contact: Contact) -> str | None:
        return contact.queue.code if contact.queue else None

    @staticmethod
    def resolve_agent(contact: Contact) -> str | None:
        return contact.agent.code if contact.agent else None

    @staticmethod
    def resolve_score(contact: Contact) -> float | None:
        record = score_of_record(contact)
        return record.score if record else None

    @staticmethod
    def resolve_passed(contact: Contact) -> bool | None:
        record = score_of_record(contact)
        return record.passed if record else None

    @staticmethod
    def resolve_fatal(contact: Contact) -> bool | None:
        record = score_of_record(contact)
        return record.fatal if record else None

    @staticmethod
    def resolve_auto_score(contact: Contact) -> float | None:
        return contact.current_score.score if contact.current_score else None

    @staticmethod
    def resolve_emotion_end(contact: Contact) -> str | None:
        meaning = meaning_of(contact)
        return meaning.emotion_end or None if meaning else None

    @staticmethod
    def resolve_emotion_peak(contact: Contact) -> str | None:
        meaning = meaning_of(contact)
        return meaning.emotion_peak or None if meaning else None

    @staticmethod
    def resolve_resolved(contact: Contact) -> bool | None:
        meaning = meaning_of(contact)
        return meaning.resolved if meaning else None

    @staticmethod
    def resolve_satisfaction_predicted(contact: Contact) -> float | None:
        meaning = meaning_of(contact)
        return meaning.satisfaction_predicted if meaning else None


class ContactQuery(Schema):
    date_from: ApiDate | None = None
    date_to: ApiDate | None = None
    queue_id: RowId | None = None
    agent_id: RowId | None = None
    failed_item: str = ""
    fatal_only: bool = False
    unscored: bool = False  # contacts with a transcript and no current score
    emotion_end: list[CustomerEmotion] = Field(
        default_factory=list, description="The customer ended with any of these emotions."
    )
    emotion_peak: list[CustomerEmotion] = Field(
        default_factory=list, description="The customer's strongest emotion is any of these."
    )
    resolved: Resolved | None = None
    satisfaction_below: int | None = Field(
        default=None, ge=1, le=100, description="Predicted satisfaction below this percentage."
    )
    q: str = Field(
        "",
        max_length=MAX_QUERY_CHARS,
        pattern=r"^[^\x00]*$",
        description="Search: words said, a tag, a contact id, or (for roles that may see "
        "personal numbers) a phone number.",
    )


class TurnOut(Schema):
    index: int
    speaker: str
    text: str  # personal numbers masked unless the user may see them


class EvidenceOut(Schema):
    text: str
    speaker: str
    clock: str


class ItemOut(Schema):
    item: str
    title: str
    result: str
    points_lost: float
    severity: str
    detail: str
    evidence: list[EvidenceOut]


class TurnEmotionOut(Schema):
    turn: int
    emotion: str
    intensity: float  # 0–1


class SatisfactionFactorOut(Schema):
    factor: str  # lingting.engine.meaning's factor id, e.g. ended_angry
    label: str
    effect: float
    turns: list[int]


class MeaningOut(Schema):
    emotion_start: str
    emotion_peak: str
    emotion_end: str
    calmed: bool
    emotion_turns: list[TurnEmotionOut]
    resolved: bool | None
    resolution_reason: str
    resolution_turns: list[int]
    satisfaction_predicted: float | None
    satisfaction_why: list[SatisfactionFactorOut]


class ContactDetailOut(ContactFields):
    turns: list[TurnOut]
    items: list[ItemOut]
    personal_numbers_shown: bool
    meaning: MeaningOut | None  # null until read, or when the customer never spoke


@router.get("", response=list[ContactOut])
@paginate(BoundedLimitOffset)
def contact_list(request: HttpRequest, query: Query[ContactQuery]) -> QuerySet[Contact]:
    filters = ContactFilters(
        date_from=query.date_from,
        date_to=query.date_to,
        queue_id=query.queue_id,
        agent_id=query.agent_id,
        failed_item=query.failed_item,
        fatal_only=query.fatal_only,
        unscored=query.unscored,
        query=query.q,
        emotion_end=tuple(query.emotion_end),
        emotion_peak=tuple(query.emotion_peak),
        resolved=query.resolved or "",
        satisfaction_below=query.satisfaction_below,
    )
    return (
        with_score_of_record(contacts_matching(user=request_user(request), filters=filters))
        .select_related("queue", "agent", "current_score", "meaning")
        .defer("extra", "holds", "current_score__items", "meaning__details")
        .order_by("-started_at", "-id")
    )


@router.get("/{contact_id}", response=ContactDetailOut)
def contact_detail(request: HttpRequest, contact_id: RowId) -> ContactDetailOut:
    detail = contact_detail_page_for(user=request_user(request), contact_id=contact_id)
    head = ContactOut.from_orm(detail.contact)
    return ContactDetailOut(
        **head.model_dump(),
        turns=[
            TurnOut(
                index=turn.index,
                speaker=turn.speaker,
                text=turn.shown_text,
            )
            for turn in detail.turns
        ],
        items=[
            ItemOut(
                item=item.item,
                title=item.title,
                result=item.result,
                points_lost=item.points_lost,
                severity=item.severity,
                detail=item.detail,
                evidence=[
                    EvidenceOut(text=ev.text, speaker=ev.speaker_label, clock=ev.clock)
                    for ev in item.evidence
                ],
            )
            for item in detail.items
        ],
        personal_numbers_shown=detail.personal_numbers_shown,
        meaning=_meaning_out(detail),
    )


def _meaning_out(detail: ContactDetail) -> MeaningOut | None:
    meaning = detail.meaning
    if meaning is None:
        return None
    return MeaningOut(
        emotion_start=meaning.start,
        emotion_peak=meaning.peak,
        emotion_end=meaning.end,
        calmed=meaning.calmed,
        emotion_turns=[
            TurnEmotionOut(
                turn=turn.index, emotion=turn.emotion.emotion, intensity=turn.emotion.intensity
            )
            for turn in detail.turns
            if turn.emotion is not None
        ],
        resolved=meaning.resolved,
        resolution_reason=meaning.resolution_reason,
        resolution_turns=list(meaning.resolution_turns),
        satisfaction_predicted=meaning.satisfaction,
        satisfaction_why=[
            SatisfactionFactorOut(
                factor=f.factor, label=f.label, effect=f.effect, turns=list(f.turns)
            )
            for f in meaning.why
        ],
    )
