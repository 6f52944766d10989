"""The escalation rules page (升级规则): the ladder's rungs with their triggers and whom they
tell, the threat words, and per work-order type whether it escalates and how many days link
a repeat complaint. Administrators and operations managers; every change audited."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from lingting.core.models import User
from lingting.core.params import RowIdsChoiceField
from lingting.core.permissions import request_user, require
from lingting.engine.escalation import MAX_URGES
from lingting.workorders.models import WorkOrderType
from lingting.workorders.permissions import may_configure_workorders
from lingting.workorders.selectors.ladder import ladder_levels, threat_words
from lingting.workorders.services.ladder import (
    MAX_REPEAT_DAYS,
    NOTIFIED_ROLES,
    LevelSpec,
    TypeSetting,
    escalation_ladder_set,
)

WORD_SEPARATORS = re.compile(r"[\s,，、;；]+")


class LevelForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("名称"), max_length=64)
    is_active = forms.BooleanField(label=gettext_lazy("启用"), required=False, initial=True)
    timeout_percent = forms.IntegerField(
        label=gettext_lazy("超时（时限的 %）"), required=False, min_value=1, max_value=1000
    )
    urges = forms.IntegerField(
        label=gettext_lazy("催单次数"), required=False, min_value=1, max_value=MAX_URGES
    )
    on_threat = forms.BooleanField(label=gettext_lazy("扬言曝光/越级投诉"), required=False)
    roles = forms.MultipleChoiceField(
        label=gettext_lazy("通知角色"),
        required=False,
        choices=[(role.value, role.label) for role in NOTIFIED_ROLES],
        widget=forms.CheckboxSelectMultiple,
    )
    users = RowIdsChoiceField(
        label=gettext_lazy("通知人员"),
        required=False,
        queryset=User.objects.filter(is_active=True).order_by("username"),
    )
    tell_department_lead = forms.BooleanField(
        label=gettext_lazy("通知处理部门负责人"), required=False
    )

    def spec(self) -> LevelSpec:
        data = self.cleaned_data
        return LevelSpec(
            name=data["name"],
            is_active=data["is_active"],
            timeout_percent=data["timeout_percent"],
            urges=data["urges"],
            on_threat=data["on_threat"],
            roles=list(data["roles"]),
            users=list(data["users"]),
            tell_department_lead=data["tell_department_lead"],
        )


LevelFormSet = forms.formset_factory(LevelForm, extra=1, can_delete=True)


class TypeForm(forms.Form):
    code = forms.CharField(widget=forms.HiddenInput)
    escalates = forms.BooleanField(label=gettext_lazy("适用投诉升级"), required=False)
    repeat_days = forms.IntegerField(
        label=gettext_lazy("重复投诉认定天数"), min_value=0, max_value=MAX_REPEAT_DAYS
    )


TypeFormSet = forms.formset_factory(TypeForm, extra=0)


class WordsForm(forms.Form):
    threat_words = forms.CharField(
        label=gettext_lazy("威胁用语"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy(
            "在来源联络的客户话语中出现任一用语，即视为客户扬言媒体曝光/越级投诉；用空格、逗号或顿号分隔。"
        ),
    )

    def words(self) -> list[str]:
        return [w for w in WORD_SEPARATORS.split(self.cleaned_data["threat_words"]) if w]


@require_http_methods(["GET", "POST"])
def ladder(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    require(may_configure_workorders(user))
    types = list(WorkOrderType.objects.order_by("code"))
    names = {t.code: t.name for t in types}
    data = request.POST if request.method == "POST" else None
    levels = LevelFormSet(data, prefix="level", initial=_level_initial())
    type_forms = TypeFormSet(
        data,
        prefix="type",
        initial=[
            {"code": t.code, "escalates": t.escalates, "repeat_days": t.repeat_days} for t in types
        ],
    )
    words = WordsForm(data, initial={"threat_words": "、".join(threat_words())})
    errors: list[str] = []
    if data is not None:
        if levels.is_valid() and type_forms.is_valid() and words.is_valid():
            try:
                escalation_ladder_set(
                    actor=user,
                    levels=_kept(levels),
                    words=words.words(),
                    types=_type_settings(type_forms),
                )
            except forms.ValidationError as error:
                errors = list(error.messages)
            else:
                messages.success(request, _("升级规则已保存"))
                return redirect("tickets:ladder")
        else:
            errors = [_("请按提示修改后再保存")]
    return render(
        request,
        "tickets/ladder.html",
        {
            "levels": levels,
            "type_rows": [(names.get(form["code"].value(), ""), form) for form in type_forms],
            "type_forms": type_forms,
            "words": words,
            "errors": errors,
        },
        status=400 if errors else 200,
    )


def _level_initial() -> list[dict[str, Any]]:
    return [
        {
            "name": level.name,
            "is_active": level.is_active,
            "timeout_percent": level.timeout_percent,
            "urges": level.urges,
            "on_threat": level.on_threat,
            "roles": level.roles,
            "users": list(level.users.all()),
            "tell_department_lead": level.tell_department_lead,
        }
        for level in ladder_levels()
    ]


def _kept(levels: Any) -> list[LevelSpec]:
    """The rungs in the order shown, without those marked for removal and blank new rows."""
    return [
        form.spec()
        for form in levels.forms
        if form.cleaned_data and not form.cleaned_data.get("DELETE")
    ]


def _type_settings(type_forms: Any) -> dict[str, TypeSetting]:
    return {
        form.cleaned_data["code"]: TypeSetting(
            escalates=form.cleaned_data["escalates"],
            repeat_days=form.cleaned_data["repeat_days"],
        )
        for form in type_forms.forms
    }
