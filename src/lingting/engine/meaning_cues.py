"""The three meaning readers' lexicons, found in one pass over a contact with the scorecard's.

Emotion and resolution read the customer's turns, tone the agent's, each with its own
lexicon. Searching each lexicon in its own pass read a contact's text three more times than
scoring already did: instead, one speaker's lexicons share one automaton whose value for a
phrase says what it is to each reader (`Cue`), the scorecard's scan searches those phrases in
the same pass as the rules' (`PhraseIndex(..., cues=cue_lexicons())`), and `reader_hits`
hands each reader its matches turn by turn, exactly as its own pass would have found them.
Outside scoring, `cue_index()` does that pass alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import final

from lingting.engine import agent_tone, emotion, resolution
from lingting.engine.agent_tone import ToneEntry, ToneMatch
from lingting.engine.contacts import Turn
from lingting.engine.emotion import EmotionEntry, EmotionMatch
from lingting.engine.phrase_cues import NO_MATCHES, PhraseMatch, add_match
from lingting.engine.record_class import Record
from lingting.engine.resolution import ResolutionMatch
from lingting.engine.rules.scan import CueHit, PhraseIndex


@final
class Cue(Record):
    """What one phrase is to each reader (None: not in that reader's lexicon)."""

    _fields = ("key", "emotion", "resolution", "tone")
    __slots__ = _fields

    def __init__(
        self,
        key: str,
        emotion: EmotionEntry | None = None,
        resolution: str | None = None,
        tone: ToneEntry | None = None,
    ) -> None:
        self.key = key
        self.emotion = emotion
        self.resolution = resolution  # the resolution kind
        self.tone = tone


@final
class ReaderHits(Record):
    """Each reader's lexicon hits, one list per turn of the speaker it reads."""

    _fields = ("emotion", "resolution", "tone")
    __slots__ = _fields

    def __init__(
        self,
        emotion: list[list[EmotionMatch]],
        resolution: list[list[ResolutionMatch]],
        tone: list[list[ToneMatch]],
    ) -> None:
        self.emotion = emotion  # per customer turn
        self.resolution = resolution  # per customer turn
        self.tone = tone  # per agent turn


@cache
def cue_lexicons() -> dict[str, dict[str, Cue]]:
    """Each speaker's cue phrases, with what each is to the readers of that speaker's turns."""
    customer = {key: Cue(key, emotion=entry) for key, entry in emotion.lexicon()}
    for key, kind in resolution.lexicon():
        customer[key] = customer.get(key, Cue(key))._replace(resolution=kind)
    agent = {key: Cue(key, tone=entry) for key, entry in agent_tone.lexicon()}
    return {"customer": customer, "agent": agent}


@cache
def cue_index() -> PhraseIndex:
    """The cue phrases alone, for reading a contact's meaning outside scoring."""
    return PhraseIndex((), cue_lexicons())


def reader_hits(turns: Sequence[Turn], hits: Sequence[CueHit]) -> ReaderHits:
    """Each reader's hits per turn, leftmost first and, at the same start, longest first
    (the scan gives each speaker's hits in the order their ends occur)."""
    slots: list[int] = []
    customers = agents = 0
    for turn in turns:
        if turn.speaker == "customer":
            slots.append(customers)
            customers += 1
        elif turn.speaker == "agent":
            slots.append(agents)
            agents += 1
        else:
            slots.append(-1)
    found = ReaderHits([NO_MATCHES] * customers, [NO_MATCHES] * customers, [NO_MATCHES] * agents)
    for position, start, end, entry in hits:
        cue: Cue = entry  # typed, so that compiled its fields are read directly
        slot = slots[position]
        if cue.tone is not None:
            add_match(found.tone, slot, PhraseMatch(start, end, cue.key, cue.tone))
            continue
        if cue.emotion is not None:
            add_match(found.emotion, slot, PhraseMatch(start, end, cue.key, cue.emotion))
        if cue.resolution is not None:
            add_match(found.resolution, slot, PhraseMatch(start, end, cue.key, cue.resolution))
    return found
