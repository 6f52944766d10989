"""The satisfaction page's form: which days, grouped how."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lingting.core.params import BoundedDateField

GROUP_LABELS = [("team", _("班组")), ("queue", _("ACD组")), ("day", _("日"))]
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
