"""The KPI page's form: which contacts (the contact list's filters), how to group them,
and the thresholds of FORMATS.md."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from lingting.engine.kpis import KpiOptions
from lingting.quality.contact_filters import ContactFilterForm

GROUP_LABELS = [
    ("day", _("日")),
    ("week", _("周")),
    ("month", _("月")),
    ("hour", _("时段")),
    ("queue", _("ACD组")),
    ("agent", _("坐席")),
]


class KpiForm(ContactFilterForm):
    by = forms.MultipleChoiceField(
        label=_("分组"),
        choices=GROUP_LABELS,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    service_level_seconds = forms.IntegerField(
        label=_("服务水平（秒内应答）"), min_value=1, max_value=3600, required=False
    )
    short_abandon_seconds = forms.IntegerField(
        label=_("短放弃（秒内挂断不计）"), min_value=0, max_value=600, required=False
    )
    fcr_days = forms.IntegerField(
        label=_("一次解决（天内未再来电）"), min_value=1, max_value=90, required=False
    )

    def groupings(self) -> list[str]:
        chosen = self.cleaned_data.get("by") if self.is_bound and self.is_valid() else None
        return [value for value, _label in GROUP_LABELS if value in (chosen or ["day"])]

    def options(self) -> KpiOptions:
        defaults = KpiOptions()
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        sl, short = data.get("service_level_seconds"), data.get("short_abandon_seconds")
        fcr_days = data.get("fcr_days")
        return KpiOptions(
            service_level_seconds=defaults.service_level_seconds if sl is None else sl,
            short_abandon_seconds=defaults.short_abandon_seconds if short is None else short,
            fcr_days=defaults.fcr_days if fcr_days is None else fcr_days,
        )
