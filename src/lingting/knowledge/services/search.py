"""Writes of the vault's search: the owners' words (which reindex every article) and the
search log that the gaps page reads."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from lingting.core.models import User
from lingting.core.services import audit_record
from lingting.engine.knowledge_search import fold, read_synonyms, read_word_list
from lingting.knowledge.models import Article, KnowledgeSearch, KnowledgeWords
from lingting.knowledge.search import MAX_QUERY_CHARS
from lingting.knowledge.search_index import article_reindex_all


def knowledge_words_save(*, actor: User, dictionary: str, synonyms: str) -> KnowledgeWords:
    """Store the owners' dictionary and synonyms and reindex the vault with them. Raises
    WordsError (naming the line) before anything is stored."""
    read_word_list(dictionary)
    read_synonyms(synonyms)
    with transaction.atomic():
        # One row, pk 1: a second person saving at once waits for the first.
        words, _created = KnowledgeWords.objects.select_for_update().get_or_create(pk=1)
        before = {"dictionary": words.dictionary, "synonyms": words.synonyms}
        words.dictionary, words.synonyms, words.updated_by = dictionary, synonyms, actor
        words.save()
        audit_record(
            actor=actor,
            action="knowledge_words.update",
            object_type="knowledge_words",
            object_id=words.pk,
            before=before,
            after={"dictionary": dictionary, "synonyms": synonyms},
        )
        article_reindex_all()
    return words


def knowledge_search_record(*, user: User, query: str, results: int) -> KnowledgeSearch:
    """Log one search of the vault (a query with nothing to search is not logged)."""
    query = query.strip()[:MAX_QUERY_CHARS]
    return KnowledgeSearch.objects.create(
        user=user, query=query, folded=fold(query)[:MAX_QUERY_CHARS], results=results
    )


def knowledge_search_click(*, user: User, search_id: int, article: Article) -> None:
    """Log that `user` opened `article` from the results of their search `search_id` (the
    first article opened counts; someone else's search is left alone)."""
    KnowledgeSearch.objects.filter(pk=search_id, user=user, clicked__isnull=True).update(
        clicked=article, clicked_at=timezone.now()
    )
