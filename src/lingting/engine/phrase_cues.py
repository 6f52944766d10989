"""Finding phrase cues in a turn: the machinery `emotion`, `agent_tone` and `resolution` share.

Each of them compiles its own lexicon into one Aho–Corasick automaton and reads a turn in a
single pass with no word segmentation: every hit becomes a `PhraseMatch` carrying the entry
its lexicon stored. Cues are taken leftmost-longest (不满意 hides its 满意); negators and degree
words that are not part of a cue modify the cue right after them, when they sit within a few
characters in the same clause. What a modifier does, and how far it may reach, stays with
each module: those rules differ on purpose.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from typing import Any, Final, Protocol, final

from lingting.engine.phrase_search import PhraseSearch
from lingting.engine.record_class import Record

# Lexicon kinds with the same meaning in every cue lexicon.
NEGATOR: Final = "negator"
DEGREE: Final = "degree"
NEUTRAL: Final = "neutral"
HYPOTHETICAL: Final = "hypothetical"  # 要是, 如果: what follows is supposed, not felt or said
MODIFIER_KINDS: Final = frozenset({DEGREE, NEGATOR, HYPOTHETICAL})
# A modifier never reaches across one of these: 不，满意 is not 不满意.
CLAUSE_BREAKS: Final = frozenset("，,。.！!？?；;：:~～ \n")
BANGS: Final = frozenset("！!")
QUESTIONS: Final = frozenset("？?")
# Each further cue of the same family in a turn adds a little, not a full cue's weight.
EXTRA_CUE: Final = 0.1


# A lexicon's search: each phrase found with (the phrase, its entry).
type Lexicon[EntryT] = PhraseSearch[tuple[str, EntryT]]


class KindedEntry(Protocol):
    """What a lexicon stores for a phrase: at least its kind (word, negator, neutral, …)."""

    @property
    def kind(self) -> str: ...


class PhraseMatch[EntryT]:
    """One lexicon phrase found in a text: character offsets, the phrase, its entry.

    A plain class with slots, not a NamedTuple: compiled (`accel`), reading its fields is a
    memory load instead of an attribute lookup, and the readers read them for every hit."""

    __slots__ = ("end", "entry", "key", "start")

    def __init__(self, start: int, end: int, key: str, entry: EntryT) -> None:
        self.start = start
        self.end = end
        self.key = key
        self.entry = entry

    def __repr__(self) -> str:
        return f"PhraseMatch({self.start}, {self.end}, {self.key!r}, {self.entry!r})"


@final
class FoundCue(Record):
    """One piece of a reader's evidence: where in which turn, the words, and the kind of cue
    they are there (each reader names its kinds)."""

    _fields = ("turn", "start_char", "end_char", "text", "kind")
    __slots__ = _fields

    def __init__(self, turn: int, start_char: int, end_char: int, text: str, kind: str) -> None:
        self.turn = turn
        self.start_char = start_char
        self.end_char = end_char
        self.text = text
        self.kind = kind


def build_automaton[EntryT](entries: Iterable[tuple[str, EntryT]]) -> Lexicon[EntryT]:
    """A search finding every phrase of `entries`, each reported with its entry."""
    return PhraseSearch({key: (key, entry) for key, entry in entries})


def find_phrases_by_turn[EntryT](
    automaton: Lexicon[EntryT], texts: Sequence[str]
) -> list[list[PhraseMatch[EntryT]]]:
    """Every phrase hit in each of several turns, in one pass over them all
    (`PhraseSearch.in_turns`). Turns without a hit share one empty list."""
    found: list[list[PhraseMatch[EntryT]]] = [NO_MATCHES] * len(texts)
    for index, start, end, (key, entry) in automaton.in_turns(texts):
        add_match(found, index, PhraseMatch(start, end, key, entry))
    return found


# The one empty list that turns without a hit share: `add_match` never appends to it.
NO_MATCHES: Final[list[Any]] = []


def add_match[EntryT](
    found: list[list[PhraseMatch[EntryT]]], index: int, match: PhraseMatch[EntryT]
) -> None:
    """Add a hit to turn `index`'s list, keeping it leftmost first and, at the same start,
    longest first. Hits arrive in the order their ends occur, so a new one goes after every
    hit that starts before it: mostly at the end, and no list is ever sorted."""
    matches = found[index]
    if matches is NO_MATCHES:
        found[index] = [match]
        return
    at = len(matches)
    while at and matches[at - 1].start >= match.start:
        at -= 1
    matches.insert(at, match)


class Unremarkable[ResultT]:
    """A reader's result for a turn where it found nothing (calm, neutral), made once per
    turn index and shared, as such results are immutable: most turns are these, and
    scoring reads tens of thousands of contacts a second. `unremarkable.at(turn)` gives it
    (a method, not `__call__`: compiled, calling an object is a generic Python call)."""

    __slots__ = ("_make", "_shared")

    def __init__(self, make: Callable[[int], ResultT], shared: int = 1000) -> None:
        self._make = make
        self._shared = [make(turn) for turn in range(shared)]

    def at(self, turn: int) -> ResultT:
        return self._shared[turn] if 0 <= turn < len(self._shared) else self._make(turn)


def split_cues[EntryT: KindedEntry](
    found: list[PhraseMatch[EntryT]],
) -> tuple[list[PhraseMatch[EntryT]], list[PhraseMatch[EntryT]]]:
    """The cues, leftmost-longest and not overlapping, and the modifiers that are not part
    of a cue (the 不 of 不错 negates nothing after it). Neutral phrases (麻烦, 没有了) take
    part only to hide what lies inside them."""
    cues: list[PhraseMatch[EntryT]] = []
    reach = 0
    for match in found:
        if match.entry.kind in MODIFIER_KINDS or match.start < reach:
            continue
        cues.append(match)
        reach = match.end
    if not cues:
        return cues, []
    modifiers = [
        match
        for match in found
        if match.entry.kind in MODIFIER_KINDS
        and not any(cue.start <= match.start and match.end <= cue.end for cue in cues)
    ]
    return [cue for cue in cues if cue.entry.kind != NEUTRAL], modifiers


def reaches(modifier_end: int, cue_start: int, text: str, max_gap: int) -> bool:
    """Whether a modifier ending at `modifier_end` applies to the cue at `cue_start`: it
    comes before, at most `max_gap` characters away, with no clause break between."""
    gap = cue_start - modifier_end
    if gap < 0 or gap > max_gap:
        return False
    return not CLAUSE_BREAKS.intersection(text[modifier_end:cue_start])


def longest_run(text: str, marks: frozenset[str]) -> tuple[int, int]:
    """The start and end of the longest run of `marks` in `text` (the first if tied)."""
    best = (0, 0)
    position = 0
    while position < len(text):
        if text[position] in marks:
            end = position
            while end < len(text) and text[end] in marks:
                end += 1
            if end - position > best[1] - best[0]:
                best = (position, end)
            position = end
        else:
            position += 1
    return best


def combined_weight(weights: Sequence[float]) -> float:
    """The strongest cue's weight plus a little for each further one; 0 with no cues."""
    if not weights:
        return 0.0
    strongest = weights[0]
    for weight in weights:
        strongest = weight if weight > strongest else strongest
    return strongest + EXTRA_CUE * (len(weights) - 1)


def clip(intensity: float) -> float:
    """An intensity kept to 0–1, rounded to two places."""
    return to_hundredths(min(max(intensity, 0.0), 1.0))


# Within this of half a hundredth, which way `value * 100` rounds may hang on the rounding
# of that product itself; anywhere else it cannot (the product is off by ~1e-14 at most).
_NEAR_TIE: Final = 1e-7


def to_hundredths(value: float) -> float:
    """Exactly `round(value, 2)` for the small values the readers weigh, a tenth of its
    cost: `round` with digits goes through a decimal string (dtoa), for every turn's
    intensity and every reason of a prediction. Near a tie, and for large values, it is
    `round` itself that answers."""
    scaled = value * 100.0
    if not -1e9 < scaled < 1e9:
        return round(value, 2)
    nearest = math.floor(scaled + 0.5)
    if abs(abs(scaled - nearest) - 0.5) < _NEAR_TIE:
        return round(value, 2)
    # The quotient is the double nearest the exact decimal, as `round` gives, and keeps the
    # sign of a value that rounds to zero (-0.001 → -0.0), as `round` does.
    return math.copysign(nearest / 100.0, value)
