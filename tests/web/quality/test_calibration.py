"""Calibration sessions (校准, seed 002 第三篇 §二.2: "定期进行服务质量监控校准，保证质检员对监控
标准理解的一致性"): blind scoring, agreement figures, agreed answers, scorecard examples."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from lingting.core.models import AuditEvent, Role, User
from lingting.engine.agreement import calibration_summary
from lingting.engine.scorecard_checks import run_examples
from lingting.engine.scorecard_yaml import builtin_scorecard, parse_scorecard
from lingting.interactions.models import Contact
from lingting.quality.models import (
    AgreedAnswer,
    AssignmentKind,
    AssignmentStatus,
    CalibrationSession,
    CalibrationStatus,
    Evaluation,
    ReviewAssignment,
)
from lingting.quality.selectors.calibration_agreement import CalibrationPage
from lingting.quality.services.calibration import (
    AgreedInput,
    calibration_agree,
    calibration_session_close,
    calibration_session_create,
)
from tests.conftest import PASSWORD
from tests.web.conftest import BRUSH_OFF, ScoredContact
from tests.web.quality.test_reviews import answers_as_auto, checked_radios

ClientFor = Callable[[User], Client]
pytestmark = pytest.mark.django_db
STANDARD = builtin_scorecard()
PHONE = "13812345678"
POLITE = (
    ("agent", "您好，很高兴为您服务，请问有什么可以帮您？", 0.0, 3.0),
    ("customer", f"我的宽带断了，手机号是{PHONE}，麻烦查一下。", 3.5, 8.0),
    ("agent", "好的，马上为您查询，请您稍等。", 8.5, 11.0),
    ("agent", "线路已经恢复了，请问还有其他可以帮您的吗？感谢您的来电，再见。", 20.0, 25.0),
)


@pytest.fixture
def qa_qian(org: Any) -> User:
    """A second QA analyst (a calibration needs two reviewers)."""
    user = User.objects.create_user("qa_qian", password=PASSWORD, role=Role.QA_ANALYST)
    user.first_name = "钱倩"
    user.save(update_fields=["first_name"])
    return user


@pytest.fixture
def qa_wu(org: Any) -> User:
    """A QA analyst who takes no part in the session."""
    return User.objects.create_user("qa_wu", password=PASSWORD, role=Role.QA_ANALYST)


@pytest.fixture
def brush_off(scored_contact: ScoredContact) -> Contact:
    return scored_contact("C-BRUSH-OFF", agent="A1001", turns=BRUSH_OFF)


@pytest.fixture
def polite(scored_contact: ScoredContact) -> Contact:
    return scored_contact("C-POLITE", agent="A1001", turns=POLITE)


@pytest.fixture
def session(
    qa_zhao: User, qa_sun: User, qa_qian: User, brush_off: Contact, polite: Contact
) -> CalibrationSession:
    return calibration_session_create(
        supervisor=qa_zhao,
        title="十月服务禁语校准",
        contacts=[brush_off, polite],
        reviewers=[qa_sun, qa_qian],
    )


def blind_answers(*failed: str, **changes: str) -> dict[str, str]:
    """The review form of a reviewer who passes every item but `failed` (full points)."""
    data = {f"result_{item.id}": "pass" for item in STANDARD.items}
    data |= {f"result_{item}": "fail" for item in failed}
    return data | changes


def assignment_of(
    session: CalibrationSession, reviewer: User, contact: Contact
) -> ReviewAssignment:
    return ReviewAssignment.objects.get(session=session, reviewer=reviewer, contact=contact)


def score_blind(
    client_for: ClientFor,
    session: CalibrationSession,
    reviewer: User,
    contact: Contact,
    *failed: str,
) -> Evaluation:
    """`reviewer` submits a record through the review page, failing the `failed` items."""
    assignment = assignment_of(session, reviewer, contact)
    response = client_for(reviewer).post(
        reverse("quality:review", args=[assignment.pk]), blind_answers(*failed)
    )
    assert response.status_code == 302, response.content.decode()
    return Evaluation.objects.get(assignment=assignment)


# qa_qian is exactly 10 points harsher than qa_sun on both contacts (the items add up to 100).
SUN = {"C-BRUSH-OFF": (), "C-POLITE": ("forbidden_phrases",)}
QIAN = {
    "C-BRUSH-OFF": ("forbidden_phrases", "info_accurate"),
    "C-POLITE": ("forbidden_phrases", "info_accurate", "info_complete", "identity_check"),
}


@pytest.fixture
def scored_session(
    client_for: ClientFor,
    session: CalibrationSession,
    qa_sun: User,
    qa_qian: User,
    brush_off: Contact,
    polite: Contact,
) -> CalibrationSession:
    for reviewer, plan in ((qa_sun, SUN), (qa_qian, QIAN)):
        for contact in (brush_off, polite):
            score_blind(client_for, session, reviewer, contact, *plan[contact.external_id])
    return session


def session_page(client: Client, session: CalibrationSession) -> tuple[CalibrationPage, str]:
    response = client.get(reverse("quality:calibration_detail", args=[session.pk]))
    assert response.status_code == 200
    return response.context["page"], response.content.decode()


def table_rows(html: str, table_id: str) -> dict[str, str]:
    """The rows of one table on the page, by their data-item or data-reviewer attribute."""
    table = html.split(f'id="{table_id}"', 1)[1].split("</table>", 1)[0]
    return dict(re.findall(r'<tr data-(?:item|reviewer)="([^"]+)"[^>]*>(.*?)</tr>', table, re.S))


def expected_summary(
    sun: dict[str, tuple[str, ...]], qian: dict[str, tuple[str, ...]], contacts: list[Contact]
) -> Any:
    """`calibration_summary` on the answers the reviewers gave, built here by hand."""
    by_id = {c.external_id: str(c.pk) for c in contacts}
    points = {item.id: item.points for item in STANDARD.items}

    def outcomes(plan: dict[str, tuple[str, ...]]) -> dict[str, dict[str, str]]:
        return {
            by_id[contact]: {i.id: "fail" if i.id in failed else "pass" for i in STANDARD.items}
            for contact, failed in plan.items()
        }

    def totals(plan: dict[str, tuple[str, ...]]) -> dict[str, float]:
        return {by_id[c]: 100 - sum(points[i] for i in failed) for c, failed in plan.items()}

    return calibration_summary(
        totals={"qa_sun": totals(sun), "qa_qian": totals(qian)},
        outcomes={"qa_sun": outcomes(sun), "qa_qian": outcomes(qian)},
    )


# --------------------------------------------------------------------------- creating


def test_supervisor_creates_a_session_and_every_reviewer_gets_every_contact(
    client_for: ClientFor,
    qa_zhao: User,
    qa_sun: User,
    qa_qian: User,
    brush_off: Contact,
    polite: Contact,
) -> None:
    client = client_for(qa_zhao)
    assert client.get(reverse("quality:calibration_create")).status_code == 200

    response = client.post(
        reverse("quality:calibration_create"),
        {
            "title": "十月服务禁语校准",
            "external_ids": "C-BRUSH-OFF，C-POLITE",
            "reviewers": [qa_sun.pk, qa_qian.pk],
        },
    )

    session = CalibrationSession.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("quality:calibration_detail", args=[session.pk])
    assert session.status == CalibrationStatus.OPEN
    assert session.version == brush_off.current_score.version  # type: ignore[union-attr]
    assignments = ReviewAssignment.objects.filter(session=session)
    assert assignments.count() == 4
    assert {a.kind for a in assignments} == {AssignmentKind.CALIBRATION}
    for reviewer in (qa_sun, qa_qian):
        queue = client_for(reviewer).get(reverse("quality:review_queue")).content.decode()
        assert "C-BRUSH-OFF" in queue
        assert "C-POLITE" in queue
    event = AuditEvent.objects.get(action="calibration.create")
    assert (event.actor, event.object_type) == (qa_zhao, "calibration_session")
    assert event.after["reviewers"] == ["qa_qian", "qa_sun"]


def test_recently_reviewed_contacts_can_be_picked_on_the_form(
    client_for: ClientFor, qa_zhao: User, qa_sun: User, qa_qian: User, brush_off: Contact
) -> None:
    sample = ReviewAssignment.objects.create(
        contact=brush_off, reviewer=qa_sun, kind=AssignmentKind.SAMPLE
    )
    reviewed = client_for(qa_sun).post(
        reverse("quality:review", args=[sample.pk]), answers_as_auto(brush_off)
    )
    assert reviewed.status_code == 302
    client = client_for(qa_zhao)

    form = client.get(reverse("quality:calibration_create")).content.decode()
    client.post(
        reverse("quality:calibration_create"),
        {"title": "复盘", "recent": [str(brush_off.pk)], "reviewers": [qa_sun.pk, qa_qian.pk]},
    )

    assert f'value="{brush_off.pk}"' in form
    assert list(CalibrationSession.objects.get().contacts.all()) == [brush_off]


def test_a_session_needs_two_reviewers_and_contacts_with_a_transcript(
    qa_zhao: User, qa_sun: User, agent_li: User, brush_off: Contact, make_contact: Any
) -> None:
    cdr_only = make_contact("C-CDR-ONLY", turns=())

    with pytest.raises(ValidationError) as refused:
        calibration_session_create(
            supervisor=qa_zhao,
            title=" ",
            contacts=[brush_off, cdr_only],
            reviewers=[qa_sun, agent_li],
        )

    problems = " ".join(refused.value.messages)
    assert "请填写校准主题" in problems
    assert "至少选择 2 名质检员" in problems
    assert "李娜" in problems  # an agent does not review
    assert "C-CDR-ONLY" in problems
    assert not CalibrationSession.objects.exists()
    assert not ReviewAssignment.objects.exists()


def test_an_unknown_contact_id_is_named_on_the_form(
    client_for: ClientFor, qa_zhao: User, qa_sun: User, qa_qian: User, brush_off: Contact
) -> None:
    response = client_for(qa_zhao).post(
        reverse("quality:calibration_create"),
        {
            "title": "校准",
            "external_ids": "C-BRUSH-OFF C-NOPE",
            "reviewers": [qa_sun.pk, qa_qian.pk],
        },
    )

    assert response.status_code == 200
    assert "C-NOPE" in response.content.decode()
    assert not CalibrationSession.objects.exists()


# --------------------------------------------------------------------------- blind scoring


def test_the_review_page_of_a_calibration_assignment_shows_nothing_of_the_machine(
    client_for: ClientFor, session: CalibrationSession, qa_sun: User, brush_off: Contact
) -> None:
    assignment = assignment_of(session, qa_sun, brush_off)

    page = client_for(qa_sun).get(reverse("quality:review", args=[assignment.pk]))
    html = page.content.decode()

    assert page.context["page"].auto_results == {}
    assert checked_radios(html) == {}  # nothing pre-filled, not even the engine's fail
    assert "你自己去营业厅问吧" in html
    assert 'class="ev' not in html  # no evidence marked in the transcript
    assert "自动：" not in html
    assert "校准盲评" in html
    queue = client_for(qa_sun).get(reverse("quality:review_queue")).content.decode()
    score = f"{brush_off.current_score.score:g}"  # type: ignore[union-attr]
    assert f'<td class="num">{score}</td>' not in queue


def test_a_blind_record_needs_no_overturn_reason_and_leaves_the_contact_score_alone(
    client_for: ClientFor, session: CalibrationSession, qa_sun: User, brush_off: Contact
) -> None:
    auto_score = brush_off.current_score
    # The engine failed 服务禁语 here; the reviewer passes it without a reason.
    evaluation = score_blind(client_for, session, qa_sun, brush_off)

    assert evaluation.kind == AssignmentKind.CALIBRATION
    assert evaluation.auto_score is None
    assert evaluation.version == session.version
    forbidden = evaluation.items.get(item="forbidden_phrases")
    assert (forbidden.result, forbidden.auto_result, forbidden.overturned) == ("pass", "", False)
    assert not evaluation.items.exclude(auto_result="").exists()
    brush_off.refresh_from_db()
    assert brush_off.current_score == auto_score
    assert not AuditEvent.objects.filter(object_type="contact").exists()


# --------------------------------------------------------------------------- the figures


def test_the_session_page_shows_agreement_figures_computed_by_the_engine(
    client_for: ClientFor,
    scored_session: CalibrationSession,
    qa_zhao: User,
    brush_off: Contact,
    polite: Contact,
) -> None:
    expected = expected_summary(SUN, QIAN, [brush_off, polite])

    page, html = session_page(client_for(qa_zhao), scored_session)

    assert page.submitted == page.expected == 4
    figures = {f.item.id: f.agreement for f in page.items}
    for item in expected.items:
        assert figures[item.item] == item
    assert page.total_alpha == expected.total_alpha
    forbidden = next(i for i in expected.items if i.item == "forbidden_phrases")
    assert forbidden.percent_agreement == 0.5  # disagree on C-BRUSH-OFF, agree on C-POLITE
    rows = table_rows(html, "item-agreement")
    assert "50%" in rows["forbidden_phrases"]
    assert f"{forbidden.alpha:.3f}" in rows["forbidden_phrases"]
    assert "100%" in rows["opening"]
    assert "全部一致" in rows["opening"]  # alpha is 0/0 there: nobody ever answered differently
    assert expected.total_alpha is not None
    assert f"{expected.total_alpha:.3f}" in html.split('id="total-alpha"', 1)[1][:300]
    assert "α ≥ 0.8 可靠，0.667–0.8 可暂用，&lt; 0.667 需重新校准" in html
    assert "Krippendorff" in html


def test_a_reviewer_10_points_harsher_deviates_until_the_agreed_answer_makes_it_10(
    client_for: ClientFor,
    scored_session: CalibrationSession,
    qa_zhao: User,
    brush_off: Contact,
    polite: Contact,
) -> None:
    client = client_for(qa_zhao)
    page, html = session_page(client, scored_session)
    by_reviewer = {r.reviewer.username: r for r in page.progress}
    # Two reviewers: the consensus is their median, halfway between them.
    assert by_reviewer["qa_qian"].deviation.mean_signed_deviation == pytest.approx(-5)  # type: ignore[union-attr]
    assert by_reviewer["qa_sun"].deviation.mean_signed_deviation == pytest.approx(5)  # type: ignore[union-attr]
    assert "−5" in table_rows(html, "progress")["qa_qian"]
    assert "偏严" in table_rows(html, "progress")["qa_qian"]

    # The supervisor agrees with qa_sun on both contacts, through the agreed-answer form.
    for contact in (brush_off, polite):
        url = reverse("quality:calibration_agree", args=[scored_session.pk, contact.pk])
        form = client.get(url).content.decode()
        assert "孙丽：" in form
        assert "钱倩：" in form
        response = client.post(url, blind_answers(*SUN[contact.external_id]))
        assert response.status_code == 302, response.content.decode()

    page, html = session_page(client, scored_session)
    by_reviewer = {r.reviewer.username: r for r in page.progress}
    assert by_reviewer["qa_qian"].deviation.mean_signed_deviation == pytest.approx(-10)  # type: ignore[union-attr]
    assert by_reviewer["qa_sun"].deviation.mean_signed_deviation == 0  # type: ignore[union-attr]
    # 服务禁语 and 信息准确 on C-BRUSH-OFF; 信息准确, 信息全面 and 核实信息 on C-POLITE.
    assert by_reviewer["qa_qian"].deviation.item_disagreements == 5  # type: ignore[union-attr]
    assert [c.consensus_total for c in page.answers] == [100.0, 95.0]
    assert "−10" in table_rows(html, "progress")["qa_qian"]
    assert AgreedAnswer.objects.count() == 2 * len(STANDARD.items)
    assert AuditEvent.objects.filter(action="calibration.agree").count() == 2


def test_agreeing_again_replaces_the_earlier_agreed_answers(
    scored_session: CalibrationSession, qa_zhao: User, brush_off: Contact
) -> None:
    calibration_agree(
        supervisor=qa_zhao,
        session=scored_session,
        contact=brush_off,
        answers={"forbidden_phrases": ("fail", None, "推诿"), "patience": ("fail", 1, "")},
    )
    calibration_agree(
        supervisor=qa_zhao,
        session=scored_session,
        contact=brush_off,
        answers={"forbidden_phrases": AgreedInput("pass")},
    )

    (agreed,) = AgreedAnswer.objects.all()
    assert (agreed.item, agreed.result, agreed.points_lost) == ("forbidden_phrases", "pass", 0)


def test_an_agreed_answer_is_checked_against_the_scorecard(
    scored_session: CalibrationSession, qa_zhao: User, brush_off: Contact
) -> None:
    with pytest.raises(ValidationError) as refused:
        calibration_agree(
            supervisor=qa_zhao,
            session=scored_session,
            contact=brush_off,
            answers={"no_such_item": ("fail", None, ""), "patience": ("fail", 50, "")},
        )

    problems = " ".join(refused.value.messages)
    assert "no_such_item" in problems
    assert "超出本项分值" in problems
    assert not AgreedAnswer.objects.exists()


def test_the_agreed_answer_overrides_the_majority_for_item_disagreements(
    client_for: ClientFor, scored_session: CalibrationSession, qa_zhao: User, brush_off: Contact
) -> None:
    # On C-BRUSH-OFF, qa_qian alone failed 服务禁语 (a tie between two: no consensus).
    calibration_agree(
        supervisor=qa_zhao,
        session=scored_session,
        contact=brush_off,
        answers={"forbidden_phrases": ("fail", None, "")},
    )

    page, _ = session_page(client_for(qa_zhao), scored_session)

    row = next(r for r in page.answers[0].rows if r.item.id == "forbidden_phrases")
    assert row.consensus == "fail"
    assert [c.reviewer.username for c in row.cells] == ["qa_qian", "qa_sun"]
    assert [c.differs for c in row.cells] == [False, True]


# --------------------------------------------------------------------------- examples


def test_agreed_answers_on_automatic_items_download_as_scorecard_examples(
    client_for: ClientFor,
    scored_session: CalibrationSession,
    qa_zhao: User,
    brush_off: Contact,
    polite: Contact,
) -> None:
    calibration_agree(
        supervisor=qa_zhao,
        session=scored_session,
        contact=brush_off,
        answers={"forbidden_phrases": ("fail", None, "推诿客户"), "patience": ("fail", None, "")},
    )
    calibration_agree(
        supervisor=qa_zhao,
        session=scored_session,
        contact=polite,
        answers={"forbidden_phrases": ("pass", None, "")},
    )

    response = client_for(qa_zhao).get(
        reverse("quality:calibration_examples", args=[scored_session.pk])
    )
    text = response.content.decode()

    assert response["Content-Type"].startswith("text/yaml")
    assert "attachment" in response["Content-Disposition"]
    scorecard = parse_scorecard(text, source="download.yaml")  # the engine accepts it
    examples = scorecard.item("forbidden_phrases").examples
    added_trigger = [e for e in examples.must_trigger if "营业厅" in e.text]
    added_not = [e for e in examples.must_not_trigger if "宽带断了" in e.text]
    assert len(added_trigger) == 1
    assert "agent: 这个我不清楚，你自己去营业厅问吧。" in added_trigger[0].text
    assert len(added_not) == 1
    assert "138****5678" in added_not[0].text  # personal numbers masked
    assert PHONE not in text
    assert "A1001" not in text
    assert "李娜" not in text
    assert added_trigger[0].contact.turns[2].start == 6.5  # timings kept for timed rules
    assert scorecard.item("patience").kind == "manual"  # a manual item gets no example
    assert not scorecard.item("patience").examples.must_trigger
    assert "lingting scorecard test" in text.splitlines()[2]
    assert run_examples(scorecard).ok  # the rule agrees with both agreed answers


def test_an_agreed_answer_the_rule_contradicts_becomes_a_failing_example(
    client_for: ClientFor, scored_session: CalibrationSession, qa_zhao: User, brush_off: Contact
) -> None:
    # The session decides "这个我不清楚" was not a brush-off here; the rule says it is.
    calibration_agree(
        supervisor=qa_zhao,
        session=scored_session,
        contact=brush_off,
        answers={"forbidden_phrases": ("pass", None, "客户已挂断")},
    )
    client = client_for(qa_zhao)

    page, html = session_page(client, scored_session)
    text = client.get(reverse("quality:calibration_examples", args=[scored_session.pk]))

    assert (page.examples, page.examples_against_rule) == (1, 1)
    assert "规则与议定不一致" in html
    (failure,) = run_examples(parse_scorecard(text.content.decode())).failures
    assert (failure.item, failure.expected) == ("forbidden_phrases", "must_not_trigger")


# --------------------------------------------------------------------------- who sees what


def test_only_the_supervisor_runs_a_session(
    client_for: ClientFor,
    scored_session: CalibrationSession,
    qa_sun: User,
    brush_off: Contact,
    org: Any,
) -> None:
    pk = scored_session.pk
    sun = client_for(qa_sun)
    assert sun.get(reverse("quality:calibration_create")).status_code == 403
    assert sun.post(reverse("quality:calibration_create"), {"title": "x"}).status_code == 403
    agree = reverse("quality:calibration_agree", args=[pk, brush_off.pk])
    assert sun.get(agree).status_code == 403
    assert sun.post(agree, blind_answers()).status_code == 403
    assert sun.post(reverse("quality:calibration_close", args=[pk])).status_code == 403
    assert sun.get(reverse("quality:calibration_examples", args=[pk])).status_code == 403
    for who in ("agent_li", "leader_wang", "ops_zhou", "planner_qian"):
        client = client_for(org.users[who])
        assert client.get(reverse("quality:calibration_list")).status_code == 403
        assert client.get(reverse("quality:calibration_detail", args=[pk])).status_code == 403
    assert not AgreedAnswer.objects.exists()
    assert CalibrationSession.objects.get().status == CalibrationStatus.OPEN


def test_a_reviewer_outside_the_session_cannot_open_it(
    client_for: ClientFor, session: CalibrationSession, qa_wu: User
) -> None:
    client = client_for(qa_wu)

    assert client.get(reverse("quality:calibration_detail", args=[session.pk])).status_code == 404
    assert (
        "十月服务禁语校准" not in client.get(reverse("quality:calibration_list")).content.decode()
    )


def test_the_nav_shows_calibration_to_the_supervisor_only(
    client_for: ClientFor, qa_zhao: User, qa_sun: User
) -> None:
    link = f'href="{reverse("quality:calibration_list")}"'
    assert link in client_for(qa_zhao).get(reverse("quality:review_queue")).content.decode()
    assert link not in client_for(qa_sun).get(reverse("quality:review_queue")).content.decode()


def test_a_reviewer_sees_the_others_answers_only_after_submitting_all_their_own(
    client_for: ClientFor,
    session: CalibrationSession,
    qa_sun: User,
    qa_qian: User,
    brush_off: Contact,
    polite: Contact,
) -> None:
    sun_records = [score_blind(client_for, session, qa_sun, c) for c in (brush_off, polite)]
    score_blind(client_for, session, qa_qian, brush_off, "forbidden_phrases")
    qian = client_for(qa_qian)

    waiting, html = session_page(qian, session)
    assert not waiting.answers_visible
    assert waiting.answers == []
    assert waiting.items == []
    assert [a.contact for a in waiting.own_pending] == [polite]
    assert "孙丽" in html  # progress names who has scored how much…
    assert "item-agreement" not in html  # …but shows no answers and no figures
    for record in sun_records:
        detail = reverse("quality:evaluation_detail", args=[record.pk])
        assert qian.get(detail).status_code == 404

    done, _ = session_page(client_for(qa_sun), session)  # qa_sun has scored everything
    assert done.answers_visible
    assert len(done.answers) == 2

    score_blind(client_for, session, qa_qian, polite)
    finished, _ = session_page(qian, session)
    assert finished.answers_visible
    assert (
        qian.get(reverse("quality:evaluation_detail", args=[sun_records[0].pk])).status_code == 200
    )


def test_closing_withdraws_unscored_contacts_and_then_shows_everyone_the_answers(
    client_for: ClientFor,
    session: CalibrationSession,
    qa_zhao: User,
    qa_sun: User,
    qa_qian: User,
    brush_off: Contact,
    polite: Contact,
) -> None:
    score_blind(client_for, session, qa_sun, brush_off)
    score_blind(client_for, session, qa_qian, brush_off, "forbidden_phrases")

    response = client_for(qa_zhao).post(
        reverse("quality:calibration_close", args=[session.pk]),
        {"note": "“这个我不清楚”一律按服务禁语扣分"},
    )

    assert response.status_code == 302
    session.refresh_from_db()
    assert session.status == CalibrationStatus.CLOSED
    assert session.closed_at is not None
    assert not ReviewAssignment.objects.filter(session=session, status=AssignmentStatus.PENDING)
    assert (
        "C-POLITE" not in client_for(qa_sun).get(reverse("quality:review_queue")).content.decode()
    )
    page, html = session_page(client_for(qa_qian), session)
    assert page.answers_visible
    assert "一律按服务禁语扣分" in html
    assert [p.scored for p in page.progress] == [1, 1]
    event = AuditEvent.objects.get(action="calibration.close")
    assert event.after["withdrawn"] == ["qa_qian:C-POLITE", "qa_sun:C-POLITE"]
    with pytest.raises(ValidationError):
        calibration_agree(
            supervisor=qa_zhao, session=session, contact=polite, answers={"opening": ("pass",)}
        )
    with pytest.raises(ValidationError):
        calibration_session_close(supervisor=qa_zhao, session=session, note="")


def test_calibration_records_never_reach_agents_nor_the_contacts_audit(
    client_for: ClientFor,
    scored_session: CalibrationSession,
    qa_zhao: User,
    brush_off: Contact,
    org: Any,
) -> None:
    calibration_agree(
        supervisor=qa_zhao,
        session=scored_session,
        contact=brush_off,
        answers={"forbidden_phrases": ("fail", None, "")},
    )
    auto_score = brush_off.current_score.score  # type: ignore[union-attr]
    agent = client_for(org.users["agent_li"])
    leader = client_for(org.users["leader_wang"])

    for record in Evaluation.objects.all():
        url = reverse("quality:evaluation_detail", args=[record.pk])
        assert agent.get(url).status_code == 404
        assert leader.get(url).status_code == 404
    contact_page = agent.get(reverse("interactions:contact_detail", args=[brush_off.pk]))
    assert contact_page.status_code == 200
    assert contact_page.context["detail"].score.score == auto_score
    assert "十月服务禁语校准" not in contact_page.content.decode()
    for record in Evaluation.objects.all():
        url = reverse("quality:evaluation_detail", args=[record.pk])
        assert url not in contact_page.content.decode()
    brush_off.refresh_from_db()
    assert brush_off.current_score.score == auto_score  # type: ignore[union-attr]
    assert not AuditEvent.objects.filter(object_type="contact").exists()
    assert set(
        AuditEvent.objects.filter(action__startswith="calibration.").values_list(
            "object_type", flat=True
        )
    ) == {"calibration_session"}
