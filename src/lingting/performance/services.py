"""Setting KPI targets (operations managers), audited."""

from __future__ import annotations

import math
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lingting.core.models import Agent, Team, User
from lingting.core.services import audit_record
from lingting.engine.assessment import (
    BEST_POINTS,
    COMPONENTS,
    WORST_POINTS,
    AssessmentError,
    Weights,
    assess,
)
from lingting.engine.targets import Target
from lingting.interactions.models import Queue
from lingting.performance.models import (
    FIGURE_UNITS,
    LOWER_IS_BETTER,
    AssessmentWeights,
    AwardKind,
    FigureUnit,
    KpiTarget,
    MonthlyAssessment,
    MonthlyAward,
)
from lingting.performance.permissions import may_manage_assessment, may_set_targets
from lingting.performance.selectors import (
    agent_periods,
    assessment_weights,
    award_proposals,
    engine_weights,
    month_bounds,
)
from lingting.performance.tallies import tallies_drain


def kpi_target_set(
    *,
    actor: User,
    figure: str,
    queue: Queue | None,
    green: float,
    amber: float,
    team: Team | None = None,
) -> KpiTarget:
    """Set (or change) the target of `figure` for `team` or `queue` (both None: the whole
    center)."""
    if not may_set_targets(actor):
        raise PermissionDenied
    if queue is not None and team is not None:
        raise ValidationError(_("目标针对一个班组或一个ACD组，不能同时针对两者"))
    _check_target_range(figure, green, amber)
    higher_is_better = figure not in LOWER_IS_BETTER
    try:
        Target(green=green, amber=amber, higher_is_better=higher_is_better)
    except ValueError:
        raise ValidationError(
            _("越高越好的指标，达标值不能低于预警值")
            if higher_is_better
            else _("越低越好的指标，达标值不能高于预警值")
        ) from None
    with transaction.atomic():
        target = (
            KpiTarget.objects.select_for_update()
            .filter(figure=figure, queue=queue, team=team)
            .first()
        )
        before = {"green": target.green, "amber": target.amber} if target else None
        if target is None:
            target = KpiTarget(figure=figure, queue=queue, team=team)
        target.green, target.amber = green, amber
        target.save()
        audit_record(
            actor=actor,
            action="kpi_target.set",
            object_type="kpi_target",
            object_id=f"{figure}:{target.scope}",
            before=before,
            after={"green": green, "amber": amber},
        )
    return target


# The longest waiting or handling time a target may name: a day.
MAX_TARGET_SECONDS = 86_400


def _check_target_range(figure: str, green: float, amber: float) -> None:
    """Refuse a threshold its figure can never take (92 for a rate stored as 0.92, a
    negative time, a score above 100, NaN), naming the range in the units the page uses."""
    if figure not in FIGURE_UNITS:
        raise ValidationError(_("没有这个指标：%(figure)s") % {"figure": figure})
    unit = FIGURE_UNITS[figure]
    values = (green, amber)
    if not all(math.isfinite(value) for value in values):
        raise ValidationError(_("达标值和预警值须为有限的数"))
    if unit == FigureUnit.RATE and not all(0 <= value <= 1 for value in values):
        raise ValidationError(_("比率的达标值和预警值须在 0% 到 100% 之间"))
    if unit == FigureUnit.SCORE and not all(0 <= value <= 100 for value in values):
        raise ValidationError(_("分数的达标值和预警值须在 0 到 100 分之间"))
    if unit == FigureUnit.SECONDS:
        if min(values) < 0:
            raise ValidationError(_("时长的达标值和预警值不能小于 0 秒"))
        if max(values) > MAX_TARGET_SECONDS:
            raise ValidationError(
                _("时长的达标值和预警值不能超过 %(seconds)d 秒") % {"seconds": MAX_TARGET_SECONDS}
            )


def kpi_target_delete(*, actor: User, target: KpiTarget) -> None:
    if not may_set_targets(actor):
        raise PermissionDenied
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="kpi_target.delete",
            object_type="kpi_target",
            object_id=f"{target.figure}:{target.scope}",
            before={"green": target.green, "amber": target.amber},
        )
        target.delete()


# --- the monthly assessment (月度考核) and the best/worst agent of the month ----------------


def assessment_weights_set(
    *, actor: User, weights: dict[str, float], min_reviewed: int
) -> AssessmentWeights:
    """Change the assessment's weights (operations manager), audited. Raises
    ValidationError when no quality component would count."""
    if not may_manage_assessment(actor):
        raise PermissionDenied
    try:
        Weights(**weights)
    except AssessmentError:
        raise ValidationError(_("权重不能为负，且至少一项质量指标的权重大于 0")) from None
    with transaction.atomic():
        row = AssessmentWeights.objects.select_for_update().first() or AssessmentWeights()
        before = None if row.pk is None else _weights_of(row)
        for name, value in weights.items():
            setattr(row, name, value)
        row.min_reviewed = min_reviewed
        row.save()
        audit_record(
            actor=actor,
            action="assessment.weights",
            object_type="assessment_weights",
            object_id=row.pk,
            before=before,
            after=_weights_of(row),
        )
    return row


def _weights_of(row: AssessmentWeights) -> dict[str, float]:
    return {**{name: getattr(row, name) for name in COMPONENTS}, "min_reviewed": row.min_reviewed}


def assessment_compute(*, actor: User | None, month: date) -> int:
    """(Re)compute and store every agent's assessment of `month` with the weights in force
    and the month's confirmed best/worst points; audited. Returns the number of agents.
    `actor` None: the scheduled job."""
    if actor is not None and not may_manage_assessment(actor):
        raise PermissionDenied
    first = month.replace(day=1)
    start, end = month_bounds(first)
    weights_row = assessment_weights()
    tallies_drain()  # the month's every import, score and review counted
    periods = agent_periods(start=start, end=end)
    awards = MonthlyAward.objects.filter(month=first).select_related("agent")
    points = {award.agent.code: award.points for award in awards}
    rows = assess(periods, engine_weights(weights_row), points=points)
    by_period = {p.agent: p for p in periods}
    agents = Agent.objects.in_bulk([row.agent for row in rows], field_name="code")
    with transaction.atomic():
        MonthlyAssessment.objects.filter(month=first).delete()
        MonthlyAssessment.objects.bulk_create(
            MonthlyAssessment(
                month=first,
                agent=agents[row.agent],
                queue=row.queue or "",
                handled=by_period[row.agent].handled,
                scored=by_period[row.agent].scored,
                reviewed=by_period[row.agent].reviewed,
                components={
                    k: None if v is None else round(v, 2) for k, v in row.components.items()
                },
                total=None if row.total is None else round(row.total, 2),
                points=row.points,
                final=None if row.final is None else round(row.final, 2),
                rank=row.rank,
            )
            for row in rows
        )
        audit_record(
            actor=actor,
            action="assessment.compute",
            object_type="monthly_assessment",
            object_id=f"{first:%Y-%m}",
            after={"agents": len(rows), "weights": _weights_of(weights_row), "points": points},
        )
    return len(rows)


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def award_confirm(*, actor: User, month: date, kind: str, agent: Agent) -> MonthlyAward:
    """Confirm the rule's best (+5) or worst (−5) agent of a finished month; the points go
    into the month's assessment, which is recomputed. Only the rule's current choice can be
    confirmed (a page left open while reviews changed cannot confirm a stale one)."""
    if not may_manage_assessment(actor):
        raise PermissionDenied
    first = month.replace(day=1)
    if month_bounds(first)[1] > timezone.now():
        raise ValidationError(_("月份结束后才能评选最佳/最差坐席"))
    tallies_drain()
    proposal = next((p for p in award_proposals(month=first) if p.kind == kind), None)
    if proposal is None or proposal.agent.pk != agent.pk:
        raise ValidationError(_("评选结果已变化，请刷新页面后再确认"))
    points = BEST_POINTS if kind == AwardKind.BEST else WORST_POINTS
    with transaction.atomic():
        if MonthlyAward.objects.select_for_update().filter(month=first, kind=kind).exists():
            raise ValidationError(_("本月已确认"))
        award = MonthlyAward.objects.create(
            month=first,
            kind=kind,
            agent=agent,
            points=points,
            basis=proposal.basis(),
            confirmed_by=actor,
        )
        audit_record(
            actor=actor,
            action=f"assessment.award_{kind}",
            object_type="monthly_award",
            object_id=f"{first:%Y-%m}:{kind}",
            after={"agent": agent.code, "points": points, **proposal.basis()},
        )
        assessment_compute(actor=actor, month=first)
    return award
