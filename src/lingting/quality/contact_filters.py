"""What the contact list is narrowed to (`ContactFilters`, the score bands) and its filter
form: GET parameters in, `ContactFilters` out. Sampling plans read a saved list filter with
the same form."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

from django import forms
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from lingting.core.models import Agent, Team, User
from lingting.core.params import BoundedDateField
from lingting.core.permissions import may_see_personal_numbers, visible_agents
from lingting.interactions.models import Queue, Topic
from lingting.interactions.search import MAX_QUERY_CHARS
from lingting.quality.models import CustomerEmotion


class ScoreBand(StrEnum):
    LOW = "lt60"
    FAIR = "60-80"
    GOOD = "80-90"
    EXCELLENT = "gte90"

    @property
    def label(self) -> Promise:
        return _BAND_LABELS[self]

    @property
    def bounds(self) -> tuple[float | None, float | None]:
        """[low, high) of the band's scores; None is open."""
        return _BAND_BOUNDS[self]

    @classmethod
    def of(cls, score: float) -> ScoreBand:
        for band in cls:
            low, high = band.bounds
            if (low is None or score >= low) and (high is None or score < high):
                return band
        return cls.LOW  # only NaN gets here: show it as the worst band, never crash


_BAND_LABELS: dict[ScoreBand, Promise] = {
    ScoreBand.LOW: _("60 分以下"),
    ScoreBand.FAIR: _("60–80 分"),
    ScoreBand.GOOD: _("80–90 分"),
    ScoreBand.EXCELLENT: _("90 分及以上"),
}
_BAND_BOUNDS: dict[ScoreBand, tuple[float | None, float | None]] = {
    ScoreBand.LOW: (None, 60),
    ScoreBand.FAIR: (60, 80),
    ScoreBand.GOOD: (80, 90),
    ScoreBand.EXCELLENT: (90, None),
}


@dataclass(frozen=True, slots=True)
class ContactFilters:
    """What the contact list is narrowed to; every field empty means everything visible."""

    date_from: date | None = None  # local date of started_at, inclusive
    date_to: date | None = None  # inclusive
    queue_id: int | None = None
    team_id: int | None = None
    agent_id: int | None = None
    score_band: ScoreBand | None = None
    failed_item: str = ""
    fatal_only: bool = False
    unscored: bool = False
    topic_id: int | None = None  # 客户之声: the contacts put in this topic
    query: str = ""  # the search box: words said, a tag, a contact id or a phone number
    # What the contact meant (ContactMeaning): the customer's emotion at the end and at its
    # strongest (any of these), resolved ("yes", "no", "unclear"), predicted satisfaction
    # below this percentage.
    emotion_end: tuple[str, ...] = ()
    emotion_peak: tuple[str, ...] = ()
    resolved: str = ""
    satisfaction_below: int | None = None

    @property
    def is_empty(self) -> bool:
        return self == ContactFilters()


# The built-in scorecard's stable item ids (FORMATS.md); titles may be translated.
STANDARD_ITEMS = [
    ("opening", _("开头语")),
    ("closing", _("结束语")),
    ("forbidden_phrases", _("服务禁语")),
    ("insults", _("侮辱攻击语言")),
    ("filler_words", _("口头禅")),
    ("polite_words", _("礼貌用语")),
    ("thanks", _("致谢语")),
    ("apology", _("致歉语")),
    ("identity_check", _("核实信息")),
    ("order_flow", _("订单流程")),
    ("answer_speed", _("应答时限")),
    ("speech_rate", _("语速")),
    ("dead_air", _("冷场/静默")),
    ("interruption", _("打断客户")),
    ("hold", _("保持时长")),
    ("agent_hangup_first", _("先于客户挂机")),
]


class Resolved(StrEnum):
    YES = "yes"
    NO = "no"
    UNCLEAR = "unclear"


RESOLVED_CHOICES = [
    ("", _("全部")),
    (Resolved.YES.value, _("已解决")),
    (Resolved.NO.value, _("未解决")),
    (Resolved.UNCLEAR.value, _("不明")),
]


class AgentChoiceField(forms.ModelChoiceField[Agent]):
    def label_from_instance(self, obj: Agent) -> str:
        return f"{obj.code} {obj.name}".strip()


class ContactFilterForm(forms.Form):
    q = forms.CharField(
        label=_("搜索"),
        required=False,
        max_length=MAX_QUERY_CHARS,
        widget=forms.SearchInput(),
    )
    date_from = BoundedDateField(
        label=_("开始日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = BoundedDateField(
        label=_("结束日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    queue = forms.ModelChoiceField(
        label=_("ACD组"), queryset=Queue.objects.none(), required=False, empty_label=_("全部")
    )
    team = forms.ModelChoiceField(
        label=_("班组"), queryset=Team.objects.none(), required=False, empty_label=_("全部")
    )
    agent = AgentChoiceField(
        label=_("坐席"), queryset=Agent.objects.none(), required=False, empty_label=_("全部")
    )
    score_band = forms.ChoiceField(
        label=_("得分段"),
        required=False,
        choices=[("", _("全部")), *((band.value, band.label) for band in ScoreBand)],
    )
    failed_item = forms.ChoiceField(
        label=_("扣分项"), required=False, choices=[("", _("全部")), *STANDARD_ITEMS]
    )
    topic = forms.ModelChoiceField(
        label=_("话题"), queryset=Topic.objects.none(), required=False, empty_label=_("全部")
    )
    fatal_only = forms.BooleanField(label=_("仅致命项"), required=False)
    unscored = forms.BooleanField(label=_("仅未评分"), required=False)
    emotion_end = forms.MultipleChoiceField(
        label=_("结束时客户情绪"),
        required=False,
        choices=CustomerEmotion.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    emotion_peak = forms.MultipleChoiceField(
        label=_("客户最强情绪"),
        required=False,
        choices=CustomerEmotion.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    resolved = forms.ChoiceField(label=_("问题解决"), required=False, choices=RESOLVED_CHOICES)
    satisfaction_below = forms.IntegerField(
        label=_("预测满意度低于（%）"), required=False, min_value=1, max_value=100
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        agents = visible_agents(user)
        # Only roles that may see personal numbers search by them (lingting.interactions.search).
        self.fields["q"].widget.attrs["placeholder"] = (
            _("说过的话、标签、联络编号或电话号码")
            if may_see_personal_numbers(user)
            else _("说过的话、标签或联络编号")
        )
        self.fields["queue"].queryset = Queue.objects.order_by("code")  # type: ignore[attr-defined]
        self.fields["team"].queryset = Team.objects.filter(  # type: ignore[attr-defined]
            pk__in=agents.values("team")
        ).order_by("code")
        self.fields["agent"].queryset = agents.order_by("code")  # type: ignore[attr-defined]
        self.fields["topic"].queryset = Topic.objects.order_by("id")  # type: ignore[attr-defined]

    def filters(self) -> ContactFilters:
        """The valid part of the input; a field that does not validate filters nothing."""
        if not self.is_bound:
            return ContactFilters()
        self.is_valid()
        data = self.cleaned_data
        queue, team, agent = data.get("queue"), data.get("team"), data.get("agent")
        topic = data.get("topic")
        band = data.get("score_band")
        return ContactFilters(
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            queue_id=queue.pk if queue else None,
            team_id=team.pk if team else None,
            agent_id=agent.pk if agent else None,
            score_band=ScoreBand(band) if band else None,
            failed_item=data.get("failed_item") or "",
            fatal_only=bool(data.get("fatal_only")),
            unscored=bool(data.get("unscored")),
            topic_id=topic.pk if topic else None,
            query=data.get("q") or "",
            emotion_end=tuple(data.get("emotion_end") or ()),
            emotion_peak=tuple(data.get("emotion_peak") or ()),
            resolved=data.get("resolved") or "",
            satisfaction_below=data.get("satisfaction_below"),
        )
