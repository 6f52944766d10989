"""The shared scan: one pass over a contact's turns finds every phrase any rule looks for.

Speed comes from sharing one scan: a compiled scorecard puts every literal phrase of every
rule into Aho-Corasick automata (`PhraseIndex`, one `PhraseSearch` per speaker, holding the
phrases rules look for in that speaker's turns), scans each turn of a contact once, and
hands the rules a `Scan` holding every hit by phrase. Rules then only look hits up; the few
regex rules run their own precompiled pattern over the turns of their speaker. Excusing
contexts (`except_in`) are checked in the text around a hit, not searched for.

Phrases are matched as written, except that ASCII and full-width punctuation are the same
(`，` and `,` both match a phrase written with either), because transcripts mix them freely.

The same pass finds the cues the meaning readers look for (emotion, tone, resolution), given
to `PhraseIndex` as `cues`: scoring then reads a contact's text once in all, and the readers
take their hits from `Scan.cue_hits` instead of each searching the turns again.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Final

from lingting.engine.contacts import SPEAKERS, Contact, Turn
from lingting.engine.phrase_search import PhraseSearch
from lingting.engine.results import Evidence

if TYPE_CHECKING:
    from lingting.engine.meaning import Meaning

# (turn position, start char, end char, what matched: the canonical phrase or the regex text)
Span = tuple[int, int, int, str]
# (whose turns, None for anyone's; a phrase): what a rule needs the shared scan to find
Searched = tuple[str | None, str]
# (turn position, start char, end char, the cue's entry): a cue found for a meaning reader
CueHit = tuple[int, int, int, Any]

# Characters that count as spoken: CJK ideographs, letters and digits — never punctuation,
# spaces or symbols. `\w` is exactly that plus "_".
_NOT_SPOKEN: Final = re.compile(r"[\W_]+")
_FULL_TO_HALF: Final = {"，": ",", "？": "?", "！": "!", "：": ":", "；": ";", "（": "(", "）": ")"}
_HALF_TO_FULL: Final = str.maketrans({half: full for full, half in _FULL_TO_HALF.items()})
_FULL_TO_HALF_TABLE: Final = str.maketrans(_FULL_TO_HALF)
# Beyond this, mixing widths inside one phrase would explode the variants.
_MAX_VARIED_MARKS: Final = 4


# Each phrase any rule looks for has a bit, for the life of the process, so that the phrases
# a contact holds and those a matcher wants meet in one `&` of two integers (`Scan.found_bits`,
# `PhraseMatcher.bits`): most matchers find none of theirs in a given contact. Two threads
# compiling scorecards at once may give two phrases one bit; that costs a lookup, never a hit.
_PHRASE_BITS: Final[dict[str, int]] = {}


def phrase_bits(phrases: Iterable[str]) -> int:
    """The bits of these (canonical) phrases."""
    bits = 0
    for phrase in phrases:
        bits |= 1 << _PHRASE_BITS.setdefault(phrase, len(_PHRASE_BITS))
    return bits


def normalize_phrase(phrase: str) -> str:
    """The canonical form of a phrase: full-width punctuation (`,` → `，`)."""
    return phrase.translate(_HALF_TO_FULL)


def spoken_length(text: str) -> int:
    """How many characters of `text` are spoken: ideographs, letters, digits."""
    return len(text) - sum(len(run) for run in _NOT_SPOKEN.findall(text))


class Scan:
    """One contact as rules see it: its turns, who spoke each, and every phrase hit.

    A working object for one `score` call, so it is mutable (it caches character counts).
    """

    __slots__ = (
        "_spoken",
        "_timed",
        "by_speaker",
        "contact",
        "cue_hits",
        "found",
        "found_bits",
        "last",
        "meaning",
        "speakers",
        "turns",
    )

    def __init__(self, contact: Contact) -> None:
        self.contact = contact
        self.turns: tuple[Turn, ...] = contact.turns
        # Hits by phrase, filled in by `PhraseIndex.scan`, only in the turns of the speakers
        # each phrase is searched for. A phrase's hits are in order within each speaker's.
        self.found: dict[str, list[Span]] = {}
        self.found_bits = 0  # `phrase_bits` of the phrases in `found`
        # Meaning cues found, each speaker's in the order their ends occur (see `PhraseIndex`).
        self.cue_hits: list[CueHit] = []
        self.speakers = [turn.speaker for turn in self.turns]
        self.last = len(self.turns) - 1
        # Plain dicts, not defaultdicts: compiled, a plain dict's lookups are direct calls.
        self.by_speaker: dict[str, list[int]] = {}
        for position, speaker in enumerate(self.speakers):
            positions = self.by_speaker.get(speaker)
            if positions is None:
                self.by_speaker[speaker] = [position]
            else:
                positions.append(position)
        self._spoken: dict[int, int] = {}
        self._timed: bool | None = None
        # What the contact meant, for rules with meaning conditions (set by the scorer).
        self.meaning: Meaning | None = None

    @property
    def timed(self) -> bool:
        if self._timed is None:
            self._timed = self.contact.is_timed
        return self._timed

    def positions(self, speaker: str | None, lo: int, hi: int) -> Sequence[int]:
        """Positions of the turns of `speaker` (None: anyone) between lo and hi inclusive."""
        if speaker is None:
            return range(max(lo, 0), min(hi, self.last) + 1)
        positions = self.by_speaker.get(speaker, [])
        if lo <= 0 and hi >= self.last:
            return positions
        return [p for p in positions if lo <= p <= hi]

    def spoken_chars(self, position: int) -> int:
        count = self._spoken.get(position)
        if count is None:
            count = self._spoken[position] = spoken_length(self.turns[position].text)
        return count

    def evidence(self, span: Span) -> Evidence:
        turn = self.turns[span[0]]
        return Evidence(
            turn.index, turn.speaker, span[1], span[2], turn.text[span[1] : span[2]], turn.start
        )

    def turn_evidence(self, position: int) -> Evidence:
        turn = self.turns[position]
        return Evidence(turn.index, turn.speaker, 0, len(turn.text), turn.text, turn.start)

    def position_at(self, seconds: float, speaker: str | None = None) -> int | None:
        """The timed turn (of `speaker`) spoken at `seconds`, else the first after it, else
        the last before it: where a moment of the recording shows in the transcript."""
        best: int | None = None
        for position in self.positions(speaker, 0, self.last):
            turn = self.turns[position]
            if turn.start is None:
                continue
            if turn.start <= seconds <= turn_end(turn) or turn.start >= seconds:
                return position
            best = position
        return best


class PhraseIndex:
    """Every phrase a scorecard's rules look for, in one Aho-Corasick automaton per speaker.

    Each speaker's turns are searched only for the phrases rules look for in that speaker's
    turns (or anyone's): customers' turns for complaints and requests, not for the agent's
    greetings. An automaton's cost per character grows with the distinct first characters
    of its phrases, so a customer's turn costs a fraction of an agent's.

    `cues` adds, per speaker, phrases matched exactly as written whose hits go to
    `Scan.cue_hits` with the entry given for them (the meaning readers' lexicons).
    """

    def __init__(
        self, searched: Iterable[Searched], cues: Mapping[str, Mapping[str, Any]] | None = None
    ) -> None:
        wanted: dict[str | None, set[str]] = {}
        for speaker, phrase in searched:
            wanted.setdefault(speaker, set()).add(normalize_phrase(phrase))
        anyone = wanted.get(None, set())
        cues = cues or {}
        built: dict[frozenset[str], _Search] = {}
        self._automata: dict[str, _Search] = {}
        for speaker in sorted(SPEAKERS):
            phrases = frozenset(wanted.get(speaker, set()) | anyone)
            if speaker in cues:
                self._automata[speaker] = _automaton(phrases, cues[speaker])
            elif phrases:
                if phrases not in built:
                    built[phrases] = _automaton(phrases, {})
                self._automata[speaker] = built[phrases]

    def scan(self, contact: Contact) -> Scan:
        """Find the phrases in each speaker's turns, in one pass over them joined together
        (`PhraseSearch.in_turns`): markedly cheaper than one pass per turn."""
        scan = Scan(contact)
        found, cue_hits, turns = scan.found, scan.cue_hits, scan.turns
        found_bits = 0
        for speaker, positions in scan.by_speaker.items():
            automaton = self._automata.get(speaker)
            if automaton is None:
                continue
            texts = [turns[position].text for position in positions]
            for index, start, end, (phrase, cue, bit) in automaton.in_turns(texts):
                if phrase is not None:
                    hits = found.get(phrase)
                    if hits is None:
                        found[phrase] = [(positions[index], start, end, phrase)]
                        found_bits |= bit
                    else:
                        hits.append((positions[index], start, end, phrase))
                if cue is not None:
                    cue_hits.append((positions[index], start, end, cue))
        scan.found_bits = found_bits
        return scan


# What a key found is: the rules' phrase it spells (in some punctuation), or None; the
# meaning readers' cue entry, or None; the phrase's bit (`phrase_bits`), or 0.
_Search = PhraseSearch[tuple[str | None, Any, int]]


def _automaton(phrases: Iterable[str], cues: Mapping[str, Any]) -> _Search:
    """A search finding each phrase, in every punctuation, and each cue as written."""
    values: dict[str, tuple[str | None, Any, int]] = {}
    for phrase in phrases:
        bit = phrase_bits((phrase,))
        for key in punctuation_variants(phrase):
            values[key] = (phrase, None, bit)
    for key, cue in cues.items():
        spelt, _, bit = values.get(key, (None, None, 0))
        values[key] = (spelt, cue, bit)
    return PhraseSearch(values)


def punctuation_variants(phrase: str) -> list[str]:
    """The phrase with each punctuation mark either full- or half-width."""
    if sum(char in _FULL_TO_HALF for char in phrase) > _MAX_VARIED_MARKS:
        return [phrase, phrase.translate(_FULL_TO_HALF_TABLE)]  # all one way or the other
    variants = [""]
    for char in phrase:
        half = _FULL_TO_HALF.get(char)
        options = (char, half) if half else (char,)
        variants = [v + option for v in variants for option in options]
    return variants


# A turn's times for the rules on timings, which judge only timed contacts (`Scan.timed`).
def turn_start(turn: Turn) -> float:
    return turn.start if turn.start is not None else 0.0


def turn_end(turn: Turn) -> float:
    return turn.end if turn.end is not None else turn_start(turn)
