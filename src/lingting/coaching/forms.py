"""The coaching pages' forms: what to detect, a session, a phase goal, closing, a training."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lingting.coaching.models import Phase, PlanOutcome, SessionKind
from lingting.coaching.selectors import QA_SCORE, figures
from lingting.core.models import Agent
from lingting.core.params import BoundedDateField, RowIdsChoiceField
from lingting.engine.streaks import add_months, first_of_month
from lingting.interactions.models import Contact


def _choice_field(form: forms.Form, name: str) -> forms.ChoiceField:
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)
    return field


DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class DetectForm(forms.Form):
    figure = forms.ChoiceField(label=_("指标"), initial=QA_SCORE, required=False)
    as_of = BoundedDateField(
        label=_("截至"),
        required=False,
        widget=DATE_INPUT,
        help_text=_("看这一天所在月份之前的整月"),
    )
    length = forms.IntegerField(
        label=_("连续月数"), min_value=1, max_value=6, initial=3, required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choice_field(self, "figure").choices = [(f.code, f.label) for f in figures()]
        self.fields["as_of"].initial = first_of_month(timezone.localdate())

    def values(self) -> tuple[str, date, int]:
        """The cleaned values, or the defaults when the form was not sent or is wrong."""
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return (
            data.get("figure") or QA_SCORE,
            data.get("as_of") or first_of_month(timezone.localdate()),
            data.get("length") or 3,
        )


class DiagnosisForm(forms.Form):
    """Whose diagnosis, over which days (the months an agent was found below target)."""

    agent = forms.CharField(max_length=64)
    date_from = BoundedDateField()
    date_to = BoundedDateField()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, last = data.get("date_from"), data.get("date_to")
        if first and last and first > last:
            raise forms.ValidationError(_("开始日期晚于结束日期"))
        return data


class OpenPlanForm(forms.Form):
    agent = forms.CharField(max_length=64)
    figure = forms.CharField(max_length=32)
    as_of = BoundedDateField()
    length = forms.IntegerField(min_value=1, max_value=6)


class ContactChoiceField(RowIdsChoiceField):
    def label_from_instance(self, obj: Contact) -> str:
        started = (
            timezone.localtime(obj.started_at).strftime("%m-%d %H:%M") if obj.started_at else ""
        )
        score = f" · {obj.current_score.score:g}" if obj.current_score else ""
        return f"{obj.external_id} {started}{score}"


class SessionForm(forms.Form):
    kind = forms.ChoiceField(label=_("辅导类型"), choices=SessionKind.choices)
    held_on = BoundedDateField(label=_("辅导日期"), widget=DATE_INPUT)
    notes = forms.CharField(label=_("辅导记录"), widget=forms.Textarea(attrs={"rows": 4}))
    contacts = ContactChoiceField(
        label=_("相关录音"),
        queryset=Contact.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )

    def __init__(self, *args: Any, contacts: QuerySet[Contact], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["contacts"].queryset = contacts  # type: ignore[attr-defined]
        self.fields["held_on"].initial = timezone.localdate()


class GoalForm(forms.Form):
    month = forms.ChoiceField(label=_("月份"))
    phase = forms.ChoiceField(label=_("阶段"), choices=Phase.choices)
    measures = forms.CharField(label=_("提升措施"), widget=forms.Textarea(attrs={"rows": 3}))
    goal = forms.CharField(label=_("阶段目标"), max_length=300)
    self_review = forms.CharField(
        label=_("自我总结"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    leader_note = forms.CharField(
        label=_("班组长意见"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, opened_on: date, is_agent: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        first = first_of_month(opened_on)
        months = [add_months(first, k) for k in range(3)]
        _choice_field(self, "month").choices = [
            (m.isoformat(), m.strftime("%Y-%m")) for m in months
        ]
        self.fields["month"].initial = first.isoformat()
        del self.fields["leader_note" if is_agent else "self_review"]

    def clean_month(self) -> date:
        return date.fromisoformat(self.cleaned_data["month"])


class CloseForm(forms.Form):
    outcome = forms.ChoiceField(label=_("计划结果"), choices=PlanOutcome.choices)
    note = forms.CharField(label=_("总结"), widget=forms.Textarea(attrs={"rows": 3}))


class EffectForm(forms.Form):
    cohort = forms.ChoiceField(label=_("计划批次"), required=False)
    comparison = forms.ChoiceField(
        label=_("对照组"),
        required=False,
        choices=[
            ("level", _("计划前水平最接近的未参加坐席")),
            ("queue", _("同一ACD组的未参加坐席")),
            ("all", _("所有未参加坐席")),
        ],
    )

    def __init__(self, *args: Any, cohorts: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choice_field(self, "cohort").choices = cohorts


class TrainingForm(forms.Form):
    topic = forms.CharField(label=_("培训主题"), max_length=200)
    item = forms.ChoiceField(label=_("针对评分项"))
    held_on = BoundedDateField(label=_("培训日期"), widget=DATE_INPUT)
    attendees = RowIdsChoiceField(
        label=_("参训坐席"),
        queryset=Agent.objects.order_by("code"),
        widget=forms.SelectMultiple(attrs={"size": 10}),
    )
    notes = forms.CharField(
        label=_("培训内容"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, items: dict[str, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choice_field(self, "item").choices = [
            (code, f"{title} ({code})") for code, title in items.items()
        ]
        self.fields["held_on"].initial = timezone.localdate()
