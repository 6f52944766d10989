"""What a contact meant, laid out for its page: each customer turn's emotion and the words
it rests on, and the summary — start → peak → end, calmed or not, resolved or not and why,
the predicted satisfaction and the factors behind it — in the reader's language.

Reads the stored `ContactMeaning` (written with every score); the words are highlighted by
character offsets into the transcript, so the page shows them from the (masked, escaped)
transcript segments and never from stored text.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from lingting.interactions.transcript import Highlight, emotion_anchor
from lingting.quality.models import ContactMeaning, CustomerEmotion

EMOTION_LABELS: dict[str, Promise] = {str(value): label for value, label in CustomerEmotion.choices}
UPSET_AT_END = ("angry", "dissatisfied")

RESOLVED_LABELS: dict[bool | None, Promise] = {
    True: _("已解决"),
    False: _("未解决"),
    None: _("不明"),
}

RESOLUTION_REASONS: dict[str, Promise] = {
    "confirmed": _("客户确认问题已解决"),
    "thanked_and_ended": _("客户致谢并结束"),
    "still_broken": _("客户表示问题仍未解决"),
    "repeated_question": _("客户反复问同一个问题"),
    "gave_up": _("客户放弃"),
    "asked_supervisor": _("客户要求找主管"),
    "asked_human": _("客户要求转人工"),
    "threatened": _("客户表示要投诉"),
    "unanswered": _("客户的问题没有得到回答"),
    "unclear": _("无法判断"),
    "no_customer_turns": _("客户没有发言"),
}

_TONE_LABELS: dict[str, Promise] = {
    "impatient": _("不耐烦"),
    "blaming": _("指责客户"),
    "dismissive": _("推诿敷衍"),
}


def emotion_label(emotion: str) -> str:
    label = EMOTION_LABELS.get(emotion)
    return str(label) if label is not None else emotion


def reason_label(reason: str) -> str:
    label = RESOLUTION_REASONS.get(reason)
    return str(label) if label is not None else reason


def factor_label(factor: str) -> str:
    """A factor of the predicted satisfaction (lingting.engine.meaning) said for a reader."""
    kind, _sep, rest = factor.partition("_")
    if factor == "calmed":
        return gettext("客户情绪被安抚")
    if factor == "resolved":
        return gettext("问题已解决")
    if factor == "asked_again":
        return gettext("客户重复提问")
    if factor == "apologised":
        return gettext("坐席及时致歉或安抚")
    if kind == "ended":
        return gettext("结束时客户%(emotion)s") % {"emotion": emotion_label(rest)}
    if kind == "peak":
        return gettext("客户曾%(emotion)s且未被安抚") % {"emotion": emotion_label(rest)}
    if kind == "unresolved":
        return gettext("问题未解决：%(reason)s") % {"reason": reason_label(rest)}
    if kind == "agent":
        tone = _TONE_LABELS.get(rest)
        return gettext("坐席%(tone)s") % {"tone": tone if tone is not None else rest}
    if factor.startswith("waited_over_") and factor.endswith("s"):
        seconds = factor.removeprefix("waited_over_").removesuffix("s")
        return gettext("排队超过 %(seconds)s 秒") % {"seconds": seconds}
    return factor


@dataclass(frozen=True, slots=True)
class TurnEmotionView:
    emotion: str
    intensity: float

    @property
    def label(self) -> str:
        return emotion_label(self.emotion)

    @property
    def percent(self) -> int:
        return round(self.intensity * 100)


@dataclass(frozen=True, slots=True)
class FactorView:
    factor: str
    label: str
    effect: float
    turns: tuple[int, ...]

    @property
    def effect_points(self) -> int:
        """The effect in percentage points of satisfaction, signed."""
        return round(self.effect * 100)


@dataclass(frozen=True, slots=True)
class MeaningView:
    start: str
    peak: str
    end: str
    peak_intensity: float
    calmed: bool
    resolved: bool | None
    resolution_reason: str
    resolution_turns: tuple[int, ...]
    satisfaction: float | None  # 0–1
    why: list[FactorView] = field(default_factory=list)

    @property
    def start_label(self) -> str:
        return emotion_label(self.start)

    @property
    def peak_label(self) -> str:
        return emotion_label(self.peak)

    @property
    def end_label(self) -> str:
        return emotion_label(self.end)

    @property
    def upset_at_end(self) -> bool:
        return self.end in UPSET_AT_END

    @property
    def resolved_key(self) -> str:
        return {True: "yes", False: "no"}.get(self.resolved, "unclear")  # type: ignore[arg-type]

    @property
    def resolved_label(self) -> str:
        return str(RESOLVED_LABELS[self.resolved])

    @property
    def reason_label(self) -> str:
        return reason_label(self.resolution_reason)

    @property
    def satisfaction_percent(self) -> int | None:
        return None if self.satisfaction is None else round(self.satisfaction * 100)


@dataclass(frozen=True, slots=True)
class ContactMeaningLayout:
    """What the transcript and the summary panel need of a contact's meaning."""

    summary: MeaningView | None  # None: never read, or the customer never spoke
    turn_emotions: dict[int, TurnEmotionView]
    highlights: dict[int, list[Highlight]]


NO_MEANING = ContactMeaningLayout(None, {}, {})


def meaning_layout(row: ContactMeaning | None) -> ContactMeaningLayout:
    if row is None or not row.emotion_end:
        return NO_MEANING
    details: dict[str, Any] = row.details if isinstance(row.details, dict) else {}
    turn_emotions: dict[int, TurnEmotionView] = {}
    highlights: dict[int, list[Highlight]] = defaultdict(list)
    for turn in _dicts(details.get("turns")):
        index, emotion = turn.get("turn"), str(turn.get("emotion", ""))
        if not isinstance(index, int):
            continue
        turn_emotions[index] = TurnEmotionView(emotion, _number(turn.get("intensity")))
        for n, cue in enumerate(_lists(turn.get("evidence"))):
            if len(cue) >= 3 and isinstance(cue[0], int) and isinstance(cue[1], int):
                label = gettext("客户情绪：%(emotion)s") % {"emotion": emotion_label(str(cue[2]))}
                highlights[index].append(Highlight(cue[0], cue[1], emotion_anchor(index, n), label))
    resolution_turns = sorted(
        {
            cue[0]
            for cue in _lists(details.get("resolution_evidence"))
            if cue and isinstance(cue[0], int)
        }
    )
    why = [
        FactorView(
            factor=str(item.get("factor", "")),
            label=factor_label(str(item.get("factor", ""))),
            effect=_number(item.get("effect")),
            turns=tuple(t for t in item.get("turns") or () if isinstance(t, int)),
        )
        for item in _dicts(details.get("satisfaction_why"))
    ]
    summary = MeaningView(
        start=row.emotion_start,
        peak=row.emotion_peak,
        end=row.emotion_end,
        peak_intensity=row.peak_intensity,
        calmed=row.calmed,
        resolved=row.resolved,
        resolution_reason=row.resolution_reason,
        resolution_turns=tuple(resolution_turns),
        satisfaction=row.satisfaction_predicted,
        why=why,
    )
    return ContactMeaningLayout(summary, turn_emotions, dict(highlights))


def _dicts(value: Any) -> list[dict[str, Any]]:
    return (
        [item for item in value or () if isinstance(item, dict)] if isinstance(value, list) else []
    )


def _lists(value: Any) -> list[list[Any]]:
    return (
        [item for item in value or () if isinstance(item, list)] if isinstance(value, list) else []
    )


def _number(value: Any) -> float:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else 0.0
