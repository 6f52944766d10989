"""The care page's form: reminders, break rules and what makes a strain alert, written as a
planner says them (a reminder a line: `10:30 加油！`; a break rule a line: `90-120 10 名称`)
and read into the CareSettings fields, every mistake named with its line."""

from __future__ import annotations

import re
from itertools import pairwise
from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lingting.workforce.models import CareSettings

WORD_SEPARATORS = re.compile(r"[\s,，、;；]+")
REMINDER_LINE = re.compile(r"(?P<hour>\d{1,2})[:：](?P<minute>\d{2})(?:\s+(?P<text>.*))?")
RULE_LINE = re.compile(
    r"(?P<low>\d+)\s*[-–—~～]\s*(?P<high>\d+)\s+(?P<length>\d+)(?:\s+(?P<name>.+))?"
)
GREETING_MAX = 200  # a notification holds 500 characters
RULE_NAME_MAX = 64  # RosterBreak.rule
DAY_MINUTES = 24 * 60


class CareSettingsForm(forms.Form):
    reminders = forms.CharField(
        label=gettext_lazy("正点提醒"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=gettext_lazy("每行一个：时间和问候语，如“10:30 奋斗在一线的战士们，加油！”"),
    )
    reminder_lead_minutes = forms.IntegerField(
        label=gettext_lazy("提前分钟数"), min_value=0, max_value=60
    )
    break_rules = forms.CharField(
        label=gettext_lazy("小休规则"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy(
            "每行一条：已工作分钟数的范围、小休分钟数、名称，"
            "如“90-120 10 工作1.5–2小时后小休10分钟”"
        ),
    )
    break_reason = forms.CharField(
        label=gettext_lazy("小休原因代码"),
        max_length=64,
        help_text=gettext_lazy("坐席状态中表示小休的未就绪原因，用于判断坐席是否已开始小休"),
    )
    strain_run = forms.IntegerField(label=gettext_lazy("连续困难联络数"), min_value=1, max_value=20)
    strain_break_minutes = forms.IntegerField(
        label=gettext_lazy("建议小休分钟数"), min_value=1, max_value=60
    )
    insults = forms.BooleanField(label=gettext_lazy("客户话语中有辱骂用语"), required=False)
    insult_words = forms.CharField(
        label=gettext_lazy("辱骂用语"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("用空格、逗号或顿号分隔"),
    )
    insult_excused = forms.CharField(
        label=gettext_lazy("不算辱骂的说法"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("包含辱骂用语但不是辱骂的较长说法，如“你滚动”"),
    )
    threats = forms.BooleanField(
        label=gettext_lazy("客户扬言媒体曝光或越级投诉"),
        required=False,
        help_text=gettext_lazy("用语与投诉升级规则的威胁用语相同"),
    )
    complaints = forms.BooleanField(label=gettext_lazy("联络带有投诉标签"), required=False)

    @classmethod
    def initial_of(cls, row: CareSettings) -> dict[str, Any]:
        """The form's fields as `row` holds them."""
        return {
            "reminders": "\n".join(f"{r['time']} {r['text']}".strip() for r in row.reminders),
            "reminder_lead_minutes": row.reminder_lead_minutes,
            "break_rules": "\n".join(
                f"{r['worked_min']}-{r['worked_max']} {r['length']} {r['name']}"
                for r in row.break_rules
            ),
            "break_reason": row.break_reason,
            "strain_run": row.strain_run,
            "strain_break_minutes": row.strain_break_minutes,
            "insults": row.insults,
            "insult_words": "、".join(row.insult_words),
            "insult_excused": "、".join(row.insult_excused),
            "threats": row.threats,
            "complaints": row.complaints,
        }

    def clean_reminders(self) -> list[dict[str, str]]:
        reminders: dict[str, dict[str, str]] = {}
        for number, line in _lines(self.cleaned_data["reminders"]):
            match = REMINDER_LINE.fullmatch(line)
            hour, minute = (int(match["hour"]), int(match["minute"])) if match else (99, 99)
            if match is None or hour > 23 or minute > 59:
                raise _line_error(number, _("“%(line)s”要以时间开头，如 10:30") % {"line": line})
            clock = f"{hour:02d}:{minute:02d}"
            text = (match["text"] or "").strip()
            if clock in reminders:
                raise _line_error(number, _("%(time)s 已经有提醒了") % {"time": clock})
            if len(text) > GREETING_MAX:
                raise _line_error(number, _("问候语最多 %(max)d 个字") % {"max": GREETING_MAX})
            reminders[clock] = {"time": clock, "text": text}
        return [reminders[clock] for clock in sorted(reminders)]

    def clean_break_rules(self) -> list[dict[str, object]]:
        rules: list[tuple[int, dict[str, Any]]] = []
        for number, line in _lines(self.cleaned_data["break_rules"]):
            rules.append((number, _break_rule(number, line)))
        names: set[str] = set()
        for number, rule in rules:
            if rule["name"] in names:
                raise _line_error(number, _("名称“%(name)s”重复") % {"name": rule["name"]})
            names.add(rule["name"])
        ordered = sorted(rules, key=lambda numbered: numbered[1]["worked_min"])
        for (_number, before), (number, after) in pairwise(ordered):
            if after["worked_min"] < before["worked_max"]:
                raise _line_error(
                    number,
                    _("与“%(other)s”的时间范围重叠：两次小休要先后进行")
                    % {"other": before["name"]},
                )
        return [rule for _number, rule in ordered]

    def clean_insult_words(self) -> list[str]:
        return _words(self.cleaned_data["insult_words"])

    def clean_insult_excused(self) -> list[str]:
        return _words(self.cleaned_data["insult_excused"])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        words = data.get("insult_words")
        if data.get("insults") and words is not None and not words:
            self.add_error("insult_words", _("检查客户辱骂时至少要有一个辱骂用语"))
        for phrase in data.get("insult_excused") or []:
            if words is not None and not any(w in phrase and w != phrase for w in words):
                self.add_error(
                    "insult_excused",
                    _("“%(phrase)s”要是包含某个辱骂用语的较长说法，否则不起作用")
                    % {"phrase": phrase},
                )
        return data


def _lines(text: str) -> list[tuple[int, str]]:
    """The non-blank lines of `text`, stripped, with their numbers from 1."""
    return [(n, line.strip()) for n, line in enumerate(text.splitlines(), 1) if line.strip()]


def _line_error(number: int, reason: str) -> forms.ValidationError:
    return forms.ValidationError(
        _("第 %(number)d 行：%(reason)s") % {"number": number, "reason": reason}
    )


def _break_rule(number: int, line: str) -> dict[str, Any]:
    match = RULE_LINE.fullmatch(line)
    if match is None:
        raise _line_error(
            number, _("“%(line)s”应写成“起-止 时长 名称”，如“90-120 10 小休”") % {"line": line}
        )
    low, high, length = int(match["low"]), int(match["high"]), int(match["length"])
    if not low <= high <= DAY_MINUTES:
        raise _line_error(number, _("已工作分钟数要从小到大，且不超过 1440"))
    if not 0 < length <= DAY_MINUTES:
        raise _line_error(number, _("小休时长要大于 0 分钟"))
    name = (match["name"] or "").strip() or _("工作%(low)d–%(high)d分钟后小休%(length)d分钟") % {
        "low": low,
        "high": high,
        "length": length,
    }
    if len(name) > RULE_NAME_MAX:
        raise _line_error(number, _("名称最多 %(max)d 个字") % {"max": RULE_NAME_MAX})
    return {"name": name, "worked_min": low, "worked_max": high, "length": length}


def _words(text: str) -> list[str]:
    return list(dict.fromkeys(w for w in WORD_SEPARATORS.split(text) if w))
