"""The model judge's settings page (administrators)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from lingting.core.forms import refusals_on
from lingting.core.permissions import request_user, require
from lingting.quality.forms import JudgeSettingsForm
from lingting.quality.permissions import may_configure_judge
from lingting.quality.selectors.judge import judge_settings, judge_usage
from lingting.quality.services.judge import judge_settings_save


@require_http_methods(["GET", "POST"])
def judge_settings_page(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    require(may_configure_judge(user))
    current = judge_settings()
    initial = {name: getattr(current, name) for name in JudgeSettingsForm.SETTINGS}
    form = JudgeSettingsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        with refusals_on(form):
            judge_settings_save(
                actor=user,
                spec=form.spec(),
                api_key=form.cleaned_data["api_key"],
                clear_key=form.cleaned_data["clear_api_key"],
            )
            messages.success(request, _("模型预评设置已保存"))
            return redirect("quality:judge_settings")
    return render(
        request,
        "quality/judge_settings.html",
        {"form": form, "key_set": bool(current.api_key), "usage": judge_usage()},
    )
