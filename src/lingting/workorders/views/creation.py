"""Taking a new work order: pick a type, then fill in the order, by hand or from a contact
(`?contact=`), the caller's number and the agent's summary taken from the call."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from lingting.core.forms import refusals_on
from lingting.core.models import User
from lingting.core.permissions import contact_scope, request_user, require
from lingting.core.personal_numbers import phone_shown_to, reveals_numbers, shown_text
from lingting.interactions.models import Contact, Customer
from lingting.workorders.models import PriorityChoice, WorkOrderType
from lingting.workorders.permissions import may_take_workorders
from lingting.workorders.selectors.calls import CallPrefill, call_prefill
from lingting.workorders.selectors.orders import active_types
from lingting.workorders.services.creation import workorder_create, workorder_create_from_contact


class OrderForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("标题"), max_length=200)
    description = forms.CharField(
        label=gettext_lazy("内容"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    priority = forms.ChoiceField(label=gettext_lazy("优先级"), choices=PriorityChoice.choices)
    customer = forms.CharField(
        label=gettext_lazy("客户编号"),
        required=False,
        max_length=128,
        help_text=gettext_lazy("同一客户同类工单在规定天数内再次受理，即认定为重复投诉并加急。"),
    )
    threatened = forms.BooleanField(label=gettext_lazy("客户扬言媒体曝光/越级投诉"), required=False)

    def clean_customer(self) -> Customer | None:
        code = self.cleaned_data["customer"].strip()
        if not code:
            return None
        customer = Customer.objects.filter(code=code).first()
        if customer is None:
            raise forms.ValidationError(_("没有编号为「%(code)s」的客户") % {"code": code})
        return customer

    def __init__(self, *args: Any, field_specs: list[dict[str, Any]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.field_specs = field_specs
        for spec in field_specs:
            name = f"field_{spec['name']}"
            if spec.get("type") == "choice":
                choices = [("", "—")] + [(c, c) for c in spec.get("choices", [])]
                self.fields[name] = forms.ChoiceField(
                    label=spec["label"], choices=choices, required=False
                )
            else:
                self.fields[name] = forms.CharField(
                    label=spec["label"], required=False, max_length=500
                )

    def type_fields(self) -> dict[str, Any]:
        return {
            spec["name"]: self.cleaned_data.get(f"field_{spec['name']}")
            for spec in self.field_specs
        }


@require_http_methods(["GET", "POST"])
def order_create(request: HttpRequest) -> HttpResponse:
    """Pick a type, then fill in the order; `?contact=` takes it from that contact."""
    user = request_user(request)
    require(may_take_workorders(user))
    contact = None
    if contact_id := request.GET.get("contact"):
        contact = Contact.objects.filter(contact_scope(user), pk=_int(contact_id)).first()
        if contact is None:
            raise Http404
    types = list(active_types())
    chosen = next((t for t in types if t.code == request.GET.get("type")), None)
    if chosen is None:
        return render(
            request, "tickets/create.html", {"types": types, "contact": contact, "form": None}
        )
    prefill = call_prefill(contact) if contact is not None else None
    form = OrderForm(
        request.POST or None,
        initial=_initial_from_call(chosen, prefill, user),
        field_specs=list(chosen.fields),
    )
    if contact is not None:  # the contact's customer is taken
        del form.fields["customer"]
    phone_fields = [
        f"field_{spec['name']}" for spec in chosen.fields if spec.get("type") == "phone"
    ]
    caller = prefill.number if prefill is not None else ""
    if caller and not reveals_numbers(user):  # the number stays on the server, shown masked
        for name in phone_fields:
            form.fields[name].widget.attrs["placeholder"] = phone_shown_to(caller, user)
            form.fields[name].help_text = _("留空即使用来电号码")
    if request.method == "POST" and form.is_valid():
        with refusals_on(form):
            fields = form.type_fields()
            for name in phone_fields:
                if caller and not fields.get(name.removeprefix("field_")):
                    fields[name.removeprefix("field_")] = caller
            values = {
                "actor": user,
                "order_type": chosen,
                "title": form.cleaned_data["title"],
                "description": form.cleaned_data["description"],
                "fields": fields,
                "priority": form.cleaned_data["priority"],
                "threatened": form.cleaned_data["threatened"],
            }
            if contact is not None:
                order = workorder_create_from_contact(contact=contact, **values)
            else:
                order = workorder_create(customer=form.cleaned_data["customer"], **values)
            messages.success(request, _("工单 %(number)s 已受理") % {"number": order.number})
            if order.repeat_of is not None:
                messages.warning(
                    request,
                    _("重复投诉：已关联原工单 %(number)s 并加急处理")
                    % {"number": order.repeat_of.number},
                )
            return redirect("tickets:detail", order.pk)
    return render(
        request,
        "tickets/create.html",
        {"types": types, "contact": contact, "chosen": chosen, "form": form, "call": prefill},
    )


def _initial_from_call(
    order_type: WorkOrderType, call: CallPrefill | None, user: User
) -> dict[str, Any]:
    """The form's starting values: the type's priority; from a call, the agent's summary as
    the description (as the user may read it) and, for a user who may see numbers, the
    caller's number in the type's phone fields."""
    initial: dict[str, Any] = {"priority": order_type.default_priority}
    if call is None:
        return initial
    initial["description"] = shown_text(call.summary, user)
    if call.number and reveals_numbers(user):
        for spec in order_type.fields:
            if spec.get("type") == "phone":
                initial[f"field_{spec['name']}"] = call.number
    return initial


def _int(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise Http404 from None
