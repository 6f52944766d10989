"""What a contact meant, as `lingting score` reports it: emotion, resolution and predicted
satisfaction with the reasons behind it."""

from __future__ import annotations

from datetime import UTC

import pytest

from lingting.engine.contacts import Contact, contact_from_record
from lingting.engine.meaning import contact_meaning


def _contact(*texts: str, wait_s: float | None = None) -> Contact:
    """Turns alternating customer (first) and agent."""
    record = {
        "id": "c1",
        "turns": [
            {"speaker": "customer" if n % 2 == 0 else "agent", "text": text}
            for n, text in enumerate(texts)
        ],
    }
    if wait_s is not None:
        record["wait_s"] = wait_s
    return contact_from_record(record, tz=UTC)


HAPPY = ("你好，我想查一下话费", "您好，您本月话费是58元", "好的，明白了，谢谢", "不客气，再见")
ANGRY = (
    "你们到底管不管！！都第三次打电话了，还是不行",
    "这不是我们的问题，你自己去看说明书",
    "你们太过分了，我要投诉",
)


def test_a_solved_polite_contact_is_predicted_satisfied() -> None:
    meaning = contact_meaning(_contact(*HAPPY))
    assert meaning.resolution.resolved is True
    assert meaning.emotion.end == "pleased"
    assert meaning.satisfaction is not None
    assert meaning.satisfaction.value >= 0.8
    factors = {f.factor: f for f in meaning.satisfaction.why}
    assert factors["resolved"].effect > 0
    assert factors["ended_pleased"].turns == (2,)


def test_an_angry_unresolved_contact_with_a_blaming_agent_is_predicted_unhappy() -> None:
    meaning = contact_meaning(_contact(*ANGRY))
    assert meaning.emotion.end == "angry"
    assert meaning.resolution.resolved is False
    assert meaning.satisfaction is not None
    assert meaning.satisfaction.value <= 0.1
    names = {f.factor for f in meaning.satisfaction.why}
    assert {"ended_angry", "agent_blaming"} <= names
    assert any(name.startswith("unresolved_") for name in names)
    # Every factor names the turns it rests on, so a reviewer can check it.
    blame = next(f for f in meaning.satisfaction.why if f.factor == "agent_blaming")
    assert blame.turns == (1,)


def test_calming_the_customer_and_apologising_count_in_the_agents_favour() -> None:
    calmed = contact_meaning(
        _contact(
            "都等了三天了还没到，太慢了！！",
            "非常抱歉让您久等了，我马上帮您加急",
            "好的，谢谢你",
        )
    )
    ignored = contact_meaning(
        _contact("都等了三天了还没到，太慢了！！", "订单号多少", "算了，不用了")
    )
    assert calmed.emotion.calmed
    assert calmed.satisfaction is not None
    assert ignored.satisfaction is not None
    assert {"calmed", "apologised"} <= {f.factor for f in calmed.satisfaction.why}
    assert calmed.satisfaction.value > ignored.satisfaction.value + 0.3


def test_a_long_wait_lowers_the_prediction() -> None:
    quick = contact_meaning(_contact(*HAPPY, wait_s=10))
    slow = contact_meaning(_contact(*HAPPY, wait_s=400))
    assert quick.satisfaction is not None
    assert slow.satisfaction is not None
    assert slow.satisfaction.value == pytest.approx(quick.satisfaction.value - 0.1)


def test_the_score_result_carries_the_meaning_fields_of_formats_md() -> None:
    fields = contact_meaning(_contact(*ANGRY)).to_dict()
    customer = fields["customer"]
    assert (customer["emotion_start"], customer["emotion_end"]) == ("angry", "angry")
    assert customer["emotion_peak"] == "angry"
    assert [t["turn"] for t in customer["emotion_turns"]] == [0, 2]
    assert all(0.0 <= t["intensity"] <= 1.0 for t in customer["emotion_turns"])
    assert {e["text"] for e in customer["emotion_evidence"]} >= {"太过分", "投诉"}
    assert fields["resolved"] is False
    assert fields["resolution_evidence"]
    assert 0.0 <= fields["satisfaction_predicted"] <= 1.0
    assert fields["satisfaction_why"][0].keys() == {"factor", "effect", "turns"}


def test_a_contact_without_customer_turns_has_null_meaning() -> None:
    record = {"id": "c2", "turns": [{"speaker": "agent", "text": "您好，请问有什么可以帮您"}]}
    fields = contact_meaning(contact_from_record(record, tz=UTC)).to_dict()
    assert fields["customer"] is None
    assert fields["resolved"] is None
    assert fields["satisfaction_predicted"] is None


def _heard_call(last_level: float) -> Contact:
    """A call whose customer, calm in words throughout, says the last turn at `last_level`
    dBFS (they spoke at −34 and −33 before)."""
    turns = [
        ("customer", 0.0, 3.0, "你好，我想查一下宽带", -34.0),
        ("agent", 3.5, 6.0, "好的，请您稍等", -24.0),
        ("customer", 7.0, 9.0, "是这个月到期的", -33.0),
        ("agent", 9.5, 12.0, "正在为您查询", -24.0),
        ("customer", 13.0, 16.0, "那什么时候能办好", last_level),
    ]
    record = {
        "id": "c1",
        "turns": [
            {"speaker": who, "start": start, "end": end, "text": text}
            for who, start, end, text, _ in turns
        ],
        "audio": {
            "channels": 2,
            "segments": [
                {"speaker": who, "start": start, "end": end, "level_dbfs": level}
                for who, start, end, _, level in turns
            ],
        },
    }
    return contact_from_record(record, tz=UTC)


def test_a_customer_raising_their_voice_over_calm_words_reads_as_discontent() -> None:
    steady, raised = contact_meaning(_heard_call(-32.0)), contact_meaning(_heard_call(-24.0))

    assert steady.emotion.turns[-1].emotion == "calm"
    last = raised.emotion.turns[-1]
    assert (last.turn, last.emotion) == (4, "dissatisfied")
    assert [(cue.kind, cue.text) for cue in last.evidence] == [("voice", "那什么时候能办好")]
    assert raised.emotion.peak == "dissatisfied"
    assert steady.satisfaction is not None
    assert raised.satisfaction is not None
    assert raised.satisfaction.value < steady.satisfaction.value


def test_a_raised_voice_adds_to_a_complaint_already_in_the_words() -> None:
    worded = _heard_call(-32.0)._replace(
        turns=tuple(
            turn._replace(text="你们太过分了，我要投诉") if turn.index == 4 else turn
            for turn in _heard_call(-32.0).turns
        )
    )
    louder = worded._replace(audio=_heard_call(-24.0).audio)

    quiet = contact_meaning(worded).emotion.turns[-1]
    loud = contact_meaning(louder).emotion.turns[-1]

    assert quiet.emotion in ("dissatisfied", "angry")
    assert loud.intensity > quiet.intensity or loud.intensity == 1.0
    assert loud.evidence[-1].kind == "voice"
