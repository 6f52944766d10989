"""The webhook pages (administrators only): the endpoints, adding and editing one (its
secret shown once, when made or rotated), a test ping, its delivery log and redelivering
one delivery. Every change is audited by the services."""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from lingting.core.forms import refusals_on
from lingting.core.models import User
from lingting.core.permissions import request_user, require
from lingting.engine.webhooks import ALL_EVENTS, CREATED, EVENT_PREFIX, event_types
from lingting.engine.workorders import ACTION_LABELS, Action
from lingting.webhooks.models import DeliveryStatus, WebhookDelivery, WebhookEndpoint
from lingting.webhooks.permissions import may_manage_webhooks
from lingting.webhooks.selectors import endpoint_deliveries, endpoint_rows
from lingting.webhooks.services import (
    EndpointSpec,
    webhook_endpoint_create,
    webhook_endpoint_update,
    webhook_ping,
    webhook_redeliver,
    webhook_secret_rotate,
)

NEW_SECRET = "webhook_new_secret"  # session key: the secret to show once, on the next page


def _event_choices() -> list[tuple[str, str]]:
    choices = [(ALL_EVENTS, _("全部事件（包括以后新增的）"))]
    for kind in event_types():
        step = kind.removeprefix(EVENT_PREFIX)
        label = _("受理") if step == CREATED else _(ACTION_LABELS[Action(step)])
        choices.append((kind, f"{label} · {kind}"))
    return choices


class EndpointForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("名称"), max_length=100)
    url = forms.CharField(
        label=gettext_lazy("接收地址"),
        max_length=500,
        help_text=gettext_lazy("以 http:// 或 https:// 开头；推送以 POST 发送 JSON。"),
    )
    events = forms.MultipleChoiceField(
        label=gettext_lazy("推送事件"), widget=forms.CheckboxSelectMultiple
    )
    personal_numbers = forms.BooleanField(
        label=gettext_lazy("推送完整的个人号码（默认脱敏，如 138****5678）"), required=False
    )
    is_active = forms.BooleanField(label=gettext_lazy("启用"), required=False, initial=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["events"].choices = _event_choices()  # type: ignore[attr-defined]

    def spec(self) -> EndpointSpec:
        data = self.cleaned_data
        return EndpointSpec(
            name=data["name"],
            url=data["url"],
            events=list(data["events"]),
            personal_numbers=data["personal_numbers"],
            is_active=data["is_active"],
        )


def _manager(request: HttpRequest) -> User:
    user = request_user(request)
    require(may_manage_webhooks(user))
    return user


def endpoint_list(request: HttpRequest) -> HttpResponse:
    _manager(request)
    return render(request, "webhooks/list.html", {"rows": endpoint_rows()})


@require_http_methods(["GET", "POST"])
def endpoint_create(request: HttpRequest) -> HttpResponse:
    user = _manager(request)
    form = EndpointForm(request.POST or None, initial={"events": [ALL_EVENTS]})
    if request.method == "POST" and form.is_valid():
        with refusals_on(form):
            endpoint, secret = webhook_endpoint_create(actor=user, spec=form.spec())
            request.session[NEW_SECRET] = {"endpoint": endpoint.pk, "secret": secret}
            messages.success(request, _("Webhook「%(name)s」已创建") % {"name": endpoint.name})
            return redirect("webhooks:detail", endpoint.pk)
    return render(request, "webhooks/form.html", {"form": form, "endpoint": None})


@require_http_methods(["GET", "POST"])
def endpoint_edit(request: HttpRequest, endpoint_id: int) -> HttpResponse:
    user = _manager(request)
    endpoint = get_object_or_404(WebhookEndpoint, pk=endpoint_id)
    initial = {
        "name": endpoint.name,
        "url": endpoint.url,
        "events": endpoint.events,
        "personal_numbers": endpoint.personal_numbers,
        "is_active": endpoint.is_active,
    }
    form = EndpointForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        with refusals_on(form):
            webhook_endpoint_update(actor=user, endpoint=endpoint, spec=form.spec())
            messages.success(request, _("已保存"))
            return redirect("webhooks:detail", endpoint.pk)
    return render(request, "webhooks/form.html", {"form": form, "endpoint": endpoint})


def endpoint_detail(request: HttpRequest, endpoint_id: int) -> HttpResponse:
    _manager(request)
    endpoint = get_object_or_404(WebhookEndpoint, pk=endpoint_id)
    shown = request.session.get(NEW_SECRET)
    new_secret = ""
    if shown and shown.get("endpoint") == endpoint.pk:
        new_secret = request.session.pop(NEW_SECRET)["secret"]
    status = request.GET.get("status", "")
    labels = dict(_event_choices())
    return render(
        request,
        "webhooks/detail.html",
        {
            "endpoint": endpoint,
            "new_secret": new_secret,
            "events": [labels.get(kind, kind) for kind in endpoint.events],
            "deliveries": [
                (delivery, json.dumps(delivery.payload, ensure_ascii=False, indent=2))
                for delivery in endpoint_deliveries(endpoint, status=status)
            ],
            "status": status,
            "statuses": DeliveryStatus.choices,
        },
    )


@require_POST
def endpoint_ping(request: HttpRequest, endpoint_id: int) -> HttpResponse:
    user = _manager(request)
    endpoint = get_object_or_404(WebhookEndpoint, pk=endpoint_id)
    delivery = webhook_ping(actor=user, endpoint=endpoint)
    if delivery.status == DeliveryStatus.DELIVERED:
        messages.success(
            request, _("测试推送已送达（HTTP %(code)s）") % {"code": delivery.last_status_code}
        )
    else:
        messages.error(request, _("测试推送失败：%(why)s") % {"why": _failure(delivery)})
    return redirect("webhooks:detail", endpoint.pk)


@require_POST
def endpoint_rotate(request: HttpRequest, endpoint_id: int) -> HttpResponse:
    user = _manager(request)
    endpoint = get_object_or_404(WebhookEndpoint, pk=endpoint_id)
    secret = webhook_secret_rotate(actor=user, endpoint=endpoint)
    request.session[NEW_SECRET] = {"endpoint": endpoint.pk, "secret": secret}
    messages.success(request, _("签名密钥已更换，旧密钥立即失效"))
    return redirect("webhooks:detail", endpoint.pk)


@require_POST
def delivery_redeliver(request: HttpRequest, delivery_id: int) -> HttpResponse:
    user = _manager(request)
    delivery = get_object_or_404(WebhookDelivery.objects.select_related("endpoint"), pk=delivery_id)
    try:
        again = webhook_redeliver(actor=user, delivery=delivery)
    except forms.ValidationError as refused:
        messages.error(request, " ".join(refused.messages))
        return redirect("webhooks:detail", delivery.endpoint_id)
    if again.status == DeliveryStatus.DELIVERED:
        messages.success(request, _("已重新推送并送达"))
    elif again.attempts == 0:
        messages.success(request, _("已排队：同一工单更早的推送送达后再发送"))
    else:
        messages.error(request, _("重新推送失败：%(why)s") % {"why": _failure(again)})
    return redirect("webhooks:detail", delivery.endpoint_id)


def _failure(delivery: WebhookDelivery) -> str:
    if delivery.last_status_code:
        return f"HTTP {delivery.last_status_code}"
    return delivery.last_response or _("没有响应")
