"""Writing the vault: an article's drafts, review, publication, withdrawal and rollback, and
imports of many articles at once.

The life cycle (seed 003's dynamic management of business material): a knowledge owner writes
a draft and submits it; a reviewer — someone else, four eyes — approves it (it goes live,
replacing the version before) or sends it back with a note. A live article is edited as a new
draft while the live version keeps answering. Withdrawing takes an article out of answers at
once; its dates do so on their own (shown from `effective_from` until `expires_on`, its last
day). Rolling back publishes an earlier version's words again as a new version, so the
history only grows. Every step is audited in the same transaction.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lingting.core.models import User
from lingting.core.services import audit_record
from lingting.engine.knowledge import ArticleContent, ArticleRecord
from lingting.engine.reader import LineError
from lingting.knowledge.models import Article, ArticleVersion, VersionState
from lingting.knowledge.permissions import (
    may_approve_own,
    may_edit_knowledge,
    may_review_knowledge,
)
from lingting.knowledge.search_index import article_index_refresh


class KnowledgeError(ValidationError):
    """A step the article's state does not allow; the message says why."""


@dataclass(frozen=True, slots=True)
class ImportResult:
    created: int
    updated: int
    unchanged: int
    errors: list[LineError]  # records refused (a kind changed, dates out of order …)


def article_create(
    *,
    actor: User | None,
    content: ArticleContent,
    code: str = "",
    effective_from: date | None = None,
    expires_on: date | None = None,
    note: str = "",
) -> Article:
    """A new article with its first version, a draft (`actor` None: the system, for an
    import an administrator runs)."""
    _require(actor is None or may_edit_knowledge(actor))
    _check_dates(effective_from, expires_on)
    with transaction.atomic():
        article = Article.objects.create(
            code=code or _next_code(),
            kind=content.kind.value,
            owner=actor,
            effective_from=effective_from,
            expires_on=expires_on,
            title=content.title,
            category=content.category,
        )
        version = ArticleVersion.objects.create(
            article=article, number=1, content=content.to_dict(), note=note, author=actor
        )
        article.open = version
        article.save(update_fields=["open"])
        audit_record(
            actor=actor,
            action="knowledge.create",
            object_type="article",
            object_id=article.code,
            after=content.to_dict(),
            note=note,
        )
    return article


def article_edit(
    *,
    actor: User | None,
    article: Article,
    content: ArticleContent,
    effective_from: date | None,
    expires_on: date | None,
    note: str = "",
) -> ArticleVersion:
    """Save new words as the open draft (a new one after the live version, or the draft
    being written; a version in review goes back to draft). Dates apply at once."""
    _require(actor is None or may_edit_knowledge(actor))
    _check_dates(effective_from, expires_on)
    if content.kind.value != article.kind:
        raise KnowledgeError(_("文章类型不能修改"))
    with transaction.atomic():
        article = Article.objects.select_for_update().get(pk=article.pk)
        draft = article.open
        before = (draft or article.live or _latest(article)).as_content()
        if draft is None:
            draft = ArticleVersion.objects.create(
                article=article,
                number=_latest(article).number + 1,
                content=content.to_dict(),
                note=note,
                author=actor,
            )
        else:
            draft.content = content.to_dict()
            draft.state = VersionState.DRAFT
            draft.note = note or draft.note
            draft.author = actor
            draft.save(update_fields=["content", "state", "note", "author", "updated_at"])
        dates_before = _dates(article)
        article.open = draft
        article.effective_from, article.expires_on = effective_from, expires_on
        if article.live_id is None:
            article.title, article.category = content.title, content.category
        article.save()
        audit_record(
            actor=actor,
            action="knowledge.edit",
            object_type="article",
            object_id=article.code,
            before={**before.to_dict(), **dates_before},
            after={**content.to_dict(), **_dates(article)},
            note=note,
        )
    return draft


def article_submit(*, actor: User, article: Article) -> ArticleVersion:
    """Send the open draft to review."""
    _require(may_edit_knowledge(actor))
    with transaction.atomic():
        article = Article.objects.select_for_update().get(pk=article.pk)
        draft = _open_in(article, VersionState.DRAFT, VersionState.REJECTED)
        draft.state = VersionState.REVIEW
        draft.save(update_fields=["state", "updated_at"])
        _audit_step(actor, article, "knowledge.submit", draft)
    return draft


def article_review(
    *, actor: User, article: Article, approve: bool, note: str = ""
) -> ArticleVersion:
    """Approve the version in review (it goes live) or send it back with `note`."""
    _require(may_review_knowledge(actor))
    with transaction.atomic():
        article = Article.objects.select_for_update().get(pk=article.pk)
        version = _open_in(article, VersionState.REVIEW)
        if approve and version.author_id == actor.pk and not may_approve_own(actor):
            raise KnowledgeError(_("不能审核自己编写的版本，请由其他审核人审核"))
        if not approve and not note.strip():
            raise KnowledgeError(_("退回时请写明原因"))
        version.reviewer, version.reviewed_at = actor, timezone.now()
        version.review_note = note.strip()
        if approve:
            _make_live(article, version)
        else:
            version.state = VersionState.REJECTED
            version.save(update_fields=["state", "reviewer", "reviewed_at", "review_note"])
        _audit_step(actor, article, "knowledge.approve" if approve else "knowledge.reject", version)
        if approve:
            article_index_refresh(article_ids=[article.pk])
    return version


def article_withdraw(*, actor: User, article: Article, note: str) -> Article:
    """Take an article out of answers now (an offer stopped early, a policy revoked)."""
    _require(may_edit_knowledge(actor))
    if not note.strip():
        raise KnowledgeError(_("下线时请写明原因"))
    with transaction.atomic():
        article = Article.objects.select_for_update().get(pk=article.pk)
        if article.live_id is None or article.withdrawn:
            raise KnowledgeError(_("这篇文章没有在用的版本"))
        article.withdrawn = True
        article.save(update_fields=["withdrawn", "updated_at"])
        audit_record(
            actor=actor,
            action="knowledge.withdraw",
            object_type="article",
            object_id=article.code,
            before={"withdrawn": False},
            after={"withdrawn": True},
            note=note.strip(),
        )
    return article


def article_rollback(*, actor: User, article: Article, number: int, note: str) -> ArticleVersion:
    """Publish version `number`'s words again, as a new version (a reviewer's act: the
    words were approved before). An open draft is kept, to be finished or replaced."""
    _require(may_review_knowledge(actor))
    if not note.strip():
        raise KnowledgeError(_("回滚时请写明原因"))
    with transaction.atomic():
        article = Article.objects.select_for_update().get(pk=article.pk)
        earlier = ArticleVersion.objects.filter(article=article, number=number).first()
        if earlier is None or earlier.published_at is None:
            raise KnowledgeError(_("只能回滚到曾经发布过的版本"))
        if article.live_id == earlier.pk and not article.withdrawn:
            raise KnowledgeError(_("这个版本正在使用，无需回滚"))
        restored = ArticleVersion.objects.create(
            article=article,
            number=_latest(article).number + 1,
            content=earlier.content,
            note=_("回滚到第 %(number)d 版：%(note)s") % {"number": number, "note": note.strip()},
            author=actor,
            reviewer=actor,
            reviewed_at=timezone.now(),
        )
        open_draft = article.open
        _make_live(article, restored)
        if open_draft is not None:
            article.open = open_draft
            article.save(update_fields=["open"])
        _audit_step(actor, article, "knowledge.rollback", restored)
        article_index_refresh(article_ids=[article.pk])
    return restored


def article_import(
    *, actor: User | None, records: Iterable[tuple[int, ArticleRecord]], publish: bool = False
) -> ImportResult:
    """Create or update an article per (line number, record) (by code; a record without one
    is new). `publish`: each new or changed version goes live at once, approved by `actor` —
    for a reviewer loading a vault they already checked; otherwise it waits as a draft. A
    record that cannot be stored is that line's error; the others are stored. `actor` None:
    the system (`lingting knowledge_import`, the demo)."""
    _require(
        actor is None
        or (may_edit_knowledge(actor) and (not publish or may_review_knowledge(actor)))
    )
    created = updated = unchanged = 0
    changed: list[int] = []
    errors: list[LineError] = []
    for line, record in records:
        article = Article.objects.filter(code=record.code).first() if record.code else None
        if article is not None and _same(article, record):
            unchanged += 1
            continue
        try:
            with transaction.atomic():
                new = article is None
                article = _import_one(actor, article, record)
                if publish:
                    _publish_imported(actor, article)
                    article_index_refresh(article_ids=[article.pk])
        except KnowledgeError as error:
            errors.append(LineError(line, " ".join(error.messages), record.content.title))
            continue
        created, updated = created + new, updated + (not new)
        changed.append(article.pk)
    return ImportResult(created, updated, unchanged, errors)


def _import_one(actor: User | None, article: Article | None, record: ArticleRecord) -> Article:
    if article is None:
        return article_create(
            actor=actor,
            content=record.content,
            code=record.code,
            effective_from=record.effective_from,
            expires_on=record.expires_on,
            note=_("导入"),
        )
    article_edit(
        actor=actor,
        article=article,
        content=record.content,
        effective_from=record.effective_from,
        expires_on=record.expires_on,
        note=_("导入"),
    )
    return article


def _publish_imported(actor: User | None, article: Article) -> None:
    article = Article.objects.select_for_update().get(pk=article.pk)
    version = _open_in(article, VersionState.DRAFT, VersionState.REJECTED)
    version.reviewer, version.reviewed_at = actor, timezone.now()
    _make_live(article, version)
    _audit_step(actor, article, "knowledge.approve", version)


def _make_live(article: Article, version: ArticleVersion) -> None:
    """`version` becomes the one answers come from; the article shows it again if withdrawn."""
    version.state = VersionState.PUBLISHED
    version.published_at = timezone.now()
    version.save()
    content = version.as_content()
    article.live, article.open, article.withdrawn = version, None, False
    article.title, article.category = content.title, content.category
    article.save()


def _same(article: Article, record: ArticleRecord) -> bool:
    current = article.open or article.live
    return (
        current is not None
        and current.content == record.content.to_dict()
        and (article.effective_from, article.expires_on)
        == (record.effective_from, record.expires_on)
    )


def _open_in(article: Article, *states: VersionState) -> ArticleVersion:
    version = article.open
    if version is None or version.state not in states:
        wanted = "、".join(str(state.label) for state in states)
        raise KnowledgeError(_("没有处于「%(states)s」状态的版本") % {"states": wanted})
    return version


def _latest(article: Article) -> ArticleVersion:
    return ArticleVersion.objects.filter(article=article).latest("number")


def _next_code() -> str:
    """KB-00001 and on: the highest number yet, plus one."""
    numbers = [
        int(code[3:])
        for code in Article.objects.filter(code__regex=r"^KB-[0-9]+$").values_list(
            "code", flat=True
        )
    ]
    return f"KB-{max(numbers, default=0) + 1:05d}"


def _check_dates(effective_from: date | None, expires_on: date | None) -> None:
    if effective_from and expires_on and expires_on < effective_from:
        raise KnowledgeError(_("失效日期不能早于生效日期"))


def _dates(article: Article) -> dict[str, str | None]:
    def shown(day: date | None) -> str | None:
        return day.isoformat() if day else None

    return {
        "effective_from": shown(article.effective_from),
        "expires_on": shown(article.expires_on),
    }


def _audit_step(actor: User | None, article: Article, action: str, version: ArticleVersion) -> None:
    audit_record(
        actor=actor,
        action=action,
        object_type="article",
        object_id=article.code,
        after={"version": version.number, "state": version.state},
        note=version.review_note or version.note,
    )


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied(_("你不能修改知识库"))
