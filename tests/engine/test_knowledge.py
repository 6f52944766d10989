"""Knowledge articles as data: what an import record must hold, and the diff a reviewer
reads between two versions."""

from __future__ import annotations

from datetime import date

import pytest

from lingting.engine.knowledge import (
    ArticleError,
    ArticleKind,
    article_record,
    content_changes,
    content_from_dict,
)

SCRIPT = {
    "code": "KB-S1",
    "kind": "script",
    "title": "辱骂客户处理",
    "steps": [
        {
            "name": "第一次警告",
            "say": "请您使用文明语言，否则我们将结束这次通话。",
            "words": ["文明语言"],
        },
        {
            "name": "第二次警告",
            "say": "请您尊重本次对话。",
            "words": ["尊重本次对话"],
            "avoid": ["闭嘴"],
        },
    ],
    "queues": ["ACD-03"],
    "effective_from": "2026-01-01",
}


def test_a_script_record_reads_into_ordered_steps_and_dates() -> None:
    record = article_record(SCRIPT)
    assert record.code == "KB-S1"
    assert record.effective_from == date(2026, 1, 1)
    assert record.content.kind is ArticleKind.SCRIPT
    assert [s.name for s in record.content.steps] == ["第一次警告", "第二次警告"]
    assert record.content.steps[1].avoid == ("闭嘴",)
    assert content_from_dict(record.content.to_dict()) == record.content


def test_an_answer_without_a_question_is_asked_by_its_title() -> None:
    record = article_record({"kind": "answer", "title": "停电了怎么办", "body": "先看空气开关。"})
    assert record.content.wordings == ("停电了怎么办",)


@pytest.mark.parametrize(
    ("record", "reason"),
    [
        ({"title": "x", "body": "y"}, "kind is missing"),
        ({"kind": "faq", "title": "x", "body": "y"}, "kind 'faq' is none of"),
        ({"kind": "answer", "title": "  ", "body": "y"}, "title is empty"),
        ({"kind": "answer", "title": "x"}, "body is empty"),
        ({"kind": "script", "title": "x"}, "at least one step"),
        (
            {"kind": "policy", "title": "x", "body": "y", "steps": [{"name": "a", "say": "b"}]},
            "only a script has steps",
        ),
        ({"kind": "script", "title": "x", "steps": [{"name": "a"}]}, "step 1: say is missing"),
        ({"kind": "answer", "title": "x", "body": "y", "tags": [1]}, "tags must be a list"),
        ({"kind": "answer", "title": "x", "body": "y", "colour": "red"}, "unknown field 'colour'"),
        ({"kind": "answer", "title": "x", "body": "y", "expires_on": "明天"}, "no date"),
        (
            {
                "kind": "answer",
                "title": "x",
                "body": "y",
                "effective_from": "2026-02-01",
                "expires_on": "2026-01-31",
            },
            "before effective_from",
        ),
    ],
)
def test_a_bad_record_is_refused_naming_what_is_wrong(record: dict, reason: str) -> None:
    with pytest.raises(ArticleError, match=reason):
        article_record(record)


def test_the_diff_shows_changed_fields_as_kept_removed_and_added_text() -> None:
    old = article_record({"kind": "policy", "title": "流量包", "body": "10元包1GB，当月有效。"})
    new = article_record(
        {"kind": "policy", "title": "流量包", "body": "15元包1GB，当月有效。", "tags": ["流量"]}
    )
    changes = content_changes(old.content, new.content)
    assert [c.field for c in changes] == ["body", "tags"]
    assert changes[0].runs == (("-", "10"), ("+", "15"), ("=", "元包1GB，当月有效。"))
    assert changes[1].runs == (("+", "流量"),)
