"""The rule kinds on how a call sounded, from listening to its recording (`Contact.audio`):
`volume` (a speaker's level against the center's target), `level_gap` (the agent louder than
the customer) and `raised_voice` (a speaker's sudden jump in level). A contact nobody listened
to, or a mono recording that cannot tell the speakers apart, answers "na".

Levels in recordings are dBFS (see `lingting.engine.call_sound`); targets in dB, like seed
004's "音量一般要求是男性73dB、女性70dB", are checked through the calibration the scorecard
gives: honest only as far as that calibration is.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Final

from lingting.engine.call_sound import CallSound, to_db
from lingting.engine.rules.matchers import SPEAKER_NAMES
from lingting.engine.rules.scan import Scan, Searched
from lingting.engine.rules.verdicts import PASS, Rule, Verdict

_NOT_HEARD: Final = Verdict("na", detail="没有录音分析结果")
_MONO: Final = Verdict("na", detail="单声道录音，分不出双方")


def _stereo(scan: Scan) -> CallSound | Verdict:
    sound = scan.contact.audio
    if sound is None:
        return _NOT_HEARD
    return sound if sound.stereo else _MONO


def _no_literals() -> Iterator[Searched]:
    return iter(())


@dataclass(frozen=True, slots=True)
class VolumeRule(Rule):
    """`volume`: the speaker's active speech level, in dB by the calibration, within a band."""

    speaker: str
    min_db: float
    max_db: float
    reference_dbfs: float  # this level in the center's recordings…
    reference_db: float  # …was measured as this loud at the ear

    def evaluate(self, scan: Scan, lo: int, hi: int) -> Verdict:
        sound = _stereo(scan)
        if isinstance(sound, Verdict):
            return sound
        level = sound.levels_dbfs.get(self.speaker)
        if level is None:
            return Verdict("na", detail=f"{SPEAKER_NAMES[self.speaker]}没有说话")
        db = to_db(level, reference_dbfs=self.reference_dbfs, reference_db=self.reference_db)
        if self.min_db <= db <= self.max_db:
            return PASS
        loud = "过大" if db > self.max_db else "过小"
        return Verdict(
            "fail",
            detail=(
                f"{SPEAKER_NAMES[self.speaker]}音量约 {db:.0f} dB，{loud}（标准 {self.min_db:g}–"
                f"{self.max_db:g} dB；录音 {level:.1f} dBFS，按校准 {self.reference_dbfs:g} dBFS"
                f" = {self.reference_db:g} dB 换算）"
            ),
        )

    def literals(self) -> Iterator[Searched]:
        return _no_literals()


@dataclass(frozen=True, slots=True)
class LevelGapRule(Rule):
    """`level_gap`: the agent louder than the customer by more than `max_db` — talking down
    to them, or a headset set too loud. Both on the same recording chain, so no calibration."""

    max_db: float

    def evaluate(self, scan: Scan, lo: int, hi: int) -> Verdict:
        sound = _stereo(scan)
        if isinstance(sound, Verdict):
            return sound
        agent, customer = sound.levels_dbfs.get("agent"), sound.levels_dbfs.get("customer")
        if agent is None or customer is None:
            return Verdict("na", detail="一方没有说话，无法比较音量")
        gap = agent - customer
        if gap <= self.max_db:
            return PASS
        return Verdict(
            "fail", detail=f"客服比客户响 {gap:.1f} dB（标准不超过 {self.max_db:g} dB）", hits=1
        )

    def literals(self) -> Iterator[Searched]:
        return _no_literals()


@dataclass(frozen=True, slots=True)
class RaisedVoiceRule(Rule):
    """`raised_voice`: the speaker's voice jumps at least `min_jump_db` above how they spoke
    earlier in the call. For the customer it is a sign of anger the words may not show; for
    the agent, losing composure. Evidence: the turns spoken at those moments."""

    speaker: str
    min_jump_db: float

    def evaluate(self, scan: Scan, lo: int, hi: int) -> Verdict:
        sound = _stereo(scan)
        if isinstance(sound, Verdict):
            return sound
        raised = sound.raised_voice(self.speaker, self.min_jump_db)
        if not raised:
            return PASS
        positions = {scan.position_at(segment.start, self.speaker) for segment, _ in raised}
        turns = sorted(p for p in positions if p is not None)
        moments = "、".join(f"{segment.start:.0f} 秒处高 {jump:.0f} dB" for segment, jump in raised)
        detail = f"{SPEAKER_NAMES[self.speaker]}提高音量 {len(raised)} 次（{moments}）"
        return Verdict("fail", tuple(scan.turn_evidence(p) for p in turns), detail, len(raised))

    def literals(self) -> Iterator[Searched]:
        return _no_literals()
