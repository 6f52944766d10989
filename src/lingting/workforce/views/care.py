"""The care settings page (issue 14, seed 000 §1(2)): reminders, break rules and what makes
a strain alert, edited by those who plan the work; each save audited."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from lingting.core.permissions import request_user, require
from lingting.workforce.care_forms import CareSettingsForm
from lingting.workforce.permissions import may_set_care
from lingting.workforce.selectors.care import care_settings, recent_care_notices
from lingting.workforce.services.care import care_settings_save


@require_http_methods(["GET", "POST"])
def care(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    require(may_set_care(user))
    row = care_settings()
    data = request.POST if request.method == "POST" else None
    form = CareSettingsForm(data, initial=CareSettingsForm.initial_of(row))
    if data is not None and form.is_valid():
        care_settings_save(values=form.cleaned_data, actor=user)
        messages.success(request, _("关怀设置已保存"))
        return redirect("workforce:care")
    return render(
        request,
        "workforce/care.html",
        {"form": form, "settings": row, "notices": recent_care_notices()},
    )
