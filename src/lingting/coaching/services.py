"""Writes of the improvement loop: opening a "3+1" plan from a detection, recording coaching
sessions and follow-up evaluations, the agent's own phase goals, moving a plan on, and
scheduling trainings. Every change is audited; the agent hears when a plan opens."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from lingting.coaching.models import (
    CoachingSession,
    ImprovementPlan,
    Phase,
    PhaseGoal,
    PlanOutcome,
    PlanStatus,
    SessionKind,
    Training,
)
from lingting.coaching.permissions import (
    may_coach,
    may_open_plan_for,
    may_schedule_training,
    may_write_goals,
)
from lingting.coaching.selectors import (
    Detected,
    agent_diagnosis,
    figure_named,
    session_contacts,
)
from lingting.core.models import Agent, User
from lingting.core.services import audit_record, notification_send


def improvement_plan_open(
    *, actor: User, detected: Detected, opened_on: date | None = None
) -> ImprovementPlan:
    """Open a "3+1" plan for a detected agent, with the diagnosis of their months below
    target kept on it; the agent is notified. One running plan per agent and figure."""
    agent = detected.agent
    if not may_open_plan_for(actor, agent):
        raise PermissionDenied
    if detected.target is None:
        raise ValidationError(_("该指标没有目标，无法开启提升计划"))
    months = detected.detected_months
    first, last = detected.detected_days
    diagnosis = agent_diagnosis(user=actor, agent=agent, date_from=first, date_to=last)
    focus = diagnosis.auto_items[0].title if diagnosis.auto_items else ""
    if diagnosis.reviewed_items:
        focus = diagnosis.reviewed_items[0].title
    try:
        with transaction.atomic():
            plan = ImprovementPlan.objects.create(
                agent=agent,
                figure=detected.figure,
                detected_months=[m.month for m in months],
                baseline=[m.value for m in months],
                target_green=detected.target.target.green,
                higher_is_better=detected.target.target.higher_is_better,
                focus=focus,
                diagnosis=diagnosis.summary(),
                opened_on=opened_on or timezone.localdate(),
                opened_by=actor,
            )
            audit_record(
                actor=actor,
                action="improvement_plan.open",
                object_type="improvement_plan",
                object_id=plan.pk,
                after=_plan_state(plan),
            )
            if agent.user is not None:
                notification_send(
                    user=agent.user,
                    text=_("你的“3+1”服务提升计划已开启：%(figure)s") % {"figure": _label(plan)},
                    url=reverse("coaching:plan_detail", args=[plan.pk]),
                )
    except IntegrityError:
        raise ValidationError(_("该坐席在这个指标上已有进行中的提升计划")) from None
    return plan


def _label(plan: ImprovementPlan) -> str:
    try:
        return figure_named(plan.figure).label
    except KeyError:
        return plan.figure


def _plan_state(plan: ImprovementPlan) -> dict[str, object]:
    return {
        "agent": plan.agent.code,
        "figure": plan.figure,
        "status": plan.status,
        "outcome": plan.outcome,
        "opened_on": plan.opened_on.isoformat(),
        "closed_on": plan.closed_on.isoformat() if plan.closed_on else None,
    }


def improvement_plan_start(*, actor: User, plan: ImprovementPlan) -> ImprovementPlan:
    """Open → in progress (also done by the first coaching session)."""
    if not may_coach(actor, plan.agent):
        raise PermissionDenied
    if plan.status != PlanStatus.OPEN:
        raise ValidationError(_("只有已开启的计划可以开始执行"))
    return _move(actor=actor, plan=plan, status=PlanStatus.IN_PROGRESS)


def improvement_plan_close(
    *, actor: User, plan: ImprovementPlan, outcome: str, note: str, closed_on: date | None = None
) -> ImprovementPlan:
    if not may_coach(actor, plan.agent):
        raise PermissionDenied
    if plan.status == PlanStatus.CLOSED:
        raise ValidationError(_("计划已经结束"))
    if outcome not in PlanOutcome.values:
        raise ValidationError(_("请选择计划结果"))
    if not note.strip():
        raise ValidationError(_("结束计划需要写总结"))
    return _move(
        actor=actor,
        plan=plan,
        status=PlanStatus.CLOSED,
        outcome=outcome,
        note=note.strip(),
        closed_on=closed_on or timezone.localdate(),
    )


def _move(
    *,
    actor: User,
    plan: ImprovementPlan,
    status: str,
    outcome: str = "",
    note: str = "",
    closed_on: date | None = None,
) -> ImprovementPlan:
    with transaction.atomic():
        locked = ImprovementPlan.objects.select_for_update().select_related("agent").get(pk=plan.pk)
        before = _plan_state(locked)
        locked.status = status
        if status == PlanStatus.CLOSED:
            locked.outcome, locked.outcome_note, locked.closed_on = outcome, note, closed_on
        locked.save()
        audit_record(
            actor=actor,
            action=f"improvement_plan.{status}",
            object_type="improvement_plan",
            object_id=locked.pk,
            before=before,
            after=_plan_state(locked),
            note=note,
        )
    return locked


@dataclass(frozen=True, slots=True)
class SessionInput:
    kind: str
    held_on: date
    notes: str
    contact_ids: Sequence[int] = ()


def coaching_session_record(
    *, coach: User, plan: ImprovementPlan, session: SessionInput
) -> CoachingSession:
    """Record a three-party coaching session or a follow-up evaluation of a running plan,
    linked to contacts of the agent the coach may see; an open plan moves to in progress."""
    if not may_coach(coach, plan.agent):
        raise PermissionDenied
    problems = []
    if plan.status == PlanStatus.CLOSED:
        problems.append(_("计划已经结束，不能再记录辅导"))
    if session.kind not in SessionKind.values:
        problems.append(_("请选择辅导类型"))
    if not session.notes.strip():
        problems.append(_("请填写辅导记录"))
    if session.held_on < plan.opened_on:
        problems.append(_("辅导日期不能早于计划开始日期"))
    contacts = list(
        session_contacts(user=coach, agent=plan.agent, since=date.min).filter(
            pk__in=session.contact_ids
        )
    )
    if len(contacts) != len(set(session.contact_ids)):
        problems.append(_("只能关联该坐席且你有权查看的录音"))
    if problems:
        raise ValidationError(problems)
    with transaction.atomic():
        row = CoachingSession.objects.create(
            plan=plan,
            kind=session.kind,
            held_on=session.held_on,
            coach=coach,
            notes=session.notes.strip(),
        )
        row.contacts.set(contacts)
        audit_record(
            actor=coach,
            action="coaching_session.record",
            object_type="improvement_plan",
            object_id=plan.pk,
            after={
                "session": row.pk,
                "kind": row.kind,
                "held_on": row.held_on.isoformat(),
                "contacts": [c.external_id for c in contacts],
            },
        )
        if plan.status == PlanStatus.OPEN:
            _move(actor=coach, plan=plan, status=PlanStatus.IN_PROGRESS)
    return row


@dataclass(frozen=True, slots=True)
class GoalInput:
    month: date
    phase: str
    measures: str
    goal: str
    self_review: str = ""
    leader_note: str = ""


def phase_goal_save(*, actor: User, plan: ImprovementPlan, goal: GoalInput) -> PhaseGoal:
    """The agent writes (or updates) their measures and goal for a third of a month; their
    team leader may add a note ("在班长的辅导下执行")."""
    if not may_write_goals(actor, plan.agent):
        raise PermissionDenied
    problems = []
    if plan.status == PlanStatus.CLOSED:
        problems.append(_("计划已经结束"))
    if goal.phase not in Phase.values:
        problems.append(_("请选择阶段"))
    if not goal.measures.strip() or not goal.goal.strip():
        problems.append(_("请填写提升措施和阶段目标"))
    if problems:
        raise ValidationError(problems)
    is_agent = plan.agent.user_id == actor.pk
    month = goal.month.replace(day=1)
    with transaction.atomic():
        row = (
            PhaseGoal.objects.select_for_update()
            .filter(plan=plan, month=month, phase=goal.phase)
            .first()
        )
        before = _goal_state(row) if row else None
        if row is None:
            row = PhaseGoal(plan=plan, month=month, phase=goal.phase)
        row.measures, row.goal = goal.measures.strip(), goal.goal.strip()
        if is_agent:
            row.self_review = goal.self_review.strip()
        else:
            row.leader_note = goal.leader_note.strip()
        row.updated_by = actor
        row.save()
        audit_record(
            actor=actor,
            action="phase_goal.save",
            object_type="improvement_plan",
            object_id=plan.pk,
            before=before,
            after=_goal_state(row),
        )
    return row


def _goal_state(goal: PhaseGoal) -> dict[str, object]:
    return {
        "month": goal.month.isoformat(),
        "phase": goal.phase,
        "measures": goal.measures,
        "goal": goal.goal,
        "self_review": goal.self_review,
        "leader_note": goal.leader_note,
    }


@dataclass(frozen=True, slots=True)
class TrainingInput:
    topic: str
    item: str
    item_title: str
    held_on: date
    attendees: Sequence[Agent]
    notes: str = ""


def training_schedule(*, trainer: User, training: TrainingInput) -> Training:
    """A trainer schedules a training on a scorecard item for some agents (002 §四 step 7)."""
    if not may_schedule_training(trainer):
        raise PermissionDenied
    problems = []
    if not training.topic.strip():
        problems.append(_("请填写培训主题"))
    if not training.item:
        problems.append(_("请选择针对的评分项"))
    if not training.attendees:
        problems.append(_("请选择参训坐席"))
    if problems:
        raise ValidationError(problems)
    with transaction.atomic():
        row = Training.objects.create(
            topic=training.topic.strip(),
            item=training.item,
            item_title=training.item_title,
            held_on=training.held_on,
            trainer=trainer,
            notes=training.notes.strip(),
        )
        row.attendees.set(training.attendees)
        audit_record(
            actor=trainer,
            action="training.schedule",
            object_type="training",
            object_id=row.pk,
            after={
                "topic": row.topic,
                "item": row.item,
                "held_on": row.held_on.isoformat(),
                "attendees": sorted(a.code for a in training.attendees),
            },
        )
        for agent in training.attendees:
            if agent.user is not None:
                notification_send(
                    user=agent.user,
                    text=_("培训安排：%(topic)s（%(day)s）")
                    % {"topic": row.topic, "day": row.held_on.isoformat()},
                )
    return row
