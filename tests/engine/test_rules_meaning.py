"""Rules on what a contact meant (emotion, tone, resolution), as a QA supervisor writes them."""

from __future__ import annotations

from typing import Any

import pytest

from lingting.engine.scorecard import ScorecardError
from tests.engine.test_rules import chat, item_result, one_item

UPSET_NEEDS_SOOTHING: dict[str, Any] = {
    "kind": "conditional",
    "trigger": {"emotion": ["dissatisfied", "angry"]},
    "response": {"tone": ["apology", "soothing"]},
    "within_turns": 2,
}


def test_an_upset_customer_without_an_apology_fails_on_the_words_the_emotion_rests_on() -> None:
    contact = chat(
        "customer: 你们到底管不管，都第三次打电话了",
        "agent: 请提供订单号",
        "customer: 123",
        "agent: 已经记录",
    )
    result = item_result(UPSET_NEEDS_SOOTHING, contact)
    assert result.result == "fail"
    (evidence,) = result.evidence
    assert evidence.turn == 0
    assert evidence.text in contact.turns[0].text
    assert "情绪" in result.detail


def test_soothing_in_other_words_than_a_list_counts() -> None:
    contact = chat("customer: 你们到底管不管，都第三次打电话了", "agent: 别着急，我马上帮您处理")
    assert item_result(UPSET_NEEDS_SOOTHING, contact).result == "pass"


def test_a_negated_or_supposed_complaint_needs_no_apology() -> None:
    for said in ("我没有不满意，就是问问", "要是不满意能退吗"):
        contact = chat(f"customer: {said}", "agent: 可以的")
        assert item_result(UPSET_NEEDS_SOOTHING, contact).result == "na", said


def test_words_and_meaning_together_either_triggers() -> None:
    rule = {**UPSET_NEEDS_SOOTHING, "trigger": {"emotion": ["angry"], "phrases": ["发错"]}}
    contact = chat("customer: 你们发错货了", "agent: 请提供订单号")
    result = item_result(rule, contact)
    assert result.result == "fail"
    assert result.evidence[0].text == "发错"


def test_min_intensity_leaves_out_mild_complaints() -> None:
    rule = {
        **UPSET_NEEDS_SOOTHING,
        "trigger": {"emotion": ["dissatisfied"], "min_intensity": 0.9},
    }
    contact = chat("customer: 有点不满意", "agent: 好的")
    assert item_result(rule, contact).result == "na"


def test_angry_at_the_end_is_fatal_unless_the_agent_escalates() -> None:
    rule = {
        "kind": "phrases",
        "mode": "required",
        "phrases": ["为您升级", "转给主管"],
        "only_if": {"emotion_end": ["angry"]},
    }
    angry_end = chat("customer: 你们太过分了，气死我了，我要投诉！！", "agent: 好的")
    escalated = chat("customer: 你们太过分了，气死我了，我要投诉！！", "agent: 我马上为您升级处理")
    calm_end = chat("customer: 你好，查一下话费", "agent: 好的")
    assert item_result(rule, angry_end, fatal=True).result == "fail"
    assert item_result(rule, escalated, fatal=True).result == "pass"
    assert item_result(rule, calm_end, fatal=True).result == "na"


def test_an_unresolved_contact_costs_the_points_of_an_outcome_item() -> None:
    rule = {"kind": "outcome", "fail_when": {"resolved": False}}
    unresolved = chat("customer: 网还是不行", "agent: 请重启路由器", "customer: 重启了还是不行")
    solved = chat("customer: 网断了", "agent: 请重启路由器", "customer: 好了，谢谢")
    result = item_result(rule, unresolved)
    assert result.result == "fail"
    assert result.points_lost == 10
    assert "未解决" in result.detail
    assert any("还是不行" in e.text for e in result.evidence)
    assert item_result(rule, solved).result == "pass"
    agent_only = chat("agent: 您好")
    assert item_result(rule, agent_only).result == "na"


def test_agent_tone_can_be_counted_like_words() -> None:
    rule = {"kind": "count", "tone": ["blaming", "impatient"], "max_hits": 0}
    contact = chat("customer: 怎么还没到", "agent: 这不是我们的问题，你自己去问快递")
    result = item_result(rule, contact)
    assert result.result == "fail"
    assert result.evidence[0].turn == 1


@pytest.mark.parametrize(
    ("rule", "problem"),
    [
        ({**UPSET_NEEDS_SOOTHING, "trigger": {"emotion": ["furious"]}}, "must be some of"),
        ({**UPSET_NEEDS_SOOTHING, "response": {"tone": ["kind"]}}, "must be some of"),
        (
            {**UPSET_NEEDS_SOOTHING, "trigger": {"emotion": ["angry"], "speaker": "agent"}},
            "customer turns",
        ),
        ({"kind": "outcome", "fail_when": {"resolved": "no"}}, "true, false, null"),
        ({"kind": "outcome", "fail_when": {}}, "give one of"),
        ({"kind": "outcome", "fail_when": {"satisfaction_below": 3}}, "0–1"),
    ],
)
def test_meaning_settings_that_cannot_work_are_refused_by_name(
    rule: dict[str, Any], problem: str
) -> None:
    with pytest.raises(ScorecardError, match=problem):
        one_item(rule)
