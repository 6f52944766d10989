"""A must-read's check questions: what may be asked, and which answers are wrong."""

from __future__ import annotations

import pytest

from lingting.engine.bulletin_checks import QuestionError, check_questions, wrong_answers


def test_questions_are_checked_and_graded() -> None:
    questions = check_questions(
        [
            {"text": "月租多少？", "options": ["58 元", "68 元"], "answer": 1},
            {"text": "何时生效？", "options": ["12 月 1 日", "12 月 10 日", " "], "answer": 1},
        ]
    )
    assert questions[1].options == ("12 月 1 日", "12 月 10 日")
    assert wrong_answers(questions, [1, 1]) == []
    assert wrong_answers(questions, [0, 1]) == [1]
    assert wrong_answers(questions, [1]) == [2]  # unanswered is wrong


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ([{"text": "", "options": ["a", "b"], "answer": 0}], "no text"),
        ([{"text": "q", "options": ["a"], "answer": 0}], "2 to 6 options"),
        ([{"text": "q", "options": ["a", "b"], "answer": 2}], "none of its options"),
        ([{"text": "q", "options": ["a", "b"], "answer": True}], "none of its options"),
        ([{"text": "q", "options": ["a", "b"], "answer": 0}] * 4, "at most 3"),
    ],
)
def test_questions_that_cannot_be_asked_are_refused(raw: list, reason: str) -> None:
    with pytest.raises(QuestionError, match=reason):
        check_questions(raw)
