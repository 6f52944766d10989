"""Scorecards: what one holds, compiled and scored (`scorecard_yaml` reads one from YAML).

A scorecard is sections of items. Each item has points, an A/B/C severity, maybe `fatal`,
and either a `rule` (an automatic item, see `lingting.engine.rules`) or none (a manual item
that a reviewer scores; its `judge` prompt lets a language model pre-score it, see
`lingting.engine.judge`). Scoring follows the center's arithmetic:

- an item's result is pass, fail, na (the rule cannot judge this contact) or manual;
- it loses its points when it fails, or `per_hit_points` per hit up to its points;
- score = 100 × (applicable points − points lost) / applicable points, rounded to 0.1,
  where `na` items are not applicable and manual items are (they lose nothing until a
  reviewer scores them); a failed fatal item makes the score 0;
- passed = not fatal, score ≥ pass_mark, and no failed item of a severity listed in
  `fail_on_severity` (Chinese centers grade a call with any A-class problem 不合格 whatever
  its points; the standard scorecard lists A).

A scorecard's identity is its declared `version` plus a fingerprint of its content, so two
files that both say "1.0" but differ can never be confused in stored results.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final, Literal, cast, final

import orjson

from lingting.engine.contacts import Contact
from lingting.engine.meaning import contact_meaning
from lingting.engine.meaning_cues import cue_lexicons
from lingting.engine.record_class import Record
from lingting.engine.results import SEVERITIES, ContactResult, ItemResult, passes, points_score
from lingting.engine.rules.scan import PhraseIndex
from lingting.engine.rules.verdicts import Rule, Verdict

ItemKind = Literal["auto", "manual"]
_RESULT_CACHE_LIMIT: Final = 64  # distinct pass/na results kept per item (their details are few)
_SCORED_CACHE_LIMIT: Final = 1024  # distinct sets of verdicts of contacts without a failure


class ScorecardError(ValueError):
    """A scorecard that cannot be used. `problems` lists every problem found, each naming
    the file, the item and what is wrong, so a supervisor can fix them all in one go."""

    def __init__(self, source: str, problems: Sequence[str]) -> None:
        self.source = source
        self.problems = tuple(problems)
        if len(self.problems) == 1:
            message = f"{source}: {self.problems[0]}"
        else:
            listed = "\n".join(f"  - {p}" for p in self.problems)
            message = f"{source}: {len(self.problems)} problems:\n{listed}"
        super().__init__(message)


@dataclass(frozen=True, slots=True)
class Section:
    id: str
    title: str
    title_en: str


@dataclass(frozen=True, slots=True)
class Example:
    """A small contact that an item must (or must not) fail on; `text` is how it reads."""

    contact: Contact
    text: str


@dataclass(frozen=True, slots=True)
class Examples:
    must_trigger: tuple[Example, ...] = ()
    must_not_trigger: tuple[Example, ...] = ()


@dataclass(frozen=True, slots=True)
class Item:
    id: str
    title: str
    title_en: str
    section: str
    points: float
    severity: str
    fatal: bool
    kind: ItemKind
    rule: Mapping[str, Any] | None  # the settings as written in the YAML
    description: str = ""
    per_hit_points: float | None = None
    examples: Examples = Examples()
    check: Rule | None = field(default=None, repr=False, compare=False)
    # A manual item's question for the model judge (`lingting.engine.judge`); "" for none.
    judge_prompt: str = ""

    def title_in(self, language: str) -> str:
        """The title for a UI language: English ("en…") when the scorecard gives one."""
        return self.title_en if language.startswith("en") and self.title_en else self.title


@dataclass(frozen=True, slots=True)
class Scorecard:
    name: str
    title: str
    title_en: str
    version: str
    pass_mark: float
    sections: tuple[Section, ...]
    items: tuple[Item, ...]
    source_text: str
    source: str
    fingerprint: str
    description: str = ""
    fail_on_severity: frozenset[str] = frozenset()
    _document: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)

    def titles_in(self, language: str) -> dict[str, str]:
        """Item id → title for a UI language (records keep the title they were made with)."""
        return {item.id: item.title_in(language) for item in self.items}

    @property
    def version_label(self) -> str:
        return f"{self.version}+{self.fingerprint[:8]}"

    @property
    def total_points(self) -> float:
        return sum(item.points for item in self.items)

    def item(self, item_id: str) -> Item:
        for item in self.items:
            if item.id == item_id:
                return item
        raise KeyError(item_id)

    def to_dict(self) -> dict[str, Any]:
        """The document as parsed from the YAML (plain data, safe to modify)."""
        copied: dict[str, Any] = json.loads(json.dumps(self._document, default=str))
        return copied

    def compile(self) -> CompiledScorecard:
        return CompiledScorecard(self)


# ---------------------------------------------------------------------------------------------
# Compiling and scoring


@final
class _Judged(Record):
    """What one automatic item's verdict comes to in a contact's score."""

    _fields = ("result", "json", "applicable", "lost")
    __slots__ = _fields

    def __init__(
        self,
        result: ItemResult,
        json: bytes | None,
        applicable: float,
        lost: float,
    ) -> None:
        self.result = result
        self.json = json  # None for a failure: its evidence is this contact's own
        # The item's points when they count towards the score, else 0.
        self.applicable = applicable
        self.lost = lost


@final
class _Scored(Record):
    """Everything in a contact's result but its id: the same for the same verdicts."""

    _fields = ("score", "passed", "fatal", "counts", "items", "json", "failed")
    __slots__ = (*_fields, "items_tail")

    def __init__(
        self,
        score: float,
        passed: bool,
        fatal: bool,
        counts: dict[str, int],
        items: tuple[ItemResult, ...],
        json: list[bytes | None],
        failed: tuple[int, ...],
    ) -> None:
        self.score = score
        self.passed = passed
        self.fatal = fatal
        self.counts = counts  # copied into each result, which may be changed
        self.items = items
        self.json = json  # each item's JSON, None for failures (encoded when asked)
        self.failed = failed  # the positions of the failures
        # The result's JSON from its items on, when no item failed: the same for every
        # contact with these verdicts, and most contacts pass (see `encode`).
        self.items_tail = None if failed else _items_tail(cast(list[bytes], json))


class _CompiledItem:
    """One automatic item, ready to turn its rule's verdicts into results."""

    __slots__ = ("fatal", "item", "per_hit_points", "points", "settled", "severity")

    def __init__(self, item: Item) -> None:
        self.item = item
        self.points = item.points
        self.severity = item.severity
        self.fatal = item.fatal
        self.per_hit_points = item.per_hit_points
        # Pass and na results are shared between contacts: they are immutable, and not
        # building (or encoding) them again and again is a good part of scoring speed.
        self.settled: dict[Verdict, _Judged] = {}

    def judge(self, verdict: Verdict) -> _Judged:
        """A verdict not settled before: a failure, or a pass or na seen for the first time."""
        if verdict.outcome == "fail":
            lost = self.points
            if self.per_hit_points is not None:
                lost = min(self.points, self.per_hit_points * max(verdict.hits, 1))
            return _Judged(self._result(verdict, lost), None, self.points, lost)
        result = self._result(verdict, 0.0)
        applicable = self.points if verdict.outcome == "pass" else 0.0
        judged = _Judged(result, orjson.dumps(result.to_dict()), applicable, 0.0)
        if len(self.settled) < _RESULT_CACHE_LIMIT:
            self.settled[verdict] = judged
        return judged

    def _result(self, verdict: Verdict, points_lost: float) -> ItemResult:
        item = self.item
        return ItemResult(
            item.id,
            item.title,
            verdict.outcome,
            points_lost,
            verdict.evidence,
            item.severity,
            item.fatal,
            verdict.detail,
        )


class CompiledScorecard:
    """A scorecard ready to score contacts: compile once, score many (thread-safe reads)."""

    def __init__(self, scorecard: Scorecard) -> None:
        self.scorecard = scorecard
        self._name = scorecard.name
        self._version_label = scorecard.version_label
        self._pass_mark = scorecard.pass_mark
        self._fail_on_severity = tuple(scorecard.fail_on_severity)
        # Manual results never change until a reviewer scores them; automatic slots hold
        # a placeholder until scored.
        self._template = [_manual_result(item) for item in scorecard.items]
        self._template_json: list[bytes | None] = [
            orjson.dumps(result.to_dict()) for result in self._template
        ]
        self._manual_points = 0.0
        self._auto: list[tuple[int, _CompiledItem]] = []
        rules: list[Rule] = []
        for slot, item in enumerate(scorecard.items):
            if item.check is None:
                self._manual_points += item.points
            else:
                self._auto.append((slot, _CompiledItem(item)))
                rules.append(item.check)
        self._rules = rules
        # Most contacts pass every item, or find it not applicable, the same few ways: their
        # verdicts are a key to all of their result but the id (see `_Scored`).
        self._scored: dict[tuple[Verdict, ...], _Scored] = {}
        # The contact scored last, for `encode` (see there).
        self._last: tuple[ContactResult, _Scored] | None = None
        searched = {literal for rule in rules for literal in rule.literals()}
        self._phrases = sorted({phrase for _, phrase in searched})
        self._index = PhraseIndex(searched, cue_lexicons())

    def phrases_for_floor(self) -> list[str]:
        """Every phrase the shared scan searches for, sorted, whatever the speaker: the scan
        a benchmark floor repeats (over agent turns). Excusing contexts (`except_in`) are
        checked at hits, so they are not here."""
        return list(self._phrases)

    def score(self, contact: Contact) -> ContactResult:
        scan = self._index.scan(contact)
        scan.meaning = meaning = contact_meaning(contact, scan.cue_hits)
        last = scan.last
        verdicts = tuple([rule.evaluate(scan, 0, last) for rule in self._rules])
        scored = self._scored.get(verdicts) or self._judge(verdicts)
        result = ContactResult(
            id=contact.id,
            scorecard=self._name,
            scorecard_version=self._version_label,
            score=scored.score,
            passed=scored.passed,
            fatal=scored.fatal,
            severity_counts=scored.counts.copy(),
            items=scored.items,
            meaning=meaning,
        )
        self._last = (result, scored)
        return result

    def _judge(self, verdicts: tuple[Verdict, ...]) -> _Scored:
        results = self._template.copy()
        json = self._template_json.copy()
        failed: list[int] = []
        applicable = self._manual_points
        lost = 0.0
        fatal = False
        counts = dict.fromkeys(SEVERITIES, 0)
        for (slot, item), verdict in zip(self._auto, verdicts, strict=True):
            judged = item.settled.get(verdict) or item.judge(verdict)
            results[slot], json[slot] = judged.result, judged.json
            applicable += judged.applicable
            if judged.json is None:
                failed.append(slot)
                lost += judged.lost
                counts[item.severity] += 1
                fatal = fatal or item.fatal
        score = points_score(applicable, lost, fatal)
        passed = passes(
            score=score,
            fatal=fatal,
            severity_counts=counts,
            pass_mark=self._pass_mark,
            fail_on_severity=self._fail_on_severity,
        )
        scored = _Scored(score, passed, fatal, counts, tuple(results), json, tuple(failed))
        if not failed and len(self._scored) < _SCORED_CACHE_LIMIT:
            self._scored[verdicts] = scored
        return scored

    def encode(self, result: ContactResult) -> bytes:
        """`result` as one FORMATS.md JSON line (no newline): `orjson.dumps(result.to_dict())`.

        Encoding every item of every contact was as slow as scoring, yet most items are
        shared manual, pass and na results whose JSON is known: for the contact scored last
        (`lingting score` and the web app encode each result right after scoring it) only
        its failures and the head are encoded here.
        """
        last = self._last
        if last is None or last[0] is not result:
            return orjson.dumps(result.to_dict())
        scored = last[1]
        tail = scored.items_tail
        if tail is None:
            json = scored.json.copy()
            for slot in scored.failed:
                json[slot] = orjson.dumps(result.items[slot].to_dict())
            tail = _items_tail(cast(list[bytes], json))
        head = orjson.dumps(result.to_dict(with_items=False))
        return head[:-1] + tail


def _items_tail(items_json: list[bytes]) -> bytes:
    """`,"items":[…]}`: what follows a result's head in its JSON."""
    return b"".join((b',"items":[', b",".join(items_json), b"]}"))


def _manual_result(item: Item) -> ItemResult:
    return ItemResult(
        item=item.id,
        title=item.title,
        result="manual",
        points_lost=0.0,
        severity=item.severity,
        fatal=item.fatal,
    )
