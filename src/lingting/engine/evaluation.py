"""A reviewer's evaluation of one contact: the monitoring record (客户代表监督记录表).

Seed 002 §四 step 2: "质检专员根据相应监控标准将录音内容,将问题填写客户代表监督记录表". The
reviewer answers every item of the scorecard: manual items (accuracy, attitude, selling
skill) for the first time, automatic items by confirming or overturning what the engine
found. Overturning the machine needs a reason: that is what later shows which automatic
items reviewers trust (false hits and misses).

The total follows the same rule as automatic scoring: points lost over the points of the
items that applied, a fatal failure zeroes the contact, and a failed item of a severity in
`fail_on_severity` makes it 不合格 whatever the points.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from lingting.engine.results import SEVERITIES, passes, points_score
from lingting.engine.scorecard import Item, Scorecard

ReviewResult = Literal["pass", "fail", "na"]
REVIEW_RESULTS: tuple[ReviewResult, ...] = ("pass", "fail", "na")


class EvaluationError(ValueError):
    """Answers that cannot make a record; `problems` names each item and what is wrong."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = tuple(problems)
        super().__init__("; ".join(self.problems))


@dataclass(frozen=True, slots=True)
class Answer:
    """What the reviewer decided for one item."""

    result: ReviewResult
    points_lost: float | None = None  # None: the item's full points when it fails
    reason: str = ""  # required when it overturns the automatic result
    note: str = ""


@dataclass(frozen=True, slots=True)
class ReviewedItem:
    item: str
    title: str
    section: str
    severity: str
    fatal: bool
    points: float
    result: ReviewResult
    points_lost: float
    auto_result: str  # "" for a manual item; pass/fail/na as the engine found it
    reason: str
    note: str

    @property
    def overturned(self) -> bool:
        """The reviewer disagreed with the engine about whether the item failed."""
        return self.auto_result in REVIEW_RESULTS and self.auto_result != self.result


@dataclass(frozen=True, slots=True)
class EvaluationOutcome:
    items: tuple[ReviewedItem, ...]
    score: float
    passed: bool
    fatal: bool
    severity_counts: Mapping[str, int]


def evaluate_answers(
    scorecard: Scorecard,
    answers: Mapping[str, Answer],
    *,
    auto_results: Mapping[str, str],
) -> EvaluationOutcome:
    """The record for `answers` (item id → answer), checked against the scorecard.

    `auto_results` maps automatic item ids to the engine's result for this contact. Every
    item must be answered; an answer that overturns the engine must give a reason; points
    lost stay within the item's points. All problems are reported at once.
    """
    problems: list[str] = []
    known = {item.id for item in scorecard.items}
    problems += [f"{item_id}: 评分表中没有这一项" for item_id in answers if item_id not in known]
    reviewed: list[ReviewedItem] = []
    for item in scorecard.items:
        answer = answers.get(item.id)
        if answer is None:
            problems.append(f"{item.id}（{item.title}）：未评分")
            continue
        reviewed_item = _reviewed(item, answer, auto_results.get(item.id, ""), problems)
        if reviewed_item is not None:
            reviewed.append(reviewed_item)
    if problems:
        raise EvaluationError(problems)
    return _outcome(scorecard, reviewed)


def _reviewed(
    item: Item, answer: Answer, auto_result: str, problems: list[str]
) -> ReviewedItem | None:
    where = f"{item.id}（{item.title}）"
    if answer.result not in REVIEW_RESULTS:
        problems.append(f"{where}：结果只能是 pass、fail 或 na，不是 {answer.result!r}")
        return None
    lost = 0.0
    if answer.result == "fail":
        lost = item.points if answer.points_lost is None else answer.points_lost
        if not 0 <= lost <= item.points:
            problems.append(f"{where}：扣分 {lost:g} 超出本项分值 0–{item.points:g}")
            return None
    reason = answer.reason.strip()
    if auto_result in REVIEW_RESULTS and auto_result != answer.result and not reason:
        problems.append(f"{where}：推翻自动质检结果（{auto_result} → {answer.result}）须写明理由")
        return None
    return ReviewedItem(
        item=item.id,
        title=item.title,
        section=item.section,
        severity=item.severity,
        fatal=item.fatal,
        points=item.points,
        result=answer.result,
        points_lost=lost,
        auto_result=auto_result,
        reason=reason,
        note=answer.note.strip(),
    )


def _outcome(scorecard: Scorecard, items: list[ReviewedItem]) -> EvaluationOutcome:
    applicable = sum(i.points for i in items if i.result != "na")
    failed = [i for i in items if i.result == "fail"]
    fatal = any(i.fatal for i in failed)
    counts = {severity: 0 for severity in SEVERITIES}
    for item in failed:
        if item.severity in counts:
            counts[item.severity] += 1
    score = points_score(applicable, sum(i.points_lost for i in failed), fatal)
    passed = passes(
        score=score,
        fatal=fatal,
        severity_counts=counts,
        pass_mark=scorecard.pass_mark,
        fail_on_severity=scorecard.fail_on_severity,
    )
    return EvaluationOutcome(
        items=tuple(items), score=score, passed=passed, fatal=fatal, severity_counts=counts
    )
