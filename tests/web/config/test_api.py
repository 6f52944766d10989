"""The HTTP API: keys, the same permissions as the pages, the whole QA loop, OpenAPI."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from lingting.core.models import ApiToken, User
from lingting.engine.scorecard_yaml import builtin_scorecard
from lingting.interactions.models import Contact
from tests.web.conftest import BRUSH_OFF, DRAW_DAY, Api, ScoredContact

pytestmark = pytest.mark.django_db
WITH_PHONE = (
    ("agent", "您好，请问有什么可以帮您？", 0.0, 2.0),
    ("customer", "我的手机号是13812345678。", 2.5, 6.0),
)


@pytest.fixture
def calls(scored_contact: ScoredContact) -> list[Contact]:
    return [
        scored_contact("C-LI-PHONE", agent="A1001", turns=WITH_PHONE),
        scored_contact("C-LI-BRUSH", agent="A1001", turns=BRUSH_OFF),
        scored_contact("C-ZHANG", agent="A1002"),
    ]


def test_without_a_key_the_api_answers_401_not_a_login_page(db: None) -> None:
    response = Client().get("/api/contacts")

    assert response.status_code == 401


def test_a_revoked_or_wrong_key_is_refused(agent_li: User) -> None:
    api = Api(agent_li)
    ApiToken.objects.update(revoked_at="2026-10-01T00:00:00+08:00")

    assert api.get("/contacts").status_code == 401
    assert (
        Client(headers={"Authorization": "Bearer lt_wrong"}).get("/api/contacts").status_code == 401
    )


def test_an_agent_key_lists_only_own_contacts_with_numbers_masked(
    calls: list[Contact], agent_li: User, qa_zhao: User
) -> None:
    li = Api(agent_li)

    listed = {c["external_id"] for c in li.get("/contacts").json()["items"]}
    own = li.get(f"/contacts/{calls[0].pk}").json()

    assert listed == {"C-LI-PHONE", "C-LI-BRUSH"}
    assert li.get(f"/contacts/{calls[2].pk}").status_code == 404
    assert "13812345678" not in own["turns"][1]["text"]
    assert not own["personal_numbers_shown"]
    shown = Api(qa_zhao).get(f"/contacts/{calls[0].pk}").json()
    assert "13812345678" in shown["turns"][1]["text"]


def test_the_qa_loop_runs_through_the_api(
    calls: list[Contact], qa_zhao: User, qa_sun: User, agent_li: User
) -> None:
    supervisor, reviewer = Api(qa_zhao), Api(qa_sun)

    assert (
        Api(agent_li)
        .post(
            "/quality/plans",
            {"name": "x", "method": "random", "sample_size": 1, "reviewers": {"qa_sun": 1}},
        )
        .status_code
        == 403
    )
    plan = supervisor.post(
        "/quality/plans",
        {"name": "API 抽检", "method": "random", "sample_size": 3, "reviewers": {"qa_sun": 1}},
    )
    assert plan.status_code == 201
    draw = supervisor.post(
        f"/quality/plans/{plan.json()['id']}/draws", {"day": DRAW_DAY.isoformat(), "seed": 7}
    )
    assert draw.status_code == 201
    assert draw.json()["per_reviewer"] == {"qa_sun": 3}

    queue = reviewer.get("/quality/reviews").json()
    brush = next(a for a in queue if a["external_id"] == "C-LI-BRUSH")
    form = reviewer.get(f"/quality/reviews/{brush['id']}").json()
    answers = {i["item"]: {"result": i["auto_result"] or "pass"} for i in form["items"]}
    answers["forbidden_phrases"] = {"result": "pass"}  # overturning with no reason
    refused = reviewer.post(f"/quality/reviews/{brush['id']}", {"answers": answers})
    assert refused.status_code == 422
    assert any("须写明理由" in m for m in refused.json()["detail"])

    answers["forbidden_phrases"]["reason"] = "语境中是帮助"
    record = reviewer.post(
        f"/quality/reviews/{brush['id']}",
        {
            "answers": answers,
            "findings": [
                {"note": "推诿", "scope": "individual", "turn": 2, "start_char": 7, "end_char": 15}
            ],
        },
    )
    assert record.status_code == 201
    body = record.json()
    assert body["findings"][0]["quote"] == "你自己去营业厅问"
    assert next(i for i in body["items"] if i["item"] == "forbidden_phrases")["overturned"]

    mine = Api(agent_li).get("/quality/evaluations").json()
    assert [e["id"] for e in mine] == [body["id"]]
    assert Api(agent_li).get("/quality/trust").status_code == 403
    trust = supervisor.get("/quality/trust").json()
    assert any(t["item"] == "forbidden_phrases" and t["false_hits"] == 1 for t in trust["items"])


def test_session_writes_need_csrf(client_for: Any, qa_zhao: User) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(qa_zhao)

    response = client.post(
        "/api/quality/cases",
        {"contact_id": 1, "kind": "poor", "title": "x"},
        content_type="application/json",
    )

    assert response.status_code == 403


def test_openapi_schema_and_offline_docs(client_for: Any, qa_zhao: User) -> None:
    client = client_for(qa_zhao)

    schema = client.get("/api/openapi.json").json()
    docs = client.get("/api/docs").content.decode()

    assert "/api/quality/reviews/{assignment_id}" in schema["paths"]
    assert "/api/contacts/{contact_id}" in schema["paths"]
    assert "bearer" in str(schema["components"]["securitySchemes"]).lower()
    assert "/static/ninja/swagger-ui-bundle.js" in docs
    assert "cdn" not in docs.lower()


def test_every_standard_item_can_be_answered_through_the_api_schema() -> None:
    # the API takes answers keyed by the stable item ids of FORMATS.md
    assert {"opening", "forbidden_phrases", "order_flow"} <= {
        i.id for i in builtin_scorecard().items
    }
