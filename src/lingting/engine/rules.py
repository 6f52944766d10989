"""The rule kinds a scorecard item can use, built from YAML settings and ready to score.

Speed comes from sharing one scan: a compiled scorecard puts every literal phrase of every
rule into Aho-Corasick automata (`PhraseIndex`, one per speaker, holding the phrases rules
look for in that speaker's turns), scans each turn of a contact once, and hands the rules a
`Scan` holding every hit by phrase. Rules then only look hits up; the few
regex rules run their own precompiled pattern over the turns of their speaker. Excusing
contexts (`except_in`) are checked in the text around a hit, not searched for.

Every rule answers `evaluate(scan, lo, hi) -> Verdict` over the turns at positions lo..hi
(inclusive), so that an `anchored` rule can narrow another rule to the turns before or after
an anchor. A rule that needs what a contact lacks (timings, a CDR field, any turn of its
speaker) answers "na": never a failure and never an exception.

Phrases are matched as written, except that ASCII and full-width punctuation are the same
(`，` and `,` both match a phrase written with either), because transcripts mix them freely.

The kinds, as written under an item's `rule:` (`speaker:` agent | customer | any, default
agent, wherever words are matched; `only_if:` {channel, direction, said} on any rule):

    phrases       mode: forbidden | required, match: any | all, phrases, except_in, within
    regex         mode, pattern, except_in, except_pattern, within
    sequence      steps: [{name, phrases, speaker, required}]
    count         phrases | pattern, except_in, max_hits, max_per_100_chars, min_hits
    conditional   trigger: {phrases…}, response: {phrases…}, within_turns
    anchored      anchor: {phrases…, occurrence: first | last}, position: after | before, rule
    all           rules: [rule, rule…]
    answer_speed  max_rings, seconds_per_ring
    speech_rate   min_cpm, max_cpm, min_speaking_s, min_turn_chars
    dead_air      max_gap_s, max_count, notice: {phrases}, max_gap_after_notice_s
    interruption  min_overlap_s, max_count
    hold          max_total_s, max_single_s, notice: {phrases, last_turns}
    hangup        fails_when_by: agent

`within:` is one of first_turns, last_turns, first_seconds, last_seconds.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal, NamedTuple, Protocol

import ahocorasick

from lingting.engine.contacts import SPEAKERS, Contact, Hold, Turn
from lingting.engine.results import Evidence

# (turn position, start char, end char, what matched: the canonical phrase or the regex text)
Span = tuple[int, int, int, str]
# (whose turns, None for anyone's; a phrase): what a rule needs the shared scan to find
Searched = tuple[str | None, str]
VerdictOutcome = Literal["pass", "fail", "na"]

SPEAKER_CHOICES = ("agent", "customer", "any")
_SPEAKER_NAMES: dict[str | None, str] = {"agent": "客服", "customer": "客户"}
# Characters that count as spoken: CJK ideographs, letters and digits — never punctuation,
# spaces or symbols. `\w` is exactly that plus "_".
_NOT_SPOKEN = re.compile(r"[\W_]+")
_TURN_SEPARATOR = "\n"  # never part of a phrase: phrases are checked to be on one line
_FULL_TO_HALF = {"，": ",", "？": "?", "！": "!", "：": ":", "；": ";", "（": "(", "）": ")"}
_HALF_TO_FULL = str.maketrans({half: full for full, half in _FULL_TO_HALF.items()})
_FULL_TO_HALF_TABLE = str.maketrans(_FULL_TO_HALF)
_MAX_VARIED_MARKS = 4  # beyond this, mixing widths inside one phrase would explode the variants


class RuleConfigError(ValueError):
    """A rule's settings are wrong; the message names the setting (e.g. `rule.within`)."""


class Verdict(NamedTuple):
    """What one rule decided for one contact (a tuple: rules build one per item per contact)."""

    outcome: VerdictOutcome
    evidence: tuple[Evidence, ...] = ()
    detail: str = ""
    hits: int = 0  # deductible occurrences, for items that lose points per hit


PASS = Verdict("pass")
NO_TURNS = Verdict("na", detail="没有可检查的对话")
NO_TIMINGS = Verdict("na", detail="没有时间信息（文字会话）")


def normalize_phrase(phrase: str) -> str:
    """The canonical form of a phrase: full-width punctuation (`,` → `，`)."""
    return phrase.translate(_HALF_TO_FULL)


def spoken_length(text: str) -> int:
    """How many characters of `text` are spoken: ideographs, letters, digits."""
    return len(text) - sum(len(run) for run in _NOT_SPOKEN.findall(text))


# ---------------------------------------------------------------------------------------------
# The shared scan


class Scan:
    """One contact as rules see it: its turns, who spoke each, and every phrase hit.

    A working object for one `score` call, so it is mutable (it caches character counts).
    """

    __slots__ = ("_spoken", "_timed", "by_speaker", "contact", "found", "last", "speakers", "turns")

    def __init__(self, contact: Contact) -> None:
        self.contact = contact
        self.turns: tuple[Turn, ...] = contact.turns
        # Hits by phrase, filled in by `PhraseIndex.scan`, only in the turns of the speakers
        # each phrase is searched for. A phrase's hits are in order within each speaker's.
        self.found: defaultdict[str, list[Span]] = defaultdict(list)
        self.speakers = [turn.speaker for turn in self.turns]
        self.last = len(self.turns) - 1
        self.by_speaker: defaultdict[str, list[int]] = defaultdict(list)
        for position, speaker in enumerate(self.speakers):
            self.by_speaker[speaker].append(position)
        self._spoken: dict[int, int] = {}
        self._timed: bool | None = None

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


class PhraseIndex:
    """Every phrase a scorecard's rules look for, in one Aho-Corasick automaton per speaker.

    Each speaker's turns are searched only for the phrases rules look for in that speaker's
    turns (or anyone's): customers' turns for complaints and requests, not for the agent's
    greetings. An automaton's cost per character grows with the distinct first characters
    of its phrases, so a customer's turn costs a fraction of an agent's.
    """

    def __init__(self, searched: Iterable[Searched]) -> None:
        wanted: dict[str | None, set[str]] = {}
        for speaker, phrase in searched:
            wanted.setdefault(speaker, set()).add(normalize_phrase(phrase))
        anyone = wanted.get(None, set())
        built: dict[frozenset[str], Any] = {}
        self._automata: dict[str, Any] = {}
        for speaker in sorted(SPEAKERS):
            phrases = frozenset(wanted.get(speaker, set()) | anyone)
            if phrases:
                if phrases not in built:
                    built[phrases] = _automaton(phrases)
                self._automata[speaker] = built[phrases]

    def scan(self, contact: Contact) -> Scan:
        """Find the phrases in each speaker's turns, in one pass over them joined together.

        One pass is markedly cheaper than one per turn; no phrase contains the separator, so
        no hit spans two turns. Hits arrive in text order, so the turn a hit belongs to
        only ever moves forward.
        """
        scan = Scan(contact)
        found, turns = scan.found, scan.turns
        for speaker, positions in scan.by_speaker.items():
            automaton = self._automata.get(speaker)
            if automaton is None:
                continue
            texts = [turns[position].text for position in positions]
            index, offset, limit = 0, 0, len(texts[0])
            for end, (phrase, length) in automaton.iter(_TURN_SEPARATOR.join(texts)):
                while end >= limit:
                    index += 1
                    offset = limit + 1
                    limit = offset + len(texts[index])
                stop = end + 1 - offset
                found[phrase].append((positions[index], stop - length, stop, phrase))
        return scan


def _automaton(phrases: Iterable[str]) -> Any:
    """An Aho-Corasick automaton finding each phrase, in every punctuation, as (phrase, length)."""
    automaton = ahocorasick.Automaton()
    for phrase in phrases:
        for key in _punctuation_variants(phrase):
            automaton.add_word(key, (phrase, len(key)))
    automaton.make_automaton()
    return automaton


def _punctuation_variants(phrase: str) -> list[str]:
    """The phrase with each punctuation mark either full- or half-width."""
    if sum(char in _FULL_TO_HALF for char in phrase) > _MAX_VARIED_MARKS:
        return [phrase, phrase.translate(_FULL_TO_HALF_TABLE)]  # all one way or the other
    variants = [""]
    for char in phrase:
        half = _FULL_TO_HALF.get(char)
        options = (char, half) if half else (char,)
        variants = [v + option for v in variants for option in options]
    return variants


# ---------------------------------------------------------------------------------------------
# Matchers: where a rule's words occur


class Matcher(Protocol):
    speaker: str | None

    def spans(self, scan: Scan, lo: int, hi: int) -> list[Span]:
        """Occurrences in turns lo..hi of this matcher's speaker, in conversation order."""
        ...

    def said(self, scan: Scan, lo: int, hi: int) -> bool: ...

    def literals(self) -> Iterator[Searched]: ...

    def describe(self) -> str: ...


@dataclass(frozen=True, slots=True)
class PhraseMatcher:
    """Literal phrases, except where they sit inside a longer excusing context.

    A context (`except_in`) is a longer phrase that contains one of the phrases, e.g.
    `不清楚的话` around `不清楚`: a hit is dropped when the context occurs in the turn around
    its whole span. Contexts are checked at the (rare) hits rather than searched for, which
    keeps them out of the shared automaton: its scanning cost grows with every distinct
    first character it holds.
    """

    phrases: frozenset[str]
    excusers: Mapping[str, tuple[str, ...]]  # phrase → contexts around it (all punctuations)
    speaker: str | None
    description: str = ""  # the first few phrases as written, quoted, for messages

    def spans(self, scan: Scan, lo: int, hi: int) -> list[Span]:
        found = scan.found
        present = self.phrases.intersection(found)
        if not present:
            return []
        speakers, speaker = scan.speakers, self.speaker
        spans = [
            hit
            for phrase in present
            for hit in found[phrase]
            if lo <= hit[0] <= hi and (speaker is None or speakers[hit[0]] == speaker)
        ]
        if spans and self.excusers:
            spans = [s for s in spans if not self._excused(scan, s)]
        spans.sort()
        return spans

    def said(self, scan: Scan, lo: int, hi: int) -> bool:
        """Whether any phrase occurs in turns lo..hi (stops at the first)."""
        found = scan.found
        speakers, speaker = scan.speakers, self.speaker
        for phrase in self.phrases.intersection(found):
            for hit in found[phrase]:
                position = hit[0]
                if (
                    lo <= position <= hi
                    and (speaker is None or speakers[position] == speaker)
                    and not (self.excusers and self._excused(scan, hit))
                ):
                    return True
        return False

    def _excused(self, scan: Scan, span: Span) -> bool:
        contexts = self.excusers.get(span[3])
        if not contexts:
            return False
        text = scan.turns[span[0]].text
        return any(_surrounds(text, context, span[1], span[2]) for context in contexts)

    def literals(self) -> Iterator[Searched]:
        return ((self.speaker, phrase) for phrase in self.phrases)

    def describe(self) -> str:
        return self.description


@dataclass(frozen=True, slots=True)
class RegexMatcher:
    """A regular expression, with optional literal contexts and an exclusion pattern."""

    pattern: re.Pattern[str]
    contexts: tuple[str, ...]  # literal contexts, in all punctuations
    exclude: re.Pattern[str] | None
    speaker: str | None

    def spans(self, scan: Scan, lo: int, hi: int) -> list[Span]:
        spans: list[Span] = []
        turns = scan.turns
        for position in scan.positions(self.speaker, lo, hi):
            text = turns[position].text
            found = [(position, m.start(), m.end(), m.group()) for m in self.pattern.finditer(text)]
            if found and self.exclude is not None:
                excluded = [(position, m.start(), m.end(), "") for m in self.exclude.finditer(text)]
                found = [s for s in found if not _covered(s, excluded)]
            spans.extend(s for s in found if s[2] > s[1] and not self._excused(text, s))
        return spans

    def _excused(self, text: str, span: Span) -> bool:
        return any(_surrounds(text, context, span[1], span[2]) for context in self.contexts)

    def said(self, scan: Scan, lo: int, hi: int) -> bool:
        return bool(self.spans(scan, lo, hi))

    def literals(self) -> Iterator[Searched]:
        return iter(())

    def describe(self) -> str:
        return f"/{self.pattern.pattern}/"


def _covered(span: Span, covers: Iterable[Span]) -> bool:
    return any(c[0] == span[0] and c[1] <= span[1] and span[2] <= c[2] for c in covers)


def _surrounds(text: str, context: str, start: int, end: int) -> bool:
    """Whether `context` occurs in `text` covering the whole of text[start:end]."""
    return text.find(context, max(0, end - len(context)), start + len(context)) >= 0


def _quote_some(words: Sequence[str], limit: int = 5) -> str:
    shown = "".join(f"“{w}”" for w in words[:limit])
    return shown + ("等" if len(words) > limit else "")


def _matched_words(spans: Iterable[Span]) -> str:
    return _quote_some(list(dict.fromkeys(s[3] for s in spans)))


# ---------------------------------------------------------------------------------------------
# Rules


class Rule(Protocol):
    def evaluate(self, scan: Scan, lo: int, hi: int) -> Verdict:
        """Decide over the turns at positions lo..hi (inclusive)."""
        ...

    def literals(self) -> Iterator[Searched]:
        """Every literal phrase this rule needs the shared scan to find, and in whose turns."""
        ...


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
            return [p for p in positions if _start(turns[p]) < limit]
        ends = max(_end(t) for t in turns)
        limit = ends - (self.last_seconds or 0.0)
        return [p for p in positions if _end(turns[p]) > limit]

    def describe(self, speaker: str | None) -> str:
        who = _SPEAKER_NAMES.get(speaker, "")
        if self.first_turns == 1:
            return f"{who}第一句"
        if self.first_turns is not None:
            return f"{who}前 {self.first_turns} 句"
        if self.last_turns is not None:
            return f"{who}最后 {self.last_turns} 句"
        if self.first_seconds is not None:
            return f"前 {self.first_seconds:g} 秒内{who}"
        return f"最后 {self.last_seconds:g} 秒内{who}"


def _scope(speaker: str | None, window: Window | None) -> str:
    """Whose words, where: "客服第一句", "客服最后 2 句", "客服"."""
    return window.describe(speaker) if window else _SPEAKER_NAMES.get(speaker, "")


def _start(turn: Turn) -> float:
    return turn.start if turn.start is not None else 0.0


def _end(turn: Turn) -> float:
    return turn.end if turn.end is not None else _start(turn)


@dataclass(frozen=True, slots=True)
class TextRule:
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
        who = _SPEAKER_NAMES.get(self.matcher.speaker, "")
        return Verdict("fail", evidence, f"{who}说了{_matched_words(spans)}", len(spans))

    def _required(self, scan: Scan, spans: list[Span], lo: int, hi: int) -> Verdict:
        if spans and (not self.match_all or self._all_said(spans)):
            return PASS
        detail = self.unsaid
        if self.match_all and isinstance(self.matcher, PhraseMatcher):
            missing = sorted(self.matcher.phrases - {s[3] for s in spans})
            detail = f"{_scope(self.matcher.speaker, self.window)}缺少{_quote_some(missing)}"
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
class SequenceRule:
    """`sequence`: steps that must appear in order; reports missed and out-of-order steps.

    Each step's earliest occurrence after the previous step counts (greedy matching), so a
    step said only before an earlier step is "out of order", not "missing".
    """

    steps: tuple[Step, ...]

    def evaluate(self, scan: Scan, lo: int, hi: int) -> Verdict:
        # Every party in the steps must have spoken, or there is no sequence to judge.
        if not all(scan.positions(step.matcher.speaker, lo, hi) for step in self.steps):
            return NO_TURNS
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
class CountRule:
    """`count`: too many occurrences, in absolute terms or per 100 spoken characters."""

    matcher: PhraseMatcher | RegexMatcher
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
        return Verdict("fail", evidence, f"{_matched_words(spans)}{detail}", len(spans))

    def literals(self) -> Iterator[Searched]:
        yield from self.matcher.literals()


@dataclass(frozen=True, slots=True)
class ConditionalRule:
    """`conditional`: when the trigger occurs, the response must follow within N turns.

    Only the first trigger of each turn counts. A trigger with no turn of the responding
    speaker after it (the transcript ends) is not held against the agent.
    """

    trigger: PhraseMatcher | RegexMatcher
    response: PhraseMatcher | RegexMatcher
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
        detail = (
            f"{_SPEAKER_NAMES.get(self.trigger.speaker, '')}说了{_matched_words(unanswered)}后，"
            f"{_SPEAKER_NAMES.get(self.response.speaker, '')}在 {self.within_turns} 句内"
            f"没有{self.response.describe()}之类的回应"
        )
        evidence = tuple(scan.evidence(s) for s in unanswered)
        return Verdict("fail", evidence, detail, len(unanswered))

    def literals(self) -> Iterator[Searched]:
        yield from self.trigger.literals()
        yield from self.response.literals()


@dataclass(frozen=True, slots=True)
class AnchoredRule:
    """`anchored`: another rule, judged only on the turns after (or before) an anchor."""

    anchor: PhraseMatcher | RegexMatcher
    use_last: bool
    after: bool
    rule: Rule

    def evaluate(self, scan: Scan, lo: int, hi: int) -> Verdict:
        spans = self.anchor.spans(scan, lo, hi)
        if not spans:
            return Verdict("na", detail=f"没有出现{self.anchor.describe()}")
        anchor = spans[-1] if self.use_last else spans[0]
        position = anchor[0]
        if self.after:
            verdict = self.rule.evaluate(scan, position + 1, hi)
        else:
            verdict = self.rule.evaluate(scan, lo, position - 1)
        if verdict.outcome != "fail":
            return verdict
        who = _SPEAKER_NAMES.get(self.anchor.speaker, "")
        where = "之后" if self.after else "之前"
        evidence = (scan.evidence(anchor), *verdict.evidence)
        detail = f"{who}说了“{anchor[3]}”{where}，{verdict.detail}"
        return Verdict("fail", evidence, detail, verdict.hits)

    def literals(self) -> Iterator[Searched]:
        yield from self.anchor.literals()
        yield from self.rule.literals()


_OTHER_CHANNEL = Verdict("na", detail="不适用于此渠道")
_OTHER_DIRECTION = Verdict("na", detail="不适用于此呼叫方向")


@dataclass(frozen=True, slots=True)
class OnlyIf:
    """`only_if:` — the item applies only to some contacts (channel, direction, words said)."""

    rule: Rule
    channels: frozenset[str] | None
    directions: frozenset[str] | None
    words: PhraseMatcher | RegexMatcher | None  # `said:` in the YAML

    def evaluate(self, scan: Scan, lo: int, hi: int) -> Verdict:
        contact = scan.contact
        if self.channels is not None and contact.channel not in self.channels:
            return _OTHER_CHANNEL
        if self.directions is not None and contact.direction not in self.directions:
            return _OTHER_DIRECTION
        if self.words is not None and not self.words.said(scan, lo, hi):
            return Verdict("na", detail=f"没有出现{self.words.describe()}，不适用")
        return self.rule.evaluate(scan, lo, hi)

    def literals(self) -> Iterator[Searched]:
        if self.words is not None:
            yield from self.words.literals()
        yield from self.rule.literals()


@dataclass(frozen=True, slots=True)
class AllOf:
    """`all`: several rules for one item; it fails when any of them fails."""

    rules: tuple[Rule, ...]

    def evaluate(self, scan: Scan, lo: int, hi: int) -> Verdict:
        failed: list[Verdict] = []
        settled = None
        for rule in self.rules:
            verdict = rule.evaluate(scan, lo, hi)
            if verdict[0] == "fail":
                failed.append(verdict)
            elif settled is None or verdict[0] == "pass":
                settled = verdict
        if not failed:
            assert settled is not None  # an `all` rule has at least two rules
            return settled
        if len(failed) == 1:
            return failed[0]
        evidence = tuple(sorted((e for v in failed for e in v.evidence), key=_evidence_order))
        detail = "；".join(v.detail for v in failed if v.detail)
        return Verdict("fail", evidence, detail, sum(v.hits for v in failed))

    def literals(self) -> Iterator[Searched]:
        for rule in self.rules:
            yield from rule.literals()


def _evidence_order(evidence: Evidence) -> tuple[int, int]:
    return evidence.turn, evidence.start_char


# ---------------------------------------------------------------------------------------------
# Rules on timings and call records


@dataclass(frozen=True, slots=True)
class AnswerSpeedRule:
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
class SpeechRateRule:
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
            duration = _end(turn) - _start(turn)
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
class DeadAirRule:
    """`dead_air`: silences between turns longer than `max_gap_s`, hold time excluded.

    A silence right after an agent turn that announced it (请稍等…) may last up to
    `max_gap_after_notice_s`: the customer was told, which is what the standard asks.
    """

    max_gap_s: float
    max_count: int
    notice: PhraseMatcher | None
    max_gap_after_notice_s: float

    def evaluate(self, scan: Scan, lo: int, hi: int) -> Verdict:
        if not scan.timed:
            return NO_TIMINGS
        if hi <= lo:
            return NO_TURNS if hi < lo else PASS
        noticed = {s[0] for s in self.notice.spans(scan, lo, hi)} if self.notice else set()
        holds = scan.contact.holds
        turns = scan.turns
        silences: list[tuple[int, float]] = []
        spoken_until = _end(turns[lo])
        last_turn = lo
        for position in range(lo + 1, hi + 1):
            turn = turns[position]
            gap = _start(turn) - spoken_until
            if gap > 0 and holds:
                gap -= _hold_overlap(holds, spoken_until, _start(turn))
            limit = self.max_gap_after_notice_s if last_turn in noticed else self.max_gap_s
            if gap > limit:
                silences.append((position, gap))
            if _end(turn) >= spoken_until:
                spoken_until, last_turn = _end(turn), position
        if len(silences) <= self.max_count:
            return PASS
        evidence = tuple(scan.turn_evidence(p) for p, _ in silences)
        gaps = "、".join(f"{gap:.0f}" for _, gap in silences)
        detail = f"冷场 {len(silences)} 次（{gaps} 秒；标准不超过 {self.max_gap_s:g} 秒）"
        return Verdict("fail", evidence, detail, len(silences))

    def literals(self) -> Iterator[Searched]:
        if self.notice is not None:
            yield from self.notice.literals()


def _hold_overlap(holds: Iterable[Hold], start: float, end: float) -> float:
    return sum(max(0.0, min(end, h.end) - max(start, h.start)) for h in holds)


@dataclass(frozen=True, slots=True)
class InterruptionRule:
    """`interruption`: the agent starts while the customer is still speaking.

    An overlap shorter than `min_overlap_s` is a normal back-channel (嗯, 好的), not an
    interruption.
    """

    min_overlap_s: float
    max_count: int

    def evaluate(self, scan: Scan, lo: int, hi: int) -> Verdict:
        if not scan.timed:
            return NO_TIMINGS
        turns = scan.turns
        customer_until = -1.0
        interruptions: list[int] = []
        for position in range(lo, hi + 1):
            turn = turns[position]
            if turn.speaker == "customer":
                customer_until = _end(turn)
            elif turn.speaker == "agent":
                overlap = min(customer_until, _end(turn)) - _start(turn)
                if overlap >= self.min_overlap_s:
                    interruptions.append(position)
        if len(interruptions) <= self.max_count:
            return PASS
        evidence = tuple(scan.turn_evidence(p) for p in interruptions)
        detail = f"客户还在说话时插话 {len(interruptions)} 次"
        return Verdict("fail", evidence, detail, len(interruptions))

    def literals(self) -> Iterator[Searched]:
        return iter(())


@dataclass(frozen=True, slots=True)
class HoldRule:
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
            before = [p for p in agent_turns if _start(scan.turns[p]) < hold.start]
            recent = before[-self.notice_turns :]
            if recent and announced.isdisjoint(recent):
                missing.append(recent[-1])
        return missing

    def literals(self) -> Iterator[Searched]:
        if self.notice is not None:
            yield from self.notice.literals()


@dataclass(frozen=True, slots=True)
class HangupRule:
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


# ---------------------------------------------------------------------------------------------
# Reading rule settings from the YAML document


class _Settings:
    """One mapping of rule settings; every error names the exact setting."""

    def __init__(self, raw: object, where: str, allowed: Iterable[str]) -> None:
        if not isinstance(raw, dict):
            raise RuleConfigError(f"{where}: must be a mapping of settings, not {_kind_of(raw)}")
        unknown = sorted(str(k) for k in raw if k not in set(allowed))
        if unknown:
            raise RuleConfigError(
                f"{where}: unknown setting {', '.join(repr(k) for k in unknown)}"
                f" (allowed here: {', '.join(sorted(allowed))})"
            )
        self.raw: dict[str, Any] = raw
        self.where = where

    def has(self, key: str) -> bool:
        return key in self.raw

    def at(self, key: str) -> str:
        return f"{self.where}.{key}"

    def required(self, key: str) -> Any:
        if key not in self.raw:
            raise RuleConfigError(f"{self.where}: missing '{key}'")
        return self.raw[key]

    def phrases(self, key: str, *, required: bool = True) -> frozenset[str]:
        raw = self.required(key) if required else self.raw.get(key, [])
        if isinstance(raw, str):
            raw = [raw]
        if not isinstance(raw, list) or not all(isinstance(p, str) for p in raw):
            raise RuleConfigError(f"{self.at(key)}: must be a list of phrases (text)")
        if any(not p.strip() for p in raw):
            raise RuleConfigError(f"{self.at(key)}: contains an empty phrase")
        if any(_TURN_SEPARATOR in p for p in raw):
            raise RuleConfigError(f"{self.at(key)}: a phrase must be on one line")
        if required and not raw:
            raise RuleConfigError(f"{self.at(key)}: needs at least one phrase")
        return frozenset(normalize_phrase(p) for p in raw)

    def listed(self, key: str) -> list[str]:
        """A phrase list as written (already checked by `phrases`)."""
        raw = self.raw.get(key, [])
        return [raw] if isinstance(raw, str) else list(raw)

    def number(self, key: str, default: float | None = None, *, minimum: float = 0.0) -> float:
        value = self.raw.get(key, default) if default is not None else self.required(key)
        if isinstance(value, bool) or not isinstance(value, int | float) or value < minimum:
            raise RuleConfigError(f"{self.at(key)}: must be a number ≥ {minimum:g}, not {value!r}")
        return float(value)

    def optional_number(self, key: str) -> float | None:
        return self.number(key) if key in self.raw else None

    def whole(self, key: str, default: int | None = None, *, minimum: int = 0) -> int:
        value = self.raw.get(key, default) if default is not None else self.required(key)
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            raise RuleConfigError(
                f"{self.at(key)}: must be a whole number ≥ {minimum}, not {value!r}"
            )
        return value

    def choice(self, key: str, options: Sequence[str], default: str | None = None) -> str:
        value = self.raw.get(key, default) if default is not None else self.required(key)
        if value not in options:
            raise RuleConfigError(
                f"{self.at(key)}: must be one of {', '.join(options)}, not {value!r}"
            )
        return str(value)

    def text(self, key: str) -> str:
        value = self.required(key)
        if not isinstance(value, str) or not value.strip():
            raise RuleConfigError(f"{self.at(key)}: must be text")
        return value

    def flag(self, key: str, default: bool) -> bool:
        value = self.raw.get(key, default)
        if not isinstance(value, bool):
            raise RuleConfigError(f"{self.at(key)}: must be true or false, not {value!r}")
        return value

    def texts(self, key: str) -> frozenset[str]:
        raw = self.required(key)
        if isinstance(raw, str):
            raw = [raw]
        if not isinstance(raw, list) or not raw or not all(isinstance(v, str) for v in raw):
            raise RuleConfigError(f"{self.at(key)}: must be a list of names")
        return frozenset(raw)

    def speaker(self, default: str = "agent") -> str | None:
        value = self.choice("speaker", SPEAKER_CHOICES, default)
        return None if value == "any" else value


def _kind_of(value: object) -> str:
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return f"the text {value!r}"
    return "nothing" if value is None else type(value).__name__


_MATCH_KEYS = ("speaker", "phrases", "except_in")
_REGEX_KEYS = ("speaker", "pattern", "except_in", "except_pattern")
_WORDS_KEYS = ("speaker", "phrases", "pattern", "except_in", "except_pattern")


def _phrase_matcher(settings: _Settings, default_speaker: str = "agent") -> PhraseMatcher:
    phrases = settings.phrases("phrases")
    contexts = settings.phrases("except_in", required=False)
    for context in sorted(contexts):
        if context in phrases or not any(p in context for p in phrases):
            raise RuleConfigError(
                f"{settings.at('except_in')}: {context!r} must be a longer phrase that contains"
                " one of the phrases, otherwise it can never excuse a hit"
            )
    excusers = {
        phrase: tuple(v for c in sorted(contexts) if phrase in c for v in _punctuation_variants(c))
        for phrase in phrases
    }
    listed = list(dict.fromkeys(normalize_phrase(p) for p in settings.listed("phrases")))
    speaker = settings.speaker(default_speaker)
    excused = {p: c for p, c in excusers.items() if c}
    return PhraseMatcher(phrases, excused, speaker, _quote_some(listed))


def _regex_matcher(settings: _Settings, default_speaker: str = "agent") -> RegexMatcher:
    pattern = _compile(settings, "pattern")
    exclude = _compile(settings, "except_pattern") if settings.has("except_pattern") else None
    contexts = settings.phrases("except_in", required=False)
    variants = tuple(v for context in sorted(contexts) for v in _punctuation_variants(context))
    return RegexMatcher(pattern, variants, exclude, settings.speaker(default_speaker))


def _compile(settings: _Settings, key: str) -> re.Pattern[str]:
    source = settings.text(key)
    try:
        pattern = re.compile(source)
    except re.error as error:
        raise RuleConfigError(
            f"{settings.at(key)}: not a valid regular expression: {error}"
        ) from None
    if pattern.search("") is not None:
        raise RuleConfigError(f"{settings.at(key)}: matches empty text, so it matches everywhere")
    return pattern


def _matcher(settings: _Settings, default_speaker: str) -> PhraseMatcher | RegexMatcher:
    """A `{speaker, phrases | pattern, except_in}` block (trigger, response, anchor…)."""
    if settings.has("pattern") == settings.has("phrases"):
        raise RuleConfigError(f"{settings.where}: give either phrases or pattern")
    if settings.has("pattern"):
        return _regex_matcher(settings, default_speaker)
    if settings.has("except_pattern"):
        raise RuleConfigError(f"{settings.at('except_pattern')}: only for a pattern")
    return _phrase_matcher(settings, default_speaker)


def _matcher_at(settings: _Settings, key: str, *extra: str) -> _Settings:
    """The settings of a nested words block such as `trigger:`, checked for unknown keys."""
    return _Settings(settings.required(key), settings.at(key), (*_WORDS_KEYS, *extra))


def _window(settings: _Settings) -> Window | None:
    if not settings.has("within"):
        return None
    keys = ("first_turns", "last_turns", "first_seconds", "last_seconds")
    within = _Settings(settings.raw["within"], settings.at("within"), keys)
    given = [k for k in keys if within.has(k)]
    if len(given) != 1:
        raise RuleConfigError(f"{within.where}: give exactly one of {', '.join(keys)}")
    key = given[0]
    if key == "first_turns":
        return Window(first_turns=within.whole(key, minimum=1))
    if key == "last_turns":
        return Window(last_turns=within.whole(key, minimum=1))
    if key == "first_seconds":
        return Window(first_seconds=within.number(key))
    return Window(last_seconds=within.number(key))


def _text_rule(settings: _Settings, matcher: PhraseMatcher | RegexMatcher) -> TextRule:
    mode = settings.choice("mode", ("forbidden", "required"))
    match = settings.choice("match", ("any", "all"), "any")
    if match == "all" and isinstance(matcher, RegexMatcher):
        raise RuleConfigError(f"{settings.at('match')}: 'all' needs a list of phrases, not a regex")
    window = _window(settings)
    unsaid = f"{_scope(matcher.speaker, window)}没有说{matcher.describe()}中的任何一句"
    return TextRule(matcher, mode == "required", match == "all", window, unsaid)


def _build_phrases(s: _Settings) -> Rule:
    return _text_rule(s, _phrase_matcher(s))


def _build_regex(s: _Settings) -> Rule:
    return _text_rule(s, _regex_matcher(s))


def _build_sequence(s: _Settings) -> Rule:
    raw_steps = s.required("steps")
    if not isinstance(raw_steps, list) or len(raw_steps) < 2:
        raise RuleConfigError(f"{s.at('steps')}: must be a list of at least two steps")
    default_speaker = s.choice("speaker", SPEAKER_CHOICES, "agent")
    steps = []
    for number, raw in enumerate(raw_steps, 1):
        step = _Settings(raw, f"{s.at('steps')}[{number}]", ("name", "required", *_MATCH_KEYS))
        matcher = _phrase_matcher(step, default_speaker)
        steps.append(Step(step.text("name"), matcher, step.flag("required", True)))
    return SequenceRule(tuple(steps))


def _build_count(s: _Settings) -> Rule:
    matcher = _matcher(s, "agent")
    max_hits = s.whole("max_hits") if s.has("max_hits") else None
    max_rate = s.optional_number("max_per_100_chars")
    if max_hits is None and max_rate is None:
        raise RuleConfigError(f"{s.where}: give max_hits, max_per_100_chars or both")
    return CountRule(matcher, max_hits, max_rate, s.whole("min_hits", 1))


def _build_conditional(s: _Settings) -> Rule:
    trigger = _matcher(_matcher_at(s, "trigger"), "customer")
    response = _matcher(_matcher_at(s, "response"), "agent")
    return ConditionalRule(trigger, response, s.whole("within_turns", 2, minimum=1))


def _build_anchored(s: _Settings) -> Rule:
    anchor_settings = _matcher_at(s, "anchor", "occurrence")
    anchor = _matcher(anchor_settings, "customer")
    occurrence = anchor_settings.choice("occurrence", ("first", "last"), "first")
    position = s.choice("position", ("after", "before"))
    inner = build_rule(s.required("rule"), s.at("rule"))
    if isinstance(inner, AnswerSpeedRule | HangupRule | HoldRule):
        raise RuleConfigError(f"{s.at('rule')}: a call-record rule cannot be anchored to words")
    return AnchoredRule(anchor, occurrence == "last", position == "after", inner)


def _build_all(s: _Settings) -> Rule:
    raw = s.required("rules")
    if not isinstance(raw, list) or len(raw) < 2:
        raise RuleConfigError(f"{s.at('rules')}: must be a list of at least two rules")
    return AllOf(tuple(build_rule(r, f"{s.at('rules')}[{n}]") for n, r in enumerate(raw, 1)))


def _build_answer_speed(s: _Settings) -> Rule:
    return AnswerSpeedRule(s.whole("max_rings", minimum=1), s.number("seconds_per_ring", 5.0))


def _build_speech_rate(s: _Settings) -> Rule:
    low, high = s.number("min_cpm"), s.number("max_cpm")
    if low >= high:
        raise RuleConfigError(f"{s.where}: min_cpm must be below max_cpm")
    return SpeechRateRule(
        s.speaker(), low, high, s.number("min_speaking_s", 10.0), s.whole("min_turn_chars", 8)
    )


def _build_dead_air(s: _Settings) -> Rule:
    max_gap = s.number("max_gap_s")
    if not s.has("notice"):
        return DeadAirRule(max_gap, s.whole("max_count", 0), None, max_gap)
    notice = _phrase_matcher(_Settings(s.raw["notice"], s.at("notice"), _MATCH_KEYS))
    after_notice = s.number("max_gap_after_notice_s", max_gap)
    return DeadAirRule(max_gap, s.whole("max_count", 0), notice, after_notice)


def _build_interruption(s: _Settings) -> Rule:
    return InterruptionRule(s.number("min_overlap_s", 1.0), s.whole("max_count", 0))


def _build_hold(s: _Settings) -> Rule:
    notice = None
    turns = 1
    if s.has("notice"):
        keys = ("last_turns", *_MATCH_KEYS)
        notice_settings = _Settings(s.raw["notice"], s.at("notice"), keys)
        notice = _phrase_matcher(notice_settings)
        turns = notice_settings.whole("last_turns", 1, minimum=1)
    max_total, max_single = s.optional_number("max_total_s"), s.optional_number("max_single_s")
    if max_total is None and max_single is None and notice is None:
        raise RuleConfigError(f"{s.where}: give max_total_s, max_single_s or notice")
    return HoldRule(max_total, max_single, notice, turns)


def _build_hangup(s: _Settings) -> Rule:
    return HangupRule(s.choice("fails_when_by", ("agent", "customer"), "agent"))


_TEXT_KEYS = ("mode", "match", "within")
_KINDS: dict[str, tuple[tuple[str, ...], Callable[[_Settings], Rule]]] = {
    "phrases": ((*_MATCH_KEYS, *_TEXT_KEYS), _build_phrases),
    "regex": ((*_REGEX_KEYS, *_TEXT_KEYS), _build_regex),
    "sequence": (("steps", "speaker"), _build_sequence),
    "count": ((*_WORDS_KEYS, "max_hits", "max_per_100_chars", "min_hits"), _build_count),
    "conditional": (("trigger", "response", "within_turns"), _build_conditional),
    "anchored": (("anchor", "position", "rule"), _build_anchored),
    "all": (("rules",), _build_all),
    "answer_speed": (("max_rings", "seconds_per_ring"), _build_answer_speed),
    "speech_rate": (
        ("speaker", "min_cpm", "max_cpm", "min_speaking_s", "min_turn_chars"),
        _build_speech_rate,
    ),
    "dead_air": (("max_gap_s", "max_count", "notice", "max_gap_after_notice_s"), _build_dead_air),
    "interruption": (("min_overlap_s", "max_count"), _build_interruption),
    "hold": (("max_total_s", "max_single_s", "notice"), _build_hold),
    "hangup": (("fails_when_by",), _build_hangup),
}
RULE_KINDS = tuple(_KINDS)


def build_rule(raw: object, where: str = "rule") -> Rule:
    """Build a rule from its YAML settings, or raise `RuleConfigError` naming the setting."""
    if not isinstance(raw, dict):
        raise RuleConfigError(f"{where}: must be a mapping with a 'kind', not {_kind_of(raw)}")
    kind = raw.get("kind")
    if kind not in _KINDS:
        raise RuleConfigError(f"{where}.kind: must be one of {', '.join(RULE_KINDS)}, not {kind!r}")
    keys, build = _KINDS[kind]
    settings = _Settings(raw, where, ("kind", "only_if", *keys))
    rule = build(settings)
    if settings.has("only_if"):
        rule = _only_if(settings, rule)
    return rule


def _only_if(settings: _Settings, rule: Rule) -> Rule:
    keys = ("channel", "direction", "said")
    gate = _Settings(settings.raw["only_if"], settings.at("only_if"), keys)
    if not any(gate.has(k) for k in keys):
        raise RuleConfigError(f"{gate.where}: give channel, direction or said")
    channels = gate.texts("channel") if gate.has("channel") else None
    directions = gate.texts("direction") if gate.has("direction") else None
    said = _matcher(_matcher_at(gate, "said"), "customer") if gate.has("said") else None
    return OnlyIf(rule, channels, directions, said)
