"""The rules judged from listening to the recording (`audio` on a contact line): dead air and
interruptions as the recording has them, volume against the center's calibration, the agent
louder than the customer, and a raised voice."""

from __future__ import annotations

from datetime import UTC
from typing import Any

import pytest

from lingting.engine.call_sound import call_sound
from lingting.engine.contacts import Contact, ContactError, Hold, contact_from_record
from lingting.engine.scorecard_yaml import builtin_scorecard
from tests.engine.test_rules import DEAD_AIR, INTERRUPT, call, chat, item_result

# A call whose transcript has no gaps: the turns' times say nothing of dead air or
# overtalk, but the recording does.
TURNS = (
    ("customer", 0.0, 4.0, "我想问一下宽带怎么续费"),
    ("agent", 4.2, 9.0, "好的我帮您看一下"),
    ("customer", 9.2, 14.0, "我家宽带下个月到期"),
    ("agent", 14.2, 20.0, "可以在网上营业厅续费"),
)


def heard(**audio: Any) -> Any:
    return call_sound({"channels": 2, **audio})


def segment(speaker: str, start: float, end: float, level: float | None = None) -> dict[str, Any]:
    return {"speaker": speaker, "start": start, "end": end, "level_dbfs": level}


def test_dead_air_in_the_recording_fails_with_the_turn_after_it() -> None:
    sound = heard(silences=[{"start": 1.5, "end": 3.0}, {"start": 9.5, "end": 23.5}])
    contact = call(*TURNS, audio=sound)

    result = item_result(DEAD_AIR, contact)

    assert result.result == "fail"
    (evidence,) = result.evidence
    assert evidence.turn == 3  # the agent's answer after the silence
    assert "录音中冷场 1 次（14 秒" in result.detail
    # The same transcript without the recording: the turn times show no silence.
    assert item_result(DEAD_AIR, call(*TURNS)).result == "pass"


def test_a_silence_after_the_agent_said_please_wait_may_be_longer() -> None:
    turns = (("agent", 0.0, 3.0, "好的请稍等"), ("agent", 3.1, 6.0, "查到了"))
    sound = heard(silences=[{"start": 3.0, "end": 25.0}])

    assert item_result(DEAD_AIR, call(*turns, audio=sound)).result == "pass"


def test_hold_time_in_the_recording_is_not_dead_air() -> None:
    sound = heard(silences=[{"start": 4.0, "end": 64.0}])
    contact = call(*TURNS, audio=sound, holds=(Hold(4.5, 60),))

    assert item_result(DEAD_AIR, contact).result == "pass"


def test_a_recording_judges_dead_air_even_for_a_chat_transcript_without_times() -> None:
    sound = call_sound({"channels": 1, "silences": [{"start": 5, "end": 30}]})

    result = item_result(DEAD_AIR, chat("agent: 您好", "customer: 续费", audio=sound))

    assert result.result == "fail"
    assert result.evidence == ()  # no turn times to point at


def test_the_agent_starting_over_the_customer_in_the_recording_is_an_interruption() -> None:
    sound = heard(
        segments=[
            segment("customer", 0.0, 6.0),
            segment("agent", 3.0, 8.0),  # 3 s over the customer: an interruption
            segment("customer", 9.0, 12.0),
            segment("agent", 11.6, 14.0),  # 0.4 s: a back-channel
        ]
    )
    turns = (
        ("customer", 0.0, 6.0, "我上个月的话费多扣了"),
        ("agent", 6.2, 8.0, "这是增值业务费"),
        ("customer", 9.0, 12.0, "我没有开通过"),
        ("agent", 12.1, 14.0, "好的我查一下"),
    )

    result = item_result(INTERRUPT, call(*turns, audio=sound))

    assert result.result == "fail"
    assert [e.turn for e in result.evidence] == [1]
    assert result.detail == "录音中客户还在说话时插话 1 次"
    # The transcript's own times, without the recording, show no overlap.
    assert item_result(INTERRUPT, call(*turns)).result == "pass"


def test_a_mono_recording_cannot_tell_who_interrupted_whom() -> None:
    contact = call(*TURNS, audio=call_sound({"channels": 1}))

    assert item_result(INTERRUPT, contact).result == "pass"  # the turn times decide


VOLUME = {
    "kind": "volume",
    "min_db": 64,
    "max_db": 76,
    "reference_dbfs": -26,
    "reference_db": 70,
}


@pytest.mark.parametrize(
    ("level", "outcome", "words"),
    [(-26.0, "pass", ""), (-15.0, "fail", "约 81 dB，过大"), (-40.0, "fail", "约 56 dB，过小")],
)
def test_volume_is_judged_in_db_through_the_calibration(
    level: float, outcome: str, words: str
) -> None:
    contact = call(*TURNS, audio=heard(agent_level_dbfs=level, customer_level_dbfs=-30.0))

    result = item_result(VOLUME, contact)

    assert result.result == outcome
    assert words in result.detail
    if outcome == "fail":
        assert f"录音 {level:.1f} dBFS，按校准 -26 dBFS = 70 dB 换算" in result.detail


def test_a_louder_calibration_moves_the_same_recording_into_the_band() -> None:
    contact = call(*TURNS, audio=heard(agent_level_dbfs=-15.0, customer_level_dbfs=-30.0))

    assert item_result({**VOLUME, "reference_dbfs": -14}, contact).result == "pass"


def test_volume_needs_a_stereo_recording() -> None:
    assert item_result(VOLUME, call(*TURNS)).detail == "没有录音分析结果"
    mono = call(*TURNS, audio=call_sound({"channels": 1}))
    assert item_result(VOLUME, mono).result == "na"
    assert item_result(VOLUME, mono).detail == "单声道录音，分不出双方"


def test_agent_louder_than_the_customer_by_more_than_the_limit_fails() -> None:
    rule = {"kind": "level_gap", "max_db": 10}
    loud = call(*TURNS, audio=heard(agent_level_dbfs=-14.0, customer_level_dbfs=-30.0))
    even = call(*TURNS, audio=heard(agent_level_dbfs=-24.0, customer_level_dbfs=-30.0))

    assert item_result(rule, loud).result == "fail"
    assert "客服比客户响 16.0 dB" in item_result(rule, loud).detail
    assert item_result(rule, even).result == "pass"


def test_a_customer_raising_their_voice_against_their_own_earlier_level_is_flagged() -> None:
    rule = {"kind": "raised_voice", "speaker": "customer", "min_jump_db": 6}
    # A quiet handset: −38 and −37 dBFS are this customer's usual (−37 by length); −30 is 7 dB up.
    sound = heard(
        segments=[
            segment("customer", 0.0, 4.0, -38.0),
            segment("agent", 4.2, 9.0, -22.0),
            segment("customer", 9.2, 14.0, -37.0),
            segment("customer", 21.0, 24.0, -30.0),
        ]
    )
    turns = (*TURNS, ("customer", 21.0, 24.0, "那到底什么时候能好"))

    result = item_result(rule, call(*turns, audio=sound))

    assert result.result == "fail"
    assert [e.turn for e in result.evidence] == [4]
    assert result.detail == "客户提高音量 1 次（21 秒处高 7 dB）"
    # The same −30 dBFS from a customer who spoke at −30 all along is no raised voice.
    steady = heard(segments=[segment("customer", t, t + 2.0, -30.0) for t in (0.0, 4.0, 8.0, 12.0)])
    assert item_result(rule, call(*TURNS, audio=steady)).result == "pass"


def test_the_standard_scorecard_flags_sound_items_without_costing_points() -> None:
    sound = heard(
        agent_level_dbfs=-12.0,
        customer_level_dbfs=-30.0,
        segments=[segment("customer", 0.0, 4.0, -30.0)],
    )
    compiled = builtin_scorecard().compile()

    with_sound = compiled.score(call(*TURNS, audio=sound))
    without = compiled.score(call(*TURNS))

    outcomes = {item.item: item.result for item in with_sound.items}
    assert outcomes["volume"] == "fail"
    assert outcomes["level_gap"] == "fail"
    assert {i.item: i.result for i in without.items}["volume"] == "na"
    assert with_sound.score == without.score  # 0-point prompts: flagged, not deducted


def test_an_audio_object_on_a_contact_line_is_read_and_checked() -> None:
    record = {
        "id": "C1",
        "turns": [{"speaker": "agent", "text": "您好"}],
        "audio": {
            "channels": 2,
            "duration_s": 30.0,  # fields the rules do not read are allowed
            "silences": [{"start": 1, "end": 12}],
            "segments": [segment("agent", 0.0, 1.0, -20.0)],
            "agent_level_dbfs": -20.0,
            "customer_level_dbfs": None,
        },
    }

    contact = contact_from_record(record, tz=UTC)

    assert isinstance(contact, Contact)
    assert contact.audio is not None
    assert contact.audio.silences == ((1.0, 12.0),)
    assert contact.audio.levels_dbfs == {"agent": -20.0, "customer": None}
    assert "audio" not in contact.extra


@pytest.mark.parametrize(
    ("audio", "message"),
    [
        ([], "'audio' must be an object"),
        ({"channels": 3}, "'audio.channels' must be 1 or 2"),
        ({"channels": 2, "silences": [{"start": -1, "end": 2}]}, "audio.silences[0].start"),
        ({"channels": 2, "segments": [segment("bot", 0, 1)]}, "speaker agent or customer"),
        ({"channels": 2, "segments": [segment("agent", 3, 1)]}, "ends before it starts"),
        ({"channels": 2, "agent_level_dbfs": 3}, "above 0 dBFS"),
    ],
)
def test_a_broken_audio_object_is_rejected_with_where_it_is_wrong(audio: Any, message: str) -> None:
    with pytest.raises(ContactError, match=message.replace("[", r"\[").replace("]", r"\]")):
        contact_from_record({"id": "C1", "audio": audio}, tz=UTC)
