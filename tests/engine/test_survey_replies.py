"""Reading a customer's SMS answer to a survey (issue 17): digits, words, TD to opt out."""

from __future__ import annotations

import pytest

from lingting.engine.survey_figures import RECOMMEND
from lingting.engine.survey_replies import Reply, ReplyKind, read_reply


@pytest.mark.parametrize(
    ("text", "score"),
    [
        ("5", 5),
        (" ５ ", 5),  # full-width, as phone keyboards type it
        ("4分", 4),
        ("1。", 1),
        ("非常满意", 5),
        ("满意！", 4),
        ("一般吧", 3),
        ("不满意", 2),
        ("非常不满意！！", 1),
    ],
)
def test_digits_and_words_become_a_score(text: str, score: int) -> None:
    assert read_reply(text) == Reply(ReplyKind.SCORE, score, read_reply(text).comment)
    assert read_reply(text).score == score


def test_words_after_the_digit_are_the_comment() -> None:
    assert read_reply("2，等了半小时才接通") == Reply(ReplyKind.SCORE, 2, "等了半小时才接通")


@pytest.mark.parametrize("text", ["TD", "td", "Ｔ", "退订", "请不要再发短信了"])
def test_td_and_its_words_opt_out(text: str) -> None:
    assert read_reply(text).kind is ReplyKind.OPT_OUT


@pytest.mark.parametrize("text", ["7", "0", "你们是谁", "", "？"])
def test_anything_else_is_unreadable_not_guessed(text: str) -> None:
    assert read_reply(text) == Reply(ReplyKind.UNREADABLE)


def test_a_ten_point_survey_reads_digits_as_they_are_and_stretches_words() -> None:
    assert read_reply("9", scale=10).score == 9
    assert read_reply("非常满意", scale=10).score == 10
    assert read_reply("非常不满意", scale=10).score == 1
    assert read_reply("一般", scale=10).score == 6


@pytest.mark.parametrize(
    ("text", "score", "comment"),
    [
        ("9", 9, ""),
        ("0", 0, ""),
        ("10", 10, ""),
        ("１０", 10, ""),  # full-width
        ("10分", 10, ""),
        (" ８ 分！", 8, ""),
        ("6，客服态度一般", 6, "客服态度一般"),
    ],
)
def test_an_nps_survey_reads_numbers_from_0_to_10(text: str, score: int, comment: str) -> None:
    assert read_reply(text, question=RECOMMEND) == Reply(ReplyKind.SCORE, score, comment)


@pytest.mark.parametrize("text", ["11", "100", "-1", "9.5", "非常满意", "推荐", "会", "十"])
def test_an_nps_survey_never_guesses_a_number_from_anything_else(text: str) -> None:
    assert read_reply(text, question=RECOMMEND) == Reply(ReplyKind.UNREADABLE)


def test_td_opts_out_of_an_nps_survey_too() -> None:
    assert read_reply("TD", question=RECOMMEND).kind is ReplyKind.OPT_OUT


def test_a_decimal_is_no_score_on_a_satisfaction_survey_either() -> None:
    assert read_reply("4.5") == Reply(ReplyKind.UNREADABLE)
