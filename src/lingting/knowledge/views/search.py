"""The vault's search pages: searching articles (for everyone signed in), the gaps the
search log shows and the owners' words (for knowledge editors). The reads are
`lingting.knowledge.selectors.search`, the writes `lingting.knowledge.services.search`."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lingting.core.params import int_param
from lingting.core.permissions import request_user, require
from lingting.engine.knowledge_search import (
    LONELY_SYNONYM,
    NOT_A_WORD,
    TOO_LONG,
    TOO_MANY,
    WordsError,
    read_synonyms,
    read_word_list,
)
from lingting.knowledge.models import Article, KindChoice
from lingting.knowledge.permissions import may_edit_knowledge
from lingting.knowledge.search import MAX_QUERY_CHARS
from lingting.knowledge.selectors.search import (
    SearchFilters,
    knowledge_filter_choices,
    knowledge_gaps,
    knowledge_search,
    knowledge_words,
)
from lingting.knowledge.services.search import (
    knowledge_search_click,
    knowledge_search_record,
    knowledge_words_save,
)

DEFAULT_GAP_DAYS = 30
MAX_GAP_DAYS = 365
WORDS_PROBLEM_TEXTS = {
    NOT_A_WORD: gettext_lazy("词语只能由汉字、字母和数字组成"),
    TOO_LONG: gettext_lazy("词语太长"),
    LONELY_SYNONYM: gettext_lazy("一组同义词至少要有两个词"),
    TOO_MANY: gettext_lazy("词语太多"),
}


class SearchForm(forms.Form):
    q = forms.CharField(label=gettext_lazy("搜索知识"), max_length=MAX_QUERY_CHARS, required=False)
    kind = forms.ChoiceField(
        label=gettext_lazy("类型"),
        required=False,
        choices=[("", gettext_lazy("全部类型")), *KindChoice.choices],
    )
    category = forms.CharField(label=gettext_lazy("分类"), max_length=200, required=False)
    product = forms.CharField(label=gettext_lazy("产品"), max_length=200, required=False)
    queue = forms.CharField(label=gettext_lazy("队列"), max_length=200, required=False)


class WordsForm(forms.Form):
    dictionary = forms.CharField(
        label=gettext_lazy("自定义词典"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=gettext_lazy("每行一个词：产品名、业务简称、客户常用说法；# 之后为注释"),
    )
    synonyms = forms.CharField(
        label=gettext_lazy("同义词"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=gettext_lazy("每行一组，词之间用空格分隔，如：停电 断电 没电"),
    )

    def clean_dictionary(self) -> str:
        return _checked(self.cleaned_data["dictionary"], read_word_list)

    def clean_synonyms(self) -> str:
        return _checked(self.cleaned_data["synonyms"], read_synonyms)


def _checked(text: str, read: Callable[[str], object]) -> str:
    """`text` if `read` can read it, or the form's error naming the wrong line."""
    try:
        read(text)
    except WordsError as error:
        raise forms.ValidationError(
            _("第 %(line)d 行“%(text)s”：%(problem)s")
            % {
                "line": error.line,
                "text": error.text,
                "problem": WORDS_PROBLEM_TEXTS[error.problem],
            }
        ) from error
    return text


@require_GET
def search(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    form = SearchForm(request.GET)
    results = search_id = None
    if form.is_valid() and form.cleaned_data["q"].strip():
        data = form.cleaned_data
        results = knowledge_search(
            text=data["q"],
            filters=SearchFilters(
                kind=data["kind"],
                category=data["category"].strip(),
                product=data["product"].strip(),
                queue=data["queue"].strip(),
            ),
            day=timezone.localdate(),
            shown_only=not may_edit_knowledge(user),
        )
        if not results.query.is_empty:  # punctuation alone is no question for the gaps
            search_id = knowledge_search_record(
                user=user, query=data["q"], results=results.total
            ).pk
    return render(
        request,
        "knowledge/search.html",
        {
            "form": form,
            "results": results,
            "search_id": search_id,
            "choices": knowledge_filter_choices(),
            "may_edit": may_edit_knowledge(user),
        },
    )


@require_POST
def search_open(request: HttpRequest, search_id: int, code: str) -> HttpResponse:
    """Log that the article was opened from a search's results, then open it."""
    article = get_object_or_404(Article, code=code)
    knowledge_search_click(user=request_user(request), search_id=search_id, article=article)
    return redirect(reverse("knowledge:detail", args=[article.code]))


@require_GET
def gaps(request: HttpRequest) -> HttpResponse:
    require(may_edit_knowledge(request_user(request)))
    days = int_param(request.GET, "days", DEFAULT_GAP_DAYS, minimum=1, maximum=MAX_GAP_DAYS)
    assert days is not None  # a default is given
    since = timezone.now() - timedelta(days=days)
    return render(
        request,
        "knowledge/gaps.html",
        {
            "gaps": knowledge_gaps(since=since),
            "days": days,
            "day_choices": (7, 30, 90),
            "create_url": reverse("knowledge:create"),
        },
    )


@require_http_methods(["GET", "POST"])
def words(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    require(may_edit_knowledge(user))
    stored = knowledge_words()
    form = WordsForm(
        request.POST or None,
        initial={"dictionary": stored.dictionary, "synonyms": stored.synonyms},
    )
    if request.method == "POST" and form.is_valid():
        knowledge_words_save(
            actor=user,
            dictionary=form.cleaned_data["dictionary"],
            synonyms=form.cleaned_data["synonyms"],
        )
        messages.success(request, _("词典和同义词已保存，知识库已按新词重新建立索引"))
        return redirect("knowledge:words")
    return render(request, "knowledge/words.html", {"form": form, "stored": stored})
