"""The fixed-customer panel's services (seed 004 篇1): recruited from two segments, waves
scheduled, answers recorded (and refused when wrong, storing nothing), a member who leaves
replaced from the same segments, a do-not-call number never called; all audited."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from lingting.campaigns.models import (
    DoNotCall,
    DoNotCallSource,
    Panel,
    PanelAnswer,
    PanelLeaveReason,
    PanelMember,
    PanelWave,
    Segment,
)
from lingting.campaigns.selectors.panels import active_members, panel_figures, wave_call_list
from lingting.campaigns.services.customers import do_not_call_add
from lingting.campaigns.services.panels import (
    AnswerGiven,
    PanelRefused,
    panel_answer_record,
    panel_member_leave,
    panel_recruit,
    panel_waves_schedule,
)
from lingting.core.models import AuditEvent, User
from tests.web.campaigns.conftest import MakeCustomer

SHANGHAI = ZoneInfo("Asia/Shanghai")
RECRUITED_ON = date(2027, 1, 4)
IN_FIRST_WAVE = datetime(2027, 1, 20, 10, tzinfo=SHANGHAI)
IN_SECOND_WAVE = datetime(2027, 4, 20, 10, tzinfo=SHANGHAI)


@pytest.fixture
def key_customers(make_customer: MakeCustomer) -> None:
    """3G key customers G1–G8 (G7's number on the do-not-call list, G8 without a number)
    and broadband key customers B1–B4."""
    for n in range(1, 7):
        make_customer(f"G{n}", name=f"3G客户{n}", phone=f"1860000000{n}", products=["3G"])
    make_customer("G7", name="3G客户7", phone="18600000007", products=["3G"])
    make_customer("G8", name="3G客户8", products=["3G"])
    for n in range(1, 5):
        make_customer(f"B{n}", name=f"宽带客户{n}", phone=f"1390000000{n}", products=["宽带"])
    do_not_call_add(number="18600000007", source=DoNotCallSource.IMPORT, actor=None)


@pytest.fixture
def panel(key_customers: None, ops_zhou: User) -> Panel:
    made = Panel.objects.create(name="关键客户感知跟踪", size=6, created_by=ops_zhou)
    made.segments.set(
        [
            Segment.objects.create(name="3G关键客户", rules="product has 3G"),
            Segment.objects.create(name="宽带关键客户", rules="product has 宽带"),
        ]
    )
    return made


@pytest.fixture
def recruited(panel: Panel, ops_zhou: User) -> Panel:
    panel_recruit(actor=ops_zhou, panel=panel, today=RECRUITED_ON)
    return panel


@pytest.fixture
def waves(recruited: Panel, ops_zhou: User) -> list[PanelWave]:
    return panel_waves_schedule(
        actor=ops_zhou, panel=recruited, first_opens_on=date(2027, 1, 15), count=3, open_days=30
    )


def codes(members: Iterable[PanelMember]) -> set[str]:
    return {member.customer.code for member in members}


def answered(satisfaction: int, perception: str = "", **aspects: int) -> AnswerGiven:
    return AnswerGiven(
        outcome="answered", satisfaction=satisfaction, aspects=aspects, perception=perception
    )


# --- recruiting ----------------------------------------------------------------------------


def test_recruiting_fills_the_panel_in_proportion_to_the_segments(
    panel: Panel, ops_zhou: User
) -> None:
    recruitment = panel_recruit(actor=ops_zhou, panel=panel, today=RECRUITED_ON)

    members = list(active_members(panel).select_related("customer"))
    assert len(recruitment.joined) == len(members) == 6
    assert recruitment.short == 0
    # 3G has 8 customers and broadband 4: 4 and 2 of 6 seats
    assert sum(m.customer.code.startswith("G") for m in members) == 4
    assert sum(m.customer.code.startswith("B") for m in members) == 2
    # never the number on the do-not-call list, never a customer without a number
    assert not codes(members) & {"G7", "G8"}
    assert {m.joined_on for m in members} == {RECRUITED_ON}
    event = AuditEvent.objects.get(action="panel.recruit")
    assert event.actor == ops_zhou
    assert event.after is not None
    assert sorted(event.after["joined"]) == sorted(m.customer_id for m in members)


def test_recruiting_again_keeps_the_members_and_says_what_is_short(
    recruited: Panel, ops_zhou: User
) -> None:
    before = set(active_members(recruited).values_list("pk", flat=True))
    recruited.size = 20
    recruited.save()

    recruitment = panel_recruit(actor=ops_zhou, panel=recruited, today=RECRUITED_ON)

    # 10 customers can be called (G7 and G8 cannot), 6 were in: 4 more, 10 short
    assert len(recruitment.joined) == 4
    assert recruitment.short == 10
    assert before < set(active_members(recruited).values_list("pk", flat=True))


# --- waves ---------------------------------------------------------------------------------


def test_three_quarterly_waves_are_scheduled_and_audited(
    waves: list[PanelWave], ops_zhou: User
) -> None:
    assert [(w.name, w.opens_on, w.closes_on) for w in waves] == [
        ("2027年第1季度", date(2027, 1, 15), date(2027, 2, 13)),
        ("2027年第2季度", date(2027, 4, 15), date(2027, 5, 14)),
        ("2027年第3季度", date(2027, 7, 15), date(2027, 8, 13)),
    ]
    event = AuditEvent.objects.get(action="panel.schedule")
    assert event.actor == ops_zhou
    assert event.after is not None
    assert event.after["waves"][0] == ["2027年第1季度", "2027-01-15", "2027-02-13"]


def test_waves_that_overlap_the_panels_waves_are_refused_whole(
    waves: list[PanelWave], ops_zhou: User, recruited: Panel
) -> None:
    with pytest.raises(PanelRefused, match="2027年第3季度"):
        panel_waves_schedule(
            actor=ops_zhou,
            panel=recruited,
            first_opens_on=date(2027, 7, 20),  # into the third wave; the fourth would be fine
            count=2,
            open_days=20,
        )

    assert recruited.waves.count() == 3
    assert AuditEvent.objects.filter(action="panel.schedule").count() == 1


# --- answers -------------------------------------------------------------------------------


def test_an_answer_is_recorded_then_corrected_once_per_member_and_wave(
    waves: list[PanelWave], recruited: Panel, qa_zhao: User, ops_zhou: User
) -> None:
    member = active_members(recruited).first()
    assert member is not None

    panel_answer_record(
        actor=qa_zhao,
        wave=waves[0],
        member=member,
        given=answered(3, 网络质量=2, 窗口服务=4),
        answered_at=IN_FIRST_WAVE,
    )
    panel_answer_record(
        actor=ops_zhou,
        wave=waves[0],
        member=member,
        given=answered(4, 网络质量=3, 窗口服务=4),
        answered_at=IN_FIRST_WAVE,
    )

    answer = PanelAnswer.objects.get()
    assert (answer.satisfaction, answer.aspects) == (4, {"网络质量": 3, "窗口服务": 4})
    assert answer.asked_by == ops_zhou
    first, correction = AuditEvent.objects.filter(action="panel.answer").order_by("id")
    assert first.before is None
    assert correction.before is not None
    assert correction.after is not None
    assert correction.before["satisfaction"] == 3
    assert correction.after["satisfaction"] == 4


@pytest.mark.parametrize(
    ("given", "field"),
    [
        (AnswerGiven(outcome="answered", satisfaction=6), "satisfaction"),
        (AnswerGiven(outcome="answered"), "satisfaction"),
        (answered(4, 网络速度=5), "aspects"),  # not one of the panel's aspects
        (answered(4, 网络质量=0), "aspects"),
        (AnswerGiven(outcome="unreachable", satisfaction=3), "outcome"),
        (AnswerGiven(outcome="maybe"), "outcome"),
        (answered(4, perception="much better"), "perception"),
    ],
)
def test_a_bad_answer_is_refused_naming_its_field_and_nothing_is_stored(
    waves: list[PanelWave], recruited: Panel, ops_zhou: User, given: AnswerGiven, field: str
) -> None:
    member = active_members(recruited).first()
    assert member is not None

    with pytest.raises(PanelRefused) as refused:
        panel_answer_record(
            actor=ops_zhou, wave=waves[0], member=member, given=given, answered_at=IN_FIRST_WAVE
        )

    assert refused.value.field == field
    assert not PanelAnswer.objects.exists()
    assert not AuditEvent.objects.filter(action="panel.answer").exists()


def test_no_answer_before_the_wave_opens_nor_from_a_member_gone_before_it(
    waves: list[PanelWave], recruited: Panel, ops_zhou: User
) -> None:
    member = active_members(recruited).first()
    assert member is not None

    with pytest.raises(PanelRefused, match="2027-04-15"):
        panel_answer_record(
            actor=ops_zhou,
            wave=waves[1],
            member=member,
            given=answered(4),
            answered_at=IN_FIRST_WAVE,
        )
    panel_member_leave(
        actor=ops_zhou, member=member, reason=PanelLeaveReason.CANCELLED, today=date(2027, 3, 1)
    )
    with pytest.raises(PanelRefused):
        panel_answer_record(
            actor=ops_zhou,
            wave=waves[1],
            member=member,
            given=answered(4),
            answered_at=IN_SECOND_WAVE,
        )

    assert not PanelAnswer.objects.exists()


# --- leaving and replacing -----------------------------------------------------------------


def test_a_member_who_leaves_is_replaced_from_the_same_segments_and_counted_as_attrition(
    waves: list[PanelWave], recruited: Panel, ops_zhou: User
) -> None:
    leaver = next(m for m in active_members(recruited) if m.customer.code.startswith("B"))

    replacement = panel_member_leave(
        actor=ops_zhou, member=leaver, reason=PanelLeaveReason.DECLINED, today=date(2027, 2, 1)
    )

    assert replacement is not None
    assert replacement.replaces == leaver
    # broadband lost one: the broadband customer not drawn before takes the seat
    assert replacement.customer.code.startswith("B")
    assert active_members(recruited).count() == recruited.size
    leaver.refresh_from_db()
    assert (leaver.left_on, leaver.left_reason) == (date(2027, 2, 1), "declined")
    first_wave = panel_figures(recruited).attrition[0]
    assert (first_wave.at_start, first_wave.joined, first_wave.left) == (6, 1, 1)
    assert first_wave.by_reason == {"declined": 1}
    assert first_wave.replaced == 1
    assert first_wave.rate == pytest.approx(1 / 7)
    event = AuditEvent.objects.get(action="panel.member_leave")
    assert event.object_id == str(leaver.pk)
    assert event.after == {
        "left_on": "2027-02-01",
        "reason": "declined",
        "replaced_by": replacement.customer_id,
    }


def test_a_former_member_is_never_drawn_again_and_an_empty_pool_leaves_the_seat_empty(
    recruited: Panel, ops_zhou: User
) -> None:
    broadband = [m for m in active_members(recruited) if m.customer.code.startswith("B")]
    # the two broadband customers not in the panel replace the first two leavers
    for member in broadband:
        panel_member_leave(
            actor=ops_zhou, member=member, reason=PanelLeaveReason.CANCELLED, today=RECRUITED_ON
        )
    third = next(m for m in active_members(recruited) if m.customer.code.startswith("B"))

    replacement = panel_member_leave(
        actor=ops_zhou, member=third, reason=PanelLeaveReason.CANCELLED, today=RECRUITED_ON
    )

    # no broadband customer left: the seat goes to the last 3G customer that may be called
    assert replacement is not None
    assert replacement.customer.code.startswith("G")
    ever = list(recruited.members.values_list("customer__code", flat=True))
    assert len(ever) == len(set(ever))
    with pytest.raises(PanelRefused):
        panel_member_leave(
            actor=ops_zhou, member=third, reason=PanelLeaveReason.OTHER, today=RECRUITED_ON
        )


def test_a_member_whose_number_goes_on_the_do_not_call_list_is_not_called(
    waves: list[PanelWave], recruited: Panel, ops_zhou: User
) -> None:
    member = active_members(recruited).select_related("customer__profile").first()
    assert member is not None
    do_not_call_add(number=member.customer.profile.phone, source=DoNotCallSource.MANUAL, actor=None)

    (listed,) = [call for call in wave_call_list(waves[0]) if call.member == member]
    assert listed.suppressed
    with pytest.raises(PanelRefused, match="免打扰"):
        panel_answer_record(
            actor=ops_zhou,
            wave=waves[0],
            member=member,
            given=answered(5),
            answered_at=IN_FIRST_WAVE,
        )
    assert not PanelAnswer.objects.exists()

    replacement = panel_member_leave(
        actor=ops_zhou, member=member, reason=PanelLeaveReason.DO_NOT_CALL, today=date(2027, 1, 21)
    )
    assert replacement is not None
    assert active_members(recruited).count() == recruited.size


def test_leaving_because_the_customer_asked_not_to_be_called_puts_the_number_on_the_list(
    recruited: Panel, ops_zhou: User
) -> None:
    member = active_members(recruited).select_related("customer__profile").first()
    assert member is not None

    panel_member_leave(
        actor=ops_zhou, member=member, reason=PanelLeaveReason.DO_NOT_CALL, today=RECRUITED_ON
    )

    entry = DoNotCall.objects.get(number=member.customer.profile.phone)
    assert entry.recorded_by == ops_zhou
    assert "关键客户感知跟踪" in entry.note


# --- movement ------------------------------------------------------------------------------


def test_the_panel_shows_how_the_same_customers_moved_between_two_waves(
    waves: list[PanelWave], recruited: Panel, ops_zhou: User
) -> None:
    first, second, *_ = waves
    members = list(active_members(recruited).order_by("id"))
    for member, (then, now, perception) in zip(
        members,
        [(3, 4, "improved"), (4, 4, "same"), (4, 3, "worse"), (2, 4, "improved")],
        strict=False,
    ):
        panel_answer_record(
            actor=ops_zhou,
            wave=first,
            member=member,
            given=answered(then, 网络质量=then),
            answered_at=IN_FIRST_WAVE,
        )
        panel_answer_record(
            actor=ops_zhou,
            wave=second,
            member=member,
            given=answered(now, perception, 网络质量=now),
            answered_at=IN_SECOND_WAVE,
        )
    panel_answer_record(  # reached only in the first wave: not in the movement
        actor=ops_zhou, wave=first, member=members[4], given=answered(1), answered_at=IN_FIRST_WAVE
    )
    panel_answer_record(
        actor=ops_zhou,
        wave=second,
        member=members[5],
        given=AnswerGiven(outcome="unreachable"),
        answered_at=IN_SECOND_WAVE,
    )

    figures = panel_figures(recruited)

    first_move = figures.movements[0]
    assert (first_move.earlier, first_move.later) == (first, second)
    moved = first_move.moved
    assert moved.count == 4
    assert (moved.before, moved.after) == (pytest.approx(13 / 4), pytest.approx(15 / 4))
    assert (moved.rose, moved.held, moved.fell) == (2, 1, 1)
    assert moved.improved.value == pytest.approx(0.5)
    network = moved.aspects[0]
    assert (network.aspect, network.count) == ("网络质量", 4)
    progress = figures.progress[1]
    assert (progress.members, progress.answered, progress.unreachable) == (6, 4, 1)
