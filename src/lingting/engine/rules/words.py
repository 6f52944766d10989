"""The rule kinds on words: `phrases`, `regex`, `sequence`, `count` and `conditional`,
and the `within:` window that narrows them to part of the conversation."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from lingting.engine.results import Evidence
from lingting.engine.rules.matchers import (
    SPEAKER_NAMES,
    Matcher,
    PhraseMatcher,
    RegexMatcher,
    matched_words,
    quote_some,
)
from lingting.engine.rules.meaning import meaning_read
from lingting.engine.rules.scan import Scan, Searched, Span, turn_end, turn_start
from lingting.engine.rules.verdicts import NO_TURNS, PASS, Rule, Verdict


@dataclass(frozen=True, slots=True)
class Window:
    """`within:` — only part of the conversation counts (one of the four limits)."""

    first_turns: int | None = None
    last_turns: int | None = None
    first_seconds: float | None = None
    last_seconds: float | None = None

    def positions(self, scan: Scan, speaker: str | None, lo: int, hi: int) -> Sequence[int]:
        """The speaker's turns inside the window; empty when the contact cannot tell."""
        positions = scan.positions(speaker, lo, hi)
        if self.first_turns is not None:
            return positions[: self.first_turns]
        if self.last_turns is not None:
            return positions[-self.last_turns :]
        if not scan.timed:
            return ()
        turns = scan.turns
        if self.first_seconds is not None:
            limit = self.first_seconds
            return [p for p in positions if turn_start(turns[p]) < limit]
        ends = max(turn_end(t) for t in turns)
        limit = ends - (self.last_seconds or 0.0)
        return [p for p in positions if turn_end(turns[p]) > limit]

    def describe(self, speaker: str | None) -> str:
        who = SPEAKER_NAMES.get(speaker, "")
        if self.first_turns == 1:
            return f"{who}第一句"
        if self.first_turns is not None:
            return f"{who}前 {self.first_turns} 句"
        if self.last_turns is not None:
            return f"{who}最后 {self.last_turns} 句"
        if self.first_seconds is not None:
            return f"前 {self.first_seconds:g} 秒内{who}"
        return f"最后 {self.last_seconds:g} 秒内{who}"


def describe_scope(speaker: str | None, window: Window | None) -> str:
    """Whose words, where: "客服第一句", "客服最后 2 句", "客服"."""
    return window.describe(speaker) if window else SPEAKER_NAMES.get(speaker, "")


@dataclass(frozen=True, slots=True)
class TextRule(Rule):
    """`phrases` and `regex`: words that must be said (required) or must not (forbidden)."""

    matcher: PhraseMatcher | RegexMatcher
    required: bool
    match_all: bool
    window: Window | None
    unsaid: str  # the detail when a required phrase was not said, e.g. "客服第一句没有说…"

    def evaluate(self, scan: Scan, lo: int, hi: int) -> Verdict:
        speaker = self.matcher.speaker
        if self.window is not None:
            positions = self.window.positions(scan, speaker, lo, hi)
            if not positions:
                return NO_TURNS
            lo, hi = positions[0], positions[-1]
        elif not scan.positions(speaker, lo, hi):
            return NO_TURNS
        if self.required and not self.match_all:
            # Most contacts say a required phrase: knowing that one was said is enough.
            if self.matcher.said(scan, lo, hi):
                return PASS
            return self._required(scan, [], lo, hi)
        spans = self.matcher.spans(scan, lo, hi)
        if self.required:
            return self._required(scan, spans, lo, hi)
        return self._forbidden(scan, spans)

    def _forbidden(self, scan: Scan, spans: list[Span]) -> Verdict:
        if not spans:
            return PASS
        if self.match_all and not self._all_said(spans):
            return PASS
        evidence = tuple(scan.evidence(s) for s in spans)
        who = SPEAKER_NAMES.get(self.matcher.speaker, "")
        return Verdict("fail", evidence, f"{who}说了{matched_words(spans)}", len(spans))

    def _required(self, scan: Scan, spans: list[Span], lo: int, hi: int) -> Verdict:
        if spans and (not self.match_all or self._all_said(spans)):
            return PASS
        detail = self.unsaid
        if self.match_all and isinstance(self.matcher, PhraseMatcher):
            missing = sorted(self.matcher.phrases - {s[3] for s in spans})
            detail = f"{describe_scope(self.matcher.speaker, self.window)}缺少{quote_some(missing)}"
        evidence: tuple[Evidence, ...] = ()
        if self.window is not None:
            positions = scan.positions(self.matcher.speaker, lo, hi)
            evidence = tuple(scan.turn_evidence(p) for p in positions)
        return Verdict("fail", evidence, detail)

    def _all_said(self, spans: list[Span]) -> bool:
        assert isinstance(self.matcher, PhraseMatcher)  # guaranteed by the config reader
        return {s[3] for s in spans} >= self.matcher.phrases

    def literals(self) -> Iterator[Searched]:
        yield from self.matcher.literals()


@dataclass(frozen=True, slots=True)
class Step:
    name: str
    matcher: PhraseMatcher
    required: bool


@dataclass(frozen=True, slots=True)
class Ending:
    """`until:` — how the agent ends a contact: the first of these words, or (when the call
    record says so) hanging up or closing the chat without them."""

    matcher: PhraseMatcher
    hangup_by: str | None

    def find(self, scan: Scan, lo: int, hi: int) -> tuple[int, str, tuple[Evidence, ...]] | None:
        """Where the contact was ended (the position of the ending turn; one past `hi` for a
        hang-up), how, and the evidence of it; None when it was not ended this way."""
        spans = self.matcher.spans(scan, lo, hi)
        if spans:
            who = SPEAKER_NAMES.get(self.matcher.speaker, "")
            return spans[0][0], f"{who}说“{spans[0][3]}”", (scan.evidence(spans[0]),)
        if self.hangup_by is None or scan.contact.hangup_by != self.hangup_by:
            return None
        said = scan.positions(self.hangup_by, lo, hi)
        evidence = (scan.turn_evidence(said[-1]),) if said else ()
        return hi + 1, f"{SPEAKER_NAMES.get(self.hangup_by, '')}挂机", evidence

    def describe(self) -> str:
        hangup = f"或{SPEAKER_NAMES.get(self.hangup_by, '')}挂机" if self.hangup_by else ""
        return f"{self.matcher.describe()}{hangup}"


@dataclass(frozen=True, slots=True)
class SequenceRule(Rule):
    """`sequence`: steps that must appear in order; reports missed and out-of-order steps.

    Each step's earliest occurrence after the previous step counts (greedy matching), so a
    step said only before an earlier step is "out of order", not "missing".

    With `until:` the steps must all come before the agent ends the contact, and the rule
    applies only to contacts so ended (the abusive-caller protocol: two warnings, then end).
    """

    steps: tuple[Step, ...]
    until: Ending | None = None

    def evaluate(self, scan: Scan, lo: int, hi: int) -> Verdict:
        if self.until is not None:
            return self._before_ending(self.until, scan, lo, hi)
        # Every party in the steps must have spoken, or there is no sequence to judge.
        if not all(scan.positions(step.matcher.speaker, lo, hi) for step in self.steps):
            return NO_TURNS
        return self._in_order(scan, lo, hi)

    def _before_ending(self, until: Ending, scan: Scan, lo: int, hi: int) -> Verdict:
        # An agent who ends the contact at once has skipped every step: no turns of theirs
        # before the ending is a failure here, not "nothing to judge".
        ending = until.find(scan, lo, hi)
        if ending is None:
            return Verdict("na", detail=f"没有出现{until.describe()}，不适用")
        position, how, evidence = ending
        verdict = self._in_order(scan, lo, position - 1)
        if verdict.outcome != "fail":
            return verdict
        detail = f"{how}结束之前：{verdict.detail}"
        return Verdict("fail", (*verdict.evidence, *evidence), detail, verdict.hits)

    def _in_order(self, scan: Scan, lo: int, hi: int) -> Verdict:
        cursor = (lo, -1)
        missing: list[str] = []
        skipped: list[str] = []
        misplaced: list[Span] = []
        misplaced_names: list[str] = []
        for step in self.steps:
            spans = step.matcher.spans(scan, lo, hi)
            if not spans:
                (missing if step.required else skipped).append(step.name)
                continue
            later = next((s for s in spans if (s[0], s[1]) > cursor), None)
            if later is None:
                misplaced.append(spans[0])
                misplaced_names.append(step.name)
            else:
                cursor = (later[0], later[1])
        detail = _sequence_detail(missing, misplaced_names, skipped)
        if missing or misplaced:
            evidence = tuple(scan.evidence(s) for s in misplaced)
            return Verdict("fail", evidence, detail, len(missing) + len(misplaced))
        return Verdict("pass", detail=detail)

    def literals(self) -> Iterator[Searched]:
        for step in self.steps:
            yield from step.matcher.literals()
        if self.until is not None:
            yield from self.until.matcher.literals()


def _sequence_detail(missing: list[str], misplaced: list[str], skipped: list[str]) -> str:
    parts = []
    if missing:
        parts.append("缺少步骤：" + "、".join(missing))
    if misplaced:
        parts.append("顺序不对：" + "、".join(misplaced))
    if skipped:
        parts.append("未见（不扣分）：" + "、".join(skipped))
    return "；".join(parts)


@dataclass(frozen=True, slots=True)
class CountRule(Rule):
    """`count`: too many occurrences, in absolute terms or per 100 spoken characters."""

    matcher: Matcher
    max_hits: int | None
    max_per_100_chars: float | None
    min_hits: int

    def evaluate(self, scan: Scan, lo: int, hi: int) -> Verdict:
        positions = scan.positions(self.matcher.speaker, lo, hi)
        if not positions:
            return NO_TURNS
        spans = self.matcher.spans(scan, lo, hi)
        count = len(spans)
        if self.max_hits is not None and count > self.max_hits:
            return self._fail(scan, spans, f"出现 {count} 次（上限 {self.max_hits} 次）")
        if self.max_per_100_chars is None or count < max(self.min_hits, 1):
            return PASS
        chars = sum(scan.spoken_chars(p) for p in positions)
        rate = 100.0 * count / chars if chars else 0.0
        if rate > self.max_per_100_chars:
            limit = f"{self.max_per_100_chars:g}"
            return self._fail(scan, spans, f"{count} 次，每百字 {rate:.1f} 次（上限 {limit}）")
        return PASS

    def _fail(self, scan: Scan, spans: list[Span], detail: str) -> Verdict:
        evidence = tuple(scan.evidence(s) for s in spans)
        return Verdict("fail", evidence, f"{matched_words(spans)}{detail}", len(spans))

    def literals(self) -> Iterator[Searched]:
        yield from self.matcher.literals()


@dataclass(frozen=True, slots=True)
class ConditionalRule(Rule):
    """`conditional`: when the trigger occurs, the response must follow within N turns.

    Only the first trigger of each turn counts. A trigger with no turn of the responding
    speaker after it (the transcript ends) is not held against the agent.
    """

    trigger: Matcher
    response: Matcher
    within_turns: int

    def evaluate(self, scan: Scan, lo: int, hi: int) -> Verdict:
        triggers = self.trigger.spans(scan, lo, hi)
        if not triggers:
            return Verdict("na", detail="未出现触发情形")
        answered = {s[0] for s in self.response.spans(scan, lo, hi)}
        replies = scan.positions(self.response.speaker, lo, hi)
        unanswered: list[Span] = []
        judged = False
        seen: set[int] = set()
        for span in triggers:
            if span[0] in seen:
                continue
            seen.add(span[0])
            window = [p for p in replies if p > span[0]][: self.within_turns]
            if window:
                judged = True
                if answered.isdisjoint(window):
                    unanswered.append(span)
        if not judged:
            return Verdict("na", detail="触发后没有可检查的回应")
        if not unanswered:
            return PASS
        said = matched_words(unanswered)
        read = meaning_read(self.trigger)
        if read is not None:
            said += f"（{read}）"  # the words may be what a meaning rests on: say which
        detail = (
            f"{SPEAKER_NAMES.get(self.trigger.speaker, '')}说了{said}后，"
            f"{SPEAKER_NAMES.get(self.response.speaker, '')}在 {self.within_turns} 句内"
            f"没有{self.response.describe()}之类的回应"
        )
        evidence = tuple(scan.evidence(s) for s in unanswered)
        return Verdict("fail", evidence, detail, len(unanswered))

    def literals(self) -> Iterator[Searched]:
        yield from self.trigger.literals()
        yield from self.response.literals()
