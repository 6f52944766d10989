"""The scorecard editor: a QA supervisor drafts a version from the one in force, edits a
rule and its examples (checked by the engine, errors next to the field), previews which
recent contacts would flip, submits it; another supervisor approves it — it becomes the
active version and the contacts are scored again — or rejects it with a reason. YAML is
imported and exported; a queue can be given its own scorecard."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
import yaml
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from lingting.core.models import AuditEvent, Role, User
from lingting.engine.scorecard_yaml import parse_scorecard
from lingting.interactions.models import Contact
from lingting.quality.models import (
    QueueScorecard,
    ReviewAssignment,
    Scorecard,
    ScorecardVersion,
    VersionStatus,
)
from lingting.quality.selectors.reviews import review_version
from lingting.quality.services import contacts_score, scorecard_load, scorecard_version_activate
from lingting.quality.services.scorecard_drafts import (
    ItemInput,
    draft_approve,
    draft_create,
    draft_save_item,
    draft_submit,
    queue_scorecard_set,
)
from lingting.quality.tasks import score_contacts
from tests.conftest import ContactFactory
from tests.web.quality.test_scoring import IMMEDIATE_TASKS

pytestmark = pytest.mark.django_db
ClientFor = Callable[[User], Client]

CARD = """
scorecard: standard
version: "1.0"
title: 测试评分表
pass_mark: 80
sections:
  - id: service
    title: 服务规范
    items:
      - id: opening
        title: 开头语
        points: 10
        severity: C
        rule: {kind: phrases, mode: required, phrases: ["您好"], within: {first_turns: 2}}
      - id: forbidden_phrases
        title: 服务禁语
        points: 30
        severity: B
        rule: {kind: phrases, mode: forbidden, phrases: ["不知道"]}
        examples:
          must_trigger:
            - [customer: 我的宽带断了, agent: 不知道]
      - id: attitude
        title: 服务态度
        points: 10
        severity: B
"""
NEW_RULE = "kind: phrases\nmode: forbidden\nphrases: [不知道, 自己查]\n"


@pytest.fixture
def qa_qian(org: Any) -> User:
    """A second QA supervisor: the one who approves what qa_zhao submits."""
    return User.objects.create_user("qa_qian", password="x", role=Role.QA_SUPERVISOR)


@pytest.fixture
def active(db: None) -> ScorecardVersion:
    version = scorecard_load(scorecard=parse_scorecard(CARD), actor=None)
    scorecard_version_activate(version=version, actor=None, rescore=False)
    return version


@pytest.fixture
def rude_contact(make_contact: ContactFactory, active: ScorecardVersion) -> Contact:
    """A contact of yesterday that the active version passes and `NEW_RULE` fails."""
    contact = make_contact(
        "RUDE-1",
        started_at=timezone.now() - timedelta(days=1),
        turns=[("agent", "您好，请问有什么可以帮您"), ("agent", "这个自己查吧")],
    )
    contacts_score(contact_ids=[contact.pk], version=active)
    contact.refresh_from_db()
    return contact


def item_post(**changes: str) -> dict[str, str]:
    data = {
        "title": "服务禁语",
        "points": "30",
        "severity": "B",
        "description": "",
        "rule": NEW_RULE,
        "must_trigger": "customer: 我的宽带断了\nagent: 不知道",
        "must_not_trigger": "",
    }
    return data | changes


def new_draft(client: Client, version: ScorecardVersion) -> ScorecardVersion:
    response = client.post(reverse("quality:scorecard_draft", args=[version.pk]))
    assert response.status_code == 302
    return ScorecardVersion.objects.get(status=VersionStatus.DRAFT, based_on=version)


def test_a_supervisor_changes_a_rule_in_a_draft_and_the_draft_stays_readable_yaml(
    client_for: ClientFor, qa_zhao: User, active: ScorecardVersion
) -> None:
    client = client_for(qa_zhao)
    draft = new_draft(client, active)
    url = reverse("quality:scorecard_item", args=[draft.pk, "forbidden_phrases"])
    assert "不知道" in client.get(url).content.decode()

    response = client.post(url, item_post())

    assert response.status_code == 302
    draft.refresh_from_db()
    rule = parse_scorecard(draft.source_text).item("forbidden_phrases").rule
    assert rule is not None
    assert rule["phrases"] == ["不知道", "自己查"]
    assert draft.fingerprint != active.fingerprint
    assert not draft.is_active
    active.refresh_from_db()
    assert "自己查" not in active.source_text  # the version in force is untouched
    assert AuditEvent.objects.filter(
        action="scorecard_version.edit", object_id=str(draft.pk), actor=qa_zhao
    ).exists()


def test_a_rule_the_engine_refuses_is_shown_next_to_the_rule_and_nothing_is_saved(
    client_for: ClientFor, qa_zhao: User, active: ScorecardVersion
) -> None:
    client = client_for(qa_zhao)
    draft = new_draft(client, active)
    before = draft.source_text
    url = reverse("quality:scorecard_item", args=[draft.pk, "forbidden_phrases"])

    response = client.post(url, item_post(rule="kind: phrases\nmode: forbidden\nphrasez: [x]\n"))

    assert response.status_code == 400
    form = response.context["form"]
    assert "phrasez" in " ".join(form.errors["rule"])
    assert "phrasez" in response.content.decode()  # what was typed is kept on the page
    draft.refresh_from_db()
    assert draft.source_text == before


def test_a_rule_kind_the_editor_never_heard_of_is_checked_by_the_engine_alone(
    client_for: ClientFor, qa_zhao: User, active: ScorecardVersion
) -> None:
    """The editor knows no rule kinds: any the engine builds is accepted (here a timing
    rule), and the engine's own words say what is wrong with one it cannot build."""
    client = client_for(qa_zhao)
    draft = new_draft(client, active)
    url = reverse("quality:scorecard_item", args=[draft.pk, "attitude"])
    good = item_post(title="服务态度", points="10", rule="kind: dead_air\nmax_gap_s: 20\n")
    good |= {"must_trigger": ""}
    assert client.post(url, good).status_code == 302
    bad = good | {"rule": "kind: no_such_kind\n"}
    response = client.post(url, bad)
    assert response.status_code == 400
    assert "no_such_kind" in " ".join(response.context["form"].errors["rule"])


def test_examples_are_edited_as_lines_and_run_examples_shows_the_one_that_fails(
    client_for: ClientFor, qa_zhao: User, active: ScorecardVersion
) -> None:
    client = client_for(qa_zhao)
    draft = new_draft(client, active)
    url = reverse("quality:scorecard_item", args=[draft.pk, "forbidden_phrases"])
    examples = "customer: 我的宽带断了\nagent: 不知道\n\ncustomer: 话费多少\nagent: 您好，五十元"
    response = client.post(url, item_post(must_trigger=examples))
    assert response.status_code == 302
    draft.refresh_from_db()
    document = yaml.safe_load(draft.source_text)
    written = document["sections"][0]["items"][1]["examples"]["must_trigger"]
    assert written[1] == [{"customer": "话费多少"}, {"agent": "您好，五十元"}]

    page = client.get(reverse("quality:scorecard_examples", args=[draft.pk]))

    failures = page.context["report"].failures
    assert [(f.item, f.expected) for f in failures] == [("forbidden_phrases", "must_trigger")]
    assert "您好，五十元" in page.content.decode()


def test_items_are_added_to_a_section_and_removed(
    client_for: ClientFor, qa_zhao: User, active: ScorecardVersion
) -> None:
    client = client_for(qa_zhao)
    draft = new_draft(client, active)
    response = client.post(
        reverse("quality:scorecard_item_new", args=[draft.pk]),
        item_post(item_id="thanks", section="service", title="致谢语", points="5", severity="C")
        | {"rule": "kind: phrases\nmode: required\nphrases: [谢谢]\n", "must_trigger": ""},
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert [i.id for i in parse_scorecard(draft.source_text).items][-1] == "thanks"

    client.post(reverse("quality:scorecard_item_remove", args=[draft.pk, "attitude"]))

    draft.refresh_from_db()
    assert "attitude" not in {i.id for i in parse_scorecard(draft.source_text).items}


def test_the_preview_shows_hit_rates_and_the_contacts_that_would_flip(
    client_for: ClientFor, qa_zhao: User, active: ScorecardVersion, rude_contact: Contact
) -> None:
    client = client_for(qa_zhao)
    draft = new_draft(client, active)
    client.post(
        reverse("quality:scorecard_item", args=[draft.pk, "forbidden_phrases"]), item_post()
    )

    response = client.get(reverse("quality:scorecard_preview", args=[draft.pk]), {"days": "7"})

    preview = response.context["preview"]
    assert preview.contacts == 1
    assert [(row.flip.contact_id, row.change) for row in preview.flips] == [
        ("RUDE-1", "pass_to_fail")
    ]
    rates = {rate.item: (rate.old_failed, rate.new_failed) for rate in preview.items}
    assert rates["forbidden_phrases"] == (0, 1)
    contact_url = reverse("interactions:contact_detail", args=[rude_contact.pk])
    assert contact_url in response.content.decode()


def test_the_preview_leaves_out_contacts_older_than_the_days_asked_for(
    client_for: ClientFor,
    qa_zhao: User,
    active: ScorecardVersion,
    rude_contact: Contact,
    make_contact: ContactFactory,
) -> None:
    make_contact("OLD-1", started_at=timezone.now() - timedelta(days=30))
    draft = draft_create(base=active, actor=qa_zhao)
    response = client_for(qa_zhao).get(reverse("quality:scorecard_preview", args=[draft.pk]))
    assert response.context["preview"].contacts == 1


@IMMEDIATE_TASKS
def test_another_supervisor_approves_the_version_which_rescores_the_contacts(
    client_for: ClientFor,
    qa_zhao: User,
    qa_qian: User,
    active: ScorecardVersion,
    rude_contact: Contact,
    django_capture_on_commit_callbacks: Any,
) -> None:
    assert rude_contact.current_score is not None
    assert rude_contact.current_score.passed
    author = client_for(qa_zhao)
    draft = new_draft(author, active)
    author.post(
        reverse("quality:scorecard_item", args=[draft.pk, "forbidden_phrases"]), item_post()
    )
    assert author.post(reverse("quality:scorecard_submit", args=[draft.pk])).status_code == 302
    draft.refresh_from_db()
    assert draft.status == VersionStatus.SUBMITTED
    assert draft.submitted_by == qa_zhao
    # Submitted, it can no longer be edited.
    edit = author.post(
        reverse("quality:scorecard_item", args=[draft.pk, "forbidden_phrases"]), item_post()
    )
    assert edit.status_code == 403

    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(qa_qian).post(reverse("quality:scorecard_approve", args=[draft.pk]))

    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.is_active
    assert draft.status == VersionStatus.PUBLISHED
    assert draft.decided_by == qa_qian
    rude_contact.refresh_from_db()
    assert rude_contact.current_score is not None
    assert rude_contact.current_score.version == draft
    assert not rude_contact.current_score.passed
    actions = set(
        AuditEvent.objects.filter(
            object_id=str(draft.pk), object_type="scorecard_version"
        ).values_list("action", flat=True)
    )
    assert {
        "scorecard_version.draft",
        "scorecard_version.edit",
        "scorecard_version.submit",
        "scorecard_version.approve",
        "scorecard_version.activate",
    } <= actions


def test_the_submitter_cannot_approve_their_own_version(
    client_for: ClientFor, qa_zhao: User, active: ScorecardVersion
) -> None:
    client = client_for(qa_zhao)
    draft = new_draft(client, active)
    client.post(
        reverse("quality:scorecard_item", args=[draft.pk, "forbidden_phrases"]), item_post()
    )
    client.post(reverse("quality:scorecard_submit", args=[draft.pk]))

    response = client.post(reverse("quality:scorecard_approve", args=[draft.pk]))

    assert response.status_code == 403
    draft.refresh_from_db()
    assert draft.status == VersionStatus.SUBMITTED
    assert not draft.is_active


def test_a_draft_without_changes_cannot_be_submitted(
    client_for: ClientFor, qa_zhao: User, active: ScorecardVersion
) -> None:
    client = client_for(qa_zhao)
    draft = new_draft(client, active)
    response = client.post(reverse("quality:scorecard_submit", args=[draft.pk]))
    assert response.status_code == 400
    assert "完全相同" in response.content.decode()


def test_a_rejection_needs_a_reason_and_leaves_the_active_version_in_force(
    client_for: ClientFor, qa_zhao: User, qa_qian: User, active: ScorecardVersion
) -> None:
    draft = draft_create(base=active, actor=qa_zhao)
    draft_save_item(
        draft=draft,
        actor=qa_zhao,
        item_id="forbidden_phrases",
        item=ItemInput("服务禁语", 40, "B", False, "", NEW_RULE, "", ""),
    )
    draft_submit(draft=draft, actor=qa_zhao)
    approver = client_for(qa_qian)
    url = reverse("quality:scorecard_reject", args=[draft.pk])
    assert approver.post(url, {"reason": ""}).status_code == 400

    assert approver.post(url, {"reason": "禁语范围过宽"}).status_code == 302

    draft.refresh_from_db()
    active.refresh_from_db()
    assert draft.status == VersionStatus.REJECTED
    assert draft.rejection_reason == "禁语范围过宽"
    assert active.is_active
    assert not draft.is_active
    assert AuditEvent.objects.filter(
        action="scorecard_version.reject", object_id=str(draft.pk), note="禁语范围过宽"
    ).exists()


def test_an_imported_file_with_problems_lists_every_one_and_stores_nothing(
    client_for: ClientFor, qa_zhao: User, active: ScorecardVersion
) -> None:
    broken = CARD.replace("severity: C", "severity: Z").replace('["不知道"]', "[]")
    upload = SimpleUploadedFile("card.yaml", broken.encode(), content_type="text/yaml")

    response = client_for(qa_zhao).post(reverse("quality:scorecard_import"), {"file": upload})

    assert response.status_code == 400
    errors = " ".join(response.context["import_form"].errors["file"])
    assert "'severity' must be A, B or C" in errors
    assert "needs at least one phrase" in errors
    assert ScorecardVersion.objects.count() == 1


def test_an_imported_file_becomes_a_draft_and_a_version_exports_as_its_yaml(
    client_for: ClientFor, qa_zhao: User, active: ScorecardVersion
) -> None:
    client = client_for(qa_zhao)
    exported = client.get(reverse("quality:scorecard_export", args=[active.pk]))
    assert exported["Content-Disposition"] == 'attachment; filename="standard-v1.yaml"'
    text = exported.content.decode().replace("points: 30", "points: 35")
    upload = SimpleUploadedFile("card.yaml", text.encode(), content_type="text/yaml")

    response = client.post(reverse("quality:scorecard_import"), {"file": upload})

    assert response.status_code == 302
    draft = ScorecardVersion.objects.get(status=VersionStatus.DRAFT)
    assert draft.source_text == text
    assert draft.based_on == active
    assert not draft.is_active


@pytest.mark.parametrize(
    ("user", "page_status", "edit_status"),
    [("agent_li", 403, 403), ("qa_sun", 200, 403), ("ops_zhou", 200, 403), ("qa_zhao", 200, 302)],
)
def test_agents_have_no_access_and_only_qa_supervisors_edit(
    client_for: ClientFor,
    org: Any,
    active: ScorecardVersion,
    user: str,
    page_status: int,
    edit_status: int,
) -> None:
    client = client_for(org.users[user])
    assert client.get(reverse("quality:scorecard_list")).status_code == page_status
    version_page = client.get(reverse("quality:scorecard_version", args=[active.pk]))
    assert version_page.status_code == page_status
    draft = client.post(reverse("quality:scorecard_draft", args=[active.pk]))
    assert draft.status_code == edit_status


def test_the_editor_list_shows_versions_and_their_state(
    client_for: ClientFor, qa_zhao: User, active: ScorecardVersion
) -> None:
    draft_create(base=active, actor=qa_zhao)
    page = client_for(qa_zhao).get(reverse("quality:scorecard_list")).content.decode()
    assert "使用中" in page
    assert "草稿" in page


@IMMEDIATE_TASKS
def test_a_queue_given_its_own_scorecard_scores_its_contacts_with_it(
    qa_zhao: User,
    org: Any,
    active: ScorecardVersion,
    make_contact: ContactFactory,
    django_capture_on_commit_callbacks: Any,
) -> None:
    repairs = make_contact("REPAIR-1", queue="ACD-02")
    billing = make_contact("BILL-1", queue="ACD-01")
    score_contacts.call([repairs.pk, billing.pk])
    other_card = parse_scorecard(
        CARD.replace("scorecard: standard", "scorecard: repairs").replace("测试", "报修")
    )
    other = scorecard_load(scorecard=other_card, actor=None)
    scorecard_version_activate(version=other, actor=None, rescore=False)

    with django_capture_on_commit_callbacks(execute=True):
        queue_scorecard_set(queue=org.queues["ACD-02"], scorecard=other.scorecard, actor=qa_zhao)

    repairs.refresh_from_db()
    billing.refresh_from_db()
    assert repairs.current_score is not None
    assert repairs.current_score.version == other
    assert billing.current_score is not None
    assert billing.current_score.version == active
    # New contacts of the queue are scored with it too; the others with the standard one.
    later = make_contact("REPAIR-2", queue="ACD-02")
    score_contacts.call([later.pk])
    later.refresh_from_db()
    assert later.current_score is not None
    assert later.current_score.version == other

    with django_capture_on_commit_callbacks(execute=True):
        queue_scorecard_set(queue=org.queues["ACD-02"], scorecard=None, actor=qa_zhao)

    repairs.refresh_from_db()
    assert repairs.current_score is not None
    assert repairs.current_score.version == active
    assert AuditEvent.objects.filter(action="queue.scorecard").count() == 2


def test_a_queue_whose_scorecard_has_no_active_version_falls_back_to_the_standard_one(
    qa_zhao: User, org: Any, active: ScorecardVersion, make_contact: ContactFactory
) -> None:
    card = Scorecard.objects.create(name="repairs", title="报修")
    QueueScorecard.objects.create(queue=org.queues["ACD-02"], scorecard=card)
    contact = make_contact("REPAIR-1", queue="ACD-02")
    score_contacts.call([contact.pk])
    contact.refresh_from_db()
    assert contact.current_score is not None
    assert contact.current_score.version == active


def test_the_queue_page_form_saves_a_queues_scorecard(
    client_for: ClientFor, qa_zhao: User, org: Any, active: ScorecardVersion
) -> None:
    queue = org.queues["ACD-02"]
    response = client_for(qa_zhao).post(
        reverse("quality:scorecard_queue", args=[queue.pk]), {"scorecard": active.scorecard_id}
    )
    assert response.status_code == 302
    assert QueueScorecard.objects.get(queue=queue).scorecard_id == active.scorecard_id


def test_approval_by_an_admin_works_through_the_service(
    qa_zhao: User, active: ScorecardVersion, org: Any
) -> None:
    admin = User.objects.create_user("admin_ma", password="x", role=Role.ADMIN)
    draft = draft_create(base=active, actor=qa_zhao)
    draft_save_item(
        draft=draft,
        actor=qa_zhao,
        item_id="forbidden_phrases",
        item=ItemInput("服务禁语", 40, "B", False, "", NEW_RULE, "", ""),
    )
    draft_submit(draft=draft, actor=qa_zhao)
    draft_approve(draft=draft, actor=admin)
    draft.refresh_from_db()
    assert draft.is_active


def test_a_draft_can_be_discarded_but_a_published_version_cannot(
    client_for: ClientFor, qa_zhao: User, active: ScorecardVersion
) -> None:
    client = client_for(qa_zhao)
    draft = new_draft(client, active)
    assert client.post(reverse("quality:scorecard_discard", args=[draft.pk])).status_code == 302
    assert not ScorecardVersion.objects.filter(pk=draft.pk).exists()
    assert AuditEvent.objects.filter(
        action="scorecard_version.discard", object_id=str(draft.pk)
    ).exists()
    response = client.post(reverse("quality:scorecard_discard", args=[active.pk]))
    assert response.status_code == 400
    assert ScorecardVersion.objects.filter(pk=active.pk).exists()


def test_a_new_item_cannot_take_the_code_of_an_existing_one(
    client_for: ClientFor, qa_zhao: User, active: ScorecardVersion
) -> None:
    client = client_for(qa_zhao)
    draft = new_draft(client, active)
    response = client.post(
        reverse("quality:scorecard_item_new", args=[draft.pk]),
        item_post(item_id="opening", section="service"),
    )
    assert response.status_code == 400
    assert response.context["form"].errors["item_id"]


def test_a_published_versions_item_is_shown_read_only(
    client_for: ClientFor, qa_zhao: User, active: ScorecardVersion
) -> None:
    client = client_for(qa_zhao)
    url = reverse("quality:scorecard_item", args=[active.pk, "forbidden_phrases"])
    page = client.get(url)
    assert page.status_code == 200
    assert page.context["form"].fields["rule"].disabled
    assert client.post(url, item_post()).status_code == 403


def test_the_list_page_reads_every_scorecard_and_version_in_a_few_queries(
    client_for: ClientFor,
    qa_zhao: User,
    active: ScorecardVersion,
    django_assert_max_num_queries: Any,
) -> None:
    client = client_for(qa_zhao)
    for _ in range(5):
        draft_create(base=active, actor=qa_zhao)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("quality:scorecard_list")).status_code == 200


def test_a_queue_scorecards_preview_replays_only_that_queues_contacts(
    client_for: ClientFor,
    qa_zhao: User,
    org: Any,
    active: ScorecardVersion,
    make_contact: ContactFactory,
) -> None:
    yesterday = timezone.now() - timedelta(days=1)
    make_contact("REPAIR-1", queue="ACD-02", started_at=yesterday)
    make_contact("BILL-1", queue="ACD-01", started_at=yesterday)
    other = scorecard_load(
        scorecard=parse_scorecard(CARD.replace("scorecard: standard", "scorecard: repairs")),
        actor=None,
    )
    scorecard_version_activate(version=other, actor=None, rescore=False)
    queue_scorecard_set(queue=org.queues["ACD-02"], scorecard=other.scorecard, actor=qa_zhao)
    client = client_for(qa_zhao)

    repairs = client.get(reverse("quality:scorecard_preview", args=[other.pk]))
    standard = client.get(reverse("quality:scorecard_preview", args=[active.pk]))

    assert repairs.context["preview"].contacts == 1
    assert standard.context["preview"].contacts == 1  # BILL-1: ACD-02 has its own


def test_an_unscored_contact_of_a_queue_is_reviewed_with_its_queues_scorecard(
    qa_sun: User, org: Any, active: ScorecardVersion, make_contact: ContactFactory
) -> None:
    other = scorecard_load(
        scorecard=parse_scorecard(CARD.replace("scorecard: standard", "scorecard: repairs")),
        actor=None,
    )
    scorecard_version_activate(version=other, actor=None, rescore=False)
    QueueScorecard.objects.create(queue=org.queues["ACD-02"], scorecard=other.scorecard)
    repairs = make_contact("REPAIR-9", queue="ACD-02")
    billing = make_contact("BILL-9", queue="ACD-01")

    for contact, version in ((repairs, other), (billing, active)):
        assignment = ReviewAssignment.objects.create(contact=contact, reviewer=qa_sun)
        assert review_version(assignment) == (version, None)
