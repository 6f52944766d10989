"""The workforce pages' forms: their filters, and recording that an agent left."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any, ClassVar

from django import forms
from django.utils.translation import gettext_lazy as _

from lingting.core.models import Agent, LeavingReason, Team, User
from lingting.core.params import BoundedDateField, RowIdsChoiceField
from lingting.engine.streaks import add_months
from lingting.interactions.models import Queue
from lingting.workforce.models import MAX_MIN_AGENTS, POLICY_FIELDS, OpenHours, StaffingPolicy
from lingting.workforce.permissions import attrition_agents, attrition_teams, occupancy_agents

MAX_DAYS = 92
MAX_ROSTER_DAYS = 31


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
    # Not sent (a form or a script from before these settings): today's behaviour.
    open_hours = forms.ChoiceField(label=_("营业时段"), choices=OpenHours.choices, required=False)
    min_agents = forms.IntegerField(
        label=_("每个营业时段最少在线坐席"),
        min_value=0,
        max_value=MAX_MIN_AGENTS,
        required=False,
        widget=forms.NumberInput(attrs={"step": "1", "min": "0", "max": str(MAX_MIN_AGENTS)}),
    )

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
        data["open_hours"] = data.get("open_hours") or OpenHours.LEARNED
        data["min_agents"] = data.get("min_agents") or 0
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


ATTRITION_MONTHS = 12  # shown by default: a year, the seed's 年流失率
MAX_ATTRITION_MONTHS = 60


def attrition_months(
    month_from: date | None, month_to: date | None, *, this_month: date
) -> tuple[date, date]:
    """The first days of the months asked for: by default the twelve up to this one (or up
    to `month_to`). ValidationError for a reversed range or one over 60 months."""
    month_to = (month_to or this_month).replace(day=1)
    month_from = (month_from or add_months(month_to, 1 - ATTRITION_MONTHS)).replace(day=1)
    if month_from > month_to:
        raise forms.ValidationError(_("起始月份不能晚于结束月份"))
    if add_months(month_from, MAX_ATTRITION_MONTHS) <= month_to:
        raise forms.ValidationError(_("一次最多查看 60 个月"))
    return month_from, month_to


class MonthField(BoundedDateField):
    """A month as ``2026-10`` (the browser's month input): its first day."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("input_formats", ["%Y-%m"])
        kwargs.setdefault("widget", forms.DateInput(attrs={"type": "month"}, format="%Y-%m"))
        super().__init__(**kwargs)


class AttritionForm(forms.Form):
    month_from = MonthField(label=_("起始月份"), required=False)
    month_to = MonthField(label=_("结束月份"), required=False)
    team = forms.ModelChoiceField(
        label=_("班组"), queryset=Team.objects.none(), required=False, empty_label=_("全部")
    )

    def __init__(self, *args: Any, user: User, today: date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.this_month = today.replace(day=1)
        if not self.is_bound:
            self.initial = self._defaults()
        self.fields["team"].queryset = attrition_teams(user).order_by(  # type: ignore[attr-defined]
            "code"
        )

    def _defaults(self) -> dict[str, Any]:
        month_from, month_to = attrition_months(None, None, this_month=self.this_month)
        return {"month_from": month_from, "month_to": month_to}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        data["month_from"], data["month_to"] = attrition_months(
            data.get("month_from"), data.get("month_to"), this_month=self.this_month
        )
        return data

    def query(self) -> dict[str, Any]:
        """The valid choices, or the defaults (the twelve months up to this one)."""
        if not self.is_bound or not self.is_valid():
            return {**self._defaults(), "team_id": None}
        data = self.cleaned_data
        team = data.get("team")
        return {
            "month_from": data["month_from"],
            "month_to": data["month_to"],
            "team_id": team.pk if team else None,
        }


class LeaverChoiceField(forms.ModelChoiceField[Agent]):
    def label_from_instance(self, obj: Agent) -> str:
        team = f"（{obj.team.name}）" if obj.team else ""
        return f"{obj.code} {obj.name}{team}".strip()


class LeaverForm(forms.Form):
    """Record (or correct) the day an agent left and why."""

    agent = LeaverChoiceField(
        label=_("坐席"), queryset=Agent.objects.none(), empty_label=_("选择坐席")
    )
    left_on = BoundedDateField(
        label=_("离职日期（最后在岗日）"), widget=forms.DateInput(attrs={"type": "date"})
    )
    reason = forms.ChoiceField(
        label=_("离职原因"),
        choices=[("", _("未说明")), *LeavingReason.choices],
        required=False,
    )
    note = forms.CharField(label=_("备注"), max_length=500, required=False)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agent"].queryset = (  # type: ignore[attr-defined]
            attrition_agents(user).select_related("team").order_by("code")
        )


class RosterBuildForm(forms.Form):
    first_day = BoundedDateField(
        label=_("开始日期"), widget=forms.DateInput(attrs={"type": "date"})
    )
    last_day = BoundedDateField(label=_("结束日期"), widget=forms.DateInput(attrs={"type": "date"}))
    queues = RowIdsChoiceField(
        label=_("ACD组"),
        queryset=Queue.objects.order_by("code"),
        widget=forms.CheckboxSelectMultiple,
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, last = data.get("first_day"), data.get("last_day")
        if first and last:
            if first > last:
                raise forms.ValidationError(_("开始日期不能晚于结束日期"))
            if (last - first).days >= MAX_ROSTER_DAYS:
                raise forms.ValidationError(_("一次最多排 31 天"))
        return data


class BreaksForm(forms.Form):
    cap = forms.IntegerField(
        label=_("每个 ACD 组同时休息上限（人）"), min_value=1, max_value=500, initial=2
    )


def form_errors(form: forms.BaseForm) -> str:
    """A bound form's errors on one line, each after its field's label, for a flash message."""
    return "；".join(
        f"{form.fields[name].label if name in form.fields else ''} "
        f"{' '.join(str(error) for error in errors)}".strip()
        for name, errors in form.errors.items()
    )


WISH_CHOICES = [("", _("无所谓")), ("prefer", _("偏好")), ("avoid", _("尽量不排"))]


class ShiftWishesForm(forms.Form):
    """One choice per active shift template: prefer it, avoid it, or no wish."""

    def __init__(self, *args: Any, codes: list[str], wishes: dict[str, bool], **kwargs: Any):
        super().__init__(*args, **kwargs)
        for code in codes:
            wish = wishes.get(code)
            self.fields[f"shift_{code}"] = forms.ChoiceField(
                label=code,
                choices=WISH_CHOICES,
                required=False,
                initial="" if wish is None else ("prefer" if wish else "avoid"),
            )
        self.codes = codes

    def chosen(self, kind: str) -> list[str]:
        return [code for code in self.codes if self.cleaned_data.get(f"shift_{code}") == kind]


class DayOffWishForm(forms.Form):
    day = BoundedDateField(label=_("想休息的日期"), widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label=_("原因（可不填）"), max_length=100, required=False)
