"""What a contact meant: the customer's emotion, the agent's tone, whether the problem was
solved, and how satisfied the customer most likely left.

`contact_meaning(contact)` runs the three readers (`emotion`, `agent_tone`, `resolution`)
once per contact and predicts satisfaction from what they found. Where the contact carries
what listening to its recording found (`Contact.audio`), a customer turn said in a raised
voice is one more emotion cue (`emotion.customer_emotion(raised=…)`). Scoring computes it for
every contact: its fields go into each `lingting score` result (FORMATS.md: `customer`,
`resolved`, `satisfaction_predicted`), and rules with meaning conditions (the `apology`
item: "when the customer is dissatisfied or angry, the agent apologises or soothes within two
turns") read it from the scan instead of reading the contact again.

Predicted satisfaction is a transparent sum, not a trained model: a neutral start of 0.6 and
one factor for each thing a QA reviewer would weigh — how the customer ended, a peak the
agent never calmed, whether the problem was solved, questions asked again, the agent's worst
tone, an apology when it was needed, a long wait in the queue. Each factor names the turns it
rests on (`why`), so a reviewer sees why a contact was predicted unhappy. The weights were set
by hand from the seeds' idea of service (seed 002 §五: attitude, resolving at first contact,
apologising), never fitted to any annotation: STC-3's satisfaction judgements measure them
(benchmarks/satisfaction_stc3.py) and stay out of their making.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Final, final

from lingting.engine.agent_tone import UNFRIENDLY, AgentTone, agent_tone
from lingting.engine.call_sound import RAISED_VOICE_DB
from lingting.engine.contacts import Contact
from lingting.engine.emotion import (
    ANGRY,
    ANXIOUS,
    DISSATISFIED,
    NEGATIVE,
    PLEASED,
    CustomerEmotion,
    TurnEmotion,
    customer_emotion,
)
from lingting.engine.meaning_cues import cue_index, reader_hits
from lingting.engine.phrase_cues import clip, to_hundredths
from lingting.engine.record_class import Record
from lingting.engine.resolution import REPEATED_QUESTION, Resolution, contact_resolution
from lingting.engine.rules.scan import CueHit, turn_end

_NEUTRAL_START: Final = 0.6
# How the customer's last turn moves the prediction, at full intensity (half at the least).
_END_EFFECT: Final = {PLEASED: 0.25, ANXIOUS: -0.15, DISSATISFIED: -0.3, ANGRY: -0.45}
_UNCALMED_PEAK: Final = -0.1  # upset earlier and never calmed, beyond how they ended
_CALMED: Final = 0.05
_RESOLVED: Final = 0.15
_UNRESOLVED: Final = -0.2
_REPEAT: Final = -0.05
_MAX_REPEATS: Final = 3
_UNFRIENDLY_AGENT: Final = -0.1  # plus as much again at full intensity
_APOLOGISED: Final = 0.05  # to a customer who was upset
# Seconds in the queue, longest first. Not Final: mypyc (of mypy 2.4) leaves a Final tuple of
# tuples unset at run time.
_WAIT_STEPS = ((180.0, -0.1), (60.0, -0.05))
# Voice detection may start a segment a little before the transcriber's turn time.
_TURN_SLACK_S: Final = 0.5


@final
class SatisfactionFactor(Record):
    """One reason behind a prediction: what, by how much, and the turns it rests on."""

    _fields = ("factor", "effect", "turns")
    __slots__ = _fields

    def __init__(self, factor: str, effect: float, turns: tuple[int, ...]) -> None:
        self.factor = factor
        self.effect = effect
        self.turns = turns

    def to_dict(self) -> dict[str, Any]:
        return {"factor": self.factor, "effect": self.effect, "turns": list(self.turns)}


@final
class Satisfaction(Record):
    _fields = ("value", "why")
    __slots__ = _fields

    def __init__(self, value: float, why: tuple[SatisfactionFactor, ...]) -> None:
        self.value = value  # 0–1: how satisfied the customer most likely left
        self.why = why


@final
class Meaning(Record):
    _fields = ("emotion", "tone", "resolution", "satisfaction")
    __slots__ = _fields

    def __init__(
        self,
        emotion: CustomerEmotion,
        tone: AgentTone,
        resolution: Resolution,
        satisfaction: Satisfaction | None,
    ) -> None:
        self.emotion = emotion
        self.tone = tone
        self.resolution = resolution
        self.satisfaction = satisfaction  # None when the customer never spoke

    @property
    def has_customer(self) -> bool:
        return bool(self.emotion.turns)

    def to_dict(self) -> dict[str, Any]:
        """The meaning fields of a `lingting score` result (FORMATS.md): null when the
        contact has no customer turns."""
        if self.satisfaction is None:
            return {
                "customer": None,
                "resolved": None,
                "satisfaction_predicted": None,
                "satisfaction_why": [],
            }
        customer = self.emotion.to_dict()
        customer["emotion_evidence"] = [
            {
                "turn": cue.turn,
                "start_char": cue.start_char,
                "end_char": cue.end_char,
                "text": cue.text,
                "emotion": cue.emotion,
            }
            for turn in self.emotion.turns
            if turn.evidence
            for cue in turn.evidence
        ]
        resolution = self.resolution.to_dict()
        return {
            "customer": customer,
            "resolved": resolution["resolved"],
            "resolution_reason": resolution["resolution_reason"],
            "resolution_evidence": resolution["resolution_evidence"],
            "satisfaction_predicted": self.satisfaction.value,
            "satisfaction_why": [factor.to_dict() for factor in self.satisfaction.why],
        }


@dataclass(slots=True)
class MeaningTally:
    """What a batch of contacts came to, for the line `lingting score` prints at the end."""

    with_customer: int = 0  # contacts where the customer spoke
    ended_angry: int = 0
    ended_upset: int = 0  # angry or dissatisfied at the end
    with_verdict: int = 0  # resolved true or false
    unresolved: int = 0
    satisfaction_sum: float = 0.0

    def add(self, meaning: Meaning) -> None:
        if meaning.satisfaction is None:
            return
        self.with_customer += 1
        end = meaning.emotion.end
        self.ended_angry += end == ANGRY
        self.ended_upset += end in (ANGRY, DISSATISFIED)
        resolved = meaning.resolution.resolved
        if resolved is not None:
            self.with_verdict += 1
            self.unresolved += not resolved
        self.satisfaction_sum += meaning.satisfaction.value

    def merge(self, other: MeaningTally) -> None:
        self.with_customer += other.with_customer
        self.ended_angry += other.ended_angry
        self.ended_upset += other.ended_upset
        self.with_verdict += other.with_verdict
        self.unresolved += other.unresolved
        self.satisfaction_sum += other.satisfaction_sum

    def describe(self) -> str:
        if not self.with_customer:
            return "customers: none spoke"
        spoke = self.with_customer
        unresolved = (
            f"{self.unresolved / self.with_verdict:.1%} of {self.with_verdict} with a verdict"
            if self.with_verdict
            else "n/a"
        )
        return (
            f"customers ({spoke} spoke): ending angry {self.ended_angry / spoke:.1%} · "
            f"ending angry or dissatisfied {self.ended_upset / spoke:.1%} · "
            f"unresolved {unresolved} · "
            f"mean predicted satisfaction {self.satisfaction_sum / spoke:.2f}"
        )


def contact_meaning(contact: Contact, hits: Sequence[CueHit] | None = None) -> Meaning:
    """`hits`: the cues scoring's scan found (`Scan.cue_hits`); without them, a pass of its own."""
    turns = contact.turns
    if hits is None:
        hits = cue_index().scan(contact).cue_hits
    found = reader_hits(turns, hits)
    raised = _raised_turns(contact) if contact.audio is not None else frozenset()
    emotion = customer_emotion(turns, found.emotion, raised)
    tone = agent_tone(turns, found.tone)
    resolution = contact_resolution(turns, found.resolution)
    satisfaction = (
        predicted_satisfaction(emotion, tone, resolution, contact.wait_s) if emotion.turns else None
    )
    return Meaning(emotion, tone, resolution, satisfaction)


def _raised_turns(contact: Contact) -> frozenset[int]:
    """The customer turns spoken when the recording heard the customer's voice jump."""
    sound = contact.audio
    if sound is None or not sound.stereo:
        return frozenset()
    moments = [segment.start for segment, _ in sound.raised_voice("customer", RAISED_VOICE_DB)]
    return frozenset(
        turn.index
        for turn in contact.turns
        if turn.speaker == "customer"
        and turn.start is not None
        and any(turn.start - _TURN_SLACK_S <= at <= turn_end(turn) for at in moments)
    )


def predicted_satisfaction(
    emotion: CustomerEmotion, tone: AgentTone, resolution: Resolution, wait_s: float | None
) -> Satisfaction:
    """0–1 and the factors behind it (see the module docstring)."""
    factors = [
        *_emotion_factors(emotion),
        *_resolution_factors(resolution),
        *_tone_factors(tone, emotion),
        *_wait_factors(wait_s),
    ]
    value = _NEUTRAL_START + sum(factor.effect for factor in factors)
    return Satisfaction(clip(value), tuple(factors))


def _emotion_factors(emotion: CustomerEmotion) -> list[SatisfactionFactor]:
    last = emotion.turns[-1]
    factors = []
    effect = _END_EFFECT.get(last.emotion)
    if effect is not None:
        factors.append(_factor(f"ended_{last.emotion}", effect * _strength(last.intensity), last))
    upset = [turn for turn in emotion.turns if turn.emotion in NEGATIVE]
    if upset:
        peak = max(upset, key=lambda turn: turn.intensity)
        if emotion.calmed:
            factors.append(_factor("calmed", _CALMED, peak))
        elif peak is not last:
            factors.append(_factor(f"peak_{peak.emotion}", _UNCALMED_PEAK * peak.intensity, peak))
    return factors


def _resolution_factors(resolution: Resolution) -> list[SatisfactionFactor]:
    turns = tuple(sorted({cue.turn for cue in resolution.evidence}))
    factors = []
    if resolution.resolved is True:
        factors.append(SatisfactionFactor("resolved", _RESOLVED, turns))
    elif resolution.resolved is False:
        factors.append(SatisfactionFactor(f"unresolved_{resolution.reason}", _UNRESOLVED, turns))
    repeats = [cue.turn for cue in resolution.evidence if cue.kind == REPEATED_QUESTION]
    if repeats:
        effect = _REPEAT * min(len(repeats), _MAX_REPEATS)
        factors.append(SatisfactionFactor("asked_again", to_hundredths(effect), tuple(repeats)))
    return factors


def _tone_factors(tone: AgentTone, emotion: CustomerEmotion) -> list[SatisfactionFactor]:
    factors = []
    if tone.worst in UNFRIENDLY and tone.worst_turn is not None:
        worst = next(turn for turn in tone.turns if turn.turn == tone.worst_turn)
        effect = _UNFRIENDLY_AGENT * (1.0 + worst.intensity)
        factors.append(
            SatisfactionFactor(f"agent_{tone.worst}", to_hundredths(effect), (worst.turn,))
        )
    upset = next((turn for turn in emotion.turns if turn.emotion in NEGATIVE), None)
    if upset is not None:
        answered = tone.apologised_or_soothed_after(upset.turn)
        if answered is not None:
            factors.append(SatisfactionFactor("apologised", _APOLOGISED, (answered,)))
    return factors


def _wait_factors(wait_s: float | None) -> list[SatisfactionFactor]:
    if wait_s is None:
        return []
    for threshold, effect in _WAIT_STEPS:
        if wait_s > threshold:
            return [SatisfactionFactor(f"waited_over_{threshold:.0f}s", effect, ())]
    return []


def _strength(intensity: float) -> float:
    """A cue's weight counts at least half: 好的谢谢 said flatly is still pleased."""
    return 0.5 + 0.5 * intensity


def _factor(name: str, effect: float, turn: TurnEmotion) -> SatisfactionFactor:
    return SatisfactionFactor(name, to_hundredths(effect), (turn.turn,))
