"""A script article's scorecard items: QA sees the YAML that checks agents followed the
script; a QA supervisor adds it to a new draft of a scorecard, which waits for approval."""

from __future__ import annotations

from collections.abc import Callable

import pytest
import yaml
from django.test import Client

from lingting.core.models import AuditEvent, User
from lingting.engine.knowledge import ArticleKind, ScriptStep, article_content
from lingting.engine.scorecard_yaml import parse_scorecard
from lingting.engine.script_items import ScriptTrigger
from lingting.knowledge.models import Article, ArticleVersion, VersionState
from lingting.knowledge.services.script_items import script_items_draft
from lingting.quality.models import ScorecardVersion, VersionStatus

pytestmark = pytest.mark.django_db
ClientFor = Callable[[User], Client]
PAGE = "/knowledge/a/KB-0901/scorecard-items/"

ABUSE = article_content(
    kind=ArticleKind.SCRIPT,
    title="辱骂来电处理",
    question="你们这帮傻逼",
    alternates=["他妈的"],
    steps=[
        ScriptStep("第一次警告", "请您使用文明语言，否则…", words=("文明语言",), avoid=("你才是",)),
        ScriptStep("第二次警告", "请您尊重本次对话", words=("尊重本次对话",)),
        ScriptStep("结束通话", "感谢您的使用，再见", words=("感谢您的使用",)),
    ],
)


def script_article(code: str = "KB-0901", *, live: bool = True) -> Article:
    """A script article made through the models (the article pages come separately)."""
    article = Article.objects.create(code=code, kind="script", title=ABUSE.title)
    version = ArticleVersion.objects.create(
        article=article,
        number=1,
        state=VersionState.PUBLISHED if live else VersionState.DRAFT,
        content=ABUSE.to_dict(),
    )
    if live:
        article.live = version
    else:
        article.open = version
    article.save()
    return article


def standard_target(version: ScorecardVersion, section: str = "attitude") -> str:
    return f"{version.pk}:{section}"


def test_qa_sees_the_items_yaml_with_the_scripts_words_as_trigger(
    client_for: ClientFor, qa_sun: User
) -> None:
    script_article()

    response = client_for(qa_sun).get(PAGE)

    assert response.status_code == 200
    items = yaml.safe_load(response.context["yaml_text"])
    assert [i["id"] for i in items] == ["script_kb_0901_steps", "script_kb_0901_avoid"]
    assert items[0]["rule"]["anchor"] == {
        "speaker": "customer",
        "phrases": ["你们这帮傻逼", "他妈的"],
    }
    assert [s["name"] for s in items[0]["rule"]["rule"]["steps"]] == [
        "第一次警告",
        "第二次警告",
        "结束通话",
    ]
    assert "加入新草稿" not in response.text  # an analyst reads, a supervisor adds


def test_the_trigger_and_weight_can_be_chosen(client_for: ClientFor, qa_sun: User) -> None:
    script_article()

    response = client_for(qa_sun).get(
        PAGE, {"trigger": "滚蛋、去死", "speaker": "customer", "points": "3", "severity": "A"}
    )

    (steps, avoid) = yaml.safe_load(response.context["yaml_text"])
    assert steps["rule"]["anchor"]["phrases"] == ["滚蛋", "去死"]
    assert (avoid["points"], avoid["severity"]) == (3, "A")


def test_no_trigger_checks_the_whole_contact(client_for: ClientFor, qa_sun: User) -> None:
    script_article()

    response = client_for(qa_sun).get(
        PAGE, {"trigger": "", "speaker": "customer", "points": "2", "severity": "B"}
    )

    (steps, _) = yaml.safe_load(response.context["yaml_text"])
    assert steps["rule"]["kind"] == "sequence"


def test_agents_and_team_leaders_cannot_open_it(
    client_for: ClientFor, agent_li: User, leader_wang: User
) -> None:
    script_article()

    assert client_for(agent_li).get(PAGE).status_code == 403
    assert client_for(leader_wang).get(PAGE).status_code == 403


def test_only_scripts_have_scorecard_items(client_for: ClientFor, qa_zhao: User) -> None:
    Article.objects.create(code="KB-0001", kind="answer", title="查话费")

    assert client_for(qa_zhao).get("/knowledge/a/KB-0001/scorecard-items/").status_code == 404
    assert client_for(qa_zhao).get("/knowledge/a/KB-404/scorecard-items/").status_code == 404


def test_the_open_version_of_a_script_never_published_is_shown(
    client_for: ClientFor, qa_zhao: User
) -> None:
    script_article(live=False)

    response = client_for(qa_zhao).get(PAGE)

    assert response.status_code == 200
    assert response.context["version"].state == VersionState.DRAFT


def test_drafts_stay_with_knowledge_owners(client_for: ClientFor, qa_sun: User) -> None:
    script_article(live=False)

    assert client_for(qa_sun).get(PAGE).status_code == 404
    assert client_for(qa_sun).get(PAGE, {"version": "open"}).status_code == 404


def test_the_version_being_revised_is_one_click_away(client_for: ClientFor, qa_zhao: User) -> None:
    article = script_article()
    revised = article_content(
        kind=ArticleKind.SCRIPT,
        title=ABUSE.title,
        steps=[*ABUSE.steps, ScriptStep("记录", "记录本次通话", words=("已记录",))],
    )
    article.open = ArticleVersion.objects.create(
        article=article, number=2, state=VersionState.REVIEW, content=revised.to_dict()
    )
    article.save()
    client = client_for(qa_zhao)

    live = client.get(PAGE)
    under_review = client.get(PAGE, {"version": "open"})

    assert live.context["version"].number == 1
    assert "?version=open" in live.text
    assert under_review.context["version"].number == 2
    assert "已记录" in under_review.context["yaml_text"]
    assert not under_review.context["settings"].is_bound  # the suggested settings


def test_supervisor_adds_the_items_to_a_new_draft_of_the_standard_scorecard(
    client_for: ClientFor, qa_zhao: User, standard_version: ScorecardVersion
) -> None:
    script_article()
    client = client_for(qa_zhao)
    page = client.get(PAGE)
    form = page.context["add_form"]
    sent = {name: form[name].value() for name in ("trigger", "speaker", "points", "severity")}

    response = client.post(PAGE, {**sent, "target": standard_target(standard_version)})

    draft = ScorecardVersion.objects.get(status=VersionStatus.DRAFT)
    assert response.status_code == 302
    assert response["Location"] == f"/quality/scorecards/versions/{draft.pk}/"
    card = parse_scorecard(draft.source_text)
    steps = card.item("script_kb_0901_steps")
    assert (steps.section, steps.kind) == ("attitude", "auto")
    assert card.item("script_kb_0901_avoid").severity == "B"
    standard_version.refresh_from_db()
    assert standard_version.is_active  # in force until the draft is approved
    assert AuditEvent.objects.filter(action="scorecard_version.edit").count() == 2


def test_adding_again_replaces_the_items_instead_of_doubling_them(
    client_for: ClientFor, qa_zhao: User, standard_version: ScorecardVersion
) -> None:
    article = script_article()
    sent = {"trigger": "傻逼", "speaker": "customer", "points": "2", "severity": "B"}
    client_for(qa_zhao).post(PAGE, {**sent, "target": standard_target(standard_version)})
    first = ScorecardVersion.objects.get(status=VersionStatus.DRAFT)
    assert article.live is not None

    second = script_items_draft(
        version=article.live,
        base=first,
        section_id="attitude",
        trigger=ScriptTrigger(("傻逼",)),
        points=4,
        severity="B",
        actor=qa_zhao,
    )

    card = parse_scorecard(second.source_text)
    assert [i.id for i in card.items].count("script_kb_0901_steps") == 1
    assert card.item("script_kb_0901_steps").points == 4


def test_a_script_that_cannot_be_checked_leaves_no_draft(
    client_for: ClientFor, qa_zhao: User, standard_version: ScorecardVersion
) -> None:
    unheard = article_content(
        kind=ArticleKind.SCRIPT, title="倾听", steps=[ScriptStep("倾听", "耐心听客户说完")]
    )
    article = Article.objects.create(code="KB-0902", kind="script", title="倾听")
    article.live = ArticleVersion.objects.create(
        article=article, number=1, state=VersionState.PUBLISHED, content=unheard.to_dict()
    )
    article.save()
    page = "/knowledge/a/KB-0902/scorecard-items/"
    client = client_for(qa_zhao)

    shown = client.get(page)
    response = client.post(
        page,
        {
            "trigger": "",
            "speaker": "customer",
            "points": "2",
            "severity": "B",
            "target": standard_target(standard_version),
        },
    )

    assert "no step has words" in shown.context["problem"]
    assert "加入新草稿" not in shown.text
    assert response.status_code == 400
    assert not ScorecardVersion.objects.filter(status=VersionStatus.DRAFT).exists()


def test_analysts_cannot_add_and_a_post_needs_its_csrf_token(
    client_for: ClientFor, qa_sun: User, qa_zhao: User, standard_version: ScorecardVersion
) -> None:
    script_article()
    sent = {
        "trigger": "傻逼",
        "speaker": "customer",
        "points": "2",
        "severity": "B",
        "target": standard_target(standard_version),
    }
    without_token = Client(enforce_csrf_checks=True)
    without_token.force_login(qa_zhao)

    assert client_for(qa_sun).post(PAGE, sent).status_code == 403
    assert without_token.post(PAGE, sent).status_code == 403
    assert not ScorecardVersion.objects.filter(status=VersionStatus.DRAFT).exists()


def test_an_unknown_section_is_refused(
    client_for: ClientFor, qa_zhao: User, standard_version: ScorecardVersion
) -> None:
    script_article()
    sent = {"trigger": "傻逼", "speaker": "customer", "points": "2", "severity": "B"}

    response = client_for(qa_zhao).post(PAGE, {**sent, "target": f"{standard_version.pk}:nope"})

    assert response.status_code == 400
    assert response.context["add_form"].errors["target"]
