"""What the customer felt, turn by turn: calm, anxious, dissatisfied, angry or pleased.

`customer_emotion(turns)` reads the customer's turns of one contact and gives each an
emotion, an intensity 0–1 and the cues it rests on (turn, character offsets, text), then the
trajectory: the first and last emotion, the peak, and whether the agent calmed a customer
who had been upset. It is the `customer` object of `lingting score` (FORMATS.md).

Speed matters more than linguistic depth: scoring runs at tens of thousands of contacts a
second, so a turn is read in one Aho–Corasick pass over a compiled lexicon
(`emotion_words.py`), with no word segmentation. Negators and degree words found in the same
pass modify the cue right after them; punctuation, rhetorical questions, sarcasm markers,
service context (等了三天, 第三次) and repetition across turns adjust the intensity.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from functools import cache
from typing import Any, Final, final

from lingting.engine import emotion_words as words
from lingting.engine.contacts import Turn
from lingting.engine.phrase_cues import (
    BANGS,
    DEGREE,
    HYPOTHETICAL,
    MODIFIER_KINDS,
    NEGATOR,
    NEUTRAL,
    QUESTIONS,
    Lexicon,
    PhraseMatch,
    Unremarkable,
    build_automaton,
    clip,
    combined_weight,
    find_phrases_by_turn,
    longest_run,
    reaches,
    split_cues,
)
from lingting.engine.record_class import Record

CALM: Final = "calm"
ANXIOUS: Final = "anxious"
DISSATISFIED: Final = "dissatisfied"
ANGRY: Final = "angry"
PLEASED: Final = "pleased"
EMOTIONS: Final = (CALM, ANXIOUS, DISSATISFIED, ANGRY, PLEASED)
NEGATIVE: Final = frozenset({ANXIOUS, DISSATISFIED, ANGRY})
# When two emotions score the same in one turn, the stronger signal for QA wins.
_TIE_ORDER: Final = {ANGRY: 0, DISSATISFIED: 1, ANXIOUS: 2, PLEASED: 3}

# How far (in characters) a negator or degree word may sit before the cue it modifies:
# 不是很满意 has one character between 不是 and 满意.
_MODIFIER_GAP: Final = 2
# A supposition reaches a little further: 要是收到了不满意 is still supposed.
_HYPOTHETICAL_GAP: Final = 5
# A negated pleased cue (不太满意) is a mild complaint, weaker than the word itself.
_NEGATED_PLEASED: Final = 0.8
# Thanks are never negated: 没有谢谢 is "no (nothing else), thanks".
_THANKS: Final = frozenset({"谢谢", "感谢", "多谢", "🙏"})
_RHETORICAL_BONUS: Final = 0.15
_CONTEXT_BONUS: Final = 0.1
_REPEAT_BONUS: Final = 0.1
_MAX_REPEAT_BONUS: Final = 0.2
_STREAK_BONUS: Final = 0.05
_MAX_STREAK_BONUS: Final = 0.15
_BANGS_BONUS: Final = 0.15  # ！！ or more
_BANG_BONUS: Final = 0.05  # a single ！
_QUESTIONS_BONUS: Final = 0.1  # ？？ or more
# A complaint this intense, or repeated until it is, has become anger.
_ANGER_THRESHOLD: Final = 0.85
# Cues that, right before an amount, say "under" (不满99元包邮), not discontent.
_BEFORE_AMOUNTS: Final = frozenset({"不满"})
# Repeated marks with no word cue: the customer is pressing (在吗？？？).
_MARKS_ONLY_INTENSITY: Final = 0.3
# A voice raised well above the customer's own level (heard in the recording): with calm
# words, discontent the words hide; with upset words, more of it.
_VOICE_ONLY_INTENSITY: Final = 0.35
_VOICE_BONUS: Final = 0.15


@final
class EmotionCue(Record):
    """One piece of evidence: what was found where, and the emotion it signals here."""

    _fields = ("turn", "start_char", "end_char", "text", "emotion", "kind")
    __slots__ = _fields

    def __init__(
        self,
        turn: int,
        start_char: int,
        end_char: int,
        text: str,
        emotion: str,
        kind: str,
    ) -> None:
        self.turn = turn
        self.start_char = start_char
        self.end_char = end_char
        self.text = text
        self.emotion = emotion
        self.kind = kind  # word, rhetorical, sarcasm, context, marks, voice (a raised voice)


@final
class TurnEmotion(Record):
    _fields = ("turn", "emotion", "intensity", "evidence")
    __slots__ = _fields

    def __init__(
        self,
        turn: int,
        emotion: str,
        intensity: float,
        evidence: tuple[EmotionCue, ...],
    ) -> None:
        self.turn = turn
        self.emotion = emotion
        self.intensity = intensity
        self.evidence = evidence


@final
class CustomerEmotion(Record):
    _fields = ("start", "end", "peak", "turns", "calmed")
    __slots__ = _fields

    def __init__(
        self,
        start: str,
        end: str,
        peak: str,
        turns: tuple[TurnEmotion, ...],
        calmed: bool,
    ) -> None:
        self.start = start
        self.end = end
        self.peak = peak
        self.turns = turns
        self.calmed = calmed  # the customer was upset at the peak and ended calm or pleased

    def to_dict(self) -> dict[str, Any]:
        """The emotion fields of the `customer` object in `lingting score` (FORMATS.md)."""
        return {
            "emotion_start": self.start,
            "emotion_end": self.end,
            "emotion_peak": self.peak,
            "emotion_turns": [
                {"turn": t.turn, "emotion": t.emotion, "intensity": t.intensity} for t in self.turns
            ],
        }


@final
class EmotionEntry(Record):
    _fields = ("kind", "emotion", "weight")
    __slots__ = _fields

    def __init__(self, kind: str, emotion: str, weight: float) -> None:
        self.kind = kind  # word, rhetorical, sarcasm, context, neutral, degree, negator
        self.emotion = emotion
        self.weight = weight


EmotionMatch = PhraseMatch[EmotionEntry]
_Match = EmotionMatch


_LEXICONS: tuple[tuple[str, str, dict[str, float]], ...] = (
    ("word", ANGRY, words.ANGRY),
    ("word", DISSATISFIED, words.DISSATISFIED),
    ("word", ANXIOUS, words.ANXIOUS),
    ("word", PLEASED, words.PLEASED),
    ("rhetorical", DISSATISFIED, words.RHETORICAL),
    ("sarcasm", DISSATISFIED, words.SARCASM),
    ("context", DISSATISFIED, words.CONTEXT),
    (DEGREE, CALM, words.DEGREE),
    (NEGATOR, CALM, dict.fromkeys(words.NEGATORS, 0.0)),
    (HYPOTHETICAL, CALM, dict.fromkeys(words.HYPOTHETICAL, 0.0)),
    (NEUTRAL, CALM, dict.fromkeys(words.NEUTRAL, 0.0)),
)


def lexicon() -> Iterator[tuple[str, EmotionEntry]]:
    """Every phrase the reader looks for in a customer's turn, with what it signals."""
    for kind, emotion, words_weights in _LEXICONS:
        for key, weight in words_weights.items():
            yield key, EmotionEntry(kind, emotion, weight)


@cache
def _automaton() -> Lexicon[EmotionEntry]:
    return build_automaton(lexicon())


def customer_emotion(
    turns: Iterable[Turn],
    found: Sequence[list[EmotionMatch]] | None = None,
    raised: frozenset[int] = frozenset(),
) -> CustomerEmotion:
    """The customer's emotion per turn and over the contact; agent and other turns are ignored.
    `found`: each customer turn's lexicon hits, where a shared pass found them already;
    `raised`: the turns (`Turn.index`) the recording heard said in a raised voice."""
    customer = [turn for turn in turns if turn.speaker == "customer"]
    texts = [turn.text for turn in customer]
    if found is None:
        found = find_phrases_by_turn(_automaton(), texts)
    # Most turns hold no cue and no mark: they are calm without looking further.
    marked = _has_marks("".join(texts))
    results: list[TurnEmotion] = []
    complaints_seen: set[str] = set()
    streak = 0
    # By index: compiled, zip(strict=True) is a generic Python call, on every contact.
    assert len(found) == len(customer), "one list of hits per customer turn"
    for index, turn in enumerate(customer):
        turn_found = found[index]
        if not turn_found and not marked and turn.index not in raised:
            results.append(_calm.at(turn.index))
            streak = 0
            continue
        result = _turn_emotion(turn, turn_found, complaints_seen, streak)
        if turn.index in raised:
            result = _with_raised_voice(result, turn)
        results.append(result)
        streak = streak + 1 if result.emotion in NEGATIVE else 0
        if result.evidence:
            complaints_seen.update(c.text for c in result.evidence if c.emotion in NEGATIVE)
    return _trajectory(tuple(results))


_calm: Final = Unremarkable(lambda turn: TurnEmotion(turn, CALM, 0.0, ()))


def _with_raised_voice(result: TurnEmotion, turn: Turn) -> TurnEmotion:
    """A raised voice adds to a complaint or a worry, or makes calm words discontent; a
    pleased customer may well be loud."""
    if result.emotion == PLEASED:
        return result
    if result.emotion in NEGATIVE:
        emotion, intensity = result.emotion, result.intensity + _VOICE_BONUS
        if emotion == DISSATISFIED and intensity >= _ANGER_THRESHOLD:
            emotion = ANGRY
    else:
        emotion, intensity = DISSATISFIED, max(result.intensity, _VOICE_ONLY_INTENSITY)
    voice = EmotionCue(turn.index, 0, len(turn.text), turn.text, emotion, "voice")
    return TurnEmotion(turn.index, emotion, clip(intensity), (*result.evidence, voice))


def _turn_emotion(
    turn: Turn, found: list[_Match], complaints_seen: set[str], streak: int
) -> TurnEmotion:
    text = turn.text
    marks_bonus, marks = _marks(turn.index, text)
    if not marks and all(match.entry.kind in MODIFIER_KINDS for match in found):
        return _calm.at(turn.index)  # a degree word alone (好的) is no cue
    cues, modifiers = split_cues(found)
    weighed = _weighed(turn.index, text, cues, modifiers) if cues else []
    if weighed:
        return _scored(turn.index, weighed, marks_bonus, marks, complaints_seen, streak)
    if marks:
        return TurnEmotion(turn.index, ANXIOUS, clip(_MARKS_ONLY_INTENSITY + marks_bonus), marks)
    return _calm.at(turn.index)


def _weighed(
    turn: int, text: str, cues: list[_Match], modifiers: list[_Match]
) -> list[tuple[EmotionCue, float]]:
    """Each cue with the emotion and weight it has here; cues negated away are left out."""
    sarcastic = any(match.entry.kind == "sarcasm" for match in cues)
    weighed = []
    for cue in cues:
        if cue.key in _BEFORE_AMOUNTS and _amount_at(text, cue.end):
            continue  # 不满99元 is "under 99 yuan", not discontent
        emotion, weight = _modified(cue, modifiers, text, sarcastic)
        if weight > 0.0:  # 没有不满意 weighs nothing
            evidence = EmotionCue(turn, cue.start, cue.end, cue.key, emotion, cue.entry.kind)
            weighed.append((evidence, weight))
    return weighed


def _scored(
    turn: int,
    weighed: list[tuple[EmotionCue, float]],
    marks_bonus: float,
    marks: tuple[EmotionCue, ...],
    complaints_seen: set[str],
    streak: int,
) -> TurnEmotion:
    scores: dict[str, list[float]] = {}
    for cue, weight in weighed:
        scores.setdefault(cue.emotion, []).append(weight)
    emotion, strongest = "", 0.0
    for candidate, weights in scores.items():  # the heaviest; at the same weight, _TIE_ORDER
        weight = combined_weight(weights)
        if (
            not emotion
            or weight > strongest
            or (weight == strongest and _TIE_ORDER[candidate] < _TIE_ORDER[emotion])
        ):
            emotion, strongest = candidate, weight
    intensity = strongest + marks_bonus
    if emotion in NEGATIVE:
        kinds = {cue.kind for cue, _ in weighed}
        repeats = sum(cue.emotion in NEGATIVE and cue.text in complaints_seen for cue, _ in weighed)
        # A question put as a reproach, or a long wait, raises a complaint once per turn.
        intensity += _RHETORICAL_BONUS if "rhetorical" in kinds else 0.0
        intensity += _CONTEXT_BONUS if "context" in kinds else 0.0
        intensity += min(repeats * _REPEAT_BONUS, _MAX_REPEAT_BONUS)
        intensity += min(streak * _STREAK_BONUS, _MAX_STREAK_BONUS)
        if emotion == DISSATISFIED and intensity >= _ANGER_THRESHOLD:
            emotion = ANGRY
    evidence = (*(cue for cue, _ in weighed), *marks)
    return TurnEmotion(turn, emotion, clip(intensity), evidence)


def _amount_at(text: str, position: int) -> bool:
    """Whether an amount starts at `position`: a digit, or a masked number ([数字x], [金额x])."""
    following = text[position : position + 3]
    return bool(following) and (following[0].isdigit() or following[:3] in ("[数字", "[金额"))


def _modified(
    cue: _Match, modifiers: list[_Match], text: str, sarcastic: bool
) -> tuple[str, float]:
    """The emotion and weight of a cue after the negators and degree words just before it."""
    negated = False
    degree = 1.0  # the nearest degree word before the cue wins: 真的有点 is 有点
    for modifier in modifiers:
        if modifier.entry.kind == HYPOTHETICAL:
            if reaches(modifier.end, cue.start, text, _HYPOTHETICAL_GAP):
                return cue.entry.emotion, 0.0
            continue
        if not reaches(modifier.end, cue.start, text, _MODIFIER_GAP):
            continue
        if modifier.entry.kind == NEGATOR:
            negated = True
        else:
            degree = modifier.entry.weight
    emotion, weight = cue.entry.emotion, cue.entry.weight
    if sarcastic and emotion == PLEASED:
        emotion = DISSATISFIED  # 呵呵，真满意
    if negated and cue.key not in _THANKS:
        if emotion != PLEASED:
            return emotion, 0.0
        return DISSATISFIED, weight * _NEGATED_PLEASED  # 不太满意: degree words soften, not raise
    if cue.entry.kind == "sarcasm":
        return emotion, weight  # the 太 of 真是太"好"了 belongs to the mock praise
    return emotion, weight * degree


def _has_marks(text: str) -> bool:
    return "！" in text or "!" in text or "？？" in text or "??" in text


def _marks(turn: int, text: str) -> tuple[float, tuple[EmotionCue, ...]]:
    """Repeated ！ or ？ raise the intensity; each run is evidence. Substring tests first:
    most turns have no marks, and `in` is far cheaper than walking the text."""
    bonus = 0.0
    evidence: list[EmotionCue] = []
    if "！！" in text or "!!" in text:
        start, end = longest_run(text, BANGS)
        bonus += _BANGS_BONUS
        evidence.append(EmotionCue(turn, start, end, text[start:end], DISSATISFIED, "marks"))
    elif "！" in text or "!" in text:
        bonus += _BANG_BONUS
    if "？？" in text or "??" in text:
        start, end = longest_run(text, QUESTIONS)
        bonus += _QUESTIONS_BONUS
        evidence.append(EmotionCue(turn, start, end, text[start:end], ANXIOUS, "marks"))
    return bonus, tuple(evidence)


def _trajectory(turns: tuple[TurnEmotion, ...]) -> CustomerEmotion:
    if not turns:
        return CustomerEmotion(CALM, CALM, CALM, (), calmed=False)
    negative = [t for t in turns if t.emotion in NEGATIVE]
    candidates = negative or [t for t in turns if t.emotion != CALM]
    peak = CALM
    highest = -1.0
    for turn in candidates:  # the first of the most intense
        if turn.intensity > highest:
            peak, highest = turn.emotion, turn.intensity
    end = turns[-1].emotion
    calmed = peak in NEGATIVE and end in (CALM, PLEASED)
    return CustomerEmotion(turns[0].emotion, end, peak, turns, calmed)
