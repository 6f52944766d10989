"""Scorecards: the YAML a QA supervisor edits, checked, versioned, compiled and scored.

A scorecard is sections of items. Each item has points, an A/B/C severity, maybe `fatal`,
and either a `rule` (an automatic item, see `lingting.engine.rules`) or none (a manual item
that a reviewer scores). Scoring follows the center's arithmetic:

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

import hashlib
import json
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC
from functools import cache, partial
from importlib import resources
from pathlib import Path
from typing import Any, Literal, NamedTuple, cast

import orjson
import yaml

from lingting.engine.contacts import Contact, ContactError, contact_from_record
from lingting.engine.results import (
    SEVERITIES,
    ContactResult,
    ItemResult,
    passes,
    points_score,
)
from lingting.engine.rules.config import RuleConfigError, build_rule
from lingting.engine.rules.scan import PhraseIndex
from lingting.engine.rules.verdicts import Rule, Verdict

ItemKind = Literal["auto", "manual"]
_ID = re.compile(r"^[a-z][a-z0-9_]*$")
_SPEAKER_PREFIX = re.compile(r"^(agent|customer|system|bot)\s*[:：]\s*")
_BUILTIN_PACKAGE = "lingting.engine.scorecards"
_RESULT_CACHE_LIMIT = 64  # distinct pass/na results kept per item (their details are few)
_SCORED_CACHE_LIMIT = 1024  # distinct sets of verdicts of contacts without a failure

_TOP_KEYS = (
    "scorecard",
    "version",
    "title",
    "title_en",
    "description",
    "pass_mark",
    "fail_on_severity",
    "sections",
)
_SECTION_KEYS = ("id", "title", "title_en", "items")
_ITEM_KEYS = (
    "id",
    "title",
    "title_en",
    "description",
    "points",
    "severity",
    "fatal",
    "per_hit_points",
    "rule",
    "examples",
)


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
# Loading


def load_scorecard(path_or_name: str | Path) -> Scorecard:
    """A scorecard from a YAML file, or a built-in one by name (e.g. "standard")."""
    path = Path(path_or_name)
    if path.is_file():
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise ScorecardError(str(path), [f"cannot be read: {error}"]) from None
        return parse_scorecard(text, source=str(path))
    if isinstance(path_or_name, str) and path_or_name in builtin_names():
        return builtin_scorecard(path_or_name)
    names = ", ".join(builtin_names())
    raise ScorecardError(
        str(path_or_name), [f"no such file, and no built-in scorecard of that name ({names})"]
    )


def builtin_names() -> tuple[str, ...]:
    files = resources.files(_BUILTIN_PACKAGE).iterdir()
    return tuple(sorted(f.name.removesuffix(".yaml") for f in files if f.name.endswith(".yaml")))


def builtin_scorecard(name: str = "standard") -> Scorecard:
    """A scorecard shipped with Lingting; the default is the standard Chinese one."""
    if name not in builtin_names():
        names = ", ".join(builtin_names())
        raise ScorecardError(name, [f"no built-in scorecard of that name ({names})"])
    return _builtin(name)


@cache
def _builtin(name: str) -> Scorecard:
    text = resources.files(_BUILTIN_PACKAGE).joinpath(f"{name}.yaml").read_text(encoding="utf-8")
    return parse_scorecard(text, source=f"{name}.yaml")


def parse_scorecard(text: str, *, source: str = "<scorecard>") -> Scorecard:
    """Check a scorecard document and build it; raise `ScorecardError` listing every problem."""
    document = _load_yaml(text, source)
    if not isinstance(document, dict):
        raise ScorecardError(source, ["must be a YAML mapping with 'scorecard' and 'sections'"])
    reader = _DocumentReader()
    scorecard = reader.scorecard(document, text, source)
    if reader.problems or scorecard is None:
        raise ScorecardError(source, reader.problems)
    return scorecard


def _load_yaml(text: str, source: str) -> Any:
    """The document, read by libyaml where PyYAML has it: the pure-Python reader spends
    0.15 s on the built-in scorecard, at every start of `lingting score`.

    libyaml words its errors differently, so a document it refuses is read again by the
    pure-Python reader, whose messages and line numbers are the ones supervisors see.
    """
    loader = getattr(yaml, "CSafeLoader", None)
    if loader is not None:
        try:
            return yaml.load(text, Loader=loader)
        except yaml.YAMLError:
            pass
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise ScorecardError(source, [_yaml_problem(error)]) from None


def _yaml_problem(error: yaml.YAMLError) -> str:
    mark = getattr(error, "problem_mark", None)
    problem = getattr(error, "problem", None) or str(error)
    where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark is not None else ""
    return f"{where}not valid YAML: {problem}"


class _Problem(Exception):
    """One problem in the document; the reader records it and carries on."""


class _DocumentReader:
    """Reads a scorecard document, collecting every problem instead of stopping at the first."""

    def __init__(self) -> None:
        self.problems: list[str] = []

    def scorecard(self, doc: dict[str, Any], text: str, source: str) -> Scorecard | None:
        self._unknown_keys(doc, _TOP_KEYS, "the scorecard")
        name = self._guard(partial(_text, doc, "scorecard", "the scorecard"))
        version = self._guard(partial(_version, doc))
        pass_mark = self._guard(partial(_number, doc, "pass_mark", "the scorecard", 80.0, 100.0))
        fail_on_severity = self._guard(partial(_severities, doc))
        sections = self._sections(doc)
        items = tuple(item for _, section_items in sections for item in section_items)
        self._check_ids(items)
        if items and sum(i.points for i in items) <= 0:
            self.problems.append("the items' points add up to 0; give items some points")
        if (
            self.problems
            or name is None
            or version is None
            or pass_mark is None
            or fail_on_severity is None
        ):
            return None
        return Scorecard(
            name=name,
            title=str(doc.get("title") or name),
            title_en=str(doc.get("title_en") or doc.get("title") or name),
            version=version,
            pass_mark=pass_mark,
            sections=tuple(section for section, _ in sections),
            items=items,
            source_text=text,
            source=source,
            fingerprint=_fingerprint(doc),
            description=str(doc.get("description") or ""),
            fail_on_severity=fail_on_severity,
            _document=doc,
        )

    def _guard[T](self, read: Callable[[], T]) -> T | None:
        try:
            value: T = read()
        except _Problem as problem:
            self.problems.append(str(problem))
            return None
        return value

    def _unknown_keys(self, raw: dict[str, Any], allowed: Sequence[str], where: str) -> None:
        unknown = [str(k) for k in raw if k not in allowed]
        if unknown:
            self.problems.append(
                f"{where}: unknown field {', '.join(map(repr, unknown))}"
                f" (allowed: {', '.join(allowed)})"
            )

    def _sections(self, doc: dict[str, Any]) -> list[tuple[Section, list[Item]]]:
        raw_sections = doc.get("sections")
        if not isinstance(raw_sections, list) or not raw_sections:
            self.problems.append("'sections' must be a list of sections, each with items")
            return []
        sections = []
        for number, raw in enumerate(raw_sections, 1):
            where = f"section {number}"
            if not isinstance(raw, dict):
                self.problems.append(f"{where}: must be a mapping with id, title and items")
                continue
            self._unknown_keys(raw, _SECTION_KEYS, where)
            section = self._guard(partial(_section, raw, where))
            if section is None:
                continue
            items = [i for i in self._items(raw, section) if i is not None]
            sections.append((section, items))
        return sections

    def _items(self, raw_section: dict[str, Any], section: Section) -> list[Item | None]:
        raw_items = raw_section.get("items")
        if not isinstance(raw_items, list) or not raw_items:
            self.problems.append(f"section '{section.id}': 'items' must be a list of items")
            return []
        items: list[Item | None] = []
        for number, raw in enumerate(raw_items, 1):
            item_id = raw.get("id") if isinstance(raw, dict) else None
            where = f"item '{item_id}'" if item_id else f"section '{section.id}' item {number}"
            if not isinstance(raw, dict):
                self.problems.append(f"{where}: must be a mapping with id, title, points…")
                continue
            self._unknown_keys(raw, _ITEM_KEYS, where)
            items.append(self._guard(partial(_item, raw, section, where)))
        return items

    def _check_ids(self, items: Sequence[Item]) -> None:
        seen: set[str] = set()
        for item in items:
            if item.id in seen:
                self.problems.append(f"item '{item.id}': the id is used twice; ids must be unique")
            seen.add(item.id)


def _text(raw: dict[str, Any], key: str, where: str) -> str:
    value = raw.get(key)
    if not isinstance(value, str) or not value.strip():
        raise _Problem(f"{where}: '{key}' must be given as text")
    return value.strip()


def _version(doc: dict[str, Any]) -> str:
    value = doc.get("version")
    if isinstance(value, str) and value.strip():
        return value.strip()
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    raise _Problem(
        f"'version' must be text such as version: \"1.0\" (quoted, so YAML keeps it as written),"
        f" not {value!r}"
    )


def _number(raw: dict[str, Any], key: str, where: str, default: float, top: float) -> float:
    value = raw.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= top:
        raise _Problem(f"{where}: '{key}' must be a number from 0 to {top:g}, not {value!r}")
    return float(value)


def _severities(raw: dict[str, Any]) -> frozenset[str]:
    value = raw.get("fail_on_severity", [])
    if not isinstance(value, list) or not set(value) <= set(SEVERITIES):
        raise _Problem(
            f"the scorecard: 'fail_on_severity' must be a list of A, B, C, not {value!r}"
        )
    return frozenset(value)


def _section(raw: dict[str, Any], where: str) -> Section:
    section_id = _identifier(raw, where)
    title = _text(raw, "title", f"section '{section_id}'")
    return Section(section_id, title, str(raw.get("title_en") or title))


def _identifier(raw: dict[str, Any], where: str) -> str:
    value = raw.get("id")
    if not isinstance(value, str) or not _ID.match(value):
        raise _Problem(
            f"{where}: 'id' must be snake_case letters, digits and _ (e.g. forbidden_phrases),"
            f" not {value!r}"
        )
    return value


def _item(raw: dict[str, Any], section: Section, where: str) -> Item:
    item_id = _identifier(raw, where)
    where = f"item '{item_id}'"
    title = _text(raw, "title", where)
    if "points" not in raw:
        raise _Problem(f"{where}: 'points' is missing (0 is allowed)")
    points = _number(raw, "points", where, 0.0, 100.0)
    severity = raw.get("severity")
    if severity not in SEVERITIES:
        raise _Problem(f"{where}: 'severity' must be A, B or C, not {severity!r}")
    fatal = raw.get("fatal", False)
    if not isinstance(fatal, bool):
        raise _Problem(f"{where}: 'fatal' must be true or false, not {fatal!r}")
    per_hit = raw.get("per_hit_points")
    if per_hit is not None:
        per_hit = _number(raw, "per_hit_points", where, 0.0, points)
    check = _rule(raw.get("rule"), where)
    examples = _examples(raw.get("examples"), item_id, where)
    if check is None and (examples.must_trigger or examples.must_not_trigger):
        raise _Problem(f"{where}: a manual item (no rule) cannot have examples")
    if check is None and per_hit is not None:
        raise _Problem(f"{where}: 'per_hit_points' needs a rule that counts hits")
    return Item(
        id=item_id,
        title=title,
        title_en=str(raw.get("title_en") or title),
        section=section.id,
        points=points,
        severity=str(severity),
        fatal=fatal,
        kind="manual" if check is None else "auto",
        rule=raw.get("rule"),
        description=str(raw.get("description") or ""),
        per_hit_points=per_hit,
        examples=examples,
        check=check,
    )


def _rule(raw: object, where: str) -> Rule | None:
    if raw is None:
        return None
    try:
        return build_rule(raw)
    except RuleConfigError as error:
        raise _Problem(f"{where}: {error}") from None


def _examples(raw: object, item_id: str, where: str) -> Examples:
    if raw is None:
        return Examples()
    if not isinstance(raw, dict) or set(raw) - {"must_trigger", "must_not_trigger"}:
        raise _Problem(f"{where}: 'examples' must have must_trigger and/or must_not_trigger lists")
    groups = []
    for key in ("must_trigger", "must_not_trigger"):
        entries = raw.get(key) or []
        if not isinstance(entries, list):
            raise _Problem(f"{where}: examples.{key} must be a list")
        groups.append(
            tuple(
                _example(entry, f"{item_id}/{key}/{n}", f"{where}: examples.{key}[{n}]")
                for n, entry in enumerate(entries, 1)
            )
        )
    return Examples(groups[0], groups[1])


def _example(raw: object, example_id: str, where: str) -> Example:
    """An example is one agent line, a list of `speaker: text` lines, or a whole record."""
    if isinstance(raw, dict) and "turns" in raw:
        record = {"id": example_id, **raw, "turns": [_turn(t, where) for t in raw["turns"]]}
    elif isinstance(raw, list):
        record = {"id": example_id, "turns": [_turn(t, where) for t in raw]}
    else:
        record = {"id": example_id, "turns": [_turn(raw, where)]}
    try:
        contact = contact_from_record(record, tz=UTC)
    except ContactError as error:
        raise _Problem(f"{where}: {error}") from None
    text = " / ".join(f"{t.speaker}: {t.text}" for t in contact.turns)
    return Example(contact, text)


def _turn(raw: object, where: str) -> object:
    """`"text"` (an agent turn), `"customer: text"`, `{customer: text}` or a full turn."""
    if isinstance(raw, str):
        prefix = _SPEAKER_PREFIX.match(raw)
        if prefix is None:
            return {"speaker": "agent", "text": raw}
        return {"speaker": prefix.group(1), "text": raw[prefix.end() :]}
    if isinstance(raw, dict) and len(raw) == 1:
        ((speaker, text),) = raw.items()
        return {"speaker": speaker, "text": text}
    if isinstance(raw, dict):
        return raw
    raise _Problem(f"{where}: a turn must be text such as 'customer: 你好', not {raw!r}")


def _fingerprint(document: Mapping[str, Any]) -> str:
    canonical = json.dumps(
        document, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


# ---------------------------------------------------------------------------------------------
# Compiling and scoring


class _Judged(NamedTuple):
    """What one automatic item's verdict comes to in a contact's score."""

    result: ItemResult
    json: bytes | None  # None for a failure: its evidence is this contact's own
    applicable: float  # the item's points when they count towards the score, else 0
    lost: float


class _Scored(NamedTuple):
    """Everything in a contact's result but its id: the same for the same verdicts."""

    score: float
    passed: bool
    fatal: bool
    counts: dict[str, int]  # copied into each result, which may be changed
    items: tuple[ItemResult, ...]
    json: list[bytes | None]  # each item's JSON, None for failures (encoded when asked)
    failed: tuple[int, ...]  # the positions of the failures


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
        self._evaluators = [rule.evaluate for rule in rules]
        # Most contacts pass every item, or find it not applicable, the same few ways: their
        # verdicts are a key to all of their result but the id (see `_Scored`).
        self._scored: dict[tuple[Verdict, ...], _Scored] = {}
        # The contact scored last, for `encode` (see there).
        self._last: tuple[ContactResult, _Scored] | None = None
        searched = {literal for rule in rules for literal in rule.literals()}
        self._phrases = sorted({phrase for _, phrase in searched})
        self._index = PhraseIndex(searched)

    def phrases_for_floor(self) -> list[str]:
        """Every phrase the shared scan searches for, sorted, whatever the speaker: the scan
        a benchmark floor repeats (over agent turns). Excusing contexts (`except_in`) are
        checked at hits, so they are not here."""
        return list(self._phrases)

    def score(self, contact: Contact) -> ContactResult:
        scan = self._index.scan(contact)
        last = scan.last
        verdicts = tuple([evaluate(scan, 0, last) for evaluate in self._evaluators])
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
            result, part, points, points_lost = item.settled.get(verdict) or item.judge(verdict)
            results[slot], json[slot] = result, part
            applicable += points
            if part is None:
                failed.append(slot)
                lost += points_lost
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
        json = last[1].json
        if last[1].failed:
            json = json.copy()
            for slot in last[1].failed:
                json[slot] = orjson.dumps(result.items[slot].to_dict())
        items = b",".join(cast(list[bytes], json))
        head = orjson.dumps(result.to_dict(with_items=False))
        return b"".join((head[:-1], b',"items":[', items, b"]}"))


def _manual_result(item: Item) -> ItemResult:
    return ItemResult(
        item=item.id,
        title=item.title,
        result="manual",
        points_lost=0.0,
        severity=item.severity,
        fatal=item.fatal,
    )
