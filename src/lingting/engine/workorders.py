"""The work-order (工单) loop as an explicit state machine, with python-statemachine.

Seed 003 (003_993c733157eae45d.txt, 闭环管理) names the loop: 工单受理, 派单管理, 回单管理,
追单管理, 催单管理, 退单管理, 时限预警. Seed 004 (004_2e6e1fc8a5fa7dff.txt) adds 95598 practice:
a customer calling again about an open complaint is told "我们马上为您加急处理" — an urge
(催单) expedites the order — and complaints are called back (回访) after they are handled.

Stages, in the order an order goes through them::

    accepted 已受理 → dispatched 已派单 → replied 已回单 → reviewed 已审核 → callback 回访中
        → closed 已办结
    return 退单: replied or reviewed → dispatched (back to the department; reason, counted)
    cancel 撤销: any open stage → cancelled 已撤销 (reason)
    reopen 重新打开: closed or cancelled → accepted (reason); so does an unsatisfied customer
        at the callback (回访不满意)

Actions that do not move the stage: urge 催单 (any open stage, counted, raises the priority one
step), note 追单 (any stage), pause 挂起 / resume 恢复 (waiting for the customer; while paused
the order does not move forward, but it can still be urged, noted or cancelled), escalate 升级
(any open stage, with a reason, while the order is below the top of its escalation ladder:
`lingting.engine.escalation` decides which rung; the machine only whether a climb is allowed).

Parent and child orders: dispatching to several departments makes one child order per
department (`Step.children`), each starting at `CHILD_START`. A parent cannot be reviewed as
replied (accept), closed or cancelled while a child is open, and a child cannot be reopened
under a parent that is no longer open — so a closed parent never has an open child. Children
skip the callback (the customer is called back once, on the parent).

The machine decides from `OrderFacts`, a snapshot of what it needs (the stage, the pause,
the open children…), and answers a `Step` or raises `TransitionRefused` with a message meant
for the user (Chinese msgid, marked with `gettext_noop` so the web app translates it). It
keeps nothing between calls: the stored order is the truth, and every step is recomputed
from it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum
from typing import Any

from statemachine import State, StateMachine
from statemachine.exceptions import TransitionNotAllowed


def gettext_noop(message: str) -> str:
    """Marks `message` for translation (makemessages looks for this name); returns it."""
    return message


class Stage(StrEnum):
    ACCEPTED = "accepted"
    DISPATCHED = "dispatched"
    REPLIED = "replied"
    REVIEWED = "reviewed"
    CALLBACK = "callback"
    CLOSED = "closed"
    CANCELLED = "cancelled"


STAGE_LABELS: dict[Stage, str] = {
    Stage.ACCEPTED: gettext_noop("已受理"),
    Stage.DISPATCHED: gettext_noop("已派单"),
    Stage.REPLIED: gettext_noop("已回单"),
    Stage.REVIEWED: gettext_noop("已审核"),
    Stage.CALLBACK: gettext_noop("回访中"),
    Stage.CLOSED: gettext_noop("已办结"),
    Stage.CANCELLED: gettext_noop("已撤销"),
}

TERMINAL_STAGES = frozenset({Stage.CLOSED, Stage.CANCELLED})
OPEN_STAGES = frozenset(Stage) - TERMINAL_STAGES
CHILD_START = Stage.DISPATCHED  # a child order is made already dispatched to its department


class Action(StrEnum):
    DISPATCH = "dispatch"
    REPLY = "reply"
    ACCEPT = "accept"
    RETURN = "return"
    CALLBACK = "callback"
    CALLBACK_RESULT = "callback_result"
    CLOSE = "close"
    URGE = "urge"
    NOTE = "note"
    PAUSE = "pause"
    RESUME = "resume"
    CANCEL = "cancel"
    REOPEN = "reopen"
    ESCALATE = "escalate"


ACTION_LABELS: dict[Action, str] = {
    Action.DISPATCH: gettext_noop("派单"),
    Action.REPLY: gettext_noop("回单"),
    Action.ACCEPT: gettext_noop("审核通过"),
    Action.RETURN: gettext_noop("退单"),
    Action.CALLBACK: gettext_noop("转回访"),
    Action.CALLBACK_RESULT: gettext_noop("记录回访结果"),
    Action.CLOSE: gettext_noop("办结"),
    Action.URGE: gettext_noop("催单"),
    Action.NOTE: gettext_noop("追单"),
    Action.PAUSE: gettext_noop("挂起"),
    Action.RESUME: gettext_noop("恢复"),
    Action.CANCEL: gettext_noop("撤销"),
    Action.REOPEN: gettext_noop("重新打开"),
    Action.ESCALATE: gettext_noop("升级"),
}

# Actions whose reason the user must give (a return, a cancellation, a reopening, a note,
# an escalation).
REASON_REQUIRED = frozenset(
    {Action.RETURN, Action.CANCEL, Action.REOPEN, Action.NOTE, Action.ESCALATE}
)


class Priority(StrEnum):
    """Three steps; an urge raises an order one step (normal → high → urgent), never lower."""

    NORMAL = "normal"
    HIGH = "high"
    URGENT = "urgent"

    def raised(self) -> Priority:
        order = list(Priority)
        return order[min(order.index(self) + 1, len(order) - 1)]


PRIORITY_LABELS: dict[Priority, str] = {
    Priority.NORMAL: gettext_noop("一般"),
    Priority.HIGH: gettext_noop("紧急"),
    Priority.URGENT: gettext_noop("特急"),
}


Pause = tuple[datetime, datetime | None]  # waiting for the customer, from … to (None: still)


class TransitionRefused(Exception):
    """The action is not allowed now; `message` says why, for the user (a Chinese msgid)."""

    def __init__(self, message: str, *, action: Action, stage: Stage) -> None:
        super().__init__(message)
        self.message = message
        self.action = action
        self.stage = stage


@dataclass(frozen=True, slots=True)
class OrderFacts:
    """What the machine needs to know about one order to decide an action."""

    stage: Stage
    priority: Priority = Priority.NORMAL
    paused: bool = False
    open_children: int = 0
    is_child: bool = False
    parent_open: bool = True  # for a child: whether its parent is still open
    needs_callback: bool = True  # False for child orders (and types that skip the 回访)
    level: int = 0  # the escalation ladder's rung the order is on (0: not escalated)
    top_level: int = 0  # the ladder's highest rung for this order (0: it does not escalate)


@dataclass(frozen=True, slots=True)
class Step:
    """What one action did: the stage before and after and what else changed."""

    action: Action
    before: Stage
    after: Stage
    paused: bool
    priority_before: Priority
    priority: Priority
    urged: bool = False
    returned: bool = False
    reopened: bool = False
    children: int = 0  # child orders to make (a dispatch to two or more departments)

    @property
    def priority_changed(self) -> bool:
        return self.priority != self.priority_before


# --- the machine -------------------------------------------------------------------------

_PAUSED = gettext_noop("工单已挂起（等待客户），请先恢复")
_OPEN_CHILDREN = gettext_noop("还有未办结的子工单，不能审核通过或办结")
_OPEN_CHILDREN_CANCEL = gettext_noop("还有未办结的子工单，请先撤销或办结子工单")
_PARENT_CLOSED = gettext_noop("主工单已办结或撤销，子工单不能重新打开")
_NO_DEPARTMENT = gettext_noop("请选择至少一个处理部门")
_CHILD_DISPATCH = gettext_noop("子工单只能派给一个部门")
_NEEDS_CALLBACK = gettext_noop("这张工单需要回访后才能办结")
_NO_CALLBACK = gettext_noop("子工单不需要回访，审核通过后直接办结")
_NO_RESULT = gettext_noop("请记录客户是否满意")
_REASON = {
    Action.RETURN: gettext_noop("退单须写明原因"),
    Action.CANCEL: gettext_noop("撤销须写明原因"),
    Action.REOPEN: gettext_noop("重新打开须写明原因"),
    Action.NOTE: gettext_noop("追单须写明内容"),
    Action.ESCALATE: gettext_noop("升级须写明原因"),
}
_ALREADY_PAUSED = gettext_noop("工单已经挂起")
_NOT_PAUSED = gettext_noop("工单没有挂起")
_NOT_NOW = gettext_noop("工单处于「%(stage)s」，不能%(action)s")
_NO_LADDER = gettext_noop("这张工单不适用投诉升级")
_LADDER_TOP = gettext_noop("工单已在升级阶梯的最高一级")


class _Refusal(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class WorkOrderMachine(StateMachine):
    """The stages and the transitions between them; guards are validators that explain."""

    accepted = State(STAGE_LABELS[Stage.ACCEPTED], initial=True, value=Stage.ACCEPTED.value)
    dispatched = State(STAGE_LABELS[Stage.DISPATCHED], value=Stage.DISPATCHED.value)
    replied = State(STAGE_LABELS[Stage.REPLIED], value=Stage.REPLIED.value)
    reviewed = State(STAGE_LABELS[Stage.REVIEWED], value=Stage.REVIEWED.value)
    callback = State(STAGE_LABELS[Stage.CALLBACK], value=Stage.CALLBACK.value)
    closed = State(STAGE_LABELS[Stage.CLOSED], value=Stage.CLOSED.value)
    cancelled = State(STAGE_LABELS[Stage.CANCELLED], value=Stage.CANCELLED.value)

    dispatch = accepted.to(dispatched, validators=["not_paused", "departments_given"])
    reply = dispatched.to(replied, validators="not_paused")
    accept = replied.to(reviewed, validators=["not_paused", "children_done"])
    return_ = replied.to(dispatched, validators=["not_paused", "reason_given"]) | reviewed.to(
        dispatched, validators=["not_paused", "reason_given"]
    )
    callback_start = reviewed.to(callback, validators=["not_paused", "wants_callback"])
    callback_result = callback.to(
        closed, cond="satisfied", validators=["not_paused", "result_given", "children_done"]
    ) | callback.to(accepted, unless="satisfied", validators=["not_paused", "result_given"])
    close = reviewed.to(closed, validators=["not_paused", "skips_callback", "children_done"])
    urge = (
        accepted.to(accepted, internal=True)
        | dispatched.to(dispatched, internal=True)
        | replied.to(replied, internal=True)
        | reviewed.to(reviewed, internal=True)
        | callback.to(callback, internal=True)
    )
    note = (
        accepted.to(accepted, internal=True, validators="reason_given")
        | dispatched.to(dispatched, internal=True, validators="reason_given")
        | replied.to(replied, internal=True, validators="reason_given")
        | reviewed.to(reviewed, internal=True, validators="reason_given")
        | callback.to(callback, internal=True, validators="reason_given")
        | closed.to(closed, internal=True, validators="reason_given")
        | cancelled.to(cancelled, internal=True, validators="reason_given")
    )
    pause = (
        accepted.to(accepted, internal=True, validators="not_paused_yet")
        | dispatched.to(dispatched, internal=True, validators="not_paused_yet")
        | replied.to(replied, internal=True, validators="not_paused_yet")
        | reviewed.to(reviewed, internal=True, validators="not_paused_yet")
        | callback.to(callback, internal=True, validators="not_paused_yet")
    )
    resume = (
        accepted.to(accepted, internal=True, validators="is_paused")
        | dispatched.to(dispatched, internal=True, validators="is_paused")
        | replied.to(replied, internal=True, validators="is_paused")
        | reviewed.to(reviewed, internal=True, validators="is_paused")
        | callback.to(callback, internal=True, validators="is_paused")
    )
    cancel = (
        accepted.to(cancelled, validators=["reason_given", "children_gone"])
        | dispatched.to(cancelled, validators=["reason_given", "children_gone"])
        | replied.to(cancelled, validators=["reason_given", "children_gone"])
        | reviewed.to(cancelled, validators=["reason_given", "children_gone"])
        | callback.to(cancelled, validators=["reason_given", "children_gone"])
    )
    reopen = closed.to(accepted, validators=["reason_given", "parent_open"]) | cancelled.to(
        accepted, validators=["reason_given", "parent_open"]
    )
    escalate = (
        accepted.to(accepted, internal=True, validators=["reason_given", "below_top"])
        | dispatched.to(dispatched, internal=True, validators=["reason_given", "below_top"])
        | replied.to(replied, internal=True, validators=["reason_given", "below_top"])
        | reviewed.to(reviewed, internal=True, validators=["reason_given", "below_top"])
        | callback.to(callback, internal=True, validators=["reason_given", "below_top"])
    )

    def __init__(self, facts: OrderFacts) -> None:
        self.facts = facts
        super().__init__(start_value=facts.stage.value)

    # Validators raise `_Refusal` with the user's message; `cond` only picks a branch.
    def not_paused(self) -> None:
        if self.facts.paused:
            raise _Refusal(_PAUSED)

    def departments_given(self, departments: int = 0) -> None:
        if departments < 1:
            raise _Refusal(_NO_DEPARTMENT)
        if self.facts.is_child and departments > 1:
            raise _Refusal(_CHILD_DISPATCH)

    def children_done(self) -> None:
        if self.facts.open_children:
            raise _Refusal(_OPEN_CHILDREN)

    def children_gone(self) -> None:
        if self.facts.open_children:
            raise _Refusal(_OPEN_CHILDREN_CANCEL)

    def reason_given(self, event: str, reason: str = "") -> None:
        if not reason.strip():
            action = _EVENT_ACTIONS[event]
            raise _Refusal(_REASON[action])

    def wants_callback(self) -> None:
        if not self.facts.needs_callback:
            raise _Refusal(_NO_CALLBACK)

    def skips_callback(self) -> None:
        if self.facts.needs_callback:
            raise _Refusal(_NEEDS_CALLBACK)

    def result_given(self, satisfied: bool | None = None) -> None:
        if satisfied is None:
            raise _Refusal(_NO_RESULT)

    def satisfied(self, satisfied: bool | None = None) -> bool:
        return bool(satisfied)

    def not_paused_yet(self) -> None:
        if self.facts.paused:
            raise _Refusal(_ALREADY_PAUSED)

    def is_paused(self) -> None:
        if not self.facts.paused:
            raise _Refusal(_NOT_PAUSED)

    def parent_open(self) -> None:
        if self.facts.is_child and not self.facts.parent_open:
            raise _Refusal(_PARENT_CLOSED)

    def below_top(self) -> None:
        if not self.facts.top_level:
            raise _Refusal(_NO_LADDER)
        if self.facts.level >= self.facts.top_level:
            raise _Refusal(_LADDER_TOP)


# python-statemachine names an event after its attribute; `return` is a Python keyword.
_ACTION_EVENTS: dict[Action, str] = {a: a.value for a in Action} | {
    Action.RETURN: "return_",
    Action.CALLBACK: "callback_start",
}
_EVENT_ACTIONS: dict[str, Action] = {event: action for action, event in _ACTION_EVENTS.items()}


def apply(
    facts: OrderFacts,
    action: Action,
    *,
    reason: str = "",
    departments: int = 0,
    satisfied: bool | None = None,
) -> Step:
    """Decide `action` on an order described by `facts`.

    `reason`: why (required for return, cancel, reopen; the text of a note);
    `departments`: how many departments a dispatch goes to (two or more make child orders);
    `satisfied`: the customer's answer at the callback (False reopens the order).
    Raises `TransitionRefused` when the action is not allowed now.
    """
    return _decide(
        WorkOrderMachine(facts),
        facts,
        action,
        reason=reason,
        departments=departments,
        satisfied=satisfied,
    )


def allowed_actions(facts: OrderFacts) -> list[Action]:
    """The actions the machine would take now, given a reason, a department and a result
    where one is needed (so a page can offer exactly these)."""
    machine = WorkOrderMachine(facts)  # one machine, set back to the order's stage each try
    allowed = []
    for action in Action:
        for satisfied in (True, False):  # a callback result is allowed if either answer is
            try:
                _decide(machine, facts, action, reason="-", departments=1, satisfied=satisfied)
            except TransitionRefused:
                continue
            allowed.append(action)
            break
    return allowed


def _decide(
    machine: WorkOrderMachine,
    facts: OrderFacts,
    action: Action,
    *,
    reason: str,
    departments: int,
    satisfied: bool | None,
) -> Step:
    machine.model.state = facts.stage.value
    event = _ACTION_EVENTS[action]
    try:
        machine.send(event, reason=reason, departments=departments, satisfied=satisfied)
    except _Refusal as refusal:
        raise TransitionRefused(refusal.message, action=action, stage=facts.stage) from None
    except TransitionNotAllowed:
        raise TransitionRefused(_NOT_NOW, action=action, stage=facts.stage) from None
    after = Stage(machine.current_state_value)
    priority = facts.priority.raised() if action == Action.URGE else facts.priority
    paused = facts.paused
    if action == Action.PAUSE:
        paused = True
    elif action == Action.RESUME or after in TERMINAL_STAGES:
        paused = False
    reopened = action == Action.REOPEN or (
        action == Action.CALLBACK_RESULT and after == Stage.ACCEPTED
    )
    return Step(
        action=action,
        before=facts.stage,
        after=after,
        paused=paused,
        priority_before=facts.priority,
        priority=priority,
        urged=action == Action.URGE,
        returned=action == Action.RETURN,
        reopened=reopened,
        children=departments if action == Action.DISPATCH and departments > 1 else 0,
    )


def refusal_text(refusal: TransitionRefused, translate: Any = gettext_noop) -> str:
    """The refusal's message for a user, `translate` being the caller's gettext."""
    text: str = translate(refusal.message)
    if refusal.message == _NOT_NOW:
        text = text % {
            "stage": translate(STAGE_LABELS[refusal.stage]),
            "action": translate(ACTION_LABELS[refusal.action]),
        }
    return text


# --- the trail ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TrailCounts:
    """What an order's trail adds up to: the counters an order keeps must equal these."""

    urges: int
    returns: int
    reopens: int


def trail_counts(steps: Iterable[Step]) -> TrailCounts:
    counted = Counter[str]()
    for step in steps:
        counted["urges"] += step.urged
        counted["returns"] += step.returned
        counted["reopens"] += step.reopened
    return TrailCounts(
        urges=counted["urges"], returns=counted["returns"], reopens=counted["reopens"]
    )


def after_step(facts: OrderFacts, step: Step) -> OrderFacts:
    """The facts of the order once `step` is done (children are the caller's to count)."""
    return replace(facts, stage=step.after, paused=step.paused, priority=step.priority)


@dataclass(frozen=True, slots=True)
class Mark:
    """One entry of an order's trail, as far as its SLA clock cares: when, what, and after."""

    at: datetime
    action: Action
    after: Stage


def sla_clock(created_at: datetime, marks: Iterable[Mark]) -> tuple[datetime, list[Pause]]:
    """When the order's SLA clock started and the pauses since, from its trail (in order).

    The clock starts when the order is made and again when it is reopened (a reopened
    order gets a fresh time limit, never a shorter one). A pause runs from a `pause` to the
    next `resume`, or to the order's closing or cancelling; an open pause ends `None`.
    Computed from stored times only, so a restart loses nothing.
    """
    started = created_at
    pauses: list[Pause] = []
    paused_at: datetime | None = None
    for mark in marks:  # in trail order
        if mark.action == Action.REOPEN or (
            mark.action == Action.CALLBACK_RESULT and mark.after == Stage.ACCEPTED
        ):
            started, pauses, paused_at = mark.at, [], None
        elif mark.action == Action.PAUSE and paused_at is None:
            paused_at = mark.at
        elif paused_at is not None and (
            mark.action == Action.RESUME or mark.after in TERMINAL_STAGES
        ):
            pauses.append((paused_at, mark.at))
            paused_at = None
    if paused_at is not None:
        pauses.append((paused_at, None))
    return started, pauses
