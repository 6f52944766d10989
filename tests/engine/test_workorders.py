"""The work-order state machine: the loop of seed 003 (受理 → 派单 → 回单 → 审核 → 回访 → 办结,
with 退单, 催单, 追单), parent and child orders, pauses, and the invariants a random sequence
of actions must keep."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from lingting.engine.calendars import BusinessCalendar, WorkingHours
from lingting.engine.sla import Clock, SlaPolicy, deadline
from lingting.engine.workorders import (
    CHILD_START,
    OPEN_STAGES,
    REASON_REQUIRED,
    TERMINAL_STAGES,
    Action,
    Mark,
    OrderFacts,
    Priority,
    Stage,
    Step,
    TransitionRefused,
    after_step,
    allowed_actions,
    apply,
    refusal_text,
    sla_clock,
    trail_counts,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")


def _refused(facts: OrderFacts, action: Action, **kwargs: object) -> str:
    with pytest.raises(TransitionRefused) as caught:
        apply(facts, action, **kwargs)  # type: ignore[arg-type]
    return refusal_text(caught.value)


def test_the_loop_from_acceptance_to_closing() -> None:
    facts = OrderFacts(stage=Stage.ACCEPTED)
    stages = []
    for action, kwargs in [
        (Action.DISPATCH, {"departments": 1}),
        (Action.REPLY, {}),
        (Action.ACCEPT, {}),
        (Action.CALLBACK, {}),
        (Action.CALLBACK_RESULT, {"satisfied": True}),
    ]:
        step = apply(facts, action, **kwargs)  # type: ignore[arg-type]
        facts = after_step(facts, step)
        stages.append(facts.stage)
    assert stages == [
        Stage.DISPATCHED,
        Stage.REPLIED,
        Stage.REVIEWED,
        Stage.CALLBACK,
        Stage.CLOSED,
    ]


def test_a_return_needs_a_reason_and_sends_the_order_back_to_the_department() -> None:
    replied = OrderFacts(stage=Stage.REPLIED)
    assert _refused(replied, Action.RETURN) == "退单须写明原因"
    step = apply(replied, Action.RETURN, reason="回复未说明复电时间")
    assert (step.after, step.returned) == (Stage.DISPATCHED, True)
    assert apply(OrderFacts(stage=Stage.REVIEWED), Action.RETURN, reason="客户不认可").returned


def test_an_unsatisfied_customer_at_the_callback_reopens_the_order() -> None:
    step = apply(OrderFacts(stage=Stage.CALLBACK), Action.CALLBACK_RESULT, satisfied=False)
    assert (step.after, step.reopened) == (Stage.ACCEPTED, True)
    assert _refused(OrderFacts(stage=Stage.CALLBACK), Action.CALLBACK_RESULT) == (
        "请记录客户是否满意"
    )


def test_a_dispatch_to_two_departments_makes_two_children() -> None:
    step = apply(OrderFacts(stage=Stage.ACCEPTED), Action.DISPATCH, departments=2)
    assert (step.after, step.children) == (Stage.DISPATCHED, 2)
    assert apply(OrderFacts(stage=Stage.ACCEPTED), Action.DISPATCH, departments=1).children == 0
    assert _refused(OrderFacts(stage=Stage.ACCEPTED), Action.DISPATCH) == "请选择至少一个处理部门"


def test_a_parent_with_an_open_child_can_be_neither_accepted_nor_closed_nor_cancelled() -> None:
    replied = OrderFacts(stage=Stage.REPLIED, open_children=1)
    assert _refused(replied, Action.ACCEPT) == "还有未办结的子工单，不能审核通过或办结"
    callback = OrderFacts(stage=Stage.CALLBACK, open_children=1)
    assert "子工单" in _refused(callback, Action.CALLBACK_RESULT, satisfied=True)
    assert "子工单" in _refused(replied, Action.CANCEL, reason="客户撤诉")


def test_a_child_closes_after_review_without_a_callback() -> None:
    child = OrderFacts(stage=Stage.REVIEWED, is_child=True, needs_callback=False)
    assert apply(child, Action.CLOSE).after == Stage.CLOSED
    assert _refused(child, Action.CALLBACK) == "子工单不需要回访，审核通过后直接办结"
    assert _refused(OrderFacts(stage=Stage.REVIEWED), Action.CLOSE) == (
        "这张工单需要回访后才能办结"
    )


def test_a_child_cannot_be_reopened_under_a_closed_parent() -> None:
    child = OrderFacts(stage=Stage.CLOSED, is_child=True, parent_open=False, needs_callback=False)
    assert _refused(child, Action.REOPEN, reason="补充处理") == (
        "主工单已办结或撤销，子工单不能重新打开"
    )


def test_urges_raise_the_priority_one_step_up_to_the_top() -> None:
    facts = OrderFacts(stage=Stage.DISPATCHED)
    seen = []
    for _ in range(3):
        step = apply(facts, Action.URGE)
        facts = after_step(facts, step)
        seen.append((step.urged, facts.priority))
    assert seen == [(True, Priority.HIGH), (True, Priority.URGENT), (True, Priority.URGENT)]


def test_a_paused_order_does_not_move_forward_but_can_be_urged_and_resumed() -> None:
    paused = after_step(
        OrderFacts(stage=Stage.DISPATCHED),
        apply(OrderFacts(stage=Stage.DISPATCHED), Action.PAUSE),
    )
    assert paused.paused
    assert _refused(paused, Action.REPLY) == "工单已挂起（等待客户），请先恢复"
    assert set(allowed_actions(paused)) == {Action.URGE, Action.NOTE, Action.RESUME, Action.CANCEL}
    assert not apply(paused, Action.RESUME).paused


def test_an_action_out_of_turn_says_which_stage_the_order_is_in() -> None:
    assert (
        _refused(OrderFacts(stage=Stage.ACCEPTED), Action.REPLY) == "工单处于「已受理」，不能回单"
    )
    assert _refused(OrderFacts(stage=Stage.CLOSED), Action.URGE) == "工单处于「已办结」，不能催单"


def test_notes_need_text_and_are_allowed_even_on_a_closed_order() -> None:
    closed = OrderFacts(stage=Stage.CLOSED)
    assert _refused(closed, Action.NOTE) == "追单须写明内容"
    assert apply(closed, Action.NOTE, reason="客户来电询问结果").after == Stage.CLOSED


def test_the_sla_clock_restarts_on_reopening_and_counts_pauses_from_the_trail() -> None:
    t0 = datetime(2026, 9, 28, 9, 0, tzinfo=SHANGHAI)
    hour = timedelta(hours=1)
    started, pauses = sla_clock(
        t0,
        [
            Mark(t0 + hour, Action.PAUSE, Stage.DISPATCHED),
            Mark(t0 + 2 * hour, Action.RESUME, Stage.DISPATCHED),
            Mark(t0 + 3 * hour, Action.PAUSE, Stage.DISPATCHED),
        ],
    )
    assert started == t0
    assert pauses == [(t0 + hour, t0 + 2 * hour), (t0 + 3 * hour, None)]
    started, pauses = sla_clock(
        t0,
        [
            Mark(t0 + hour, Action.PAUSE, Stage.CALLBACK),
            Mark(t0 + 2 * hour, Action.CANCEL, Stage.CANCELLED),
            Mark(t0 + 5 * hour, Action.REOPEN, Stage.ACCEPTED),
        ],
    )
    assert (started, pauses) == (t0 + 5 * hour, [])


# --- random sequences --------------------------------------------------------------------

# Limits per priority on the business clock (office hours, 2026's official calendar): the
# loop is driven across the 2026 National Day holiday and its make-up workdays.
LIMITS = {Priority.NORMAL: 5, Priority.HIGH: 2, Priority.URGENT: 1}  # working days
HOURS = WorkingHours.office()
CALENDAR = BusinessCalendar.from_package([2026])


FORWARD = frozenset(
    {
        Action.DISPATCH,
        Action.REPLY,
        Action.ACCEPT,
        Action.CALLBACK,
        Action.CALLBACK_RESULT,
        Action.CLOSE,
        Action.RESUME,
    }
)


def _policy(priority: Priority) -> SlaPolicy:
    return SlaPolicy(clock=Clock.BUSINESS, limit=HOURS.workday_length * LIMITS[priority])


@dataclass
class _Order:
    """One order as a service would keep it: its facts, counters and trail."""

    facts: OrderFacts
    created_at: datetime
    parent: int | None = None
    urges: int = 0
    returns: int = 0
    trail: list[tuple[datetime, Step]] = field(default_factory=list)
    last_deadline: datetime | None = None

    def deadline(self, now: datetime) -> datetime:
        marks = [Mark(at, step.action, step.after) for at, step in self.trail]
        started, pauses = sla_clock(self.created_at, marks)
        return deadline(
            started,
            _policy(self.facts.priority),
            calendar=CALENDAR,
            hours=HOURS,
            pauses=pauses,
            now=now,
        )


class WorkOrderFamily(RuleBasedStateMachine):
    """A parent order and the children its dispatches make, driven by random actions."""

    def __init__(self) -> None:
        super().__init__()
        self.now = datetime(2026, 9, 25, 9, 0, tzinfo=SHANGHAI)
        self.orders = [_Order(facts=OrderFacts(stage=Stage.ACCEPTED), created_at=self.now)]
        self.orders[0].last_deadline = self.orders[0].deadline(self.now)

    def _facts(self, index: int) -> OrderFacts:
        order = self.orders[index]
        children = [o for o in self.orders if o.parent == index]
        open_children = sum(1 for o in children if o.facts.stage in OPEN_STAGES)
        parent_open = order.parent is None or (self.orders[order.parent].facts.stage in OPEN_STAGES)
        return OrderFacts(
            stage=order.facts.stage,
            priority=order.facts.priority,
            paused=order.facts.paused,
            open_children=open_children,
            is_child=order.parent is not None,
            parent_open=parent_open,
            needs_callback=order.parent is None,
        )

    @rule(minutes=st.integers(min_value=1, max_value=3 * 24 * 60))
    def time_passes(self, minutes: int) -> None:
        self.now += timedelta(minutes=minutes)

    @rule(data=st.data())
    def act_as_allowed(self, data: st.DataObject) -> None:
        """An action the page would offer, with valid input: this is what drives the loop."""
        index = data.draw(st.integers(min_value=0, max_value=len(self.orders) - 1))
        facts = self._facts(index)
        allowed = allowed_actions(facts)
        if not allowed:
            return
        action = data.draw(st.sampled_from(allowed))
        departments = 1 if facts.is_child else data.draw(st.integers(min_value=1, max_value=3))
        step = apply(
            facts,
            action,
            reason="客户要求尽快处理",
            departments=departments,
            satisfied=data.draw(st.booleans()),
        )
        self._record(index, step)

    @rule(data=st.data())
    def move_forward(self, data: st.DataObject) -> None:
        """A forward action on any order of the family, so that runs reach the end of the
        loop (children replied and closed, the parent called back and closed) often."""
        moves = [
            (index, action)
            for index in range(len(self.orders))
            for action in allowed_actions(self._facts(index))
            if action in FORWARD
        ]
        if not moves:
            return
        index, action = data.draw(st.sampled_from(moves))
        facts = self._facts(index)
        departments = 1 if facts.is_child else data.draw(st.integers(min_value=1, max_value=3))
        satisfied = data.draw(st.sampled_from([True, True, True, False]))
        self._record(index, apply(facts, action, departments=departments, satisfied=satisfied))

    @rule(
        data=st.data(),
        action=st.sampled_from(list(Action)),
        reason=st.sampled_from(["", "  ", "客户要求尽快处理"]),
        departments=st.integers(min_value=0, max_value=3),
        satisfied=st.sampled_from([None, True, False]),
    )
    def act_blindly(
        self,
        data: st.DataObject,
        action: Action,
        reason: str,
        departments: int,
        satisfied: bool | None,
    ) -> None:
        """Any action with any input: refused exactly when the machine says it would be."""
        index = data.draw(st.integers(min_value=0, max_value=len(self.orders) - 1))
        facts = self._facts(index)
        try:
            step = apply(facts, action, reason=reason, departments=departments, satisfied=satisfied)
        except TransitionRefused:
            assert (
                action not in allowed_actions(facts)
                or (action in REASON_REQUIRED and not reason.strip())
                or (action == Action.DISPATCH and departments < 1)
                or (action == Action.DISPATCH and facts.is_child and departments > 1)
                or (action == Action.CALLBACK_RESULT and satisfied is None)
            )
            return
        assert action in allowed_actions(facts)
        self._record(index, step)

    def _record(self, index: int, step: Step) -> None:
        order = self.orders[index]
        order.facts = after_step(order.facts, step)
        order.urges += step.urged
        order.returns += step.returned
        order.trail.append((self.now, step))
        for _ in range(step.children):
            child = _Order(
                facts=OrderFacts(stage=CHILD_START, priority=order.facts.priority),
                created_at=self.now,
                parent=index,
            )
            child.last_deadline = child.deadline(self.now)
            self.orders.append(child)
        new_deadline = order.deadline(self.now)
        assert order.last_deadline is not None
        if not step.priority_changed:
            assert new_deadline >= order.last_deadline, (step.action, order.last_deadline)
        order.last_deadline = new_deadline

    @invariant()
    def no_closed_parent_has_an_open_child(self) -> None:
        for index, order in enumerate(self.orders):
            if order.facts.stage in TERMINAL_STAGES:
                assert all(
                    child.facts.stage not in OPEN_STAGES
                    for child in self.orders
                    if child.parent == index
                )

    @invariant()
    def counters_match_the_trail(self) -> None:
        for order in self.orders:
            counts = trail_counts(step for _, step in order.trail)
            assert (order.urges, order.returns) == (counts.urges, counts.returns)

    @invariant()
    def only_open_orders_are_paused(self) -> None:
        for order in self.orders:
            assert not order.facts.paused or order.facts.stage in OPEN_STAGES

    @invariant()
    def deadlines_wait_while_paused(self) -> None:
        for order in self.orders:
            if order.facts.paused:
                assert order.last_deadline is not None
                assert order.deadline(self.now) >= order.last_deadline


WorkOrderFamily.TestCase.settings = settings(
    max_examples=150, stateful_step_count=40, deadline=None
)
test_random_action_sequences_keep_the_invariants = WorkOrderFamily.TestCase
