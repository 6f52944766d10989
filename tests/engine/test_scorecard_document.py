"""Editing a scorecard document as the web editor does: examples as text lines that
write back to the YAML forms, items replaced, added and removed, a draft previewed
against the version in force."""

from __future__ import annotations

from datetime import UTC

import pytest

from lingting.engine.contacts import contact_from_record
from lingting.engine.scorecard_checks import preview_scorecards
from lingting.engine.scorecard_document import (
    dump_document,
    examples_from_text,
    examples_to_text,
    find_item,
    iter_items,
    with_item,
    without_item,
)
from lingting.engine.scorecard_yaml import builtin_scorecard, parse_scorecard

CARD = """
scorecard: trial
version: "1"
title: 试用
sections:
  - id: service
    title: 服务
    items:
      - id: opening
        title: 开头语
        points: 10
        severity: C
        rule: {kind: phrases, mode: required, phrases: [您好], within: {first_turns: 2}}
      - id: forbidden
        title: 服务禁语
        points: 20
        severity: A
        rule: {kind: phrases, mode: forbidden, phrases: [不知道]}
"""


def test_every_example_of_the_standard_scorecard_reads_back_the_same_after_editing() -> None:
    """Opening an item in the editor and saving it unchanged keeps its examples' meaning:
    the engine reads the same contacts from the written-back examples."""
    standard = builtin_scorecard()
    document = standard.to_dict()
    for _, item in iter_items(document):
        for key in ("must_trigger", "must_not_trigger"):
            listed = (item.get("examples") or {}).get(key)
            if listed:
                item["examples"][key] = examples_from_text(examples_to_text(listed))
    again = parse_scorecard(dump_document(document))
    for before, after in zip(standard.items, again.items, strict=True):
        assert [e.contact for e in after.examples.must_trigger] == [
            e.contact for e in before.examples.must_trigger
        ]
        assert [e.contact for e in after.examples.must_not_trigger] == [
            e.contact for e in before.examples.must_not_trigger
        ]


def test_example_lines_name_speakers_timed_turns_and_contact_fields() -> None:
    text = """customer: 你们到底管不管
agent: 这个我不清楚

您好，很高兴为您服务

@channel: voice
@hangup_by: agent
{speaker: agent, start: 0, end: 6, text: 感谢您的来电}
"""
    assert examples_from_text(text) == [
        [{"customer": "你们到底管不管"}, {"agent": "这个我不清楚"}],
        "您好，很高兴为您服务",
        {
            "channel": "voice",
            "hangup_by": "agent",
            "turns": [{"speaker": "agent", "start": 0, "end": 6, "text": "感谢您的来电"}],
        },
    ]


def test_a_broken_timed_turn_names_the_example_and_the_line() -> None:
    with pytest.raises(ValueError, match="example 2"):
        examples_from_text("客服说\n\n{speaker: agent, start: [")


def test_items_are_replaced_added_and_removed_without_touching_the_original() -> None:
    document = parse_scorecard(CARD).to_dict()
    changed = with_item(document, {**find_item(document, "forbidden"), "points": 30})  # type: ignore[dict-item]
    added = with_item(
        changed,
        {"id": "thanks", "title": "致谢", "points": 5, "severity": "C"},
        section_id="service",
    )
    assert find_item(document, "forbidden")["points"] == 20  # type: ignore[index]
    assert find_item(added, "forbidden")["points"] == 30  # type: ignore[index]
    assert [item.id for item in parse_scorecard(dump_document(added)).items] == [
        "opening",
        "forbidden",
        "thanks",
    ]
    assert find_item(without_item(added, "opening"), "opening") is None


def agent(text: str) -> dict[str, str]:
    return {"speaker": "agent", "text": text}


def test_the_preview_counts_each_items_hits_and_lists_the_contacts_that_flip() -> None:
    old = parse_scorecard(CARD)
    new = parse_scorecard(CARD.replace("[不知道]", "[不知道, 自己查]"))
    contacts = [
        contact_from_record({"id": "polite", "turns": [agent("您好，请问有什么可以帮您")]}, tz=UTC),
        contact_from_record({"id": "brush", "turns": [agent("您好，不知道")]}, tz=UTC),
        contact_from_record({"id": "rude", "turns": [agent("您好，自己查")]}, tz=UTC),
    ]
    preview = preview_scorecards(old, new, contacts)
    assert preview.contacts == 3
    rates = {rate.item: (rate.old_failed, rate.new_failed) for rate in preview.items}
    assert rates == {"opening": (0, 0), "forbidden": (1, 2)}
    assert [flip.contact_id for flip in preview.flips] == ["rude"]
    assert preview.flips[0].old_passed
    assert not preview.flips[0].new_passed
    assert (preview.old_passed, preview.new_passed) == (2, 1)
