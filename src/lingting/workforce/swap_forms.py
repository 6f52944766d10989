"""The agent's swap request (换班申请) on their schedule page: one of their shifts to come, a
colleague of the same pools, optionally one of that colleague's shifts in exchange."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lingting.core.models import Agent
from lingting.workforce.models import RosterShift
from lingting.workforce.selectors.swaps import colleague_shifts, swap_colleagues, swappable_shifts


class ShiftChoiceField(forms.ModelChoiceField[RosterShift]):
    def label_from_instance(self, obj: RosterShift) -> str:
        start, end = timezone.localtime(obj.starts_at), timezone.localtime(obj.ends_at)
        queue = f" {obj.queue.code}" if obj.queue else ""
        return f"{obj.day:%m-%d} {obj.code} {start:%H:%M}–{end:%H:%M}{queue}"


class ColleagueShiftChoiceField(ShiftChoiceField):
    def label_from_instance(self, obj: RosterShift) -> str:
        return f"{obj.agent.name or obj.agent.code} · {super().label_from_instance(obj)}"


class ColleagueChoiceField(forms.ModelChoiceField[Agent]):
    def label_from_instance(self, obj: Agent) -> str:
        return f"{obj.name} ({obj.code})" if obj.name else obj.code


class SwapRequestForm(forms.Form):
    shift = ShiftChoiceField(label=_("我的班次"), queryset=RosterShift.objects.none())
    counterpart = ColleagueChoiceField(label=_("换给同事"), queryset=Agent.objects.none())
    returned_shift = ColleagueShiftChoiceField(
        label=_("换回对方的班次（可不选：替班）"),
        queryset=RosterShift.objects.none(),
        required=False,
        empty_label=_("不换回，请对方替班"),
    )
    reason = forms.CharField(label=_("换班原因"), max_length=200, required=False)

    def __init__(self, *args: Any, agent: Agent, now: datetime, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["shift"].queryset = swappable_shifts(agent, now)  # type: ignore[attr-defined]
        colleagues = swap_colleagues(agent, timezone.localtime(now).date())
        self.fields["counterpart"].queryset = colleagues  # type: ignore[attr-defined]
        self.fields["returned_shift"].queryset = colleague_shifts(agent, now)  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        returned, counterpart = data.get("returned_shift"), data.get("counterpart")
        if returned is not None and counterpart is not None and returned.agent_id != counterpart.pk:
            raise forms.ValidationError(_("换回的班次须是所选同事的"))
        return data
