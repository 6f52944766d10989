"""The vault's life cycle: drafts, four-eyes review, live edits, dates, withdrawal,
rollback, imports — and the trail each step leaves."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied

from lingting.core.models import AuditEvent, User
from lingting.engine.knowledge import ArticleContent, ArticleKind, article_content, article_record
from lingting.knowledge.models import Article, ArticleStatus, VersionState
from lingting.knowledge.services.articles import (
    KnowledgeError,
    article_create,
    article_edit,
    article_import,
    article_review,
    article_rollback,
    article_submit,
    article_withdraw,
)

TODAY = date(2026, 12, 6)


def answer(body: str = "发送短信 CXYE 到 10001 查询余额。") -> ArticleContent:
    return article_content(
        kind=ArticleKind.ANSWER,
        title="怎样查询话费余额",
        question="怎么查话费余额",
        alternates=["话费还剩多少"],
        body=body,
        category="话费/查询",
        tags=["话费"],
    )


def published(author: User, reviewer: User, content: ArticleContent | None = None) -> Article:
    article = article_create(actor=author, content=content or answer())
    article_submit(actor=author, article=article)
    article_review(actor=reviewer, article=article, approve=True)
    article.refresh_from_db()
    return article


def test_a_draft_goes_live_only_after_someone_else_approves_it(
    qa_zhao: User, ops_zhou: User
) -> None:
    article = article_create(actor=qa_zhao, content=answer())
    assert article.code == "KB-00001"
    assert article.status_on(TODAY) == ArticleStatus.DRAFT
    assert not article.shown_on(TODAY)

    article_submit(actor=qa_zhao, article=article)
    article.refresh_from_db()
    assert article.status_on(TODAY) == ArticleStatus.REVIEW
    with pytest.raises(KnowledgeError, match="自己编写"):
        article_review(actor=qa_zhao, article=article, approve=True)

    article_review(actor=ops_zhou, article=article, approve=True)
    article.refresh_from_db()
    assert article.status_on(TODAY) == ArticleStatus.PUBLISHED
    assert article.shown_on(TODAY)
    assert article.live is not None
    assert article.live.reviewer == ops_zhou
    actions = list(
        AuditEvent.objects.filter(object_id=article.code)
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == ["knowledge.create", "knowledge.submit", "knowledge.approve"]


def test_a_reviewer_sends_a_draft_back_with_a_reason_and_it_is_edited_again(
    qa_zhao: User, ops_zhou: User
) -> None:
    article = article_create(actor=qa_zhao, content=answer())
    article_submit(actor=qa_zhao, article=article)
    with pytest.raises(KnowledgeError, match="原因"):
        article_review(actor=ops_zhou, article=article, approve=False)
    article_review(actor=ops_zhou, article=article, approve=False, note="号码写错了")
    article.refresh_from_db()
    assert article.open is not None
    assert article.open.state == VersionState.REJECTED
    assert article.open.review_note == "号码写错了"

    article_edit(
        actor=qa_zhao,
        article=article,
        content=answer("发送 CXYE 到 10010。"),
        effective_from=None,
        expires_on=None,
    )
    article_submit(actor=qa_zhao, article=article)
    article.refresh_from_db()
    assert article.status_on(TODAY) == ArticleStatus.REVIEW


def test_a_live_article_keeps_answering_while_its_next_version_is_written(
    qa_zhao: User, ops_zhou: User
) -> None:
    article = published(qa_zhao, ops_zhou)
    draft = article_edit(
        actor=qa_zhao,
        article=article,
        content=answer("新的查询方式：拨打 10001。"),
        effective_from=None,
        expires_on=None,
        note="改为拨号查询",
    )
    article.refresh_from_db()
    assert draft.number == 2
    assert draft.state == VersionState.DRAFT
    assert article.live is not None
    assert article.live.as_content().body == "发送短信 CXYE 到 10001 查询余额。"
    assert article.status_on(TODAY) == ArticleStatus.PUBLISHED

    article_submit(actor=qa_zhao, article=article)
    article_review(actor=ops_zhou, article=article, approve=True)
    article.refresh_from_db()
    assert article.live == draft
    assert article.open is None
    assert article.live.as_content().body == "新的查询方式：拨打 10001。"


def test_dates_decide_when_an_article_is_shown_to_its_last_day(
    qa_zhao: User, ops_zhou: User
) -> None:
    article = published(qa_zhao, ops_zhou)
    article_edit(
        actor=qa_zhao,
        article=article,
        content=article.live.as_content(),  # type: ignore[union-attr]
        effective_from=date(2026, 12, 1),
        expires_on=date(2026, 12, 31),
    )
    article.refresh_from_db()
    assert not article.shown_on(date(2026, 11, 30))
    assert article.shown_on(date(2026, 12, 31))  # the last day of an offer still answers
    assert not article.shown_on(date(2027, 1, 1))
    assert article.status_on(date(2027, 1, 1)) == ArticleStatus.EXPIRED
    with pytest.raises(KnowledgeError, match="早于"):
        article_edit(
            actor=qa_zhao,
            article=article,
            content=answer(),
            effective_from=date(2026, 12, 31),
            expires_on=date(2026, 12, 1),
        )


def test_withdrawing_takes_an_article_out_of_answers_at_once(qa_zhao: User, ops_zhou: User) -> None:
    article = published(qa_zhao, ops_zhou)
    article_withdraw(actor=qa_zhao, article=article, note="活动提前结束")
    article.refresh_from_db()
    assert not article.shown_on(TODAY)
    assert article.status_on(TODAY) == ArticleStatus.EXPIRED
    event = AuditEvent.objects.get(action="knowledge.withdraw")
    assert event.note == "活动提前结束"
    assert event.actor == qa_zhao


def test_rolling_back_publishes_earlier_words_as_a_new_version(
    qa_zhao: User, ops_zhou: User
) -> None:
    article = published(qa_zhao, ops_zhou)
    article_edit(
        actor=qa_zhao,
        article=article,
        content=answer("错误的说明"),
        effective_from=None,
        expires_on=None,
    )
    article_submit(actor=qa_zhao, article=article)
    article_review(actor=ops_zhou, article=article, approve=True)

    with pytest.raises(KnowledgeError, match="原因"):
        article_rollback(actor=ops_zhou, article=article, number=1, note="")
    restored = article_rollback(actor=ops_zhou, article=article, number=1, note="第2版说明有误")
    article.refresh_from_db()
    assert restored.number == 3
    assert article.live == restored
    assert restored.as_content().body == "发送短信 CXYE 到 10001 查询余额。"
    assert "第2版说明有误" in restored.note
    assert [v.number for v in article.versions.all()] == [3, 2, 1]


def test_only_knowledge_owners_write_and_only_reviewers_approve(
    agent_li: User, leader_wang: User, qa_sun: User, qa_zhao: User
) -> None:
    for reader in (agent_li, leader_wang, qa_sun):
        with pytest.raises(PermissionDenied):
            article_create(actor=reader, content=answer())
    article = article_create(actor=qa_zhao, content=answer())
    article_submit(actor=qa_zhao, article=article)
    with pytest.raises(PermissionDenied):
        article_review(actor=leader_wang, article=article, approve=True)


def test_an_import_creates_updates_and_skips_by_code_and_reports_bad_records(
    ops_zhou: User,
) -> None:
    first = article_record(
        {"code": "KB-T1", "kind": "answer", "title": "停电了怎么办", "body": "先看邻居家是否有电。"}
    )
    script = article_record(
        {
            "code": "KB-T2",
            "kind": "script",
            "title": "辱骂客户处理",
            "steps": [{"name": "第一次警告", "say": "请您使用文明语言", "words": ["文明语言"]}],
        }
    )
    result = article_import(actor=ops_zhou, records=[(1, first), (2, script)], publish=True)
    assert (result.created, result.updated, result.unchanged) == (2, 0, 0)
    assert Article.objects.get(code="KB-T1").shown_on(TODAY)

    changed = article_record(
        {"code": "KB-T1", "kind": "answer", "title": "停电了怎么办", "body": "请先检查空气开关。"}
    )
    kind_changed = article_record(
        {"code": "KB-T2", "kind": "answer", "title": "辱骂客户处理", "body": "改成问答"}
    )
    again = article_import(
        actor=ops_zhou, records=[(1, changed), (2, script), (3, kind_changed)], publish=True
    )
    assert (again.created, again.updated, again.unchanged) == (0, 1, 1)
    assert [(e.line, e.text) for e in again.errors] == [(3, "辱骂客户处理")]
    live = Article.objects.get(code="KB-T1").live
    assert live is not None
    assert live.as_content().body == "请先检查空气开关。"
    assert Article.objects.get(code="KB-T2").kind == "script"
