"""Dissatisfaction reasons coded into people / process / product / network (seed 004) from
the customer's words, by rules a supervisor edits."""

from __future__ import annotations

import pytest

from lingting.engine.survey_reasons import (
    DEFAULT_REASON_WORDS,
    Reason,
    format_reason_rules,
    parse_reason_rules,
    reasons_of,
)


@pytest.mark.parametrize(
    ("comment", "reasons"),
    [
        ("客服态度太差，爱答不理", [Reason.PEOPLE]),
        ("等太久了，转来转去没人处理", [Reason.PROCESS]),
        ("乱收费，套餐太贵", [Reason.PRODUCT]),
        ("家里信号太差 经常掉线", [Reason.NETWORK]),
        ("宽带断网三天了，报修后等了两天也没人处理", [Reason.PROCESS, Reason.NETWORK]),
        ("还可以吧", []),
    ],
)
def test_the_default_words_code_real_complaints(comment: str, reasons: list[Reason]) -> None:
    assert reasons_of(comment) == reasons


def test_a_supervisors_rules_round_trip_and_replace_the_defaults() -> None:
    text = "# 本中心\npeople: 态度、不耐烦\nnetwork: 没信号, 5G\n"
    rules = parse_reason_rules(text)

    assert rules == {Reason.PEOPLE: ("态度", "不耐烦"), Reason.NETWORK: ("没信号", "5G")}
    assert parse_reason_rules(format_reason_rules(rules)) == rules
    assert parse_reason_rules(format_reason_rules(DEFAULT_REASON_WORDS)) == DEFAULT_REASON_WORDS
    assert reasons_of("５ｇ用不了", rules) == [Reason.NETWORK]  # full-width folded


@pytest.mark.parametrize(
    ("text", "line"),
    [("people: 态度\nstaff: 凶", "line 2"), ("people 态度", "line 1")],
)
def test_a_bad_rule_line_is_named(text: str, line: str) -> None:
    with pytest.raises(ValueError, match=line):
        parse_reason_rules(text)
