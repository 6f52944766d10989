"""One contact laid out for reading: the transcript with the evidence highlighted, the
scorecard's items with why, the CDR facts; personal numbers masked unless the reader's role
may see them.
"""

from __future__ import annotations

import json
import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import models
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from lingting.core.models import User
from lingting.core.permissions import may_see_personal_numbers, readable_contact_scope
from lingting.engine import pii
from lingting.engine.contacts import Turn as EngineTurn
from lingting.engine.scorecard import ScorecardError
from lingting.interactions.labels import (
    CHANNEL_LABELS,
    DIRECTION_LABELS,
    DISPOSITION_LABELS,
    SPEAKER_LABELS,
    label_of,
)
from lingting.interactions.models import Contact, Recording, Turn
from lingting.interactions.selectors import RecordingSound, recording_sound
from lingting.interactions.transcript import (
    Highlight,
    Segment,
    covered_text,
    evidence_anchor,
    format_clock,
    split_segments,
)
from lingting.interactions.waveform_layout import Deduction, DeductionMark
from lingting.quality.models import ContactScore, ScorecardVersion
from lingting.quality.selectors.contacts import band_of, duration_s, meaning_of
from lingting.quality.selectors.meaning import MeaningView, TurnEmotionView, meaning_layout
from lingting.quality.selectors.score_of_record import (
    ScoreOfRecord,
    score_of_record,
    with_score_of_record,
)
from lingting.quality.selectors.scorecards import scorecard_of

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
    emotion: TurnEmotionView | None = None  # a customer turn's emotion, once read

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
    at: float | None = None  # seconds into the call: its own time, else its turn's start


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
    meaning: MeaningView | None = None  # what the customer felt, resolved, predicted satisfaction
    sound: RecordingSound | None = None  # what was heard in the recording; None: no recording

    @property
    def failed_items(self) -> list[ItemView]:
        return [i for i in self.items if i.result == "fail"]

    @property
    def deduction_marks(self) -> list[DeductionMark]:
        """Each failed item's evidence placed on the recording's waveform (none without one,
        and none where the items are hidden, as in a blind calibration review)."""
        if self.sound is None or self.sound.waveform is None:
            return []
        return self.sound.waveform.marks(
            Deduction(at=evidence.at, title=item.title, anchor=evidence.anchor)
            for item in self.failed_items
            for evidence in item.evidence
            if evidence.at is not None
        )


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
        .select_related(
            "queue", "agent__team", "customer", "current_score__version__scorecard", "meaning"
        )
        .prefetch_related(
            models.Prefetch("turns", queryset=Turn.objects.order_by("index")),
            models.Prefetch("recordings", queryset=Recording.objects.select_related("listening")),
        )
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

    meaning = meaning_layout(meaning_of(contact))
    for index, cues in meaning.highlights.items():
        highlights[index].extend(cues)

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
            emotion=meaning.turn_emotions.get(t.index) if t.speaker == "customer" else None,
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
        band=band_of(record),
        turns=turn_views,
        items=items,
        facts=_facts(contact, reveal),
        extra=extra,
        personal_numbers_shown=reveal,
        meaning=meaning.summary,
        sound=recording_sound(contact),
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
        (_("渠道"), label_of(CHANNEL_LABELS, contact.channel)),
        (_("方向"), label_of(DIRECTION_LABELS, contact.direction)),
        (_("排队时间"), when(contact.queued_at)),
        (_("开始时间"), when(contact.started_at)),
        (_("应答时间"), when(contact.answered_at)),
        (_("结束时间"), when(contact.ended_at)),
        (_("时长"), format_clock(duration_s(contact))),
        (_("等待"), seconds(contact.wait_s)),
        (_("响铃次数"), "" if contact.rings is None else str(contact.rings)),
        (_("通话"), seconds(contact.talk_s)),
        (_("保持"), seconds(contact.hold_s)),
        (_("话后处理"), seconds(contact.acw_s)),
        (_("挂机方"), label_of(SPEAKER_LABELS, contact.hangup_by)),
        (_("结果"), label_of(DISPOSITION_LABELS, contact.disposition)),
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
        own_time = _seconds(ev.get("time"))
        evidence.append(
            EvidenceView(
                anchor=anchor,
                text=(
                    covered_text(turn.segments, anchor)
                    if turn is not None
                    else _shown_text(str(ev.get("text") or ""), reveal)
                ),
                clock=format_clock(own_time) if own_time is not None else "",
                speaker_label=str(SPEAKER_LABELS.get(speaker, speaker)),
                in_transcript=turn is not None,
                at=own_time if own_time is not None else (turn.start if turn else None),
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


def _seconds(value: Any) -> float | None:
    """A time the evidence carries, in seconds; None when it carries none (or not a number)."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        return None
    return float(value)


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
