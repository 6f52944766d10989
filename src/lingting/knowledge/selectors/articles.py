"""Reading the vault: which articles a person sees, an article's versions and the
difference between two of them, and what waits for review."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Q, QuerySet

from lingting.core.models import User
from lingting.engine.knowledge import FieldChange, content_changes
from lingting.knowledge.models import Article, ArticleStatus, ArticleVersion, VersionState
from lingting.knowledge.permissions import may_edit_knowledge


@dataclass(frozen=True, slots=True)
class ArticleFilters:
    kind: str = ""
    status: str = ""
    category: str = ""  # this category and those under it


def shown_condition(day: date) -> Q:
    """Articles that answers, the bot and suggestions use on `day`."""
    return (
        Q(live__isnull=False, withdrawn=False)
        & (Q(effective_from__isnull=True) | Q(effective_from__lte=day))
        & (Q(expires_on__isnull=True) | Q(expires_on__gte=day))
    )


def visible_articles(user: User, day: date) -> QuerySet[Article]:
    """Knowledge owners see every article; everyone else what is shown today."""
    articles = Article.objects.select_related("live", "open", "owner")
    return articles if may_edit_knowledge(user) else articles.filter(shown_condition(day))


def article_list(user: User, day: date, filters: ArticleFilters) -> QuerySet[Article]:
    articles = visible_articles(user, day)
    if filters.kind:
        articles = articles.filter(kind=filters.kind)
    if filters.category:
        articles = articles.filter(
            Q(category=filters.category) | Q(category__startswith=filters.category + "/")
        )
    if filters.status:
        articles = articles.filter(_status_condition(filters.status, day))
    return articles.order_by("category", "code")


def categories(user: User, day: date) -> list[str]:
    """Every category in use, and each one above it (话费/查询 brings 话费)."""
    found: set[str] = set()
    for name in visible_articles(user, day).values_list("category", flat=True).distinct():
        parts = name.split("/") if name else []
        found.update("/".join(parts[: n + 1]) for n in range(len(parts)))
    return sorted(found)


def article_versions(article: Article) -> list[ArticleVersion]:
    return list(article.versions.select_related("author", "reviewer").order_by("-number"))


def versions_compared(older: ArticleVersion, newer: ArticleVersion) -> list[FieldChange]:
    return content_changes(older.as_content(), newer.as_content())


def waiting_for_review() -> QuerySet[Article]:
    return (
        Article.objects.filter(open__state=VersionState.REVIEW)
        .select_related("open", "open__author", "live")
        .order_by("open__updated_at")
    )


def _status_condition(status: str, day: date) -> Q:
    expired = Q(live__isnull=False) & (Q(withdrawn=True) | Q(expires_on__lt=day))
    if status == ArticleStatus.EXPIRED:
        return expired
    if status == ArticleStatus.PUBLISHED:
        return Q(live__isnull=False) & ~expired
    if status == ArticleStatus.REVIEW:
        return Q(live__isnull=True, open__state=VersionState.REVIEW)
    return Q(live__isnull=True) & ~Q(open__state=VersionState.REVIEW)
