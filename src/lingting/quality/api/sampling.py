"""The HTTP API: sampling plans and their draws (see the package's docstring)."""

from datetime import date, datetime
from typing import Annotated, Literal

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema, Status

from lingting.core.models import User
from lingting.core.params import ApiDate, RowId, Seed
from lingting.core.permissions import request_user, require
from lingting.engine.sampling import daily_sample_advice
from lingting.quality.models import (
    CustomerEmotion,
    SampleDraw,
    SamplingPlan,
)
from lingting.quality.models.sampling import Allocation, SamplingMethod, Schedule, StratifyBy
from lingting.quality.permissions import may_manage_qa
from lingting.quality.selectors.sampling import TargetCriteria, sampling_plans
from lingting.quality.services.sampling import PlanSpec, sample_draw, sampling_plan_save

router = Router()


class TargetsIO(Schema):
    new_agents_days: int | None = Field(default=None, ge=0, le=3650)
    tags: list[str] = Field(default_factory=list)
    max_auto_score: float | None = Field(default=None, ge=0, le=100, allow_inf_nan=False)
    fatal_only: bool = False
    complaints: bool = False
    max_satisfaction: int | None = Field(default=None, ge=1, le=5)
    min_duration_s: int | None = Field(default=None, ge=0, le=86400)
    repeat_within_days: int | None = Field(default=None, ge=0, le=3650)
    saved_filter: str = ""
    # What the contact meant (issue 15): the customer ended with any of these emotions, the
    # problem was not solved, predicted satisfaction below this percentage.
    ending_emotions: list[CustomerEmotion] = Field(default_factory=list)
    unresolved: bool = False
    max_predicted_satisfaction: int | None = Field(default=None, ge=1, le=100)


class PlanIn(Schema):
    name: str = Field(min_length=1, max_length=100, pattern=r"^[^\x00]*$")
    method: SamplingMethod
    sample_size: int = Field(ge=1, le=100_000)
    # username → quota weight
    reviewers: dict[str, Annotated[int, Field(ge=0, le=1000)]]
    stratify_by: StratifyBy | Literal[""] = ""
    allocation: Allocation | Literal[""] = ""
    min_per_agent_month: int = Field(default=0, ge=0, le=1000)
    lookback_days: int = Field(default=1, ge=1, le=366)
    schedule: Schedule = Schedule.ON_DEMAND
    targets: TargetsIO = Field(default_factory=TargetsIO)
    description: str = ""
    is_active: bool = True


class PlanOut(Schema):
    id: int
    name: str
    method: str
    stratify_by: str
    allocation: str
    sample_size: int
    min_per_agent_month: int
    lookback_days: int
    schedule: str
    is_active: bool
    targets: dict[str, object]
    reviewers: dict[str, int]

    @staticmethod
    def resolve_reviewers(plan: SamplingPlan) -> dict[str, int]:
        return {q.reviewer.username: q.quota for q in plan.quotas.all()}


class DrawOut(Schema):
    id: int
    plan_id: RowId
    day: date
    seed: int
    window_start: datetime
    window_end: datetime
    candidates: int
    drawn: int
    why_empty: str  # for a draw that found nothing: which condition of the plan emptied it
    per_reviewer: dict[str, int]

    @staticmethod
    def resolve_per_reviewer(draw: SampleDraw) -> dict[str, int]:
        counts: dict[str, int] = {}
        for username in draw.assignments.values_list("reviewer__username", flat=True):
            counts[username] = counts.get(username, 0) + 1
        return counts


class DrawIn(Schema):
    day: ApiDate | None = None
    seed: Seed | None = None  # repeat an earlier draw over the same candidates


@router.get("/plans", response=list[PlanOut])
def plan_list(request: HttpRequest) -> list[SamplingPlan]:
    require(may_manage_qa(request_user(request)))
    return list(sampling_plans())


@router.post("/plans", response={201: PlanOut})
def plan_create(request: HttpRequest, body: PlanIn) -> Status[SamplingPlan]:
    user = request_user(request)
    require(may_manage_qa(user))
    reviewers = {
        get_object_or_404(User, username=username): quota
        for username, quota in body.reviewers.items()
    }
    spec = PlanSpec(
        name=body.name,
        method=body.method,
        sample_size=body.sample_size,
        reviewers=reviewers,
        stratify_by=body.stratify_by,
        allocation=body.allocation,
        min_per_agent_month=body.min_per_agent_month,
        lookback_days=body.lookback_days,
        schedule=body.schedule,
        targets=TargetCriteria.from_json(body.targets.model_dump()),
        description=body.description,
        is_active=body.is_active,
    )
    saved = sampling_plan_save(actor=user, spec=spec)
    return Status(201, sampling_plans().get(pk=saved.pk))


@router.get("/plans/{plan_id}", response=PlanOut)
def plan_detail(request: HttpRequest, plan_id: RowId) -> SamplingPlan:
    require(may_manage_qa(request_user(request)))
    return get_object_or_404(sampling_plans(), pk=plan_id)


@router.post("/plans/{plan_id}/draws", response={201: DrawOut})
def plan_draw(request: HttpRequest, plan_id: RowId, body: DrawIn) -> Status[SampleDraw]:
    user = request_user(request)
    require(may_manage_qa(user))
    plan = get_object_or_404(SamplingPlan, pk=plan_id)
    return Status(201, sample_draw(plan=plan, actor=user, day=body.day, seed=body.seed))


class SampleSizeQuery(Schema):
    avg_daily_volume: float = Field(gt=0, le=10_000_000, allow_inf_nan=False)
    avg_handle_s: float = Field(gt=0, le=86_400, allow_inf_nan=False)
    reviewers: int = Field(ge=1, le=10_000)
    effective_hours: float = Field(gt=0, le=24, allow_inf_nan=False)
    margin: float = Field(default=0.05, gt=0, lt=1, allow_inf_nan=False)
    confidence: float = Field(default=0.95, gt=0, lt=1, allow_inf_nan=False)
    expected_rate: float = Field(default=0.5, gt=0, lt=1, allow_inf_nan=False)
    overhead_s: float = Field(default=120.0, ge=0, le=86_400, allow_inf_nan=False)


class SampleSizeOut(Schema):
    avg_daily_volume: float
    capacity: int
    share_reviewable: float
    needed_for_margin: int
    margin_at_capacity: float | None
    recommended_daily_sample: int
    reviewers_needed: int | None


@router.get("/sample-size", response=SampleSizeOut)
def sample_size(request: HttpRequest, query: Query[SampleSizeQuery]) -> object:
    try:
        return daily_sample_advice(**query.model_dump())
    except ValueError as error:
        raise ValidationError(str(error)) from None
