"""The QA team's forms: sampling plans, the sample-size helper, the review record."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import urlsplit

from django import forms
from django.http import QueryDict
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from lingting.core.models import User
from lingting.engine.evaluation import REVIEW_RESULTS, Answer
from lingting.engine.scorecard import Item
from lingting.quality.models import (
    Allocation,
    FindingScope,
    SamplingMethod,
    SamplingPlan,
    Schedule,
    StratifyBy,
)
from lingting.quality.selectors.contact_page import ItemView
from lingting.quality.selectors.judge import Suggestion
from lingting.quality.selectors.sampling import TargetCriteria
from lingting.quality.services.judge import JudgeSettingsSpec
from lingting.quality.services.reviews import FindingInput, RecordInput
from lingting.quality.services.sampling import REVIEWER_ROLES, PlanSpec, plan_settings

# A plan's "how the customer ended" choice and the emotions it stands for.
ENDING_EMOTIONS: dict[str, tuple[Any, tuple[str, ...]]] = {
    "angry": (_("生气"), ("angry",)),
    "angry_dissatisfied": (_("生气或不满"), ("angry", "dissatisfied")),
    "upset": (_("生气、不满或焦急"), ("angry", "dissatisfied", "anxious")),
}


class SamplingPlanForm(forms.Form):
    name = forms.CharField(label=_("名称"), max_length=200)
    description = forms.CharField(
        label=_("说明"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    method = forms.ChoiceField(label=_("抽样方法"), choices=SamplingMethod.choices)
    stratify_by = forms.ChoiceField(
        label=_("分层依据"), choices=[("", "—"), *StratifyBy.choices], required=False
    )
    allocation = forms.ChoiceField(
        label=_("样本分配"), choices=[("", "—"), *Allocation.choices], required=False
    )
    sample_size = forms.IntegerField(label=_("每次抽取量"), min_value=1, max_value=100_000)
    min_per_agent_month = forms.IntegerField(
        label=_("每名坐席每月至少"), min_value=0, max_value=1000, initial=0
    )
    lookback_days = forms.IntegerField(
        label=_("抽取最近几天的联络"), min_value=1, max_value=366, initial=1
    )
    schedule = forms.ChoiceField(label=_("执行方式"), choices=Schedule.choices)
    is_active = forms.BooleanField(label=_("启用"), initial=True, required=False)
    # Targeted sampling (定向抽检): each criterion given narrows the candidates.
    new_agents_days = forms.IntegerField(
        label=_("仅入职天数不超过"), min_value=1, max_value=3650, required=False
    )
    tags = forms.CharField(label=_("仅带以下标签（逗号分隔）"), max_length=500, required=False)
    max_auto_score = forms.FloatField(
        label=_("仅自动质检低于（分）"), min_value=0, max_value=100, required=False
    )
    fatal_only = forms.BooleanField(label=_("仅有致命项的"), required=False)
    complaints = forms.BooleanField(label=_("仅投诉"), required=False)
    max_satisfaction = forms.IntegerField(
        label=_("仅客户满意度不高于（1–5）"), min_value=1, max_value=5, required=False
    )
    min_duration_s = forms.IntegerField(
        label=_("仅通话不短于（秒）"), min_value=1, max_value=86_400, required=False
    )
    repeat_within_days = forms.IntegerField(
        label=_("仅客户在几天内重复来电"), min_value=1, max_value=365, required=False
    )
    ending_emotion = forms.ChoiceField(
        label=_("仅客户结束时情绪为"),
        required=False,
        choices=[("", _("不限")), *((key, label) for key, (label, _e) in ENDING_EMOTIONS.items())],
    )
    unresolved = forms.BooleanField(label=_("仅问题未解决的"), required=False)
    max_predicted_satisfaction = forms.IntegerField(
        label=_("仅预测满意度低于（%）"), min_value=1, max_value=100, required=False
    )
    saved_filter = forms.CharField(
        label=_("倒查：联络列表的筛选条件"),
        max_length=1000,
        help_text=_("在联络列表里筛选好后复制地址栏 ? 之后的部分"),
        required=False,
    )

    def __init__(self, *args: Any, plan: SamplingPlan | None = None, **kwargs: Any) -> None:
        if plan is not None and "initial" not in kwargs:
            kwargs["initial"] = _plan_initial(plan)
        super().__init__(*args, **kwargs)
        self.reviewer_users = list(
            User.objects.filter(role__in=REVIEWER_ROLES, is_active=True).order_by("username")
        )
        for user in self.reviewer_users:
            self.fields[f"quota_{user.pk}"] = forms.IntegerField(
                label=user.display_name, min_value=0, max_value=100, initial=0, required=False
            )

    @property
    def quota_fields(self) -> list[forms.BoundField]:
        return [self[f"quota_{user.pk}"] for user in self.reviewer_users]

    @property
    def target_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in _TARGET_FIELDS]

    def spec(self) -> PlanSpec:
        data = self.cleaned_data
        saved = (data.get("saved_filter") or "").strip().lstrip("?")
        return PlanSpec(
            name=data["name"].strip(),
            description=data.get("description") or "",
            method=data["method"],
            stratify_by=data.get("stratify_by") or "",
            allocation=data.get("allocation") or "",
            sample_size=data["sample_size"],
            min_per_agent_month=data.get("min_per_agent_month") or 0,
            lookback_days=data.get("lookback_days") or 1,
            schedule=data["schedule"],
            is_active=bool(data.get("is_active")),
            reviewers={
                user: data[f"quota_{user.pk}"]
                for user in self.reviewer_users
                if data.get(f"quota_{user.pk}")
            },
            targets=TargetCriteria(
                new_agents_days=data.get("new_agents_days"),
                tags=tuple(_split_tags(data.get("tags") or "")),
                max_auto_score=data.get("max_auto_score"),
                fatal_only=bool(data.get("fatal_only")),
                complaints=bool(data.get("complaints")),
                max_satisfaction=data.get("max_satisfaction"),
                min_duration_s=data.get("min_duration_s"),
                repeat_within_days=data.get("repeat_within_days"),
                saved_filter=saved,
                ending_emotions=ENDING_EMOTIONS.get(data.get("ending_emotion") or "", ("", ()))[1],
                unresolved=bool(data.get("unresolved")),
                max_predicted_satisfaction=data.get("max_predicted_satisfaction"),
            ),
        )


_TARGET_FIELDS = (
    "new_agents_days",
    "tags",
    "max_auto_score",
    "fatal_only",
    "complaints",
    "max_satisfaction",
    "min_duration_s",
    "repeat_within_days",
    "ending_emotion",
    "unresolved",
    "max_predicted_satisfaction",
    "saved_filter",
)


def _split_tags(text: str) -> Iterable[str]:
    for part in text.replace("，", ",").replace("、", ",").split(","):
        if part.strip():
            yield part.strip()


def _plan_initial(plan: SamplingPlan) -> dict[str, Any]:
    targets = TargetCriteria.from_json(plan.targets)
    initial: dict[str, Any] = {
        **plan_settings(plan),
        **{
            name: getattr(targets, name)
            for name in _TARGET_FIELDS
            if name not in {"tags", "ending_emotion"}
        },
        "tags": "，".join(targets.tags),
        "ending_emotion": next(
            (key for key, (_l, e) in ENDING_EMOTIONS.items() if e == targets.ending_emotions), ""
        ),
    }
    initial |= {f"quota_{q.reviewer_id}": q.quota for q in plan.quotas.all()}
    return initial


class SampleSizeForm(forms.Form):
    """The daily sample-size helper of 002 §六 (both what we can and what we should)."""

    avg_daily_volume = forms.FloatField(label=_("日均通话量"), min_value=1)
    avg_handle_s = forms.FloatField(label=_("平均通话时长（秒）"), min_value=1)
    reviewers = forms.IntegerField(label=_("质检员人数"), min_value=1, max_value=10_000)
    effective_hours = forms.FloatField(
        label=_("每人每日有效质检时长（小时）"), min_value=0.5, max_value=24
    )
    overhead_s = forms.FloatField(
        label=_("每条评分、记录另需（秒）"), min_value=0, max_value=3600, initial=120
    )
    margin = forms.FloatField(
        label=_("合格率允许误差（±百分点）"), min_value=0.5, max_value=50, initial=5
    )
    confidence = forms.TypedChoiceField(
        label=_("置信水平"),
        coerce=float,
        choices=[(0.9, "90%"), (0.95, "95%"), (0.99, "99%")],
        initial=0.95,
    )
    expected_rate = forms.FloatField(
        label=_("预计合格率（%，不确定填 50）"), min_value=1, max_value=99, initial=50
    )


class JudgeSettingsForm(forms.Form):
    """The model judge's settings; the API key is written, never shown back."""

    enabled = forms.BooleanField(label=_("启用模型预评"), required=False)
    base_url = forms.CharField(
        label=_("接口地址"),
        max_length=500,
        required=False,
        help_text=_("OpenAI 兼容接口，例如 vLLM 的 http://127.0.0.1:8000/v1"),
    )
    model = forms.CharField(label=_("模型名称"), max_length=200, required=False)
    api_key = forms.CharField(
        label=_("API 密钥"),
        max_length=500,
        required=False,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
        help_text=_("留空则保留已保存的密钥"),
    )
    clear_api_key = forms.BooleanField(label=_("清除已保存的密钥"), required=False)
    timeout_s = forms.IntegerField(label=_("超时（秒）"), min_value=1, max_value=600)
    retries = forms.IntegerField(label=_("失败重试次数"), min_value=0, max_value=10)
    requests_per_minute = forms.IntegerField(
        label=_("每分钟最多请求数"), min_value=0, max_value=100_000, help_text=_("0 表示不限")
    )
    price_input_per_million = forms.FloatField(
        label=_("输入价格（元/百万 tokens）"), min_value=0, max_value=100_000
    )
    price_output_per_million = forms.FloatField(
        label=_("输出价格（元/百万 tokens）"), min_value=0, max_value=100_000
    )
    send_unmasked = forms.BooleanField(
        label=_("发送完整的个人号码"),
        required=False,
        help_text=_("仅在模型部署在本中心内时勾选；默认发送前脱敏"),
    )

    SETTINGS = tuple(JudgeSettingsSpec.__dataclass_fields__)

    def clean_base_url(self) -> str:
        """An http(s) address; a bare host name (http://vllm:8000/v1) is fine, since the
        model usually runs inside the center."""
        url = str(self.cleaned_data.get("base_url") or "").strip()
        parts = urlsplit(url)
        if url and (parts.scheme not in ("http", "https") or not parts.netloc):
            raise forms.ValidationError(_("请填写以 http:// 或 https:// 开头的地址"))
        return url

    def spec(self) -> JudgeSettingsSpec:
        data = self.cleaned_data
        return JudgeSettingsSpec(
            enabled=bool(data["enabled"]),
            base_url=data["base_url"] or "",
            model=data["model"] or "",
            timeout_s=data["timeout_s"],
            retries=data["retries"],
            requests_per_minute=data["requests_per_minute"],
            price_input_per_million=data["price_input_per_million"],
            price_output_per_million=data["price_output_per_million"],
            send_unmasked=bool(data["send_unmasked"]),
        )


RESULT_CHOICES = [("pass", _("通过")), ("fail", _("扣分")), ("na", _("不适用"))]


@dataclass(frozen=True, slots=True)
class ReviewRow:
    """One scorecard item on the review page: the item, the engine's result, its fields."""

    item: Item
    auto: str
    auto_label: str
    result: forms.BoundField
    lost: forms.BoundField
    reason: forms.BoundField
    note: forms.BoundField
    explanation: ItemView | None = None  # why the machine answered as it did
    suggestion: Suggestion | None = None  # the model judge's answer for a manual item


class ReviewForm(forms.Form):
    """One row per scorecard item (result, points lost, reason, note), findings as
    parallel lists, and the reviewer's overall view."""

    summary = forms.CharField(
        label=_("总体评价"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    coaching_proposed = forms.BooleanField(label=_("建议对坐席单独辅导"), required=False)
    coaching_note = forms.CharField(
        label=_("辅导建议"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    training_need = forms.CharField(
        label=_("培训需求（提交给培训师）"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )

    def __init__(
        self,
        data: QueryDict | None = None,
        *,
        items: Iterable[Item],
        auto_results: dict[str, str],
        explanations: Mapping[str, ItemView] | None = None,
        suggestions: Mapping[str, Suggestion] | None = None,
    ) -> None:
        super().__init__(data)
        self.items = list(items)
        self.auto_results = auto_results
        self.explanations = explanations or {}
        self.suggestions = suggestions or {}
        for item in self.items:
            self.fields[f"result_{item.id}"] = forms.ChoiceField(
                label=item.title_in(get_language() or ""),
                choices=RESULT_CHOICES,
                initial=self._initial(item),
                widget=forms.RadioSelect,
            )
            self.fields[f"lost_{item.id}"] = forms.FloatField(
                label=_("扣分"), min_value=0, max_value=item.points, required=False
            )
            self.fields[f"reason_{item.id}"] = forms.CharField(
                label=_("推翻理由"), max_length=500, required=False
            )
            self.fields[f"note_{item.id}"] = forms.CharField(
                label=_("备注"), max_length=500, required=False
            )

    def _initial(self, item: Item) -> str | None:
        """The engine's result of an automatic item; the model judge's suggestion for a
        manual one (the reviewer's choice is what is saved)."""
        auto = self.auto_results.get(item.id, "")
        if auto in REVIEW_RESULTS:
            return auto
        suggestion = self.suggestions.get(item.id)
        return suggestion.result if suggestion is not None else None

    @property
    def rows(self) -> list[ReviewRow]:
        labels = dict(RESULT_CHOICES)
        return [
            ReviewRow(
                item=item,
                auto=self.auto_results.get(item.id, ""),
                auto_label=str(labels.get(self.auto_results.get(item.id, ""), "")),
                result=self[f"result_{item.id}"],
                lost=self[f"lost_{item.id}"],
                reason=self[f"reason_{item.id}"],
                note=self[f"note_{item.id}"],
                explanation=self.explanations.get(item.id),
                suggestion=self.suggestions.get(item.id),
            )
            for item in self.items
        ]

    def record(self) -> RecordInput:
        data = self.cleaned_data
        answers = {
            item.id: Answer(
                result=data[f"result_{item.id}"],
                points_lost=data.get(f"lost_{item.id}"),
                reason=data.get(f"reason_{item.id}") or "",
                note=data.get(f"note_{item.id}") or "",
            )
            for item in self.items
        }
        return RecordInput(
            answers=answers,
            findings=self.findings(),
            summary=data.get("summary") or "",
            coaching_proposed=bool(data.get("coaching_proposed")),
            coaching_note=data.get("coaching_note") or "",
            training_need=data.get("training_need") or "",
        )

    def findings(self) -> list[FindingInput]:
        """Findings the page added (parallel lists; a row without a note is an empty row)."""
        if self.data is None or not hasattr(self.data, "getlist"):
            return []
        columns = [
            self.data.getlist(name)
            for name in (
                "finding_note",
                "finding_scope",
                "finding_item",
                "finding_turn",
                "finding_start",
                "finding_end",
            )
        ]
        return [
            FindingInput(
                note=note,
                scope=scope if scope in FindingScope.values else "",
                item=item,
                turn=_int_or_none(turn),
                start_char=_int_or_none(start),
                end_char=_int_or_none(end),
            )
            for note, scope, item, turn, start, end in zip(*columns, strict=False)
            if note.strip() or turn
        ]


def _int_or_none(value: str) -> int | None:
    return int(value) if value.strip().isdigit() else None


def report_period(query: QueryDict) -> tuple[date | None, date | None]:
    """The ?from=YYYY-MM-DD&to=YYYY-MM-DD of a report page; a bad date filters nothing,
    like the contact list's filters."""

    def day(text: str | None) -> date | None:
        try:
            return date.fromisoformat(text) if text else None
        except ValueError:
            return None

    return day(query.get("from")), day(query.get("to"))
