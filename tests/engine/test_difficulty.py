"""What makes a contact difficult for its agent (issue 14's strain signal): insults or
threats in the customer's own turns, or a complaint tag."""

from __future__ import annotations

import pytest

from lingting.engine.contacts import Contact, Turn
from lingting.engine.difficulty import (
    Difficulty,
    DifficultyCheck,
    DifficultyRules,
    standard_insults,
)
from lingting.engine.escalation import DEFAULT_THREAT_WORDS
from lingting.engine.rules.config import RuleConfigError

INSULTS, EXCUSED = standard_insults()
CHECK = DifficultyCheck(
    DifficultyRules(
        insult_words=INSULTS,
        insult_excused=EXCUSED,
        threat_words=DEFAULT_THREAT_WORDS,
        complaint_tags=("投诉", "complaint"),
    )
)


def contact(*turns: tuple[str, str], tags: tuple[str, ...] = ()) -> Contact:
    said = tuple(Turn(index, speaker, text) for index, (speaker, text) in enumerate(turns))
    return Contact("C1", said, tags=tags)


def test_the_insult_words_are_auto_qas_own_with_their_excusing_phrases() -> None:
    assert {"神经病", "滚蛋", "你滚"} <= set(INSULTS)
    assert "你滚动" in EXCUSED


def test_a_customer_who_insults_the_agent_makes_the_contact_difficult() -> None:
    abused = contact(
        ("agent", "您好，很高兴为您服务"),
        ("customer", "你们两边客服是在干嘛？神经病吧你们"),
        ("agent", "非常抱歉给您带来不便，我马上为您核实"),
    )

    assert CHECK.difficulty(abused) == (Difficulty.INSULT,)


def test_the_agents_own_words_are_not_the_customers_insults() -> None:
    # The agent insulting the customer is auto QA's fatal item, not strain on the agent.
    rude_agent = contact(("customer", "我的宽带断了"), ("agent", "你是不是神经病啊"))

    assert CHECK.difficulty(rude_agent) == ()


def test_an_excusing_phrase_is_no_insult() -> None:
    scrolling = contact(("customer", "页面上你滚动一下就能看到吗"))

    assert CHECK.difficulty(scrolling) == ()


def test_a_customer_threatening_the_media_or_a_regulator_makes_it_difficult() -> None:
    threat = contact(("customer", "再不解决我就找媒体曝光，还要打工信部电话"))

    assert CHECK.difficulty(threat) == (Difficulty.THREAT,)


def test_a_threat_number_inside_a_phone_number_is_no_threat() -> None:
    number = contact(("customer", "我的号码是13812345678"))

    assert CHECK.difficulty(number) == ()


def test_a_complaint_tag_makes_it_difficult_whatever_was_said() -> None:
    assert CHECK.difficulty(contact(tags=("投诉",))) == (Difficulty.COMPLAINT,)
    assert CHECK.difficulty(contact(tags=("咨询",))) == ()


def test_every_reason_is_given_in_order() -> None:
    everything = contact(("customer", "神经病，我要去消协投诉你们"), tags=("complaint",))

    assert CHECK.difficulty(everything) == (
        Difficulty.INSULT,
        Difficulty.THREAT,
        Difficulty.COMPLAINT,
    )


def test_a_center_that_checks_nothing_finds_nothing_difficult() -> None:
    nothing = DifficultyCheck(DifficultyRules())

    assert nothing.difficulty(contact(("customer", "神经病，找媒体曝光"), tags=("投诉",))) == ()


def test_an_excusing_phrase_that_holds_no_insult_word_is_refused() -> None:
    with pytest.raises(RuleConfigError, match="你好"):
        DifficultyCheck(DifficultyRules(insult_words=("滚蛋",), insult_excused=("你好",)))
