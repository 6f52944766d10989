"""The model judge in the app: an administrator's settings, pre-scoring drawn contacts in
the task worker, the review page's 模型建议, the trust page, and everything without it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from io import StringIO
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from lingting.core.models import AuditEvent, Role, ScheduledRun, User
from lingting.engine.scorecard_yaml import builtin_scorecard
from lingting.interactions.models import Contact
from lingting.quality.models import (
    AssignmentKind,
    Evaluation,
    JudgeSettings,
    ModelJudgement,
    ReviewAssignment,
    SamplingMethod,
)
from lingting.quality.selectors.judge import judge_trust
from lingting.quality.services.judge import JudgeSettingsSpec, contacts_judge, judge_settings_save
from lingting.quality.services.sampling import PlanSpec, sample_draw, sampling_plan_save
from tests.conftest import review
from tests.fake_llm import FakeModel, fake_model_fixture  # noqa: F401 (a fixture)
from tests.web.conftest import BRUSH_OFF, DRAW_DAY, ScoredContact
from tests.web.quality.test_reviews import answers_as_auto, checked_radios
from tests.web.quality.test_scoring import IMMEDIATE_TASKS

ClientFor = Callable[[User], Client]
pytestmark = pytest.mark.django_db
PROMPTED = [item for item in builtin_scorecard().items if item.judge_prompt]
SHIRKING_QUOTE = "你自己去营业厅问吧"


@pytest.fixture
def admin_ma(db: None) -> User:
    return User.objects.create_user("admin_ma", role=Role.ADMIN)


def judge_on(admin: User, fake_model: FakeModel, **settings: Any) -> JudgeSettings:
    spec = JudgeSettingsSpec(
        enabled=True,
        base_url=fake_model.base_url,
        model="qwen2.5-7b-instruct",
        retries=settings.pop("retries", 0),
        requests_per_minute=settings.pop("requests_per_minute", 0),
        **settings,
    )
    return judge_settings_save(actor=admin, spec=spec, api_key="sk-local")


@pytest.fixture
def brush_off(scored_contact: ScoredContact) -> Contact:
    return scored_contact("C-BRUSH-OFF", agent="A1001", turns=BRUSH_OFF)


def draw(qa_zhao: User, qa_sun: User, size: int = 10) -> None:
    spec = PlanSpec(
        name="十月抽检", method=SamplingMethod.RANDOM, sample_size=size, reviewers={qa_sun: 1}
    )
    sample_draw(plan=sampling_plan_save(actor=qa_zhao, spec=spec), actor=qa_zhao, day=DRAW_DAY)


# --- settings ---------------------------------------------------------------------------------


def test_admin_sets_up_the_judge_and_the_key_is_never_shown_back(
    client_for: ClientFor, admin_ma: User
) -> None:
    client = client_for(admin_ma)
    form = {
        "enabled": "on",
        "base_url": "http://127.0.0.1:8000/v1",
        "model": "qwen2.5-7b-instruct",
        "api_key": "sk-very-secret",
        "timeout_s": "30",
        "retries": "2",
        "requests_per_minute": "60",
        "price_input_per_million": "2",
        "price_output_per_million": "8",
    }
    response = client.post(reverse("quality:judge_settings"), form)
    assert response.status_code == 302

    settings = JudgeSettings.objects.get()
    assert settings.usable
    assert settings.api_key == "sk-very-secret"
    assert not settings.send_unmasked
    page = client.get(reverse("quality:judge_settings")).content.decode()
    assert "sk-very-secret" not in page
    assert "已设置" in page
    event = AuditEvent.objects.get(action="judge_settings.change")
    assert "sk-very-secret" not in str(event.after)
    assert event.after["api_key"] == "replaced"

    # saving again without typing the key keeps it
    client.post(reverse("quality:judge_settings"), form | {"api_key": "", "retries": "3"})
    settings.refresh_from_db()
    assert (settings.api_key, settings.retries) == ("sk-very-secret", 3)


def test_an_endpoint_inside_the_center_may_be_a_bare_host_name(
    client_for: ClientFor, admin_ma: User
) -> None:
    client = client_for(admin_ma)
    form = {
        "enabled": "on",
        "model": "qwen2.5:7b",
        "timeout_s": "60",
        "retries": "2",
        "requests_per_minute": "0",
        "price_input_per_million": "0",
        "price_output_per_million": "0",
    }

    refused = client.post(reverse("quality:judge_settings"), form | {"base_url": "vllm:8000"})
    assert refused.status_code == 200
    assert "请填写以 http:// 或 https:// 开头的地址" in refused.content.decode()
    assert not JudgeSettings.objects.exists()

    client.post(reverse("quality:judge_settings"), form | {"base_url": "http://ollama:11434/v1"})
    assert JudgeSettings.objects.get().base_url == "http://ollama:11434/v1"


def test_only_administrators_configure_the_judge(
    client_for: ClientFor, qa_zhao: User, qa_sun: User
) -> None:
    for user in (qa_zhao, qa_sun):
        assert client_for(user).get(reverse("quality:judge_settings")).status_code == 403


def test_enabling_without_an_endpoint_is_refused(admin_ma: User) -> None:
    with pytest.raises(ValidationError):
        judge_settings_save(
            actor=admin_ma, spec=JudgeSettingsSpec(enabled=True, base_url="", model="")
        )
    assert not JudgeSettings.objects.exists()


# --- pre-scoring on assignment ----------------------------------------------------------------


@IMMEDIATE_TASKS
def test_drawn_contacts_are_prescored_in_the_background(
    fake_model: FakeModel,
    admin_ma: User,
    brush_off: Contact,
    qa_zhao: User,
    qa_sun: User,
    django_capture_on_commit_callbacks: Any,
) -> None:
    judge_on(admin_ma, fake_model, price_input_per_million=2.0, price_output_per_million=8.0)
    fake_model.answer_item("不推诿", "fail", "客服让客户自己去营业厅", [SHIRKING_QUOTE])

    with django_capture_on_commit_callbacks(execute=True):
        draw(qa_zhao, qa_sun)
        assert not fake_model.requests  # never inside the draw's transaction

    rows = {row.item: row for row in ModelJudgement.objects.filter(contact=brush_off)}
    assert set(rows) == {item.id for item in PROMPTED}
    shirking = rows["no_shirking"]
    assert (shirking.result, shirking.reason) == ("fail", "客服让客户自己去营业厅")
    assert shirking.evidence == [{"text": SHIRKING_QUOTE, "turn": 2}]
    assert shirking.model == "qwen2.5-7b-instruct"
    assert shirking.cost == pytest.approx(1200 * 2 / 1e6 + 80 * 8 / 1e6)
    assert (shirking.prompt_tokens, shirking.completion_tokens) == (1200, 80)
    assert shirking.error == ""
    assert fake_model.headers[0]["Authorization"] == "Bearer sk-local"


@IMMEDIATE_TASKS
def test_a_fabricated_quote_is_stored_as_discarded_and_never_suggested(
    fake_model: FakeModel,
    admin_ma: User,
    brush_off: Contact,
    qa_sun: User,
    client_for: ClientFor,
) -> None:
    judge_on(admin_ma, fake_model)
    fake_model.answer_item("不推诿", "fail", "客服推诿", ["这事不归我们管"])

    contacts_judge(contact_ids=[brush_off.pk])

    row = ModelJudgement.objects.get(contact=brush_off, item="no_shirking")
    assert row.result == ""
    assert "not in the transcript" in row.error
    assignment = ReviewAssignment.objects.create(
        contact=brush_off, reviewer=qa_sun, kind=AssignmentKind.SAMPLE
    )
    page = client_for(qa_sun).get(reverse("quality:review", args=[assignment.pk])).content
    assert "这事不归我们管" not in page.decode()


def test_the_same_transcript_is_answered_from_the_stored_cache(
    fake_model: FakeModel, admin_ma: User, scored_contact: ScoredContact
) -> None:
    judge_on(admin_ma, fake_model)
    first = scored_contact(turns=BRUSH_OFF)
    twin = scored_contact(turns=BRUSH_OFF)
    contacts_judge(contact_ids=[first.pk])
    asked = len(fake_model.requests)

    contacts_judge(contact_ids=[twin.pk])

    assert len(fake_model.requests) == asked
    twins = ModelJudgement.objects.filter(contact=twin)
    assert twins.count() == len(PROMPTED)
    assert all(row.cached and row.cost == 0 for row in twins)
    # and a contact already answered is not asked again
    contacts_judge(contact_ids=[first.pk])
    assert ModelJudgement.objects.filter(contact=first).count() == len(PROMPTED)


def test_numbers_are_masked_before_they_reach_the_model(
    fake_model: FakeModel, admin_ma: User, scored_contact: ScoredContact
) -> None:
    judge_on(admin_ma, fake_model)
    contact = scored_contact(
        turns=(("agent", "请留一个回电号码"), ("customer", "我的手机是13812345678"))
    )

    contacts_judge(contact_ids=[contact.pk])

    assert fake_model.requests
    assert all("13812345678" not in str(request) for request in fake_model.requests)
    assert "138****5678" in fake_model.sent_text(0)


# --- the review page --------------------------------------------------------------------------


def test_review_page_prefills_manual_items_marked_as_the_models(
    fake_model: FakeModel, admin_ma: User, brush_off: Contact, qa_sun: User, client_for: ClientFor
) -> None:
    judge_on(admin_ma, fake_model)
    fake_model.answer_item("不推诿", "fail", "客服让客户自己去营业厅", [SHIRKING_QUOTE])
    contacts_judge(contact_ids=[brush_off.pk])
    assignment = ReviewAssignment.objects.create(
        contact=brush_off, reviewer=qa_sun, kind=AssignmentKind.SAMPLE
    )
    client = client_for(qa_sun)

    page = client.get(reverse("quality:review", args=[assignment.pk])).content.decode()

    assert "模型建议" in page
    assert "客服让客户自己去营业厅" in page
    assert f"<q>{SHIRKING_QUOTE}</q>" in page
    assert 'href="#turn-2"' in page
    radios = checked_radios(page)
    assert radios["result_no_shirking"] == "fail"
    assert radios["result_info_accurate"] == "pass"
    assert "result_smile" not in radios  # no prompt: left to the reviewer

    # the reviewer disagrees: their answer is saved, no reason needed against the model
    response = client.post(
        reverse("quality:review", args=[assignment.pk]),
        answers_as_auto(brush_off, result_no_shirking="pass"),
    )
    assert response.status_code == 302
    saved = Evaluation.objects.get(contact=brush_off).items.get(item="no_shirking")
    assert (saved.result, saved.auto_result, saved.overturned) == ("pass", "", False)


def test_quotes_are_masked_for_a_reviewer_who_may_not_see_numbers(
    fake_model: FakeModel,
    admin_ma: User,
    scored_contact: ScoredContact,
    qa_sun: User,
    client_for: ClientFor,
) -> None:
    judge_on(admin_ma, fake_model, send_unmasked=True)
    contact = scored_contact(turns=(("agent", "您好"), ("customer", "我的手机是13812345678")))
    fake_model.answer_item("不推诿", "pass", "客户留了号码", ["我的手机是13812345678"])
    contacts_judge(contact_ids=[contact.pk])
    assignment = ReviewAssignment.objects.create(
        contact=contact, reviewer=qa_sun, kind=AssignmentKind.SAMPLE
    )

    page = client_for(qa_sun).get(reverse("quality:review", args=[assignment.pk])).content

    assert "模型建议" in page.decode()
    assert "13812345678" not in page.decode()


def test_a_calibration_review_stays_blind_to_the_model(
    fake_model: FakeModel, admin_ma: User, brush_off: Contact, qa_sun: User, client_for: ClientFor
) -> None:
    judge_on(admin_ma, fake_model)
    contacts_judge(contact_ids=[brush_off.pk])
    assignment = ReviewAssignment.objects.create(
        contact=brush_off, reviewer=qa_sun, kind=AssignmentKind.CALIBRATION
    )

    page = client_for(qa_sun).get(reverse("quality:review", args=[assignment.pk])).content

    assert "模型建议" not in page.decode()


# --- the monitoring record ---------------------------------------------------------------------


@pytest.fixture
def reviewed_with_the_model(
    fake_model: FakeModel, admin_ma: User, brush_off: Contact, qa_sun: User, client_for: ClientFor
) -> Evaluation:
    """qa_sun's sample record of the brush-off call, which the model had failed on 不推诿
    (the reviewer passed it)."""
    judge_on(admin_ma, fake_model)
    fake_model.answer_item("不推诿", "fail", "客服让客户自己去营业厅", [SHIRKING_QUOTE])
    contacts_judge(contact_ids=[brush_off.pk])
    assignment = ReviewAssignment.objects.create(
        contact=brush_off, reviewer=qa_sun, kind=AssignmentKind.SAMPLE
    )
    client_for(qa_sun).post(
        reverse("quality:review", args=[assignment.pk]),
        answers_as_auto(brush_off, result_no_shirking="pass"),
    )
    return Evaluation.objects.get(contact=brush_off)


def test_the_record_shows_reviewers_what_the_model_had_suggested(
    reviewed_with_the_model: Evaluation, qa_zhao: User, client_for: ClientFor
) -> None:
    record = reviewed_with_the_model
    url = reverse("quality:evaluation_detail", args=[record.pk])

    page = client_for(qa_zhao).get(url).content.decode()

    row = page.split('data-suggested="fail"')[1].split("</tr>")[0]
    assert "模型建议" in page
    assert "客服让客户自己去营业厅" in row
    assert f"<q>{SHIRKING_QUOTE}</q>" in row
    contact_page = reverse("interactions:contact_detail", args=[record.contact_id])
    assert f'href="{contact_page}#turn-2"' in row  # the quote on the contact's transcript
    assert page.count("data-suggested=") == len(PROMPTED)  # the items with a prompt


def test_the_record_leaves_out_a_suggestion_made_after_the_review(
    reviewed_with_the_model: Evaluation, qa_zhao: User, client_for: ClientFor
) -> None:
    record = reviewed_with_the_model
    ModelJudgement.objects.update(created_at=record.submitted_at + timedelta(minutes=5))

    page = client_for(qa_zhao).get(reverse("quality:evaluation_detail", args=[record.pk]))

    assert "模型建议" not in page.content.decode()


def test_the_agent_reads_the_reviewers_record_without_the_models_suggestion(
    reviewed_with_the_model: Evaluation, agent_li: User, client_for: ClientFor
) -> None:
    record = reviewed_with_the_model
    assert record.contact.agent is not None
    assert record.contact.agent.code == "A1001"  # agent_li's own call

    response = client_for(agent_li).get(reverse("quality:evaluation_detail", args=[record.pk]))

    assert response.status_code == 200
    assert "模型建议" not in response.content.decode()


# --- the trust page ---------------------------------------------------------------------------


@pytest.fixture
def judged_and_reviewed(make_contact: Any, qa_sun: User) -> list[Contact]:
    """Four reviewed contacts whose 服务耐心 the model judged first: fail, fail, fail, pass;
    the reviewers then failed, failed, passed and failed it."""
    contacts = []
    for model_says, reviewer_lost in (("fail", 2), ("fail", 2), ("fail", 0), ("pass", 2)):
        contact = make_contact(score=90.0)
        ModelJudgement.objects.create(
            contact=contact,
            version=contact.current_score.version,
            item="patience",
            result=model_says,
            reason="—",
            model="qwen2.5-7b-instruct",
            cache_key="k",
        )
        review(contact, qa_sun, 90.0, attitude_lost=reviewer_lost)
        contacts.append(contact)
    return contacts


def test_trust_page_measures_the_model_by_reviewers_overturns(
    judged_and_reviewed: list[Contact], client_for: ClientFor, qa_zhao: User
) -> None:
    (patience,) = judge_trust()
    assert (patience.reviewed, patience.agreed, patience.model_fails) == (4, 2, 3)
    assert (patience.confirmed, patience.false_hits, patience.misses) == (2, 1, 1)
    assert patience.precision == pytest.approx(2 / 3)

    page = client_for(qa_zhao).get(reverse("quality:trust")).content.decode()
    assert "模型预评的人工项" in page
    row = page[page.index('id="judge-trust-patience"') :].split("</tr>")[0]
    assert "67%" in row  # precision
    assert "50%" in row  # agreement
    download = client_for(qa_zhao).get(reverse("quality:trust"), {"export": "csv"})
    assert "模型预评的人工项" in download.content.decode("utf-8-sig")


def test_a_judgement_made_after_the_review_is_not_counted(make_contact: Any, qa_sun: User) -> None:
    contact = make_contact(score=90.0)
    review(contact, qa_sun, 90.0, attitude_lost=2)
    ModelJudgement.objects.create(
        contact=contact,
        version=contact.current_score.version,
        item="patience",
        result="pass",
        model="m",
        cache_key="k",
    )
    assert judge_trust() == []


# --- without the judge ------------------------------------------------------------------------


def test_without_the_judge_everything_works_and_nothing_is_asked(
    brush_off: Contact,
    qa_zhao: User,
    qa_sun: User,
    client_for: ClientFor,
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks() as callbacks:
        draw(qa_zhao, qa_sun)
    assert callbacks == []  # nothing enqueued
    assert contacts_judge(contact_ids=[brush_off.pk]) == 0

    assignment = ReviewAssignment.objects.get(contact=brush_off)
    client = client_for(qa_sun)
    page = client.get(reverse("quality:review", args=[assignment.pk])).content.decode()
    assert "模型建议" not in page
    assert "result_no_shirking" not in checked_radios(page)
    response = client.post(
        reverse("quality:review", args=[assignment.pk]), answers_as_auto(brush_off)
    )
    assert response.status_code == 302
    trust = client_for(qa_zhao).get(reverse("quality:trust")).content.decode()
    assert "模型预评的人工项" not in trust
    assert not ModelJudgement.objects.exists()


def test_a_disabled_judge_keeps_its_settings_but_asks_nothing(
    fake_model: FakeModel, admin_ma: User, brush_off: Contact
) -> None:
    settings = judge_on(admin_ma, fake_model)
    judge_settings_save(
        actor=admin_ma,
        spec=JudgeSettingsSpec(enabled=False, base_url=settings.base_url, model=settings.model),
    )

    assert contacts_judge(contact_ids=[brush_off.pk]) == 0
    assert fake_model.requests == []


# --- catching up ------------------------------------------------------------------------------


def test_judge_pending_catches_up_contacts_drawn_while_it_was_off(
    fake_model: FakeModel,
    admin_ma: User,
    brush_off: Contact,
    qa_zhao: User,
    qa_sun: User,
) -> None:
    draw(qa_zhao, qa_sun)  # the judge is off: nothing asked
    with pytest.raises(CommandError, match="off"):
        call_command("judge_pending", stdout=StringIO())
    judge_on(admin_ma, fake_model)
    out = StringIO()

    call_command("judge_pending", stdout=out)

    assert ModelJudgement.objects.filter(contact=brush_off).count() == len(PROMPTED)
    assert "1 contacts awaiting review" in out.getvalue()
    asked = len(fake_model.requests)
    call_command("judge_pending", stdout=StringIO())  # nothing left to ask
    assert len(fake_model.requests) == asked


# --- the scheduled catch-up -------------------------------------------------------------------


def scheduled_judge_job(settings: Any) -> tuple[str, str, list[str]]:
    [job] = [job for job in settings.LINGTING_SCHEDULE if job[2][0] == "judge_pending"]
    return job


def test_the_scheduler_catches_up_with_the_judge_every_hour(settings: Any) -> None:
    _name, schedule, _argv = scheduled_judge_job(settings)

    assert schedule.startswith("hourly")


def test_without_a_model_the_scheduled_judge_does_nothing_and_fails_nothing(
    settings: Any, fake_model: FakeModel, brush_off: Contact, qa_zhao: User, qa_sun: User
) -> None:
    draw(qa_zhao, qa_sun)  # a contact waits for review; no model was ever configured
    settings.LINGTING_SCHEDULE = [scheduled_judge_job(settings)]

    call_command("scheduler", "--once", stdout=StringIO())

    run = ScheduledRun.objects.get()
    assert run.succeeded is True
    assert "the model judge is off: nothing to do" in run.output
    assert fake_model.requests == []
    assert not ModelJudgement.objects.exists()


def test_the_scheduled_judge_leaves_a_fresh_draw_to_its_own_background_judging(
    settings: Any,
    fake_model: FakeModel,
    admin_ma: User,
    brush_off: Contact,
    qa_zhao: User,
    qa_sun: User,
) -> None:
    draw(qa_zhao, qa_sun)  # while the judge was off
    judge_on(admin_ma, fake_model)
    _name, _schedule, argv = scheduled_judge_job(settings)

    call_command(*argv, stdout=StringIO())  # just drawn: the draw's tasks would judge it
    assert fake_model.requests == []

    ReviewAssignment.objects.update(assigned_at=timezone.now() - timedelta(hours=2))
    call_command(*argv, stdout=StringIO())
    assert ModelJudgement.objects.filter(contact=brush_off).count() == len(PROMPTED)
