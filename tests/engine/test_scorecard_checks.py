"""Checks before a scorecard change goes live: its own examples, and who would be re-scored."""

from __future__ import annotations

from lingting.engine.contacts import Contact, Turn
from lingting.engine.scorecard_checks import ItemFlip, diff_scorecards, run_examples
from lingting.engine.scorecard_yaml import parse_scorecard

OLD = """
scorecard: demo
version: "1"
sections:
  - id: language
    title: 服务用语
    items:
      - id: forbidden_phrases
        title: 服务禁语
        points: 20
        severity: A
        rule:
          kind: phrases
          mode: forbidden
          phrases: [不知道]
        examples:
          must_trigger: [这个我不知道]
          must_not_trigger: [我帮您查]
      - id: smile
        title: 微笑服务
        points: 80
        severity: C
"""


def chat(contact_id: str, *agent_lines: str) -> Contact:
    turns = tuple(Turn(i, "agent", text) for i, text in enumerate(agent_lines))
    return Contact(id=contact_id, turns=turns)


def test_examples_that_hold_give_a_clean_report() -> None:
    report = run_examples(parse_scorecard(OLD))

    assert report.ok
    assert report.checked == 2
    assert report.scorecard == "demo"
    assert report.version.startswith("1+")


def test_a_failing_example_is_reported_readably() -> None:
    edited = OLD.replace(
        "must_not_trigger: [我帮您查]", "must_not_trigger: [我帮您查，不知道行不行]"
    )

    report = run_examples(parse_scorecard(edited))

    assert not report.ok
    (failure,) = report.failures
    assert (failure.item, failure.expected, failure.outcome) == (
        "forbidden_phrases",
        "must_not_trigger",
        "fail",
    )
    assert failure.evidence == ("不知道",)
    assert failure.describe() == (
        "item 'forbidden_phrases': expected to not fail on “agent: 我帮您查，不知道行不行”,"
        " but it was fail (客服说了“不知道”); it pointed at 不知道"
    )


def test_a_must_trigger_example_that_passes_is_reported() -> None:
    edited = OLD.replace("must_trigger: [这个我不知道]", "must_trigger: [这个我不清楚]")

    (failure,) = run_examples(parse_scorecard(edited)).failures

    assert failure.expected == "must_trigger"
    assert failure.outcome == "pass"
    assert "expected to fail on “agent: 这个我不清楚”, but it was pass" in failure.describe()


def test_diff_yields_only_contacts_whose_result_changes() -> None:
    old = parse_scorecard(OLD)
    new = parse_scorecard(OLD.replace("phrases: [不知道]", "phrases: [不知道, 不清楚]"))
    contacts = [
        chat("same-fail", "不知道"),
        chat("clean", "您好"),
        chat("newly-failed", "这个不清楚"),
    ]

    flips = list(diff_scorecards(old, new, contacts))

    assert [f.contact_id for f in flips] == ["newly-failed"]
    (flip,) = flips
    assert (flip.old_score, flip.new_score) == (100.0, 80.0)
    assert (flip.old_passed, flip.new_passed, flip.pass_changed) == (True, True, False)
    assert flip.items == (ItemFlip("forbidden_phrases", "服务禁语", "pass", 0.0, "fail", 20.0),)


def test_diff_reports_a_pass_that_becomes_a_fail_of_the_contact() -> None:
    old = parse_scorecard(OLD)
    stricter = parse_scorecard(OLD.replace("points: 20", "points: 20\n        fatal: true"))

    (flip,) = diff_scorecards(old, stricter, [chat("c1", "不知道")])

    assert (flip.old_score, flip.new_score) == (80.0, 0.0)
    assert (flip.old_fatal, flip.new_fatal, flip.pass_changed) == (False, True, True)
    assert flip.items == ()  # the item itself failed in both versions


RENAMED_AND_EXTENDED = """
scorecard: demo
version: "2"
sections:
  - id: language
    title: 服务用语
    items:
      - id: forbidden
        title: 服务禁语
        points: 20
        severity: A
        rule: {kind: phrases, mode: forbidden, phrases: [不知道]}
      - id: opening
        title: 开头语
        points: 10
        severity: B
        rule: {kind: phrases, mode: required, phrases: [您好]}
      - id: smile
        title: 微笑服务
        points: 80
        severity: C
"""


def test_diff_shows_items_added_and_removed() -> None:
    old, new = parse_scorecard(OLD), parse_scorecard(RENAMED_AND_EXTENDED)

    (flip,) = diff_scorecards(old, new, [chat("c1", "稍等")])

    assert [(f.item, f.old_result, f.new_result) for f in flip.items] == [
        ("forbidden", None, "pass"),
        ("opening", None, "fail"),
        ("forbidden_phrases", "pass", None),
    ]
    assert flip.new_score == round(100 * 100 / 110, 1)
