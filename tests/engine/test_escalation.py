"""The escalation ladder of seed 004 (现场班长 → 地市分公司投诉热线 → 省服务监督热线 → 集团客户
服务监督热线): which rung triggers reach, the manual step, threat words in a transcript, the
checks on an edited ladder, and a level that never goes down."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lingting.engine.escalation import (
    DEFAULT_THREAT_WORDS,
    Climb,
    LadderTop,
    Rung,
    Situation,
    Trigger,
    climb,
    ladder_problems,
    manual_climb,
    threat_words_found,
    top_rank,
)
from lingting.engine.workorders import (
    Action,
    OrderFacts,
    Stage,
    TransitionRefused,
    allowed_actions,
    apply,
    refusal_text,
)

SEED_LADDER = [
    Rung(1, "值班长/现场班长", timeout=1.0, urges=2, on_threat=True),
    Rung(2, "地市分公司投诉热线", timeout=1.5, urges=3),
    Rung(3, "省服务监督热线", timeout=2.0, urges=4),
    Rung(4, "集团客户服务监督热线", timeout=3.0, urges=5),
]


def test_nothing_met_leaves_the_order_where_it_is() -> None:
    assert climb(SEED_LADDER, Situation(share=0.9, urges=1)) is None


def test_a_second_urge_brings_the_duty_team_leader() -> None:
    assert climb(SEED_LADDER, Situation(urges=2)) == Climb(0, 1, (Trigger.URGES,), (1,))


def test_a_threat_brings_the_duty_team_leader_first() -> None:
    assert climb(SEED_LADDER, Situation(threatened=True)) == Climb(0, 1, (Trigger.THREAT,), (1,))


def test_the_deadline_itself_is_the_first_timeout() -> None:
    assert climb(SEED_LADDER, Situation(share=0.999)) is None
    reached = climb(SEED_LADDER, Situation(share=1.0))
    assert reached is not None
    assert (reached.after, reached.triggers) == (1, (Trigger.TIMEOUT,))


def test_an_order_goes_straight_to_the_highest_rung_met_naming_those_passed() -> None:
    reached = climb(SEED_LADDER, Situation(level=1, share=2.2, urges=3))
    assert reached == Climb(1, 3, (Trigger.TIMEOUT,), (2, 3))


def test_an_order_never_climbs_down() -> None:
    assert climb(SEED_LADDER, Situation(level=3, urges=2)) is None


def test_an_inactive_rung_is_skipped_as_a_missing_city_line_is() -> None:
    no_city_line = [
        SEED_LADDER[0],
        Rung(2, "地市分公司投诉热线", active=False, timeout=1.5, urges=3),
        *SEED_LADDER[2:],
    ]
    assert climb(no_city_line, Situation(level=1, urges=3)) is None
    assert manual_climb(no_city_line, 1) == Climb(1, 3, (Trigger.MANUAL,), (3,))
    reached = climb(no_city_line, Situation(level=0, share=2.0))
    assert reached is not None
    assert reached.passed == (1, 3)


def test_a_manual_escalation_goes_one_rung_up_and_not_past_the_top() -> None:
    assert manual_climb(SEED_LADDER, 0).after == 1
    assert manual_climb(SEED_LADDER, 3).after == 4
    with pytest.raises(LadderTop):
        manual_climb(SEED_LADDER, 4)
    assert top_rank(SEED_LADDER) == 4
    assert top_rank([]) == 0


def test_threat_words_are_found_in_the_customers_words() -> None:
    said = ["你们再不处理我就找电视台曝光", "我要打12315，还要去工信部投诉"]
    found = threat_words_found(said, DEFAULT_THREAT_WORDS)
    assert found == ["曝光", "电视台", "工信部", "12315"]  # in the list's order


@pytest.mark.parametrize(
    "text",
    [
        "我的电话是13812345678",  # 12345 inside a phone number
        "这个月多扣了315元",  # an amount
        "住在城东路315号",  # an address
        "单号 23150",
    ],
)
def test_numbers_inside_other_numbers_or_with_units_are_no_threat(text: str) -> None:
    assert threat_words_found([text], DEFAULT_THREAT_WORDS) == []


def test_a_number_on_its_own_is_a_threat() -> None:
    assert threat_words_found(["我要打3.15投诉你们", "打12345。"], DEFAULT_THREAT_WORDS) == [
        "3.15",
        "12345",
    ]


def test_the_seed_ladder_has_no_problems() -> None:
    assert ladder_problems(SEED_LADDER) == []


def test_a_higher_rung_must_trigger_later_than_a_lower_one() -> None:
    crossed = [
        Rung(1, "班长", timeout=1.5, urges=3),
        Rung(2, "地市热线", timeout=1.2, urges=3),
    ]
    texts = [problem.text() for problem in ladder_problems(crossed)]
    assert texts == [
        "第 2 级的超时比例须高于第 1 级（150%）",
        "第 2 级的催单次数须多于第 1 级（3 次）",
    ]


def test_an_inactive_rung_does_not_constrain_the_order() -> None:
    ladder = [Rung(1, "班长", timeout=2.0, active=False), Rung(2, "地市热线", timeout=1.0)]
    assert ladder_problems(ladder) == []


def test_names_are_needed_and_unique_and_triggers_in_range() -> None:
    bad = [
        Rung(1, " ", urges=0),
        Rung(2, "班长", timeout=11.0),
        Rung(3, "班长"),
    ]
    texts = [problem.text() for problem in ladder_problems(bad)]
    assert "第 1 级没有名称" in texts
    assert "第 1 级的催单次数须在 1 到 99 之间" in texts
    assert "第 2 级的超时比例须在 1% 到 1000% 之间" in texts
    assert "级别名称「班长」重复" in texts
    assert [p.text() for p in ladder_problems([])] == ["升级阶梯至少要有一级"]


# --- the state machine's escalate step ---------------------------------------------------


def test_escalating_is_an_open_order_step_that_needs_a_reason() -> None:
    facts = OrderFacts(stage=Stage.DISPATCHED, level=1, top_level=4)
    step = apply(facts, Action.ESCALATE, reason="客户情绪激动，要求经理接听")
    assert (step.before, step.after, step.priority) == (facts.stage, facts.stage, facts.priority)
    assert Action.ESCALATE in allowed_actions(facts)
    with pytest.raises(TransitionRefused) as caught:
        apply(facts, Action.ESCALATE, reason=" ")
    assert refusal_text(caught.value) == "升级须写明原因"


@pytest.mark.parametrize(
    ("facts", "message"),
    [
        (OrderFacts(stage=Stage.CALLBACK, level=4, top_level=4), "工单已在升级阶梯的最高一级"),
        (OrderFacts(stage=Stage.ACCEPTED, top_level=0), "这张工单不适用投诉升级"),
        (OrderFacts(stage=Stage.CLOSED, top_level=4), "工单处于「已办结」，不能升级"),
    ],
)
def test_escalating_is_refused_at_the_top_without_a_ladder_and_once_closed(
    facts: OrderFacts, message: str
) -> None:
    assert Action.ESCALATE not in allowed_actions(facts)
    with pytest.raises(TransitionRefused) as caught:
        apply(facts, Action.ESCALATE, reason="客户要求")
    assert refusal_text(caught.value) == message


# --- the level never goes down -----------------------------------------------------------

situations = st.builds(
    lambda share, urges, threatened, manual: (share, urges, threatened, manual),
    st.one_of(st.none(), st.floats(min_value=0, max_value=5)),
    st.integers(min_value=0, max_value=8),
    st.booleans(),
    st.booleans(),
)


@given(
    events=st.lists(situations, max_size=30),
    active=st.lists(st.booleans(), min_size=4, max_size=4),
)
def test_the_level_in_the_trail_only_rises(
    events: list[tuple[float | None, int, bool, bool]], active: list[bool]
) -> None:
    """A trail of evaluations and manual steps, urges only ever growing and a threat once
    made staying made: each climb starts where the last ended and goes up."""
    ladder = [
        Rung(r.rank, r.name, active=on, timeout=r.timeout, urges=r.urges, on_threat=r.on_threat)
        for r, on in zip(SEED_LADDER, active, strict=True)
    ]
    level, urges, threatened = 0, 0, False
    trail: list[Climb] = []
    for share, more_urges, threat, manual in events:
        urges += more_urges
        threatened = threatened or threat
        if manual:
            try:
                step: Climb | None = manual_climb(ladder, level)
            except LadderTop:
                step = None
        else:
            step = climb(ladder, Situation(level, share, urges, threatened))
        if step is not None:
            assert step.before == level < step.after <= top_rank(ladder)
            assert step.after in step.passed
            assert all(level < rank <= step.after for rank in step.passed)
            level = step.after
            trail.append(step)
    levels = [step.after for step in trail]
    assert levels == sorted(set(levels))
