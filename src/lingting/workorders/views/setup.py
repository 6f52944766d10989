"""Work-order setup pages (工单设置), for administrators and operations managers: the types
(工单类型) and the departments (处理部门), each a list, an edit page and an add page, and
deleting an unused department. The writes are `lingting.workorders.services.setup`."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.forms import formset_factory
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from lingting.core.models import User
from lingting.core.params import RowIdsChoiceField
from lingting.core.permissions import request_user, require
from lingting.engine.workorder_setup import (
    WEEKDAY_LABELS,
    FieldRow,
    limit_parts,
    unit_text,
    warning_points_text,
    working_hours_texts,
)
from lingting.engine.workorders import PRIORITY_LABELS, Priority
from lingting.workorders.models import OPEN_STATES, Department, PriorityChoice, WorkOrderType
from lingting.workorders.permissions import may_configure_workorders
from lingting.workorders.selectors.deadlines import DEFAULT_WARN_AT
from lingting.workorders.services.setup import (
    DepartmentSetup,
    TypeSetup,
    department_create,
    department_delete,
    department_update,
    setup_version,
    workorder_type_create,
    workorder_type_update,
)

CLOCK_CHOICES = [("business", gettext_lazy("工作时间")), ("natural", gettext_lazy("自然时间"))]
UNIT_CHOICES = [("hours", gettext_lazy("小时")), ("workdays", gettext_lazy("个工作日"))]
FIELD_TYPE_CHOICES = [
    ("text", gettext_lazy("文本")),
    ("number", gettext_lazy("数字")),
    ("date", gettext_lazy("日期")),
    ("phone", gettext_lazy("电话")),
    ("choice", gettext_lazy("选择")),
]
BLANK_FIELD_ROWS = 2  # empty rows under the fields table for new fields (no script needed)


# --- types -------------------------------------------------------------------------------


class TypeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("编号"),
        max_length=32,
        help_text=gettext_lazy("小写字母开头，如 complaint；创建后不能修改"),
    )
    name = forms.CharField(label=gettext_lazy("类型名称"), max_length=64)
    default_department = forms.ModelChoiceField(
        label=gettext_lazy("默认处理部门"),
        queryset=Department.objects.all(),
        required=False,
        empty_label=gettext_lazy("（不指定，派单时选择）"),
        error_messages={"invalid_choice": gettext_lazy("所选默认处理部门不存在，请重新选择")},
    )
    default_priority = forms.ChoiceField(
        label=gettext_lazy("默认优先级"),
        choices=PriorityChoice.choices,
        error_messages={"invalid_choice": gettext_lazy("默认优先级不对")},
    )
    warn_at = forms.CharField(
        label=gettext_lazy("预警点（办理时限的百分比）"),
        required=False,
        max_length=100,
        help_text=gettext_lazy("如 50, 80：用去时限一半和八成时提醒；留空则只在超时时提醒"),
    )
    needs_callback = forms.BooleanField(label=gettext_lazy("需要回访"), required=False)
    is_active = forms.BooleanField(label=gettext_lazy("启用（可受理新工单）"), required=False)

    def __init__(self, *args: Any, creating: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not creating:
            del self.fields["code"]
        for priority in Priority:
            self.fields[f"limit_{priority.value}_clock"] = forms.ChoiceField(
                label=gettext_lazy("计时方式"), choices=CLOCK_CHOICES
            )
            self.fields[f"limit_{priority.value}_amount"] = forms.CharField(
                label=gettext_lazy("时限"), max_length=12, required=False
            )
            self.fields[f"limit_{priority.value}_unit"] = forms.ChoiceField(
                label=gettext_lazy("单位"), choices=UNIT_CHOICES
            )

    def limit_rows(self) -> list[dict[str, Any]]:
        """Per priority its label and its three fields, for the limits table."""
        return [
            {
                "label": _(PRIORITY_LABELS[priority]),
                "clock": self[f"limit_{priority.value}_clock"],
                "amount": self[f"limit_{priority.value}_amount"],
                "unit": self[f"limit_{priority.value}_unit"],
            }
            for priority in Priority
        ]


class FieldRowForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("名称"), max_length=32, required=False)
    label = forms.CharField(label=gettext_lazy("显示名称"), max_length=32, required=False)
    type = forms.ChoiceField(label=gettext_lazy("类型"), choices=FIELD_TYPE_CHOICES)
    required = forms.BooleanField(label=gettext_lazy("必填"), required=False)
    choices = forms.CharField(
        label=gettext_lazy("选项（选择类，用逗号分隔）"), max_length=500, required=False
    )


FieldRows = formset_factory(FieldRowForm, extra=BLANK_FIELD_ROWS, can_delete=True)


def type_list(request: HttpRequest) -> HttpResponse:
    require(may_configure_workorders(request_user(request)))
    types = WorkOrderType.objects.select_related("default_department").annotate(
        open_orders=Count("orders", filter=Q(orders__state__in=OPEN_STATES))
    )
    return render(
        request,
        "tickets/setup_types.html",
        {
            "rows": [
                {"type": order_type, "limits": _limits_text(order_type)} for order_type in types
            ]
        },
    )


@require_http_methods(["GET", "POST"])
def type_edit(request: HttpRequest, type_id: int | None = None) -> HttpResponse:
    """Add a type (no `type_id`) or change one."""
    user = request_user(request)
    require(may_configure_workorders(user))
    order_type = None
    if type_id is not None:
        order_type = WorkOrderType.objects.filter(pk=type_id).first()
        if order_type is None:
            raise Http404
    initial = _type_initial(order_type)
    form = TypeForm(request.POST or None, initial=initial, creating=order_type is None)
    rows = FieldRows(request.POST or None, initial=initial["field_rows"], prefix="fields")
    field_errors: list[str] = []
    if request.method == "POST":
        if form.is_valid() and rows.is_valid():
            setup = _type_setup(form, rows)
            try:
                if order_type is None:
                    saved = workorder_type_create(actor=user, setup=setup)
                else:
                    saved = workorder_type_update(
                        actor=user,
                        order_type=order_type,
                        setup=setup,
                        seen=request.POST.get("version") or None,
                    )
            except ValidationError as refusal:
                field_errors = _place(form, refusal, list_field="fields")
            else:
                messages.success(request, _("工单类型「%(name)s」已保存") % {"name": saved.name})
                return redirect("tickets:setup_types")
        elif rows.non_form_errors():
            form.add_error(None, _("字段表不完整，请刷新后再试"))
    return render(
        request,
        "tickets/setup_type_form.html",
        {
            "order_type": order_type,
            "version": _version_shown(request, order_type),
            "form": form,
            "rows": rows,
            "field_errors": field_errors,
        },
    )


def _type_initial(order_type: WorkOrderType | None) -> dict[str, Any]:
    if order_type is None:
        sla: dict[str, Any] = {}
        initial: dict[str, Any] = {
            "default_priority": Priority.NORMAL.value,
            "needs_callback": True,
            "is_active": True,
            "field_rows": [],
        }
    else:
        sla = order_type.sla
        initial = {
            "name": order_type.name,
            "default_department": order_type.default_department_id,
            "default_priority": order_type.default_priority,
            "needs_callback": order_type.needs_callback,
            "is_active": order_type.is_active,
            "field_rows": [
                {**spec, "choices": ", ".join(spec.get("choices", []))}
                for spec in order_type.fields
            ],
        }
    initial["warn_at"] = warning_points_text(sla.get("warn_at", DEFAULT_WARN_AT))
    for priority in Priority:
        spec = sla.get(priority.value)
        clock, amount, unit = limit_parts(spec) if spec else ("business", "", "workdays")
        initial[f"limit_{priority.value}_clock"] = clock
        initial[f"limit_{priority.value}_amount"] = amount
        initial[f"limit_{priority.value}_unit"] = unit
    return initial


def _type_setup(form: TypeForm, rows: Any) -> TypeSetup:
    data = form.cleaned_data
    return TypeSetup(
        code=data.get("code", ""),
        name=data["name"],
        default_department=data["default_department"],
        default_priority=data["default_priority"],
        needs_callback=data["needs_callback"],
        is_active=data["is_active"],
        warn_at=data["warn_at"],
        limits={
            priority.value: (
                data[f"limit_{priority.value}_clock"],
                data[f"limit_{priority.value}_amount"],
                data[f"limit_{priority.value}_unit"],
            )
            for priority in Priority
        },
        fields=[
            FieldRow(
                name=row.cleaned_data.get("name", ""),
                label=row.cleaned_data.get("label", ""),
                type=row.cleaned_data.get("type", "text"),
                required=row.cleaned_data.get("required", False),
                choices=row.cleaned_data.get("choices", ""),
            )
            for row in rows.forms
            if row.cleaned_data and not row.cleaned_data.get("DELETE")
        ],
    )


def _limits_text(order_type: WorkOrderType) -> list[str]:
    """ "一般 5 个工作日" per priority, "（自然时间）" after a natural-clock limit."""
    texts = []
    for priority in Priority:
        spec = order_type.sla.get(priority.value)
        if not spec:
            continue
        clock, amount, unit = limit_parts(spec)
        text = f"{_(PRIORITY_LABELS[priority])} {amount} {_(unit_text(unit))}"
        texts.append(text + (_("（自然时间）") if clock == "natural" else ""))
    return texts


# --- departments -------------------------------------------------------------------------


class PersonChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.display_name}（{obj.username}）"


class PeopleChoice(RowIdsChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.display_name}（{obj.username}）"


class DepartmentForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("编号"),
        max_length=32,
        help_text=gettext_lazy("如 D-YX；创建后不能修改"),
    )
    name = forms.CharField(label=gettext_lazy("部门名称"), max_length=128)
    lead = PersonChoice(
        label=gettext_lazy("负责人"),
        queryset=User.objects.filter(is_active=True).order_by("username"),
        required=False,
        empty_label=gettext_lazy("（无）"),
        error_messages={"invalid_choice": gettext_lazy("所选负责人不存在或已停用")},
    )
    members = PeopleChoice(
        label=gettext_lazy("成员"),
        queryset=User.objects.filter(is_active=True).order_by("username"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        error_messages={"invalid_choice": gettext_lazy("所选成员不存在或已停用")},
    )

    def __init__(self, *args: Any, creating: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not creating:
            del self.fields["code"]
        for day, label in enumerate(WEEKDAY_LABELS):
            self.fields[f"hours_{day}"] = forms.CharField(
                label=_(label),
                required=False,
                max_length=200,
                widget=forms.TextInput(attrs={"placeholder": "08:30-12:00, 13:30-17:30"}),
            )

    def hour_fields(self) -> list[forms.BoundField]:
        return [self[f"hours_{day}"] for day in range(len(WEEKDAY_LABELS))]


def department_list(request: HttpRequest) -> HttpResponse:
    require(may_configure_workorders(request_user(request)))
    departments = (
        Department.objects.select_related("lead")
        .annotate(
            member_count=Count("members", distinct=True),
            open_orders=Count("orders", filter=Q(orders__state__in=OPEN_STATES), distinct=True),
            all_orders=Count("orders", distinct=True),
        )
        .order_by("code")
    )
    return render(
        request,
        "tickets/setup_departments.html",
        {
            "rows": [
                {
                    "department": department,
                    "hours": list(
                        zip(
                            [_(label) for label in WEEKDAY_LABELS],
                            working_hours_texts(department.working_hours),
                            strict=True,
                        )
                    ),
                }
                for department in departments
            ]
        },
    )


@require_http_methods(["GET", "POST"])
def department_edit(request: HttpRequest, department_id: int | None = None) -> HttpResponse:
    """Add a department (no `department_id`) or change one."""
    user = request_user(request)
    require(may_configure_workorders(user))
    department = None
    if department_id is not None:
        department = Department.objects.filter(pk=department_id).first()
        if department is None:
            raise Http404
    form = DepartmentForm(
        request.POST or None, initial=_department_initial(department), creating=department is None
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        setup = DepartmentSetup(
            code=data.get("code", ""),
            name=data["name"],
            lead=data["lead"],
            members=list(data["members"]),
            hours=[data[f"hours_{day}"] for day in range(len(WEEKDAY_LABELS))],
        )
        try:
            if department is None:
                saved = department_create(actor=user, setup=setup)
            else:
                saved = department_update(
                    actor=user,
                    department=department,
                    setup=setup,
                    seen=request.POST.get("version") or None,
                )
        except ValidationError as refusal:
            _place(form, refusal)
        else:
            messages.success(request, _("处理部门「%(name)s」已保存") % {"name": saved.name})
            return redirect("tickets:setup_departments")
    return render(
        request,
        "tickets/setup_department_form.html",
        {
            "department": department,
            "version": _version_shown(request, department),
            "form": form,
        },
    )


def _department_initial(department: Department | None) -> dict[str, Any]:
    if department is None:
        return {}
    initial: dict[str, Any] = {
        "name": department.name,
        "lead": department.lead_id,
        "members": list(department.members.values_list("pk", flat=True)),
    }
    for day, text in enumerate(working_hours_texts(department.working_hours)):
        initial[f"hours_{day}"] = text
    return initial


@require_POST
def department_remove(request: HttpRequest, department_id: int) -> HttpResponse:
    user = request_user(request)
    require(may_configure_workorders(user))
    department = Department.objects.filter(pk=department_id).first()
    if department is None:
        raise Http404
    try:
        department_delete(actor=user, department=department)
    except ValidationError as refusal:
        for message in refusal.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("处理部门「%(name)s」已删除") % {"name": department.name})
    return redirect("tickets:setup_departments")


# --- shared ------------------------------------------------------------------------------


def _version_shown(request: HttpRequest, row: WorkOrderType | Department | None) -> str:
    """The version the form carries: the one it was loaded with, kept across a refused
    post, so that a change saved by someone else in between is still caught."""
    if row is None:
        return ""
    return request.POST.get("version") or setup_version(row)


def _place(form: forms.Form, refusal: ValidationError, *, list_field: str = "") -> list[str]:
    """Put a service's refusal on the form: each message under the field it names (a
    limit's under its amount), the rest above the form; those of `list_field` (the
    fields table, not a form field) are returned for the page to show above the table."""
    if not hasattr(refusal, "error_dict"):
        for message in refusal.messages:
            form.add_error(None, message)
        return []
    listed: list[str] = []
    for name, texts in refusal.message_dict.items():
        if name == list_field:
            listed += texts
            continue
        target = name if name in form.fields else f"{name}_amount"
        for text in texts:
            form.add_error(target if target in form.fields else None, text)
    return listed
