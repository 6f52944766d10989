"""Reading a scorecard from the YAML a QA supervisor edits: checked, every problem listed.

`parse_scorecard` reads a document, `load_scorecard` a file or a built-in scorecard by name,
`builtin_scorecard` one shipped with Lingting. A scorecard's fingerprint is taken from its
content here, so two files that both say "1.0" but differ are never confused.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC
from functools import cache, partial
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from lingting.engine.contacts import ContactError, contact_from_record
from lingting.engine.results import SEVERITIES
from lingting.engine.rules.config import RuleConfigError, build_rule
from lingting.engine.rules.verdicts import Rule
from lingting.engine.scorecard import Example, Examples, Item, Scorecard, ScorecardError, Section

_ID = re.compile(r"^[a-z][a-z0-9_]*$")
_SPEAKER_PREFIX = re.compile(r"^(agent|customer|system|bot)\s*[:：]\s*")
_BUILTIN_PACKAGE = "lingting.engine.scorecards"

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
    "judge",
)


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
    judge_prompt = _judge_prompt(raw.get("judge"), where)
    if check is not None and judge_prompt:
        raise _Problem(f"{where}: only a manual item (no rule) can have a judge prompt")
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
        judge_prompt=judge_prompt,
    )


def _judge_prompt(raw: object, where: str) -> str:
    """`judge: {prompt: "…"}`: what the model judge is asked about a manual item."""
    if raw is None:
        return ""
    prompt = raw.get("prompt") if isinstance(raw, dict) and set(raw) == {"prompt"} else None
    if not isinstance(prompt, str) or not prompt.strip():
        raise _Problem(f"{where}: 'judge' must be {{prompt: \"…\"}} with the question as text")
    return prompt.strip()


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
