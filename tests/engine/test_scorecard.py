"""Scorecard documents: loading, clear errors, versions, and the scoring arithmetic."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from zoneinfo import ZoneInfo

import orjson
import pytest

from lingting.demo.generator.organisation import demo_org
from lingting.demo.generator.traffic import generate_contacts
from lingting.engine.contacts import Contact, Turn, contact_from_record
from lingting.engine.scorecard import CompiledScorecard, ScorecardError
from lingting.engine.scorecard_yaml import builtin_scorecard, load_scorecard, parse_scorecard

CARD = """
scorecard: demo
version: "1.0"
title: 演示评分表
title_en: Demo
pass_mark: 80
sections:
  - id: language
    title: 服务用语
    title_en: Service language
    items:
      - id: opening
        title: 开头语
        title_en: Opening
        points: 20
        severity: B
        rule: {kind: phrases, mode: required, phrases: [您好], within: {first_turns: 1}}
      - id: forbidden_phrases
        title: 服务禁语
        points: 30
        severity: A
        rule: {kind: phrases, mode: forbidden, phrases: [不知道]}
      - id: insults
        title: 侮辱
        points: 10
        severity: A
        fatal: true
        rule: {kind: phrases, mode: forbidden, phrases: [神经病]}
      - id: fillers
        title: 口头禅
        points: 5
        severity: C
        per_hit_points: 1
        rule: {kind: count, phrases: [啊], max_hits: 1}
  - id: attitude
    title: 服务态度
    items:
      - id: hangup
        title: 不先挂机
        points: 15
        severity: B
        rule: {kind: hangup}
      - id: smile
        title: 微笑服务
        points: 20
        severity: C
"""


def chat(*lines: str, hangup_by: str | None = None) -> Contact:
    """Each line is "agent: …" or "customer: …"."""
    turns = []
    for index, line in enumerate(lines):
        speaker, text = line.split(": ", 1)
        turns.append(Turn(index, speaker, text))
    return Contact(id="c1", turns=tuple(turns), hangup_by=hangup_by)


@pytest.fixture(scope="module")
def demo() -> CompiledScorecard:
    return parse_scorecard(CARD, source="demo.yaml").compile()


# --- the document -------------------------------------------------------------------------


def test_document_fields_and_items_in_order() -> None:
    card = parse_scorecard(CARD, source="demo.yaml")

    assert (card.name, card.title, card.title_en, card.version) == (
        "demo",
        "演示评分表",
        "Demo",
        "1.0",
    )
    assert card.pass_mark == 80
    assert [s.id for s in card.sections] == ["language", "attitude"]
    assert card.sections[1].title_en == "服务态度"  # falls back to the title
    assert [i.id for i in card.items] == [
        "opening",
        "forbidden_phrases",
        "insults",
        "fillers",
        "hangup",
        "smile",
    ]
    smile = card.item("smile")
    assert (smile.kind, smile.section, smile.severity, smile.rule) == (
        "manual",
        "attitude",
        "C",
        None,
    )
    insults = card.item("insults")
    assert (insults.kind, insults.fatal, insults.points) == ("auto", True, 10)
    assert insults.rule == {"kind": "phrases", "mode": "forbidden", "phrases": ["神经病"]}


def test_version_label_is_declared_version_plus_content_fingerprint() -> None:
    card = parse_scorecard(CARD)

    assert len(card.fingerprint) == 64
    assert card.version_label == f"1.0+{card.fingerprint[:8]}"


def test_fingerprint_ignores_layout_and_comments_but_not_content() -> None:
    original = parse_scorecard(CARD)
    relaid = parse_scorecard("# edited by QA\n" + CARD.replace("pass_mark: 80", "pass_mark:   80"))
    changed = parse_scorecard(CARD.replace("[不知道]", "[不知道, 不清楚]"))

    assert relaid.fingerprint == original.fingerprint
    assert changed.fingerprint != original.fingerprint
    assert changed.version == original.version


def test_source_text_and_plain_dict_are_kept_for_storage() -> None:
    card = parse_scorecard(CARD)

    assert card.source_text == CARD
    document = card.to_dict()
    assert document["scorecard"] == "demo"
    document["scorecard"] = "changed"
    assert card.to_dict()["scorecard"] == "demo"


def test_pass_mark_defaults_to_80() -> None:
    assert parse_scorecard(CARD.replace("pass_mark: 80\n", "")).pass_mark == 80


def test_load_by_path_and_by_builtin_name(tmp_path: Path) -> None:
    path = tmp_path / "mine.yaml"
    path.write_text(CARD, encoding="utf-8")

    assert load_scorecard(path).name == "demo"
    assert load_scorecard(str(path)).source == str(path)
    assert load_scorecard("standard") is builtin_scorecard()


def test_unknown_scorecard_name_lists_the_builtins() -> None:
    with pytest.raises(ScorecardError, match="standard"):
        load_scorecard("no-such-card")


def test_phrases_for_floor_lists_every_phrase_searched_for(demo: CompiledScorecard) -> None:
    assert demo.phrases_for_floor() == sorted(["您好", "不知道", "神经病", "啊"])


# --- errors a supervisor can act on -------------------------------------------------------


def test_every_problem_is_reported_at_once_with_file_and_item() -> None:
    broken = (
        CARD.replace(
            "severity: A\n        rule: {kind: phrases, mode: forbidden, phrases: [不知道]}",
            "severity: D\n        rule: {kind: phrases, mode: forbidden, phrases: [不知道]}",
        )
        .replace("mode: required", "mode: must")
        .replace("points: 15", "points: lots")
    )

    with pytest.raises(ScorecardError) as error:
        parse_scorecard(broken, source="center.yaml")

    problems = error.value.problems
    assert len(problems) == 3
    message = str(error.value)
    assert message.startswith("center.yaml: 3 problems")
    assert "item 'opening': rule.mode: must be one of forbidden, required, not 'must'" in message
    assert "item 'forbidden_phrases': 'severity' must be A, B or C, not 'D'" in message
    assert "item 'hangup': 'points' must be a number" in message


def test_invalid_yaml_names_the_line() -> None:
    with pytest.raises(ScorecardError, match=r"bad\.yaml: line 4, column \d+: not valid YAML"):
        parse_scorecard(
            "scorecard: x\nversion: '1'\nsections: [\n  - oops: : :\n", source="bad.yaml"
        )


def test_invalid_yaml_is_worded_the_same_with_or_without_libyaml() -> None:
    # libyaml would say "did not find expected ',' or ']'"; the message stays PyYAML's.
    with pytest.raises(ScorecardError, match=r"line 2, column 2: not valid YAML: expected ','"):
        parse_scorecard("a: [1, 2\nb: 3\n", source="bad.yaml")


def test_misspelt_setting_is_an_error_not_silently_ignored() -> None:
    with pytest.raises(ScorecardError) as error:
        parse_scorecard(CARD.replace("phrases: [神经病]", "phrase: [神经病]"))

    assert "item 'insults': rule: unknown setting 'phrase'" in str(error.value)


def test_unknown_rule_kind_lists_the_kinds() -> None:
    with pytest.raises(ScorecardError, match=r"rule\.kind: must be one of phrases, regex"):
        parse_scorecard(CARD.replace("{kind: hangup}", "{kind: hangups}"))


def test_duplicate_item_ids_are_rejected() -> None:
    with pytest.raises(ScorecardError, match="item 'smile': the id is used twice"):
        parse_scorecard(CARD.replace("id: hangup", "id: smile"))


def test_item_ids_must_be_snake_case() -> None:
    with pytest.raises(ScorecardError, match="'id' must be snake_case"):
        parse_scorecard(CARD.replace("id: smile", "id: Smile Item"))


def test_unquoted_decimal_version_must_be_quoted() -> None:
    with pytest.raises(ScorecardError, match="quoted"):
        parse_scorecard(CARD.replace('version: "1.0"', "version: 1.10"))


def test_example_with_a_broken_turn_names_the_example() -> None:
    broken = CARD.replace(
        "rule: {kind: hangup}",
        "rule: {kind: hangup}\n        examples: {must_trigger: [[{speaker: robot, text: 你好}]]}",
    )

    with pytest.raises(ScorecardError, match=r"item 'hangup': examples.must_trigger\[1\]"):
        parse_scorecard(broken)


# --- scoring ------------------------------------------------------------------------------


def test_clean_contact_scores_100_with_manual_items_pending(demo: CompiledScorecard) -> None:
    result = demo.score(chat("agent: 您好", "customer: 谢谢", hangup_by="customer"))

    assert result.score == 100.0
    assert result.passed is True
    assert result.fatal is False
    assert result.severity_counts == {"A": 0, "B": 0, "C": 0}
    assert [(i.item, i.result) for i in result.items] == [
        ("opening", "pass"),
        ("forbidden_phrases", "pass"),
        ("insults", "pass"),
        ("fillers", "pass"),
        ("hangup", "pass"),
        ("smile", "manual"),
    ]
    assert result.scorecard == "demo"
    assert result.scorecard_version == parse_scorecard(CARD).version_label


def test_failed_items_lose_their_points_over_applicable_points(demo: CompiledScorecard) -> None:
    # opening fails (20 lost), hangup has no record (na: 15 points not applicable)
    result = demo.score(chat("agent: 稍等"))

    assert result.score == round(100 * (85 - 20) / 85, 1) == 76.5
    assert result.passed is False
    assert result.severity_counts == {"A": 0, "B": 1, "C": 0}
    opening = result.items[0]
    assert (opening.result, opening.points_lost, opening.severity) == ("fail", 20, "B")


def test_per_hit_deduction(demo: CompiledScorecard) -> None:
    result = demo.score(chat("agent: 您好啊", "agent: 好的啊", hangup_by="customer"))

    fillers = next(i for i in result.items if i.item == "fillers")
    assert (fillers.result, fillers.points_lost) == ("fail", 2)
    assert result.score == 98.0


def test_failed_fatal_item_makes_the_score_zero(demo: CompiledScorecard) -> None:
    result = demo.score(chat("agent: 您好", "agent: 神经病", hangup_by="customer"))

    assert (result.score, result.fatal, result.passed) == (0.0, True, False)
    assert result.severity_counts == {"A": 1, "B": 0, "C": 0}


def test_score_exactly_at_the_pass_mark_passes() -> None:
    card = parse_scorecard(CARD.replace("pass_mark: 80", "pass_mark: 70"))

    result = card.compile().score(chat("agent: 您好", "agent: 不知道", hangup_by="customer"))

    assert result.score == 70.0
    assert result.passed is True


def test_contact_without_turns_has_text_items_not_applicable(demo: CompiledScorecard) -> None:
    result = demo.score(Contact(id="cdr-only", hangup_by="agent"))

    outcomes = {i.item: i.result for i in result.items}
    assert outcomes == {
        "opening": "na",
        "forbidden_phrases": "na",
        "insults": "na",
        "fillers": "na",
        "hangup": "fail",
        "smile": "manual",
    }
    assert result.score == round(100 * 20 / 35, 1)


def test_results_serialize_to_the_format_contract(demo: CompiledScorecard) -> None:
    result = demo.score(chat("agent: 您好，这个我不知道", hangup_by="customer")).to_dict()

    forbidden = result["items"][1]
    assert forbidden["item"] == "forbidden_phrases"
    assert forbidden["result"] == "fail"
    assert forbidden["evidence"] == [
        {
            "turn": 0,
            "speaker": "agent",
            "start_char": 6,
            "end_char": 9,
            "text": "不知道",
            "time": None,
        }
    ]


SHANGHAI = ZoneInfo("Asia/Shanghai")


def test_fast_encoding_is_byte_for_byte_the_formats_result() -> None:
    compiled = builtin_scorecard().compile()
    org = demo_org(3)
    records = generate_contacts(org, seed=3, start=date(2026, 10, 1), days=1)
    contacts = [contact_from_record(r, tz=SHANGHAI) for r in records if r.get("turns")]
    assert contacts
    for contact in contacts:
        result = compiled.score(contact)
        assert compiled.encode(result) == orjson.dumps(result.to_dict())


def test_results_encode_the_same_whenever_they_are_encoded() -> None:
    compiled = builtin_scorecard().compile()
    records = generate_contacts(demo_org(3), seed=3, start=date(2026, 10, 1), days=1)
    contacts = [contact_from_record(r, tz=SHANGHAI) for r in records if r.get("turns")]
    results = [compiled.score(contact) for contact in contacts]  # all scored, then encoded
    assert any(result.severity_counts != {"A": 0, "B": 0, "C": 0} for result in results)
    for result in results:
        assert compiled.encode(result) == orjson.dumps(result.to_dict())


def test_contacts_with_the_same_verdicts_get_results_of_their_own(demo: CompiledScorecard) -> None:
    first, second = (
        demo.score(chat("agent: 您好", hangup_by="customer")._replace(id=f"id{n}")) for n in (1, 2)
    )
    assert (first.id, second.id) == ("id1", "id2")
    assert first.items == second.items
    first.severity_counts["A"] = 9
    assert second.severity_counts["A"] == 0
