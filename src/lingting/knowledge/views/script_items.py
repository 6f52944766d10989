"""A script article's scorecard items (话术质检项): the YAML that checks agents followed
the script, and for QA supervisors the button that adds it to a new scorecard draft."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from lingting.core.permissions import request_user, require
from lingting.engine.results import SEVERITIES
from lingting.engine.script_items import (
    ScriptItemsError,
    ScriptTrigger,
    script_item_id,
    script_items_yaml,
)
from lingting.knowledge.models import ArticleVersion
from lingting.knowledge.permissions import may_edit_knowledge
from lingting.knowledge.selectors.script_items import (
    ScorecardTarget,
    scorecard_targets,
    script_version,
    suggested_trigger,
)
from lingting.knowledge.services.script_items import script_items_draft
from lingting.quality.permissions import may_edit_scorecards, may_see_scorecards

_PHRASE_SEPARATORS = re.compile(r"[\n、，,]+")
MAX_TRIGGER_PHRASES = 50
DEFAULT_POINTS = 2.0
DEFAULT_SEVERITY = "B"


class ScriptItemsForm(forms.Form):
    trigger = forms.CharField(
        label=gettext_lazy("触发词（每行一个，或用顿号分隔；留空为整通会话）"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    speaker = forms.ChoiceField(
        label=gettext_lazy("谁说的触发词"),
        choices=[
            ("customer", gettext_lazy("客户")),
            ("agent", gettext_lazy("客服")),
            ("any", gettext_lazy("任何一方")),
        ],
        initial="customer",
    )
    points = forms.FloatField(
        label=gettext_lazy("分值"), min_value=0, max_value=100, initial=DEFAULT_POINTS
    )
    severity = forms.ChoiceField(
        label=gettext_lazy("严重程度"),
        choices=[(s, s) for s in SEVERITIES],
        initial=DEFAULT_SEVERITY,
    )

    def clean_trigger(self) -> tuple[str, ...]:
        text: str = self.cleaned_data.get("trigger") or ""
        phrases = tuple(dict.fromkeys(p.strip() for p in _PHRASE_SEPARATORS.split(text)))
        phrases = tuple(p for p in phrases if p)
        if len(phrases) > MAX_TRIGGER_PHRASES:
            raise forms.ValidationError(
                _("触发词最多 %(count)s 个") % {"count": MAX_TRIGGER_PHRASES}
            )
        return phrases

    def script_trigger(self) -> ScriptTrigger | None:
        phrases = self.cleaned_data["trigger"]
        return ScriptTrigger(phrases, self.cleaned_data["speaker"]) if phrases else None


class AddToScorecardForm(ScriptItemsForm):
    target = forms.ChoiceField(label=gettext_lazy("加入评分表的大项"))

    def __init__(self, *args: Any, targets: list[ScorecardTarget], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.targets = {target.key: target for target in targets}
        target = self.fields["target"]
        assert isinstance(target, forms.ChoiceField)
        target.choices = [(t.key, t.label) for t in targets]


@require_http_methods(["GET", "POST"])
def script_items_page(request: HttpRequest, code: str) -> HttpResponse:
    user = request_user(request)
    require(may_see_scorecards(user))
    which = "open" if request.GET.get("version") == "open" else "live"
    version = script_version(code, which=which, with_drafts=may_edit_knowledge(user))
    if version is None:
        raise Http404("no such script version")
    may_add = may_edit_scorecards(user)
    targets = scorecard_targets() if may_add else []
    if request.method == "GET":
        initial = {"trigger": "\n".join(suggested_trigger(version))}
        # `?version=open` alone asks for the other version, not for other settings.
        asked = any(name in request.GET for name in ScriptItemsForm.base_fields)
        settings = ScriptItemsForm(request.GET if asked else None, initial=initial)
        add_form = AddToScorecardForm(
            initial=_as_sent(_chosen(settings)), targets=targets, auto_id="add_%s"
        )
        return _render(request, version, settings, add_form, may_add=may_add)
    require(may_add)
    settings = ScriptItemsForm(request.POST)
    add_form = AddToScorecardForm(request.POST, targets=targets, auto_id="add_%s")
    if add_form.is_valid():
        target = add_form.targets[add_form.cleaned_data["target"]]
        try:
            draft = script_items_draft(
                version=version,
                base=target.base,
                section_id=target.section_id,
                trigger=add_form.script_trigger(),
                points=add_form.cleaned_data["points"],
                severity=add_form.cleaned_data["severity"],
                actor=user,
            )
        except ValidationError as error:
            for problem in error.messages:
                add_form.add_error(None, problem)
        else:
            messages.success(request, _("话术质检项已加入新草稿，请检查后提交审批"))
            return redirect("quality:scorecard_version", version_id=draft.pk)
    return _render(request, version, settings, add_form, may_add=True, status=400)


def _render(
    request: HttpRequest,
    version: ArticleVersion,
    settings: ScriptItemsForm,
    add_form: AddToScorecardForm,
    *,
    may_add: bool,
    status: int = 200,
) -> HttpResponse:
    """The page, with the items' YAML for the settings chosen (the suggested ones at first)."""
    yaml_text, problem = "", ""
    chosen = _chosen(settings)
    if chosen is not None:
        trigger, points, severity = chosen
        try:
            yaml_text = script_items_yaml(
                version.as_content(),
                item_id=script_item_id(version.article.code),
                trigger=trigger,
                points=points,
                severity=severity,
            )
        except ScriptItemsError as error:
            problem = str(error)
    return render(
        request,
        "knowledge/script_items.html",
        {
            "article": version.article,
            "version": version,
            "content": version.as_content(),
            "settings": settings,
            "add_form": add_form,
            "yaml_text": yaml_text,
            "problem": problem,
            "may_add": may_add,
            "may_see_drafts": may_edit_knowledge(request_user(request)),
        },
        status=status,
    )


def _as_sent(chosen: tuple[ScriptTrigger | None, float, str] | None) -> dict[str, object]:
    """The chosen settings as the add form sends them again (one line: hidden inputs)."""
    if chosen is None:
        return {}
    trigger, points, severity = chosen
    return {
        "trigger": "、".join(trigger.phrases) if trigger else "",
        "speaker": trigger.speaker if trigger else "customer",
        "points": points,
        "severity": severity,
    }


def _chosen(settings: ScriptItemsForm) -> tuple[ScriptTrigger | None, float, str] | None:
    """The trigger, points and severity chosen (the initial ones when none were sent);
    None when one of them is wrong (the form shows why)."""
    if not settings.is_bound:
        phrases = tuple(p for p in str(settings.initial["trigger"]).split("\n") if p)
        return (ScriptTrigger(phrases) if phrases else None), DEFAULT_POINTS, DEFAULT_SEVERITY
    if not settings.is_valid():
        return None
    data = settings.cleaned_data
    return settings.script_trigger(), data["points"], data["severity"]
