"""The workforce pages' filter forms."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lingting.core.models import Team, User
from lingting.core.params import BoundedDateField
from lingting.workforce.permissions import occupancy_agents

MAX_DAYS = 92


class OccupancyForm(forms.Form):
    date_from = BoundedDateField(
        label=_("开始日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = BoundedDateField(
        label=_("结束日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    by = forms.ChoiceField(
        label=_("按"), choices=[("agent", _("坐席")), ("team", _("班组"))], required=False
    )
    period = forms.ChoiceField(
        label=_("周期"), choices=[("day", _("日")), ("month", _("月"))], required=False
    )
    team = forms.ModelChoiceField(
        label=_("班组"), queryset=Team.objects.none(), required=False, empty_label=_("全部")
    )

    def __init__(self, *args: Any, user: User, latest: date | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.latest = latest or date.today()
        if not self.is_bound:
            self.initial = {"date_from": self.latest - timedelta(days=6), "date_to": self.latest}
        self.fields["team"].queryset = Team.objects.filter(  # type: ignore[attr-defined]
            pk__in=occupancy_agents(user).values("team")
        ).order_by("code")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        date_to = data.get("date_to") or self.latest
        date_from = data.get("date_from") or date_to - timedelta(days=6)
        if date_from > date_to:
            raise forms.ValidationError(_("开始日期不能晚于结束日期"))
        if (date_to - date_from).days >= MAX_DAYS:
            raise forms.ValidationError(_("一次最多查看 92 天"))
        data["date_from"], data["date_to"] = date_from, date_to
        data["by"] = data.get("by") or "agent"
        data["period"] = data.get("period") or "day"
        return data

    def query(self) -> dict[str, Any]:
        """The valid choices, or the defaults (the week up to the latest day with states)."""
        if not self.is_bound or not self.is_valid():
            return {
                "date_from": self.latest - timedelta(days=6),
                "date_to": self.latest,
                "by": "agent",
                "period": "day",
                "team_id": None,
            }
        data = self.cleaned_data
        team = data.get("team")
        return {
            "date_from": data["date_from"],
            "date_to": data["date_to"],
            "by": data["by"],
            "period": data["period"],
            "team_id": team.pk if team else None,
        }
