"""Conditions on what a contact meant, for rules: the customer's emotion, the agent's tone,
whether the problem was solved.

Keyword conditions stay for what truly is a keyword (forbidden phrases); "the customer is
upset" is not a list of words, and the apology item that pretended it was found one upset
customer in ten. These read the contact's `Meaning`, computed once per contact before any
rule runs (`Scan.meaning`):

- `EmotionMatcher` and `ToneMatcher` answer like phrase matchers (spans in turns), so any
  words block — a `conditional`'s trigger or response, an anchor, `only_if: said`, a
  `count` — can say `emotion: [dissatisfied, angry]` or `tone: [apology, soothing]`, alone
  or beside phrases (`EitherMatcher`: either one counts);
- `MeaningGate` is `only_if:` on the contact as a whole (`emotion_end: [angry]`,
  `resolved: false`): "when the customer is angry at the end, fatal unless …";
- `OutcomeRule` (kind `outcome`) fails a contact for what it came to: "unresolved contacts
  cost points on this item".
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Final

from lingting.engine import agent_tone, emotion, resolution
from lingting.engine.meaning import Meaning
from lingting.engine.results import Evidence
from lingting.engine.rules.matchers import Matcher
from lingting.engine.rules.scan import Scan, Searched, Span
from lingting.engine.rules.verdicts import PASS, Rule, Verdict

EMOTION_NAMES: Final = {
    emotion.CALM: "平静",
    emotion.ANXIOUS: "焦急",
    emotion.DISSATISFIED: "不满",
    emotion.ANGRY: "生气",
    emotion.PLEASED: "满意",
}
# What an agent turn can be matched on: its tone, or the acts of apologising and soothing.
APOLOGY: Final = "apology"
SOOTHING: Final = "soothing"
TONE_NAMES: Final = {
    APOLOGY: "致歉",
    SOOTHING: "安抚",
    agent_tone.WARM: "热情",
    agent_tone.IMPATIENT: "不耐烦",
    agent_tone.BLAMING: "推责",
    agent_tone.DISMISSIVE: "敷衍",
}
_NO_CUSTOMER: Final = Verdict("na", detail="客户没有发言，无法判断")
# What a cue of any reader offers for evidence.
_Cue = emotion.EmotionCue | resolution.ResolutionCue


def _turn_spans(scan: Scan, index: int, cues: Iterable[_Cue]) -> list[Span]:
    """The cues of the turn numbered `index` as spans, or the whole turn when it has none
    (an emotion resting on ！！！ alone); nothing when the scan lacks the turn."""
    position = _position(scan, index)
    if position is None:
        return []
    spans = [(position, cue.start_char, cue.end_char, cue.text) for cue in cues]
    text = scan.turns[position].text
    return spans or [(position, 0, len(text), text)]


def _position(scan: Scan, index: int) -> int | None:
    """The scan position of the turn numbered `index` (they agree for any parsed contact)."""
    turns = scan.turns
    if 0 <= index < len(turns) and turns[index].index == index:
        return index
    return next((p for p, turn in enumerate(turns) if turn.index == index), None)


def _meaning(scan: Scan) -> Meaning:
    meaning = scan.meaning
    assert meaning is not None, "scoring reads a contact's meaning before its rules"
    return meaning


@dataclass(frozen=True, slots=True)
class EmotionMatcher:
    """The customer's turns whose emotion is one of `emotions`, at `min_intensity` or more;
    each span is the first word the emotion rests on (the whole turn when it rests on marks
    alone)."""

    emotions: frozenset[str]
    min_intensity: float = 0.0
    speaker: str | None = "customer"

    def spans(self, scan: Scan, lo: int, hi: int) -> list[Span]:
        spans = []
        for turn in _meaning(scan).emotion.turns:
            if turn.emotion not in self.emotions or turn.intensity < self.min_intensity:
                continue
            spans += [
                span
                for span in _turn_spans(scan, turn.turn, turn.evidence[:1])
                if lo <= span[0] <= hi
            ]
        return spans

    def said(self, scan: Scan, lo: int, hi: int) -> bool:
        return bool(self.spans(scan, lo, hi))

    def literals(self) -> Iterator[Searched]:
        return iter(())

    def describe(self) -> str:
        names = "、".join(EMOTION_NAMES[e] for e in sorted(self.emotions, key=_emotion_order))
        return f"「{names}」情绪"


@dataclass(frozen=True, slots=True)
class ToneMatcher:
    """The agent's turns that apologise, soothe, or have one of the given tones."""

    tones: frozenset[str]
    speaker: str | None = "agent"

    def spans(self, scan: Scan, lo: int, hi: int) -> list[Span]:
        spans = []
        for turn in _meaning(scan).tone.turns:
            if not self._matches(turn):
                continue
            position = _position(scan, turn.turn)
            if position is None or not lo <= position <= hi:
                continue
            cue = next((c for c in turn.evidence if self._cue_counts(c.kind)), None)
            if cue is not None:
                spans.append((position, cue.start_char, cue.end_char, cue.text))
        return spans

    def _matches(self, turn: agent_tone.TurnTone) -> bool:
        return (
            turn.tone in self.tones
            or (APOLOGY in self.tones and turn.apologised)
            or (SOOTHING in self.tones and turn.soothed)
        )

    def _cue_counts(self, kind: str) -> bool:
        if kind == agent_tone.APOLOGY:
            return APOLOGY in self.tones
        if kind in (agent_tone.SOOTHING, agent_tone.REASSURANCE):
            return SOOTHING in self.tones
        return True  # the words behind a warm or unfriendly tone

    def said(self, scan: Scan, lo: int, hi: int) -> bool:
        return bool(self.spans(scan, lo, hi))

    def literals(self) -> Iterator[Searched]:
        return iter(())

    def describe(self) -> str:
        return "「" + "、".join(TONE_NAMES[t] for t in sorted(self.tones)) + "」"


@dataclass(frozen=True, slots=True)
class EitherMatcher:
    """Words or meaning: a hit of either matcher counts (投诉 said, or anger read)."""

    first: Matcher
    second: Matcher
    speaker: str | None

    def spans(self, scan: Scan, lo: int, hi: int) -> list[Span]:
        found = self.first.spans(scan, lo, hi)
        taken = {span[0] for span in found}
        # One span a turn is enough for every rule that reads these; the words come first.
        found += [s for s in self.second.spans(scan, lo, hi) if s[0] not in taken]
        found.sort()
        return found

    def said(self, scan: Scan, lo: int, hi: int) -> bool:
        return self.first.said(scan, lo, hi) or self.second.said(scan, lo, hi)

    def literals(self) -> Iterator[Searched]:
        yield from self.first.literals()
        yield from self.second.literals()

    def describe(self) -> str:
        return f"{self.first.describe()}或{self.second.describe()}"


def meaning_read(matcher: Matcher) -> str | None:
    """What a matcher reads beyond words, for a detail ("「不满、生气」情绪"), or None."""
    if isinstance(matcher, EmotionMatcher | ToneMatcher):
        return matcher.describe()
    if isinstance(matcher, EitherMatcher):
        return meaning_read(matcher.second)
    return None


@dataclass(frozen=True, slots=True)
class MeaningGate:
    """What a whole contact came to, as `only_if:` or `outcome` conditions; every one given
    must hold. `resolved` None means "unclear"."""

    emotion_end: frozenset[str] | None = None
    emotion_peak: frozenset[str] | None = None
    resolved: tuple[bool | None, ...] | None = None
    satisfaction_below: float | None = None

    def holds(self, meaning: Meaning) -> bool:
        feeling = meaning.emotion
        return (
            (self.emotion_end is None or feeling.end in self.emotion_end)
            and (self.emotion_peak is None or feeling.peak in self.emotion_peak)
            and (self.resolved is None or meaning.resolution.resolved in self.resolved)
            and (
                self.satisfaction_below is None
                or (
                    meaning.satisfaction is not None
                    and meaning.satisfaction.value < self.satisfaction_below
                )
            )
        )

    def describe(self) -> str:
        parts = []
        if self.emotion_end is not None:
            parts.append(f"客户结束时{_names(self.emotion_end)}")
        if self.emotion_peak is not None:
            parts.append(f"客户情绪最强时{_names(self.emotion_peak)}")
        if self.resolved is not None:
            parts.append("问题" + "或".join(_RESOLVED_NAMES[r] for r in self.resolved))
        if self.satisfaction_below is not None:
            parts.append(f"预测满意度低于 {self.satisfaction_below:g}")
        return "，".join(parts)

    def evidence(self, scan: Scan, meaning: Meaning) -> tuple[Evidence, ...]:
        """The turns the conditions rest on: the customer's last (or peak) turn's words, the
        cues that decided the resolution."""
        spans: list[Span] = []
        feeling = meaning.emotion
        if self.emotion_end is not None or self.emotion_peak is not None:
            wanted = (self.emotion_end or frozenset()) | (self.emotion_peak or frozenset())
            turns = [t for t in feeling.turns if t.emotion in wanted]
            for turn in turns[-1:]:
                spans += _turn_spans(scan, turn.turn, turn.evidence)
        if self.resolved is not None:
            for cue in meaning.resolution.evidence:
                spans += _turn_spans(scan, cue.turn, (cue,))
        return tuple(scan.evidence(span) for span in sorted(set(spans)))


_RESOLVED_NAMES: Final = {True: "已解决", False: "未解决", None: "是否解决不明"}


@dataclass(frozen=True, slots=True)
class OutcomeRule(Rule):
    """`outcome`: the item fails when the contact came to what `fail_when` describes."""

    fail_when: MeaningGate

    def evaluate(self, scan: Scan, lo: int, hi: int) -> Verdict:
        meaning = _meaning(scan)
        if not meaning.has_customer:
            return _NO_CUSTOMER
        if not self.fail_when.holds(meaning):
            return PASS
        evidence = self.fail_when.evidence(scan, meaning)
        return Verdict("fail", evidence, self.fail_when.describe(), 1)

    def literals(self) -> Iterator[Searched]:
        return iter(())


def _names(emotions: frozenset[str]) -> str:
    return "「" + "、".join(EMOTION_NAMES[e] for e in sorted(emotions, key=_emotion_order)) + "」"


def _emotion_order(name: str) -> int:
    return emotion.EMOTIONS.index(name)
