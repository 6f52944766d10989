"""How the agent spoke, turn by turn: neutral, warm, impatient, blaming or dismissive.

`agent_tone(turns)` reads the agent's turns of one contact and gives each a tone, an
intensity 0–1 and the cues it rests on (turn, character offsets, text, kind), then for the
contact the worst tone and its turn, the count of each tone, and the turns where the agent
apologised or soothed — what the rule "when the customer is dissatisfied or angry, the agent
apologises or soothes within two turns" needs (`apologised_or_soothed_after`).

Tone sits below the standard scorecard's `forbidden_phrases` and `insults` items: it reads
how the agent speaks (impatience, blame-shifting, brushing off, talking down, rushing), not
what is forbidden outright. Like `emotion.py` it reads a turn in one Aho–Corasick pass over a
compiled lexicon (`agent_tone_words.py`), with no segmentation: negators and degree words
found in the same pass modify the cue right after them (不是您的问题 is reassurance, not
blame), and repeated ！ or ？ raise an unfriendly turn's intensity.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from functools import cache
from typing import Any, Final, final

from lingting.engine import agent_tone_words as words
from lingting.engine.contacts import Turn
from lingting.engine.phrase_cues import (
    BANGS,
    DEGREE,
    MODIFIER_KINDS,
    NEGATOR,
    QUESTIONS,
    FoundCue,
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
from lingting.engine.phrase_cues import (
    NEUTRAL as NEUTRAL_PHRASE,
)
from lingting.engine.record_class import Record

NEUTRAL: Final = "neutral"
WARM: Final = "warm"
IMPATIENT: Final = "impatient"
BLAMING: Final = "blaming"
DISMISSIVE: Final = "dismissive"
TONES: Final = (NEUTRAL, WARM, IMPATIENT, BLAMING, DISMISSIVE)
UNFRIENDLY: Final = frozenset({IMPATIENT, BLAMING, DISMISSIVE})
# Worst first: which tone a contact's report leads with, and which wins a tie in a turn.
_SEVERITY: Final = {BLAMING: 0, IMPATIENT: 1, DISMISSIVE: 2, WARM: 3, NEUTRAL: 4}

# Evidence kinds: the cue families of the lexicon, plus marks and reassurance.
APOLOGY: Final = "apology"
SOOTHING: Final = "soothing"
REASSURANCE: Final = "reassurance"
_WARM_KINDS: Final = frozenset({"warmth", APOLOGY, SOOTHING, REASSURANCE})
_SOOTHING_KINDS: Final = frozenset({SOOTHING, REASSURANCE})
_KIND_TONE: Final = {
    "impatience": IMPATIENT,
    "blame": BLAMING,
    "dismissal": DISMISSIVE,
    "condescension": DISMISSIVE,
    "warmth": WARM,
    APOLOGY: WARM,
    SOOTHING: WARM,
    REASSURANCE: WARM,
}

_MODIFIER_GAP: Final = 2  # 不是您的问题: 不 right before 是您的问题; 真的没办法
# Below this a turn is not called unfriendly: a bare 没办法 states a limit.
_UNFRIENDLY_THRESHOLD: Final = 0.35
# Below this a turn is not called warm: routine 请您/麻烦您 alone stays neutral.
_WARM_THRESHOLD: Final = 0.5
# An apology in the same turn softens (不好意思，这个没办法), it does not undo.
_SOFTENED: Final = 0.15
_BANGS_BONUS: Final = 0.15
_QUESTIONS_BONUS: Final = 0.1
_REASSURANCE: Final = 0.6  # 不是您的问题: a negated blame cue reassures


# Its kind: impatience, blame, dismissal, condescension, warmth, apology, soothing,
# reassurance, marks.
ToneCue = FoundCue


@final
class TurnTone(Record):
    _fields = ("turn", "tone", "intensity", "evidence")
    __slots__ = _fields

    def __init__(
        self,
        turn: int,
        tone: str,
        intensity: float,
        evidence: tuple[ToneCue, ...],
    ) -> None:
        self.turn = turn
        self.tone = tone
        self.intensity = intensity
        self.evidence = evidence

    @property
    def apologised(self) -> bool:
        return any(cue.kind == APOLOGY for cue in self.evidence)

    @property
    def soothed(self) -> bool:
        return any(cue.kind in _SOOTHING_KINDS for cue in self.evidence)


@final
class AgentTone(Record):
    _fields = ("worst", "worst_turn", "counts", "apology_turns", "soothing_turns", "turns")
    __slots__ = _fields

    def __init__(
        self,
        worst: str,
        worst_turn: int | None,
        counts: dict[str, int],
        apology_turns: tuple[int, ...],
        soothing_turns: tuple[int, ...],
        turns: tuple[TurnTone, ...],
    ) -> None:
        self.worst = worst
        self.worst_turn = worst_turn  # None when every agent turn was neutral or warm
        self.counts = counts
        self.apology_turns = apology_turns
        self.soothing_turns = soothing_turns
        self.turns = turns

    @property
    def apologised(self) -> bool:
        return bool(self.apology_turns)

    @property
    def soothed(self) -> bool:
        return bool(self.soothing_turns)

    def apologised_or_soothed_after(self, turn: int, within: int = 2) -> int | None:
        """The first of the agent's next `within` turns after `turn` that apologises or
        soothes, or None: "within two turns" of an upset customer turn."""
        following = [t for t in self.turns if t.turn > turn][:within]
        return next((t.turn for t in following if t.apologised or t.soothed), None)

    def to_dict(self) -> dict[str, Any]:
        return {
            "tone_worst": self.worst,
            "tone_worst_turn": self.worst_turn,
            "tone_counts": self.counts,
            "apology_turns": list(self.apology_turns),
            "soothing_turns": list(self.soothing_turns),
            "tone_turns": [
                {"turn": t.turn, "tone": t.tone, "intensity": t.intensity} for t in self.turns
            ],
        }


@final
class ToneEntry(Record):
    _fields = ("kind", "weight")
    __slots__ = _fields

    def __init__(self, kind: str, weight: float) -> None:
        self.kind = kind
        self.weight = weight


ToneMatch = PhraseMatch[ToneEntry]
_Match = ToneMatch


_LEXICONS: tuple[tuple[str, dict[str, float]], ...] = (
    ("impatience", words.IMPATIENT),
    ("blame", words.BLAMING),
    ("dismissal", words.DISMISSIVE),
    ("condescension", words.CONDESCENDING),
    ("warmth", words.WARM),
    (APOLOGY, words.APOLOGY),
    (SOOTHING, words.SOOTHING),
    (DEGREE, words.DEGREE),
    (NEGATOR, dict.fromkeys(words.NEGATORS, 0.0)),
    (NEUTRAL_PHRASE, dict.fromkeys(words.NEUTRAL, 0.0)),
)


def lexicon() -> Iterator[tuple[str, ToneEntry]]:
    """Every phrase the reader looks for in an agent's turn, with its kind and weight."""
    for kind, words_weights in _LEXICONS:
        for key, weight in words_weights.items():
            yield key, ToneEntry(kind, weight)


@cache
def _automaton() -> Lexicon[ToneEntry]:
    return build_automaton(lexicon())


def agent_tone(turns: Iterable[Turn], found: Sequence[list[ToneMatch]] | None = None) -> AgentTone:
    """The agent's tone per turn and over the contact; customer and other turns are ignored.
    `found`: each agent turn's lexicon hits, where a shared pass found them already."""
    agent = [turn for turn in turns if turn.speaker == "agent"]
    if found is None:
        found = find_phrases_by_turn(_automaton(), [t.text for t in agent])
    # By index and a comprehension: compiled, zip(strict=...) and dict.fromkeys are generic
    # Python calls, on every contact.
    assert len(found) == len(agent), "one list of hits per agent turn"
    results = tuple([_turn_tone(turn, found[index]) for index, turn in enumerate(agent)])
    counts = {tone: 0 for tone in TONES}
    for result in results:
        counts[result.tone] += 1
    # Most turns are neutral with no evidence: only the rest need looking into.
    marked = [t for t in results if t.evidence]
    unfriendly = [t for t in marked if t.tone in UNFRIENDLY]
    worst_turn = (
        min(unfriendly, key=lambda t: (_SEVERITY[t.tone], -t.intensity)) if unfriendly else None
    )
    friendly = WARM if counts[WARM] else NEUTRAL
    worst = worst_turn.tone if worst_turn is not None else friendly
    return AgentTone(
        worst=worst,
        worst_turn=worst_turn.turn if worst_turn is not None else None,
        counts=counts,
        apology_turns=tuple(t.turn for t in marked if t.apologised),
        soothing_turns=tuple(t.turn for t in marked if t.soothed),
        turns=results,
    )


_neutral: Final = Unremarkable(lambda turn: TurnTone(turn, NEUTRAL, 0.0, ()))


def _turn_tone(turn: Turn, found: list[_Match]) -> TurnTone:
    if not found:
        return _neutral.at(turn.index)
    text = turn.text
    # A negator or degree word alone modifies nothing (most turns have no cue at all).
    if all(match.entry.kind in MODIFIER_KINDS for match in found):
        return _neutral.at(turn.index)
    cues, modifiers = split_cues(found)
    if not cues:
        return _neutral.at(turn.index)
    scores: dict[str, list[float]] = {}
    evidence: list[ToneCue] = []
    for cue in cues:
        kind, weight, start = _modified(cue, modifiers, text)
        if weight > 0.0:
            scores.setdefault(_KIND_TONE[kind], []).append(weight)
            evidence.append(ToneCue(turn.index, start, cue.end, text[start : cue.end], kind))
    unfriendly = [
        t for t in scores if t in UNFRIENDLY and combined_weight(scores[t]) >= _UNFRIENDLY_THRESHOLD
    ]
    if unfriendly:
        tone = min(unfriendly, key=lambda t: (-combined_weight(scores[t]), _SEVERITY[t]))
        marks_bonus, marks = _marks(turn.index, text)
        softened = _SOFTENED if WARM in scores else 0.0
        intensity = combined_weight(scores[tone]) + marks_bonus - softened
        return TurnTone(turn.index, tone, clip(intensity), (*evidence, *marks))
    warmth = combined_weight(scores.get(WARM, []))
    if warmth >= _WARM_THRESHOLD:
        warm = tuple(cue for cue in evidence if cue.kind in _WARM_KINDS)
        return TurnTone(turn.index, WARM, clip(warmth), warm)
    # Apologies and soothing weigh at least the warm threshold, so nothing here needs keeping.
    return _neutral.at(turn.index)


def _modified(cue: _Match, modifiers: list[_Match], text: str) -> tuple[str, float, int]:
    """The kind, weight and start of a cue after the negators and degree words just before
    it; a negated blame cue starts at its negator (不是您的问题 is the reassurance)."""
    negated_at: int | None = None
    degree = 1.0
    for modifier in modifiers:
        if not reaches(modifier.end, cue.start, text, _MODIFIER_GAP):
            continue
        if modifier.entry.kind == NEGATOR:
            negated_at = modifier.start if negated_at is None else min(negated_at, modifier.start)
        else:
            degree = modifier.entry.weight
    kind = cue.entry.kind
    if negated_at is not None:
        if kind == "blame":
            return REASSURANCE, _REASSURANCE, negated_at  # 不是您的问题
        return kind, 0.0, cue.start  # 不是没办法, 没有说过了: the cue does not hold
    if kind in _WARM_KINDS:
        return kind, cue.entry.weight, cue.start  # 非常抱歉 is an apology, not a stronger one
    return kind, cue.entry.weight * degree, cue.start


def _marks(turn: int, text: str) -> tuple[float, tuple[ToneCue, ...]]:
    """Repeated ！ or ？ sharpen an unfriendly turn (你听不懂吗？？); a single one is
    everyday chat punctuation (亲！) and counts for nothing."""
    bonus = 0.0
    evidence: list[ToneCue] = []
    for pair, marks, mark_bonus in (
        (("！！", "!!"), BANGS, _BANGS_BONUS),
        (("？？", "??"), QUESTIONS, _QUESTIONS_BONUS),
    ):
        if pair[0] in text or pair[1] in text:
            start, end = longest_run(text, marks)
            bonus += mark_bonus
            evidence.append(ToneCue(turn, start, end, text[start:end], "marks"))
    return bonus, tuple(evidence)
