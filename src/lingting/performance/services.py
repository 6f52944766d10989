"""Setting KPI targets (operations managers), audited."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from lingting.core.models import Team, User
from lingting.core.permissions import may_set_targets
from lingting.core.services import audit_record
from lingting.engine.targets import Target
from lingting.interactions.models import Queue
from lingting.performance.models import LOWER_IS_BETTER, KpiTarget


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
