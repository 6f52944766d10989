"""Searching contacts: words said (Chinese full text), contact ids, tags and phone numbers,
within what each role may see; the contact list's "not scored" filter."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import orjson
import pytest
from django.core.management import call_command
from django.test import Client
from django.utils.timezone import get_default_timezone

from lingting.core.models import User
from lingting.engine.reader import parse_json_line
from lingting.interactions import search
from lingting.interactions.models import Contact
from lingting.interactions.services import contacts_import, contacts_import_file
from tests.conftest import ContactFactory
from tests.web.conftest import Api

pytestmark = pytest.mark.django_db

CUSTOMER_MOBILE = "13812345678"


def call(external_id: str, *texts: str, agent: str = "A1001", **fields: Any) -> dict[str, Any]:
    """An interaction record: the agent greets, then the customer says each text."""
    turns = [{"speaker": "agent", "text": "您好，很高兴为您服务，请问有什么可以帮您？"}]
    turns += [{"speaker": "customer", "text": text} for text in texts]
    return {
        "id": external_id,
        "channel": "voice",
        "queue": "ACD-01",
        "agent_id": agent,
        "started_at": "2026-10-01T09:00:05+08:00",
        "turns": turns,
        **fields,
    }


def imported(*records: dict[str, Any]) -> None:
    """Store records the way `lingting import --sync` does (indexed in this process)."""
    tz = get_default_timezone()
    lines = [
        parse_json_line(n, orjson.dumps(record).decode(), tz=tz)
        for n, record in enumerate(records, start=1)
    ]
    report = contacts_import(lines=lines, in_process=True)
    assert report.rejected == 0, report.errors


def found(client: Client, query: str, **params: str) -> list[str]:
    """The contact ids the contact list shows for a search."""
    response = client.get("/contacts/", {"q": query, **params})
    assert response.status_code == 200
    return re.findall(r'class="contact-link">([^<]+)<', response.content.decode())


@pytest.fixture
def supervisor(client_for: Any, qa_zhao: User) -> Client:
    return client_for(qa_zhao)


def test_two_character_words_said_are_found(supervisor: Client) -> None:
    imported(
        call("C-POWER", "我家停电了，三个小时了还没来电。"),
        call("C-HUABEI", "我的花呗这个月怎么多扣了一笔？"),
        call("C-OTHER", "我想问一下这个月的话费。"),
    )

    assert found(supervisor, "停电") == ["C-POWER"]
    assert found(supervisor, "花呗") == ["C-HUABEI"]
    page = supervisor.get("/contacts/", {"q": "停电"}).content.decode()
    assert '我家<mark class="hit">停电</mark>了' in page  # the turn that matched, marked


def test_a_search_follows_the_words_not_the_characters(supervisor: Client) -> None:
    imported(
        call("C-BILL", "电话费怎么这么贵？"),
        call("C-BROADBAND", "这个宽带套餐太贵了。"),
        call("C-APART", "套餐我不要了，宽带也退掉。"),
    )

    # A word inside a longer one: 话费 in 电话费.
    assert found(supervisor, "话费") == ["C-BILL"]
    # Several words: each must be said, in any order, together or apart.
    assert sorted(found(supervisor, "宽带套餐")) == ["C-APART", "C-BROADBAND"]
    assert sorted(found(supervisor, "套餐 宽带")) == ["C-APART", "C-BROADBAND"]
    # Characters that straddle two words (宽带|套餐) are no word of the text.
    assert found(supervisor, "带套") == []


def test_a_common_word_is_found_by_walking_the_contacts_too(
    supervisor: Client, client_for: Any, agent_li: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    # PostgreSQL searches a word said in many contacts newest first (search.COMMON_MATCHES):
    # the same contacts, the same scope.
    monkeypatch.setattr(search, "COMMON_MATCHES", 0)
    imported(
        call("C-LI", "我家停电了。", agent="A1001"),
        call("C-ZHANG", "我家也停电了。", agent="A1002"),
        call("C-OTHER", "话费怎么算？"),
    )

    assert sorted(found(supervisor, "停电")) == ["C-LI", "C-ZHANG"]
    assert found(client_for(agent_li), "停电") == ["C-LI"]


def test_an_agent_finds_only_their_own_contacts(
    client_for: Any, agent_li: User, agent_zhang: User
) -> None:
    imported(
        call("C-LI", "我家停电了。", agent="A1001"),
        call("C-ZHANG", "我家也停电了。", agent="A1002"),
    )

    assert found(client_for(agent_li), "停电") == ["C-LI"]
    assert found(client_for(agent_zhang), "停电") == ["C-ZHANG"]
    assert found(client_for(agent_li), "C-ZHANG") == []


def test_phone_numbers_are_searched_only_by_roles_that_may_see_them(
    client_for: Any, qa_zhao: User, ops_zhou: User, agent_li: User
) -> None:
    imported(
        call("C-PHONE", f"停电了，我的电话是{CUSTOMER_MOBILE}，尽快回电。"),
        call("C-CALLER", "您好。", customer_id="13912345678"),
    )

    supervisor = client_for(qa_zhao)
    assert found(supervisor, "138 1234 5678") == ["C-PHONE"]
    assert found(supervisor, "+86 139-1234-5678") == ["C-CALLER"]  # the customer code
    page = supervisor.get("/contacts/", {"q": CUSTOMER_MOBILE}).content.decode()
    assert f'<mark class="hit">{CUSTOMER_MOBILE}</mark>' in page

    for user in (ops_zhou, agent_li):  # both see C-PHONE, neither may see its number
        client = client_for(user)
        assert found(client, CUSTOMER_MOBILE) == []
        assert found(client, "138 1234 5678") == []
        assert found(client, "13912345678") == []
        # Found by a word, the number in the snippet is masked.
        page = client.get("/contacts/", {"q": "停电"}).content.decode()
        assert "C-PHONE" in page
        assert CUSTOMER_MOBILE not in page
        assert "138****5678" in page


def test_contact_ids_and_tags_are_found(supervisor: Client) -> None:
    imported(
        call("C20261001-000123", "你好。", tags=["5G套餐"]),
        call("C20261001-000124", "你好。", tags=["投诉"]),
    )

    assert found(supervisor, "C20261001-000123") == ["C20261001-000123"]
    assert found(supervisor, "5G套餐") == ["C20261001-000123"]
    assert found(supervisor, "5g") == ["C20261001-000123"]
    assert found(supervisor, "投诉") == ["C20261001-000124"]
    page = supervisor.get("/contacts/", {"q": "投诉"}).content.decode()
    assert '标签：</span><mark class="hit">投诉</mark>' in page


def test_the_import_queues_the_indexing_for_the_worker(supervisor: Client, settings: Any) -> None:
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    tz = get_default_timezone()
    record = orjson.dumps(call("C-QUEUED", "我家停电了。")).decode()

    contacts_import(lines=[parse_json_line(1, record, tz=tz)])

    assert found(supervisor, "停电") == ["C-QUEUED"]


def test_importing_a_changed_transcript_changes_what_finds_it(supervisor: Client) -> None:
    imported(call("C1", "我家停电了。"))
    imported(call("C1", "我的花呗还不上了。"))

    assert found(supervisor, "停电") == []
    assert found(supervisor, "花呗") == ["C1"]


def test_a_line_without_its_transcript_keeps_the_words_that_find_the_contact(
    supervisor: Client,
) -> None:
    # A CDR refresh (no turns) keeps the stored transcript: search still finds its words,
    # and the refresh's own tags, whether the transcript came in an earlier import or an
    # earlier line of the same one.
    before = call("C-EARLIER", "我家停电了。")
    imported(before)
    imported({key: value for key, value in before.items() if key != "turns"} | {"tags": ["投诉"]})
    same = call("C-SAME", "宽带断网两天了。")
    imported(
        same, {key: value for key, value in same.items() if key != "turns"} | {"tags": ["催办"]}
    )

    assert found(supervisor, "停电") == ["C-EARLIER"]
    assert found(supervisor, "投诉") == ["C-EARLIER"]
    assert found(supervisor, "断网") == ["C-SAME"]
    assert found(supervisor, "催办") == ["C-SAME"]


@pytest.mark.parametrize("workers", [0, 1])
def test_a_file_imported_with_sync_is_found_at_once(
    tmp_path: Path, supervisor: Client, workers: int
) -> None:
    # With reader processes (PostgreSQL) each reader makes its lines' search entries; a
    # chunk of a few lines each, so that several readers' chunks make one batch.
    records = [
        call("C-POWER", f"停电了，我的电话是{CUSTOMER_MOBILE}。"),
        call("C-HUABEI", "我的花呗这个月怎么多扣了一笔？", tags=["投诉"]),
        call("C-CALLER", "您好。", customer_id="13912345678"),
    ]
    path = tmp_path / "calls.jsonl"
    path.write_bytes(b"".join(orjson.dumps(record) + b"\n" for record in records))

    report = contacts_import_file(
        str(path),
        tz=get_default_timezone(),
        workers=workers,
        chunk_bytes=100,
        in_process=True,
    )

    assert report.imported == 3
    assert found(supervisor, "停电") == ["C-POWER"]
    assert found(supervisor, "投诉") == ["C-HUABEI"]
    assert found(supervisor, CUSTOMER_MOBILE) == ["C-POWER"]
    assert found(supervisor, "13912345678") == ["C-CALLER"]


def test_reindex_covers_contacts_stored_before_search(
    supervisor: Client, make_contact: ContactFactory
) -> None:
    make_contact("C-OLD", turns=[("customer", "宽带断网两天了。")])
    assert found(supervisor, "断网") == []

    call_command("search_reindex", stdout=open("/dev/null", "w"))  # noqa: SIM115

    assert found(supervisor, "断网") == ["C-OLD"]


def test_search_narrows_the_other_filters(supervisor: Client) -> None:
    imported(
        call("C-ACD1", "我家停电了。"),
        call("C-ACD2", "我家停电了。", queue="ACD-02"),
    )
    queue = Contact.objects.get(external_id="C-ACD2").queue
    assert queue is not None

    assert found(supervisor, "停电", queue=str(queue.pk)) == ["C-ACD2"]


def test_not_scored_lists_contacts_with_a_transcript_and_no_result(
    supervisor: Client, make_contact: ContactFactory
) -> None:
    make_contact("C-SCORED", score=92)
    make_contact("C-WAITING")
    make_contact("C-CDR-ONLY", turns=())  # nothing to score: not "not scored"

    response = supervisor.get("/contacts/", {"unscored": "on"})

    ids = re.findall(r'class="contact-link">([^<]+)<', response.content.decode())
    assert ids == ["C-WAITING"]


HOSTILE = [
    "\x00",
    "停电\x00花呗",
    "停电" * 5000,
    '"',
    '"停电',
    "*",
    "停电*",
    "NEAR",
    "NEAR(停电 花呗)",
    "-",
    "-停电",
    ":",
    "terms:停电",
    "' OR 1=1 --",
    "(",
    "^",
    "停电 AND OR NOT",
    "\\",
    "%",
    "　",
]


@pytest.mark.parametrize("query", HOSTILE)
def test_hostile_queries_get_an_answer(supervisor: Client, qa_zhao: User, query: str) -> None:
    imported(call("C-POWER", "我家停电了。"))

    # Answered (a NUL byte is refused whole, as in any query string), never a 500.
    assert supervisor.get("/contacts/", {"q": query}).status_code in {200, 400}
    assert Api(qa_zhao).get("/contacts", q=query).status_code in {200, 400, 422}


def test_the_api_searches_like_the_list(qa_zhao: User, agent_li: User) -> None:
    imported(
        call("C-POWER", f"停电了，电话{CUSTOMER_MOBILE}。", agent="A1002"),
        call("C-OTHER", "你好。"),
    )

    assert [c["external_id"] for c in Api(qa_zhao).get("/contacts", q="停电").json()["items"]] == [
        "C-POWER"
    ]
    assert Api(qa_zhao).get("/contacts", q=CUSTOMER_MOBILE).json()["count"] == 1
    assert Api(agent_li).get("/contacts", q="停电").json()["count"] == 0
    assert Api(qa_zhao).get("/contacts", q="x" * 201).status_code == 422
