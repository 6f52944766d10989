"""The demo's improvement loop: the check for three months below target run as of the
fourth month, "3+1" plans for the agents it finds, their coaching sessions and follow-up
evaluations in the three months after, one training, and the plans closed on what the
figures say. The effect page then measures the plans against uncoached agents; nothing
here knows whether the generator made anyone better.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.core.exceptions import ValidationError

from lingting.coaching.models import ImprovementPlan, PlanOutcome, SessionKind, Training
from lingting.coaching.permissions import may_coach
from lingting.coaching.selectors import (
    QA_SCORE,
    Detected,
    agent_month_figures,
    detect_below_target,
    month_end,
    plan_effect,
    session_contacts,
    training_items,
    training_needs,
)
from lingting.coaching.services import (
    GoalInput,
    SessionInput,
    TrainingInput,
    coaching_session_record,
    improvement_plan_close,
    improvement_plan_open,
    phase_goal_save,
    training_schedule,
)
from lingting.core.models import Agent, User
from lingting.engine.streaks import month_key
from lingting.performance.tallies import tallies_drain
from lingting.quality.models import ItemFailure

# Quality first (seed 003); seed 001's AHT example when the QA score finds too few.
FIGURES = (QA_SCORE, "aht_s")
MIN_PLANS = 3
# (kind, day of the month, who) — seed 000: 室经理面谈 once, then the team leader's and the
# training administrator's follow-ups, and an evaluation in each third of every month.
FIRST_MONTH = (
    (SessionKind.ROOM_MANAGER, 3, "manager_chen"),
    (SessionKind.TEAM_LEADER, 6, "leader"),
    (SessionKind.EVALUATION, 10, "qa_zhao"),
    (SessionKind.TRAINING_ADMIN, 14, "trainer_zhou"),
    (SessionKind.EVALUATION, 20, "qa_zhao"),
    (SessionKind.EVALUATION, 28, "qa_zhao"),
)
LATER_MONTHS = (
    (SessionKind.TEAM_LEADER, 5, "leader"),
    (SessionKind.EVALUATION, 10, "qa_zhao"),
    (SessionKind.EVALUATION, 20, "qa_zhao"),
    (SessionKind.EVALUATION, 28, "qa_zhao"),
)


def demo_coaching(*, users: dict[str, User], months: list[date]) -> str:
    """Needs at least four months (first days, oldest first): detection looks at
    months[0..2] as of months[3]; plans, sessions and a training fall in months[3..]."""
    if len(months) < 4:
        return "coaching: skipped (3+1 plans need four months of history)"
    manager, start = users["manager_chen"], months[3]
    tallies_drain()  # detection reads the daily tallies: every demo contact counted
    plans: list[ImprovementPlan] = []
    for figure in FIGURES:
        detection = detect_below_target(user=manager, figure=figure, as_of=start)
        taken = {p.agent_id for p in plans}
        for found in detection.detected:
            if found.agent.pk not in taken and found.running_plan is None:
                plans.append(_open(users, found, start))
        if len(plans) >= MIN_PLANS:
            break
    sessions = sum(_coach(users, plan, months[3:]) for plan in plans)
    training = _training(users, plans, months)
    closed = sum(_close(users, plan, months[-1]) for plan in plans)
    summary = (
        f"coaching: {len(plans)} 3+1 plans from {start:%Y-%m} "
        f"({', '.join(sorted({p.figure for p in plans})) or 'none detected'}), "
        f"{sessions} sessions, {closed} closed; "
    )
    summary += (
        f"training '{training.topic}' for {training.attendees.count()} agents"
        if training
        else "no training"
    )
    if plans:
        effect = plan_effect(user=manager, figure=plans[0].figure, start=start).effect
        if effect.effect is not None:
            e = effect.effect
            summary += (
                f"; effect {e.estimate:+.2f} [{e.low:+.2f}, {e.high:+.2f}] "
                f"({effect.treated.agents} vs {effect.control.agents} agents)"
            )
        else:
            summary += f"; effect: {effect.verdict}"
    return summary


def _leader(users: dict[str, User], agent: Agent) -> User | None:
    leader = agent.team.leader if agent.team else None
    return leader if leader is not None and leader.pk == users["leader_wang"].pk else None


def _open(users: dict[str, User], found: Detected, start: date) -> ImprovementPlan:
    opener = _leader(users, found.agent) or users["manager_chen"]
    return improvement_plan_open(actor=opener, detected=found, opened_on=start)


def _coach(users: dict[str, User], plan: ImprovementPlan, months: list[date]) -> int:
    recorded = 0
    for index, month in enumerate(months):
        for kind, day, who in FIRST_MONTH if index == 0 else LATER_MONTHS:
            coach = _leader(users, plan.agent) if who == "leader" else users[who]
            if coach is None or not may_coach(coach, plan.agent):
                continue  # a team without a leader's login: the manager's interview covers it
            held_on = month.replace(day=min(day, month_end(month).day))
            contacts = _worst_recent(coach, plan.agent, held_on)
            coaching_session_record(
                coach=coach,
                plan=plan,
                session=SessionInput(
                    kind=kind,
                    held_on=held_on,
                    notes=_note(kind, contacts),
                    contact_ids=contacts,
                ),
            )
            recorded += 1
        _goals(users, plan, month)
    return recorded


def _worst_recent(coach: User, agent: Agent, day: date) -> list[int]:
    """The agent's two lowest-scored contacts of the ten days before `day`."""
    contacts = session_contacts(user=coach, agent=agent, since=day - timedelta(days=10)).filter(
        started_at__date__lt=day, current_score__isnull=False
    )
    return list(contacts.order_by("current_score__score", "id").values_list("pk", flat=True)[:2])


NOTES = {
    SessionKind.ROOM_MANAGER: "室经理面谈：回顾三个月指标与扣分项，定专项提升重点和阶段目标。",
    SessionKind.TEAM_LEADER: "班组长跟踪辅导：一起复听录音，逐句指出问题并现场演练标准话术。",
    SessionKind.TRAINING_ADMIN: "培训管理员跟踪：检查专题培训要点的掌握情况，布置练习。",
    SessionKind.EVALUATION: "阶段效果评估：抽听本阶段录音，对照阶段目标评估进展。",
}


def _note(kind: str, contacts: list[int]) -> str:
    note = NOTES[SessionKind(kind)]
    return note + (f"（复听 {len(contacts)} 通录音）" if contacts else "")


def _goals(users: dict[str, User], plan: ImprovementPlan, month: date) -> None:
    """The agent's own plan for each third of the month, where someone may write it: the
    agent's login, else their team leader's ("在班长的辅导下执行")."""
    writer = plan.agent.user or _leader(users, plan.agent)
    if writer is None:
        return
    for phase, goal in (
        ("early", "复听自己的两通录音，找出绕圈子的地方"),
        ("middle", "每通电话先确认客户问题再解释，减少重复"),
        ("late", "阶段指标回到预警线以内"),
    ):
        try:
            phase_goal_save(
                actor=writer,
                plan=plan,
                goal=GoalInput(
                    month=month,
                    phase=phase,
                    measures="每天学习一条业务知识，听一通优秀录音",
                    goal=goal,
                ),
            )
        except ValidationError:
            return


def _training(
    users: dict[str, User], plans: list[ImprovementPlan], months: list[date]
) -> Training | None:
    """One training, a week into the plans' first month, on the issue reviews found most
    common (else the item the planned agents failed most), for the planned agents and the
    others failing that item most in the months before."""
    needs, _raised = training_needs(since=months[0])
    items = training_items()
    item = next((n.item for n in needs if n.item), "")
    before = (months[0], month_end(months[2]))
    failures = ItemFailure.objects.filter(
        score__contact__started_at__date__range=before, score__contact__agent__isnull=False
    )
    if not item:
        top = (
            failures.filter(score__contact__agent__in=[p.agent_id for p in plans])
            .values_list("item", flat=True)
            .first()
        )
        item = top or ""
    if not item:
        return None
    agents = {p.agent for p in plans}
    worst = (
        failures.filter(item=item)
        .values_list("score__contact__agent", flat=True)
        .order_by("score__contact__agent")
    )
    counts: dict[int, int] = {}
    for agent_id in worst:
        counts[agent_id] = counts.get(agent_id, 0) + 1
    top_ids = sorted(counts, key=lambda a: -counts[a])[:6]
    agents |= set(Agent.objects.filter(pk__in=top_ids))
    title = items.get(item, item)
    return training_schedule(
        trainer=users["trainer_zhou"],
        training=TrainingInput(
            topic=f"专项提升：{title}",
            item=item,
            item_title=title,
            held_on=months[3] + timedelta(days=7),
            attendees=sorted(agents, key=lambda a: a.code),
            notes=f"针对 {month_key(months[0])}–{month_key(months[2])} 质检中最常见的问题。",
        ),
    )


def _close(users: dict[str, User], plan: ImprovementPlan, last: date) -> int:
    """Close the plan at the end of the last month when its figure is back on target there;
    the others go on."""
    manager = users["manager_chen"]
    figures = agent_month_figures(user=manager, figure=plan.figure, months=[last]).series
    value = figures.get(plan.agent.code, [None])[0]
    latest = value.value if value is not None else None
    baseline = [v for v in plan.baseline if v is not None]
    before = sum(baseline) / len(baseline) if baseline else None
    if latest is None or before is None:
        return 0
    if value is None or value.status != "green":
        return 0
    improvement_plan_close(
        actor=manager,
        plan=plan,
        outcome=PlanOutcome.IMPROVED,
        note=f"{month_key(last)}：{latest:g}（计划前三个月平均 {before:.1f}）",
        closed_on=month_end(last),
    )
    return 1
