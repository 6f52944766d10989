"""The check questions of a must-read bulletin (必读): at most three, each with two to six
options and one right answer; a reader passes when every answer is right."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

MAX_QUESTIONS = 3
MIN_OPTIONS, MAX_OPTIONS = 2, 6


class QuestionError(ValueError):
    """Questions that cannot be asked; the message says which and why."""


@dataclass(frozen=True, slots=True)
class CheckQuestion:
    text: str
    options: tuple[str, ...]
    answer: int  # index into options

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "options": [*self.options], "answer": self.answer}


def check_questions(raw: Sequence[Mapping[str, Any]]) -> list[CheckQuestion]:
    """Questions from their stored or entered form, checked."""
    if len(raw) > MAX_QUESTIONS:
        raise QuestionError(f"at most {MAX_QUESTIONS} questions")
    questions = []
    for number, item in enumerate(raw, start=1):
        text = str(item.get("text", "")).strip()
        options = tuple(str(o).strip() for o in item.get("options", ()) if str(o).strip())
        answer = item.get("answer")
        if not text:
            raise QuestionError(f"question {number} has no text")
        if not MIN_OPTIONS <= len(options) <= MAX_OPTIONS:
            raise QuestionError(f"question {number} needs {MIN_OPTIONS} to {MAX_OPTIONS} options")
        if (
            not isinstance(answer, int)
            or isinstance(answer, bool)
            or not 0 <= answer < len(options)
        ):
            raise QuestionError(f"question {number}: the right answer is none of its options")
        questions.append(CheckQuestion(text, options, answer))
    return questions


def wrong_answers(questions: Sequence[CheckQuestion], answers: Sequence[int | None]) -> list[int]:
    """The numbers (from 1) of the questions answered wrong or not at all."""
    given = list(answers) + [None] * (len(questions) - len(answers))
    return [
        n for n, (q, a) in enumerate(zip(questions, given, strict=False), start=1) if a != q.answer
    ]
