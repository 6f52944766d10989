"""Work-order pages: the list (role-scoped), an order's page with its trail and the
actions its stage allows, and those actions."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lingting.core.models import User
from lingting.core.params import RowIdsChoiceField
from lingting.core.permissions import request_user
from lingting.core.personal_numbers import reveals_numbers
from lingting.core.selectors import people_names
from lingting.engine.workorders import ACTION_LABELS, REASON_REQUIRED, Action
from lingting.workorders.models import (
    OPEN_STATES,
    Department,
    StageChoice,
    WorkOrder,
    WorkOrderEvent,
    WorkOrderWarning,
)
from lingting.workorders.permissions import (
    may_configure_workorders,
    may_see_workorder_dashboard,
    may_take_workorders,
)
from lingting.workorders.selectors.deadlines import DUE_FILTERS, with_deadline_marks
from lingting.workorders.selectors.orders import (
    orders_filtered,
    workorder_fields_shown,
    workorder_for,
    workorder_page,
    workorders_for,
)
from lingting.workorders.services.steps import workorder_step
from lingting.workorders.services.transitions import CREATE, ConcurrentEdit

LIST_LENGTH = 200


def order_list(request: HttpRequest) -> HttpResponse:
    """The orders `user` may see; `?department=` (a code), `?due=soon|overdue`, `?urged=1`,
    `?returned=1`, `?escalated=1` (已升级) and `?repeat=1` (重复投诉) narrow it (the
    dashboard's links). Rows past a warning point or overdue are marked."""
    user = request_user(request)
    now = timezone.now()
    due = request.GET.get("due", "")
    due = due if due in DUE_FILTERS else ""
    department = request.GET.get("department", "")
    show = "open" if due else request.GET.get("show", "open")
    orders = workorders_for(user)
    if show == "open":
        orders = orders.filter(state__in=OPEN_STATES)
    orders = orders_filtered(
        orders,
        department=department,
        due=due,
        urged=request.GET.get("urged") == "1",
        returned=request.GET.get("returned") == "1",
        escalated=request.GET.get("escalated") == "1",
        repeat=request.GET.get("repeat") == "1",
        now=now,
    )
    return render(
        request,
        "tickets/list.html",
        {
            "orders": list(with_deadline_marks(orders, now)[:LIST_LENGTH]),
            "show": show,
            "due": due,
            "department": department,
            "escalated": request.GET.get("escalated") == "1",
            "repeat": request.GET.get("repeat") == "1",
            "may_edit_ladder": may_configure_workorders(user),
            "departments": Department.objects.all(),
            "list_length": LIST_LENGTH,
            "may_create": may_take_workorders(user),
            "may_see_dashboard": may_see_workorder_dashboard(user),
        },
    )


class ActForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(required=False, max_length=4000)
    departments = RowIdsChoiceField(queryset=Department.objects.all(), required=False)
    satisfied = forms.ChoiceField(choices=[("", ""), ("yes", ""), ("no", "")], required=False)
    by_customer = forms.BooleanField(required=False)
    threatened = forms.BooleanField(required=False)


def order_detail(request: HttpRequest, order_id: int) -> HttpResponse:
    user = request_user(request)
    order = workorder_for(user, order_id)
    if order is None:
        raise Http404
    page = workorder_page(user, order)
    warnings = list(order.warnings.all())
    names = people_names({username for w in warnings for username in w.recipients})
    return render(
        request,
        "tickets/detail.html",
        {
            "page": page,
            "order": order,
            "actions": [
                {
                    "code": action.value,
                    "label": _(ACTION_LABELS[action]),
                    "needs_reason": action in REASON_REQUIRED,
                }
                for action in page.actions
            ],
            "departments": Department.objects.all(),
            "trail": sorted(
                [_trail_row(event) for event in page.trail]
                + [_warning_row(warning, names) for warning in warnings],
                key=lambda row: row["at"],
            ),
            "shown_fields": _shown_fields(user, order),
            "repeats": page.repeats,
            "visible": page.visible,
            "level_name": page.level_name,
        },
    )


def _trail_row(event: WorkOrderEvent) -> dict[str, Any]:
    stages = dict(StageChoice.choices)
    label = _("受理") if event.action == CREATE else _(ACTION_LABELS[Action(event.action)])
    if event.action == Action.URGE and event.payload.get("by_customer"):
        label = _("催单（客户来电）")
    if event.action == Action.URGE and event.payload.get("repeat"):
        label = _("催单（客户重复投诉）")
    if event.action == CREATE and event.payload.get("repeat_of"):
        label = _("受理（重复投诉，原工单 %(number)s）") % {"number": event.payload["repeat_of"]}
    if event.action == Action.ESCALATE and event.payload.get("level"):
        label = _("升级至第 %(level)d 级「%(name)s」") % {
            "level": event.payload["level"],
            "name": event.payload.get("name", ""),
        }
    if event.action == Action.CALLBACK_RESULT:
        label = _("回访：满意") if event.after == "closed" else _("回访：不满意")
    return {
        "at": event.at,
        "actor": event.actor,
        "label": label,
        # an urge, a note or a pause leaves the stage as it was: show it once, not "A → A"
        "before_label": stages.get(event.before, "") if event.before != event.after else "",
        "after_label": stages.get(event.after, event.after),
        "reason": event.reason,
    }


def _warning_row(warning: WorkOrderWarning, names: dict[str, str]) -> dict[str, Any]:
    """A deadline warning sent (or passed unsent) as a row of the trail, its recipients by
    name (`names`: display name by username)."""
    if warning.point >= 100:
        label = _("超时提醒")
    else:
        label = _("时限预警 %(point)d%%") % {"point": warning.point}
    if warning.superseded:
        reason = _("与后一预警点同时到达，未单独发送")
    else:
        reason = _("已通知：%(names)s") % {
            "names": "、".join(names.get(u, u) for u in warning.recipients) or "—"
        }
    return {
        "at": warning.sent_at,
        "actor": None,
        "label": label,
        "before_label": "",
        "after_label": "",
        "reason": reason,
    }


def _shown_fields(user: User, order: WorkOrder) -> list[tuple[str, str]]:
    """The type's fields with their labels; personal numbers masked for most roles."""
    fields = workorder_fields_shown(order, reveal=reveals_numbers(user))
    shown = []
    for spec in order.type.fields:
        value = fields.get(spec["name"])
        if value in (None, ""):
            continue
        shown.append((spec["label"], str(value)))
    return shown


@require_POST
def order_act(request: HttpRequest, order_id: int, action: str) -> HttpResponse:
    user = request_user(request)
    order = workorder_for(user, order_id)
    if order is None or action not in Action:
        raise Http404
    form = ActForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请求不完整，请刷新后再试"))
        return redirect("tickets:detail", order.pk)
    data = form.cleaned_data
    due_before = order.due_at
    try:
        updated = _act(user, order, Action(action), data)
    except ConcurrentEdit as error:
        messages.error(request, str(error))
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    except PermissionDenied:
        messages.error(request, _("你不能对这张工单执行此操作"))
    else:
        messages.success(request, _("已%(action)s") % {"action": _(ACTION_LABELS[Action(action)])})
        if due_before is not None and updated.due_at not in (None, due_before):
            messages.info(
                request,
                _("办理时限已调整：%(before)s → %(after)s")
                % {
                    "before": f"{timezone.localtime(due_before):%Y-%m-%d %H:%M}",
                    "after": f"{timezone.localtime(updated.due_at):%Y-%m-%d %H:%M}",
                },
            )
    return redirect("tickets:detail", order.pk)


def _act(user: User, order: WorkOrder, action: Action, data: dict[str, Any]) -> WorkOrder:
    """Take `action` with what the form carried."""
    satisfied = {"yes": True, "no": False}.get(data["satisfied"])
    return workorder_step(
        actor=user,
        order=order,
        version=data["version"],
        action=action,
        reason=data.get("reason") or "",
        departments=list(data["departments"]),
        satisfied=satisfied,
        by_customer=bool(data["by_customer"]),
        threatened=bool(data["threatened"]),
    )
