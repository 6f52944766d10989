"""The vault's pages: the article list, an article, its editor, its history with the
difference between versions, and the review queue. The writes are
`lingting.knowledge.services.articles`."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import formset_factory
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from lingting.core.params import int_param
from lingting.core.permissions import request_user, require
from lingting.engine.knowledge import (
    MAX_STEPS,
    ArticleContent,
    ArticleError,
    ArticleKind,
    ScriptStep,
    article_content,
)
from lingting.knowledge.models import Article, ArticleStatus, KindChoice
from lingting.knowledge.permissions import may_edit_knowledge, may_review_knowledge
from lingting.knowledge.selectors.articles import (
    ArticleFilters,
    article_list,
    article_versions,
    categories,
    versions_compared,
    visible_articles,
    waiting_for_review,
)
from lingting.knowledge.services.articles import (
    KnowledgeError,
    article_create,
    article_edit,
    article_review,
    article_rollback,
    article_submit,
    article_withdraw,
)
from lingting.quality.permissions import may_see_scorecards

BLANK_STEP_ROWS = 2  # empty step rows under a script's steps (no script needed to add one)
LIST_SEPARATORS = str.maketrans({"、": ",", "，": ",", "\n": ","})
FIELD_LABELS = {
    "title": gettext_lazy("标题"),
    "question": gettext_lazy("标准问题"),
    "alternates": gettext_lazy("相似问法"),
    "body": gettext_lazy("正文"),
    "steps": gettext_lazy("话术步骤"),
    "category": gettext_lazy("分类"),
    "products": gettext_lazy("适用产品"),
    "tags": gettext_lazy("标签"),
    "queues": gettext_lazy("适用队列"),
}
STATUS_BADGES = {
    ArticleStatus.DRAFT: "badge-muted",
    ArticleStatus.REVIEW: "badge-open",
    ArticleStatus.PUBLISHED: "badge-pass",
    ArticleStatus.EXPIRED: "badge-fail",
}


class ArticleForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("类型"), choices=KindChoice.choices)
    title = forms.CharField(label=gettext_lazy("标题"), max_length=200)
    question = forms.CharField(
        label=gettext_lazy("标准问题"),
        max_length=200,
        required=False,
        help_text=gettext_lazy("标准问答：客户最常用的问法；不填则用标题"),
    )
    alternates = forms.CharField(
        label=gettext_lazy("相似问法"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("每行一种问法"),
    )
    body = forms.CharField(
        label=gettext_lazy("正文"), required=False, widget=forms.Textarea(attrs={"rows": 10})
    )
    category = forms.CharField(
        label=gettext_lazy("分类"),
        max_length=200,
        required=False,
        help_text=gettext_lazy("用 / 分级，如 话费/查询"),
    )
    products = forms.CharField(label=gettext_lazy("适用产品"), required=False)
    tags = forms.CharField(label=gettext_lazy("标签"), required=False)
    queues = forms.CharField(
        label=gettext_lazy("适用队列"),
        required=False,
        help_text=gettext_lazy("队列编号，用逗号分隔"),
    )
    effective_from = forms.DateField(
        label=gettext_lazy("生效日期"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    expires_on = forms.DateField(
        label=gettext_lazy("失效日期"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=gettext_lazy("当天仍然有效，次日起不再出现在答案中"),
    )
    note = forms.CharField(label=gettext_lazy("修改说明"), max_length=500, required=False)


class StepForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("步骤"), max_length=200, required=False)
    say = forms.CharField(
        label=gettext_lazy("话术"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    words = forms.CharField(label=gettext_lazy("关键词"), required=False)
    avoid = forms.CharField(label=gettext_lazy("禁用语"), required=False)


StepFormSet = formset_factory(StepForm, extra=BLANK_STEP_ROWS, max_num=MAX_STEPS)


def article_index(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    today = timezone.localdate()
    filters = ArticleFilters(
        kind=request.GET.get("kind", ""),
        status=request.GET.get("status", "") if may_edit_knowledge(user) else "",
        category=request.GET.get("category", ""),
    )
    articles = list(article_list(user, today, filters)[:500])
    rows = [(article, article.status_on(today)) for article in articles]
    return render(
        request,
        "knowledge/list.html",
        {
            "rows": [(a, s, STATUS_BADGES[s]) for a, s in rows],
            "filters": filters,
            "kinds": KindChoice.choices,
            "statuses": ArticleStatus.choices,
            "categories": categories(user, today),
            "may_edit": may_edit_knowledge(user),
            "review_count": waiting_for_review().count() if may_review_knowledge(user) else 0,
        },
    )


def article_detail(request: HttpRequest, code: str) -> HttpResponse:
    user = request_user(request)
    today = timezone.localdate()
    article = _visible_article(request, code)
    editing = may_edit_knowledge(user)
    shown = article.live if article.live and not (editing and "draft" in request.GET) else None
    version = shown or (article.open if editing else None)
    if version is None:
        raise Http404
    status = article.status_on(today)
    return render(
        request,
        "knowledge/detail.html",
        {
            "article": article,
            "version": version,
            "content": version.as_content(),
            "status": status,
            "badge": STATUS_BADGES[status],
            "shown_today": article.shown_on(today),
            "may_edit": editing,
            "may_review": may_review_knowledge(user),
            "is_script": article.kind == ArticleKind.SCRIPT,
            "may_see_items": may_see_scorecards(user),
        },
    )


@require_http_methods(["GET", "POST"])
def article_new(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    require(may_edit_knowledge(user))
    initial = {"kind": request.GET.get("kind", ArticleKind.ANSWER), "question": ""}
    if request.GET.get("question"):  # from the gaps list: a question nobody found answered
        initial.update(question=request.GET["question"], title=request.GET["question"])
    form = ArticleForm(request.POST or None, initial=initial)
    steps = StepFormSet(request.POST or None, prefix="steps")
    if request.method == "POST":
        content = _content_from(form, steps)
        if content is not None:
            try:
                article = article_create(
                    actor=user,
                    content=content,
                    effective_from=form.cleaned_data["effective_from"],
                    expires_on=form.cleaned_data["expires_on"],
                    note=form.cleaned_data["note"],
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("已保存为草稿，提交审核后发布"))
                return redirect("knowledge:detail", code=article.code)
    return render(request, "knowledge/edit.html", {"form": form, "steps": steps, "article": None})


@require_http_methods(["GET", "POST"])
def article_change(request: HttpRequest, code: str) -> HttpResponse:
    user = request_user(request)
    require(may_edit_knowledge(user))
    article = _visible_article(request, code)
    current = article.open or article.live
    assert current is not None  # every article has a version
    if request.method == "POST":
        form = ArticleForm(request.POST)
        steps = StepFormSet(request.POST, prefix="steps")
        content = _content_from(form, steps, kind=article.kind)
        if content is not None:
            try:
                article_edit(
                    actor=user,
                    article=article,
                    content=content,
                    effective_from=form.cleaned_data["effective_from"],
                    expires_on=form.cleaned_data["expires_on"],
                    note=form.cleaned_data["note"],
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("已保存修订草稿；现行版本在审核通过前继续有效"))
                return redirect(_detail_url(article, draft=True))
    else:
        form, steps = _forms_for(article, current.as_content())
    return render(
        request, "knowledge/edit.html", {"form": form, "steps": steps, "article": article}
    )


def article_history(request: HttpRequest, code: str) -> HttpResponse:
    user = request_user(request)
    require(may_edit_knowledge(user))
    article = _visible_article(request, code)
    versions = article_versions(article)
    by_number = {v.number: v for v in versions}
    newer = by_number.get(int_param(request.GET, "b", 0) or 0) or versions[0]
    older = by_number.get(int_param(request.GET, "a", 0) or 0) or (
        versions[1] if len(versions) > 1 else newer
    )
    return render(
        request,
        "knowledge/history.html",
        {
            "article": article,
            "versions": versions,
            "older": older,
            "newer": newer,
            "changes": [
                (FIELD_LABELS.get(change.field, change.field), change.runs)
                for change in versions_compared(older, newer)
            ],
            "may_review": may_review_knowledge(user),
        },
    )


def review_queue(request: HttpRequest) -> HttpResponse:
    require(may_review_knowledge(request_user(request)))
    return render(request, "knowledge/review.html", {"articles": list(waiting_for_review())})


@require_POST
def article_act(request: HttpRequest, code: str, action: str) -> HttpResponse:
    user = request_user(request)
    article = _visible_article(request, code)
    note = request.POST.get("note", "")
    try:
        if action == "submit":
            article_submit(actor=user, article=article)
            messages.success(request, _("已提交审核"))
        elif action in ("approve", "reject"):
            article_review(actor=user, article=article, approve=action == "approve", note=note)
            messages.success(request, _("已发布") if action == "approve" else _("已退回修改"))
        elif action == "withdraw":
            article_withdraw(actor=user, article=article, note=note)
            messages.success(request, _("已下线，不再出现在答案中"))
        elif action == "rollback":
            number = int_param(request.POST, "number", 0) or 0
            restored = article_rollback(actor=user, article=article, number=number, note=note)
            messages.success(request, _("已回滚，现行版本为第 %(n)d 版") % {"n": restored.number})
        else:
            raise Http404
    except KnowledgeError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(_detail_url(article, draft=action in ("submit", "reject")))


def _visible_article(request: HttpRequest, code: str) -> Article:
    article = visible_articles(request_user(request), timezone.localdate()).filter(code=code)
    found = article.first()
    if found is None:
        raise Http404
    return found


def _detail_url(article: Article, *, draft: bool) -> str:
    url = reverse("knowledge:detail", kwargs={"code": article.code})
    return url + "?draft" if draft else url


def _content_from(
    form: ArticleForm, steps: Any, *, kind: str | None = None
) -> ArticleContent | None:
    """The article the forms describe, or None with the reason on the form."""
    if not form.is_valid() or not steps.is_valid():
        return None
    data = form.cleaned_data
    chosen = ArticleKind(kind or data["kind"])
    try:
        return article_content(
            kind=chosen,
            title=data["title"],
            body=data["body"],
            question=data["question"],
            alternates=data["alternates"].splitlines(),
            steps=_steps_from(steps) if chosen is ArticleKind.SCRIPT else (),
            category=data["category"],
            products=_list(data["products"]),
            tags=_list(data["tags"]),
            queues=_list(data["queues"]),
        )
    except ArticleError as error:
        form.add_error(None, _ARTICLE_ERRORS.get(str(error), str(error)))
        return None


def _steps_from(steps: Any) -> list[ScriptStep]:
    return [
        ScriptStep(
            name=row["name"].strip() or _("步骤 %(n)d") % {"n": n},
            say=row["say"].strip(),
            words=tuple(_list(row["words"])),
            avoid=tuple(_list(row["avoid"])),
        )
        for n, row in enumerate((r for r in steps.cleaned_data if r.get("say")), start=1)
    ]


def _forms_for(article: Article, content: ArticleContent) -> tuple[ArticleForm, Any]:
    form = ArticleForm(
        initial={
            "kind": article.kind,
            "title": content.title,
            "question": content.question,
            "alternates": "\n".join(content.alternates),
            "body": content.body,
            "category": content.category,
            "products": "，".join(content.products),
            "tags": "，".join(content.tags),
            "queues": "，".join(content.queues),
            "effective_from": article.effective_from,
            "expires_on": article.expires_on,
        }
    )
    steps = StepFormSet(
        prefix="steps",
        initial=[
            {"name": s.name, "say": s.say, "words": "，".join(s.words), "avoid": "，".join(s.avoid)}
            for s in content.steps
        ],
    )
    return form, steps


def _list(text: str) -> list[str]:
    return [part.strip() for part in text.translate(LIST_SEPARATORS).split(",") if part.strip()]


# The engine's reasons, as a knowledge owner reads them in the form.
_ARTICLE_ERRORS = {
    "title is empty": gettext_lazy("请填写标题"),
    "a script needs at least one step": gettext_lazy("服务话术至少要有一个步骤（填写话术内容）"),
    "body is empty": gettext_lazy("请填写正文"),
}
