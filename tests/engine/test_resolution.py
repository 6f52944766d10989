"""Worked examples of how a contact's resolution is read from what the customer said."""

from __future__ import annotations

from lingting.engine.contacts import Turn
from lingting.engine.resolution import Resolution, contact_resolution


def _chat(*texts: str) -> tuple[Turn, ...]:
    """Turns alternating customer (even index) and agent (odd index)."""
    return tuple(
        Turn(index, "customer" if index % 2 == 0 else "agent", text)
        for index, text in enumerate(texts)
    )


def _verdict(*texts: str) -> tuple[bool | None, str]:
    result = contact_resolution(_chat(*texts))
    return result.resolved, result.reason


def _evidence(result: Resolution) -> list[tuple[int, str, str]]:
    return [(cue.turn, cue.text, cue.kind) for cue in result.evidence]


def _offsets_match(turns: tuple[Turn, ...], result: Resolution) -> bool:
    return all(
        turns[cue.turn].text[cue.start_char : cue.end_char] == cue.text for cue in result.evidence
    )


def test_jd_style_thanks_at_the_end_is_resolved_with_evidence() -> None:
    turns = _chat(
        "我的快递什么时候到",
        "您的订单预计明天送达",
        "好的 谢谢",
        "请问还有其他可以帮到您的吗?",
        "没有了",
        "感谢您对京东的支持，再见",
    )
    result = contact_resolution(turns)
    assert (result.resolved, result.reason) == (True, "thanked_and_ended")
    assert _evidence(result) == [
        (2, "好的", "confirmed"),
        (2, "谢谢", "thanked"),
        (4, "没有了", "ended"),
    ]
    assert [(c.start_char, c.end_char) for c in result.evidence] == [(0, 2), (3, 5), (0, 3)]
    assert _offsets_match(turns, result)


def test_a_confirmation_alone_is_resolved() -> None:
    assert _verdict("怎么申请退款", "在订单页点申请售后", "明白了") == (True, "confirmed")
    assert _verdict("发票能开吗", "可以的", "行，那我等着") == (True, "confirmed")


def test_a_bare_reply_counts_only_as_the_whole_turn() -> None:
    assert _verdict("还有别的问题吗", "请问还有其他问题吗", "没了") == (True, "thanked_and_ended")
    # 钱没了 is not a goodbye
    assert _verdict("退款呢", "已经退了", "我的钱没了") == (None, "unclear")


def test_still_not_working_after_the_answer_is_unresolved() -> None:
    turns = _chat("路由器连不上网", "请您重启一下路由器", "重启了，还是不行")
    result = contact_resolution(turns)
    assert (result.resolved, result.reason) == (False, "still_broken")
    assert _evidence(result) == [(2, "还是不行", "still_broken")]
    assert (result.evidence[0].start_char, result.evidence[0].end_char) == (4, 8)
    assert _offsets_match(turns, result)


def test_telling_the_problem_first_is_not_a_verdict() -> None:
    # 没用 in the opening turn is the problem; no agent has answered yet.
    assert _verdict("这个充电器没用", "您好，请提供订单号") == (None, "unclear")


def test_a_question_asked_again_after_the_answer_is_unresolved() -> None:
    turns = _chat(
        "我的快递什么时候到",
        "正在配送中",
        "我是问什么时候到？",
        "预计今天送达，请耐心等待",
    )
    result = contact_resolution(turns)
    assert (result.resolved, result.reason) == (False, "repeated_question")
    assert _evidence(result) == [
        (0, "什么时候到", "asked_before"),
        (2, "什么时候到", "repeated_question"),
    ]
    assert _offsets_match(turns, result)


def test_a_question_repeated_within_one_turn_is_not_a_repeat() -> None:
    assert _verdict("什么时候到 什么时候到", "明天到") == (None, "unclear")


def test_a_complaint_then_thanks_at_the_end_is_resolved() -> None:
    assert _verdict("等了三天了还是没到", "帮您催了，今天送达", "好的谢谢") == (
        True,
        "thanked_and_ended",
    )


def test_later_cue_outweighs_earlier_thanks() -> None:
    assert _verdict("怎么退货", "点申请售后", "好的谢谢", "还有问题吗", "试了，没用") == (
        False,
        "still_broken",
    )


def test_within_one_turn_the_unresolved_cue_wins() -> None:
    assert _verdict("密码怎么重置", "点忘记密码", "好的，还是不行") == (False, "still_broken")


def test_a_threat_at_the_end_is_unresolved() -> None:
    turns = _chat("退款一直不到账", "我们正在处理", "我要投诉你们")
    result = contact_resolution(turns)
    assert (result.resolved, result.reason) == (False, "threatened")
    assert _evidence(result) == [(2, "投诉", "threat")]
    assert _offsets_match(turns, result)


def test_a_threat_is_not_withdrawn_by_later_thanks() -> None:
    assert _verdict("再不处理我打12315", "马上为您处理", "好的谢谢") == (False, "threatened")


def test_asking_for_a_supervisor_is_unresolved() -> None:
    assert _verdict("这个问题你解决不了", "很抱歉", "找你们领导来") == (False, "asked_supervisor")


def test_asking_for_a_human_before_any_answer_is_routing() -> None:
    assert _verdict("转人工", "您好，有什么可以帮您", "运费多少", "免运费", "好的") == (
        True,
        "confirmed",
    )


def test_negated_cues_do_not_count() -> None:
    assert _verdict("快递到了吗", "已经签收了", "不是还没到，是到了，谢谢") == (
        True,
        "thanked_and_ended",
    )
    assert _verdict("能退吗", "可以退", "我不会投诉的，放心") == (None, "unclear")


def test_a_condition_is_not_a_verdict() -> None:
    assert _verdict("什么时候修好", "明天中午前", "好的，要是还不行我再联系") == (True, "confirmed")


def test_a_resolving_word_asked_as_a_question_does_not_count() -> None:
    assert _verdict("退款了吗", "已经退了", "收到了吗？") == (False, "unanswered")


def test_ending_on_an_unanswered_question_is_unresolved() -> None:
    turns = _chat("订单能改地址吗", "不同城市不能改", "那怎么办？")
    result = contact_resolution(turns)
    assert (result.resolved, result.reason) == (False, "unanswered")
    assert _evidence(result) == [(2, "那怎么办？", "unanswered")]
    assert _offsets_match(turns, result)


def test_ending_on_an_unanswered_complaint_is_unresolved() -> None:
    assert _verdict("怎么还不发货", "请您耐心等待", "你们太慢了") == (False, "unanswered")


def test_an_agent_only_transcript_is_null() -> None:
    result = contact_resolution((Turn(0, "agent", "您好"), Turn(1, "agent", "再见")))
    assert (result.resolved, result.reason, result.evidence) == (None, "no_customer_turns", ())


def test_nothing_either_way_is_null() -> None:
    assert _verdict("运费多少", "免运费") == (None, "unclear")


def test_other_speakers_are_ignored() -> None:
    turns = (
        Turn(0, "customer", "什么时候到"),
        Turn(1, "bot", "请稍等"),
        Turn(2, "customer", "什么时候到"),
    )
    # the bot line is no agent answer: not a repeat, and the question stands unanswered
    assert contact_resolution(turns).reason == "unanswered"


def test_to_dict_gives_the_score_fields() -> None:
    result = contact_resolution(_chat("在吗", "在的", "谢谢"))
    assert result.to_dict() == {
        "resolved": True,
        "resolution_reason": "thanked_and_ended",
        "resolution_evidence": [
            {"turn": 2, "start_char": 0, "end_char": 2, "text": "谢谢", "kind": "thanked"}
        ],
    }


def test_giving_up_is_unresolved_unless_settled_later() -> None:
    turns = _chat("能改成老家地址吗", "不同城市无法修改，只能重新下单", "那就算了")
    result = contact_resolution(turns)
    assert (result.resolved, result.reason) == (False, "gave_up")
    assert _evidence(result) == [(2, "那就算了", "gave_up")]
    assert _verdict("能改地址吗", "不能改", "那算了", "可以重新下单", "好的谢谢") == (
        True,
        "thanked_and_ended",
    )


def test_no_more_questions_in_the_jd_spellings_ends_the_contact() -> None:
    turns = _chat("到了吗", "已签收", "没了再见")
    result = contact_resolution(turns)
    assert (result.resolved, result.reason) == (True, "thanked_and_ended")
    assert _evidence(result) == [(2, "再见", "ended")]
    assert _verdict("到了吗", "已签收", "没有 了") == (True, "thanked_and_ended")


def test_a_confirmation_put_as_a_question_asks() -> None:
    assert _verdict("退款申请了", "已提交", "申请好了吧？") == (False, "unanswered")
    assert _verdict("退款申请了", "已提交", "申请好了吧？", "是的，审核通过") == (None, "unclear")


def test_either_or_is_not_still_broken() -> None:
    assert _verdict("能装吗", "都可以装", "有电池还是没有？", "有电池", "好的") == (
        True,
        "confirmed",
    )
    assert _verdict("什么时候到", "今天到", "还是没有到") == (False, "still_broken")


def test_a_conditional_giving_up_is_not_giving_up() -> None:
    assert _verdict("能晚上送吗", "帮您联系站点", "谢谢你 要是不行的话就算了吧") == (
        True,
        "thanked_and_ended",
    )
