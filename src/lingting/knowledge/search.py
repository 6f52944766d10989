"""Reading the vault's search index: the searcher of this vault (the shipped words and its
owners' own) and which articles a query finds, with how well each matches.

Both databases find the same articles from the same terms (lingting.engine.knowledge_search)
and rank them alike: SQLite by FTS5's bm25 with the head's column weighted four times the
body's, PostgreSQL by ts_rank with the head's words at weight A and the body's at D
(migration 0004). Pinyin initials are searched only in their own field (FTS5's column,
PostgreSQL's weight B), so "td" the initials never meets "td" a word of the text.
"""

from __future__ import annotations

from functools import lru_cache

from django.db import connection

from lingting.engine.knowledge_search import (
    KnowledgeQuery,
    KnowledgeSearcher,
    read_synonyms,
    read_word_list,
)
from lingting.knowledge.models import ArticleSearchDocument, KnowledgeWords

MAX_QUERY_CHARS = 200
FTS_TABLE = f"{ArticleSearchDocument._meta.db_table}_fts"  # SQLite only (migration 0004)
HEAD_WEIGHT, BODY_WEIGHT, INITIALS_WEIGHT = 4.0, 1.0, 2.0  # FTS5 bm25's column weights


def vault_searcher() -> KnowledgeSearcher:
    """The searcher with the owners' words as stored now (checked when they were saved)."""
    words = KnowledgeWords.objects.first()
    if words is None:
        return _searcher("", "")
    return _searcher(words.dictionary, words.synonyms)


@lru_cache(maxsize=4)
def _searcher(dictionary: str, synonyms: str) -> KnowledgeSearcher:
    # Built once per process and word lists (~0.1 s): a change of the words is a new key.
    return KnowledgeSearcher(read_word_list(dictionary), read_synonyms(synonyms))


def article_scores(query: KnowledgeQuery) -> dict[int, float]:
    """The articles `query` finds, by id, with their scores (higher is better)."""
    if query.is_empty:
        return {}
    if connection.vendor == "postgresql":
        sql = (
            f"SELECT article_id, ts_rank(words, q) FROM {ArticleSearchDocument._meta.db_table},"
            " CAST(%s AS tsquery) q WHERE words @@ q"
        )
        condition = _tsquery(query)
        sign = 1.0
    else:
        sql = (
            f"SELECT rowid, bm25({FTS_TABLE}, {HEAD_WEIGHT}, {BODY_WEIGHT}, {INITIALS_WEIGHT})"
            f" FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s"
        )
        condition = _fts5_match(query)
        sign = -1.0  # bm25: lower is better
    with connection.cursor() as cursor:
        cursor.execute(sql, [condition])
        return {article_id: sign * score for article_id, score in cursor.fetchall()}


def _fts5_match(query: KnowledgeQuery) -> str:
    """An FTS5 query: each term quoted (a string, never syntax), words in the head or body,
    initials by prefix in theirs."""
    alternatives = []
    if query.groups:
        every_group = " AND ".join(
            "(" + " OR ".join(_quoted(word) for word in group) + ")" for group in query.groups
        )
        alternatives.append(f"({{head body}} : ({every_group}))")
    if query.initials:
        alternatives.append(f"(initials : {_quoted(query.initials)}*)")
    return " OR ".join(alternatives)


def _quoted(word: str) -> str:
    return '"{}"'.format(word.replace('"', '""'))


def _tsquery(query: KnowledgeQuery) -> str:
    """A tsquery of lexemes as the documents hold them (letters and digits only, so quoting
    is enough): words at the head's or body's weight, initials by prefix at theirs."""
    alternatives = []
    if query.groups:
        alternatives.append(
            " & ".join(
                "(" + " | ".join(f"'{word}':AD" for word in group) + ")" for group in query.groups
            )
        )
    if query.initials:
        alternatives.append(f"'{query.initials}':*B")
    return " | ".join(f"({alternative})" for alternative in alternatives)
