"""Checking what an administrator types to set up work orders: a type's time limits
(时限), its warning points (时限预警) and its own fields (字段), and a department's working
hours (工作时间). Each check returns the value as the tables keep it, and the problems found,
each a Chinese msgid naming the field it is about (nothing is stored while there is one).

The stored shapes are those `lingting.workorders.models` documents: a limit is
``{"clock": "business"|"natural", "hours": n}`` or ``{"clock": "business", "workdays": n}``;
warning points are shares of the limit (``[0.5, 0.8]``); a field is ``{"name", "label",
"type", "required", "choices"?}``; working hours are seven lists (Monday first) of
``["08:30", "12:00"]`` periods, all empty for the centre's office hours.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

from lingting.engine.workorders import gettext_noop


@dataclass(frozen=True, slots=True)
class Problem:
    """What is wrong, for the user: `field` the form field it belongs to, `message` a
    Chinese msgid and its values (those under "label" and "unit" are msgids too)."""

    field: str
    message: str
    values: dict[str, Any] = dataclasses.field(default_factory=dict)

    def text(self, translate: Callable[[str], str] = gettext_noop) -> str:
        values = {
            key: translate(value) if key in ("label", "unit") else value
            for key, value in self.values.items()
        }
        return translate(self.message) % values if values else translate(self.message)


# --- time limits and warning points ------------------------------------------------------

CLOCKS = ("business", "natural")
UNITS = ("hours", "workdays")
MAX_AMOUNT = {"hours": 24 * 366, "workdays": 366}
MAX_WARNING_POINTS = 5


def limit_spec(
    *, label: str, field_name: str, clock: str, amount: str, unit: str
) -> tuple[dict[str, Any], list[Problem]]:
    """One priority's limit from the page (`label` the priority's msgid, "一般"): `amount`
    hours or working days, above 0; working days only on the business clock (a natural
    day has no working hours to count)."""
    problems = []
    if clock not in CLOCKS:
        problems.append(
            Problem(field_name, gettext_noop("%(label)s：计时方式不对"), {"label": label})
        )
    if unit not in UNITS:
        problems.append(
            Problem(field_name, gettext_noop("%(label)s：时限单位不对"), {"label": label})
        )
    try:
        value = float(amount.strip())
    except ValueError:
        value = None
    if value is None or value != value:  # NaN is no number either
        problems.append(
            Problem(field_name, gettext_noop("%(label)s：请填写时限（数字）"), {"label": label})
        )
    elif value <= 0:
        problems.append(
            Problem(field_name, gettext_noop("%(label)s：时限须大于 0"), {"label": label})
        )
    elif unit in UNITS and value > MAX_AMOUNT[unit]:
        problems.append(
            Problem(
                field_name,
                gettext_noop("%(label)s：时限太长（最多 %(max)d %(unit)s）"),
                {"label": label, "max": MAX_AMOUNT[unit], "unit": unit_text(unit)},
            )
        )
    if clock == "natural" and unit == "workdays":
        problems.append(
            Problem(
                field_name,
                gettext_noop("%(label)s：按自然时间计时的时限请以小时计"),
                {"label": label},
            )
        )
    if problems or value is None:
        return {}, problems
    return {"clock": clock, unit: int(value) if value.is_integer() else value}, []


def unit_text(unit: str) -> str:
    return gettext_noop("小时") if unit == "hours" else gettext_noop("个工作日")


def limit_parts(spec: dict[str, Any]) -> tuple[str, str, str]:
    """(clock, amount, unit) of a stored limit, for the page."""
    unit = "workdays" if "workdays" in spec else "hours"
    amount = spec.get(unit, 24)
    text = str(int(amount)) if float(amount).is_integer() else str(amount)
    return spec.get("clock", "business"), text, unit


SEPARATORS = re.compile(r"[,，、;；\s]+")


def warning_points(text: str, *, field_name: str = "warn_at") -> tuple[list[float], list[Problem]]:
    """ "50, 80" → ``[0.5, 0.8]``: percentages of the limit, each above 0 and below 100,
    no two alike; empty: no warning before the deadline (超时 is told at 100% anyway)."""
    percents: list[float] = []
    for part in SEPARATORS.split(text.strip().replace("%", "").replace("％", "")):
        if not part:
            continue
        try:
            percent = float(part)
        except ValueError:
            return [], [
                Problem(
                    field_name,
                    gettext_noop("预警点「%(value)s」不是数字，请填写百分比，如 50, 80"),
                    {"value": part},
                )
            ]
        if not 0 < percent < 100:
            return [], [
                Problem(
                    field_name,
                    gettext_noop("预警点须在 1 到 99 之间（百分比），「%(value)s」不行"),
                    {"value": part},
                )
            ]
        if percent in percents:
            return [], [
                Problem(field_name, gettext_noop("预警点 %(value)s%% 重复"), {"value": part})
            ]
        percents.append(percent)
    if len(percents) > MAX_WARNING_POINTS:
        return [], [
            Problem(
                field_name,
                gettext_noop("预警点最多 %(max)d 个"),
                {"max": MAX_WARNING_POINTS},
            )
        ]
    return [round(percent / 100, 4) for percent in sorted(percents)], []


def warning_points_text(shares: Sequence[float]) -> str:
    """``[0.5, 0.8]`` → "50, 80"."""
    return ", ".join(f"{share * 100:g}" for share in shares)


# --- a type's own fields -----------------------------------------------------------------

FIELD_TYPES = ("text", "number", "date", "phone", "choice")
FIELD_NAME = re.compile(r"[a-z][a-z0-9_]{0,31}")
LABEL_LENGTH = 32
MAX_FIELDS = 30


@dataclass(frozen=True, slots=True)
class FieldRow:
    """One row of the fields table as typed; `choices` separated by commas."""

    name: str
    label: str
    type: str
    required: bool = False
    choices: str = ""

    @property
    def blank(self) -> bool:
        return not (self.name.strip() or self.label.strip() or self.choices.strip())


def field_specs(rows: Sequence[FieldRow]) -> tuple[list[dict[str, Any]], list[Problem]]:
    """The rows (blank ones skipped) as stored fields: a name of small letters, digits and
    underscores starting with a letter, used once; a label; a known type; a choice field
    with its choices (each once). Problems name the row (its number counts every row)."""
    specs: list[dict[str, Any]] = []
    problems: list[Problem] = []
    seen: set[str] = set()
    for number, row in enumerate(rows, start=1):
        if row.blank:
            continue
        spec, found = _field_spec(number, row, seen)
        problems.extend(found)
        if spec is not None:
            specs.append(spec)
        seen.add(row.name.strip())
    if len(specs) > MAX_FIELDS:
        problems.append(Problem("fields", gettext_noop("字段最多 %(max)d 个"), {"max": MAX_FIELDS}))
    return specs, problems


def _field_spec(
    number: int, row: FieldRow, seen: set[str]
) -> tuple[dict[str, Any] | None, list[Problem]]:
    name, label = row.name.strip(), row.label.strip()
    problems = []
    where = {"row": number, "name": name}
    if not FIELD_NAME.fullmatch(name):
        problems.append(
            Problem(
                "fields",
                gettext_noop(
                    "字段第 %(row)d 行：名称「%(name)s」须以小写字母开头，"
                    "只含小写字母、数字和下划线（最多 32 个）"
                ),
                where,
            )
        )
    elif name in seen:
        problems.append(
            Problem("fields", gettext_noop("字段第 %(row)d 行：名称「%(name)s」重复"), where)
        )
    if not label:
        problems.append(Problem("fields", gettext_noop("字段第 %(row)d 行：请填写显示名称"), where))
    elif len(label) > LABEL_LENGTH:
        problems.append(
            Problem(
                "fields",
                gettext_noop("字段第 %(row)d 行：显示名称太长（最多 %(max)d 个字）"),
                where | {"max": LABEL_LENGTH},
            )
        )
    if row.type not in FIELD_TYPES:
        problems.append(Problem("fields", gettext_noop("字段第 %(row)d 行：类型不对"), where))
    choices = [part for part in SEPARATORS.split(row.choices.strip()) if part]
    if row.type == "choice" and not choices:
        problems.append(
            Problem(
                "fields",
                gettext_noop("字段第 %(row)d 行：选择类字段请填写选项，用逗号分隔"),
                where,
            )
        )
    repeated = sorted({choice for choice in choices if choices.count(choice) > 1})
    if row.type == "choice" and repeated:
        problems.append(
            Problem(
                "fields",
                gettext_noop("字段第 %(row)d 行：选项「%(choice)s」重复"),
                where | {"choice": repeated[0]},
            )
        )
    if problems:
        return None, problems
    spec: dict[str, Any] = {
        "name": name,
        "label": label,
        "type": row.type,
        "required": row.required,
    }
    if row.type == "choice":
        spec["choices"] = choices
    return spec, []


# --- a department's working hours --------------------------------------------------------

WEEKDAY_LABELS = (
    gettext_noop("周一"),
    gettext_noop("周二"),
    gettext_noop("周三"),
    gettext_noop("周四"),
    gettext_noop("周五"),
    gettext_noop("周六"),
    gettext_noop("周日"),
)
PERIOD = re.compile(r"(\d{1,2})[:：](\d{2})\s*[-–—~～至到]\s*(\d{1,2})[:：](\d{2})")
PERIOD_SEPARATORS = re.compile(r"[,，、;；\s]+")
DASH_SPACES = re.compile(r"\s*([-–—~～至到])\s*")  # "09:00 - 12:00" is one period


def working_hours(texts: Sequence[str]) -> tuple[list[list[list[str]]], list[Problem]]:
    """Seven lines (Monday first) such as "08:30-12:00, 13:30-17:30" → the stored hours.

    Which dates are worked is the business calendar's: a weekday (Monday–Friday) left
    empty is one the department does not work, and Saturday's and Sunday's periods serve
    make-up workdays, which borrow the first filled day's when left empty
    (`lingting.engine.calendars.WorkingHours`). All seven empty:
    the centre's office hours. A period
    ends after it starts (24:00 ends the day; no period runs past midnight), periods of a
    day do not overlap, and at least one day from Monday to Friday has hours (working-day
    limits count that day's length)."""
    week: list[list[list[str]]] = []
    problems: list[Problem] = []
    for day, text in enumerate(texts):
        periods, found = _day_periods(day, text)
        week.append(periods)
        problems.extend(found)
    if problems:
        return [], problems
    if not any(week):
        return [], []
    if not any(week[:5]):
        problems.append(Problem("hours_0", gettext_noop("周一至周五至少要有一天填写工作时间")))
        return [], problems
    return week, []


def _day_periods(day: int, text: str) -> tuple[list[list[str]], list[Problem]]:
    field_name = f"hours_{day}"
    label = WEEKDAY_LABELS[day]
    minutes: list[tuple[int, int]] = []
    for part in PERIOD_SEPARATORS.split(DASH_SPACES.sub(r"\1", text.strip())):
        if not part:
            continue
        match = PERIOD.fullmatch(part.strip())
        if match is None:
            return [], [
                Problem(
                    field_name,
                    gettext_noop("%(label)s：「%(value)s」不是时间段，请按 08:30-12:00 填写"),
                    {"label": label, "value": part.strip()},
                )
            ]
        start_h, start_m, end_h, end_m = (int(group) for group in match.groups())
        start, end = start_h * 60 + start_m, end_h * 60 + end_m
        if start_h > 23 or start_m > 59 or end_m > 59 or end > 24 * 60:
            return [], [
                Problem(
                    field_name,
                    gettext_noop("%(label)s：「%(value)s」中的时间不存在"),
                    {"label": label, "value": part.strip()},
                )
            ]
        if end <= start:
            return [], [
                Problem(
                    field_name,
                    gettext_noop("%(label)s：「%(value)s」的结束时间须晚于开始时间"),
                    {"label": label, "value": part.strip()},
                )
            ]
        minutes.append((start, end))
    minutes.sort()
    for (first_start, first_end), (second_start, second_end) in pairwise(minutes):
        if second_start < first_end:
            return [], [
                Problem(
                    field_name,
                    gettext_noop("%(label)s：时间段 %(first)s 与 %(second)s 重叠"),
                    {
                        "label": label,
                        "first": _period_text(first_start, first_end),
                        "second": _period_text(second_start, second_end),
                    },
                )
            ]
    return [[_clock(start), _clock(end)] for start, end in minutes], []


def _clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _period_text(start: int, end: int) -> str:
    return f"{_clock(start)}-{_clock(end)}"


def working_hours_texts(week: Sequence[Sequence[Sequence[str]]]) -> list[str]:
    """The stored hours as the seven lines of the page ("" for each day when none)."""
    if not week:
        return [""] * len(WEEKDAY_LABELS)
    return [", ".join(f"{start}-{end}" for start, end in periods) for periods in week]
