"""The competitiveness wave's form: its name, date and note, one row per operator (the
first row: ours) and, optionally, the answers file the counts are tallied from."""

from __future__ import annotations

from typing import Any, ClassVar

from django import forms
from django.forms import BaseFormSet
from django.utils.translation import gettext_lazy as _

from lingting.engine.competitiveness import OperatorAnswers, OperatorSubscribers
from lingting.surveys.models import CompetitivenessWave, WaveOperator

ANSWERS_FILE_SUFFIXES = (".csv", ".jsonl")
MAX_ANSWERS_FILE = 20 * 1024 * 1024
MAX_SUBSCRIBERS = 10**12
MAX_ANSWERS = 2**31 - 1  # what the database keeps
SHOWN_ROWS = 3  # ours and two rivals, the seed's three operators


class WaveForm(forms.ModelForm[CompetitivenessWave]):
    answers = forms.FileField(
        label=_("答卷文件（可选）"),
        required=False,
        help_text=_(
            "每行一位受访用户：运营商（operator）与选择意向（would_choose），CSV 或 JSON 行，"
            "UTF-8 或 GBK。上传后各运营商的受访用户数和选择我方人数按文件统计，"
            "表中填写的这两列不再使用。"
        ),
    )

    class Meta:
        model = CompetitivenessWave
        fields = ("name", "surveyed_on", "note")
        widgets: ClassVar[dict[str, Any]] = {
            "surveyed_on": forms.DateInput(attrs={"type": "date"}),
        }
        error_messages: ClassVar[dict[str, Any]] = {
            "name": {"unique": _("已有同名的测评")},
        }

    def clean_answers(self) -> Any:
        upload = self.cleaned_data.get("answers")
        if upload is None:
            return None
        if not (upload.name or "").lower().endswith(ANSWERS_FILE_SUFFIXES):
            raise forms.ValidationError(_("只能上传 .csv 或 .jsonl 文件"))
        if (upload.size or 0) > MAX_ANSWERS_FILE:
            raise forms.ValidationError(_("文件超过 20 MB"))
        return upload


class OperatorRowForm(forms.Form):
    operator = forms.CharField(label=_("运营商"), max_length=64, required=False)
    subscribers = forms.IntegerField(
        label=_("用户数"), min_value=0, max_value=MAX_SUBSCRIBERS, required=False
    )
    asked = forms.IntegerField(
        label=_("受访用户数"), min_value=0, max_value=MAX_ANSWERS, required=False
    )
    choosing_us = forms.IntegerField(
        label=_("选择我方人数"), min_value=0, max_value=MAX_ANSWERS, required=False
    )

    def __init__(self, *args: Any, counts_from_file: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.counts_from_file = counts_from_file

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.is_blank():
            return data
        if not data.get("operator", "").strip():
            self.add_error("operator", _("请填写运营商"))
        needed = (
            ["subscribers"] if self.counts_from_file else ["subscribers", "asked", "choosing_us"]
        )
        for name in needed:
            if data.get(name) is None and name not in self.errors:
                self.add_error(name, _("请填写"))
        return data

    def is_blank(self) -> bool:
        data = self.cleaned_data
        return not data.get("operator", "").strip() and all(
            data.get(name) is None for name in ("subscribers", "asked", "choosing_us")
        )


OperatorRowFormSet = forms.formset_factory(OperatorRowForm, extra=0)


def operator_rows(
    data: Any = None, *, wave: CompetitivenessWave | None, counts_from_file: bool = False
) -> BaseFormSet[OperatorRowForm]:
    """The operator rows: the wave's (ours first) and blank ones up to ours and two rivals,
    plus one spare (the page's script adds more)."""
    stored = list(wave.operators.all()) if wave is not None else []
    initial = [_row_initial(row) for row in stored]
    rows = OperatorRowFormSet(
        data,
        prefix="op",
        initial=initial,
        form_kwargs={"counts_from_file": counts_from_file},
    )
    rows.extra = max(SHOWN_ROWS - len(initial), 0) + 1
    return rows


def filled_rows(rows: BaseFormSet[OperatorRowForm]) -> list[tuple[bool, dict[str, Any]]]:
    """(ours, cleaned data) of each row a person filled in; the first row is ours."""
    return [
        (index == 0, form.cleaned_data)
        for index, form in enumerate(rows.forms)
        if not form.is_blank()
    ]


def typed_operators(rows: BaseFormSet[OperatorRowForm]) -> list[OperatorAnswers]:
    return [
        OperatorAnswers(
            operator=data["operator"].strip(),
            subscribers=data["subscribers"],
            asked=data["asked"],
            choosing_us=data["choosing_us"],
            ours=ours,
        )
        for ours, data in filled_rows(rows)
    ]


def operators_for_file(rows: BaseFormSet[OperatorRowForm]) -> list[OperatorSubscribers]:
    return [
        OperatorSubscribers(data["operator"].strip(), data["subscribers"], ours=ours)
        for ours, data in filled_rows(rows)
    ]


def _row_initial(row: WaveOperator) -> dict[str, Any]:
    return {
        "operator": row.operator,
        "subscribers": row.subscribers,
        "asked": row.asked,
        "choosing_us": row.choosing_us,
    }
