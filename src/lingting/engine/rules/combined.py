"""The rule kinds that wrap other rules: `anchored` (judged only before or after an anchor),
`only_if:` (an item that applies to some contacts only) and `all` (several rules, one item)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Final

from lingting.engine.results import Evidence
from lingting.engine.rules.matchers import SPEAKER_NAMES, Matcher
from lingting.engine.rules.meaning import MeaningGate
from lingting.engine.rules.scan import Scan, Searched
from lingting.engine.rules.verdicts import Rule, Verdict


@dataclass(frozen=True, slots=True)
class AnchoredRule(Rule):
    """`anchored`: another rule, judged only on the turns after (or before) an anchor."""

    anchor: Matcher
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
        who = SPEAKER_NAMES.get(self.anchor.speaker, "")
        where = "之后" if self.after else "之前"
        evidence = (scan.evidence(anchor), *verdict.evidence)
        detail = f"{who}说了“{anchor[3]}”{where}，{verdict.detail}"
        return Verdict("fail", evidence, detail, verdict.hits)

    def literals(self) -> Iterator[Searched]:
        yield from self.anchor.literals()
        yield from self.rule.literals()


_OTHER_CHANNEL: Final = Verdict("na", detail="不适用于此渠道")
_OTHER_DIRECTION: Final = Verdict("na", detail="不适用于此呼叫方向")


@dataclass(frozen=True, slots=True)
class OnlyIf(Rule):
    """`only_if:` — the item applies only to some contacts (channel, direction, words said,
    what the contact meant)."""

    rule: Rule
    channels: frozenset[str] | None
    directions: frozenset[str] | None
    words: Matcher | None  # `said:` in the YAML
    meaning: MeaningGate | None = None

    def evaluate(self, scan: Scan, lo: int, hi: int) -> Verdict:
        contact = scan.contact
        if self.channels is not None and contact.channel not in self.channels:
            return _OTHER_CHANNEL
        if self.directions is not None and contact.direction not in self.directions:
            return _OTHER_DIRECTION
        if self.words is not None and not self.words.said(scan, lo, hi):
            return Verdict("na", detail=f"没有出现{self.words.describe()}，不适用")
        meaning = self.meaning
        if meaning is not None and (scan.meaning is None or not meaning.holds(scan.meaning)):
            return Verdict("na", detail=f"仅当{meaning.describe()}时适用")
        return self.rule.evaluate(scan, lo, hi)

    def literals(self) -> Iterator[Searched]:
        if self.words is not None:
            yield from self.words.literals()
        yield from self.rule.literals()


@dataclass(frozen=True, slots=True)
class AllOf(Rule):
    """`all`: several rules for one item; it fails when any of them fails."""

    rules: tuple[Rule, ...]

    def evaluate(self, scan: Scan, lo: int, hi: int) -> Verdict:
        failed: list[Verdict] = []
        settled = None
        for rule in self.rules:
            verdict = rule.evaluate(scan, lo, hi)
            if verdict.outcome == "fail":
                failed.append(verdict)
            elif settled is None or verdict.outcome == "pass":
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
