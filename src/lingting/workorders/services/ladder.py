"""Changing the escalation ladder (投诉升级): its rungs, the threat words and which
work-order types escalate or link repeat complaints — by administrators and operations
managers, audited.

The rules themselves (which rung an order belongs on) are `lingting.engine.escalation`; the
steps that move orders up are `lingting.workorders.services.escalation`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from lingting.core.models import Role, User
from lingting.core.services import audit_record
from lingting.engine.escalation import Rung, ladder_problems
from lingting.workorders.models import (
    OPEN_STATES,
    EscalationLevel,
    EscalationSettings,
    WorkOrder,
    WorkOrderType,
)
from lingting.workorders.permissions import may_configure_workorders
from lingting.workorders.selectors.ladder import ladder_levels, threat_words

MAX_REPEAT_DAYS = 365
MAX_THREAT_WORDS = 100
WORD_LENGTH = 20
NOTIFIED_ROLES = (Role.TEAM_LEADER, Role.OPERATIONS_MANAGER, Role.QA_SUPERVISOR, Role.ADMIN)


@dataclass(frozen=True, slots=True)
class LevelSpec:
    """One rung as an editor submits it (its rank is its place in the list)."""

    name: str
    is_active: bool = True
    timeout_percent: int | None = None
    urges: int | None = None
    on_threat: bool = False
    roles: list[str] = field(default_factory=list)
    users: list[User] = field(default_factory=list)
    tell_department_lead: bool = False


@dataclass(frozen=True, slots=True)
class TypeSetting:
    escalates: bool
    repeat_days: int


def escalation_ladder_set(
    *,
    actor: User,
    levels: list[LevelSpec],
    words: list[str],
    types: dict[str, TypeSetting],
) -> None:
    """Replace the ladder with `levels` (in order), the threat words with `words` and the
    types' settings (by type code), audited. Raises ValidationError, changing nothing, when
    the ladder breaks a rule of `lingting.engine.escalation`, a rung tells nobody, a rung
    is dropped while open orders stand on it, or a word or a day count is out of range."""
    if not may_configure_workorders(actor):
        raise PermissionDenied(_("你不能修改升级规则"))
    words = list(dict.fromkeys(word.strip() for word in words if word.strip()))
    rungs = [
        Rung(
            rank=rank,
            name=spec.name.strip(),
            active=spec.is_active,
            timeout=spec.timeout_percent / 100 if spec.timeout_percent is not None else None,
            urges=spec.urges,
            on_threat=spec.on_threat,
        )
        for rank, spec in enumerate(levels, start=1)
    ]
    errors = [problem.text(_) for problem in ladder_problems(rungs)]
    errors += _recipient_errors(levels) + _word_errors(words) + _type_errors(types)
    with transaction.atomic():
        errors += _dropped_errors(len(levels))
        if errors:
            raise ValidationError(errors)
        before = _snapshot()
        EscalationLevel.objects.all().delete()
        for rung, spec in zip(rungs, levels, strict=True):
            level = EscalationLevel.objects.create(
                rank=rung.rank,
                name=rung.name,
                is_active=spec.is_active,
                timeout_percent=spec.timeout_percent,
                urges=spec.urges,
                on_threat=spec.on_threat,
                roles=list(dict.fromkeys(spec.roles)),
                tell_department_lead=spec.tell_department_lead,
            )
            level.users.set(spec.users)
        settings_row = EscalationSettings.objects.select_for_update().first()
        if settings_row is None:
            settings_row = EscalationSettings()
        settings_row.threat_words = words
        settings_row.save()
        for code, setting in types.items():
            WorkOrderType.objects.filter(code=code).update(
                escalates=setting.escalates, repeat_days=setting.repeat_days
            )
        audit_record(
            actor=actor,
            action="escalation.ladder",
            object_type="escalation_ladder",
            object_id="ladder",
            before=before,
            after=_snapshot(),
        )


def _recipient_errors(levels: list[LevelSpec]) -> list[str]:
    known = {role.value for role in Role}
    errors = []
    for rank, spec in enumerate(levels, start=1):
        if any(role not in known for role in spec.roles):
            errors.append(_("第 %(rank)d 级的通知角色不对") % {"rank": rank})
        elif not (spec.roles or spec.users or spec.tell_department_lead):
            errors.append(_("第 %(rank)d 级没有通知对象") % {"rank": rank})
    return errors


def _word_errors(words: list[str]) -> list[str]:
    if len(words) > MAX_THREAT_WORDS:
        return [_("威胁用语最多 %(n)d 个") % {"n": MAX_THREAT_WORDS}]
    too_long = [word for word in words if len(word) > WORD_LENGTH]
    if too_long:
        return [
            _("威胁用语「%(word)s」太长（最多 %(n)d 个字）")
            % {"word": too_long[0][:WORD_LENGTH], "n": WORD_LENGTH}
        ]
    return []


def _type_errors(types: dict[str, TypeSetting]) -> list[str]:
    names = dict(WorkOrderType.objects.values_list("code", "name"))
    errors = []
    for code, setting in types.items():
        if code not in names:
            errors.append(_("没有编号为 %(code)s 的工单类型") % {"code": code})
        elif not 0 <= setting.repeat_days <= MAX_REPEAT_DAYS:
            errors.append(
                _("「%(type)s」的重复投诉认定天数须在 0 到 %(max)d 之间")
                % {"type": names[code], "max": MAX_REPEAT_DAYS}
            )
    return errors


def _dropped_errors(kept: int) -> list[str]:
    """A rung may not be removed while open orders stand on it (it can be switched off)."""
    stranded = WorkOrder.objects.filter(state__in=OPEN_STATES, escalation_level__gt=kept)
    count = stranded.count()
    if not count:
        return []
    highest = max(stranded.values_list("escalation_level", flat=True))
    return [
        _("还有 %(count)d 张未办结工单在第 %(rank)d 级，不能删除这一级（可以停用）")
        % {"count": count, "rank": highest}
    ]


def _snapshot() -> dict[str, Any]:
    return {
        "levels": [
            {
                "rank": level.rank,
                "name": level.name,
                "active": level.is_active,
                "timeout_percent": level.timeout_percent,
                "urges": level.urges,
                "on_threat": level.on_threat,
                "roles": level.roles,
                "users": sorted(user.username for user in level.users.all()),
                "department_lead": level.tell_department_lead,
            }
            for level in ladder_levels()
        ],
        "threat_words": threat_words(),
        "types": {
            code: {"escalates": escalates, "repeat_days": days}
            for code, escalates, days in WorkOrderType.objects.order_by("code").values_list(
                "code", "escalates", "repeat_days"
            )
        },
    }
