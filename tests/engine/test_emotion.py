"""Worked examples of how the customer's emotion is read from the words of each turn."""

from __future__ import annotations

from collections import Counter

from lingting.engine import emotion_words as words
from lingting.engine.contacts import Turn
from lingting.engine.emotion import CustomerEmotion, TurnEmotion, customer_emotion


def _chat(*texts: str) -> tuple[Turn, ...]:
    """Turns alternating customer (even index) and agent (odd index)."""
    return tuple(
        Turn(index, "customer" if index % 2 == 0 else "agent", text)
        for index, text in enumerate(texts)
    )


def _only(text: str) -> TurnEmotion:
    return customer_emotion(_chat(text)).turns[0]


def _cues(turn: TurnEmotion) -> list[str]:
    return [cue.text for cue in turn.evidence]


def test_a_plain_question_is_calm() -> None:
    result = customer_emotion(_chat("你好，我想查一下订单到哪里了", "请稍等", "好的"))
    assert [(t.turn, t.emotion, t.intensity) for t in result.turns] == [
        (0, "calm", 0.0),
        (2, "calm", 0.0),
    ]
    assert (result.start, result.end, result.peak, result.calmed) == ("calm", "calm", "calm", False)


def test_a_complaint_word_is_dissatisfaction_with_its_evidence() -> None:
    turn = _only("我对这个结果不满意")
    assert (turn.emotion, turn.intensity) == ("dissatisfied", 0.55)
    (cue,) = turn.evidence
    assert (cue.turn, cue.start_char, cue.end_char, cue.text) == (0, 6, 9, "不满意")
    assert "我对这个结果不满意"[cue.start_char : cue.end_char] == cue.text


def test_negation_cancels_a_complaint() -> None:
    turn = _only("我没有不满意")
    assert (turn.emotion, turn.intensity, turn.evidence) == ("calm", 0.0, ())
    assert _only("我不着急").emotion == "calm"


def test_negation_turns_praise_into_a_mild_complaint() -> None:
    turn = _only("不太满意")
    assert (turn.emotion, turn.intensity) == ("dissatisfied", 0.44)  # weaker than 不满意 (0.55)
    assert _cues(turn) == ["满意"]


def test_a_negator_after_a_clause_break_does_not_reach_the_cue() -> None:
    assert _only("不，满意").emotion == "pleased"


def test_the_not_inside_a_word_negates_nothing_after_it() -> None:
    # 不错 is praise; its 不 must not negate the 满意 after it.
    assert _only("不错满意").emotion == "pleased"


def test_degree_words_scale_intensity() -> None:
    assert _only("失望").intensity == 0.6
    assert _only("有点失望").intensity == 0.36
    very = _only("太不满意了")
    assert (very.emotion, very.intensity) == ("dissatisfied", 0.83)


def test_a_dissatisfaction_intense_enough_becomes_anger() -> None:
    turn = _only("非常失望")
    assert (turn.emotion, turn.intensity) == ("angry", 0.96)


def test_a_rhetorical_question_raises_a_complaint() -> None:
    turn = _only("你们到底管不管")
    assert (turn.emotion, turn.intensity) == ("dissatisfied", 0.8)
    assert _cues(turn) == ["到底", "管不管"]


def test_repeated_exclamation_and_question_marks_raise_intensity() -> None:
    plain = _only("气死了")
    shouted = _only("气死了！！！")
    assert (plain.emotion, plain.intensity) == ("angry", 0.85)
    assert (shouted.emotion, shouted.intensity) == ("angry", 1.0)
    marks = shouted.evidence[-1]
    assert (marks.start_char, marks.end_char, marks.text) == (3, 6, "！！！")
    assert _only("怎么办？？").intensity == _only("怎么办").intensity + 0.1


def test_marks_alone_read_as_pressing() -> None:
    turn = _only("在吗？？？")
    assert (turn.emotion, turn.intensity, _cues(turn)) == ("anxious", 0.4, ["？？？"])


def test_emoji_carry_emotion() -> None:
    assert _only("收到了👍").emotion == "pleased"
    assert _only("😡").emotion == "angry"


def test_sarcasm_turns_praise_into_complaint() -> None:
    mocked = _only("呵呵，真是太\u201c好\u201d了")
    assert (mocked.emotion, mocked.intensity) == ("dissatisfied", 0.7)
    assert _cues(mocked) == ["呵呵", "\u201c好\u201d"]
    flipped = _only("呵呵，真满意")
    assert flipped.emotion == "dissatisfied"
    assert [cue.emotion for cue in flipped.evidence] == ["dissatisfied", "dissatisfied"]


def test_service_context_signals_and_raises_a_complaint() -> None:
    text = "我等了三天了，这是第三次打电话"
    turn = _only(text)
    assert (turn.emotion, turn.intensity) == ("dissatisfied", 0.75)
    assert [(c.text, text[c.start_char : c.end_char]) for c in turn.evidence] == [
        ("等了三天", "等了三天"),
        ("第三次打电话", "第三次打电话"),
    ]
    assert _only("订单[数字x]天了还没发货").emotion == "dissatisfied"
    again = _only("订单又被取消了")
    assert (again.emotion, again.intensity, _cues(again)) == ("dissatisfied", 0.6, ["又被取消"])
    assert _only("我又买了一件").emotion == "calm"  # 又 alone is no complaint


def test_look_alikes_are_not_cues() -> None:
    # 麻烦你了 is politeness, not the 烦 inside it; a second purchase is no repeat call.
    assert _only("麻烦你了").emotion == "calm"
    assert _only("我第二次网购，不太会").emotion == "calm"
    assert _only("麻烦死了").emotion == "dissatisfied"
    # "Anything else?" — "没有了，谢谢": the 没有 negates no thanks.
    assert _only("没有了谢谢").emotion == "pleased"


def test_repeating_a_complaint_escalates_it() -> None:
    result = customer_emotion(_chat("还没到", "请稍等", "还没到", "在查", "还没到"))
    assert [(t.emotion, t.intensity) for t in result.turns] == [
        ("dissatisfied", 0.45),
        ("dissatisfied", 0.6),  # repeated (+0.1) after one upset turn (+0.05)
        ("dissatisfied", 0.65),
    ]


def test_agent_turns_are_ignored() -> None:
    result = customer_emotion(
        (
            Turn(0, "agent", "您别生气，投诉也没用"),
            Turn(1, "customer", "好的"),
            Turn(2, "system", "骗子"),
        )
    )
    assert [(t.turn, t.emotion) for t in result.turns] == [(1, "calm")]


def test_trajectory_of_an_upset_customer_the_agent_calmed() -> None:
    result = customer_emotion(
        _chat(
            "我等了三天了，这是第三次打电话",
            "非常抱歉",
            "还没到，你们到底管不管！！",
            "已为您加急",
            "好的，解决了，谢谢",
        )
    )
    assert [(t.turn, t.emotion) for t in result.turns] == [
        (0, "dissatisfied"),
        (2, "angry"),
        (4, "pleased"),
    ]
    assert (result.start, result.end, result.peak, result.calmed) == (
        "dissatisfied",
        "pleased",
        "angry",
        True,
    )
    assert result.to_dict() == {
        "emotion_start": "dissatisfied",
        "emotion_end": "pleased",
        "emotion_peak": "angry",
        "emotion_turns": [
            {"turn": 0, "emotion": "dissatisfied", "intensity": 0.75},
            {"turn": 2, "emotion": "angry", "intensity": 1.0},
            {"turn": 4, "emotion": "pleased", "intensity": 0.65},
        ],
    }


def test_a_customer_who_stays_angry_was_not_calmed() -> None:
    result = customer_emotion(_chat("谢谢", "不客气", "什么破服务，我要投诉！！"))
    assert (result.start, result.end, result.peak, result.calmed) == (
        "pleased",
        "angry",
        "angry",
        False,
    )


def test_peak_without_negative_turns_is_the_most_intense() -> None:
    result = customer_emotion(_chat("你好", "您好", "太好了，谢谢"))
    assert (result.start, result.end, result.peak) == ("calm", "pleased", "pleased")


def test_no_customer_turns_is_calm_and_empty() -> None:
    assert customer_emotion(_chat()) == CustomerEmotion("calm", "calm", "calm", (), calmed=False)


def test_every_cue_offset_points_at_its_text() -> None:
    texts = (
        "你们到底管不管！！我等了三天",
        "x",
        "😡呵呵，真是太\u201c好\u201d了？？",
        "x",
        "不太满意，非常失望",
    )
    for turn in customer_emotion(_chat(*texts)).turns:
        for cue in turn.evidence:
            assert texts[turn.turn][cue.start_char : cue.end_char] == cue.text


def test_each_phrase_is_in_one_list_only() -> None:
    # The automaton keeps one meaning per phrase; a phrase in two lists would lose one silently.
    lists = (
        *(words.ANGRY, words.DISSATISFIED, words.ANXIOUS, words.PLEASED),
        *(words.RHETORICAL, words.SARCASM, words.CONTEXT, words.DEGREE),
        *(words.NEGATORS, words.NEUTRAL),
    )
    counts = Counter(phrase for phrases in lists for phrase in phrases)
    assert [phrase for phrase, count in counts.items() if count > 1] == []


def test_a_supposed_complaint_is_not_felt() -> None:
    assert _only("买了以后要是不满意能退吗").emotion == "calm"
    assert _only("如果收到了坏了怎么办").emotion != "dissatisfied"
    assert _only("收到就坏了").emotion == "dissatisfied"


def test_under_an_amount_is_not_discontent() -> None:
    assert _only("不满99元要运费吗").emotion == "calm"
    assert _only("因为不满[数字x]元我需要运费吗").emotion == "calm"
    assert _only("我对你们很不满").emotion == "dissatisfied"


def test_what_is_asked_or_merely_not_yet_done_is_not_a_complaint() -> None:
    """JDDC chats: 还没 on its own mostly states a fact or asks (发票还没法查吗), and 不行吗 /
    坏了吗 ask; only what has not arrived or not been done (还没收到, 还没有发货) complains."""
    for asked in (
        "发票刚签收的还没法查吗?",
        "可我还没收过货",
        "返其它快递一样的吗 不行吗",
        "这个是坏了吗",
    ):
        assert _only(asked).emotion == "calm", asked
    assert _cues(_only("我的包裹还没有收到")) == ["还没有收到"]
    assert _only("一个礼拜了还没有发货").emotion == "dissatisfied"


def test_no_thanks_closes_a_chat_without_complaint() -> None:
    for closing in ("没有谢谢", "没有啦😊", "没啦"):
        assert _only(closing).emotion in ("calm", "pleased"), closing
    assert _only("没有谢谢").emotion == "pleased"


def test_as_long_as_supposes() -> None:
    assert _only("换新保是只要坏了就可以换新是吗?").emotion == "calm"
    assert _only("应该是运输中摔坏了").emotion == "dissatisfied"
