"""The rule kinds on timings and call records: `answer_speed`, `speech_rate`, `dead_air`,
`interruption`, `hold` and `hangup`. A text contact has no timings: these answer "na".
`dead_air` and `interruption` judge the recording itself where the contact carries what
listening to it found (`Contact.audio`), the turn times otherwise."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Final

from lingting.engine.call_sound import CallSound
from lingting.engine.contacts import Contact, Hold
from lingting.engine.results import Evidence
from lingting.engine.rules.matchers import PhraseMatcher
from lingting.engine.rules.scan import Scan, Searched, turn_end, turn_start
from lingting.engine.rules.verdicts import NO_TIMINGS, NO_TURNS, PASS, Rule, Verdict


@dataclass(frozen=True, slots=True)
class AnswerSpeedRule(Rule):
    """`answer_speed`: answered within N rings; from times when the switch gave no ring count.

    Without `rings`, the ring time is answered_at − started_at, one ring being
    `seconds_per_ring` seconds of it, but only for a contact that never queued: time in the
    ACD queue (`queued_at`, `wait_s`) is the center's staffing, not the agent's answering,
    and the record does not say when the agent's phone began to ring, so that is `na`.
    """

    max_rings: int
    seconds_per_ring: float

    def evaluate(self, scan: Scan, lo: int, hi: int) -> Verdict:
        contact = scan.contact
        if contact.direction == "outbound":
            return Verdict("na", detail="外呼由客户接听，不适用")
        if contact.rings is not None:
            if contact.rings <= self.max_rings:
                return PASS
            return Verdict(
                "fail", detail=f"响铃 {contact.rings} 声才接听（标准 {self.max_rings} 声内）"
            )
        if contact.queued_at is not None or contact.wait_s is not None:
            return Verdict("na", detail="排队时间不计入坐席振铃；话单没有振铃次数")
        wait = _ring_seconds(contact)
        if wait is None:
            return Verdict("na", detail="没有振铃次数或应答时间")
        limit = self.max_rings * self.seconds_per_ring
        if wait <= limit:
            return PASS
        return Verdict("fail", detail=f"等待 {wait:.0f} 秒才接听（标准 {limit:g} 秒内）")

    def literals(self) -> Iterator[Searched]:
        return iter(())


def _ring_seconds(contact: Contact) -> float | None:
    if contact.answered_at is None or contact.started_at is None:
        return None
    return (contact.answered_at - contact.started_at).total_seconds()


@dataclass(frozen=True, slots=True)
class SpeechRateRule(Rule):
    """`speech_rate`: spoken characters per minute over the speaker's timed turns.

    Evidence is the fastest turn when too fast, the slowest when too slow; turns shorter than
    `min_turn_chars` are too short to have a meaningful rate of their own.
    """

    speaker: str | None
    min_cpm: float
    max_cpm: float
    min_speaking_s: float
    min_turn_chars: int

    def evaluate(self, scan: Scan, lo: int, hi: int) -> Verdict:
        if not scan.timed:
            return NO_TIMINGS
        rates: list[tuple[float, int]] = []
        chars = 0
        seconds = 0.0
        for position in scan.positions(self.speaker, lo, hi):
            turn = scan.turns[position]
            duration = turn_end(turn) - turn_start(turn)
            spoken = scan.spoken_chars(position)
            if duration <= 0 or not spoken:
                continue
            chars += spoken
            seconds += duration
            if spoken >= self.min_turn_chars:
                rates.append((60.0 * spoken / duration, position))
        if seconds < self.min_speaking_s:
            return Verdict("na", detail="说话时间太短，无法判断语速")
        cpm = 60.0 * chars / seconds
        if self.min_cpm <= cpm <= self.max_cpm:
            return PASS
        too_fast = cpm > self.max_cpm
        band = f"{self.min_cpm:g}–{self.max_cpm:g}"
        detail = f"语速 {cpm:.0f} 字/分，{'过快' if too_fast else '过慢'}（标准 {band} 字/分）"
        evidence: tuple[Evidence, ...] = ()
        if rates:
            _, position = max(rates) if too_fast else min(rates)
            evidence = (scan.turn_evidence(position),)
        return Verdict("fail", evidence, detail)

    def literals(self) -> Iterator[Searched]:
        return iter(())


@dataclass(frozen=True, slots=True)
class DeadAirRule(Rule):
    """`dead_air`: silences between turns longer than `max_gap_s`, hold time excluded.

    A silence right after an agent turn that announced it (请稍等…) may last up to
    `max_gap_after_notice_s`: the customer was told, which is what the standard asks.
    """

    max_gap_s: float
    max_count: int
    notice: PhraseMatcher | None
    max_gap_after_notice_s: float

    def evaluate(self, scan: Scan, lo: int, hi: int) -> Verdict:
        if scan.contact.audio is not None:
            return self._heard(scan, scan.contact.audio, lo, hi)
        if not scan.timed:
            return NO_TIMINGS
        if hi <= lo:
            return NO_TURNS if hi < lo else PASS
        noticed = {s[0] for s in self.notice.spans(scan, lo, hi)} if self.notice else set()
        holds = scan.contact.holds
        turns = scan.turns
        silences: list[tuple[int | None, float]] = []
        spoken_until = turn_end(turns[lo])
        last_turn = lo
        for position in range(lo + 1, hi + 1):
            turn = turns[position]
            gap = turn_start(turn) - spoken_until
            if gap > 0 and holds:
                gap -= _hold_overlap(holds, spoken_until, turn_start(turn))
            limit = self.max_gap_after_notice_s if last_turn in noticed else self.max_gap_s
            if gap > limit:
                silences.append((position, gap))
            if turn_end(turn) >= spoken_until:
                spoken_until, last_turn = turn_end(turn), position
        return self._judged(scan, silences, "")

    def _heard(self, scan: Scan, sound: CallSound, lo: int, hi: int) -> Verdict:
        """Dead air as the recording has it: both channels silent (hold time excluded)."""
        begin, end = _time_span(scan, lo, hi)
        noticed = {s[0] for s in self.notice.spans(scan, lo, hi)} if self.notice else set()
        holds = scan.contact.holds
        silences: list[tuple[int | None, float]] = []
        for start, stop in sound.silences:
            if start < begin or stop > end:
                continue
            gap = stop - start - (_hold_overlap(holds, start, stop) if holds else 0.0)
            before = scan.position_at(start - _TOLERANCE_S)
            limit = self.max_gap_after_notice_s if before in noticed else self.max_gap_s
            if gap > limit:
                silences.append((scan.position_at(stop - _TOLERANCE_S), gap))
        return self._judged(scan, silences, "录音中")

    def _judged(self, scan: Scan, silences: list[tuple[int | None, float]], where: str) -> Verdict:
        if len(silences) <= self.max_count:
            return PASS
        evidence = tuple(scan.turn_evidence(p) for p, _ in silences if p is not None)
        gaps = "、".join(f"{gap:.0f}" for _, gap in silences)
        detail = f"{where}冷场 {len(silences)} 次（{gaps} 秒；标准不超过 {self.max_gap_s:g} 秒）"
        return Verdict("fail", evidence, detail, len(silences))

    def literals(self) -> Iterator[Searched]:
        if self.notice is not None:
            yield from self.notice.literals()


def _hold_overlap(holds: Iterable[Hold], start: float, end: float) -> float:
    return sum(max(0.0, min(end, h.end) - max(start, h.start)) for h in holds)


# Turn times and the recording's voice detection disagree by a few hundred milliseconds.
_TOLERANCE_S: Final = 0.5


def _time_span(scan: Scan, lo: int, hi: int) -> tuple[float, float]:
    """The seconds the turns lo..hi cover; the whole call when that is all of it, or when
    the turns have no times to tell."""
    if (lo <= 0 and hi >= scan.last) or not scan.timed or hi < lo:
        return 0.0, float("inf")
    return turn_start(scan.turns[lo]) - _TOLERANCE_S, turn_end(scan.turns[hi]) + _TOLERANCE_S


@dataclass(frozen=True, slots=True)
class InterruptionRule(Rule):
    """`interruption`: the agent starts while the customer is still speaking.

    An overlap shorter than `min_overlap_s` is a normal back-channel (嗯, 好的), not an
    interruption.
    """

    min_overlap_s: float
    max_count: int

    def evaluate(self, scan: Scan, lo: int, hi: int) -> Verdict:
        sound = scan.contact.audio
        if sound is not None and sound.stereo:
            return self._heard(scan, sound, lo, hi)
        if not scan.timed:
            return NO_TIMINGS
        turns = scan.turns
        customer_until = -1.0
        interruptions: list[int | None] = []
        for position in range(lo, hi + 1):
            turn = turns[position]
            if turn.speaker == "customer":
                customer_until = turn_end(turn)
            elif turn.speaker == "agent":
                overlap = min(customer_until, turn_end(turn)) - turn_start(turn)
                if overlap >= self.min_overlap_s:
                    interruptions.append(position)
        return self._judged(scan, interruptions, "")

    def _heard(self, scan: Scan, sound: CallSound, lo: int, hi: int) -> Verdict:
        """Interruptions as the recording has them: the agent's channel starts while the
        customer's is still speaking."""
        begin, end = _time_span(scan, lo, hi)
        interruptions = [
            scan.position_at(at, "agent")
            for at, _ in sound.interruptions("agent", self.min_overlap_s)
            if begin <= at <= end
        ]
        return self._judged(scan, interruptions, "录音中")

    def _judged(self, scan: Scan, interruptions: list[int | None], where: str) -> Verdict:
        if len(interruptions) <= self.max_count:
            return PASS
        evidence = tuple(scan.turn_evidence(p) for p in interruptions if p is not None)
        detail = f"{where}客户还在说话时插话 {len(interruptions)} 次"
        return Verdict("fail", evidence, detail, len(interruptions))

    def literals(self) -> Iterator[Searched]:
        return iter(())


@dataclass(frozen=True, slots=True)
class HoldRule(Rule):
    """`hold`: hold time limits, and a notice (请稍等…) before each hold starts."""

    max_total_s: float | None
    max_single_s: float | None
    notice: PhraseMatcher | None
    notice_turns: int

    def evaluate(self, scan: Scan, lo: int, hi: int) -> Verdict:
        contact = scan.contact
        holds = contact.holds
        total = sum(h.end - h.start for h in holds) if holds else contact.hold_s
        if total is None:
            return Verdict("na", detail="没有保持记录")
        problems: list[str] = []
        if self.max_total_s is not None and total > self.max_total_s:
            problems.append(f"保持共 {total:.0f} 秒（上限 {self.max_total_s:g} 秒）")
        longest = max((h.end - h.start for h in holds), default=0.0)
        if self.max_single_s is not None and longest > self.max_single_s:
            problems.append(f"单次保持 {longest:.0f} 秒（上限 {self.max_single_s:g} 秒）")
        unannounced = self._unannounced(scan, lo, hi)
        if unannounced:
            problems.append(f"{len(unannounced)} 次保持前未告知客户稍等")
        if not problems:
            return PASS
        evidence = tuple(scan.turn_evidence(p) for p in unannounced)
        return Verdict("fail", evidence, "；".join(problems), len(problems))

    def _unannounced(self, scan: Scan, lo: int, hi: int) -> list[int]:
        """The last agent turn before each hold that was not announced."""
        if self.notice is None or not scan.timed:
            return []
        announced = {s[0] for s in self.notice.spans(scan, lo, hi)}
        agent_turns = scan.positions(self.notice.speaker, lo, hi)
        missing: list[int] = []
        for hold in scan.contact.holds:
            before = [p for p in agent_turns if turn_start(scan.turns[p]) < hold.start]
            recent = before[-self.notice_turns :]
            if recent and announced.isdisjoint(recent):
                missing.append(recent[-1])
        return missing

    def literals(self) -> Iterator[Searched]:
        if self.notice is not None:
            yield from self.notice.literals()


@dataclass(frozen=True, slots=True)
class HangupRule(Rule):
    """`hangup`: who ended the call; the agent must not hang up before the customer."""

    forbidden_by: str

    def evaluate(self, scan: Scan, lo: int, hi: int) -> Verdict:
        hangup_by = scan.contact.hangup_by
        if hangup_by is None:
            return Verdict("na", detail="没有挂机方记录")
        if hangup_by != self.forbidden_by:
            return PASS
        said = scan.positions(self.forbidden_by, lo, hi)
        evidence = (scan.turn_evidence(said[-1]),) if said else ()
        return Verdict("fail", evidence, "客服先挂机")

    def literals(self) -> Iterator[Searched]:
        return iter(())
