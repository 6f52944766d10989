"""A script's required steps as scorecard items, so that auto-QA checks agents followed it.

A script (`ArticleContent` of kind script, seed 004 篇5) lists steps in the order they are
said; each step's `words` show it was said and its `avoid` words are never to be said. From
them `script_items` builds up to two items in the scorecard language:

- `<id>_steps`: the steps with words, in order (a `sequence`; one step is a required
  phrase). A step without words cannot be recognised in a transcript, so it is left out and
  the item's description says so.
- `<id>_avoid`: every step's `avoid` words as forbidden phrases (only when there are some).

Both are scoped by a trigger the caller chooses — the words that show the scenario, such as
what an abusive caller says — and judge only the turns after its first occurrence; a
contact without it is not applicable. Without a trigger they judge the whole contact.
`script_items_yaml` writes the items as YAML that goes under a section's `items:`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import yaml

from lingting.engine.knowledge import ArticleContent, ArticleKind
from lingting.engine.results import SEVERITIES

_NOT_ID = re.compile(r"[^a-z0-9]+")


class ScriptItemsError(ValueError):
    """The script cannot be checked as given; the message says what is missing."""


@dataclass(frozen=True, slots=True)
class ScriptTrigger:
    """The words that show a contact is the script's scenario, and whose words they are."""

    phrases: tuple[str, ...]
    speaker: str = "customer"  # agent | customer | any


def script_item_id(code: str) -> str:
    """An item id from an article code: `KB-0101` → `script_kb_0101`."""
    readable = _NOT_ID.sub("_", code.lower()).strip("_")
    return f"script_{readable}" if readable else "script"


def script_items(
    content: ArticleContent,
    *,
    item_id: str,
    trigger: ScriptTrigger | None = None,
    points: float = 2,
    severity: str = "B",
) -> list[dict[str, Any]]:
    """The scorecard items that check `content`'s steps (each a YAML mapping)."""
    if content.kind is not ArticleKind.SCRIPT:
        raise ScriptItemsError(
            f"only a script has steps to check (this article is of kind {content.kind.value})"
        )
    if severity not in SEVERITIES:
        raise ScriptItemsError(f"severity must be one of {', '.join(SEVERITIES)}")
    if trigger is not None and not any(p.strip() for p in trigger.phrases):
        raise ScriptItemsError("the trigger needs at least one phrase")
    if not 0 <= points <= 100:
        raise ScriptItemsError("points must be from 0 to 100")
    weight = {"points": int(points) if float(points).is_integer() else points, "severity": severity}
    checked = [step for step in content.steps if step.words]
    if not checked:
        raise ScriptItemsError("no step has words that show it was said; add some to a step")
    unchecked = [step.name for step in content.steps if not step.words]
    steps_item = _item(
        f"{item_id}_steps",
        f"按话术步骤：{content.title}",
        _steps_description(content, trigger, unchecked),
        _scoped(_steps_rule(content), trigger),
        weight,
    )
    avoid = list(dict.fromkeys(word for step in content.steps for word in step.avoid))
    if not avoid:
        return [steps_item]
    avoid_rule = {"kind": "phrases", "mode": "forbidden", "phrases": avoid}
    avoid_item = _item(
        f"{item_id}_avoid",
        f"话术禁说：{content.title}",
        f"话术“{content.title}”不许说的话：{'、'.join(avoid)}。{_scope_note(trigger)}",
        _scoped(avoid_rule, trigger),
        weight,
    )
    return [steps_item, avoid_item]


def script_items_yaml(
    content: ArticleContent,
    *,
    item_id: str,
    trigger: ScriptTrigger | None = None,
    points: float = 2,
    severity: str = "B",
) -> str:
    """The items as YAML, to go under a section's `items:` in a scorecard."""
    items = script_items(
        content, item_id=item_id, trigger=trigger, points=points, severity=severity
    )
    return yaml.safe_dump(items, allow_unicode=True, sort_keys=False, width=100)


def _item(
    item_id: str, title: str, description: str, rule: dict[str, Any], weight: dict[str, Any]
) -> dict[str, Any]:
    return {"id": item_id, "title": title, "description": description, **weight, "rule": rule}


def _steps_rule(content: ArticleContent) -> dict[str, Any]:
    checked = [step for step in content.steps if step.words]
    if len(checked) == 1:
        return {"kind": "phrases", "mode": "required", "phrases": [*checked[0].words]}
    steps = [{"name": step.name, "phrases": [*step.words]} for step in checked]
    return {"kind": "sequence", "steps": steps}


def _scoped(rule: dict[str, Any], trigger: ScriptTrigger | None) -> dict[str, Any]:
    """The rule judged only after the trigger's first occurrence."""
    if trigger is None:
        return rule
    phrases = [p.strip() for p in trigger.phrases if p.strip()]
    anchor = {"speaker": trigger.speaker, "phrases": list(dict.fromkeys(phrases))}
    return {"kind": "anchored", "anchor": anchor, "position": "after", "rule": rule}


def _steps_description(
    content: ArticleContent, trigger: ScriptTrigger | None, unchecked: Sequence[str]
) -> str:
    names = "、".join(step.name for step in content.steps if step.words)
    text = f"按话术“{content.title}”的顺序说：{names}。{_scope_note(trigger)}"
    if unchecked:
        text += f"没有可识别的词，不检查：{'、'.join(unchecked)}。"
    return text


def _scope_note(trigger: ScriptTrigger | None) -> str:
    if trigger is None:
        return "适用于所有会话。"
    who = {"customer": "客户", "agent": "客服"}.get(trigger.speaker, "")
    quoted = "、".join(f"“{phrase}”" for phrase in trigger.phrases[:5])
    more = "等" if len(trigger.phrases) > 5 else ""
    return f"{who}说了{quoted}{more}之后适用。"
