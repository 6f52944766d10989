"""The contact list narrowed by what the contact meant: the customer's emotion at the end
and at its strongest, resolved or not, predicted satisfaction — with the other filters."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from lingting.core.models import User
from lingting.interactions.models import Contact
from tests.conftest import SHANGHAI
from tests.web.conftest import Api, ScoredContact

pytestmark = pytest.mark.django_db

ClientFor = Callable[[User], Client]

ANGRY = (
    ("agent", "您好，很高兴为您服务。"),
    ("customer", "我的宽带又断了，你们到底管不管？"),
    ("agent", "这个我不清楚，你自己去营业厅问吧。"),
    ("customer", "什么态度！我要投诉你们！"),
)
CALMED = (
    ("agent", "您好，很高兴为您服务。"),
    ("customer", "什么态度！你们到底管不管？"),
    ("agent", "非常抱歉给您带来不便，我马上帮您处理。"),
    ("customer", "好的，谢谢，没问题了"),
)
PLEASED = (
    ("agent", "您好，请问有什么可以帮您？"),
    ("customer", "我想问一下这个月的话费。"),
    ("agent", "您本月话费58元。"),
    ("customer", "好的，谢谢，没问题了"),
)


def listed(client: Client, **params: Any) -> list[str]:
    response = client.get(reverse("interactions:contact_list"), params)
    assert response.status_code == 200
    return re.findall(r'class="contact-link">([^<]+)</a>', response.content.decode())


@pytest.fixture
def week(scored_contact: ScoredContact) -> dict[str, Contact]:
    """Contacts of the week of 2026-10-05 (and one angry call the week before)."""
    day = datetime(2026, 10, 6, 9, 0, tzinfo=SHANGHAI)
    return {
        "angry": scored_contact("ANGRY-1", turns=ANGRY, started_at=day),
        "angry_other_agent": scored_contact(
            "ANGRY-2", turns=ANGRY, started_at=day, agent="A1002", queue="ACD-02"
        ),
        "angry_last_week": scored_contact(
            "ANGRY-OLD", turns=ANGRY, started_at=datetime(2026, 9, 29, 9, tzinfo=SHANGHAI)
        ),
        "calmed": scored_contact("CALMED", turns=CALMED, started_at=day),
        "pleased": scored_contact("PLEASED", turns=PLEASED, started_at=day),
    }


def test_angry_customers_this_week_lists_exactly_those(
    client_for: ClientFor, qa_zhao: User, week: dict[str, Contact]
) -> None:
    found = listed(
        client_for(qa_zhao), emotion_end="angry", date_from="2026-10-05", date_to="2026-10-11"
    )

    assert sorted(found) == ["ANGRY-1", "ANGRY-2"]


def test_meaning_filters_combine_with_agent_and_queue(
    client_for: ClientFor, qa_zhao: User, week: dict[str, Contact]
) -> None:
    client = client_for(qa_zhao)
    queue = week["angry_other_agent"].queue_id

    assert listed(client, emotion_end="angry", queue=queue) == ["ANGRY-2"]


def test_peak_emotion_finds_the_customer_who_was_angry_and_was_calmed(
    client_for: ClientFor, qa_zhao: User, week: dict[str, Contact]
) -> None:
    client = client_for(qa_zhao)

    found = listed(client, emotion_peak="angry", date_from="2026-10-05")
    assert sorted(found) == ["ANGRY-1", "ANGRY-2", "CALMED"]
    assert listed(client, emotion_peak="angry", emotion_end=["pleased", "calm"]) == ["CALMED"]


def test_resolved_and_predicted_satisfaction_filters(
    client_for: ClientFor, qa_zhao: User, week: dict[str, Contact]
) -> None:
    client = client_for(qa_zhao)

    assert sorted(listed(client, resolved="no")) == ["ANGRY-1", "ANGRY-2", "ANGRY-OLD"]
    assert sorted(listed(client, resolved="yes")) == ["CALMED", "PLEASED"]
    assert sorted(listed(client, satisfaction_below=30)) == ["ANGRY-1", "ANGRY-2", "ANGRY-OLD"]


def test_an_agent_filtering_angry_customers_sees_only_their_own(
    client_for: ClientFor, agent_li: User, week: dict[str, Contact]
) -> None:
    assert sorted(listed(client_for(agent_li), emotion_end="angry")) == ["ANGRY-1", "ANGRY-OLD"]


def test_the_list_shows_how_the_customer_ended(
    client_for: ClientFor, qa_zhao: User, week: dict[str, Contact]
) -> None:
    response = client_for(qa_zhao).get(reverse("interactions:contact_list"), {"q": "ANGRY-1"})

    assert '<span class="emo emo-angry">生气</span>' in response.content.decode()


def test_the_api_lists_each_contacts_meaning_and_filters_on_it(
    qa_zhao: User, week: dict[str, Contact]
) -> None:
    api = Api(qa_zhao)

    listed_angry = api.get("/contacts", emotion_end="angry", date_from="2026-10-05").json()
    rows = {row["external_id"]: row for row in listed_angry["items"]}
    assert sorted(rows) == ["ANGRY-1", "ANGRY-2"]
    assert rows["ANGRY-1"]["emotion_end"] == "angry"
    assert rows["ANGRY-1"]["emotion_peak"] == "angry"
    assert rows["ANGRY-1"]["resolved"] is False
    assert rows["ANGRY-1"]["satisfaction_predicted"] == 0.0
    resolved = api.get("/contacts", resolved="yes").json()["items"]
    assert sorted(row["external_id"] for row in resolved) == ["CALMED", "PLEASED"]
    assert api.get("/contacts", emotion_end="furious").status_code == 422


def test_the_api_serves_one_contacts_meaning_turn_by_turn(
    qa_zhao: User, week: dict[str, Contact]
) -> None:
    body = Api(qa_zhao).get(f"/contacts/{week['calmed'].pk}").json()

    meaning = body["meaning"]
    assert (meaning["emotion_start"], meaning["emotion_peak"], meaning["emotion_end"]) == (
        "angry",
        "angry",
        "pleased",
    )
    assert meaning["calmed"] is True
    assert [t["turn"] for t in meaning["emotion_turns"]] == [1, 3]
    assert meaning["resolved"] is True
    assert meaning["resolution_turns"] == [3]
    assert "calmed" in {f["factor"] for f in meaning["satisfaction_why"]}
    assert body["satisfaction_predicted"] == meaning["satisfaction_predicted"]
