"""The service competitiveness index (服务竞争力指数) of seed 004 篇1 (Shanghai Unicom).

A choice-intention survey wave asks users of every operator which operator they would
choose. With, per operator, the share of its surveyed users who would choose us and its
subscriber count:

    index = Σ (share choosing us × subscribers) ÷ Σ subscribers × 100

over all operators, ours included. Its two parts:

- retention (维系竞争力): our own users' share choosing us again, × 100;
- market (市场竞争力): the rivals' users choosing us, weighted by the rivals' subscribers,
  Σ (share × subscribers) ÷ Σ subscribers over the rivals only, × 100.

The counts come typed in, or tallied from the wave's answers file: one respondent a line
(JSON lines or CSV, UTF-8 or GBK, as `engine.records` reads them) with the operator they
use and the operator they would choose. From one wave to the next, each figure's change
is in points (seed: "较2012年末上升了1.2, 其中维系竞争力提升4.4%, 市场竞争力下降0.7%").
"""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from itertools import pairwise
from typing import Any

from lingting.engine.reader import LineError, UnreadableFileError, sniff_file_encoding
from lingting.engine.records import RecordError, parse_records, read_records, record_text


class WaveProblem(StrEnum):
    """Why a wave gives no index: for the pages to say in the reader's language."""

    NOT_ONE_OURS = "not_one_ours"
    UNNAMED = "unnamed"
    NAMED_TWICE = "named_twice"
    BAD_COUNTS = "bad_counts"
    NONE_ASKED = "none_asked"
    NO_SUBSCRIBERS = "no_subscribers"
    NOT_ENTERED = "not_entered"  # respondents use an operator with no subscriber count


class WaveError(ValueError):
    """A wave that cannot give an index, with the reason in words (and as a `problem`,
    with the `operator` it is about, if one)."""

    def __init__(self, problem: WaveProblem, reason: str, operator: str = "") -> None:
        super().__init__(reason)
        self.problem = problem
        self.operator = operator


@dataclass(frozen=True, slots=True)
class OperatorAnswers:
    operator: str
    subscribers: int
    asked: int  # this operator's users who answered the choice question
    choosing_us: int
    ours: bool = False


@dataclass(frozen=True, slots=True)
class Competitiveness:
    index: float
    retention: float
    market: float | None  # None where the wave asked no rival's users


def competitiveness(answers: Sequence[OperatorAnswers]) -> Competitiveness:
    """The index and its two parts for one wave; `WaveError` when it has none."""
    ours = [a for a in answers if a.ours]
    if len(ours) != 1:
        raise WaveError(WaveProblem.NOT_ONE_OURS, "a wave needs exactly one operator as ours")
    seen: set[str] = set()
    for a in answers:
        _check_operator(a, seen)
    rivals = [a for a in answers if not a.ours]
    total = sum(a.subscribers for a in answers)
    if total == 0:
        raise WaveError(WaveProblem.NO_SUBSCRIBERS, "no subscribers entered")
    rival_total = sum(a.subscribers for a in rivals)
    market = _weighted(rivals) / rival_total * 100 if rival_total else None
    return Competitiveness(
        index=_weighted(answers) / total * 100,
        retention=ours[0].choosing_us / ours[0].asked * 100,
        market=market,
    )


def _check_operator(a: OperatorAnswers, seen: set[str]) -> None:
    name = a.operator.strip()
    if not name:
        raise WaveError(WaveProblem.UNNAMED, "every operator needs a name")
    if operator_key(name) in seen:
        raise WaveError(WaveProblem.NAMED_TWICE, f"{name}: named twice", name)
    seen.add(operator_key(name))
    if a.subscribers < 0 or a.asked < 0 or not 0 <= a.choosing_us <= a.asked:
        raise WaveError(
            WaveProblem.BAD_COUNTS, f"{name}: counts must be ≥ 0 and choosing us ≤ asked", name
        )
    if a.asked == 0:
        raise WaveError(WaveProblem.NONE_ASKED, f"{name}: no users asked", name)


def _weighted(answers: Sequence[OperatorAnswers]) -> float:
    return sum(a.choosing_us / a.asked * a.subscribers for a in answers)


def operator_key(name: str) -> str:
    """An operator's name as waves and answers files match it: "CMCC " is "cmcc"."""
    return name.strip().casefold()


# --- the trend ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CompetitivenessChange:
    """One wave's figures against the wave before, in points (+1.2: up 1.2)."""

    index: float
    retention: float
    market: float | None  # None where either wave has no market part


def competitiveness_change(
    before: Competitiveness, after: Competitiveness
) -> CompetitivenessChange:
    market = None
    if before.market is not None and after.market is not None:
        market = after.market - before.market
    return CompetitivenessChange(
        index=after.index - before.index,
        retention=after.retention - before.retention,
        market=market,
    )


def competitiveness_trend(
    waves: Sequence[Competitiveness],
) -> list[CompetitivenessChange | None]:
    """Each wave's change against the one before it, in the order given (the first: None)."""
    changes = [competitiveness_change(a, b) for a, b in pairwise(waves)]
    return [None, *changes] if waves else []


# --- the answers file --------------------------------------------------------------------

# Each field, by the names an export may give it: ours first, then the survey tools' Chinese.
FIELD_NAMES = {
    "operator": ("operator", "运营商", "当前运营商"),
    "would_choose": ("would_choose", "选择意向", "意向运营商"),
}


@dataclass(frozen=True, slots=True)
class ChoiceAnswer:
    """One respondent: the operator they use and the one they would choose ("不确定" and
    any other answer that is no operator of ours count as not choosing us)."""

    operator: str
    would_choose: str


def choice_answer(record: Mapping[str, Any]) -> ChoiceAnswer:
    """Validate one respondent's record; raises `RecordError` naming the field."""
    return ChoiceAnswer(
        operator=_field(record, "operator", "the operator the respondent uses"),
        would_choose=_field(
            record, "would_choose", "the operator they would choose; 不确定 if they did not say"
        ),
    )


def read_choice_answers(path: str) -> Iterator[tuple[int, ChoiceAnswer] | LineError]:
    """(line number, answer) or a `LineError` for each non-blank line of a .jsonl/.csv
    file; raises `UnreadableFileError` when the file as a whole cannot be read (a CSV whose
    header names no operator or choice column among them)."""
    if path.lower().endswith(".csv"):
        _check_csv_header(path)
    return parse_records(read_records(path, required=()), choice_answer)


@dataclass(frozen=True, slots=True)
class OperatorSubscribers:
    """An operator of a wave whose counts come from its answers file."""

    operator: str
    subscribers: int
    ours: bool = False


def tally_answers(
    answers: Iterable[ChoiceAnswer], operators: Sequence[OperatorSubscribers]
) -> list[OperatorAnswers]:
    """A wave from its respondents: each of `operators` with its users asked and how many
    of them would choose ours. `WaveError` where respondents use an operator that is not
    among `operators`, since the index has no subscriber count to weigh their answers."""
    entered = {operator_key(o.operator) for o in operators}
    ours = {operator_key(o.operator) for o in operators if o.ours}
    asked: Counter[str] = Counter()
    choosing: Counter[str] = Counter()
    spelled: dict[str, str] = {}
    for answer in answers:
        key = operator_key(answer.operator)
        spelled.setdefault(key, answer.operator)
        asked[key] += 1
        choosing[key] += operator_key(answer.would_choose) in ours
    unknown = sorted(key for key in asked if key not in entered)
    if unknown:
        listed = "、".join(f"{spelled[key]} ({asked[key]})" for key in unknown)
        raise WaveError(
            WaveProblem.NOT_ENTERED,
            f"respondents use operators with no subscriber count: {listed}",
            listed,
        )
    return [
        OperatorAnswers(
            operator=o.operator,
            subscribers=o.subscribers,
            asked=asked[operator_key(o.operator)],
            choosing_us=choosing[operator_key(o.operator)],
            ours=o.ours,
        )
        for o in operators
    ]


def _field(record: Mapping[str, Any], field: str, meaning: str) -> str:
    for name in FIELD_NAMES[field]:
        if text := record_text(record, name):
            return text
    spelled = " / ".join(FIELD_NAMES[field])
    raise RecordError(f"missing '{field}' ({spelled}): {meaning}")


def _check_csv_header(path: str) -> None:
    encoding = sniff_file_encoding(path)
    with open(path, encoding=encoding, errors="replace", newline="") as stream:
        header = {name.strip() for name in next(csv.reader(stream), [])}
    for field, names in FIELD_NAMES.items():
        if header.isdisjoint(names):
            raise UnreadableFileError(
                f"the CSV header has no {field} column (any of: {', '.join(names)})"
            )
