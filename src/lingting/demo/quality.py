"""The QA team's month for the demo: plans, daily draws, reviews, shared cases, disputes
and a calibration session.

Reviewers are simulated deterministically from the seed: they accept most automatic
results, overturn some of the phrase items (the kind of call a person judges better), and
find a few manual problems, so every page of the workflow has something true to show.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from lingting.core.models import Agent, User
from lingting.engine.evaluation import Answer
from lingting.interactions.services import access_grants_set
from lingting.quality.models import (
    Allocation,
    AssignmentKind,
    AssignmentStatus,
    CalibrationSession,
    Case,
    CaseKind,
    Dispute,
    FindingScope,
    ReviewAssignment,
    ReviewedItem,
    SamplingMethod,
    SamplingPlan,
    Schedule,
    StratifyBy,
)
from lingting.quality.selectors.reviews import review_version
from lingting.quality.selectors.sampling import TargetCriteria
from lingting.quality.selectors.score_of_record import auto_results_of
from lingting.quality.selectors.scorecards import scorecard_of
from lingting.quality.services.calibration import calibration_session_create
from lingting.quality.services.cases import CaseInput, case_save
from lingting.quality.services.disputes import dispute_decide, dispute_raise
from lingting.quality.services.reviews import FindingInput, RecordInput, evaluation_submit
from lingting.quality.services.sampling import PlanSpec, sample_draw, sampling_plan_save

DAILY_PLAN = "每日分层抽检"
NEW_AGENTS_PLAN = "新员工定向抽检"
# Automatic items a person sometimes judges differently (context the rule cannot see).
OFTEN_OVERTURNED = {"forbidden_phrases": 0.2, "filler_words": 0.15, "polite_words": 0.1}
MANUAL_FAIL_RATE = 0.06


def demo_qa_month(
    *, users: dict[str, User], start: date, days: int, seed: int, pending_days: int = 2
) -> tuple[int, int]:
    """Plans, a draw for every day of the month, and records for all but the last
    `pending_days` (left in the reviewers' queues). Returns (assigned, reviewed)."""
    supervisor, analyst = users["qa_zhao"], users["qa_sun"]
    daily = _plan(
        supervisor,
        PlanSpec(
            name=DAILY_PLAN,
            method=SamplingMethod.STRATIFIED,
            stratify_by=StratifyBy.QUEUE,
            allocation=Allocation.PROPORTIONAL,
            sample_size=16,
            min_per_agent_month=3,
            schedule=Schedule.DAILY,
            reviewers={analyst: 2, supervisor: 1},
            description="按 ACD 组分层，按话务量比例分配；每名坐席每月至少 3 条。",
        ),
    )
    targeted = _plan(
        supervisor,
        PlanSpec(
            name=NEW_AGENTS_PLAN,
            method=SamplingMethod.RANDOM,
            sample_size=4,
            lookback_days=7,
            reviewers={analyst: 1},
            targets=TargetCriteria(new_agents_days=90),
            description="新员工加入，侧重新员工录音的监听（002 §六）。",
        ),
    )
    # The analyst also reads the whole of agent_li's team (a standing grant).
    agent = Agent.objects.filter(user=users["agent_li"]).select_related("team").first()
    if agent is not None and agent.team is not None:
        access_grants_set(actor=supervisor, user=analyst, teams=[agent.team], queues=[])
    if daily.draws.exists():
        return ReviewAssignment.objects.count(), _reviewed()
    for offset in range(1, days + 1):
        day = start + timedelta(days=offset)
        sample_draw(plan=daily, actor=None, day=day, seed=seed + offset)
        if offset % 7 == 0:
            sample_draw(plan=targeted, actor=supervisor, day=day, seed=seed + 1000 + offset)
    last_reviewed = start + timedelta(days=days - pending_days)
    rng = random.Random(seed)
    for assignment in (
        ReviewAssignment.objects.filter(draw__day__lte=last_reviewed)
        .select_related("contact__current_score__version", "reviewer")
        .order_by("id")
    ):
        _review(assignment, rng)
    _cases(analyst)
    _disputes(users)
    _calibration(users, rng)
    return ReviewAssignment.objects.count(), _reviewed()


def _plan(supervisor: User, spec: PlanSpec) -> SamplingPlan:
    existing = SamplingPlan.objects.filter(name=spec.name).first()
    return existing or sampling_plan_save(actor=supervisor, spec=spec)


def _reviewed() -> int:
    return ReviewAssignment.objects.filter(status=AssignmentStatus.SUBMITTED).count()


def _review(assignment: ReviewAssignment, rng: random.Random) -> None:
    version, auto_score = review_version(assignment)
    auto = auto_results_of(auto_score)
    answers: dict[str, Answer] = {}
    findings: list[FindingInput] = []
    for item in scorecard_of(version).items:
        machine = auto.get(item.id)
        if machine is None:  # a manual item: the reviewer's own judgement
            failed = rng.random() < MANUAL_FAIL_RATE
            answers[item.id] = Answer("fail" if failed else "pass")
            if failed:
                scope = FindingScope.COMMON if rng.random() < 0.4 else FindingScope.INDIVIDUAL
                findings.append(FindingInput(note=f"{item.title}不到位", scope=scope, item=item.id))
        elif machine == "fail" and rng.random() < OFTEN_OVERTURNED.get(item.id, 0.0):
            answers[item.id] = Answer("pass", reason="结合上下文，该用语并非问题")
        else:
            answers[item.id] = Answer(machine)  # type: ignore[arg-type]
    evaluation_submit(
        reviewer=assignment.reviewer,
        assignment=assignment,
        record=RecordInput(
            answers=answers,
            findings=findings,
            summary="整体服务规范" if not findings else "存在需改进之处，见问题记录",
            coaching_proposed=bool(findings) and rng.random() < 0.5,
            training_need="业务知识" if any(f.scope == "common" for f in findings) else "",
        ),
    )


def _cases(analyst: User) -> None:
    if Case.objects.exists():
        return
    reviewed = ReviewAssignment.objects.filter(status=AssignmentStatus.SUBMITTED)
    best = reviewed.order_by("-evaluation__score", "id").first()
    worst = reviewed.order_by("evaluation__score", "id").first()
    for assignment, kind, title in [
        (best, CaseKind.EXCELLENT, "规范服务示范：开头、核实、致谢完整"),
        (worst, CaseKind.POOR, "问题录音：服务用语与态度"),
    ]:
        if assignment is not None:
            case_save(
                actor=analyst,
                contact=assignment.contact,
                case_input=CaseInput(kind=kind, title=title, tags=["月度案例"], shared=True),
            )


def _disputes(users: dict[str, User]) -> None:
    """agent_li disputes three deductions: one is overturned, one upheld, one waits."""
    agent_li, supervisor = users["agent_li"], users["qa_zhao"]
    if Dispute.objects.exists():
        return
    failed = (
        ReviewedItem.objects.filter(
            evaluation__kind=AssignmentKind.SAMPLE,
            evaluation__contact__agent__user=agent_li,
            result="fail",
            points_lost__gt=0,
        )
        .select_related("evaluation")
        .order_by("evaluation_id", "position")
    )
    raised: list[Dispute] = []
    for row in failed:
        if len(raised) == 3:
            break
        if any(d.evaluation_id == row.evaluation_id for d in raised):
            continue  # one dispute per record, so three different calls
        raised.append(
            dispute_raise(
                agent_user=agent_li,
                evaluation=row.evaluation,
                item=row.item,
                reason=f"我认为“{row.title}”这一项没有问题，请复核录音。",
            )
        )
    decisions = [
        (True, "复听录音，坐席用语并无不当，改判。"),
        (False, "复听录音，扣分成立，维持原判。"),
    ]
    for dispute, (overturn, note) in zip(raised, decisions, strict=False):
        dispute_decide(supervisor=supervisor, dispute=dispute, overturn=overturn, note=note)


def _calibration(users: dict[str, User], rng: random.Random) -> None:
    """A calibration session both reviewers have scored, so its figures can be read."""
    supervisor, analyst = users["qa_zhao"], users["qa_sun"]
    if CalibrationSession.objects.exists():
        return
    contacts = [
        a.contact
        for a in ReviewAssignment.objects.filter(status=AssignmentStatus.SUBMITTED)
        .select_related("contact")
        .order_by("-id")[:3]
    ]
    if not contacts:
        return
    session = calibration_session_create(
        supervisor=supervisor,
        title="月度校准：服务用语与态度",
        contacts=contacts,
        reviewers=[analyst, supervisor],
    )
    for assignment in session.assignments.select_related("reviewer").order_by("id"):
        _review(assignment, rng)
