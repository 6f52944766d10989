"""Forms of the fixed-customer panel pages: the panel, its waves' schedule, a member's answer
in a wave, a member leaving."""

from __future__ import annotations

import re
from typing import Any, ClassVar

from django import forms
from django.utils.translation import gettext_lazy as _

from lingting.campaigns.models import (
    Panel,
    PanelAnswer,
    PanelCallOutcome,
    PanelLeaveReason,
    PerceptionChoice,
    default_panel_aspects,
)
from lingting.campaigns.services.panels import AnswerGiven
from lingting.core.params import MAX_DB_INT, BoundedDateField

MAX_ASPECTS = 8
MAX_ASPECT_LENGTH = 20
MAX_WAVES = 8
MAX_OPEN_DAYS = 89  # shorter than the shortest three months: waves never overlap
SCORE_CHOICES = [("", "—"), *((n, str(n)) for n in range(5, 0, -1))]


class PanelForm(forms.ModelForm[Panel]):
    aspects = forms.CharField(
        label=_("测评方面"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("每行一个，客户每次回访按 1–5 分评价"),
    )

    class Meta:
        model = Panel
        fields = ("name", "description", "segments", "size", "aspects")
        widgets: ClassVar[dict[str, Any]] = {"segments": forms.CheckboxSelectMultiple}
        help_texts: ClassVar[dict[str, Any]] = {
            "segments": _("按各客户群的人数比例招募，例如 3G 关键客户和宽带关键客户"),
            "size": _("固定跟踪的客户数；有人退出时从同样的客户群补充"),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        aspects = self.instance.aspects if self.instance.pk else default_panel_aspects()
        self.initial["aspects"] = "\n".join(aspects)

    def clean_size(self) -> int:
        size: int = self.cleaned_data["size"]
        if size < 1:
            raise forms.ValidationError(_("样本量至少为 1"))
        return size

    def clean_aspects(self) -> list[str]:
        text: str = self.cleaned_data["aspects"]
        aspects: list[str] = []
        for line, name in enumerate(re.split(r"\r?\n", text), start=1):
            name = name.strip()
            if not name:
                continue
            if len(name) > MAX_ASPECT_LENGTH:
                raise forms.ValidationError(
                    _("第 %(line)s 行：不超过 %(n)s 个字") % {"line": line, "n": MAX_ASPECT_LENGTH}
                )
            if name in aspects:
                raise forms.ValidationError(
                    _("第 %(line)s 行：“%(name)s”重复") % {"line": line, "name": name}
                )
            aspects.append(name)
        if not aspects:
            raise forms.ValidationError(_("至少写一个测评方面"))
        if len(aspects) > MAX_ASPECTS:
            raise forms.ValidationError(_("最多 %(n)s 个测评方面") % {"n": MAX_ASPECTS})
        return aspects


class WaveScheduleForm(forms.Form):
    first_opens_on = BoundedDateField(
        label=_("第一次回访开始日期"), widget=forms.DateInput(attrs={"type": "date"})
    )
    count = forms.IntegerField(
        label=_("回访次数（每季度一次）"), min_value=1, max_value=MAX_WAVES, initial=3
    )
    open_days = forms.IntegerField(
        label=_("每次开放天数"), min_value=1, max_value=MAX_OPEN_DAYS, initial=30
    )


class PanelAnswerForm(forms.Form):
    """A member's answer in a wave: the overall score, one per aspect of the panel, and
    whether they feel the service changed."""

    outcome = forms.ChoiceField(
        label=_("回访结果"), choices=PanelCallOutcome.choices, widget=forms.RadioSelect
    )
    satisfaction = forms.TypedChoiceField(
        label=_("总体满意度（1–5）"),
        choices=SCORE_CHOICES,
        coerce=int,
        empty_value=None,
        required=False,
    )
    perception = forms.ChoiceField(
        label=_("与上次相比，服务感受"),
        choices=[("", "—"), *PerceptionChoice.choices],
        required=False,
    )
    comment = forms.CharField(
        label=_("客户意见"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(
        self, *args: Any, aspects: list[str], answer: PanelAnswer | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.aspect_names = {f"aspect_{n}": aspect for n, aspect in enumerate(aspects)}
        for name, aspect in self.aspect_names.items():
            self.fields[name] = forms.TypedChoiceField(
                label=aspect, choices=SCORE_CHOICES, coerce=int, empty_value=None, required=False
            )
        self.order_fields(["outcome", "satisfaction", *self.aspect_names, "perception", "comment"])
        if answer is not None:  # recorded before: corrected on this form
            self.initial.update(
                outcome=answer.outcome,
                satisfaction=answer.satisfaction,
                perception=answer.perception,
                comment=answer.comment,
            )
            for name, aspect in self.aspect_names.items():
                self.initial[name] = answer.aspects.get(aspect)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("outcome") == PanelCallOutcome.ANSWERED and data.get("satisfaction") is None:
            self.add_error("satisfaction", _("客户回答了，请填写总体满意度"))
        return data

    def given(self) -> AnswerGiven:
        data = self.cleaned_data
        return AnswerGiven(
            outcome=data["outcome"],
            satisfaction=data["satisfaction"],
            aspects={
                aspect: data[name]
                for name, aspect in self.aspect_names.items()
                if data.get(name) is not None
            },
            perception=data["perception"],
            comment=data["comment"],
        )


class LeaveForm(forms.Form):
    reason = forms.ChoiceField(label=_("退出原因"), choices=PanelLeaveReason.choices)
    # the wave whose list the manager came from, to go back to
    wave = forms.IntegerField(
        required=False, min_value=1, max_value=MAX_DB_INT, widget=forms.HiddenInput
    )
