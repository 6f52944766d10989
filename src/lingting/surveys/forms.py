"""The satisfaction page's form: which days, grouped how."""

from __future__ import annotations

from datetime import date
from typing import Any, ClassVar

from django import forms
from django.utils.translation import gettext_lazy as _

from lingting.core.params import BoundedDateField
from lingting.engine.csat import MAX_SCALE, MIN_SCALE
from lingting.engine.survey_figures import NPS_SCALE
from lingting.surveys.models import SurveyPlan, SurveyQuestion

GROUP_LABELS = [
    ("agent", _("坐席")),
    ("team", _("班组")),
    ("queue", _("ACD组")),
    ("topic", _("话题")),
    ("day", _("日")),
]
MAX_DAYS = 366


class CsatForm(forms.Form):
    date_from = BoundedDateField(
        label=_("开始日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = BoundedDateField(
        label=_("结束日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    by = forms.MultipleChoiceField(
        label=_("分组"), choices=GROUP_LABELS, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, latest: date | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.latest = latest or date.today()
        if not self.is_bound:
            self.initial = {
                "date_from": self.latest.replace(day=1),
                "date_to": self.latest,
                "by": ["team"],
            }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        date_to = data.get("date_to") or self.latest
        date_from = data.get("date_from") or date_to.replace(day=1)
        if date_from > date_to:
            raise forms.ValidationError(_("开始日期不能晚于结束日期"))
        if (date_to - date_from).days >= MAX_DAYS:
            raise forms.ValidationError(_("一次最多查看一年"))
        data["date_from"], data["date_to"] = date_from, date_to
        return data

    def query(self) -> dict[str, Any]:
        """The valid choices, or the defaults (the month of the latest response, by team)."""
        if self.is_bound and self.is_valid():
            data = self.cleaned_data
            chosen = data.get("by") or ["team"]
            by = [name for name, _label in GROUP_LABELS if name in chosen]
            return {"date_from": data["date_from"], "date_to": data["date_to"], "by": by}
        return {
            "date_from": self.latest.replace(day=1),
            "date_to": self.latest,
            "by": ["team"],
        }


class ListField(forms.Field):
    """A list of codes typed as one line, split at commas or spaces (an empty line: all)."""

    widget = forms.TextInput

    def prepare_value(self, value: Any) -> Any:
        return ", ".join(value) if isinstance(value, list) else value

    def to_python(self, value: Any) -> list[str]:
        text = str(value or "").replace("，", ",").replace(",", " ")
        return [part[:64] for part in text.split() if part]


class SurveyPlanForm(forms.ModelForm[SurveyPlan]):
    queues = ListField(label=_("队列"), required=False, help_text=_("逗号分隔；留空 = 全部"))
    contact_channels = ListField(
        label=_("联络渠道"), required=False, help_text=_("如 voice, chat；留空 = 全部")
    )
    dispositions = ListField(
        label=_("联络结果"), required=False, help_text=_("如 answered；留空 = 全部")
    )
    # A plan posted without it (as before plans could ask to recommend) asks satisfaction.
    asks = forms.ChoiceField(
        label=_("问题"),
        choices=SurveyQuestion.choices,
        required=False,
        help_text=_("推荐意愿：客户回复 0–10 分（9–10 推荐者，0–6 贬损者），满分固定为 10"),
    )

    class Meta:
        model = SurveyPlan
        fields = (
            "name",
            "active",
            "channel",
            "asks",
            "question",
            "scale",
            "queues",
            "contact_channels",
            "dispositions",
            "rest_days",
            "after_complaints",
            "quiet_start",
            "quiet_end",
            "delay_minutes",
            "within_hours",
            "answer_hours",
            "low_score_action",
            "low_score_at_most",
        )
        widgets: ClassVar[dict[str, Any]] = {
            "question": forms.Textarea(attrs={"rows": 3}),
            "quiet_start": forms.TimeInput(attrs={"type": "time"}),
            "quiet_end": forms.TimeInput(attrs={"type": "time"}),
        }
        help_texts: ClassVar[dict[str, Any]] = {
            "question": _("{link} 处换成客户的评价链接（H5 页面，单次有效）"),
            "rest_days": _("同一号码在这么多天内只邀请一次"),
            "low_score_at_most": _("满意度如 2；推荐意愿如 6（贬损者）"),
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        scale, at_most = data.get("scale"), data.get("low_score_at_most")
        if scale is None or at_most is None:
            return data
        # A low score is below the top: 1 … top − 1 on a satisfaction scale, 0 … 9 on 0–10.
        lowest = 0 if data.get("asks") == SurveyQuestion.RECOMMEND else 1
        if not lowest <= at_most < scale:
            self.add_error(
                "low_score_at_most",
                _("须在 %(low)s 到 %(top)s 之间") % {"low": lowest, "top": scale - 1},
            )
        return data

    def clean_asks(self) -> str:
        return str(self.cleaned_data.get("asks") or SurveyQuestion.SATISFACTION)

    def clean_scale(self) -> int:
        """The plan's top score: 10 for the recommend question (0–10) whatever was typed."""
        if self.cleaned_data.get("asks") == SurveyQuestion.RECOMMEND:
            return NPS_SCALE
        scale: int = self.cleaned_data["scale"]
        if not MIN_SCALE <= scale <= MAX_SCALE:
            raise forms.ValidationError(
                _("满分须在 %(low)s 到 %(high)s 之间") % {"low": MIN_SCALE, "high": MAX_SCALE}
            )
        return scale
