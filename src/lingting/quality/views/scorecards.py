"""The scorecard editor (质检评分表): versions, drafts and their items, examples, the
preview against the version in force, approval, YAML import and export, and which
scorecard scores each queue."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lingting.core.permissions import request_user, require
from lingting.engine.results import SEVERITIES
from lingting.engine.scorecard import ScorecardError
from lingting.interactions.models import Queue
from lingting.quality.models import Scorecard, ScorecardVersion, VersionStatus
from lingting.quality.permissions import (
    may_approve_scorecard,
    may_edit_scorecards,
    may_see_scorecards,
)
from lingting.quality.selectors.scorecard_editor import (
    PREVIEW_CONTACTS,
    PREVIEW_DAYS,
    draft_preview,
    editor_document,
    editor_item,
    editor_items,
    editor_sections,
    queue_choices,
    scorecards_with_versions,
    version_examples_report,
)
from lingting.quality.services.scorecard_drafts import (
    HeaderInput,
    ItemInput,
    draft_approve,
    draft_create,
    draft_discard,
    draft_import,
    draft_reject,
    draft_remove_item,
    draft_save_header,
    draft_save_item,
    draft_submit,
    queue_scorecard_set,
)

MAX_UPLOAD_BYTES = 1024 * 1024
_TEXTAREA = {"rows": 6, "spellcheck": "false", "class": "code"}


class ImportForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("评分表 YAML 文件"))

    def clean_file(self) -> str:
        upload: UploadedFile[bytes] = self.cleaned_data["file"]
        if not (upload.name or "").lower().endswith((".yaml", ".yml")):
            raise forms.ValidationError(_("只能上传 .yaml 或 .yml 文件"))
        if (upload.size or 0) > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("文件超过 1 MB"))
        try:
            text: str = upload.read().decode("utf-8-sig")
            return text
        except UnicodeDecodeError:
            raise forms.ValidationError(_("文件不是 UTF-8 编码的文本")) from None


class HeaderForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("名称"), max_length=200)
    version = forms.CharField(label=gettext_lazy("版本号"), max_length=64)
    pass_mark = forms.FloatField(label=gettext_lazy("合格分"), min_value=0, max_value=100)
    description = forms.CharField(
        label=gettext_lazy("说明"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def header(self) -> HeaderInput:
        data = self.cleaned_data
        return HeaderInput(
            title=data["title"],
            version=data["version"],
            pass_mark=data["pass_mark"],
            description=data.get("description") or "",
        )


class ItemForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("名称"), max_length=200)
    points = forms.FloatField(label=gettext_lazy("分值"), min_value=0, max_value=100)
    severity = forms.ChoiceField(
        label=gettext_lazy("严重程度"), choices=[(s, s) for s in SEVERITIES]
    )
    fatal = forms.BooleanField(label=gettext_lazy("致命项（不合格即整通不合格）"), required=False)
    description = forms.CharField(
        label=gettext_lazy("说明"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    rule = forms.CharField(
        label=gettext_lazy("规则（YAML；留空为人工评分项）"),
        required=False,
        widget=forms.Textarea(attrs={**_TEXTAREA, "rows": 12}),
    )
    must_trigger = forms.CharField(
        label=gettext_lazy("必须触发的例子"), required=False, widget=forms.Textarea(attrs=_TEXTAREA)
    )
    must_not_trigger = forms.CharField(
        label=gettext_lazy("不得触发的例子"), required=False, widget=forms.Textarea(attrs=_TEXTAREA)
    )

    def item(self) -> ItemInput:
        data = self.cleaned_data
        return ItemInput(
            title=data["title"],
            points=data["points"],
            severity=data["severity"],
            fatal=bool(data.get("fatal")),
            description=data.get("description") or "",
            rule=data.get("rule") or "",
            must_trigger=data.get("must_trigger") or "",
            must_not_trigger=data.get("must_not_trigger") or "",
        )


class NewItemForm(ItemForm):
    item_id = forms.RegexField(
        label=gettext_lazy("代码（小写字母、数字和下划线）"),
        regex=r"^[a-z][a-z0-9_]*$",
        max_length=64,
    )
    section = forms.ChoiceField(label=gettext_lazy("所属大项"))

    field_order = ("item_id", "section")


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("驳回原因"), widget=forms.Textarea(attrs={"rows": 3})
    )


@require_GET
def scorecard_list(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    require(may_see_scorecards(user))
    scorecards = list(scorecards_with_versions())
    return render(
        request,
        "quality/scorecards/scorecard_list.html",
        {
            "scorecards": scorecards,
            "queues": queue_choices(),
            "may_edit": may_edit_scorecards(user),
            "import_form": ImportForm(),
        },
    )


@require_POST
def scorecard_import(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    require(may_edit_scorecards(user))
    form = ImportForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            draft = draft_import(text=form.cleaned_data["file"], actor=user)
        except ScorecardError as error:
            form.add_error(
                "file", _("文件有 %(count)s 处问题，未导入：") % {"count": len(error.problems)}
            )
            for problem in error.problems:
                form.add_error("file", problem)
        else:
            messages.success(request, _("已导入为草稿，请检查后提交审批"))
            return redirect("quality:scorecard_version", version_id=draft.pk)
    return render(
        request,
        "quality/scorecards/scorecard_list.html",
        {
            "scorecards": list(scorecards_with_versions()),
            "queues": queue_choices(),
            "may_edit": True,
            "import_form": form,
        },
        status=400,
    )


@require_POST
def queue_scorecard(request: HttpRequest, queue_id: int) -> HttpResponse:
    user = request_user(request)
    require(may_edit_scorecards(user))
    queue = get_object_or_404(Queue, pk=queue_id)
    chosen = request.POST.get("scorecard", "")
    scorecard = None
    if chosen:
        scorecard = get_object_or_404(Scorecard, pk=int(chosen) if chosen.isdigit() else 0)
    queue_scorecard_set(queue=queue, scorecard=scorecard, actor=user)
    messages.success(request, _("队列 %(queue)s 的评分表已保存，将按它重新评分") % {"queue": queue})
    return redirect(reverse("quality:scorecard_list") + "#queues")


@require_GET
def version_detail(request: HttpRequest, version_id: int) -> HttpResponse:
    user = request_user(request)
    require(may_see_scorecards(user))
    version = _version(version_id)
    return _render_version(request, version)


def _render_version(
    request: HttpRequest,
    version: ScorecardVersion,
    *,
    header_form: HeaderForm | None = None,
    reject_form: RejectForm | None = None,
    problems: list[str] | None = None,
    status: int = 200,
) -> HttpResponse:
    user = request_user(request)
    document = editor_document(version)
    editable = version.status == VersionStatus.DRAFT and may_edit_scorecards(user)
    if header_form is None and editable:
        header_form = HeaderForm(
            initial={
                "title": document.get("title", ""),
                "version": document.get("version", ""),
                "pass_mark": document.get("pass_mark", 80),
                "description": document.get("description", ""),
            }
        )
    return render(
        request,
        "quality/scorecards/version_detail.html",
        {
            "version": version,
            "document": document,
            "items": editor_items(version),
            "editable": editable,
            "header_form": header_form,
            "reject_form": reject_form or RejectForm(),
            "problems": problems or [],
            "may_edit": may_edit_scorecards(user),
            "may_submit": editable,
            "may_approve": version.status == VersionStatus.SUBMITTED
            and may_approve_scorecard(user, version),
            "own_submission": version.status == VersionStatus.SUBMITTED
            and version.submitted_by_id == user.pk,
        },
        status=status,
    )


@require_GET
def version_export(request: HttpRequest, version_id: int) -> HttpResponse:
    require(may_see_scorecards(request_user(request)))
    version = _version(version_id)
    response = HttpResponse(version.source_text, content_type="text/yaml; charset=utf-8")
    name = f"{version.scorecard.name}-v{version.number}.yaml"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_POST
def version_draft(request: HttpRequest, version_id: int) -> HttpResponse:
    user = request_user(request)
    require(may_edit_scorecards(user))
    draft = draft_create(base=_version(version_id), actor=user)
    messages.success(request, _("已新建草稿 %(number)s") % {"number": draft.number})
    return redirect("quality:scorecard_version", version_id=draft.pk)


@require_POST
def version_discard(request: HttpRequest, version_id: int) -> HttpResponse:
    user = request_user(request)
    require(may_edit_scorecards(user))
    version = _version(version_id)
    try:
        draft_discard(draft=version, actor=user)
    except ValidationError as error:
        return _render_version(request, version, problems=error.messages, status=400)
    messages.success(request, _("草稿已删除"))
    return redirect("quality:scorecard_list")


@require_POST
def version_header(request: HttpRequest, version_id: int) -> HttpResponse:
    user = request_user(request)
    require(may_edit_scorecards(user))
    version = _version(version_id)
    form = HeaderForm(request.POST)
    if form.is_valid():
        try:
            draft_save_header(draft=version, actor=user, header=form.header())
        except ScorecardError as error:
            for problem in error.problems:
                form.add_error(None, problem)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("评分表信息已保存"))
            return redirect("quality:scorecard_version", version_id=version.pk)
    return _render_version(request, version, header_form=form, status=400)


@require_http_methods(["GET", "POST"])
def version_item(request: HttpRequest, version_id: int, item_id: str) -> HttpResponse:
    user = request_user(request)
    require(may_see_scorecards(user))
    version = _version(version_id)
    item = editor_item(version, item_id)
    if item is None:
        raise Http404("no such item")
    editable = version.status == VersionStatus.DRAFT and may_edit_scorecards(user)
    form = ItemForm(request.POST if request.method == "POST" else None, initial=item.initial())
    if not editable:
        for field in form.fields.values():
            field.disabled = True
    if request.method == "POST":
        require(editable)
        if form.is_valid():
            try:
                draft_save_item(draft=version, actor=user, item_id=item_id, item=form.item())
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("评分项 %(item)s 已保存") % {"item": item.title})
                return redirect(
                    reverse("quality:scorecard_version", args=[version.pk]) + f"#item-{item_id}"
                )
    return render(
        request,
        "quality/scorecards/item_form.html",
        {"version": version, "item": item, "form": form, "editable": editable},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
def version_item_new(request: HttpRequest, version_id: int) -> HttpResponse:
    user = request_user(request)
    require(may_edit_scorecards(user))
    version = _version(version_id)
    if version.status != VersionStatus.DRAFT:
        raise Http404("only a draft takes new items")
    form = NewItemForm(
        request.POST if request.method == "POST" else None,
        initial={"severity": "C", "points": 2},
    )
    section = form.fields["section"]
    assert isinstance(section, forms.ChoiceField)
    section.choices = editor_sections(version)
    if request.method == "POST" and form.is_valid():
        item_id = form.cleaned_data["item_id"]
        try:
            draft_save_item(
                draft=version,
                actor=user,
                item_id=item_id,
                item=form.item(),
                section_id=form.cleaned_data["section"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("评分项 %(item)s 已添加") % {"item": item_id})
            return redirect(
                reverse("quality:scorecard_version", args=[version.pk]) + f"#item-{item_id}"
            )
    return render(
        request,
        "quality/scorecards/item_form.html",
        {"version": version, "item": None, "form": form, "editable": True},
        status=400 if form.errors else 200,
    )


@require_POST
def version_item_remove(request: HttpRequest, version_id: int, item_id: str) -> HttpResponse:
    user = request_user(request)
    require(may_edit_scorecards(user))
    version = _version(version_id)
    try:
        draft_remove_item(draft=version, actor=user, item_id=item_id)
    except ValidationError as error:
        return _render_version(request, version, problems=error.messages, status=400)
    messages.success(request, _("评分项 %(item)s 已删除") % {"item": item_id})
    return redirect("quality:scorecard_version", version_id=version.pk)


@require_GET
def version_examples(request: HttpRequest, version_id: int) -> HttpResponse:
    require(may_see_scorecards(request_user(request)))
    version = _version(version_id)
    report = version_examples_report(version)
    return render(
        request, "quality/scorecards/examples.html", {"version": version, "report": report}
    )


@require_GET
def version_preview(request: HttpRequest, version_id: int) -> HttpResponse:
    require(may_see_scorecards(request_user(request)))
    version = _version(version_id)
    days = _whole(request.GET.get("days"), default=PREVIEW_DAYS, low=1, high=365)
    preview = draft_preview(version, days=days)
    return render(
        request,
        "quality/scorecards/preview.html",
        {"version": version, "preview": preview, "limit": PREVIEW_CONTACTS},
    )


@require_POST
def version_submit(request: HttpRequest, version_id: int) -> HttpResponse:
    return _decide(
        request, version_id, lambda v, u: draft_submit(draft=v, actor=u), _("已提交审批")
    )


@require_POST
def version_approve(request: HttpRequest, version_id: int) -> HttpResponse:
    require(may_approve_scorecard(request_user(request), _version(version_id)))
    return _decide(
        request,
        version_id,
        lambda v, u: draft_approve(draft=v, actor=u),
        _("已批准并发布，正在按新版本重新评分"),
    )


@require_POST
def version_reject(request: HttpRequest, version_id: int) -> HttpResponse:
    user = request_user(request)
    version = _version(version_id)
    require(may_approve_scorecard(user, version))
    form = RejectForm(request.POST)
    if not form.is_valid():
        return _render_version(request, version, reject_form=form, status=400)
    return _decide(
        request,
        version_id,
        lambda v, u: draft_reject(draft=v, actor=u, reason=form.cleaned_data["reason"]),
        _("已驳回"),
    )


def _decide(request: HttpRequest, version_id: int, step: Any, done: str) -> HttpResponse:
    user = request_user(request)
    require(may_edit_scorecards(user))
    version = _version(version_id)
    try:
        step(version, user)
    except ValidationError as error:
        return _render_version(request, version, problems=error.messages, status=400)
    messages.success(request, done)
    return redirect("quality:scorecard_version", version_id=version.pk)


def _version(version_id: int) -> ScorecardVersion:
    return get_object_or_404(
        ScorecardVersion.objects.select_related(
            "scorecard", "created_by", "submitted_by", "decided_by", "based_on"
        ),
        pk=version_id,
    )


def _whole(raw: str | None, *, default: int, low: int, high: int) -> int:
    if raw is None or not raw.strip().isdigit():
        return default
    return min(max(int(raw), low), high)
