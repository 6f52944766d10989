"""The workforce pages' filter forms."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any, ClassVar

from django import forms
from django.utils.translation import gettext_lazy as _

from lingting.core.models import Team, User
from lingting.core.params import BoundedDateField
from lingting.workforce.models import POLICY_FIELDS, StaffingPolicy
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


class PercentField(forms.FloatField):
    """A share typed in percent (80) and kept as a fraction (0.8), as the engine reads it."""

    def __init__(self, *, max_percent: float = 100, **kwargs: Any) -> None:
        super().__init__(min_value=0, max_value=max_percent, **kwargs)
        self.widget.attrs.update({"step": "0.1"})

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, float | int) and not isinstance(value, bool):
            return round(value * 100, 4)
        return value

    def clean(self, value: Any) -> float | None:
        percent = super().clean(value)
        return None if percent is None else percent / 100


class StaffingPolicyForm(forms.ModelForm):  # type: ignore[type-arg]
    service_level = PercentField(label=_("服务水平目标（%）"))
    max_occupancy = PercentField(label=_("占用率上限（%）"), required=False)
    max_abandon = PercentField(label=_("放弃率上限（%）"), required=False)
    shrinkage = PercentField(label=_("缩减率（%）"), max_percent=95)

    class Meta:
        model = StaffingPolicy
        fields = POLICY_FIELDS
        widgets: ClassVar[dict[str, forms.Widget]] = {
            "answer_within_s": forms.NumberInput(attrs={"step": "1", "min": "0"}),
            "short_abandon_s": forms.NumberInput(attrs={"step": "1", "min": "0"}),
            "asa_s": forms.NumberInput(attrs={"step": "1", "min": "1"}),
            "aht_s": forms.NumberInput(attrs={"step": "1", "min": "1"}),
            "patience_s": forms.NumberInput(attrs={"step": "1", "min": "1"}),
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name in ("answer_within_s", "short_abandon_s"):
            if data.get(name) is not None and data[name] < 0:
                self.add_error(name, _("不能为负数"))
        for name in ("asa_s", "aht_s", "patience_s"):
            if data.get(name) is not None and data[name] <= 0:
                self.add_error(name, _("必须大于 0"))
        if data.get("service_level") == 0:
            self.add_error("service_level", _("必须大于 0"))
        for name in ("max_occupancy", "max_abandon"):
            if data.get(name) == 0:
                self.add_error(name, _("留空表示不设上限；0 永远无法达到"))
        return data


class ForecastForm(forms.Form):
    first_day = BoundedDateField(
        label=_("预测起始日"), widget=forms.DateInput(attrs={"type": "date"})
    )
    last_day = BoundedDateField(
        label=_("预测截止日"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, last = data.get("first_day"), data.get("last_day")
        if first and last:
            if first > last:
                raise forms.ValidationError(_("起始日不能晚于截止日"))
            if (last - first).days >= MAX_DAYS:
                raise forms.ValidationError(_("一次最多预测 92 天"))
        return data
