"""Searching the vault: two-character words, traditional and full-width queries, pinyin
initials, synonyms, ranking and filters, what agents and editors see, the search log and its
gaps, and the owners' words page."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from lingting.core.models import AuditEvent, User
from lingting.engine.knowledge import ArticleKind, ScriptStep, article_content
from lingting.knowledge.models import (
    Article,
    ArticleSearchDocument,
    ArticleVersion,
    KnowledgeSearch,
    KnowledgeWords,
    VersionState,
)
from lingting.knowledge.search_index import article_index_refresh

MakeArticle = Callable[..., Article]


@pytest.fixture
def make_article(db: None) -> MakeArticle:
    """An article with a published live version, indexed as the services index it."""

    def made(code: str, title: str, *, body: str = "", **fields: Any) -> Article:
        dates = {key: fields.pop(key) for key in ("effective_from", "expires_on") if key in fields}
        fields.setdefault("kind", ArticleKind.ANSWER)
        content = article_content(title=title, body=body, **fields)
        article = Article.objects.create(
            code=code,
            kind=content.kind.value,
            title=content.title,
            category=content.category,
            **dates,
        )
        article.live = ArticleVersion.objects.create(
            article=article,
            number=1,
            state=VersionState.PUBLISHED,
            content=content.to_dict(),
            published_at=timezone.now(),
        )
        article.save(update_fields=["live"])
        article_index_refresh(article_ids=[article.pk])
        return article

    return made


@pytest.fixture
def vault(make_article: MakeArticle) -> dict[str, Article]:
    today = timezone.localdate()
    return {
        "power": make_article(
            "KB-1",
            "停电了怎么办",
            body="我家停电了：先看电闸，再查是否欠费，最后报修。",
            category="用电/故障",
            products=["居民用电"],
            queues=["ACD-02"],
        ),
        "bill": make_article(
            "KB-2",
            "怎样查询话费余额",
            question="怎么查话费余额",
            alternates=["话费还剩多少"],
            body="发送短信 CXYE 到 10001。",
            category="话费/查询",
            products=["5G畅享套餐"],
        ),
        "huabei": make_article(
            "KB-3",
            "蚂蚁花呗还款",
            kind=ArticleKind.POLICY,
            body="每月 10 日前还款免息。",
            category="支付",
        ),
        "abuse": make_article(
            "KB-4",
            "辱骂来电处理",
            kind=ArticleKind.SCRIPT,
            steps=[ScriptStep(name="第一次警告", say="请您文明用语，否则我将结束通话。")],
            category="服务规范",
        ),
        "old_offer": make_article(
            "KB-5",
            "宽带提速优惠",
            body="老用户宽带免费提速到 500M。",
            category="宽带/优惠",
            expires_on=today - timedelta(days=1),
        ),
    }


def codes_found(client: Client, query: str, **filters: str) -> list[str]:
    response = client.get("/knowledge/search/", {"q": query, **filters})
    assert response.status_code == 200
    return [hit.article.code for hit in response.context["results"].hits]


def test_an_agent_finds_a_two_character_word_inside_a_sentence(
    vault: dict[str, Article], agent_li: User, client_for: Callable[[User], Client]
) -> None:
    client = client_for(agent_li)
    assert codes_found(client, "停电") == ["KB-1"]
    assert codes_found(client, "话费") == ["KB-2"]
    assert codes_found(client, "花呗") == ["KB-3"]
    page = client.get("/knowledge/search/", {"q": "欠费"}).content.decode()
    assert '<mark class="hit">欠费</mark>' in page


def test_traditional_full_width_and_pinyin_initials_find_the_article(
    vault: dict[str, Article], agent_li: User, client_for: Callable[[User], Client]
) -> None:
    client = client_for(agent_li)
    assert codes_found(client, "話費") == ["KB-2"]
    assert codes_found(client, "ＣＸＹＥ") == ["KB-2"]
    assert codes_found(client, "td") == ["KB-1"]
    assert codes_found(client, "tdl") == ["KB-1"]
    assert codes_found(client, "ＴＤ") == ["KB-1"]


def test_synonyms_find_each_other(
    vault: dict[str, Article], agent_li: User, client_for: Callable[[User], Client]
) -> None:
    client = client_for(agent_li)
    assert codes_found(client, "断电") == ["KB-1"]
    assert codes_found(client, "没电") == ["KB-1"]
    assert codes_found(client, "电话费") == ["KB-2"]
    page = client.get("/knowledge/search/", {"q": "断电"}).content.decode()
    assert '<mark class="hit">停电</mark>' in page


def test_a_match_in_the_title_ranks_above_one_in_the_body(
    make_article: MakeArticle, agent_li: User, client_for: Callable[[User], Client]
) -> None:
    make_article("KB-B", "装机须知", body="宽带装机前请准备身份证，宽带账号会短信通知。")
    make_article("KB-T", "宽带故障报修", body="请先重启光猫。")
    assert codes_found(client_for(agent_li), "宽带") == ["KB-T", "KB-B"]


def test_agents_find_only_articles_shown_today_and_editors_find_the_rest_marked(
    vault: dict[str, Article],
    agent_li: User,
    qa_zhao: User,
    client_for: Callable[[User], Client],
) -> None:
    assert codes_found(client_for(agent_li), "宽带") == []
    editor = client_for(qa_zhao)
    assert codes_found(editor, "宽带") == ["KB-5"]
    assert "今日不展示" in editor.get("/knowledge/search/", {"q": "宽带"}).content.decode()


def test_withdrawn_and_not_yet_effective_articles_are_not_shown_to_agents(
    vault: dict[str, Article], agent_li: User, client_for: Callable[[User], Client]
) -> None:
    Article.objects.filter(code="KB-1").update(withdrawn=True)
    Article.objects.filter(code="KB-2").update(
        effective_from=timezone.localdate() + timedelta(days=1)
    )
    client = client_for(agent_li)
    assert codes_found(client, "停电") == []
    assert codes_found(client, "话费") == []


def test_filters_narrow_by_kind_category_product_and_queue(
    vault: dict[str, Article], agent_li: User, client_for: Callable[[User], Client]
) -> None:
    client = client_for(agent_li)
    assert codes_found(client, "还款", kind="policy") == ["KB-3"]
    assert codes_found(client, "还款", kind="answer") == []
    assert codes_found(client, "停电", category="用电") == ["KB-1"]
    assert codes_found(client, "停电", category="话费") == []
    assert codes_found(client, "话费", product="5G畅享套餐") == ["KB-2"]
    assert codes_found(client, "话费", product="5G") == []
    assert codes_found(client, "停电", queue="ACD-02") == ["KB-1"]
    assert codes_found(client, "停电", queue="ACD-01") == []
    assert codes_found(client, "话费", queue="ACD-01") == ["KB-2"]  # names no queue: all


def test_a_scripts_steps_are_searched(
    vault: dict[str, Article], agent_li: User, client_for: Callable[[User], Client]
) -> None:
    assert codes_found(client_for(agent_li), "文明用语") == ["KB-4"]


@pytest.mark.parametrize("query", ['" OR *', "NEAR(停电 话费)", "停电'&|!", "：：", "a" * 300])
def test_query_syntax_typed_in_the_box_is_searched_as_words(
    vault: dict[str, Article], agent_li: User, client_for: Callable[[User], Client], query: str
) -> None:
    response = client_for(agent_li).get("/knowledge/search/", {"q": query})
    assert response.status_code == 200


def test_every_search_is_logged_and_opening_a_result_records_the_click(
    vault: dict[str, Article], agent_li: User, client_for: Callable[[User], Client]
) -> None:
    client = client_for(agent_li)
    response = client.get("/knowledge/search/", {"q": "停电"})
    search = KnowledgeSearch.objects.get()
    assert (search.user, search.query, search.results) == (agent_li, "停电", 1)
    assert f"/knowledge/search/{search.pk}/open/KB-1/" in response.content.decode()

    opened = client.post(f"/knowledge/search/{search.pk}/open/KB-1/")
    assert opened.status_code == 302
    assert opened["Location"] == "/knowledge/a/KB-1/"
    search.refresh_from_db()
    assert search.clicked == vault["power"]


def test_opening_needs_a_post_and_another_persons_search_is_left_alone(
    vault: dict[str, Article],
    agent_li: User,
    agent_zhang: User,
    client_for: Callable[[User], Client],
) -> None:
    client_for(agent_li).get("/knowledge/search/", {"q": "停电"})
    search = KnowledgeSearch.objects.get()
    other = client_for(agent_zhang)
    assert other.get(f"/knowledge/search/{search.pk}/open/KB-1/").status_code == 405
    assert other.post(f"/knowledge/search/{search.pk}/open/KB-1/").status_code == 302
    search.refresh_from_db()
    assert search.clicked is None


def test_gaps_list_unopened_searches_by_folded_query_newest_first(
    vault: dict[str, Article],
    agent_li: User,
    agent_zhang: User,
    qa_zhao: User,
    client_for: Callable[[User], Client],
) -> None:
    li, zhang = client_for(agent_li), client_for(agent_zhang)
    li.get("/knowledge/search/", {"q": "停电"})  # opened: no gap
    li.post(f"/knowledge/search/{KnowledgeSearch.objects.get().pk}/open/KB-1/")
    li.get("/knowledge/search/", {"q": "副卡"})  # no result
    zhang.get("/knowledge/search/", {"q": "副卡"})
    zhang.get("/knowledge/search/", {"q": "話費"})  # found, not opened
    li.get("/knowledge/search/", {"q": "话费"})

    gaps = client_for(qa_zhao).get("/knowledge/gaps/").context["gaps"]
    assert [(g.folded, g.searches, g.without_results, g.people) for g in gaps] == [
        ("话费", 2, 0, 2),
        ("副卡", 2, 2, 2),
    ]
    assert gaps[0].query == "话费"  # the latest wording
    page = client_for(qa_zhao).get("/knowledge/gaps/").content.decode()
    assert "/knowledge/new/?question=%E5%89%AF%E5%8D%A1" in page


def test_gaps_leave_out_searches_older_than_the_period(
    vault: dict[str, Article], agent_li: User, qa_zhao: User, client_for: Callable[[User], Client]
) -> None:
    client_for(agent_li).get("/knowledge/search/", {"q": "副卡"})
    KnowledgeSearch.objects.update(searched_at=timezone.now() - timedelta(days=10))
    editor = client_for(qa_zhao)
    assert editor.get("/knowledge/gaps/", {"days": "7"}).context["gaps"] == []
    assert len(editor.get("/knowledge/gaps/", {"days": "30"}).context["gaps"]) == 1
    assert editor.get("/knowledge/gaps/", {"days": "0"}).status_code == 400


@pytest.mark.parametrize("path", ["/knowledge/gaps/", "/knowledge/words/"])
def test_gaps_and_words_are_for_knowledge_editors_only(
    path: str, agent_li: User, leader_wang: User, client_for: Callable[[User], Client]
) -> None:
    assert client_for(agent_li).get(path).status_code == 403
    assert client_for(leader_wang).get(path).status_code == 403


def test_agents_cannot_change_the_words(
    agent_li: User, client_for: Callable[[User], Client]
) -> None:
    response = client_for(agent_li).post(
        "/knowledge/words/", {"dictionary": "光猫", "synonyms": ""}
    )
    assert response.status_code == 403
    assert not KnowledgeWords.objects.exists()


def test_an_owners_synonyms_reindex_the_vault_and_are_audited(
    vault: dict[str, Article],
    make_article: MakeArticle,
    agent_li: User,
    qa_zhao: User,
    client_for: Callable[[User], Client],
) -> None:
    make_article("KB-6", "宽带故障报修", body="请先重启路由器。")
    agent = client_for(agent_li)
    assert codes_found(agent, "光猫") == []

    response = client_for(qa_zhao).post(
        "/knowledge/words/", {"dictionary": "畅享卡\n", "synonyms": "宽带 光猫\n"}
    )
    assert response.status_code == 302
    assert codes_found(agent, "光猫") == ["KB-6"]
    page = client_for(qa_zhao).get("/knowledge/words/").content.decode()
    assert "宽带 光猫</textarea>" in page
    event = AuditEvent.objects.get(action="knowledge_words.update")
    assert (event.actor, event.after) == (
        qa_zhao,
        {"dictionary": "畅享卡", "synonyms": "宽带 光猫"},
    )


def test_a_wrong_line_is_named_and_nothing_is_stored(
    qa_zhao: User, client_for: Callable[[User], Client]
) -> None:
    client = client_for(qa_zhao)
    client.post("/knowledge/words/", {"dictionary": "畅享卡", "synonyms": "停电 断电"})
    response = client.post(
        "/knowledge/words/", {"dictionary": "畅享卡", "synonyms": "停电 断电\n停机"}
    )
    assert response.status_code == 200
    assert "第 2 行“停机”：一组同义词至少要有两个词" in response.content.decode()
    assert KnowledgeWords.objects.get().synonyms == "停电 断电"


def test_an_article_without_a_live_version_leaves_the_index(
    vault: dict[str, Article], agent_li: User, client_for: Callable[[User], Client]
) -> None:
    Article.objects.filter(code="KB-1").update(live=None)
    article_index_refresh(article_ids=[vault["power"].pk])
    assert not ArticleSearchDocument.objects.filter(article=vault["power"]).exists()
    assert codes_found(client_for(agent_li), "停电") == []


def test_a_vault_of_300_articles_finds_the_one_asked_for(
    make_article: MakeArticle, agent_li: User, client_for: Callable[[User], Client]
) -> None:
    topics = ["宽带", "话费", "流量", "套餐", "停电", "电费", "花呗", "信用卡", "副卡", "携号转网"]
    for n in range(300):
        topic = topics[n % len(topics)]
        make_article(f"KB-{n:04d}", f"{topic}问题{n}", body=f"关于{topic}的第{n}条说明。")
    found = codes_found(client_for(agent_li), "携号转网")
    assert len(found) == 30
    assert all(int(code[3:]) % 10 == 9 for code in found)


def test_the_reindex_command_rebuilds_a_lost_index(
    vault: dict[str, Article], agent_li: User, client_for: Callable[[User], Client]
) -> None:
    ArticleSearchDocument.objects.all().delete()
    assert codes_found(client_for(agent_li), "停电") == []
    out = StringIO()
    call_command("knowledge_reindex", stdout=out)
    assert "indexed 5 articles" in out.getvalue()
    assert codes_found(client_for(agent_li), "停电") == ["KB-1"]


@pytest.mark.parametrize("value", ["0001-01-01", "nan", str(2**63), "-1", "abc", "x" * 500])
def test_hostile_parameters_are_refused_or_searched_never_a_server_error(
    vault: dict[str, Article], qa_zhao: User, client_for: Callable[[User], Client], value: str
) -> None:
    client = client_for(qa_zhao)
    params = {"q": value, "kind": value, "category": value, "product": value, "queue": value}
    assert client.get("/knowledge/search/", params).status_code == 200
    assert client.get("/knowledge/gaps/", {"days": value}).status_code in (200, 400)
    assert client.post(
        "/knowledge/words/", {"dictionary": value, "synonyms": value}
    ).status_code in (
        200,
        302,
    )
    assert client.post(f"/knowledge/search/1/open/{value[:64]}/").status_code in (302, 404)


def test_the_vault_list_has_a_search_box(
    agent_li: User, client_for: Callable[[User], Client]
) -> None:
    page = client_for(agent_li).get("/knowledge/").content.decode()
    assert 'action="/knowledge/search/"' in page
