"""Editing a scorecard document (the parsed YAML) item by item, as the web editor does.

The editor never keeps a second model of a scorecard: it changes the plain document that
`parse_scorecard` reads and writes it back as YAML, so YAML stays the one storage and the
import/export format. Comments of the original text are lost when it is written back.

Examples are edited as text, one example per block of lines, blocks apart by a blank line:

    customer: 你们怎么回事！        a turn: speaker, then what was said
    您好，很高兴为您服务             a line without a speaker is the agent's
    {speaker: agent, start: 0, end: 6, text: 您好}   a timed turn, as in the YAML
    @channel: voice                  a field of the whole contact (channel, hangup_by, holds…)

The reverse (`examples_to_text`) writes every form the YAML allows, so nothing is lost
when a supervisor opens an item and saves it unchanged.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator
from typing import Any

import yaml

from lingting.engine.scorecard import ScorecardError

EXAMPLE_KEYS = ("must_trigger", "must_not_trigger")
_SPEAKER_LINE = re.compile(r"^(agent|customer|system|bot)\s*[:：]\s*(.*)$")
_FIELD_LINE = re.compile(r"^@([A-Za-z_][A-Za-z0-9_]*)\s*[:：]\s*(.*)$")


def dump_document(document: dict[str, Any]) -> str:
    """The document as YAML text, in its own key order, Chinese kept readable."""
    return yaml.safe_dump(
        document, allow_unicode=True, sort_keys=False, width=100, default_flow_style=None
    )


def load_rule_text(text: str) -> Any:
    """A rule's settings from the YAML text of the editor's rule field (None: no rule, a
    manual item). Raises `ValueError` with the YAML problem."""
    if not text.strip():
        return None
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise ValueError(_yaml_problem(error)) from None


def dump_rule_text(rule: Any) -> str:
    return "" if rule is None else dump_document(rule)


def iter_items(document: dict[str, Any]) -> Iterator[tuple[dict[str, Any], dict[str, Any]]]:
    """(section, item) for every item of the document, in order."""
    for section in document.get("sections") or []:
        if isinstance(section, dict):
            for item in section.get("items") or []:
                if isinstance(item, dict):
                    yield section, item


def find_item(document: dict[str, Any], item_id: str) -> dict[str, Any] | None:
    return next((item for _, item in iter_items(document) if item.get("id") == item_id), None)


def with_item(
    document: dict[str, Any], item: dict[str, Any], *, section_id: str | None = None
) -> dict[str, Any]:
    """A copy of the document with `item` in place of the item of the same id, or (a new
    item) appended to the section `section_id`."""
    changed = copy.deepcopy(document)
    for section in changed.get("sections") or []:
        items = section.get("items") or []
        for index, existing in enumerate(items):
            if isinstance(existing, dict) and existing.get("id") == item.get("id"):
                items[index] = item
                return changed
    for section in changed.get("sections") or []:
        if section.get("id") == section_id:
            section.setdefault("items", []).append(item)
            return changed
    raise ScorecardError("<scorecard>", [f"no section {section_id!r} to add the item to"])


def without_item(document: dict[str, Any], item_id: str) -> dict[str, Any]:
    changed = copy.deepcopy(document)
    for section in changed.get("sections") or []:
        section["items"] = [
            item
            for item in section.get("items") or []
            if not (isinstance(item, dict) and item.get("id") == item_id)
        ]
    return changed


def examples_to_text(examples: list[Any] | None) -> str:
    """The editor's text for one list of examples (must_trigger or must_not_trigger)."""
    return "\n\n".join(_example_lines(example) for example in examples or [])


def _example_lines(example: Any) -> str:
    if isinstance(example, dict) and "turns" in example:
        fields = [f"@{key}: {_flow(value)}" for key, value in example.items() if key != "turns"]
        return "\n".join([*fields, *(_turn_line(turn) for turn in example["turns"])])
    if isinstance(example, list):
        return "\n".join(_turn_line(turn) for turn in example)
    return _turn_line(example)


def _turn_line(turn: Any) -> str:
    if isinstance(turn, str):
        return turn
    if isinstance(turn, dict) and len(turn) == 1:
        ((speaker, text),) = turn.items()
        return f"{speaker}: {text}"
    return _flow(turn)


def _flow(value: Any) -> str:
    """A value as YAML on one line; text stays bare unless YAML would read it as something
    else (a time, a number: "2026-10-01T09:00:00+08:00" stays text)."""
    if isinstance(value, str) and _reads_as_text(value):
        return value
    text = yaml.safe_dump(value, allow_unicode=True, default_flow_style=True, width=10**6)
    return text.strip().removesuffix("...").strip()


def _reads_as_text(value: str) -> bool:
    try:
        return bool(yaml.safe_load(value) == value)
    except yaml.YAMLError:
        return False


def examples_from_text(text: str) -> list[Any]:
    """The YAML list of examples the editor's text stands for (see the module's doc).
    Raises `ValueError` naming the example and the line when a line cannot be read."""
    examples: list[Any] = []
    for number, block in enumerate(_blocks(text), 1):
        fields: dict[str, Any] = {}
        turns: list[Any] = []
        for line in block:
            field = _FIELD_LINE.match(line)
            if field is not None:
                fields[field.group(1)] = _scalar(field.group(2), number, line)
            elif line.startswith("{"):
                turns.append(_scalar(line, number, line))
            else:
                speaker = _SPEAKER_LINE.match(line)
                # Written back the way the standard scorecard writes turns: `- customer: …`.
                turns.append(line if speaker is None else {speaker[1]: speaker[2]})
        if fields:
            examples.append({**fields, "turns": turns})
        elif len(turns) == 1 and isinstance(turns[0], str):
            examples.append(turns[0])  # one agent line
        else:
            examples.append(turns)
    return examples


def _blocks(text: str) -> Iterator[list[str]]:
    block: list[str] = []
    for raw in text.replace("\r\n", "\n").split("\n"):
        line = raw.strip()
        if line:
            block.append(line)
        elif block:
            yield block
            block = []
    if block:
        yield block


def _scalar(text: str, number: int, line: str) -> Any:
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise ValueError(f"example {number}: “{line}”: {_yaml_problem(error)}") from None


def _yaml_problem(error: yaml.YAMLError) -> str:
    mark = getattr(error, "problem_mark", None)
    problem = getattr(error, "problem", None) or str(error)
    where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark is not None else ""
    return f"{where}not valid YAML: {problem}"
