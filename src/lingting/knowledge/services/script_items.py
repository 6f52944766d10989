"""Adding a script's scorecard items to a new draft of a scorecard, through the quality
app's scorecard editor: the draft is checked by the engine and audited there, and waits
for a QA supervisor's approval like any other."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from lingting.core.models import User
from lingting.engine.scorecard_document import dump_rule_text, find_item
from lingting.engine.scorecard_yaml import parse_scorecard
from lingting.engine.script_items import (
    ScriptItemsError,
    ScriptTrigger,
    script_item_id,
    script_items,
)
from lingting.knowledge.models import ArticleVersion
from lingting.quality.models import ScorecardVersion
from lingting.quality.services.scorecard_drafts import ItemInput, draft_create, draft_save_item


def script_items_draft(
    *,
    version: ArticleVersion,
    base: ScorecardVersion,
    section_id: str,
    trigger: ScriptTrigger | None,
    points: float,
    severity: str,
    actor: User,
) -> ScorecardVersion:
    """A new draft of `base`'s scorecard with the script's items in section `section_id`
    (items added before from the same article are replaced). All or nothing: raises
    `ValidationError` with the problems, and no draft is left behind."""
    try:
        items = script_items(
            version.as_content(),
            item_id=script_item_id(version.article.code),
            trigger=trigger,
            points=points,
            severity=severity,
        )
    except ScriptItemsError as error:
        raise ValidationError(str(error)) from None
    with transaction.atomic():
        draft = draft_create(base=base, actor=actor)
        for item in items:
            existing = find_item(parse_scorecard(draft.source_text).to_dict(), item["id"])
            draft_save_item(
                draft=draft,
                actor=actor,
                item_id=item["id"],
                item=_item_input(item),
                section_id=None if existing is not None else section_id,
            )
    return draft


def _item_input(item: dict[str, Any]) -> ItemInput:
    return ItemInput(
        title=item["title"],
        points=item["points"],
        severity=item["severity"],
        fatal=False,
        description=item["description"],
        rule=dump_rule_text(item["rule"]),
        must_trigger="",
        must_not_trigger="",
    )
