"""The forms of the roster setup pages (issue 14): shift templates with their times written as
a clock reads them, leave and its filter, a rotation with its teams' offsets, and the skill
matrix's cells. They read what was typed; the rules are the services' (services.setup)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lingting.core.models import Agent, Team, User
from lingting.core.params import BoundedDateField, RowIdsChoiceField
from lingting.engine.streaks import add_months
from lingting.interactions.models import Queue
from lingting.workforce.models import AbsenceKind, Rotation, ShiftLimitReason
from lingting.workforce.permissions import absence_teams
from lingting.workforce.selectors.setup import leave_agents, rotation_teams_elsewhere
from lingting.workforce.selectors.shift_limits import shift_codes
from lingting.workforce.services.setup import MAX_ABSENCE_DAYS, Leave, RotationSetup, ShiftTimes
from lingting.workforce.services.shift_limits import Limit

HOURS_MINUTES = re.compile(r"^\s*(\d{1,2})\s*[:：]\s*([0-5]\d)\s*$")
CYCLE_MAX = 64  # Rotation.cycle's max_length
MAX_OFFSET = CYCLE_MAX - 1


def minutes_of(text: str) -> int | None:
    """ "08:30" or "7:30" → minutes (510, 450); None for anything not hours:minutes with
    minutes 00–59 (a full-width colon, as a Chinese keyboard types it, reads too)."""
    found = HOURS_MINUTES.match(text)
    return int(found[1]) * 60 + int(found[2]) if found else None


class HoursMinutesField(forms.CharField):
    """A clock time or a length typed as hours:minutes, cleaned to minutes; the range is the
    service's to check (24:00 is a start, 16:00 the longest shift)."""

    def __init__(self, *, example: str, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 8)
        super().__init__(**kwargs)
        self.example = example
        self.widget.attrs.update({"placeholder": example, "inputmode": "numeric", "size": "6"})

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, int):
            return f"{value // 60:02d}:{value % 60:02d}"
        return value

    def clean(self, value: Any) -> int:
        text = super().clean(value)
        minutes = minutes_of(text)
        if minutes is None:
            raise forms.ValidationError(
                _("请写成 时:分，如 %(example)s") % {"example": self.example}
            )
        return minutes


class ShiftTemplateForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("班次代码"),
        max_length=16,
        help_text=gettext_lazy("如 早、中、夜，轮班循环用它；创建后不能修改"),
    )
    name = forms.CharField(label=gettext_lazy("名称"), max_length=64, required=False)
    start = HoursMinutesField(
        label=gettext_lazy("开始"),
        example="08:00",
        help_text=gettext_lazy("00:00–24:00；24:00 是当天结束时的午夜（夜班从次日零点上）"),
    )
    length = HoursMinutesField(
        label=gettext_lazy("时长（时:分）"),
        example="8:00",
        help_text=gettext_lazy("大于 0，最长 16:00"),
    )

    def __init__(self, *args: Any, creating: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not creating:
            del self.fields["code"]

    def times(self) -> ShiftTimes:
        data = self.cleaned_data
        return ShiftTimes(data["name"], data["start"], data["length"])


def absence_range_default(today: date) -> tuple[date, date]:
    """This month and the next: the leave a planner plans the next rosters around."""
    first = today.replace(day=1)
    return first, add_months(first, 2) - timedelta(days=1)


class AbsenceFilterForm(forms.Form):
    date_from = BoundedDateField(
        label=gettext_lazy("开始日期"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    date_to = BoundedDateField(
        label=gettext_lazy("结束日期"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    team = forms.ModelChoiceField(
        label=gettext_lazy("班组"),
        queryset=Team.objects.none(),
        required=False,
        empty_label=gettext_lazy("全部"),
        to_field_name="code",
    )

    def __init__(self, *args: Any, user: User, today: date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.default = absence_range_default(today)
        if not self.is_bound:
            self.initial = {"date_from": self.default[0], "date_to": self.default[1]}
        self.fields["team"].queryset = absence_teams(user).order_by("code")  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first = data.get("date_from") or self.default[0]
        last = data.get("date_to") or self.default[1]
        if first > last:
            raise forms.ValidationError(_("开始日期不能晚于结束日期"))
        if (last - first).days >= MAX_ABSENCE_DAYS:
            raise forms.ValidationError(_("一次最多查看 366 天"))
        data["date_from"], data["date_to"] = first, last
        return data

    def query(self) -> tuple[date, date, Team | None]:
        """The valid choices, or the defaults (this month and the next, every team)."""
        if not self.is_bound or not self.is_valid():
            return self.default[0], self.default[1], None
        data = self.cleaned_data
        return data["date_from"], data["date_to"], data.get("team")


class AgentChoiceField(forms.ModelChoiceField[Agent]):
    def label_from_instance(self, obj: Agent) -> str:
        team = f"（{obj.team.name}）" if obj.team else ""
        return f"{obj.code} {obj.name}{team}".strip()


class AbsenceForm(forms.Form):
    agent = AgentChoiceField(
        label=gettext_lazy("坐席"),
        queryset=Agent.objects.none(),
        empty_label=gettext_lazy("选择坐席"),
        error_messages={"invalid_choice": gettext_lazy("没有这名坐席，或不归您登记")},
    )
    first_day = BoundedDateField(
        label=gettext_lazy("第一天"), widget=forms.DateInput(attrs={"type": "date"})
    )
    last_day = BoundedDateField(
        label=gettext_lazy("最后一天"), widget=forms.DateInput(attrs={"type": "date"})
    )
    kind = forms.ChoiceField(label=gettext_lazy("类型"), choices=AbsenceKind.choices)
    note = forms.CharField(label=gettext_lazy("备注"), max_length=200, required=False)

    def __init__(self, *args: Any, user: User, today: date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agent"].queryset = leave_agents(user, today)  # type: ignore[attr-defined]

    def leave(self) -> Leave:
        data = self.cleaned_data
        return Leave(data["agent"], data["first_day"], data["last_day"], data["kind"], data["note"])


class RotationForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("名称"), max_length=64)
    cycle = forms.CharField(
        label=gettext_lazy("循环"),
        max_length=CYCLE_MAX,
        help_text=gettext_lazy(
            "每天一个班次代码，休息日写“休”，如 早早中中夜夜休休；"
            "多字的代码之间用空格或逗号分隔，如 A1 A1 B1 休"
        ),
    )
    anchor = BoundedDateField(
        label=gettext_lazy("起算日"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=gettext_lazy("这一天相位为 0 的班组走循环的第 1 天"),
    )
    teams = RowIdsChoiceField(
        label=gettext_lazy("班组"),
        queryset=Team.objects.none(),
        required=False,
        error_messages={"invalid_choice": gettext_lazy("所选班组不存在或已在别的轮班中")},
    )

    def __init__(self, *args: Any, rotation: Rotation | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.elsewhere = rotation_teams_elsewhere(rotation)
        self.all_teams = list(Team.objects.order_by("code"))
        free = [team.pk for team in self.all_teams if team.pk not in self.elsewhere]
        self.fields["teams"].queryset = Team.objects.filter(pk__in=free)  # type: ignore[attr-defined]
        for team in self.all_teams:
            if team.pk not in self.elsewhere:
                # The table shows the team in another cell: the input names it itself.
                phase = _("%(team)s 的相位（天）") % {"team": team.name}
                self.fields[f"offset_{team.pk}"] = forms.IntegerField(
                    label=team.name,
                    min_value=0,
                    max_value=MAX_OFFSET,
                    required=False,
                    widget=forms.NumberInput(attrs={"aria-label": phase}),
                )

    def team_rows(self) -> list[dict[str, Any]]:
        """Per team: whether it walks this rotation, its offset field, or the rotation it
        walks instead (a team walks one)."""
        chosen = {str(value) for value in self["teams"].value() or []}
        return [
            {
                "team": team,
                "checked": str(team.pk) in chosen,
                "offset": self[f"offset_{team.pk}"] if team.pk not in self.elsewhere else None,
                "elsewhere": self.elsewhere.get(team.pk),
            }
            for team in self.all_teams
        ]

    def chosen_teams(self) -> list[Team]:
        return list(self.cleaned_data.get("teams") or [])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for team in data.get("teams") or []:
            if data.get(f"offset_{team.pk}") is None:
                self.add_error(f"offset_{team.pk}", _("请填写 %(team)s 的相位") % {"team": team})
        return data

    def setup(self) -> RotationSetup:
        data = self.cleaned_data
        return RotationSetup(
            name=data["name"],
            cycle=data["cycle"],
            anchor=data["anchor"],
            places=[(team, data[f"offset_{team.pk}"]) for team in self.chosen_teams()],
        )


def skill_levels_posted(
    post: QueryDict, agents: Sequence[Agent], queues: Sequence[Queue]
) -> tuple[dict[Agent, dict[Queue, int | None]], list[str]]:
    """The matrix as posted: per agent and queue the level (a cell `skill-<agent id>-<queue
    id>`), None where blank (not answered); and a reason for each cell that is no number."""
    levels: dict[Agent, dict[Queue, int | None]] = {}
    errors: list[str] = []
    for agent in agents:
        levels[agent] = {}
        for queue in queues:
            text = post.get(f"skill-{agent.pk}-{queue.pk}", "").strip()
            if not text:
                levels[agent][queue] = None
            elif text.isdecimal() and len(text) <= 3:
                levels[agent][queue] = int(text)
            else:
                errors.append(
                    _("%(agent)s 的 %(queue)s 熟练度须为 1、2 或 3，不是 %(level)s")
                    % {"agent": agent, "queue": queue.code, "level": text[:20]}
                )
    return levels, errors


class ShiftLimitForm(forms.Form):
    """An agent's shift limit (services.shift_limits): the agents are the user's, still on
    the staff; the shifts every template (active first)."""

    agent = AgentChoiceField(
        label=gettext_lazy("坐席"),
        queryset=Agent.objects.none(),
        empty_label=gettext_lazy("选择坐席"),
        error_messages={"invalid_choice": gettext_lazy("没有这名坐席，或不归您设置")},
    )
    reason = forms.ChoiceField(label=gettext_lazy("原因"), choices=ShiftLimitReason.choices)
    no_night = forms.BooleanField(
        label=gettext_lazy("不排夜班"),
        required=False,
        initial=True,
        help_text=gettext_lazy("22:00 至次日 06:00 之间有工作时间的班次都不排"),
    )
    codes = forms.MultipleChoiceField(
        label=gettext_lazy("另外不排的班次"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    last_day = BoundedDateField(
        label=gettext_lazy("截止日期"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=gettext_lazy("留空表示一直有效，直到删除"),
    )
    note = forms.CharField(label=gettext_lazy("备注"), max_length=200, required=False)

    def __init__(self, *args: Any, user: User, today: date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agent"].queryset = leave_agents(user, today)  # type: ignore[attr-defined]
        self.fields["codes"].choices = [(code, code) for code in shift_codes()]  # type: ignore[attr-defined]

    def limit(self) -> Limit:
        data = self.cleaned_data
        return Limit(
            reason=data["reason"],
            no_night=data["no_night"],
            codes=data["codes"],
            note=data["note"],
            last_day=data["last_day"],
        )
