"""Each rule kind, as a QA supervisor would write it in a scorecard, on small contacts."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from lingting.engine.contacts import Contact, Hold, Turn
from lingting.engine.results import ItemResult
from lingting.engine.rules.scan import spoken_length
from lingting.engine.scorecard import Scorecard, ScorecardError
from lingting.engine.scorecard_yaml import parse_scorecard


def item_result(rule: dict[str, Any], contact: Contact, **item: Any) -> ItemResult:
    """Score `contact` with a one-item scorecard whose item has `rule`."""
    compiled = one_item(rule, **item).compile()
    return compiled.score(contact).items[0]


def one_item(rule: dict[str, Any], **item: Any) -> Scorecard:
    fields = {"id": "check", "title": "检查", "points": 10, "severity": "B", "rule": rule, **item}
    document = {
        "scorecard": "test",
        "version": "1",
        "sections": [{"id": "main", "title": "主要", "items": [fields]}],
    }
    return parse_scorecard(yaml.safe_dump(document, allow_unicode=True), source="test.yaml")


def chat(*lines: str, **fields: Any) -> Contact:
    """A text chat: each line is "agent: …" or "customer: …"."""
    turns = []
    for index, line in enumerate(lines):
        speaker, text = line.split(": ", 1)
        turns.append(Turn(index, speaker, text))
    return Contact(id="c1", turns=tuple(turns), **fields)


def call(*turns: tuple[str, float, float, str], **fields: Any) -> Contact:
    """A timed call: each turn is (speaker, start, end, text)."""
    built = tuple(Turn(i, who, text, start, end) for i, (who, start, end, text) in enumerate(turns))
    return Contact(id="call1", channel="voice", turns=built, **fields)


FORBIDDEN = {"kind": "phrases", "mode": "forbidden", "phrases": ["不知道", "不清楚"]}


# --- phrases ------------------------------------------------------------------------------


def test_forbidden_phrase_fails_with_exact_character_offsets() -> None:
    text = "您好，这个问题我也不知道"
    result = item_result(FORBIDDEN, chat("customer: 请问", f"agent: {text}"))

    assert result.result == "fail"
    assert result.points_lost == 10
    (evidence,) = result.evidence
    assert (evidence.turn, evidence.speaker) == (1, "agent")
    assert text[evidence.start_char : evidence.end_char] == "不知道" == evidence.text
    assert evidence.start_char == text.index("不知道")


def test_customer_saying_a_forbidden_phrase_is_not_the_agents_fault() -> None:
    result = item_result(FORBIDDEN, chat("customer: 我也不知道怎么办", "agent: 我来帮您查"))

    assert result.result == "pass"


def test_speaker_any_checks_everyone() -> None:
    rule = {**FORBIDDEN, "speaker": "any"}

    assert item_result(rule, chat("customer: 我不知道", "agent: 好的")).result == "fail"


def test_speaker_any_hits_are_in_conversation_order_across_speakers() -> None:
    rule = {**FORBIDDEN, "speaker": "any"}
    contact = chat("agent: 不清楚", "customer: 我不知道", "system: 不清楚", "agent: 不知道")

    result = item_result(rule, contact)

    assert [(e.turn, e.speaker, e.text) for e in result.evidence] == [
        (0, "agent", "不清楚"),
        (1, "customer", "不知道"),
        (2, "system", "不清楚"),
        (3, "agent", "不知道"),
    ]


def test_every_hit_is_evidence_in_conversation_order() -> None:
    contact = chat("agent: 不清楚", "customer: 啊？", "agent: 真不知道，也不清楚")

    result = item_result(FORBIDDEN, contact)

    assert [(e.turn, e.text) for e in result.evidence] == [
        (0, "不清楚"),
        (2, "不知道"),
        (2, "不清楚"),
    ]


def test_required_phrase_passes_when_any_one_is_said() -> None:
    rule = {"kind": "phrases", "mode": "required", "phrases": ["您好", "你好"]}

    assert item_result(rule, chat("agent: 你好呀")).result == "pass"
    assert item_result(rule, chat("agent: 在的")).result == "fail"


def test_required_all_names_the_missing_phrases() -> None:
    rule = {"kind": "phrases", "mode": "required", "match": "all", "phrases": ["您好", "再见"]}

    result = item_result(rule, chat("agent: 您好", "agent: 好的"))

    assert result.result == "fail"
    assert "再见" in result.detail
    assert item_result(rule, chat("agent: 您好", "agent: 再见")).result == "pass"


def test_forbidden_all_fails_only_when_every_phrase_is_said() -> None:
    rule = {"kind": "phrases", "mode": "forbidden", "match": "all", "phrases": ["不行", "算了"]}

    assert item_result(rule, chat("agent: 不行")).result == "pass"
    assert item_result(rule, chat("agent: 不行", "agent: 那就算了")).result == "fail"


def test_half_and_full_width_punctuation_match_the_same_phrase() -> None:
    rule = {"kind": "phrases", "mode": "forbidden", "phrases": ["这个,"]}

    assert item_result(rule, chat("agent: 这个，就是")).result == "fail"
    assert item_result(rule, chat("agent: 这个,就是")).result == "fail"
    assert item_result(rule, chat("agent: 这个月")).result == "pass"


def test_contact_without_agent_turns_is_not_applicable() -> None:
    contact = chat("customer: 你好", "customer: 在吗")

    assert item_result(FORBIDDEN, contact).result == "na"
    required = {"kind": "phrases", "mode": "required", "phrases": ["您好"]}
    assert item_result(required, contact).result == "na"
    assert item_result(FORBIDDEN, Contact(id="empty")).result == "na"


# --- exceptions (except_in) ---------------------------------------------------------------

EXCUSED = {**FORBIDDEN, "except_in": ["不清楚的话", "如果您不清楚", "看不清楚"]}


@pytest.mark.parametrize(
    "text", ["不清楚的话我帮您查一下", "如果您不清楚，我再说一遍", "亮度太高会看不清楚的"]
)
def test_a_phrase_inside_an_excusing_context_does_not_count(text: str) -> None:
    assert item_result(EXCUSED, chat(f"agent: {text}")).result == "pass"


def test_a_context_excuses_only_the_hit_it_covers() -> None:
    text = "不清楚的话我帮您查，不过这个我也不清楚"

    result = item_result(EXCUSED, chat(f"agent: {text}"))

    assert result.result == "fail"
    assert [e.start_char for e in result.evidence] == [text.rindex("不清楚")]


def test_a_context_at_a_turn_boundary_does_not_leak_into_the_next_turn() -> None:
    contact = chat("agent: 您要是看不", "agent: 清楚的话")

    assert item_result({**FORBIDDEN, "except_in": ["看不清楚"]}, contact).result == "pass"


def test_context_must_contain_a_phrase_or_the_scorecard_is_rejected() -> None:
    rule = {**FORBIDDEN, "except_in": ["没关系"]}

    with pytest.raises(ScorecardError) as error:
        one_item(rule)

    message = str(error.value)
    assert "test.yaml" in message
    assert "item 'check'" in message
    assert "rule.except_in" in message
    assert "没关系" in message


# --- regex --------------------------------------------------------------------------------


def test_regex_finds_its_pattern_with_exclusions() -> None:
    rule = {
        "kind": "regex",
        "mode": "forbidden",
        "pattern": "你(?!好|们)",
        "except_in": ["你我"],
        "except_pattern": "迷你",
    }

    assert item_result(rule, chat("agent: 你看一下")).result == "fail"
    assert item_result(rule, chat("agent: 你好，你们")).result == "pass"
    assert item_result(rule, chat("agent: 迷你款")).result == "pass"
    assert item_result(rule, chat("agent: 你我都知道")).result == "pass"


def test_regex_that_matches_empty_text_is_rejected() -> None:
    with pytest.raises(ScorecardError, match="matches empty text"):
        one_item({"kind": "regex", "mode": "forbidden", "pattern": "啊*"})


def test_invalid_regex_is_rejected_with_the_reason() -> None:
    with pytest.raises(ScorecardError, match="not a valid regular expression"):
        one_item({"kind": "regex", "mode": "forbidden", "pattern": "(啊"})


# --- position (within) --------------------------------------------------------------------

OPENING = {"kind": "phrases", "mode": "required", "phrases": ["您好"], "within": {"first_turns": 1}}


def test_opening_must_be_in_the_first_agent_turn() -> None:
    late = chat("customer: 在吗", "agent: 稍等", "agent: 您好")

    result = item_result(OPENING, late)

    assert result.result == "fail"
    assert [e.text for e in result.evidence] == ["稍等"]
    assert "客服第一句" in result.detail
    assert item_result(OPENING, chat("customer: 在吗", "agent: 您好")).result == "pass"


def test_closing_counts_in_the_last_two_agent_turns_only() -> None:
    rule = {"kind": "phrases", "mode": "required", "phrases": ["再见"], "within": {"last_turns": 2}}

    assert item_result(rule, chat("agent: 再见", "agent: 好", "agent: 嗯")).result == "fail"
    assert item_result(rule, chat("agent: 好", "agent: 再见", "agent: 嗯")).result == "pass"


def test_time_window_needs_timings() -> None:
    rule = {
        "kind": "phrases",
        "mode": "required",
        "phrases": ["您好"],
        "within": {"first_seconds": 5},
    }
    timed = call(("agent", 0, 2, "喂"), ("agent", 6, 8, "您好"))

    assert item_result(rule, timed).result == "fail"
    assert item_result(rule, chat("agent: 您好")).result == "na"


def test_window_takes_exactly_one_limit() -> None:
    with pytest.raises(ScorecardError, match="exactly one of"):
        one_item({**OPENING, "within": {"first_turns": 1, "last_turns": 1}})


# --- sequence -----------------------------------------------------------------------------

FLOW = {
    "kind": "sequence",
    "steps": [
        {"name": "开头语", "phrases": ["您好"]},
        {"name": "要订购", "speaker": "customer", "phrases": ["我要订"]},
        {"name": "三要素", "phrases": ["您贵姓"]},
        {"name": "说卖点", "required": False, "phrases": ["特点"]},
        {"name": "祝福语", "phrases": ["祝您"]},
    ],
}


def test_sequence_in_order_passes_and_notes_optional_steps_not_seen() -> None:
    contact = chat("agent: 您好", "customer: 我要订一台", "agent: 请问您贵姓", "agent: 祝您愉快")

    result = item_result(FLOW, contact)

    assert result.result == "pass"
    assert "说卖点" in result.detail


def test_sequence_reports_missing_and_out_of_order_steps() -> None:
    contact = chat("agent: 您好，祝您愉快", "customer: 我要订一台", "agent: 好的")

    result = item_result(FLOW, contact)

    assert result.result == "fail"
    assert "缺少步骤：三要素" in result.detail
    assert "顺序不对：祝福语" in result.detail
    assert [e.text for e in result.evidence] == ["祝您"]


def test_sequence_without_one_party_is_not_applicable() -> None:
    assert item_result(FLOW, chat("agent: 您好", "agent: 祝您愉快")).result == "na"


# --- counts and rates ---------------------------------------------------------------------

FILLERS = {
    "kind": "count",
    "phrases": ["啊", "这个，"],
    "max_per_100_chars": 10,
    "min_hits": 3,
}


def test_fillers_above_the_rate_fail_with_every_hit_as_evidence() -> None:
    result = item_result(FILLERS, chat("agent: 啊，这个，啊，您的话费是五十元啊"))

    assert result.result == "fail"
    assert [e.text for e in result.evidence] == ["啊", "这个，", "啊", "啊"]


def test_fillers_under_the_rate_or_too_few_pass() -> None:
    long_turn = "啊，您的话费是五十元，本月套餐还剩三个G流量，通话还剩一百分钟，请注意查收短信啊"
    assert item_result(FILLERS, chat(f"agent: {long_turn}")).result == "pass"
    assert item_result(FILLERS, chat("agent: 啊啊")).result == "pass"


def test_per_hit_deduction_is_capped_at_the_item_points() -> None:
    contact = chat("agent: 啊，这个，啊，好的啊")

    few = item_result(FILLERS, contact, points=10, per_hit_points=1)
    capped = item_result(FILLERS, contact, points=2, per_hit_points=1)

    assert few.points_lost == 4
    assert capped.points_lost == 2


def test_count_with_max_hits() -> None:
    rule = {"kind": "count", "phrases": ["亲"], "max_hits": 2}

    assert item_result(rule, chat("agent: 亲亲，亲")).result == "fail"
    assert item_result(rule, chat("agent: 亲，亲")).result == "pass"


def test_spoken_length_counts_ideographs_letters_and_digits_only() -> None:
    assert spoken_length("您好，3G流量！ ok?") == 8
    assert spoken_length("……  ，。") == 0


# --- answer speed -------------------------------------------------------------------------

ANSWER = {"kind": "answer_speed", "max_rings": 3, "seconds_per_ring": 5}
T0 = datetime(2026, 10, 1, 9, 0, 0, tzinfo=UTC)


def at(seconds: float) -> datetime:
    return T0.replace(second=int(seconds))


def test_answer_within_three_rings() -> None:
    assert item_result(ANSWER, chat("agent: 您好", rings=3)).result == "pass"
    late = item_result(ANSWER, chat("agent: 您好", rings=4))
    assert late.result == "fail"
    assert "4 声" in late.detail


def test_answer_speed_from_times_when_the_call_went_straight_to_the_agent() -> None:
    quick = chat("agent: 您好", started_at=at(0), answered_at=at(12))
    slow = chat("agent: 您好", started_at=at(0), answered_at=at(20))

    assert item_result(ANSWER, quick).result == "pass"
    assert item_result(ANSWER, slow).result == "fail"


def test_time_in_the_acd_queue_is_not_held_against_the_agent() -> None:
    queued = chat("agent: 您好", queued_at=at(0), started_at=at(0), answered_at=at(50))
    waited = chat("agent: 您好", started_at=at(0), answered_at=at(50), wait_s=45)

    assert item_result(ANSWER, queued).result == "na"
    assert item_result(ANSWER, waited).result == "na"


def test_answer_speed_without_ring_count_or_times_is_not_applicable() -> None:
    assert item_result(ANSWER, chat("agent: 您好")).result == "na"
    assert item_result(ANSWER, chat("agent: 您好", rings=9, direction="outbound")).result == "na"


# --- speech rate --------------------------------------------------------------------------

RATE = {"kind": "speech_rate", "min_cpm": 150, "max_cpm": 260, "min_speaking_s": 10}
SENTENCE = "您好很高兴为您服务请问有什么可以帮您"  # 18 spoken characters


def test_speech_rate_in_band_passes() -> None:
    contact = call(("agent", 0, 5, SENTENCE), ("agent", 5, 10, SENTENCE))  # 216 cpm

    assert item_result(RATE, contact).result == "pass"


def test_too_fast_points_at_the_fastest_turn() -> None:
    contact = call(("agent", 0, 4, SENTENCE), ("agent", 4, 7, SENTENCE), ("agent", 7, 11, SENTENCE))

    result = item_result(RATE, contact)

    assert result.result == "fail"
    assert "过快" in result.detail
    assert [(e.turn, e.time) for e in result.evidence] == [(1, 4)]


def test_too_slow_fails() -> None:
    contact = call(("agent", 0, 8, SENTENCE), ("agent", 8, 16, SENTENCE))  # 135 cpm

    result = item_result(RATE, contact)

    assert result.result == "fail"
    assert "过慢" in result.detail


def test_speech_rate_ignores_punctuation_and_the_customer() -> None:
    punctuated = "您好，很高兴为您服务！请问，有什么可以帮您？"
    contact = call(
        ("agent", 0, 5, punctuated),
        ("customer", 5, 6, "我想查一下我上个月的话费账单和流量使用情况"),
        ("agent", 6, 11, punctuated),
    )

    assert item_result(RATE, contact).result == "pass"


def test_speech_rate_needs_timings_and_enough_speech() -> None:
    assert item_result(RATE, chat(f"agent: {SENTENCE}")).result == "na"
    assert item_result(RATE, call(("agent", 0, 2, "您好"))).result == "na"


# --- dead air -----------------------------------------------------------------------------

DEAD_AIR = {
    "kind": "dead_air",
    "max_gap_s": 10,
    "notice": {"phrases": ["请稍等"]},
    "max_gap_after_notice_s": 30,
}


def test_long_silence_fails_with_the_turn_after_it() -> None:
    contact = call(("customer", 0, 4, "怎么续费"), ("agent", 16, 20, "可以网上续费"))

    result = item_result(DEAD_AIR, contact)

    assert result.result == "fail"
    (evidence,) = result.evidence
    assert (evidence.turn, evidence.time) == (1, 16)
    assert "12" in result.detail


def test_silence_after_a_wait_notice_may_be_longer() -> None:
    contact = call(("agent", 0, 4, "好的请稍等"), ("agent", 25, 28, "查到了"))

    assert item_result(DEAD_AIR, contact).result == "pass"


def test_hold_time_is_not_dead_air() -> None:
    contact = call(
        ("agent", 0, 4, "好的我看一下"), ("agent", 64, 68, "查到了"), holds=(Hold(4.5, 60),)
    )

    assert item_result(DEAD_AIR, contact).result == "pass"


def test_overlapping_turns_are_not_silence() -> None:
    contact = call(
        ("customer", 0, 20, "我说一段很长的话"), ("agent", 5, 6, "嗯"), ("agent", 21, 22, "好")
    )

    assert item_result(DEAD_AIR, contact).result == "pass"


def test_dead_air_needs_timings() -> None:
    assert item_result(DEAD_AIR, chat("agent: 您好")).result == "na"


# --- interruption -------------------------------------------------------------------------

INTERRUPT = {"kind": "interruption", "min_overlap_s": 1.0, "max_count": 0}


def test_agent_talking_over_the_customer_is_an_interruption() -> None:
    contact = call(("customer", 0, 6, "我上个月的话费多扣了"), ("agent", 3, 7, "这是增值业务费"))

    result = item_result(INTERRUPT, contact)

    assert result.result == "fail"
    assert [e.turn for e in result.evidence] == [1]


def test_short_overlap_is_a_back_channel_not_an_interruption() -> None:
    contact = call(("customer", 0, 6, "我上个月的话费多扣了"), ("agent", 5.5, 7, "嗯"))

    assert item_result(INTERRUPT, contact).result == "pass"


def test_interruptions_up_to_max_count_are_tolerated() -> None:
    contact = call(("customer", 0, 6, "我上个月"), ("agent", 3, 7, "这是"))

    assert item_result({**INTERRUPT, "max_count": 1}, contact).result == "pass"
    assert item_result(INTERRUPT, chat("customer: 我", "agent: 您")).result == "na"


# --- hold ---------------------------------------------------------------------------------

HOLD = {
    "kind": "hold",
    "max_total_s": 100,
    "max_single_s": 60,
    "notice": {"phrases": ["稍等"], "last_turns": 1},
}


def test_announced_short_hold_passes() -> None:
    contact = call(("agent", 0, 3, "请您稍等"), ("agent", 40, 42, "好了"), holds=(Hold(3.5, 39),))

    assert item_result(HOLD, contact).result == "pass"


def test_hold_without_notice_points_at_the_last_agent_turn_before_it() -> None:
    contact = call(
        ("agent", 0, 3, "请您稍等"),
        ("customer", 3, 4, "好"),
        ("agent", 5, 7, "我看一下"),
        ("agent", 40, 42, "好了"),
        holds=(Hold(7.5, 39),),
    )

    result = item_result(HOLD, contact)

    assert result.result == "fail"
    assert [e.text for e in result.evidence] == ["我看一下"]
    assert "未告知" in result.detail


def test_long_holds_fail() -> None:
    one_long = call(("agent", 0, 3, "请稍等"), ("agent", 70, 72, "好了"), holds=(Hold(3, 69),))
    assert "单次保持" in item_result(HOLD, one_long).detail
    assert item_result(HOLD, chat("agent: 您好", hold_s=120)).result == "fail"
    assert item_result(HOLD, chat("agent: 您好", hold_s=20)).result == "pass"


def test_no_hold_record_is_not_applicable() -> None:
    assert item_result(HOLD, chat("agent: 您好")).result == "na"


# --- agent hung up first ------------------------------------------------------------------

HANGUP = {"kind": "hangup", "fails_when_by": "agent"}


def test_agent_hanging_up_first_fails_and_points_at_the_last_agent_turn() -> None:
    result = item_result(HANGUP, chat("agent: 再见", "customer: 等等", hangup_by="agent"))

    assert result.result == "fail"
    assert [e.text for e in result.evidence] == ["再见"]
    assert item_result(HANGUP, chat("agent: 再见", hangup_by="customer")).result == "pass"
    assert item_result(HANGUP, chat("agent: 再见")).result == "na"


# --- sequence until an ending -------------------------------------------------------------

WARN_THEN_END = {
    "kind": "sequence",
    "until": {"phrases": ["感谢您的使用，再见"], "hangup_by": "agent"},
    "steps": [
        {"name": "第一次警告", "phrases": ["文明用语"]},
        {"name": "第二次警告", "phrases": ["尊重本次对话"]},
    ],
}


def test_steps_before_the_ending_in_order_pass() -> None:
    contact = chat(
        "agent: 请您文明用语",
        "agent: 请您尊重本次对话",
        "agent: 感谢您的使用，再见",
        hangup_by="agent",
    )

    assert item_result(WARN_THEN_END, contact).result == "pass"


def test_ending_at_once_misses_every_step_and_points_at_the_ending() -> None:
    result = item_result(WARN_THEN_END, chat("customer: 滚", "agent: 感谢您的使用，再见"))

    assert result.result == "fail"
    assert [e.text for e in result.evidence] == ["感谢您的使用，再见"]
    assert result.detail == "客服说“感谢您的使用，再见”结束之前：缺少步骤：第一次警告、第二次警告"


def test_steps_said_only_after_the_ending_do_not_count() -> None:
    contact = chat("agent: 请您文明用语", "agent: 感谢您的使用,再见", "agent: 请您尊重本次对话")

    result = item_result(WARN_THEN_END, contact)

    assert result.result == "fail"
    assert "缺少步骤：第二次警告" in result.detail


def test_hanging_up_without_the_words_is_an_ending_too() -> None:
    contact = chat("customer: 滚", "agent: 请您文明用语", "customer: 滚", hangup_by="agent")

    result = item_result(WARN_THEN_END, contact)

    assert result.result == "fail"
    assert result.detail == "客服挂机结束之前：缺少步骤：第二次警告"
    assert [e.text for e in result.evidence] == ["请您文明用语"]


def test_a_contact_not_ended_so_is_not_judged() -> None:
    unended = chat("customer: 滚", "agent: 您好", hangup_by="customer")

    assert item_result(WARN_THEN_END, unended).result == "na"


def test_until_needs_phrases_and_a_known_party() -> None:
    with pytest.raises(ScorecardError, match=r"rule\.until: missing 'phrases'"):
        one_item({**WARN_THEN_END, "until": {"hangup_by": "agent"}})
    with pytest.raises(ScorecardError, match=r"rule\.until\.hangup_by: must be one of"):
        one_item({**WARN_THEN_END, "until": {"phrases": ["再见"], "hangup_by": "nobody"}})


def test_until_allows_a_single_step_before_the_ending() -> None:
    rule = {**WARN_THEN_END, "steps": [{"name": "警告", "phrases": ["文明用语"]}]}

    assert item_result(rule, chat("agent: 请您文明用语", "agent: 感谢您的使用，再见")).result == (
        "pass"
    )
    with pytest.raises(ScorecardError, match="at least two steps"):
        one_item({k: v for k, v in rule.items() if k != "until"})


# --- conditional --------------------------------------------------------------------------

APOLOGY = {
    "kind": "conditional",
    "trigger": {"speaker": "customer", "phrases": ["太慢了", "投诉"]},
    "response": {"speaker": "agent", "phrases": ["抱歉", "对不起"]},
    "within_turns": 2,
}


def test_complaint_answered_by_an_apology_passes() -> None:
    contact = chat("customer: 太慢了", "agent: 我查一下", "agent: 非常抱歉让您久等")

    assert item_result(APOLOGY, contact).result == "pass"


def test_complaint_without_apology_fails_with_evidence_at_the_complaint() -> None:
    contact = chat("customer: 太慢了", "agent: 我查一下", "agent: 明天到", "agent: 抱歉")

    result = item_result(APOLOGY, contact)

    assert result.result == "fail"
    assert [(e.turn, e.text) for e in result.evidence] == [(0, "太慢了")]


def test_no_complaint_or_no_reply_is_not_applicable() -> None:
    assert item_result(APOLOGY, chat("customer: 你好", "agent: 您好")).result == "na"
    assert item_result(APOLOGY, chat("agent: 您好", "customer: 我要投诉")).result == "na"


# --- anchored -----------------------------------------------------------------------------

THANKS = {
    "kind": "anchored",
    "anchor": {"speaker": "customer", "phrases": ["我建议"]},
    "position": "after",
    "rule": {"kind": "phrases", "mode": "required", "phrases": ["感谢", "谢谢"]},
}


def test_thanks_must_come_after_the_suggestion() -> None:
    before = chat("agent: 谢谢您", "customer: 我建议多备货", "agent: 好的")
    after = chat("customer: 我建议多备货", "agent: 感谢您的建议")

    result = item_result(THANKS, before)

    assert result.result == "fail"
    assert [e.text for e in result.evidence] == ["我建议"]
    assert item_result(THANKS, after).result == "pass"
    assert item_result(THANKS, chat("agent: 您好")).result == "na"


def test_anchored_before_the_last_anchor() -> None:
    rule = {
        "kind": "anchored",
        "anchor": {"speaker": "customer", "phrases": ["没有了"], "occurrence": "last"},
        "position": "before",
        "rule": {"kind": "phrases", "mode": "required", "phrases": ["还有其他"]},
    }
    asked = chat("agent: 请问还有其他问题吗", "customer: 没有了", "agent: 再见")

    assert item_result(rule, asked).result == "pass"
    assert item_result(rule, chat("customer: 没有了", "agent: 再见")).result == "na"


# --- only_if and all ----------------------------------------------------------------------


def test_only_if_limits_an_item_to_some_contacts() -> None:
    rule = {**FORBIDDEN, "only_if": {"channel": ["voice"], "said": {"phrases": ["订购"]}}}
    words = ("customer: 我要订购", "agent: 不知道")

    assert item_result(rule, chat(*words, channel="voice")).result == "fail"
    assert item_result(rule, chat(*words, channel="chat")).result == "na"
    assert (
        item_result(rule, chat("customer: 查话费", "agent: 不知道", channel="voice")).result == "na"
    )


def test_all_fails_when_any_part_fails_and_joins_the_evidence() -> None:
    rule = {
        "kind": "all",
        "rules": [OPENING, {"kind": "phrases", "mode": "forbidden", "phrases": ["喂"]}],
    }

    greeting_with_wei = item_result(rule, chat("agent: 喂，您好"))

    assert greeting_with_wei.result == "fail"
    assert [e.text for e in greeting_with_wei.evidence] == ["喂"]
    assert item_result(rule, chat("agent: 您好")).result == "pass"
    assert item_result(rule, chat("customer: 喂")).result == "na"


# --- robustness ---------------------------------------------------------------------------

EVERY_KIND = [
    FORBIDDEN,
    EXCUSED,
    OPENING,
    FLOW,
    FILLERS,
    ANSWER,
    RATE,
    DEAD_AIR,
    INTERRUPT,
    HOLD,
    HANGUP,
    APOLOGY,
    THANKS,
    WARN_THEN_END,
]
ALL_KINDS = one_item({"kind": "all", "rules": EVERY_KIND}).compile()
WORDS = st.sampled_from(
    [
        "不知道",
        "不清楚的话",
        "您好",
        "啊",
        "这个，",
        "太慢了",
        "抱歉",
        "稍等",
        "喂",
        "，",
        "\n",
        "😀",
    ]
)


@st.composite
def contacts(draw: st.DrawFn) -> Contact:
    count = draw(st.integers(0, 8))
    timed = draw(st.booleans())
    turns, clock = [], 0.0
    for index in range(count):
        speaker = draw(st.sampled_from(["agent", "customer", "system"]))
        text = "".join(draw(st.lists(WORDS, max_size=4)))
        if timed:
            start = clock + draw(st.floats(0, 20))
            end = start + draw(st.floats(0, 10))
            clock = start
            turns.append(Turn(index, speaker, text, start, end))
        else:
            turns.append(Turn(index, speaker, text))
    holds = tuple(
        Hold(s, s + d)
        for s, d in draw(st.lists(st.tuples(st.floats(0, 50), st.floats(0, 90)), max_size=2))
    )
    return Contact(
        id="random",
        turns=tuple(turns),
        holds=holds,
        rings=draw(st.none() | st.integers(0, 9)),
        hangup_by=draw(st.none() | st.sampled_from(["agent", "customer"])),
    )


@settings(max_examples=300, deadline=None)
@given(contacts())
def test_any_contact_scores_without_error_and_evidence_points_into_the_turn(
    contact: Contact,
) -> None:
    result = ALL_KINDS.score(contact)

    assert 0 <= result.score <= 100
    for evidence in result.items[0].evidence:
        text = contact.turns[evidence.turn].text
        assert text[evidence.start_char : evidence.end_char] == evidence.text
