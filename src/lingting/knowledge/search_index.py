"""Keeping the vault's search index: each article's search document, made from its live
version.

The article services call `article_index_refresh` after every change of what is live
(publish, withdraw, rollback, import); the owners' words page calls `article_reindex_all`,
since a new word or synonym can cut every text differently. An article without a live
version has no document. One that is live but not shown today (withdrawn, expired, not yet
effective) keeps its document: knowledge editors find it, and the search pages filter it
out for everyone else by the article's own dates, so a day's change needs no reindex.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import transaction

from lingting.engine.knowledge import ArticleContent
from lingting.engine.knowledge_search import KnowledgeSearcher
from lingting.knowledge.models import Article, ArticleSearchDocument
from lingting.knowledge.search import vault_searcher

REINDEX_CHUNK = 500


def article_index_refresh(*, article_ids: Sequence[int]) -> None:
    """Rewrite these articles' search documents from their live versions (or drop them)."""
    searcher = vault_searcher()
    for start in range(0, len(article_ids), REINDEX_CHUNK):
        ids = list(article_ids[start : start + REINDEX_CHUNK])
        documents = [
            search_document_of(searcher, article.pk, article.live.as_content())
            for article in Article.objects.filter(pk__in=ids, live__isnull=False).select_related(
                "live"
            )
            if article.live is not None
        ]
        with transaction.atomic():
            ArticleSearchDocument.objects.filter(article_id__in=ids).delete()
            ArticleSearchDocument.objects.bulk_create(documents)


def article_reindex_all() -> int:
    """Rebuild every article's search document; returns how many articles were indexed."""
    ids = list(Article.objects.filter(live__isnull=False).values_list("pk", flat=True))
    with transaction.atomic():
        ArticleSearchDocument.objects.all().delete()
        article_index_refresh(article_ids=ids)
    return len(ids)


def search_document_of(
    searcher: KnowledgeSearcher, article_id: int, content: ArticleContent
) -> ArticleSearchDocument:
    steps = [text for step in content.steps for text in (step.name, step.say)]
    terms = searcher.article_terms(
        head=[content.title, *content.wordings],
        body=[content.body, *steps, *content.tags, *content.products],
    )
    return ArticleSearchDocument(
        article_id=article_id,
        head=terms.head,
        body=terms.body,
        initials=terms.initials,
        products=framed(content.products),
        queues=framed(content.queues),
    )


def framed(names: Sequence[str]) -> str:
    """Names one a line with a line break before and after each ("" for none), so that
    `contains("\\n" + name + "\\n")` matches a whole name."""
    return "".join(f"\n{name}" for name in names) + "\n" if names else ""
