"""The business calendar page: a year in month grids; administrators correct a day there."""

from __future__ import annotations

from datetime import date

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from lingting.calendars.models import DayKind
from lingting.calendars.permissions import may_correct_calendar
from lingting.calendars.selectors import admin_corrections, calendar_day, loaded_years, year_grids
from lingting.calendars.services import calendar_day_correct, calendar_year_mark_complete
from lingting.core.forms import refusals_on
from lingting.core.params import BoundedDateField
from lingting.core.permissions import request_user, require

FIRST_YEAR, LAST_YEAR = 2004, 2100


class CorrectionForm(forms.Form):
    day = BoundedDateField(
        label=gettext_lazy("日期"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    kind = forms.ChoiceField(label=gettext_lazy("这一天"), choices=DayKind.choices)
    name = forms.CharField(label=gettext_lazy("节日"), max_length=64, required=False)
    note = forms.CharField(
        label=gettext_lazy("更正原因"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )


def _year_param(text: str | None) -> int:
    try:
        year = int(text or "")
    except ValueError:
        return timezone.localdate().year
    return min(max(year, FIRST_YEAR), LAST_YEAR)


@require_http_methods(["GET", "POST"])
def year(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    keeper = may_correct_calendar(user)
    shown = _year_param(request.GET.get("year"))
    # Bound on every POST, even an empty one (which is then refused field by field).
    form = CorrectionForm(
        request.POST if request.method == "POST" else None, initial=_initial(request.GET.get("day"))
    )
    if request.method == "POST":
        require(keeper)
        if form.is_valid():
            data = form.cleaned_data
            with refusals_on(form):
                calendar_day_correct(
                    actor=user,
                    day=data["day"],
                    kind=data["kind"],
                    name=data["name"],
                    note=data["note"],
                )
                messages.success(request, _("%(day)s 已更正") % {"day": data["day"]})
                return redirect(f"{reverse('calendars:year')}?year={data['day'].year}")
        picked = form.cleaned_data.get("day")
        if picked is not None:  # show the refused day's year with the form's errors
            shown = picked.year
    years = loaded_years()
    return render(
        request,
        "calendars/year.html",
        {
            "year": shown,
            "previous": shown - 1,
            "next": shown + 1,
            "loaded": shown in years,
            "loaded_years": years,
            "grids": year_grids(shown),
            "corrections": admin_corrections(shown),
            "keeper": keeper,
            "form": form,
        },
    )


def _initial(text: str | None) -> dict[str, object]:
    """A day picked on the grid (?day=2026-10-10): the form opens on it, as it stands."""
    try:
        picked = date.fromisoformat(text or "")
    except ValueError:
        return {}
    row = calendar_day(picked)
    if row is None:
        return {"day": picked, "kind": DayKind.NORMAL}
    return {"day": picked, "kind": row.kind, "name": row.name}


@require_POST
def year_complete(request: HttpRequest, year: int) -> HttpResponse:
    calendar_year_mark_complete(actor=request_user(request), year=year)
    messages.success(request, _("%(year)s 年已标记为录入完整") % {"year": year})
    return redirect(f"{reverse('calendars:year')}?year={year}")
