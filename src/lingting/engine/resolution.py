"""Was the customer's problem solved in this contact? `resolved` true, false or null.

`contact_resolution(turns)` reads the customer's turns of one contact and decides from what
the customer said, with the cues it rests on (turn, character offsets, text, kind). It is the
`resolved` field of `lingting score` (FORMATS.md).

Resolved: the customer's last word confirms (好的, 明白了, 可以了) or thanks and closes
(谢谢, 辛苦了, 拜拜, 没有了). Unresolved: after an agent turn the customer says it still does
not work (还是不行, 没用), asks the same question again (什么时候到 … 什么时候到), asks for a
supervisor (找你们领导) or threatens (投诉, 12315, 媒体), or the contact ends on a customer
question or complaint that no agent turn answers. Null: no customer turns, or nothing points
either way.

Precedence, latest first, because a conversation's end says more than its middle:
1. A threat or a supervisor request anywhere makes the contact unresolved; a polite 好的谢谢
   after 我要投诉 does not withdraw it.
2. Otherwise the last customer turn with a cue decides (a complaint, then 好的谢谢 at the end,
   is resolved). Within one turn an unresolved cue beats a resolved one: 好的，还是不行.
3. A question or complaint in the contact's last turn, with no agent turn after it, is the
   latest word and leaves the contact unresolved.
A negator just before a cue cancels it (不是还没到, 不会投诉, 不好的).
Giving up (那就算了) is unresolved but not sticky: a later 好的谢谢 settles it.

Like `emotion.py`, a turn is read in one Aho–Corasick pass with no word segmentation.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from functools import cache
from typing import Any, Final, final

from lingting.engine import resolution_words as words
from lingting.engine.contacts import Turn
from lingting.engine.phrase_cues import (
    CLAUSE_BREAKS,
    NEGATOR,
    NEUTRAL,
    FoundCue,
    Lexicon,
    PhraseMatch,
    build_automaton,
    find_phrases_by_turn,
    reaches,
)
from lingting.engine.record_class import Record

CONFIRMED: Final = "confirmed"
THANKED: Final = "thanked"
ENDED: Final = "ended"
STILL_BROKEN: Final = "still_broken"
REPEATED_QUESTION: Final = "repeated_question"
GAVE_UP: Final = "gave_up"
SUPERVISOR: Final = "supervisor"
HANDOFF: Final = "handoff"
THREAT: Final = "threat"
UNANSWERED: Final = "unanswered"
_QUESTION: Final = "question"
_COMPLAINT: Final = "complaint"
_ASKED: Final = "asked_before"  # the first asking of a question repeated later: evidence only

_RESOLVING: Final = frozenset({CONFIRMED, THANKED, ENDED})
_UNRESOLVING: Final = frozenset(
    {STILL_BROKEN, REPEATED_QUESTION, GAVE_UP, SUPERVISOR, HANDOFF, THREAT}
)
_STICKY: Final = frozenset({SUPERVISOR, THREAT})
# Verdicts on an answer: before any agent turn, 转人工 is routing and 没用 tells the problem.
_NEEDS_ANSWER: Final = frozenset({STILL_BROKEN, HANDOFF})
_REASONS: Final = {
    STILL_BROKEN: "still_broken",
    REPEATED_QUESTION: "repeated_question",
    GAVE_UP: "gave_up",
    SUPERVISOR: "asked_supervisor",
    HANDOFF: "asked_human",
    THREAT: "threatened",
}

# A negator cancels a cue only when it sits right before it (不是还没到, 不会投诉).
_NEGATOR_GAP: Final = 1
_TRIM: Final = " \t\n，,。.！!～~…"
# A resolving word followed by one of these is asked, not said: 收到了吗？ 申请好了吧
_ASKING: Final = frozenset("吗么嘛吧?？")
_QUESTION_ENDINGS: Final = frozenset("?？吗么嘛")
# The longest whole-turn reply is 5 characters; this leaves room for spaces and marks.
_WHOLE_TURN_MAX_CHARS: Final = 16


# Its kind: confirmed, thanked, ended, still_broken, repeated_question, supervisor, …
ResolutionCue = FoundCue


@final
class Resolution(Record):
    _fields = ("resolved", "reason", "evidence")
    __slots__ = _fields

    def __init__(
        self,
        resolved: bool | None,
        reason: str,
        evidence: tuple[ResolutionCue, ...],
    ) -> None:
        self.resolved = resolved
        self.reason = reason  # confirmed, thanked_and_ended, still_broken, repeated_question, …
        self.evidence = evidence

    def to_dict(self) -> dict[str, Any]:
        """`resolved` and the evidence it rests on, for `lingting score` (FORMATS.md)."""
        return {
            "resolved": self.resolved,
            "resolution_reason": self.reason,
            "resolution_evidence": [
                {
                    "turn": cue.turn,
                    "start_char": cue.start_char,
                    "end_char": cue.end_char,
                    "text": cue.text,
                    "kind": cue.kind,
                }
                for cue in self.evidence
            ],
        }


# Each phrase's entry is its kind.
ResolutionMatch = PhraseMatch[str]
_Match = ResolutionMatch


_LEXICONS: tuple[tuple[str, Iterable[str]], ...] = (
    (CONFIRMED, words.CONFIRMED),
    (THANKED, words.THANKED),
    (ENDED, words.ENDED),
    (STILL_BROKEN, words.STILL_BROKEN),
    (GAVE_UP, words.GAVE_UP),
    (SUPERVISOR, words.SUPERVISOR),
    (HANDOFF, words.HANDOFF),
    (THREAT, words.THREAT),
    (_COMPLAINT, words.COMPLAINT),
    (_QUESTION, words.QUESTION),
    (NEUTRAL, words.NEUTRAL),
    (NEGATOR, words.NEGATORS),
)


def lexicon() -> Iterator[tuple[str, str]]:
    """Every phrase the reader looks for in a customer's turn, with its kind."""
    for kind, phrases in _LEXICONS:
        for key in phrases:
            yield key, kind


@cache
def _automaton() -> Lexicon[str]:
    return build_automaton(lexicon())


@cache
def _whole_turn_kinds() -> dict[str, str]:
    """Replies that decide on their own as a whole turn, spaces removed (没有 了)."""
    kinds = dict.fromkeys((*words.CONFIRMED, *words.WHOLE_TURN_CONFIRMED), CONFIRMED)
    kinds.update(dict.fromkeys(words.THANKED, THANKED))
    kinds.update(dict.fromkeys((*words.ENDED, *words.WHOLE_TURN_ENDED), ENDED))
    return kinds


class _Reading:
    """What the customer turns said so far, turn by turn."""

    def __init__(self) -> None:
        self.customer_turns = 0
        self.agent_spoke = False
        self.last_speaker = ""
        self.sticky: list[ResolutionCue] = []
        self.decision: list[ResolutionCue] = []  # the latest turn's cues that decide
        self.resolving_run: list[ResolutionCue] = []  # resolving cues since the last unresolving
        self.asked_before: dict[str, ResolutionCue] = {}  # answered by an agent turn since
        self.asked_now: dict[str, ResolutionCue] = {}  # not yet answered
        self.last_turn: Turn | None = None
        self.last_turn_cues: list[ResolutionCue] = []

    def agent(self) -> None:
        self.agent_spoke = True
        self.last_speaker = "agent"
        self.asked_before.update(self.asked_now)
        self.asked_now.clear()

    def customer(self, turn: Turn, found: list[_Match]) -> None:
        self.customer_turns += 1
        self.last_speaker = "customer"
        cues = _cues(turn, found, after_agent=self.agent_spoke)
        if not cues:  # most turns: nothing said about the outcome
            self.last_turn, self.last_turn_cues = turn, cues
            return
        cues = self._repeats(cues)
        unresolving = [cue for cue in cues if cue.kind in _UNRESOLVING or cue.kind == _ASKED]
        resolving = [cue for cue in cues if cue.kind in _RESOLVING]
        self.sticky.extend(cue for cue in unresolving if cue.kind in _STICKY)
        if unresolving:
            self.decision = unresolving
            self.resolving_run = []
        elif resolving:
            self.decision = resolving
            self.resolving_run.extend(resolving)
        self.last_turn, self.last_turn_cues = turn, cues

    def _repeats(self, cues: list[ResolutionCue]) -> list[ResolutionCue]:
        """Question phrases asked before and answered by an agent turn become repeats."""
        found = []
        for cue in cues:
            if cue.kind != _QUESTION:
                found.append(cue)
                continue
            earlier = self.asked_before.get(cue.text)
            if earlier is not None and cue.text not in self.asked_now:
                found.extend((earlier._replace(kind=_ASKED), cue._replace(kind=REPEATED_QUESTION)))
            self.asked_now.setdefault(cue.text, cue)
            found.append(cue)
        return found

    def result(self) -> Resolution:
        if self.customer_turns == 0:
            return Resolution(None, "no_customer_turns", ())
        if self.sticky:
            threatened = any(cue.kind == THREAT for cue in self.sticky)
            reason = _REASONS[THREAT] if threatened else _REASONS[SUPERVISOR]
            return Resolution(False, reason, tuple(self.sticky))
        unanswered = self._unanswered()
        if unanswered is not None:
            return Resolution(False, "unanswered", (unanswered,))
        if not self.decision:
            return Resolution(None, "unclear", ())
        if self.decision[0].kind not in _RESOLVING:
            deciding = next(cue for cue in self.decision if cue.kind in _UNRESOLVING)
            return Resolution(False, _REASONS[deciding.kind], tuple(self.decision))
        thanked = any(cue.kind in (THANKED, ENDED) for cue in self.resolving_run)
        reason = "thanked_and_ended" if thanked else "confirmed"
        return Resolution(True, reason, tuple(self.resolving_run))

    def _unanswered(self) -> ResolutionCue | None:
        """The contact's last turn is the customer's question or complaint, never answered."""
        turn = self.last_turn
        if turn is None or self.last_speaker != "customer":
            return None
        if any(cue.kind in _RESOLVING or cue.kind in _UNRESOLVING for cue in self.last_turn_cues):
            return None
        asked = next(
            (cue for cue in self.last_turn_cues if cue.kind in (_COMPLAINT, _QUESTION)), None
        )
        if asked is not None:
            return asked._replace(kind=UNANSWERED)
        trimmed = turn.text.rstrip(_TRIM)
        if trimmed and trimmed[-1] in _QUESTION_ENDINGS:
            start = len(trimmed) - len(trimmed.lstrip(_TRIM))
            return ResolutionCue(turn.index, start, len(trimmed), trimmed[start:], UNANSWERED)
        return None


def contact_resolution(
    turns: Iterable[Turn], found: Sequence[list[ResolutionMatch]] | None = None
) -> Resolution:
    """Whether the customer's problem was solved, from the customer's words; other speakers
    (bots, system lines) are ignored. `found`: each customer turn's lexicon hits, where a
    shared pass found them already."""
    turns = [turn for turn in turns if turn.speaker in ("agent", "customer")]
    if found is None:
        customer = [turn.text for turn in turns if turn.speaker == "customer"]
        found = find_phrases_by_turn(_automaton(), customer)
    reading = _Reading()
    customer_turns = 0
    for turn in turns:
        if turn.speaker == "agent":
            if turn.text.strip():
                reading.agent()
        else:
            reading.customer(turn, found[customer_turns])
            customer_turns += 1
    return reading.result()


def _cues(turn: Turn, found: list[_Match], after_agent: bool) -> list[ResolutionCue]:
    """The cues of one customer turn (`found`: its lexicon hits): leftmost-longest, not
    inside one another, negated ones left out. A still-broken cue counts only once an
    agent has answered."""
    text = turn.text
    whole = _whole_turn(turn)
    if whole is not None:
        return [whole]
    if not found:
        return []
    cues: list[_Match] = []
    negators: list[_Match] = []
    reach = 0
    for match in found:
        if match.entry == NEGATOR:
            negators.append(match)
        elif match.start >= reach:
            cues.append(match)
            reach = match.end
    return [
        ResolutionCue(turn.index, cue.start, cue.end, cue.key, cue.entry)
        for cue in cues
        if cue.entry != NEUTRAL
        and (after_agent or cue.entry not in _NEEDS_ANSWER)
        and not (
            cue.entry in _RESOLVING
            and text[cue.end : cue.end + 1] in _ASKING
            and cue.end < len(text)
        )
        and not _negated(cue, negators, cues, text)
        and not _either_or(cue, text)
    ]


def _whole_turn(turn: Turn) -> ResolutionCue | None:
    """A bare 没了 or 好 is a reply only when it is the whole turn."""
    if len(turn.text) > _WHOLE_TURN_MAX_CHARS:
        return None  # longer than any reply, trimmed or spaced, could be
    trimmed = turn.text.strip(_TRIM)
    kind = _whole_turn_kinds().get(trimmed.replace(" ", ""))  # 没有 了
    if kind is None:
        return None
    start = turn.text.index(trimmed)
    return ResolutionCue(turn.index, start, start + len(trimmed), trimmed, kind)


def _negated(cue: _Match, negators: list[_Match], cues: list[_Match], text: str) -> bool:
    for negator in negators:
        if not reaches(negator.end, cue.start, text, _NEGATOR_GAP):
            continue
        if not any(other.start <= negator.start and negator.end <= other.end for other in cues):
            return True  # unless, like the 没 of 没问题了, it belongs to a cue of its own
    return False


def _either_or(cue: _Match, text: str) -> bool:
    """有电池还是没有: 还是没有 closing a clause asks "or not", it does not say "still not"."""
    if cue.key != "还是没" or text[cue.end : cue.end + 1] != "有":
        return False
    after = text[cue.end + 1 : cue.end + 2]
    return not after or after in CLAUSE_BREAKS or after in _QUESTION_ENDINGS or after == "呢"
