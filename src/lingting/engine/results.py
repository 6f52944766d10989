"""What scoring a contact produces: the `lingting score` result contract of FORMATS.md.

`Record`s, not frozen dataclasses: every contact scored builds a result, and a frozen
dataclass sets each field through `object.__setattr__`, several times slower.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, Final, Literal, final

from lingting.engine.record_class import Record

if TYPE_CHECKING:
    from lingting.engine.meaning import Meaning

Outcome = Literal["pass", "fail", "na", "manual"]
SEVERITIES: Final = ("A", "B", "C")


@final
class Evidence(Record):
    """The exact words behind an outcome: characters [start_char, end_char) of one turn."""

    _fields = ("turn", "speaker", "start_char", "end_char", "text", "time")
    __slots__ = _fields

    def __init__(
        self,
        turn: int,
        speaker: str,
        start_char: int,
        end_char: int,
        text: str,
        time: float | None = None,
    ) -> None:
        self.turn = turn
        self.speaker = speaker
        self.start_char = start_char
        self.end_char = end_char
        self.text = text
        self.time = time  # seconds from the contact's start, when the turn is timed

    def to_dict(self) -> dict[str, Any]:
        return {
            "turn": self.turn,
            "speaker": self.speaker,
            "start_char": self.start_char,
            "end_char": self.end_char,
            "text": self.text,
            "time": self.time,
        }


@final
class ItemResult(Record):
    _fields = ("item", "title", "result", "points_lost", "evidence", "severity", "fatal", "detail")
    __slots__ = _fields

    def __init__(
        self,
        item: str,
        title: str,
        result: Outcome,
        points_lost: float,
        evidence: tuple[Evidence, ...] = (),
        severity: str | None = None,
        fatal: bool = False,
        detail: str = "",
    ) -> None:
        self.item = item
        self.title = title
        self.result = result
        self.points_lost = points_lost
        self.evidence = evidence
        self.severity = severity
        self.fatal = fatal
        self.detail = detail  # a sentence for the reviewer, e.g. which order-flow steps were missed

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "item": self.item,
            "title": self.title,
            "result": self.result,
            "points_lost": self.points_lost,
            "evidence": [e.to_dict() for e in self.evidence],
        }
        if self.severity:
            out["severity"] = self.severity
        if self.detail:
            out["detail"] = self.detail
        return out


@final
class ContactResult(Record):
    _fields = (
        "id",
        "scorecard",
        "scorecard_version",
        "score",
        "passed",
        "fatal",
        "severity_counts",
        "items",
        "meaning",
    )
    __slots__ = _fields

    def __init__(
        self,
        id: str,
        scorecard: str,
        scorecard_version: str,
        score: float,
        passed: bool,
        fatal: bool,
        severity_counts: dict[str, int],
        items: tuple[ItemResult, ...],
        meaning: Meaning | None = None,
    ) -> None:
        self.id = id
        self.scorecard = scorecard
        self.scorecard_version = scorecard_version
        self.score = score
        self.passed = passed
        self.fatal = fatal
        self.severity_counts = severity_counts
        self.items = items
        self.meaning = meaning  # what the contact meant: emotion, resolution, satisfaction

    def to_dict(self, *, with_items: bool = True) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": self.id,
            "scorecard": self.scorecard,
            "scorecard_version": self.scorecard_version,
            "score": self.score,
            "passed": self.passed,
            "fatal": self.fatal,
            "severity_counts": self.severity_counts,
        }
        if self.meaning is not None:
            out.update(self.meaning.to_dict())
        if with_items:
            out["items"] = [i.to_dict() for i in self.items]
        return out


def points_score(applicable: float, lost: float, fatal: bool) -> float:
    """0–100: the share of applicable points kept; a fatal failure zeroes the contact."""
    if fatal:
        return 0.0
    if applicable <= 0:
        return 100.0  # nothing could be judged, so nothing was lost
    return round(100.0 * (applicable - lost) / applicable, 1)


def passes(
    *,
    score: float,
    fatal: bool,
    severity_counts: Mapping[str, int],
    pass_mark: float,
    fail_on_severity: Iterable[str],
) -> bool:
    """合格: not fatal, at or above the pass mark, and no failed item of a severity that
    fails a contact whatever its points (centers grade any A-class problem 不合格)."""
    return (
        not fatal
        and score >= pass_mark
        and not any(severity_counts.get(severity) for severity in fail_on_severity)
    )
