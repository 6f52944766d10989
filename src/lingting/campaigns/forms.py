"""Forms of the campaign pages: segments, campaigns, a call's outcome, the customer file."""

from __future__ import annotations

from typing import Any, ClassVar

from django import forms
from django.utils.translation import gettext_lazy as _

from lingting.campaigns.models import Campaign, DispositionChoice, NonUseReason, Segment
from lingting.engine.callbacks import MIN_DAILY_QUOTA
from lingting.engine.segments import SegmentRuleError, parse_segment_rules
from lingting.knowledge.models import Article, KindChoice

WEEKDAYS = [
    (0, _("周一")),
    (1, _("周二")),
    (2, _("周三")),
    (3, _("周四")),
    (4, _("周五")),
    (5, _("周六")),
    (6, _("周日")),
]


class SegmentForm(forms.ModelForm[Segment]):
    class Meta:
        model = Segment
        fields = ("name", "description", "rules")
        widgets: ClassVar[dict[str, Any]] = {
            "rules": forms.Textarea(attrs={"rows": 8, "class": "mono", "id": "segment-rules"}),
        }

    def clean_rules(self) -> str:
        rules: str = self.cleaned_data["rules"]
        try:
            if not parse_segment_rules(rules):
                raise forms.ValidationError(_("至少写一条规则"))
        except SegmentRuleError as problem:
            raise forms.ValidationError(str(problem)) from None
        return rules


class CampaignForm(forms.ModelForm[Campaign]):
    call_days = forms.TypedMultipleChoiceField(
        label=_("拨打日"),
        choices=WEEKDAYS,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        initial=[0, 1, 2, 3, 4],
    )

    class Meta:
        model = Campaign
        fields = (
            "name",
            "purpose",
            "segment",
            "team",
            "queue",
            "script",
            "starts_on",
            "ends_on",
            "call_start",
            "call_end",
            "call_days",
            "daily_quota",
            "max_attempts",
            "retry_minutes",
            "rest_days",
        )
        widgets: ClassVar[dict[str, Any]] = {
            "starts_on": forms.DateInput(attrs={"type": "date"}),
            "ends_on": forms.DateInput(attrs={"type": "date"}),
            "call_start": forms.TimeInput(attrs={"type": "time"}),
            "call_end": forms.TimeInput(attrs={"type": "time"}),
        }
        help_texts: ClassVar[dict[str, Any]] = {
            "queue": _("回访电话记为这个队列的外呼联络，按该队列的评分表自动质检"),
            "script": _("知识库中的话术"),
            "daily_quota": _("每名坐席每天至少回访的客户数（不少于 5）"),
            "rest_days": _("同一号码在这么多天内只被一个活动拨打"),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        script = self.fields["script"]
        assert isinstance(script, forms.ModelChoiceField)
        script.queryset = Article.objects.filter(kind=KindChoice.SCRIPT, withdrawn=False)

    def clean_daily_quota(self) -> int:
        quota: int = self.cleaned_data["daily_quota"]
        if quota < MIN_DAILY_QUOTA:
            raise forms.ValidationError(_("每人每日不少于 %(n)s 个客户") % {"n": MIN_DAILY_QUOTA})
        return quota

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends and starts > ends:
            self.add_error("ends_on", _("结束日期不能早于开始日期"))
        start, end = data.get("call_start"), data.get("call_end")
        if start and end and start >= end:
            self.add_error("call_end", _("停止拨打须晚于开始拨打"))
        if data.get("max_attempts") == 0:
            self.add_error("max_attempts", _("至少拨打一次"))
        return data


class CallForm(forms.Form):
    """What the agent records after a call."""

    disposition = forms.ChoiceField(
        label=_("结果"), choices=DispositionChoice.choices, widget=forms.RadioSelect
    )
    call_back_at = forms.DateTimeField(
        label=_("约定回拨时间"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    non_use_reason = forms.ChoiceField(
        label=_("未使用原因"), choices=[("", "—"), *NonUseReason.choices], required=False
    )
    offer_accepted = forms.NullBooleanField(
        label=_("接受推荐"),
        required=False,
        widget=forms.Select(choices=[("unknown", "—"), ("true", _("是")), ("false", _("否"))]),
    )
    satisfaction = forms.TypedChoiceField(
        label=_("客户满意度"),
        choices=[("", "—"), *((n, str(n)) for n in range(5, 0, -1))],
        coerce=int,
        empty_value=None,
        required=False,
    )
    revenue = forms.DecimalField(
        label=_("带来收入（元）"), required=False, min_value=0, max_digits=12, decimal_places=2
    )
    note = forms.CharField(label=_("备注"), required=False, max_length=500)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("disposition") == DispositionChoice.CALL_BACK and not data.get("call_back_at"):
            self.add_error("call_back_at", _("请填写约定回拨时间"))
        return data


class CustomerFileForm(forms.Form):
    file = forms.FileField(label=_("客户资料文件（CSV 或 JSONL，UTF-8 或 GBK）"))


class DoNotCallForm(forms.Form):
    number = forms.CharField(label=_("号码"), max_length=40)
    note = forms.CharField(label=_("备注"), max_length=200, required=False)
