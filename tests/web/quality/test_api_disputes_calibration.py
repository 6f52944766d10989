"""Disputes, calibration sessions and notifications through the HTTP API: the same
services, selectors and permissions as the pages, documented in the OpenAPI schema."""

from __future__ import annotations

from typing import Any

import pytest

from lingting.core.models import Role, User
from lingting.engine.scorecard_yaml import builtin_scorecard
from lingting.interactions.models import Contact
from lingting.quality.models import AssignmentKind, ReviewAssignment
from lingting.quality.selectors.calibration_agreement import calibration_page_for
from tests.conftest import PASSWORD
from tests.web.conftest import BRUSH_OFF, Api, ScoredContact

pytestmark = pytest.mark.django_db
STANDARD = builtin_scorecard()
POLITE = (
    ("agent", "您好，很高兴为您服务，请问有什么可以帮您？", 0.0, 3.0),
    ("customer", "我的宽带断了，手机号是13812345678，麻烦查一下。", 3.5, 8.0),
    ("agent", "好的，马上为您查询，请您稍等。", 8.5, 11.0),
    ("agent", "线路已经恢复了，请问还有其他可以帮您的吗？感谢您的来电，再见。", 20.0, 25.0),
)
# The brush-off call reviewed as the engine found it: 服务禁语 (A, 5 points) and 结束语
# (B, 3 points) fail. Overturning 服务禁语 gives the record back its 5 points (and more:
# with no A-class failure the record is scored again as a whole).
SCORE_AS_REVIEWED = 87.2
SCORE_WITHOUT_FORBIDDEN_PHRASE = 93.0


def review_through_the_api(
    reviewer: Api, assignment_id: int, failed: tuple[str, ...] | None = None
) -> dict[str, Any]:
    """Submit a record: as the engine found it (`failed` None), or passing every item but
    `failed` (full points lost). Answers the 201 body."""
    form = reviewer.get(f"/quality/reviews/{assignment_id}")
    assert form.status_code == 200
    if failed is None:
        answers = {i["item"]: {"result": i["auto_result"] or "pass"} for i in form.json()["items"]}
    else:
        answers = {
            i["item"]: {"result": "fail" if i["item"] in failed else "pass"}
            for i in form.json()["items"]
        }
    response = reviewer.post(f"/quality/reviews/{assignment_id}", {"answers": answers})
    assert response.status_code == 201, response.content.decode()
    body: dict[str, Any] = response.json()
    return body


# --------------------------------------------------------------------------- disputes


@pytest.fixture
def record(scored_contact: ScoredContact, qa_sun: User) -> dict[str, Any]:
    """agent_li's brush-off call, reviewed by qa_sun through the API."""
    contact = scored_contact("C-BRUSH-OFF", agent="A1001", turns=BRUSH_OFF)
    assignment = ReviewAssignment.objects.create(
        contact=contact, reviewer=qa_sun, kind=AssignmentKind.SAMPLE
    )
    return review_through_the_api(Api(qa_sun), assignment.pk)


def test_an_agent_disputes_and_a_supervisor_overturns_through_the_api(
    record: dict[str, Any], agent_li: User, qa_zhao: User, qa_sun: User
) -> None:
    agent, supervisor = Api(agent_li), Api(qa_zhao)
    assert record["score"] == SCORE_AS_REVIEWED
    state = agent.get(f"/quality/evaluations/{record['id']}/disputes").json()
    assert "forbidden_phrases" in state["raisable"]
    assert state["deadline"] is not None
    assert state["disputes"] == []

    raised = agent.post(
        f"/quality/evaluations/{record['id']}/disputes",
        {"item": "forbidden_phrases", "reason": "客户先说的“去营业厅”，我是在复述"},
    )

    assert raised.status_code == 201, raised.content.decode()
    dispute = raised.json()
    assert (dispute["item"], dispute["item_title"], dispute["status"]) == (
        "forbidden_phrases",
        "服务禁语",
        "open",
    )
    assert (dispute["raised_by"], dispute["reviewer"], dispute["agent"]) == (
        "agent_li",
        "qa_sun",
        "A1001",
    )
    again = agent.post(
        f"/quality/evaluations/{record['id']}/disputes",
        {"item": "forbidden_phrases", "reason": "再申诉一次"},
    )
    assert again.status_code == 422
    assert any("只能申诉一次" in m for m in again.json()["detail"])
    told = supervisor.get("/notifications").json()
    assert told["unread"] == 1
    assert "C-BRUSH-OFF" in told["items"][0]["text"]
    assert [d["id"] for d in supervisor.get("/quality/disputes", status="open").json()] == [
        dispute["id"]
    ]

    decided = supervisor.post(
        f"/quality/disputes/{dispute['id']}/decision",
        {"overturn": True, "note": "复听录音：是复述客户原话"},
    )

    assert decided.status_code == 200, decided.content.decode()
    body = decided.json()
    assert body["status"] == "overturned"
    assert body["decided_by"] == "qa_zhao"
    assert (body["score_before"], body["score_after"], body["record_score"]) == (
        SCORE_AS_REVIEWED,
        SCORE_WITHOUT_FORBIDDEN_PHRASE,
        SCORE_WITHOUT_FORBIDDEN_PHRASE,
    )
    assert body["current"]["result"] == "pass"
    assert body["current"]["points_lost"] == 0
    now = agent.get(f"/quality/evaluations/{record['id']}").json()
    assert now["score"] == SCORE_WITHOUT_FORBIDDEN_PHRASE > record["score"]
    mine = agent.get("/notifications").json()
    assert mine["unread"] == 2  # the record published, then the dispute decided
    assert "申诉成立" in mine["items"][0]["text"]
    assert "新的监督记录" in mine["items"][1]["text"]
    assert mine["items"][0]["url"] == f"/quality/records/{record['id']}/"
    assert agent.post("/notifications/read", {}).json() == {"marked": 2}
    assert agent.get("/notifications").json()["unread"] == 0
    assert "改判" in Api(qa_sun).get("/notifications").json()["items"][0]["text"]
    twice = supervisor.post(
        f"/quality/disputes/{dispute['id']}/decision", {"overturn": False, "note": "再议"}
    )
    assert twice.status_code == 422
    assert agent.get("/quality/disputes", status="overturned").json()[0]["id"] == dispute["id"]
    assert agent.get("/quality/disputes", status="open").json() == []


def test_only_the_records_agent_disputes_and_only_a_supervisor_decides(
    record: dict[str, Any],
    agent_li: User,
    agent_zhang: User,
    leader_wang: User,
    qa_sun: User,
    planner_qian: User,
) -> None:
    path = f"/quality/evaluations/{record['id']}/disputes"
    body = {"item": "forbidden_phrases", "reason": "我没说"}
    # another agent does not even see the record; the team leader sees it but is not its agent
    assert Api(agent_zhang).post(path, body).status_code == 404
    assert Api(leader_wang).post(path, body).status_code == 403
    assert Api(qa_sun).post(path, body).status_code == 403
    refused = Api(agent_li).post(path, {"item": "opening", "reason": "我没说"})
    assert refused.status_code == 422  # no points lost on that item
    assert refused.json()["detail"] == ["这一项没有扣分，无需申诉"]

    dispute = Api(agent_li).post(path, body).json()
    decision = f"/quality/disputes/{dispute['id']}/decision"
    overturn = {"overturn": True, "note": "我说了算"}

    assert Api(agent_li).post(decision, overturn).status_code == 403
    assert Api(leader_wang).post(decision, overturn).status_code == 403
    assert Api(qa_sun).post(decision, overturn).status_code == 403
    assert Api(agent_zhang).post(decision, overturn).status_code == 404
    assert Api(agent_zhang).get(f"/quality/disputes/{dispute['id']}").status_code == 404
    assert Api(agent_zhang).get("/quality/disputes").json() == []
    assert [d["id"] for d in Api(leader_wang).get("/quality/disputes").json()] == [dispute["id"]]
    assert Api(planner_qian).get("/quality/disputes").status_code == 403
    assert Api(agent_li).get(f"/quality/disputes/{dispute['id']}").json()["status"] == "open"
    assert Api(agent_li).get("/quality/disputes", status="nonsense").status_code == 422


def test_the_dispute_report_per_reviewer_and_item(
    record: dict[str, Any], agent_li: User, qa_zhao: User, ops_zhou: User
) -> None:
    dispute = (
        Api(agent_li)
        .post(
            f"/quality/evaluations/{record['id']}/disputes",
            {"item": "forbidden_phrases", "reason": "我没说"},
        )
        .json()
    )
    Api(qa_zhao).post(
        f"/quality/disputes/{dispute['id']}/decision", {"overturn": True, "note": "复听"}
    )

    report = Api(ops_zhou).get("/quality/disputes/report", date_from="2020-01-01").json()

    assert report["date_from"] == "2020-01-01"
    assert report["reviewers"] == [
        {
            "reviewer": "qa_sun",
            "records": 1,
            "disputes": 1,
            "overturned": 1,
            "dispute_rate": 1.0,
            "overturn_rate": 1.0,
        }
    ]
    assert report["items"] == [
        {
            "item": "forbidden_phrases",
            "title": "服务禁语",
            "disputes": 1,
            "overturned": 1,
            "upheld": 0,
            "open": 0,
            "overturn_share": 1.0,
        }
    ]
    later = Api(ops_zhou).get("/quality/disputes/report", date_from="2999-01-01").json()
    assert later["reviewers"] == later["items"] == []
    assert Api(agent_li).get("/quality/disputes/report").status_code == 403


# --------------------------------------------------------------------------- calibration

# qa_qian is exactly 10 points harsher than qa_sun on both contacts (the items add up to 100).
SUN = {"C-BRUSH-OFF": (), "C-POLITE": ("forbidden_phrases",)}
QIAN = {
    "C-BRUSH-OFF": ("forbidden_phrases", "info_accurate"),
    "C-POLITE": ("forbidden_phrases", "info_accurate", "info_complete", "identity_check"),
}


@pytest.fixture
def qa_qian(org: Any) -> User:
    """A second QA analyst (a calibration needs two reviewers)."""
    return User.objects.create_user("qa_qian", password=PASSWORD, role=Role.QA_ANALYST)


@pytest.fixture
def qa_wu(org: Any) -> User:
    """A QA analyst who takes no part in the session."""
    return User.objects.create_user("qa_wu", password=PASSWORD, role=Role.QA_ANALYST)


@pytest.fixture
def pair(scored_contact: ScoredContact) -> list[Contact]:
    return [
        scored_contact("C-BRUSH-OFF", agent="A1001", turns=BRUSH_OFF),
        scored_contact("C-POLITE", agent="A1001", turns=POLITE),
    ]


def score_calibration(reviewer: User, plan: dict[str, tuple[str, ...]]) -> None:
    """`reviewer` scores every calibration contact in their queue through the API."""
    api = Api(reviewer)
    queue = [a for a in api.get("/quality/reviews").json() if a["kind"] == "calibration"]
    assert {a["external_id"] for a in queue} == set(plan)
    for assignment in queue:
        form = api.get(f"/quality/reviews/{assignment['id']}").json()
        assert {i["auto_result"] for i in form["items"]} == {""}  # blind: nothing of the machine
        review_through_the_api(api, assignment["id"], plan[assignment["external_id"]])


def test_a_calibration_runs_through_the_api_with_the_pages_figures(
    pair: list[Contact], qa_zhao: User, qa_sun: User, qa_qian: User
) -> None:
    supervisor = Api(qa_zhao)
    body = {
        "title": "十月服务禁语校准",
        "contact_ids": [c.pk for c in pair],
        "reviewers": ["qa_sun", "qa_qian"],
    }

    created = supervisor.post("/quality/calibrations", body)

    assert created.status_code == 201, created.content.decode()
    session = created.json()
    assert (session["status"], session["contact_count"], session["reviewer_count"]) == (
        "open",
        2,
        2,
    )
    assert session["submitted_count"] == 0
    assert session["created_by"] == "qa_zhao"
    score_calibration(qa_sun, SUN)
    blind = Api(qa_qian).get(f"/quality/calibrations/{session['id']}").json()
    assert not blind["answers_visible"]  # qa_qian has not scored: the others' figures stay hidden
    assert blind["items"] == blind["answers"] == []
    assert len(blind["own_pending"]) == 2
    score_calibration(qa_qian, QIAN)

    summary = supervisor.get(f"/quality/calibrations/{session['id']}").json()

    page = calibration_page_for(user=qa_zhao, session_id=session["id"])
    assert summary["answers_visible"]
    assert summary["submitted"] == summary["expected"] == page.submitted == 4
    assert summary["session"]["submitted_count"] == 4
    assert summary["total_alpha"] == page.total_alpha is not None
    assert summary["total_reliability"] == page.total_reliability.value
    assert {
        i["item"]: (i["percent_agreement"], i["alpha"], i["units"]) for i in summary["items"]
    } == {
        f.item.id: (
            f.agreement.percent_agreement if f.agreement else None,
            f.agreement.alpha if f.agreement else None,
            f.agreement.units if f.agreement else 0,
        )
        for f in page.items
    }
    forbidden = next(i for i in summary["items"] if i["item"] == "forbidden_phrases")
    assert forbidden["percent_agreement"] == 0.5  # disagree on C-BRUSH-OFF, agree on C-POLITE
    assert forbidden["alpha"] is not None
    opening = next(i for i in summary["items"] if i["item"] == "opening")
    assert (opening["percent_agreement"], opening["reliability"]) == (1.0, "unanimous")
    deviations = {p["reviewer"]: p for p in summary["progress"]}
    for figures in page.progress:
        assert figures.deviation is not None
        row = deviations[figures.reviewer.username]
        assert row["scored"] == row["assigned"] == 2
        assert row["mean_signed_deviation"] == figures.deviation.mean_signed_deviation
        assert row["mean_abs_deviation"] == figures.deviation.mean_abs_deviation
        assert row["item_disagreements"] == figures.deviation.item_disagreements
    assert deviations["qa_qian"]["mean_signed_deviation"] == -5  # 10 below qa_sun: median
    brush = next(a for a in summary["answers"] if a["external_id"] == "C-BRUSH-OFF")
    assert brush["totals"] == {"qa_qian": 90.0, "qa_sun": 100.0}
    assert Api(qa_sun).get(f"/quality/calibrations/{session['id']}").json()["answers_visible"]

    # the agreed answer of C-BRUSH-OFF: everything passes but 服务禁语
    agreed = supervisor.put(
        f"/quality/calibrations/{session['id']}/contacts/{pair[0].pk}/agreed",
        {
            "answers": {
                i.id: {"result": "fail" if i.id == "forbidden_phrases" else "pass"}
                for i in STANDARD.items
            }
        },
    )
    assert agreed.status_code == 200, agreed.content.decode()
    assert len(agreed.json()) == len(STANDARD.items)
    now = supervisor.get(f"/quality/calibrations/{session['id']}").json()
    brush = next(a for a in now["answers"] if a["external_id"] == "C-BRUSH-OFF")
    assert brush["agreed_items"] == len(STANDARD.items)
    assert brush["agreed_total"] == brush["consensus_total"] == 95.0
    wrong = supervisor.put(
        f"/quality/calibrations/{session['id']}/contacts/{pair[0].pk}/agreed",
        {"answers": {"no_such_item": {"result": "pass"}}},
    )
    assert wrong.status_code == 422
    assert wrong.json()["detail"] == ["no_such_item：评分表中没有这一项"]

    examples = supervisor.get(f"/quality/calibrations/{session['id']}/examples")
    assert examples.status_code == 200
    assert examples["Content-Type"].startswith("text/yaml")
    text = examples.content.decode()
    assert "must_trigger" in text
    assert "13812345678" not in text

    closed = supervisor.post(f"/quality/calibrations/{session['id']}/close", {"note": "统一理解"})
    assert closed.status_code == 200
    assert (closed.json()["status"], closed.json()["note"]) == ("closed", "统一理解")
    again = supervisor.post(f"/quality/calibrations/{session['id']}/close", {})
    assert again.status_code == 422
    assert [s["id"] for s in supervisor.get("/quality/calibrations").json()] == [session["id"]]


def test_only_the_supervisor_runs_a_calibration_through_the_api(
    pair: list[Contact], org: Any, qa_zhao: User, qa_sun: User, qa_qian: User, qa_wu: User
) -> None:
    body = {
        "title": "十月服务禁语校准",
        "contact_ids": [c.pk for c in pair],
        "reviewers": ["qa_sun", "qa_qian"],
    }
    sun = Api(qa_sun)
    assert sun.post("/quality/calibrations", body).status_code == 403
    missing = Api(qa_zhao).post(
        "/quality/calibrations", body | {"contact_ids": [999999], "reviewers": ["nobody"]}
    )
    assert missing.status_code == 422
    assert missing.json()["detail"] == ["找不到这些联络：999999", "找不到这些用户：nobody"]
    alone = Api(qa_zhao).post("/quality/calibrations", body | {"reviewers": ["qa_sun"]})
    assert alone.status_code == 422
    assert any("至少选择 2 名质检员" in m for m in alone.json()["detail"])
    session = Api(qa_zhao).post("/quality/calibrations", body).json()
    base = f"/quality/calibrations/{session['id']}"

    agree = {"answers": {"opening": {"result": "pass"}}}
    assert sun.put(f"{base}/contacts/{pair[0].pk}/agreed", agree).status_code == 403
    assert sun.post(f"{base}/close", {}).status_code == 403
    assert sun.get(f"{base}/examples").status_code == 403
    assert sun.get(base).status_code == 200  # a reviewer of the session: their progress
    for who in ("agent_li", "leader_wang", "ops_zhou", "planner_qian"):
        api = Api(org.users[who])
        assert api.get("/quality/calibrations").status_code == 403
        assert api.get(base).status_code == 403
    assert Api(qa_wu).get(base).status_code == 404  # a reviewer outside the session
    assert Api(qa_wu).get("/quality/calibrations").json() == []
    assert Api(qa_zhao).get(f"{base}/contacts/999999/agreed").status_code == 405
    outside = Api(qa_zhao).put(f"{base}/contacts/999999/agreed", agree)
    assert outside.status_code == 404
    assert Api(qa_zhao).get("/quality/calibrations/999999").status_code == 404


# --------------------------------------------------------------------------- the schema


def test_openapi_documents_disputes_calibration_and_notifications(
    client_for: Any, qa_zhao: User
) -> None:
    paths = client_for(qa_zhao).get("/api/openapi.json").json()["paths"]

    for path, methods in {
        "/api/quality/evaluations/{evaluation_id}/disputes": {"get", "post"},
        "/api/quality/disputes": {"get"},
        "/api/quality/disputes/report": {"get"},
        "/api/quality/disputes/{dispute_id}": {"get"},
        "/api/quality/disputes/{dispute_id}/decision": {"post"},
        "/api/quality/calibrations": {"get", "post"},
        "/api/quality/calibrations/{session_id}": {"get"},
        "/api/quality/calibrations/{session_id}/contacts/{contact_id}/agreed": {"put"},
        "/api/quality/calibrations/{session_id}/close": {"post"},
        "/api/quality/calibrations/{session_id}/examples": {"get"},
        "/api/notifications": {"get"},
        "/api/notifications/read": {"post"},
    }.items():
        assert methods <= set(paths[path]), path
    summary = paths["/api/quality/calibrations/{session_id}"]["get"]["responses"]["200"]
    assert summary["content"]["application/json"]["schema"]["$ref"].endswith(
        "CalibrationSummaryOut"
    )
    examples = paths["/api/quality/calibrations/{session_id}/examples"]["get"]["responses"]
    assert "text/yaml" in examples["200"]["content"]
