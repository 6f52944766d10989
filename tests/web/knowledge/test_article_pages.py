"""The vault's pages as each role uses them: agents read what is shown today, owners write
and submit, reviewers approve, the history shows what changed, every form needs CSRF."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from django.test import Client
from django.utils import timezone

from lingting.core.models import User
from lingting.engine.knowledge import ArticleKind, article_content
from lingting.knowledge.models import Article, VersionState
from lingting.knowledge.services.articles import (
    article_create,
    article_edit,
    article_review,
    article_submit,
)

ClientFor = Callable[[User], Client]


def live_article(author: User, reviewer: User, body: str = "拨打 10001 按 1 查询余额。") -> Article:
    article = article_create(
        actor=author,
        content=article_content(
            kind=ArticleKind.ANSWER, title="怎样查询话费余额", body=body, category="话费/查询"
        ),
    )
    article_submit(actor=author, article=article)
    article_review(actor=reviewer, article=article, approve=True)
    article.refresh_from_db()
    return article


def test_an_agent_reads_articles_shown_today_and_never_drafts_or_expired_ones(
    client_for: ClientFor, agent_li: User, qa_zhao: User, ops_zhou: User
) -> None:
    live_article(qa_zhao, ops_zhou)
    article_create(
        actor=qa_zhao,
        content=article_content(kind=ArticleKind.POLICY, title="未发布的新资费", body="草稿"),
    )
    ended = live_article(qa_zhao, ops_zhou)
    yesterday = timezone.localdate() - timedelta(days=1)
    article_edit(
        actor=qa_zhao,
        article=ended,
        content=ended.live.as_content(),  # type: ignore[union-attr]
        effective_from=None,
        expires_on=yesterday,
    )
    client = client_for(agent_li)
    page = client.get("/knowledge/").content.decode()
    assert "KB-00001" in page
    assert "未发布的新资费" not in page
    assert "KB-00003" not in page
    assert client.get("/knowledge/a/KB-00001/").status_code == 200
    assert client.get("/knowledge/a/KB-00002/").status_code == 404
    assert client.get("/knowledge/a/KB-00003/").status_code == 404
    assert client.get("/knowledge/new/").status_code == 403
    assert client.get("/knowledge/a/KB-00001/history/").status_code == 403


def test_an_owner_writes_a_script_in_the_form_and_a_reviewer_publishes_it(
    client_for: ClientFor, qa_zhao: User, ops_zhou: User
) -> None:
    owner = client_for(qa_zhao)
    answer = owner.post(
        "/knowledge/new/",
        {
            "kind": "script",
            "title": "辱骂客户处理",
            "category": "服务规范/特殊客户",
            "queues": "ACD-03、ACD-01",
            "steps-TOTAL_FORMS": "3",
            "steps-INITIAL_FORMS": "0",
            "steps-0-name": "第一次警告",
            "steps-0-say": "请您使用文明语言，否则我们将结束这次通话。",
            "steps-0-words": "文明语言，结束这次通话",
            "steps-1-name": "第二次警告",
            "steps-1-say": "请您尊重本次对话。",
            "steps-1-avoid": "闭嘴",
        },
    )
    article = Article.objects.get()
    assert answer.status_code == 302
    assert answer["Location"] == f"/knowledge/a/{article.code}/"
    content = article.open.as_content()  # type: ignore[union-attr]
    assert [s.name for s in content.steps] == ["第一次警告", "第二次警告"]
    assert content.steps[0].words == ("文明语言", "结束这次通话")
    assert content.queues == ("ACD-03", "ACD-01")

    owner.post(f"/knowledge/a/{article.code}/submit/")
    reviewer = client_for(ops_zhou)
    assert article.code in reviewer.get("/knowledge/review/").content.decode()
    reviewer.post(f"/knowledge/a/{article.code}/approve/", {"note": "可以"})
    article.refresh_from_db()
    assert article.live is not None
    assert article.live.state == VersionState.PUBLISHED
    page = client_for(qa_zhao).get(f"/knowledge/a/{article.code}/").content.decode()
    assert "请您尊重本次对话。" in page
    assert "已发布" in page


def test_a_bad_form_is_told_in_chinese_and_nothing_is_stored(
    client_for: ClientFor, qa_zhao: User
) -> None:
    answer = client_for(qa_zhao).post(
        "/knowledge/new/",
        {
            "kind": "script",
            "title": "没有步骤的话术",
            "steps-TOTAL_FORMS": "0",
            "steps-INITIAL_FORMS": "0",
        },
    )
    assert answer.status_code == 200
    assert "服务话术至少要有一个步骤" in answer.content.decode()
    assert not Article.objects.exists()


def test_the_history_shows_what_changed_and_rolls_back(
    client_for: ClientFor, qa_zhao: User, ops_zhou: User
) -> None:
    article = live_article(qa_zhao, ops_zhou, body="月租 58 元，含 30GB 流量。")
    article_edit(
        actor=qa_zhao,
        article=article,
        content=article_content(
            kind=ArticleKind.ANSWER,
            title="怎样查询话费余额",
            body="月租 68 元，含 30GB 流量。",
            category="话费/查询",
        ),
        effective_from=None,
        expires_on=None,
        note="调价",
    )
    page = client_for(qa_zhao).get(f"/knowledge/a/{article.code}/history/").content.decode()
    assert "<del>58</del><ins>68</ins>" in page
    assert "调价" in page

    article_submit(actor=qa_zhao, article=article)
    article_review(actor=ops_zhou, article=article, approve=True)
    reviewer = client_for(ops_zhou)
    reviewer.post(f"/knowledge/a/{article.code}/rollback/", {"number": "1", "note": "调价未获批"})
    article.refresh_from_db()
    assert article.live is not None
    assert article.live.number == 3
    assert "58 元" in article.live.as_content().body


def test_an_article_title_with_markup_is_shown_as_text(
    client_for: ClientFor, qa_zhao: User
) -> None:
    article_create(
        actor=qa_zhao,
        content=article_content(
            kind=ArticleKind.CASE, title="<script>alert(1)</script>", body="<b>案例</b>"
        ),
    )
    page = client_for(qa_zhao).get("/knowledge/a/KB-00001/").content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;b&gt;案例&lt;/b&gt;" in page


def test_posting_without_a_csrf_token_is_refused(qa_zhao: User) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(qa_zhao)
    answer = client.post("/knowledge/new/", {"kind": "answer", "title": "x", "body": "y"})
    assert answer.status_code == 403
    assert not Article.objects.exists()


def test_what_a_reviewer_publishes_is_found_by_search_and_a_rollback_is_searched_again(
    client_for: ClientFor, agent_li: User, qa_zhao: User, ops_zhou: User
) -> None:
    article = live_article(qa_zhao, ops_zhou, body="发送 CXYE 到 10001。")
    agent = client_for(agent_li)
    found = f"/open/{article.code}/"  # a result's link (its title is highlighted word by word)
    assert found in agent.get("/knowledge/search/?q=话费余额").content.decode()
    assert found in agent.get("/knowledge/search/?q=CXYE").content.decode()
    article_edit(
        actor=qa_zhao,
        article=article,
        content=article_content(
            kind=ArticleKind.ANSWER, title="怎样查询话费余额", body="拨打 10001 按 2 号键。"
        ),
        effective_from=None,
        expires_on=None,
    )
    article_submit(actor=qa_zhao, article=article)
    article_review(actor=ops_zhou, article=article, approve=True)
    assert found not in agent.get("/knowledge/search/?q=CXYE").content.decode()
    client_for(ops_zhou).post(
        f"/knowledge/a/{article.code}/rollback/", {"number": "1", "note": "新号码未开通"}
    )
    assert found in agent.get("/knowledge/search/?q=CXYE").content.decode()
