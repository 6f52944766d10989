"""A script's steps as scorecard items: the YAML compiles, and following the script is what
passes."""

from __future__ import annotations

import pytest
import yaml

from lingting.engine.contacts import Contact, Turn
from lingting.engine.knowledge import ArticleContent, ArticleKind, ScriptStep, article_content
from lingting.engine.results import ItemResult
from lingting.engine.scorecard import CompiledScorecard
from lingting.engine.scorecard_yaml import parse_scorecard
from lingting.engine.script_items import (
    ScriptItemsError,
    ScriptTrigger,
    script_item_id,
    script_items,
    script_items_yaml,
)

OUTAGE = article_content(
    kind=ArticleKind.SCRIPT,
    title="停电报修安抚",
    steps=[
        ScriptStep("致歉", "给您带来不便非常抱歉", words=("抱歉", "不便"), avoid=("不归我管",)),
        ScriptStep("核实地址", "请问您的详细地址是？", words=("详细地址", "哪个小区")),
        ScriptStep("告知时限", "抢修人员将在两小时内到达", words=("小时内",), avoid=("不知道",)),
    ],
)
TRIGGER = ScriptTrigger(("停电", "没电了"))


def compiled(
    content: ArticleContent = OUTAGE, *, points: float = 2, severity: str = "B"
) -> CompiledScorecard:
    """A scorecard whose one section holds the generated items, read by the compiler."""
    text = script_items_yaml(
        content, item_id="script_kb_0101", trigger=TRIGGER, points=points, severity=severity
    )
    items = yaml.safe_load(text)
    document = {
        "scorecard": "scripts",
        "version": "1",
        "sections": [{"id": "scripts", "title": "话术", "items": items}],
    }
    return parse_scorecard(yaml.safe_dump(document, allow_unicode=True)).compile()


def chat(*lines: str) -> Contact:
    turns = []
    for index, line in enumerate(lines):
        speaker, text = line.split(": ", 1)
        turns.append(Turn(index, speaker, text))
    return Contact(id="c1", turns=tuple(turns))


def results(contact: Contact) -> dict[str, ItemResult]:
    return {i.item: i for i in compiled().score(contact).items}


FOLLOWED = (
    "agent: 您好",
    "customer: 我家停电了",
    "agent: 给您带来不便非常抱歉",
    "agent: 请问您的详细地址是？",
    "customer: 幸福小区3栋",
    "agent: 抢修人员将在两小时内到达",
)


def test_the_generated_yaml_is_two_items_the_compiler_accepts() -> None:
    card = compiled()

    assert [i.id for i in card.scorecard.items] == ["script_kb_0101_steps", "script_kb_0101_avoid"]
    steps = card.scorecard.item("script_kb_0101_steps")
    assert steps.title == "按话术步骤：停电报修安抚"
    assert "致歉、核实地址、告知时限" in steps.description


def test_following_the_script_passes() -> None:
    found = results(chat(*FOLLOWED))

    assert found["script_kb_0101_steps"].result == "pass"
    assert found["script_kb_0101_avoid"].result == "pass"


def test_skipping_a_step_fails_naming_it() -> None:
    skipped = [line for line in FOLLOWED if "详细地址" not in line]

    steps = results(chat(*skipped))["script_kb_0101_steps"]

    assert steps.result == "fail"
    assert "缺少步骤：核实地址" in steps.detail
    assert [e.text for e in steps.evidence] == ["停电"]


def test_swapping_two_steps_fails_with_the_misplaced_words() -> None:
    swapped = (
        "customer: 我家停电了",
        "agent: 请问您的详细地址是？",
        "agent: 给您带来不便非常抱歉",
        "agent: 抢修人员将在两小时内到达",
    )

    steps = results(chat(*swapped))["script_kb_0101_steps"]

    assert steps.result == "fail"
    assert "顺序不对：核实地址" in steps.detail
    assert [e.text for e in steps.evidence] == ["停电", "详细地址"]


def test_saying_an_avoid_word_fails_with_where_it_was_said() -> None:
    said = (*FOLLOWED, "agent: 具体原因我也不知道")

    avoid = results(chat(*said))["script_kb_0101_avoid"]

    assert avoid.result == "fail"
    assert [(e.turn, e.text) for e in avoid.evidence] == [(1, "停电"), (6, "不知道")]


def test_a_contact_without_the_trigger_is_not_judged() -> None:
    found = results(chat("customer: 我想查话费", "agent: 具体我也不知道"))

    assert found["script_kb_0101_steps"].result == "na"
    assert found["script_kb_0101_avoid"].result == "na"


def test_steps_before_the_trigger_do_not_count() -> None:
    early = ("agent: 非常抱歉", "agent: 详细地址是？", "customer: 停电了", "agent: 两小时内到")

    assert results(chat(*early))["script_kb_0101_steps"].result == "fail"


def test_a_step_without_words_is_left_out_and_said_so() -> None:
    content = article_content(
        kind=ArticleKind.SCRIPT,
        title="挽留",
        steps=[
            ScriptStep("倾听", "耐心听客户说完"),
            ScriptStep("致歉", "非常抱歉", words=("抱歉",)),
        ],
    )

    (item,) = script_items(content, item_id="script_x", trigger=TRIGGER)

    assert item["rule"]["rule"] == {"kind": "phrases", "mode": "required", "phrases": ["抱歉"]}
    assert "不检查：倾听" in item["description"]
    assert compiled(content).scorecard.item("script_kb_0101_steps").kind == "auto"


def test_without_a_trigger_the_whole_contact_is_judged() -> None:
    steps, _ = script_items(OUTAGE, item_id="script_x")

    assert steps["rule"]["kind"] == "sequence"
    assert "适用于所有会话" in steps["description"]


def test_points_and_severity_are_the_callers() -> None:
    card = compiled(points=3, severity="A")

    assert {(i.points, i.severity) for i in card.scorecard.items} == {(3.0, "A")}


def test_what_cannot_be_checked_is_refused_with_the_reason() -> None:
    unheard = article_content(
        kind=ArticleKind.SCRIPT, title="倾听", steps=[ScriptStep("倾听", "耐心听完")]
    )
    answer = article_content(kind=ArticleKind.ANSWER, title="查话费", body="发短信 CXYE")

    with pytest.raises(ScriptItemsError, match="no step has words"):
        script_items(unheard, item_id="script_x")
    with pytest.raises(ScriptItemsError, match="of kind answer"):
        script_items(answer, item_id="script_x")
    with pytest.raises(ScriptItemsError, match="at least one phrase"):
        script_items(OUTAGE, item_id="script_x", trigger=ScriptTrigger((" ",)))
    with pytest.raises(ScriptItemsError, match="severity"):
        script_items(OUTAGE, item_id="script_x", severity="D")


@pytest.mark.parametrize(
    ("code", "item_id"),
    [("KB-0101", "script_kb_0101"), ("话术-7", "script_7"), ("辱骂", "script")],
)
def test_item_ids_come_from_the_article_code(code: str, item_id: str) -> None:
    assert script_item_id(code) == item_id
