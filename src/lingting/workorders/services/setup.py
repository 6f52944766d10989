"""Setting up work orders (工单设置): adding and changing the types (their own fields,
default department and priority, callback, time limit per priority, warning points) and
the departments (code, name, lead, members, working hours), and deleting an unused
department. Administrators and operations managers only (`may_configure_workorders`).

Every write is checked whole before anything is stored (`lingting.engine.workorder_setup`
says what is wrong, naming the field), runs in one transaction with the audit record of
the row before and after, and leaves the other settings of the row as they are (the
escalation ladder's page sets a type's repeat days and whether it escalates).

A changed limit or working hours apply to new orders and to the open ones alike: an
order's deadline is always computed from its current type and department (from the start
of its clock, less its pauses), so the open orders' stored deadlines and first warning
points are brought up to date in the same transaction — as the hourly ``lingting
workorder_warn`` would do within the hour. Closed orders keep the deadline they were
judged by (the report's on-time rate reads it).
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from lingting.core.models import User
from lingting.core.services import audit_record
from lingting.engine.workorder_setup import (
    FieldRow,
    Problem,
    field_specs,
    limit_spec,
    warning_points,
    working_hours,
)
from lingting.engine.workorders import PRIORITY_LABELS, Priority
from lingting.workorders.models import OPEN_STATES, Department, WorkOrder, WorkOrderType
from lingting.workorders.permissions import may_configure_workorders
from lingting.workorders.selectors.deadlines import DEFAULT_WARN_AT
from lingting.workorders.services.deadlines import workorder_deadline_refresh

TYPE_CODE = re.compile(r"[a-z][a-z0-9_-]{0,31}")
DEPARTMENT_CODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,31}")
TYPE_NAME_LENGTH = 64  # the columns' lengths
DEPARTMENT_NAME_LENGTH = 128


@dataclass(frozen=True, slots=True)
class TypeSetup:
    """A type as the page sends it. `limits`: per priority value, (clock, amount, unit)
    as typed; `warn_at`: percentages ("50, 80"); `code` is read on creation only."""

    name: str
    default_priority: str
    limits: dict[str, tuple[str, str, str]]
    warn_at: str
    fields: list[FieldRow] = field(default_factory=list)
    default_department: Department | None = None
    needs_callback: bool = True
    is_active: bool = True
    code: str = ""


@dataclass(frozen=True, slots=True)
class DepartmentSetup:
    """A department as the page sends it: `hours` seven lines, Monday first ("08:30-12:00,
    13:30-17:30"; all empty: the centre's office hours); `code` read on creation only."""

    name: str
    hours: list[str]
    lead: User | None = None
    members: list[User] = field(default_factory=list)
    code: str = ""


# --- types -------------------------------------------------------------------------------


def workorder_type_create(*, actor: User, setup: TypeSetup) -> WorkOrderType:
    """A new type; it takes orders at once if active."""
    _require(actor)
    code = setup.code.strip()
    problems = _type_problems(setup, None)
    if not TYPE_CODE.fullmatch(code):
        problems["code"] = [_("编号须以小写字母开头，只含小写字母、数字、- 和 _（最多 32 个）")]
    elif WorkOrderType.objects.filter(code=code).exists():
        problems["code"] = [_("编号「%(code)s」已被使用") % {"code": code}]
    values = _type_values(setup, problems)
    with transaction.atomic():
        order_type = WorkOrderType.objects.create(code=code, **values)
        audit_record(
            actor=actor,
            action="workorder_type.create",
            object_type="workorder_type",
            object_id=code,
            after=_type_snapshot(order_type),
        )
    return order_type


def workorder_type_update(
    *, actor: User, order_type: WorkOrderType, setup: TypeSetup, seen: str | None = None
) -> WorkOrderType:
    """`order_type` changed as `setup` says (its code stays); the stored deadlines of its
    open orders follow a changed limit. A deactivated type takes no new orders; its
    existing ones go on as before. `seen`: the `setup_version` of the type the page showed;
    if someone saved it since, nothing is written (`SetupChanged`)."""
    _require(actor)
    values = _type_values(setup, _type_problems(setup, order_type))
    with transaction.atomic():
        locked = WorkOrderType.objects.select_for_update().get(pk=order_type.pk)
        before = _type_snapshot(locked)
        _check_unchanged(before, seen)
        for name, value in values.items():
            setattr(locked, name, value)
        after = _type_snapshot(locked)
        if after == before:
            return locked
        locked.save(update_fields=list(values))
        if locked.sla != before["sla"]:
            _open_deadlines_refresh(WorkOrder.objects.filter(type=locked))
        audit_record(
            actor=actor,
            action="workorder_type.update",
            object_type="workorder_type",
            object_id=locked.code,
            before=before,
            after=after,
        )
    return locked


def _type_problems(setup: TypeSetup, current: WorkOrderType | None) -> dict[str, list[str]]:
    problems: dict[str, list[str]] = {}
    name = setup.name.strip()
    if not name:
        problems["name"] = [_("请填写类型名称")]
    elif len(name) > TYPE_NAME_LENGTH:
        problems["name"] = [_("类型名称太长（最多 %(max)d 个字）") % {"max": TYPE_NAME_LENGTH}]
    elif WorkOrderType.objects.filter(name=name).exclude(pk=current.pk if current else 0).exists():
        problems["name"] = [_("已有名为「%(name)s」的工单类型") % {"name": name}]
    if setup.default_priority not in Priority:
        problems["default_priority"] = [_("默认优先级不对")]
    return problems


def _type_values(setup: TypeSetup, problems: dict[str, list[str]]) -> dict[str, Any]:
    """The columns `setup` stores; ValidationError with every problem (`problems` found so
    far added) when any."""
    sla: dict[str, Any] = {}
    found: list[Problem] = []
    for priority in Priority:
        clock, amount, unit = setup.limits.get(priority.value, ("", "", ""))
        spec, wrong = limit_spec(
            label=PRIORITY_LABELS[priority],
            field_name=f"limit_{priority.value}",
            clock=clock,
            amount=amount,
            unit=unit,
        )
        sla[priority.value] = spec
        found += wrong
    shares, wrong = warning_points(setup.warn_at)
    if tuple(shares) != DEFAULT_WARN_AT:  # the default is what a type without them gets
        sla["warn_at"] = shares
    found += wrong
    fields, wrong = field_specs(setup.fields)
    found += wrong
    for problem in found:
        problems.setdefault(problem.field, []).append(problem.text(_))
    if problems:
        raise ValidationError(problems)
    return {
        "name": setup.name.strip(),
        "is_active": setup.is_active,
        "default_department": setup.default_department,
        "default_priority": setup.default_priority,
        "needs_callback": setup.needs_callback,
        "sla": sla,
        "fields": fields,
    }


def _type_snapshot(order_type: WorkOrderType) -> dict[str, Any]:
    department = order_type.default_department
    return {
        "name": order_type.name,
        "is_active": order_type.is_active,
        "default_department": department.code if department is not None else None,
        "default_priority": order_type.default_priority,
        "needs_callback": order_type.needs_callback,
        "sla": order_type.sla,
        "fields": order_type.fields,
    }


# --- departments -------------------------------------------------------------------------


def department_create(*, actor: User, setup: DepartmentSetup) -> Department:
    _require(actor)
    code = setup.code.strip()
    problems = _department_problems(setup, None)
    if not DEPARTMENT_CODE.fullmatch(code):
        problems["code"] = [_("编号只能含字母、数字、- 和 _（最多 32 个）")]
    elif Department.objects.filter(code=code).exists():
        problems["code"] = [_("编号「%(code)s」已被使用") % {"code": code}]
    hours = _hours(setup, problems)
    with transaction.atomic():
        department = Department.objects.create(
            code=code, name=setup.name.strip(), lead=setup.lead, working_hours=hours
        )
        department.members.set(setup.members)
        audit_record(
            actor=actor,
            action="department.create",
            object_type="department",
            object_id=code,
            after=_department_snapshot(department),
        )
    return department


def department_update(
    *, actor: User, department: Department, setup: DepartmentSetup, seen: str | None = None
) -> Department:
    """`department` changed as `setup` says (its code stays); the stored deadlines of its
    open orders follow changed working hours. `seen` as for `workorder_type_update`."""
    _require(actor)
    hours = _hours(setup, _department_problems(setup, department))
    with transaction.atomic():
        locked = Department.objects.select_for_update().get(pk=department.pk)
        before = _department_snapshot(locked)
        _check_unchanged(before, seen)
        locked.name, locked.lead, locked.working_hours = setup.name.strip(), setup.lead, hours
        locked.save(update_fields=["name", "lead", "working_hours"])
        locked.members.set(setup.members)
        after = _department_snapshot(locked)
        if after == before:
            return locked
        if after["working_hours"] != before["working_hours"]:
            _open_deadlines_refresh(WorkOrder.objects.filter(department=locked))
        audit_record(
            actor=actor,
            action="department.update",
            object_type="department",
            object_id=locked.code,
            before=before,
            after=after,
        )
    return locked


def department_delete(*, actor: User, department: Department) -> None:
    """Delete a department no order was ever dispatched to and no type defaults to; one
    with orders is refused (their trail and the reports keep naming it)."""
    _require(actor)
    with transaction.atomic():
        locked = Department.objects.select_for_update().get(pk=department.pk)
        orders = WorkOrder.objects.filter(department=locked)
        if total := orders.count():
            raise ValidationError(
                _(
                    "「%(name)s」有 %(total)d 张工单（其中 %(open)d 张未办结），不能删除："
                    "工单记录和报表需要保留这个部门。可改名或调整成员。"
                )
                % {
                    "name": locked.name,
                    "total": total,
                    "open": orders.filter(state__in=OPEN_STATES).count(),
                }
            )
        defaults = list(
            WorkOrderType.objects.filter(default_department=locked).values_list("name", flat=True)
        )
        if defaults:
            raise ValidationError(
                _("「%(name)s」是%(types)s的默认处理部门，请先为这些类型另选默认处理部门")
                % {"name": locked.name, "types": "、".join(f"「{name}」" for name in defaults)}
            )
        before = _department_snapshot(locked)
        locked.delete()
        audit_record(
            actor=actor,
            action="department.delete",
            object_type="department",
            object_id=before["code"],
            before=before,
        )


def _department_problems(
    setup: DepartmentSetup, current: Department | None
) -> dict[str, list[str]]:
    problems: dict[str, list[str]] = {}
    name = setup.name.strip()
    if not name:
        problems["name"] = [_("请填写部门名称")]
    elif len(name) > DEPARTMENT_NAME_LENGTH:
        problems["name"] = [
            _("部门名称太长（最多 %(max)d 个字）") % {"max": DEPARTMENT_NAME_LENGTH}
        ]
    elif Department.objects.filter(name=name).exclude(pk=current.pk if current else 0).exists():
        problems["name"] = [_("已有名为「%(name)s」的部门") % {"name": name}]
    return problems


def _hours(setup: DepartmentSetup, problems: dict[str, list[str]]) -> list[list[list[str]]]:
    """The working hours `setup` stores; ValidationError with every problem when any."""
    hours, found = working_hours(setup.hours)
    for problem in found:
        problems.setdefault(problem.field, []).append(problem.text(_))
    if problems:
        raise ValidationError(problems)
    return hours


def _department_snapshot(department: Department) -> dict[str, Any]:
    return {
        "code": department.code,
        "name": department.name,
        "lead": department.lead.username if department.lead is not None else None,
        "members": sorted(department.members.values_list("username", flat=True)),
        "working_hours": department.working_hours,
    }


# --- shared ------------------------------------------------------------------------------


class SetupChanged(ValidationError):
    """Someone saved the type or department after the page was loaded; nothing was written
    (two people editing one setting would otherwise silently undo each other's change)."""

    def __init__(self) -> None:
        super().__init__(_("该设置已被他人修改，请刷新后再试"))


def setup_version(row: WorkOrderType | Department) -> str:
    """A fingerprint of what the setup page shows of `row`: the page sends it back, and a
    save is refused when it no longer matches (`SetupChanged`)."""
    snapshot = _type_snapshot(row) if isinstance(row, WorkOrderType) else _department_snapshot(row)
    return _fingerprint(snapshot)


def _fingerprint(snapshot: dict[str, Any]) -> str:
    text = json.dumps(snapshot, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def _check_unchanged(before: dict[str, Any], seen: str | None) -> None:
    if seen is not None and _fingerprint(before) != seen:
        raise SetupChanged


def _require(actor: User) -> None:
    if not may_configure_workorders(actor):
        raise PermissionDenied(_("你不能设置工单类型和处理部门"))


def _open_deadlines_refresh(orders: QuerySet[WorkOrder]) -> None:
    """Bring the stored deadline and first warning point of the open ones of `orders` up
    to date."""
    for order in orders.filter(state__in=OPEN_STATES).select_related(
        "type", "department", "parent__type"
    ):
        workorder_deadline_refresh(order)
