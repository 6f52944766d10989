"""Beside a contact: the articles that answer what the customer said, for the agent who
handles it and the reviewer who scores it — never more than the user may see."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.test import Client
from django.utils import timezone

from lingting.core.models import User
from lingting.engine.faq import train_model
from lingting.engine.knowledge import ArticleKind, article_record
from lingting.knowledge.models import Article
from lingting.knowledge.selectors.suggestions import vault_matcher
from lingting.knowledge.services.articles import article_import, article_withdraw
from tests.conftest import ContactFactory
from tests.engine.faq_examples import training_pairs

ClientFor = Callable[[User], Client]

VAULT: list[dict[str, Any]] = [
    {
        "code": "KB-PWR-1",
        "kind": "answer",
        "title": "家里停电了怎么办",
        "alternates": ["突然没电了", "停电报修"],
        "body": "先检查空气开关；邻居也停电请拨 95598 报修。",
    },
    {
        "code": "KB-TEL-1",
        "kind": "answer",
        "title": "怎样查询话费余额",
        "alternates": ["话费还剩多少", "查一下话费"],
        "body": "发送 CXYE 到 10001。",
    },
    {
        "code": "KB-TEL-2",
        "kind": "policy",
        "title": "宽带提速优惠",
        "body": "百兆免费升级千兆。",
    },
]


def load_vault(ops: User) -> None:
    records = [(n, article_record(r)) for n, r in enumerate(VAULT, start=1)]
    article_import(actor=ops, records=records, publish=True)


def test_the_agent_sees_the_articles_that_answer_the_customer(
    client_for: ClientFor, make_contact: ContactFactory, agent_li: User, ops_zhou: User
) -> None:
    load_vault(ops_zhou)
    contact = make_contact(
        agent="A1001",
        turns=[
            ("agent", "您好，请问有什么可以帮您？"),
            ("customer", "我家突然没电了，整栋楼都停电了"),
            ("customer", "好的"),
        ],
    )
    page = client_for(agent_li).get(f"/contacts/{contact.pk}/").content.decode()
    assert f'data-knowledge-src="/knowledge/contact/{contact.pk}/articles/"' in page

    fragment = client_for(agent_li).get(f"/knowledge/contact/{contact.pk}/articles/")
    text = fragment.content.decode()
    assert "家里停电了怎么办" in text
    assert "第 1 句" in text
    assert "怎样查询话费余额" not in text


def test_a_withdrawn_article_is_no_longer_suggested(
    client_for: ClientFor, make_contact: ContactFactory, qa_zhao: User, ops_zhou: User
) -> None:
    load_vault(ops_zhou)
    contact = make_contact(turns=[("customer", "帮我查一下话费还剩多少")])
    url = f"/knowledge/contact/{contact.pk}/articles/"
    assert "怎样查询话费余额" in client_for(qa_zhao).get(url).content.decode()
    article_withdraw(actor=ops_zhou, article=Article.objects.get(code="KB-TEL-1"), note="改版")
    assert "怎样查询话费余额" not in client_for(qa_zhao).get(url).content.decode()


def test_no_one_reads_suggestions_for_a_contact_they_may_not_see(
    client_for: ClientFor, make_contact: ContactFactory, agent_zhang: User, ops_zhou: User
) -> None:
    load_vault(ops_zhou)
    contact = make_contact(agent="A1001", turns=[("customer", "我家突然没电了")])
    answer = client_for(agent_zhang).get(f"/knowledge/contact/{contact.pk}/articles/")
    assert answer.status_code == 404


def test_an_offer_past_its_last_day_is_not_suggested(
    client_for: ClientFor, make_contact: ContactFactory, qa_zhao: User, ops_zhou: User
) -> None:
    ended = dict(VAULT[2], expires_on=(timezone.localdate() - timedelta(days=1)).isoformat())
    article_import(actor=ops_zhou, records=[(1, article_record(ended))], publish=True)
    assert Article.objects.get(code="KB-TEL-2").kind == ArticleKind.POLICY
    contact = make_contact(turns=[("customer", "宽带提速优惠还有吗")])
    text = client_for(qa_zhao).get(f"/knowledge/contact/{contact.pk}/articles/").content.decode()
    assert "宽带提速优惠" not in text
    assert "知识库中没有与客户所说相符的文章" in text


def test_a_center_s_trained_model_ranks_the_suggestions_when_configured(
    client_for: ClientFor,
    make_contact: ContactFactory,
    qa_zhao: User,
    ops_zhou: User,
    settings: Any,
    tmp_path: Path,
) -> None:
    load_vault(ops_zhou)
    train_model(training_pairs()).save(tmp_path / "model")
    settings.LINGTING_FAQ_MODEL = str(tmp_path / "model")
    vault = vault_matcher(timezone.localdate())
    assert vault is not None
    assert vault.matcher.model is not None
    contact = make_contact(turns=[("customer", "帮我查一下话费还剩多少")])
    text = client_for(qa_zhao).get(f"/knowledge/contact/{contact.pk}/articles/").content.decode()
    assert "怎样查询话费余额" in text
