"""Writes of the roster solver's setup (issue 14): shift templates, agents' skills, leave and
rotations, as planners enter them on the setup pages and through the API (team leaders enter
their own teams' leave). The rules live here, so the pages and the API refuse the same input
with the same reason (ValidationError); every change is audited in its own transaction.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from lingting.core.models import Agent, Team, User
from lingting.core.services import audit_record
from lingting.engine.rotation import REST
from lingting.interactions.models import Queue
from lingting.workforce.models import (
    Absence,
    AbsenceKind,
    AgentSkill,
    Rotation,
    RotationTeam,
    ShiftTemplate,
)
from lingting.workforce.permissions import absence_agents
from lingting.workforce.selectors.setup import (
    absence_overlapping,
    has_left,
    rotation_pattern_of,
    rotation_teams_elsewhere,
    rotations_naming,
)

DAY_MINUTES = 24 * 60
MAX_SHIFT_MINUTES = 16 * 60  # as ShiftTemplate's check constraint
CODE_MAX = 16  # ShiftTemplate.code's max_length
SKILL_LEVELS = (1, 2, 3)  # 1: the best (AgentSkill.level)
MAX_ABSENCE_DAYS = 366
CODE_SEPARATORS = (" ", ",", "，")  # a written cycle splits codes on these (cycle_codes)


# --- shift templates --------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ShiftTimes:
    """What a planner sets on a shift template besides its code."""

    name: str
    start_minutes: int  # from the midnight that opens the date; 1440 is 24:00
    length_minutes: int


def _times_errors(times: ShiftTimes) -> dict[str, str]:
    errors = {}
    if not 0 <= times.start_minutes <= DAY_MINUTES:
        errors["start"] = _("开始时间须在 00:00 到 24:00 之间（24:00 即当天结束时的午夜）")
    if not 0 < times.length_minutes <= MAX_SHIFT_MINUTES:
        errors["length"] = _("时长须大于 0 且不超过 16 小时")
    return errors


def _code_error(code: str) -> str:
    if not code:
        return _("请填写班次代码")
    if code == REST:
        return _("“%(rest)s”表示休息日，不能用作班次代码") % {"rest": REST}
    if any(sign in code for sign in CODE_SEPARATORS) or not code.isprintable():
        return _("班次代码不能含空格或逗号（轮班循环用它们分隔班次）")
    if len(code) > CODE_MAX:
        return _("班次代码最多 16 个字")
    return ""


def _template_values(template: ShiftTemplate) -> dict[str, Any]:
    return {
        "code": template.code,
        "name": template.name,
        "start": template.start_text,
        "length": template.length_text,
        "is_active": template.is_active,
    }


def shift_template_create(*, actor: User, code: str, times: ShiftTimes) -> ShiftTemplate:
    """A new, active shift template; refused (ValidationError by field: code, start, length)
    for a code in use or unreadable in a cycle, a start past 24:00, a length of 0 or over
    16 hours."""
    code = code.strip()
    errors = _times_errors(times)
    if code_error := _code_error(code):
        errors["code"] = code_error
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            template = ShiftTemplate.objects.create(
                code=code,
                name=times.name.strip(),
                start_minutes=times.start_minutes,
                length_minutes=times.length_minutes,
            )
            audit_record(
                actor=actor,
                action="shift_template.create",
                object_type="shift_template",
                object_id=template.pk,
                after=_template_values(template),
            )
    except IntegrityError:  # the unique code, taken meanwhile or before
        raise ValidationError({"code": _("班次 %(code)s 已存在") % {"code": code}}) from None
    return template


def shift_template_update(
    *, actor: User, template: ShiftTemplate, times: ShiftTimes
) -> ShiftTemplate:
    """Change a template's name and times (its code stays: rotations and rosters name it).
    Rosters already built keep the times they were built with."""
    if errors := _times_errors(times):
        raise ValidationError(errors)
    with transaction.atomic():
        template = ShiftTemplate.objects.select_for_update().get(pk=template.pk)
        before = _template_values(template)
        template.name = times.name.strip()
        template.start_minutes = times.start_minutes
        template.length_minutes = times.length_minutes
        template.save(update_fields=["name", "start_minutes", "length_minutes"])
        audit_record(
            actor=actor,
            action="shift_template.update",
            object_type="shift_template",
            object_id=template.pk,
            before=before,
            after=_template_values(template),
        )
    return template


def shift_template_set_active(
    *, actor: User, template: ShiftTemplate, active: bool
) -> ShiftTemplate:
    """Put a template back in use or out of it: the solver rosters active ones only. A
    template a rotation's cycle walks stays active until the rotation no longer names it."""
    if not active and (rotations := rotations_naming(template.code)):
        raise ValidationError(
            _("轮班 %(rotations)s 的循环用到班次 %(code)s：先修改轮班再停用")
            % {"rotations": "、".join(f"「{r.name}」" for r in rotations), "code": template.code}
        )
    with transaction.atomic():
        template = ShiftTemplate.objects.select_for_update().get(pk=template.pk)
        if template.is_active == active:
            return template
        template.is_active = active
        template.save(update_fields=["is_active"])
        audit_record(
            actor=actor,
            action="shift_template.activate" if active else "shift_template.deactivate",
            object_type="shift_template",
            object_id=template.pk,
            before={"is_active": not active},
            after={"is_active": active},
        )
    return template


# --- skills ----------------------------------------------------------------------------


def agent_skills_save(
    *, actor: User, levels: Mapping[Agent, Mapping[Queue, int | None]], today: date
) -> int:
    """Set the level (1–3, 1 best) each agent of `levels` answers each pool named at; None:
    the agent no longer answers it. Pools not named are left as they are. All or nothing: a
    level out of range or an agent who has left refuses the whole save, naming each. Returns
    the agents whose skills changed, each audited with their skills before and after."""
    errors = [
        _("%(agent)s 已于 %(day)s 离职，技能不能再修改") % {"agent": agent, "day": agent.left_on}
        for agent in levels
        if has_left(agent, today)
    ]
    errors += [
        _("%(agent)s 的 %(queue)s 熟练度须为 1、2 或 3，不是 %(level)s")
        % {"agent": agent, "queue": queue.code, "level": level}
        for agent, skills in levels.items()
        for queue, level in skills.items()
        if level is not None and level not in SKILL_LEVELS
    ]
    if errors:
        raise ValidationError(errors)
    changed = 0
    with transaction.atomic():
        held: dict[int, dict[int, AgentSkill]] = {}
        for skill in (
            AgentSkill.objects.select_for_update()
            .select_related("queue")
            .filter(agent__in=[agent.pk for agent in levels])
        ):
            held.setdefault(skill.agent_id, {})[skill.queue_id] = skill
        for agent, skills in levels.items():
            changed += _agent_skills_set(actor, agent, skills, held.get(agent.pk, {}))
    return changed


def _agent_skills_set(
    actor: User, agent: Agent, skills: Mapping[Queue, int | None], held: dict[int, AgentSkill]
) -> bool:
    before = {skill.queue.code: skill.level for skill in held.values()}
    after = dict(before)
    for queue, level in skills.items():
        if level is None:
            after.pop(queue.code, None)
        else:
            after[queue.code] = level
    if after == before:
        return False
    for queue, level in skills.items():
        current = held.get(queue.pk)
        if current is not None and level is None:
            current.delete()
        elif current is None and level is not None:
            AgentSkill.objects.create(agent=agent, queue=queue, level=level)
        elif current is not None and current.level != level:
            AgentSkill.objects.filter(pk=current.pk).update(level=level)
    audit_record(
        actor=actor,
        action="agent_skills.save",
        object_type="agent",
        object_id=agent.code,
        before=dict(sorted(before.items())),
        after=dict(sorted(after.items())),
    )
    return True


# --- leave -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Leave:
    agent: Agent
    first_day: date
    last_day: date
    kind: str  # an AbsenceKind
    note: str = ""


def _absence_values(absence: Absence) -> dict[str, Any]:
    return {
        "agent": absence.agent.code,
        "first_day": str(absence.first_day),
        "last_day": str(absence.last_day),
        "kind": absence.kind,
        "note": absence.note,
    }


def _leave_errors(leave: Leave) -> list[str]:
    errors = []
    if leave.kind not in AbsenceKind.values:
        errors.append(_("请假类型不对：%(kind)s") % {"kind": leave.kind})
    if leave.last_day < leave.first_day:
        errors.append(_("结束日期不能早于开始日期"))
    elif (leave.last_day - leave.first_day).days >= MAX_ABSENCE_DAYS:
        errors.append(_("一次最多登记 366 天"))
    left_on = leave.agent.left_on
    if left_on is not None and left_on < leave.last_day:
        errors.append(
            _("%(agent)s 已于 %(day)s 离职，此后不能请假") % {"agent": leave.agent, "day": left_on}
        )
    return errors


def absence_create(*, actor: User, leave: Leave) -> Absence:
    """Record days an agent is not to be rostered. Refused (ValidationError, saying why) for
    leave that shares a day with the agent's leave already entered, a range the wrong way
    round or over a year, days after the agent left; PermissionDenied for an agent who is
    not `actor`'s to enter."""
    if not absence_agents(actor).filter(pk=leave.agent.pk).exists():
        raise PermissionDenied
    if errors := _leave_errors(leave):
        raise ValidationError(errors)
    with transaction.atomic():
        # One entry at a time per agent: the overlap check and the insert cannot interleave.
        Agent.objects.select_for_update().filter(pk=leave.agent.pk).first()
        clash = absence_overlapping(leave.agent, leave.first_day, leave.last_day)
        if clash is not None:
            raise ValidationError(
                _("%(agent)s 在 %(first)s 至 %(last)s 已有%(kind)s，与这次请假重叠")
                % {
                    "agent": leave.agent,
                    "first": clash.first_day,
                    "last": clash.last_day,
                    "kind": clash.get_kind_display(),
                }
            )
        absence = Absence.objects.create(
            agent=leave.agent,
            first_day=leave.first_day,
            last_day=leave.last_day,
            kind=leave.kind,
            note=leave.note.strip(),
            created_by=actor,
        )
        audit_record(
            actor=actor,
            action="absence.create",
            object_type="absence",
            object_id=absence.pk,
            after=_absence_values(absence),
        )
    return absence


def absence_delete(*, actor: User, absence: Absence) -> None:
    """Take back leave entered by mistake (audited with what it was)."""
    if not absence_agents(actor).filter(pk=absence.agent_id).exists():
        raise PermissionDenied
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="absence.delete",
            object_type="absence",
            object_id=absence.pk,
            before=_absence_values(absence),
        )
        absence.delete()


# --- rotations -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RotationSetup:
    name: str
    cycle: str  # 早早中中夜夜休休, or codes between spaces or commas
    anchor: date  # the date each team is on its offset's day of the cycle
    places: Sequence[tuple[Team, int]]  # the teams that walk it, each with its offset (days)


def _rotation_values(rotation: Rotation) -> dict[str, Any]:
    return {
        "name": rotation.name,
        "cycle": rotation.cycle,
        "anchor": str(rotation.anchor),
        "teams": {
            place.team.code: place.offset
            for place in rotation.teams.select_related("team").order_by("offset", "team__code")
        },
    }


def _rotation_errors(rotation: Rotation | None, setup: RotationSetup) -> list[str]:
    errors = []
    name = setup.name.strip()
    if not name:
        errors.append(_("请填写轮班名称"))
    elif Rotation.objects.filter(name=name).exclude(pk=rotation.pk if rotation else 0).exists():
        errors.append(_("已有名为「%(name)s」的轮班") % {"name": name})
    try:
        days = len(rotation_pattern_of(setup.cycle).cycle)
    except ValidationError as error:
        errors += error.messages
        days = 0
    elsewhere = rotation_teams_elsewhere(rotation)
    for team, offset in setup.places:
        if days and not 0 <= offset < days:
            errors.append(
                _("%(team)s 的相位须在 0 到 %(last)s 天之间") % {"team": team, "last": days - 1}
            )
        if team.pk in elsewhere:
            errors.append(
                _("%(team)s 已在轮班「%(rotation)s」中：一个班组只走一个轮班")
                % {"team": team, "rotation": elsewhere[team.pk].name}
            )
    if len({team.pk for team, _offset in setup.places}) != len(setup.places):
        errors.append(_("同一个班组只能出现一次"))
    return errors


def rotation_save(*, actor: User, rotation: Rotation | None, setup: RotationSetup) -> Rotation:
    """Create a rotation (`rotation` None) or change one: its cycle walks active shift
    templates (or 休), each team at an offset within the cycle and in no other rotation.
    ValidationError listing every reason otherwise."""
    if errors := _rotation_errors(rotation, setup):
        raise ValidationError(errors)
    with transaction.atomic():
        before = _rotation_values(rotation) if rotation is not None else None
        if rotation is None:
            rotation = Rotation()
        rotation.name = setup.name.strip()
        rotation.cycle = setup.cycle.strip()
        rotation.anchor = setup.anchor
        try:
            with transaction.atomic():
                rotation.save()
                RotationTeam.objects.filter(rotation=rotation).delete()
                RotationTeam.objects.bulk_create(
                    RotationTeam(rotation=rotation, team=team, offset=offset)
                    for team, offset in setup.places
                )
        except IntegrityError:  # the name or a team taken by another save meanwhile
            raise ValidationError(_("轮班名称或班组刚被别人占用，请刷新后再试")) from None
        audit_record(
            actor=actor,
            action="rotation.update" if before else "rotation.create",
            object_type="rotation",
            object_id=rotation.pk,
            before=before,
            after=_rotation_values(rotation),
        )
    return rotation


def rotation_delete(*, actor: User, rotation: Rotation) -> None:
    """Remove a rotation: its teams are rostered freely from then on (rosters built keep their
    shifts)."""
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="rotation.delete",
            object_type="rotation",
            object_id=rotation.pk,
            before=_rotation_values(rotation),
        )
        rotation.delete()
