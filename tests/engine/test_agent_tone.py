"""Worked examples of the agent's tone: each tone, negation, degree, punctuation, customer
turns ignored, and the apologies and soothing the "within two turns" rule reads."""

from __future__ import annotations

from lingting.engine.agent_tone import (
    BLAMING,
    DISMISSIVE,
    IMPATIENT,
    NEUTRAL,
    WARM,
    AgentTone,
    agent_tone,
)
from lingting.engine.contacts import Turn


def _agent(*texts: str) -> AgentTone:
    return agent_tone([Turn(i, "agent", text) for i, text in enumerate(texts)])


def _dialogue(*lines: tuple[str, str]) -> tuple[list[Turn], AgentTone]:
    turns = [Turn(i, speaker, text) for i, (speaker, text) in enumerate(lines)]
    return turns, agent_tone(turns)


def _cues(result: AgentTone, turn: int = 0) -> list[tuple[str, str]]:
    return [(c.text, c.kind) for c in result.turns[turn].evidence]


def test_impatience():
    result = _agent("我已经说过了，你听我说")
    assert result.turns[0].tone == IMPATIENT
    assert _cues(result) == [("我已经说过了", "impatience"), ("你听我说", "impatience")]
    assert result.turns[0].intensity == 0.7  # 0.6 and a second cue 0.1


def test_repeated_marks_sharpen_impatience():
    plain = _agent("你听不懂吗").turns[0]
    pressed = _agent("你听不懂吗？？").turns[0]
    assert plain.tone == pressed.tone == IMPATIENT
    assert (plain.intensity, pressed.intensity) == (0.8, 0.9)
    assert pressed.evidence[-1].text == "？？"
    assert pressed.evidence[-1].kind == "marks"


def test_blame_shifting():
    result = _agent("这不是我们的问题，那是快递的事")
    assert result.turns[0].tone == BLAMING
    assert _cues(result) == [("这不是我们的问题", "blame"), ("那是快递的事", "blame")]
    assert (result.worst, result.worst_turn) == (BLAMING, 0)


def test_not_your_fault_is_reassurance_not_blame():
    result = _agent("不是您的问题，是系统延迟了")
    turn = result.turns[0]
    assert turn.tone == WARM
    assert _cues(result) == [("不是您的问题", "reassurance")]
    assert result.soothing_turns == (0,)
    assert _agent("是您的问题").turns[0].tone == BLAMING


def test_dismissive_and_condescending():
    assert _agent("这个不归我们管，你自己去问厂家").turns[0].tone == DISMISSIVE
    result = _agent("这都不会吗")
    assert result.turns[0].tone == DISMISSIVE
    assert _cues(result) == [("这都不会", "condescension")]


def test_a_bare_limit_is_not_dismissive_but_a_stressed_one_is():
    assert _agent("我这边是没办法修改价格的哦").turns[0].tone == NEUTRAL
    stressed = _agent("这个我真的没办法").turns[0]  # 真的 raises 没办法 0.3 → 0.39
    assert (stressed.tone, stressed.intensity) == (DISMISSIVE, 0.39)


def test_shrugging_it_off_is_dismissive():
    # The kinds of shrug found by hand in JDDC agent turns, written anew.
    assert _agent("客服这边也不知道哦").turns[0].tone == DISMISSIVE
    assert _agent("取消了就不能恢复，这是规定").turns[0].tone == DISMISSIVE
    assert _agent("那个客服也不清楚").turns[0].tone == DISMISSIVE


def test_negated_cue_does_not_hold():
    assert _agent("不是没办法，我帮您再申请").turns[0].tone == NEUTRAL


def test_apology_softens_but_does_not_undo():
    result = _agent("不好意思，我也没办法").turns[0]
    assert (result.tone, result.intensity) == (DISMISSIVE, 0.45)  # 我也没办法 0.6 − 0.15
    assert result.apologised


def test_warm_in_moderation():
    assert _agent("请您稍等，您的订单在查").turns[0].tone == NEUTRAL  # routine 请您, 您
    warm = _agent("感谢您的耐心，很高兴为您服务").turns[0]
    assert (warm.tone, warm.intensity) == (WARM, 0.8)


def test_customer_turns_are_ignored():
    _turns, result = _dialogue(
        ("customer", "这不是我的问题，你听我说！！"),
        ("agent", "好的，我帮您查一下"),
    )
    assert [t.turn for t in result.turns] == [1]
    assert (result.worst, result.worst_turn) == (NEUTRAL, None)
    assert result.counts == {NEUTRAL: 1, WARM: 0, IMPATIENT: 0, BLAMING: 0, DISMISSIVE: 0}


def test_apology_and_soothing_turns_for_the_two_turn_rule():
    _turns, result = _dialogue(
        ("customer", "等了三天还没到，太过分了"),
        ("agent", "我帮您查一下"),
        ("agent", "非常抱歉给您添麻烦了"),
        ("customer", "你们到底管不管"),
        ("agent", "理解您的心情，请您别着急"),
        ("customer", "又没到"),
        ("agent", "您看下物流"),
        ("agent", "好的"),
        ("agent", "给您带来不便，深表歉意"),
    )
    assert (result.apology_turns, result.soothing_turns) == ((2, 8), (4,))
    assert result.apologised
    assert result.soothed
    assert result.apologised_or_soothed_after(0) == 2
    assert result.apologised_or_soothed_after(3) == 4
    assert result.apologised_or_soothed_after(5) is None  # the apology came a third turn later
    assert result.apologised_or_soothed_after(5, within=3) == 8


def test_evidence_offsets_point_into_the_text():
    turns, result = _dialogue(
        ("customer", "怎么回事"),
        ("agent", "亲，不是您的问题。说了多少遍了，你自己看？？这都不会，抱歉"),
    )
    texts = {t.index: t.text for t in turns}
    cues = [cue for turn in result.turns for cue in turn.evidence]
    assert {cue.kind for cue in cues} == {
        "reassurance",
        "impatience",
        "dismissal",
        "condescension",
        "apology",
        "marks",
    }
    for cue in cues:
        assert texts[cue.turn][cue.start_char : cue.end_char] == cue.text


def test_worst_tone_prefers_blame_and_reports_its_turn():
    result = _agent("快点", "感谢您的理解", "是你自己没看清楚")
    assert [t.tone for t in result.turns] == [IMPATIENT, WARM, BLAMING]
    assert (result.worst, result.worst_turn) == (BLAMING, 2)
    assert result.to_dict()["tone_counts"][IMPATIENT] == 1


def test_no_agent_turns():
    result = agent_tone([Turn(0, "customer", "在吗")])
    assert (result.worst, result.worst_turn, result.turns) == (NEUTRAL, None, ())
