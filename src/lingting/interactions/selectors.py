"""Reading contacts for people: the list with its filters, and one contact in full.

Every read goes through `lingting.core.permissions`, so a contact a user may not see is
never listed and answers 404 when asked for by id.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from typing import Any

from django.core.paginator import Page, Paginator
from django.db import models
from django.db.models import Count, Exists, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone
from django.utils.functional import Promise, cached_property
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from lingting.core.models import Agent, User
from lingting.core.permissions import (
    contact_scope,
    may_see_personal_numbers,
    readable_contact_scope,
)
from lingting.engine import pii
from lingting.engine.contacts import Turn as EngineTurn
from lingting.engine.scorecard import ScorecardError
from lingting.interactions.engine_contacts import contacts_without_current_score
from lingting.interactions.models import Contact, Queue, Turn
from lingting.interactions.search import Snippet, search_condition, search_snippets
from lingting.interactions.transcript import (
    Highlight,
    Segment,
    covered_text,
    evidence_anchor,
    format_clock,
    split_segments,
)
from lingting.quality.models import ContactScore, ItemFailure, ScorecardVersion
from lingting.quality.selectors.score_of_record import (
    FATAL_OF_RECORD,
    ScoreOfRecord,
    score_of_record,
    score_of_record_in,
    with_score_of_record,
)
from lingting.quality.services.scoring import scorecard_of

PAGE_SIZE = 50
COUNT_CAP = 10_000  # counting past this costs more than it tells anyone


class ScoreBand(StrEnum):
    LOW = "lt60"
    FAIR = "60-80"
    GOOD = "80-90"
    EXCELLENT = "gte90"

    @property
    def label(self) -> Promise:
        return _BAND_LABELS[self]

    @property
    def bounds(self) -> tuple[float | None, float | None]:
        """[low, high) of the band's scores; None is open."""
        return _BAND_BOUNDS[self]

    @classmethod
    def of(cls, score: float) -> ScoreBand:
        for band in cls:
            low, high = band.bounds
            if (low is None or score >= low) and (high is None or score < high):
                return band
        return cls.LOW  # only NaN gets here: show it as the worst band, never crash


_BAND_LABELS: dict[ScoreBand, Promise] = {
    ScoreBand.LOW: _("60 分以下"),
    ScoreBand.FAIR: _("60–80 分"),
    ScoreBand.GOOD: _("80–90 分"),
    ScoreBand.EXCELLENT: _("90 分及以上"),
}
_BAND_BOUNDS: dict[ScoreBand, tuple[float | None, float | None]] = {
    ScoreBand.LOW: (None, 60),
    ScoreBand.FAIR: (60, 80),
    ScoreBand.GOOD: (80, 90),
    ScoreBand.EXCELLENT: (90, None),
}


@dataclass(frozen=True, slots=True)
class ContactFilters:
    """What the contact list is narrowed to; every field empty means everything visible."""

    date_from: date | None = None  # local date of started_at, inclusive
    date_to: date | None = None  # inclusive
    queue_id: int | None = None
    team_id: int | None = None
    agent_id: int | None = None
    score_band: ScoreBand | None = None
    failed_item: str = ""
    fatal_only: bool = False
    unscored: bool = False
    query: str = ""  # the search box: words said, a tag, a contact id or a phone number

    @property
    def is_empty(self) -> bool:
        return self == ContactFilters()


def local_midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


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
        .select_related("queue", "agent", "current_score")
        .defer("extra", "holds", "current_score__items")
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
    if filters.query:
        contacts = contacts.filter(search_condition(user=user, query=filters.query))
    return contacts


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
    rows = [
        ContactRow(
            contact=contact,
            channel=_label(CHANNEL_LABELS, contact.channel),
            duration=format_clock(_duration_s(contact)),
            band=_band_of(score_of_record(contact)),
            failed_count=getattr(contact, "failed_count", 0),
            score=score_of_record(contact),
            snippet=snippets.get(contact.pk),
        )
        for contact in page.object_list
    ]
    return ContactPage(
        rows=rows, page=page, total=paginator.count, total_is_capped=paginator.is_capped
    )


def _band_of(score: ScoreOfRecord | None) -> str:
    return ScoreBand.of(score.score).value if score else ""


def _duration_s(contact: Contact) -> float | None:
    if contact.talk_s is not None:
        return contact.talk_s
    start = contact.answered_at or contact.started_at
    if start and contact.ended_at:
        return (contact.ended_at - start).total_seconds()
    return None


def _label(labels: dict[str, Promise], value: str) -> str:
    return str(labels[value]) if value in labels else value


# ---------------------------------------------------------------------------- one contact

SPEAKER_LABELS: dict[str, Promise] = {
    "agent": _("坐席"),
    "customer": _("客户"),
    "system": _("系统"),
    "bot": _("机器人"),
}
CHANNEL_LABELS: dict[str, Promise] = {
    "voice": _("语音"),
    "chat": _("在线"),
    "sms": _("短信"),
    "email": _("邮件"),
    "video": _("视频"),
}
DIRECTION_LABELS: dict[str, Promise] = {"inbound": _("呼入"), "outbound": _("呼出")}
DISPOSITION_LABELS: dict[str, Promise] = {
    "answered": _("已接听"),
    "abandoned": _("放弃"),
    "ivr": _("IVR 自助"),
    "transferred": _("已转接"),
}
RESULT_LABELS: dict[str, Promise] = {
    "pass": _("通过"),
    "fail": _("扣分"),
    "na": _("不适用"),
    "manual": _("待人工"),
}


@dataclass(frozen=True, slots=True)
class TurnView:
    index: int
    speaker: str
    speaker_label: str
    clock: str
    segments: list[Segment]
    start: float | None = None  # seconds from the contact's start, for the player
    end: float | None = None

    @property
    def side(self) -> str:
        return self.speaker if self.speaker in {"agent", "customer"} else "other"

    @property
    def shown_text(self) -> str:
        """The turn as the reader sees it (personal numbers masked where they must be)."""
        return "".join(segment.text for segment in self.segments)


@dataclass(frozen=True, slots=True)
class EvidenceView:
    anchor: str
    text: str
    clock: str
    speaker_label: str
    in_transcript: bool  # False when the evidence names a turn the transcript lacks


@dataclass(frozen=True, slots=True)
class ItemView:
    item: str
    title: str
    result: str
    result_label: str
    points_lost: float
    severity: str
    detail: str
    evidence: list[EvidenceView] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class ContactDetail:
    contact: Contact
    score: ContactScore | None  # the machine's
    band: str  # a ScoreBand value of the score of record, "" when unscored
    turns: list[TurnView]
    items: list[ItemView]
    facts: list[tuple[str, str]]  # (label, shown value) of the CDR, in reading order
    extra: list[tuple[str, str]]  # fields the file carried beyond the format's own
    personal_numbers_shown: bool
    record: ScoreOfRecord | None = None  # the headline: reviewed once reviewed, else the machine's

    @property
    def failed_items(self) -> list[ItemView]:
        return [i for i in self.items if i.result == "fail"]


def contact_detail_for(*, user: User, contact_id: int) -> Contact:
    """One contact `user` may see, with what its page shows; Http404 for any other id."""
    contact = (
        _with_page_relations(Contact.objects.filter(readable_contact_scope(user)))
        .filter(pk=contact_id)
        .first()
    )
    if contact is None:
        raise Http404("no such contact")
    return contact


def _with_page_relations(contacts: QuerySet[Contact]) -> QuerySet[Contact]:
    return (
        with_score_of_record(contacts)
        .select_related("queue", "agent__team", "customer", "current_score__version__scorecard")
        .prefetch_related(models.Prefetch("turns", queryset=Turn.objects.order_by("index")))
        .fetch_mode(models.FETCH_PEERS)
    )


def contact_detail_page_for(*, user: User, contact_id: int) -> ContactDetail:
    """`contact_detail_for` laid out for reading: segmented transcript, items, facts.

    Personal numbers are masked unless `user` may see them.
    """
    contact = contact_detail_for(user=user, contact_id=contact_id)
    return _laid_out(contact, reveal=may_see_personal_numbers(user))


def contact_training_page(*, contact_id: int) -> ContactDetail:
    """A contact laid out as training material (a shared case): personal numbers always
    masked. No role check here: the caller has decided the reader may see this contact."""
    contact = _with_page_relations(Contact.objects.all()).filter(pk=contact_id).first()
    if contact is None:
        raise Http404("no such contact")
    return _laid_out(contact, reveal=False)


def _laid_out(contact: Contact, *, reveal: bool) -> ContactDetail:
    score = contact.current_score
    raw_items: list[dict[str, Any]] = [
        item
        for item in (score.items if score and isinstance(score.items, list) else ())
        if isinstance(item, dict)
    ]
    turns = list(contact.turns.all())

    highlights: dict[int, list[Highlight]] = defaultdict(list)
    for item in raw_items:
        for n, ev in enumerate(item.get("evidence") or ()):
            if isinstance(ev, dict) and isinstance(ev.get("turn"), int):
                highlights[ev["turn"]].append(
                    Highlight(
                        _offset(ev.get("start_char")),
                        _offset(ev.get("end_char")),
                        evidence_anchor(str(item.get("item", "")), n),
                        str(item.get("title") or item.get("item") or ""),
                    )
                )

    engine_turns = _engine_turns(turns)
    personal = _personal_spans(engine_turns)
    shown = [t.text for t in turns] if reveal else pii.mask_turn_texts(engine_turns)
    turn_views = [
        TurnView(
            index=t.index,
            speaker=t.speaker,
            speaker_label=str(SPEAKER_LABELS.get(t.speaker, t.speaker)),
            clock=format_clock(t.start),
            start=t.start,
            end=t.end,
            segments=split_segments(
                t.text, highlights.get(t.index, ()), personal.get(t.index, ()), shown=text
            ),
        )
        for t, text in zip(turns, shown, strict=True)
    ]
    by_index = {t.index: t for t in turn_views}
    titles = _item_titles(score.version) if score else {}
    items = [_item_view(item, by_index, reveal, titles) for item in raw_items]
    extra = [
        (str(key), _shown_text(_extra_value(value), reveal))
        for key, value in sorted((contact.extra or {}).items())
    ]
    record = score_of_record(contact)
    return ContactDetail(
        contact=contact,
        score=score,
        record=record,
        band=_band_of(record),
        turns=turn_views,
        items=items,
        facts=_facts(contact, reveal),
        extra=extra,
        personal_numbers_shown=reveal,
    )


def _facts(contact: Contact, reveal: bool) -> list[tuple[str, str]]:
    """The CDR as label/value pairs; a fact the record did not carry is left out.

    A customer id may be the caller's number, so it is masked like the transcript."""

    def when(moment: datetime | None) -> str:
        return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M:%S") if moment else ""

    def seconds(value: float | None) -> str:
        return f"{value:g} " + str(_("秒")) if value is not None else ""

    agent = contact.agent
    team = agent.team if agent else None
    facts = [
        (_("ACD组"), str(contact.queue) if contact.queue else ""),
        (_("坐席"), str(agent) if agent else ""),
        (_("班组"), str(team) if team else ""),
        (_("客户"), _shown_text(str(contact.customer), reveal) if contact.customer else ""),
        (_("渠道"), _label(CHANNEL_LABELS, contact.channel)),
        (_("方向"), _label(DIRECTION_LABELS, contact.direction)),
        (_("排队时间"), when(contact.queued_at)),
        (_("开始时间"), when(contact.started_at)),
        (_("应答时间"), when(contact.answered_at)),
        (_("结束时间"), when(contact.ended_at)),
        (_("时长"), format_clock(_duration_s(contact))),
        (_("等待"), seconds(contact.wait_s)),
        (_("响铃次数"), "" if contact.rings is None else str(contact.rings)),
        (_("通话"), seconds(contact.talk_s)),
        (_("保持"), seconds(contact.hold_s)),
        (_("话后处理"), seconds(contact.acw_s)),
        (_("挂机方"), _label(SPEAKER_LABELS, contact.hangup_by)),
        (_("结果"), _label(DISPOSITION_LABELS, contact.disposition)),
        (_("标签"), "、".join(str(t) for t in contact.tags or ())),
    ]
    return [(str(label), value) for label, value in facts if value]


def _item_titles(version: ScorecardVersion) -> dict[str, str]:
    """Item titles in the UI language, when it is not the one results are stored in."""
    language = get_language() or ""
    if not language.startswith("en"):
        return {}  # results keep the scorecard's own (Chinese) titles
    try:
        return scorecard_of(version).titles_in(language)
    except ScorecardError:
        return {}  # a version that cannot be read keeps the titles stored with its results


def _item_view(
    item: dict[str, Any], turns: dict[int, TurnView], reveal: bool, titles: dict[str, str]
) -> ItemView:
    item_id = str(item.get("item", ""))
    result = str(item.get("result", ""))
    evidence: list[EvidenceView] = []
    for n, ev in enumerate(item.get("evidence") or ()):
        if not isinstance(ev, dict):
            continue
        anchor = evidence_anchor(item_id, n)
        turn = turns.get(ev["turn"]) if isinstance(ev.get("turn"), int) else None
        speaker = str(ev.get("speaker") or (turn.speaker if turn else ""))
        time_s = ev.get("time")
        evidence.append(
            EvidenceView(
                anchor=anchor,
                text=(
                    covered_text(turn.segments, anchor)
                    if turn is not None
                    else _shown_text(str(ev.get("text") or ""), reveal)
                ),
                clock=format_clock(time_s) if isinstance(time_s, int | float) else "",
                speaker_label=str(SPEAKER_LABELS.get(speaker, speaker)),
                in_transcript=turn is not None,
            )
        )
    points = item.get("points_lost") or 0
    return ItemView(
        item=item_id,
        title=titles.get(item_id) or str(item.get("title") or item_id),
        result=result,
        result_label=str(RESULT_LABELS.get(result, result)),
        points_lost=float(points) if isinstance(points, int | float) else 0.0,
        severity=str(item.get("severity") or ""),
        detail=_shown_text(str(item.get("detail") or ""), reveal),
        evidence=evidence,
    )


def _offset(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def _engine_turns(turns: Sequence[Turn]) -> list[EngineTurn]:
    return [EngineTurn(t.index, t.speaker, t.text, t.start, t.end) for t in turns]


def _personal_spans(turns: Sequence[EngineTurn]) -> dict[int, list[tuple[int, int]]]:
    spans: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for finding in pii.find_personal_numbers(turns):
        for span in finding.spans:
            spans[span.turn].append((span.start_char, span.end_char))
    return spans


def _shown_text(text: str, reveal: bool) -> str:
    """Free text (an extra field, evidence of a missing turn) with personal numbers masked,
    at the depth of every other output (`lingting.core.personal_numbers`)."""
    return text if reveal else pii.mask_personal_numbers(text)


def _extra_value(value: Any) -> str:
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)


def queue_names() -> dict[str, str]:
    """Each ACD group's name as every page, export and API shows it (`Queue.__str__`: its name,
    else its code), by code: for tables whose rows carry only the code (KPIs, the assessment,
    satisfaction)."""
    return {queue.code: str(queue) for queue in Queue.objects.only("code", "name")}
