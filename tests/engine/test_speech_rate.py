"""Speech rate from timed text: characters a minute, counted as the scoring rules count them."""

from __future__ import annotations

import pytest

from lingting.engine.speech_rate import (
    TARGET_CPM,
    chars_per_minute,
    speaker_speech_rate,
    turn_speech_rate,
)
from tests.engine.test_rules import call, item_result

GREETING = "您好，请问有什么可以帮您？"  # 11 spoken characters


def test_a_turns_rate_counts_characters_not_punctuation_or_spaces() -> None:
    assert turn_speech_rate(GREETING, 10.0, 13.0) == pytest.approx(220.0)
    assert turn_speech_rate("OK， 5G 套餐 ！", 0.0, 6.0) == pytest.approx(60.0)


def test_a_turn_with_no_words_or_no_time_has_no_rate() -> None:
    assert turn_speech_rate("……？", 0.0, 2.0) is None
    assert turn_speech_rate(GREETING, 3.0, 3.0) is None
    assert chars_per_minute(0, 10.0) is None


def test_a_speakers_rate_weighs_each_turn_by_its_length() -> None:
    turns = [
        {"speaker": "agent", "start": 0.0, "end": 3.0, "text": GREETING},
        {"speaker": "customer", "start": 3.0, "end": 4.0, "text": "我想查话费我想查话费"},
        {"speaker": "agent", "start": 4.0, "end": 5.0, "text": "好的"},
    ]

    # 13 characters in 4 seconds, not the mean of 220 and 120 a minute.
    assert speaker_speech_rate(turns, "agent") == pytest.approx(195.0)
    assert speaker_speech_rate(turns, "customer") == pytest.approx(600.0)


def test_untimed_turns_give_no_rate() -> None:
    turns = [{"speaker": "agent", "text": GREETING}]

    assert speaker_speech_rate(turns, "agent") is None
    assert speaker_speech_rate([], "agent") is None


def test_the_seeds_200_a_minute_is_the_default_band_of_the_rule() -> None:
    rule = {"kind": "speech_rate", "min_speaking_s": 5}
    sentence = "您好很高兴为您服务请问有什么可以帮您"  # 18 spoken characters

    assert TARGET_CPM[0] < 200 < TARGET_CPM[1]
    assert item_result(rule, call(("agent", 0, 5.4, sentence))).result == "pass"  # 200 a minute
    fast = call(("agent", 0, 3.0, sentence), ("agent", 3.0, 6.0, sentence))
    assert item_result(rule, fast).result == "fail"  # 360
    assert item_result(rule, call(("agent", 0, 9.0, sentence))).result == "fail"  # 120
