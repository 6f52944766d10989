"""Seed 004 篇1's fixed-customer panel: who is drawn, when the waves are, how the same
customers moved between two waves and who left the panel in each wave's time."""

from __future__ import annotations

import random
from collections import Counter
from datetime import date

import pytest

from lingting.engine.panels import (
    Candidate,
    MemberAnswer,
    Membership,
    PlannedWave,
    Recruit,
    SegmentPool,
    WaveStart,
    attrition_by_wave,
    draw_members,
    movement,
    quarterly_waves,
)

ASPECTS = ["网络质量", "窗口服务", "增值业务", "消费提醒"]


def pool(name: str, ids: range | list[int]) -> SegmentPool:
    return SegmentPool(name, [Candidate(i, f"138{i:08d}") for i in ids])


THREE_G = pool("3G关键客户", range(1, 61))  # 60 customers
BROADBAND = pool("宽带关键客户", range(101, 141))  # 40 customers


def drawn(
    segments: list[SegmentPool],
    *,
    size: int = 10,
    members: tuple[int, ...] = (),
    excluded: tuple[int, ...] = (),
    do_not_call: tuple[str, ...] = (),
    seed: int | str = 7,
    limit: int | None = None,
) -> list[Recruit]:
    return draw_members(
        segments,
        size=size,
        members=members,
        excluded=excluded,
        do_not_call=do_not_call,
        seed=seed,
        limit=limit,
    )


def by_segment(recruits: list[Recruit]) -> Counter[str]:
    return Counter(recruit.segment for recruit in recruits)


# --- the draw ------------------------------------------------------------------------------


def test_the_panel_is_spread_over_the_segments_in_proportion_to_their_sizes() -> None:
    recruits = drawn([THREE_G, BROADBAND], size=10)

    assert by_segment(recruits) == {"3G关键客户": 6, "宽带关键客户": 4}  # 60 : 40
    assert all(r.customer_id <= 60 for r in recruits if r.segment == "3G关键客户")
    assert all(r.customer_id > 100 for r in recruits if r.segment == "宽带关键客户")
    assert len({r.customer_id for r in recruits}) == 10


def test_an_uneven_split_gives_the_odd_seat_to_the_largest_remainder() -> None:
    fixed_line = pool("固话关键客户", range(201, 221))
    three_g = pool("3G关键客户", range(1, 51))
    broadband = pool("宽带关键客户", range(101, 131))

    # exact shares of 7 seats: 3.5, 2.1 and 1.4
    recruits = drawn([three_g, broadband, fixed_line], size=7)

    assert by_segment(recruits) == {"3G关键客户": 4, "宽带关键客户": 2, "固话关键客户": 1}


def test_the_same_seed_draws_the_same_members_whatever_order_the_customers_came_in() -> None:
    shuffled = list(THREE_G.customers)
    random.Random(1).shuffle(shuffled)

    first = drawn([THREE_G, BROADBAND], seed="panel-1")
    again = drawn([SegmentPool(THREE_G.name, shuffled), BROADBAND], seed="panel-1")
    other = drawn([THREE_G, BROADBAND], seed="panel-2")

    assert first == again
    assert first == sorted(first, key=lambda r: r.customer_id)
    assert first != other


def test_a_customer_in_two_segments_counts_in_the_first_and_is_drawn_once() -> None:
    both = [pool("3G关键客户", [1, 2, 3, 4]), pool("宽带关键客户", [3, 4, 5, 6])]

    recruits = drawn(both, size=6)

    # 3G holds 1–4 and broadband only 5 and 6: a split of 4 : 2
    assert sorted(r.customer_id for r in recruits) == [1, 2, 3, 4, 5, 6]
    assert {r.customer_id for r in recruits if r.segment == "宽带关键客户"} == {5, 6}


def test_never_a_former_member_a_do_not_call_number_or_a_customer_without_a_phone() -> None:
    segment = SegmentPool(
        "3G关键客户",
        [
            Candidate(1, "13800000001"),
            Candidate(2, "13800000002"),  # was in the panel
            Candidate(3, "13800000003"),  # on the do-not-call list
            Candidate(4, ""),  # no number to call
            Candidate(5, "13800000005"),
        ],
    )

    recruits = drawn([segment], size=5, excluded=(2,), do_not_call=("13800000003",))

    assert [r.customer_id for r in recruits] == [1, 5]


def test_a_segment_short_of_candidates_passes_its_seats_to_the_others() -> None:
    gone = tuple(range(3, 61))  # all but two 3G customers were in the panel before

    recruits = drawn([THREE_G, BROADBAND], size=10, excluded=gone)

    assert by_segment(recruits) == {"3G关键客户": 2, "宽带关键客户": 8}


def test_a_replacement_comes_from_the_segment_the_panel_is_short_of() -> None:
    # a full panel of 6 + 4 lost one broadband customer (109): one seat to fill
    members = (1, 2, 3, 4, 5, 6, 101, 102, 103)

    recruits = drawn(
        [THREE_G, BROADBAND], size=10, members=members, excluded=(*members, 109), seed=3
    )

    assert len(recruits) == 1
    assert recruits[0].segment == "宽带关键客户"
    assert recruits[0].customer_id not in (101, 102, 103, 109)


def test_a_full_panel_draws_no_one_and_a_limit_caps_the_draw() -> None:
    members = tuple(range(1, 11))

    assert drawn([THREE_G], size=10, members=members, excluded=members) == []
    assert len(drawn([THREE_G, BROADBAND], size=10, limit=1)) == 1


def test_a_negative_size_is_refused() -> None:
    with pytest.raises(ValueError, match="size"):
        drawn([THREE_G], size=-1)


# --- the waves -----------------------------------------------------------------------------


def test_three_quarterly_waves_from_a_first_date_each_open_thirty_days() -> None:
    waves = quarterly_waves(first_opens_on=date(2027, 1, 15), count=3, open_days=30)

    assert waves == [
        PlannedWave("2027年第1季度", date(2027, 1, 15), date(2027, 2, 13)),
        PlannedWave("2027年第2季度", date(2027, 4, 15), date(2027, 5, 14)),
        PlannedWave("2027年第3季度", date(2027, 7, 15), date(2027, 8, 13)),
    ]


def test_a_month_end_stays_a_month_end_across_the_year() -> None:
    waves = quarterly_waves(first_opens_on=date(2027, 8, 31), count=4, open_days=10)

    assert [wave.opens_on for wave in waves] == [
        date(2027, 8, 31),
        date(2027, 11, 30),
        date(2028, 2, 29),  # a leap year
        date(2028, 5, 31),  # from the first date, not from 29 February
    ]
    assert [wave.name for wave in waves] == [
        "2027年第3季度",
        "2027年第4季度",
        "2028年第1季度",
        "2028年第2季度",
    ]


@pytest.mark.parametrize(
    ("count", "open_days", "reason"),
    [(0, 30, "at least one wave"), (3, 0, "at least one day"), (2, 100, "runs into")],
)
def test_a_schedule_that_cannot_be_kept_is_refused(count: int, open_days: int, reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        quarterly_waves(first_opens_on=date(2027, 1, 15), count=count, open_days=open_days)


# --- movement ------------------------------------------------------------------------------


def test_the_same_customers_movement_between_two_waves() -> None:
    earlier = [
        MemberAnswer(1, 3, {"网络质量": 3, "窗口服务": 4}),
        MemberAnswer(2, 4, {"网络质量": 2}),
        MemberAnswer(3, 5, {}),
        MemberAnswer(4, 2, {"网络质量": 1}),  # not reached in the later wave
    ]
    later = [
        MemberAnswer(1, 4, {"网络质量": 4, "窗口服务": 4}, "improved"),
        MemberAnswer(2, 4, {"网络质量": 3, "窗口服务": 5}, "same"),
        MemberAnswer(3, 3, {}, "worse"),
        MemberAnswer(5, 5, {"网络质量": 5}, "improved"),  # a replacement: no earlier answer
    ]

    moved = movement(earlier, later, aspects=ASPECTS)

    assert moved.count == 3  # members 1, 2 and 3
    assert moved.before == pytest.approx(4.0)  # (3 + 4 + 5) / 3
    assert moved.after == pytest.approx(11 / 3)  # (4 + 4 + 3) / 3
    assert moved.change == pytest.approx(-1 / 3)
    assert (moved.rose, moved.held, moved.fell) == (1, 1, 1)
    assert moved.improved.value == pytest.approx(1 / 3)
    assert moved.improved.count == 3
    network, counter, value_added, reminders = moved.aspects
    assert (network.aspect, network.before, network.after, network.count) == (
        "网络质量",
        2.5,  # members 1 and 2: (3 + 2) / 2
        3.5,  # (4 + 3) / 2
        2,
    )
    assert (counter.before, counter.after, counter.count) == (4.0, 4.0, 1)  # member 1 only
    assert (value_added.before, value_added.after, value_added.count) == (None, None, 0)
    assert reminders.count == 0


def test_seed_004s_first_panel_where_8_of_33_felt_the_service_improve() -> None:
    earlier = [MemberAnswer(m, 3, {}) for m in range(33)]
    later = [
        MemberAnswer(m, 4 if m < 8 else 3, {}, "improved" if m < 8 else "same") for m in range(33)
    ]

    moved = movement(earlier, later, aspects=[])

    assert moved.improved.value == pytest.approx(0.242, abs=0.0005)  # 24.2%
    # Wilson at 95%: centre 0.2693, half-width 0.1410 (worked by hand with z = 1.96)
    assert moved.improved.margin == pytest.approx(0.1410, abs=0.0005)
    assert (moved.rose, moved.held, moved.fell) == (8, 25, 0)


def test_the_improved_share_counts_only_those_asked_about_it() -> None:
    earlier = [MemberAnswer(1, 3, {}), MemberAnswer(2, 3, {})]
    later = [MemberAnswer(1, 4, {}, "improved"), MemberAnswer(2, 4, {})]

    moved = movement(earlier, later, aspects=[])

    assert moved.count == 2
    assert (moved.improved.value, moved.improved.count) == (1.0, 1)


def test_no_member_in_both_waves_gives_no_figures_rather_than_zero() -> None:
    moved = movement([MemberAnswer(1, 3, {})], [MemberAnswer(2, 4, {})], aspects=ASPECTS)

    assert (moved.count, moved.before, moved.after, moved.change) == (0, None, None, None)
    assert moved.improved.value is None


def test_a_member_answering_one_wave_twice_is_refused() -> None:
    with pytest.raises(ValueError, match="member 1"):
        movement([MemberAnswer(1, 3, {}), MemberAnswer(1, 4, {})], [], aspects=[])


# --- attrition -----------------------------------------------------------------------------

WAVES = [
    WaveStart("2027年第2季度", date(2027, 4, 15)),  # given out of order on purpose
    WaveStart("2027年第1季度", date(2027, 1, 15)),
    WaveStart("2027年第3季度", date(2027, 7, 15)),
]
MEMBERS = [
    Membership(1, date(2027, 1, 10)),
    Membership(2, date(2027, 1, 10), date(2027, 2, 1), "declined", replaced=True),
    # recruited and gone before the first call: still the first wave's loss
    Membership(3, date(2027, 1, 10), date(2027, 1, 12), "cancelled", replaced=True),
    Membership(4, date(2027, 1, 12), date(2027, 5, 1), "do_not_call"),  # replaced 3
    Membership(5, date(2027, 2, 1)),  # replaced 2
    # left on the day the second wave opened: that wave's loss
    Membership(6, date(2027, 1, 10), date(2027, 4, 15), "unreachable", replaced=True),
    Membership(7, date(2027, 4, 15)),  # replaced 6, in on the second wave's first day
]


def test_attrition_per_wave_counts_who_left_in_each_waves_time() -> None:
    first, second, third = attrition_by_wave(WAVES, MEMBERS)

    assert first.wave == "2027年第1季度"
    # from 10 January: 1, 2, 3, 6 in at the start; 4 and 5 joined; 2 and 3 left
    assert (first.at_start, first.joined, first.left, first.replaced) == (4, 2, 2, 2)
    assert first.by_reason == {"declined": 1, "cancelled": 1}
    assert first.rate == pytest.approx(2 / 6)
    # from 15 April: 1, 4, 5, 6, 7; 4 and 6 left, 6 replaced
    assert (second.at_start, second.joined, second.left, second.replaced) == (5, 0, 2, 1)
    assert second.by_reason == {"do_not_call": 1, "unreachable": 1}
    assert second.rate == pytest.approx(2 / 5)
    assert (third.at_start, third.left, third.rate) == (3, 0, 0.0)


def test_a_panel_with_no_members_has_no_attrition_rate() -> None:
    (only,) = attrition_by_wave([WaveStart("2027年第1季度", date(2027, 1, 15))], [])

    assert (only.members, only.left, only.rate) == (0, 0, None)
