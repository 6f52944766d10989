"""The transcript model accepts what FORMATS.md allows and names what is wrong otherwise."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from lingting.engine.contacts import ContactError, contact_from_record

SHANGHAI = ZoneInfo("Asia/Shanghai")


def record(**fields: object) -> dict[str, object]:
    base: dict[str, object] = {
        "id": "C1",
        "turns": [
            {"speaker": "agent", "start": 0.0, "end": 3.1, "text": "您好，很高兴为您服务"},
            {"speaker": "customer", "start": 3.4, "end": 7.9, "text": "我想问一下话费"},
        ],
    }
    base.update(fields)
    return base


def test_formats_example_becomes_a_timed_contact() -> None:
    contact = contact_from_record(
        record(started_at="2026-10-01T09:00:05+08:00", queue="ACD-01", tags=["5G套餐"]),
        tz=SHANGHAI,
    )
    assert contact.id == "C1"
    assert contact.queue == "ACD-01"
    assert contact.is_timed
    assert [t.speaker for t in contact.turns] == ["agent", "customer"]
    assert contact.started_at == datetime(2026, 10, 1, 1, 0, 5, tzinfo=UTC)


def test_time_without_offset_is_read_in_the_configured_zone() -> None:
    contact = contact_from_record(record(started_at="2026-10-01T09:00:05"), tz=SHANGHAI)
    assert contact.started_at is not None
    assert contact.started_at.utcoffset() is not None
    assert contact.started_at.astimezone(UTC).hour == 1


def test_unknown_fields_are_kept() -> None:
    contact = contact_from_record(record(ivr_path="1-3-2", priority=2), tz=SHANGHAI)
    assert contact.extra == {"ivr_path": "1-3-2", "priority": 2}


def test_chat_without_times_is_untimed_not_an_error() -> None:
    contact = contact_from_record(
        {"id": 7, "turns": [{"speaker": "customer", "text": "在吗"}]}, tz=SHANGHAI
    )
    assert contact.id == "7"
    assert not contact.is_timed


def test_cdr_only_record_has_no_turns() -> None:
    contact = contact_from_record({"id": "X", "disposition": "abandoned"}, tz=SHANGHAI)
    assert contact.turns == ()


@pytest.mark.parametrize(
    ("bad", "reason"),
    [
        ({"turns": []}, "missing 'id'"),
        (record(id=None), "missing 'id'"),
        (record(id=["a"]), "'id' must be a string"),
        (record(queue=5.5), "'queue' must be a string"),
        (record(turns="hello"), "'turns' must be an array"),
        (record(turns=[{"speaker": "robot", "text": "x"}]), "'speaker' must be one of"),
        (record(turns=[{"speaker": "agent", "text": 3}]), "'text' must be a string"),
        (
            record(turns=[{"speaker": "agent", "start": -1, "end": 2, "text": "x"}]),
            "negative",
        ),
        (
            record(turns=[{"speaker": "agent", "start": 5, "end": 2, "text": "x"}]),
            "'end' (2) is before 'start' (5)",
        ),
        (
            record(
                turns=[
                    {"speaker": "agent", "start": 0, "end": 5, "text": "a"},
                    {"speaker": "agent", "start": 4, "end": 6, "text": "b"},
                ]
            ),
            "overlaps the previous agent turn",
        ),
        (
            record(
                turns=[
                    {"speaker": "agent", "start": 5, "end": 6, "text": "a"},
                    {"speaker": "customer", "start": 1, "end": 2, "text": "b"},
                ]
            ),
            "turns must be in time order",
        ),
        (record(turns=[{"speaker": "agent", "start": 1, "text": "x"}]), "give both"),
        (record(started_at="yesterday"), "'started_at' is not an ISO 8601 time"),
        (record(wait_s="12"), "'wait_s' must be a number"),
        (record(rings=-1), "'rings' must be a whole number"),
        (record(tags="a,b"), "'tags' must be an array of strings"),
        ([1, 2], "must be a JSON object"),
    ],
)
def test_broken_record_names_its_problem(bad: object, reason: str) -> None:
    with pytest.raises(ContactError, match=None) as caught:
        contact_from_record(bad, tz=SHANGHAI)
    assert reason in str(caught.value)


def test_customer_talking_over_the_agent_is_allowed() -> None:
    contact = contact_from_record(
        record(
            turns=[
                {"speaker": "customer", "start": 0, "end": 5, "text": "我的宽带一直断"},
                {"speaker": "agent", "start": 4, "end": 6, "text": "您别急"},
            ]
        ),
        tz=SHANGHAI,
    )
    assert len(contact.turns) == 2


def test_the_first_problem_in_field_order_is_named_whatever_the_key_order() -> None:
    bad = {"id": "C1", "turns": "hello", "wait_s": "12", "queue": 5.5}
    with pytest.raises(ContactError, match="'queue' must be a string"):
        contact_from_record(bad, tz=SHANGHAI)


def test_a_recording_that_is_not_a_path_is_kept_last_among_unknown_fields() -> None:
    contact = contact_from_record({"id": "X", "recording": 5, "a": 1, "b": None}, tz=SHANGHAI)
    assert contact.recording is None
    assert list(contact.extra.items()) == [("a", 1), ("b", None), ("recording", 5)]


@pytest.mark.parametrize(
    ("bad", "reason"),
    [
        # Year 1 at +08:00 is still year 0 in UTC, which no database (nor Python) can hold.
        (record(started_at="0001-01-01T00:00:00+08:00"), "'started_at' is out of range"),
        (record(queued_at="0001-01-01T05:00:00"), "'queued_at' is out of range"),
        (record(ended_at="9999-12-31T23:00:00-08:00"), "'ended_at' is out of range"),
        # Within a day of the calendar's edge: a local day or hour of it cannot be named.
        (record(answered_at="9999-12-31T20:00:00+00:00"), "'answered_at' is out of range"),
        (record(wait_s=float("inf")), "'wait_s' must be a finite number"),
        (record(talk_s=float("nan")), "'talk_s' must be a finite number"),
        (record(hold_s=10**400), "'hold_s' is more than"),
        (record(acw_s=1e308), "'acw_s' is more than"),
        (
            record(turns=[{"speaker": "agent", "start": 0, "end": 1e300, "text": "x"}]),
            "turn 0: 'end' is more than",
        ),
        (record(holds=[{"start": 0, "end": float("inf")}]), "hold 0: 'end' must be a finite"),
        (record(rings=32768), "'rings' must be a whole number from 0 to 32767"),
        (record(rings=10**20), "'rings' must be a whole number from 0 to 32767"),
        (record(rings=2.0), "'rings' must be a whole number"),
        (record(id=2**64), "'id' must be a string"),
        (record(id=1.5), "'id' must be a string"),
        (record(id={"a": 1}), "'id' must be a string"),
        (record(id=True), "'id' must be a string"),
        (record(agent_id=-(2**63) - 1), "'agent_id' must be a string"),
        (record(queue=float("nan")), "'queue' must be a string"),
    ],
)
def test_a_value_no_database_can_store_names_its_field(bad: object, reason: str) -> None:
    with pytest.raises(ContactError) as caught:
        contact_from_record(bad, tz=SHANGHAI)
    assert reason in str(caught.value)


def test_times_and_numbers_just_inside_the_limits_are_read() -> None:
    contact = contact_from_record(
        record(
            id=2**63 - 1,
            agent_id=-(2**63),
            started_at="0001-01-02T00:00:00+00:00",
            ended_at="9999-12-30T23:59:59+00:00",
            rings=32767,
            talk_s=366 * 86400,
        ),
        tz=SHANGHAI,
    )
    assert contact.id == str(2**63 - 1)
    assert contact.rings == 32767


def test_every_field_of_the_format_lands_in_its_own_attribute() -> None:
    """The contact is built positionally for speed: each value must reach its own field."""
    contact = contact_from_record(
        record(
            channel="voice",
            direction="inbound",
            queue="ACD-01",
            agent_id="A7",
            customer_id="U9",
            queued_at="2026-10-01T09:00:00+08:00",
            started_at="2026-10-01T09:00:05+08:00",
            answered_at="2026-10-01T09:00:09+08:00",
            ended_at="2026-10-01T09:05:00+08:00",
            disposition="resolved",
            hangup_by="customer",
            tags=["5G套餐"],
            rings=3,
            wait_s=4,
            talk_s=280.5,
            hold_s=12,
            acw_s=30,
            holds=[{"start": 40, "end": 52}],
            recording="calls/C1.wav",
            note="VIP",
        ),
        tz=SHANGHAI,
    )
    minute = datetime(2026, 10, 1, 1, 0, tzinfo=UTC)
    assert (contact.id, contact.channel, contact.direction, contact.queue) == (
        "C1",
        "voice",
        "inbound",
        "ACD-01",
    )
    assert (contact.agent_id, contact.customer_id) == ("A7", "U9")
    assert [contact.queued_at, contact.started_at, contact.answered_at, contact.ended_at] == [
        minute,
        minute.replace(second=5),
        minute.replace(second=9),
        minute.replace(minute=5),
    ]
    assert (contact.disposition, contact.hangup_by, contact.tags) == (
        "resolved",
        "customer",
        ("5G套餐",),
    )
    assert (contact.rings, contact.wait_s, contact.talk_s, contact.hold_s, contact.acw_s) == (
        3,
        4.0,
        280.5,
        12.0,
        30.0,
    )
    assert [(hold.start, hold.end) for hold in contact.holds] == [(40.0, 52.0)]
    assert contact.recording == "calls/C1.wav"
    assert contact.extra == {"note": "VIP"}
    assert contact.audio is None
    assert len(contact.turns) == 2
