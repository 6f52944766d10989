"""Sampling plans: saving them, and drawing their samples into reviewers' queues.

A draw is reproducible: its seed is stored, and the engine's draw depends only on the
candidates and the seed. A contact is sampled once (a database constraint, not a hope):
only calibration hands the same contact to several reviewers.
"""

from __future__ import annotations

import secrets
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from lingting.core.models import Role, User
from lingting.core.services import audit_record
from lingting.engine.sampling import Allocation as EngineAllocation
from lingting.engine.sampling import Candidate, draw_sample, split_by_quota
from lingting.quality.models import (
    AssignmentKind,
    PlanReviewer,
    ReviewAssignment,
    SampleDraw,
    SamplingMethod,
    SamplingPlan,
    Schedule,
)
from lingting.quality.selectors.judge import judge_is_on
from lingting.quality.selectors.sampling import (
    TargetCriteria,
    sampling_candidates,
    sampling_window,
    why_no_candidates,
)
from lingting.quality.tasks import judge_contacts

REVIEWER_ROLES = frozenset({Role.QA_ANALYST, Role.QA_SUPERVISOR})
JUDGE_CHUNK = 5  # contacts per model-judge task


@dataclass(frozen=True, slots=True)
class PlanSpec:
    """Everything a supervisor sets on a plan (the form's cleaned data)."""

    name: str
    method: str
    sample_size: int
    reviewers: dict[User, int]  # reviewer → quota weight
    stratify_by: str = ""
    allocation: str = ""
    min_per_agent_month: int = 0
    lookback_days: int = 1
    schedule: str = Schedule.ON_DEMAND
    targets: TargetCriteria = field(default_factory=TargetCriteria)
    description: str = ""
    is_active: bool = True


def sampling_plan_save(
    *, actor: User, spec: PlanSpec, plan: SamplingPlan | None = None
) -> SamplingPlan:
    """Create a plan (or change `plan`) as `spec` says; ValidationError when it cannot run."""
    _check(spec)
    with transaction.atomic():
        before = _described(plan) if plan is not None else None
        if plan is None:
            plan = SamplingPlan(created_by=actor)
        plan.name = spec.name
        plan.description = spec.description
        plan.method = spec.method
        stratified = spec.method == SamplingMethod.STRATIFIED
        plan.stratify_by = spec.stratify_by if stratified else ""
        plan.allocation = spec.allocation if stratified else ""
        plan.sample_size = spec.sample_size
        plan.min_per_agent_month = spec.min_per_agent_month
        plan.lookback_days = spec.lookback_days
        plan.schedule = spec.schedule
        plan.targets = spec.targets.to_json()
        plan.is_active = spec.is_active
        plan.save()
        plan.quotas.all().delete()
        PlanReviewer.objects.bulk_create(
            PlanReviewer(plan=plan, reviewer=reviewer, quota=quota)
            for reviewer, quota in spec.reviewers.items()
        )
        audit_record(
            actor=actor,
            action="sampling_plan.create" if before is None else "sampling_plan.change",
            object_type="sampling_plan",
            object_id=plan.pk,
            before=before,
            after=_described(plan),
        )
    return plan


def _check(spec: PlanSpec) -> None:
    problems: list[str] = []
    if spec.method == SamplingMethod.STRATIFIED and not (spec.stratify_by and spec.allocation):
        problems.append(_("分层抽样须选择分层依据和分配方式"))
    if spec.sample_size < 1:
        problems.append(_("每次抽取量至少为 1"))
    if not any(quota > 0 for quota in spec.reviewers.values()):
        problems.append(_("至少指定一名配额大于 0 的质检员"))
    outsiders = [r.display_name for r in spec.reviewers if r.role not in REVIEWER_ROLES]
    if outsiders:
        problems.append(_("只有质检员或质检主管可以评分：%s") % "、".join(outsiders))
    if problems:
        raise ValidationError(problems)


# What a supervisor sets on a plan, besides its targets and reviewers.
PLAN_SETTINGS = (
    "name",
    "description",
    "method",
    "stratify_by",
    "allocation",
    "sample_size",
    "min_per_agent_month",
    "lookback_days",
    "schedule",
    "is_active",
)


def plan_settings(plan: SamplingPlan) -> dict[str, Any]:
    return {name: getattr(plan, name) for name in PLAN_SETTINGS}


def _described(plan: SamplingPlan) -> dict[str, object]:
    return plan_settings(plan) | {
        "targets": plan.targets,
        "reviewers": {q.reviewer.username: q.quota for q in plan.quotas.select_related("reviewer")},
    }


def sample_draw(
    *, plan: SamplingPlan, actor: User | None, day: date | None = None, seed: int | None = None
) -> SampleDraw:
    """Draw `plan`'s sample for `day` (default today) and put it in reviewers' queues.

    `actor` None is the daily schedule. With `seed`, the draw repeats an earlier one over
    the same candidates exactly; without, a fresh seed is chosen and stored.
    """
    day = day or timezone.localdate()
    seed = secrets.randbits(62) if seed is None else seed
    with transaction.atomic():
        # One draw of a plan at a time: two at once would offer each other's contacts.
        plan = SamplingPlan.objects.select_for_update().get(pk=plan.pk)
        window = sampling_window(plan, day)
        candidates = sampling_candidates(plan=plan, window=window, day=day)
        chosen = draw_sample(
            candidates,
            size=plan.sample_size,
            seed=seed,
            allocation=EngineAllocation(plan.allocation) if plan.allocation else None,
            agent_minimums=_owed_per_agent(plan, candidates, day),
        )
        quotas = {str(q.reviewer_id): q.quota for q in plan.quotas.all()}
        dealt = split_by_quota(chosen, quotas, seed=seed) if chosen else {}
        draw = SampleDraw.objects.create(
            plan=plan,
            drawn_by=actor,
            day=day,
            seed=seed,
            window_start=window[0],
            window_end=window[1],
            candidates=len(candidates),
            drawn=len(chosen),
            why_empty="" if candidates else why_no_candidates(plan=plan, window=window, day=day),
        )
        ReviewAssignment.objects.bulk_create(
            ReviewAssignment(
                contact_id=candidate.contact_id,
                reviewer_id=int(reviewer_id),
                draw=draw,
                kind=AssignmentKind.SAMPLE,
            )
            for reviewer_id, share in dealt.items()
            for candidate in share
        )
        audit_record(
            actor=actor,
            action="sample.draw",
            object_type="sampling_plan",
            object_id=plan.pk,
            after={
                "draw": draw.pk,
                "day": day.isoformat(),
                "seed": seed,
                "candidates": len(candidates),
                "drawn": len(chosen),
                "why_empty": draw.why_empty,
                "per_reviewer": {r: len(share) for r, share in dealt.items()},
            },
        )
        _judge_when_on([candidate.contact_id for candidate in chosen])
    return draw


def _judge_when_on(contact_ids: Sequence[int]) -> None:
    """Have the model judge pre-score the drawn contacts' manual items for their
    reviewers, in the task worker once the draw commits; nothing when the judge is off."""
    if not contact_ids or not judge_is_on():
        return
    # A few contacts a task: a model answers in seconds per item, so a draw's contacts are
    # shared among the workers and a worker that dies loses little.
    for start in range(0, len(contact_ids), JUDGE_CHUNK):
        chunk = list(contact_ids[start : start + JUDGE_CHUNK])
        transaction.on_commit(partial(judge_contacts.enqueue, chunk), robust=True)


def _owed_per_agent(plan: SamplingPlan, candidates: list[Candidate], day: date) -> dict[str, int]:
    """How many more reviews each agent with candidates needs this month to reach the
    plan's monthly minimum (reviews from any plan count)."""
    if not plan.min_per_agent_month:
        return {}
    agents = {c.agent for c in candidates if c.agent}
    done = Counter(
        dict(
            ReviewAssignment.objects.filter(
                kind=AssignmentKind.SAMPLE,
                draw__day__gte=day.replace(day=1),
                draw__day__lte=day,
                contact__agent__code__in=agents,
            )
            .values_list("contact__agent__code")
            .annotate(n=Count("*"))
            .order_by()
        )
    )
    owed = {agent: plan.min_per_agent_month - done[agent] for agent in agents}
    return {agent: count for agent, count in owed.items() if count > 0}


def sampling_run_due(*, day: date | None = None) -> list[SampleDraw]:
    """Draw every active daily plan that has not drawn for `day` yet (the schedule)."""
    day = day or timezone.localdate()
    due = SamplingPlan.objects.filter(is_active=True, schedule=Schedule.DAILY).exclude(
        draws__day=day
    )
    return [sample_draw(plan=plan, actor=None, day=day) for plan in due]
