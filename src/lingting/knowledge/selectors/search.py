"""Reads of the vault's search pages: the articles a query finds (best first, filtered,
with the matched words marked), the gaps the search log shows, the owners' words."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Count, Max, OuterRef, Q, QuerySet, Subquery

from lingting.engine.knowledge_search import KnowledgeQuery, marked, marked_snippet
from lingting.knowledge.models import (
    Article,
    ArticleSearchDocument,
    KnowledgeSearch,
    KnowledgeWords,
)
from lingting.knowledge.search import article_scores, vault_searcher

RESULTS_SHOWN = 50
GAPS_SHOWN = 200

Marked = list[tuple[str, bool]]  # text in parts, True where a query's word matched


@dataclass(frozen=True, slots=True)
class SearchFilters:
    kind: str = ""
    category: str = ""  # this category or any under it ("话费" takes "话费/查询")
    product: str = ""
    queue: str = ""  # articles for this queue, and those for every queue (none named)


@dataclass(frozen=True, slots=True)
class ArticleHit:
    article: Article
    title: Marked
    snippet: Marked
    shown: bool  # shown today (editors also find the rest)


@dataclass(frozen=True, slots=True)
class SearchResults:
    query: KnowledgeQuery
    hits: list[ArticleHit]
    total: int


@dataclass(frozen=True, slots=True)
class Gap:
    """Searches of one folded query that opened no article."""

    folded: str
    query: str  # its latest wording
    searches: int
    without_results: int
    people: int
    last_at: datetime


@dataclass(frozen=True, slots=True)
class FilterChoices:
    categories: list[str]
    products: list[str]
    queues: list[str]


def shown_on(day: date) -> Q:
    """A filter on articles: those shown on `day` (Article.shown_on as a query)."""
    return (
        Q(live__isnull=False, withdrawn=False)
        & (Q(effective_from__isnull=True) | Q(effective_from__lte=day))
        & (Q(expires_on__isnull=True) | Q(expires_on__gte=day))
    )


def knowledge_search(
    *, text: str, filters: SearchFilters, day: date, shown_only: bool
) -> SearchResults:
    """The articles `text` finds, best first (the first RESULTS_SHOWN of them); with
    `shown_only`, only those shown on `day`."""
    query = vault_searcher().query(text)
    scores = article_scores(query)
    found = _filtered(Article.objects.filter(pk__in=list(scores)), filters)
    if shown_only:
        found = found.filter(shown_on(day))
    ids = sorted(found.values_list("pk", flat=True), key=lambda pk: (-scores[pk], pk))
    page = Article.objects.filter(pk__in=ids[:RESULTS_SHOWN]).select_related("live")
    by_id = {article.pk: article for article in page}
    hits = [_hit(by_id[pk], query, day) for pk in ids[:RESULTS_SHOWN]]
    return SearchResults(query=query, hits=hits, total=len(ids))


def knowledge_filter_choices() -> FilterChoices:
    """What the filters offer: the categories (each level) and the products and queues
    that indexed articles name."""
    categories: set[str] = set()
    for category in Article.objects.exclude(category="").values_list("category", flat=True):
        parts = category.split("/")
        categories.update("/".join(parts[: n + 1]) for n in range(len(parts)))
    products: set[str] = set()
    queues: set[str] = set()
    for framed_products, framed_queues in ArticleSearchDocument.objects.values_list(
        "products", "queues"
    ):
        products.update(name for name in framed_products.split("\n") if name)
        queues.update(name for name in framed_queues.split("\n") if name)
    return FilterChoices(sorted(categories), sorted(products), sorted(queues))


def knowledge_gaps(*, since: datetime) -> list[Gap]:
    """Queries searched since `since` that opened no article (no results, or none the
    searcher chose), one row per folded query, the most recently searched first."""
    unopened = KnowledgeSearch.objects.filter(searched_at__gte=since, clicked__isnull=True)
    latest_wording = unopened.filter(folded=OuterRef("folded")).order_by("-searched_at")
    rows = (
        unopened.exclude(folded="")
        .values("folded")
        .annotate(
            searches=Count("pk"),
            without_results=Count("pk", filter=Q(results=0)),
            people=Count("user", distinct=True),
            last_at=Max("searched_at"),
            query_text=Subquery(latest_wording.values("query")[:1]),
        )
        .order_by("-last_at", "folded")[:GAPS_SHOWN]
    )
    return [
        Gap(
            folded=row["folded"],
            query=row["query_text"],
            searches=row["searches"],
            without_results=row["without_results"],
            people=row["people"],
            last_at=row["last_at"],
        )
        for row in rows
    ]


def knowledge_words() -> KnowledgeWords:
    """The owners' words as stored (an unsaved empty row before anyone saved any)."""
    return KnowledgeWords.objects.select_related("updated_by").first() or KnowledgeWords()


def _filtered(articles: QuerySet[Article], filters: SearchFilters) -> QuerySet[Article]:
    if filters.kind:
        articles = articles.filter(kind=filters.kind)
    if filters.category:
        articles = articles.filter(
            Q(category=filters.category) | Q(category__startswith=f"{filters.category}/")
        )
    if filters.product:
        articles = articles.filter(search_document__products__contains=f"\n{filters.product}\n")
    if filters.queue:
        articles = articles.filter(
            Q(search_document__queues="")
            | Q(search_document__queues__contains=f"\n{filters.queue}\n")
        )
    return articles


def _hit(article: Article, query: KnowledgeQuery, day: date) -> ArticleHit:
    words = query.words
    content = article.live.as_content() if article.live is not None else None
    texts = (
        [
            content.body,
            *(step.say for step in content.steps),
            *content.wordings,
            *content.tags,
            *content.products,
        ]
        if content is not None
        else []
    )
    return ArticleHit(
        article=article,
        title=marked(article.title, words),
        snippet=marked_snippet(texts, words),
        shown=article.shown_on(day),
    )
