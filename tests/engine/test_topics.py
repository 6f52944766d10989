"""Topics (客户之声): contacts about refunds, deliveries and invoices group apart, each group
is named by its own words, new contacts join the nearest topic, and a jump is flagged."""

from __future__ import annotations

from types import MappingProxyType

import pytest

from lingting.engine.contacts import Contact, Turn
from lingting.engine.topics import (
    contact_text,
    find_topics,
    topic_trends,
    words_of,
)

REFUNDS = [
    "我要退款，订单取消了钱还没退回来",
    "退款什么时候到账，申请退款三天了",
    "订单取消以后退款没收到",
    "申请退款被拒绝了，怎么退款",
    "退款到账太慢了，钱什么时候退回",
    "我想取消订单并且退款",
    "退款一直没到账，订单已经取消",
    "上周申请的退款还没到账",
]
DELIVERIES = [
    "快递三天了还没送到，物流不更新",
    "我的快递什么时候送到，物流显示在路上",
    "快递员不送货上门，物流停了",
    "物流信息一直不动，快递丢了吗",
    "包裹物流显示签收了但是快递没收到",
    "快递能不能今天送到，物流太慢",
    "物流停在中转站好几天，快递还没到",
    "快递送错地址了，物流怎么查",
]
INVOICES = [
    "发票开错抬头了，能重开发票吗",
    "我需要开增值税专用发票",
    "电子发票在哪里下载，发票抬头是公司",
    "发票抬头写错了要换开",
    "怎么开公司抬头的发票，需要税号",
    "发票一直没收到，电子发票发到哪",
    "专用发票需要公司税号和抬头",
    "能补开发票吗，抬头填公司名称",
]


def _contact(contact_id: str, *said: str, summary: str = "") -> Contact:
    turns = [Turn(0, "customer", "你好"), Turn(1, "agent", "您好，请问有什么可以帮您？")]
    turns += [Turn(n + 2, "customer", text) for n, text in enumerate(said)]
    extra = MappingProxyType({"summary": summary} if summary else {})
    return Contact(id=contact_id, turns=tuple(turns), extra=extra)


def _sample() -> list[Contact]:
    contacts = []
    for n in range(len(REFUNDS)):  # interleaved, as contacts arrive
        contacts.append(_contact(f"r{n}", REFUNDS[n]))
        contacts.append(_contact(f"d{n}", DELIVERIES[n]))
        contacts.append(_contact(f"i{n}", INVOICES[n]))
    return contacts


def test_refunds_deliveries_and_invoices_group_apart() -> None:
    model = find_topics(_sample())

    groups = {frozenset(m[0] for m in topic.members) for topic in model.topics}
    assert len(model.topics) == 3
    assert groups == {frozenset("r"), frozenset("d"), frozenset("i")}


def test_each_topic_is_labelled_by_its_distinctive_words() -> None:
    model = find_topics(_sample())

    label_of = {topic.members[0][0]: topic for topic in model.topics}
    assert "退款" in label_of["r"].label
    assert {"快递", "物流"} & set(label_of["d"].keywords[:2])
    assert "发票" in label_of["i"].label
    assert " · " in label_of["i"].label
    # Greetings every contact shares never name a topic.
    assert not any("你好" in topic.keywords for topic in model.topics)


def test_the_same_contacts_give_the_same_topics() -> None:
    first, second = find_topics(_sample(), seed=7), find_topics(_sample(), seed=7)

    assert [(t.label, t.members) for t in first.topics] == [
        (t.label, t.members) for t in second.topics
    ]


def test_a_new_contact_joins_the_nearest_topic() -> None:
    model = find_topics(_sample())
    topic_of = {topic.members[0][0]: topic.id for topic in model.topics}

    assigned = model.assign(
        [
            _contact("new-refund", "退款还没到账，订单取消两天了"),
            _contact("new-invoice", "发票抬头要改成公司"),
            _contact("new-hello", "在吗"),
            _contact("new-subject", "积分兑换的礼品坏了"),
        ]
    )

    assert assigned["new-refund"] == topic_of["r"]
    assert assigned["new-invoice"] == topic_of["i"]
    assert assigned["new-hello"] is None  # nothing said
    assert assigned["new-subject"] is None  # like no topic


def test_greetings_alone_give_no_topic() -> None:
    contacts = [*_sample(), _contact("hello-only", "在吗", "嗯嗯", "好的谢谢")]

    model = find_topics(contacts)

    assert model.unassigned == ("hello-only",)
    assert all("hello-only" not in topic.members for topic in model.topics)


def test_contact_text_skips_greetings_and_reads_the_agents_summary() -> None:
    contact = _contact("c1", "在吗", "我的发票开错了", summary="客户要求重开发票")

    text = contact_text(contact)

    assert "在吗" not in text
    assert "你好" not in text
    assert "我的发票开错了" in text
    assert "客户要求重开发票" in text


def test_masked_values_and_stop_words_are_not_words() -> None:
    assert words_of("订单编号:[订单x] 你好，在吗？我要退款") == ["退款"]


def test_no_contacts_give_no_topics() -> None:
    model = find_topics([])

    assert model.topics == ()
    assert model.assign([_contact("x", "退款")]) == {"x": None}


def test_a_jump_far_beyond_the_previous_weeks_is_a_spike() -> None:
    trends = {t.topic_id: t for t in topic_trends({1: [20, 22, 19, 21, 60]}, for_volume=False)}

    assert trends[1].spike
    assert not trends[1].rising
    assert trends[1].baseline == pytest.approx(20.5)
    assert trends[1].change == pytest.approx(60 / 20.5 - 1)


def test_a_clear_but_smaller_rise_is_rising_not_a_spike() -> None:
    # 20 → 30: p ≈ 0.02 under Poisson(20), 1.5 × the baseline.
    trend = topic_trends({1: [20, 20, 20, 20, 30]}, for_volume=False)[0]

    assert trend.rising
    assert not trend.spike


def test_ordinary_noise_is_neither() -> None:
    trend = topic_trends({1: [20, 25, 18, 22, 24]}, for_volume=False)[0]

    assert not trend.rising
    assert not trend.spike


def test_a_handful_of_contacts_is_never_news() -> None:
    # 0 → 4 is unlikely under "about none" but too few to act on (min_count 5).
    trend = topic_trends({1: [0, 0, 0, 0, 4]}, for_volume=False)[0]

    assert not trend.spike
    assert not trend.rising
    assert trend.change is None


def test_a_topic_new_this_week_with_many_contacts_is_a_spike() -> None:
    trend = topic_trends({1: [0, 0, 0, 0, 12]}, for_volume=False)[0]

    assert trend.spike


def test_only_the_last_weeks_make_the_baseline() -> None:
    # Old busy weeks beyond previous_weeks do not hide this week's jump.
    trend = topic_trends({1: [90, 90, 10, 10, 10, 10, 40]}, previous_weeks=4, for_volume=False)[0]

    assert trend.baseline == 10
    assert trend.spike


def test_a_week_busier_everywhere_flags_no_topic() -> None:
    # Every topic triples with the center's volume: their shares did not move.
    trends = topic_trends({1: [20, 20, 20, 20, 60], 2: [10, 10, 10, 10, 30]})

    assert not any(t.spike or t.rising for t in trends)
    assert trends[0].change == pytest.approx(2.0)  # the raw change is still shown


def test_a_topic_growing_beyond_the_rest_is_flagged_in_a_busy_week() -> None:
    # Volume doubles overall, but deliveries grow five-fold: 10 → 50 against 20 expected.
    trends = {t.topic_id: t for t in topic_trends({1: [20, 20, 20, 20, 40], 2: [10] * 4 + [50]})}

    assert trends[2].expected == pytest.approx(30)
    assert trends[2].rising or trends[2].spike
    assert not trends[1].rising
    assert not trends[1].spike


def test_a_topic_new_this_week_is_judged_against_about_none() -> None:
    trends = {t.topic_id: t for t in topic_trends({1: [30, 30, 30, 30, 30], 2: [0] * 4 + [15]})}

    assert trends[2].spike
    assert trends[2].change is None


def test_trends_come_most_surprising_first() -> None:
    trends = topic_trends({1: [10, 10, 10, 10, 10], 2: [10, 10, 10, 10, 40]})

    assert [t.topic_id for t in trends] == [2, 1]
