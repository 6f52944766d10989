"""What a rule decides for one contact (`Verdict`), and what every rule kind answers to."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Literal, NamedTuple, Protocol

from lingting.engine.results import Evidence
from lingting.engine.rules.scan import Scan, Searched

VerdictOutcome = Literal["pass", "fail", "na"]


class Verdict(NamedTuple):
    """What one rule decided for one contact (a tuple: rules build one per item per contact)."""

    outcome: VerdictOutcome
    evidence: tuple[Evidence, ...] = ()
    detail: str = ""
    hits: int = 0  # deductible occurrences, for items that lose points per hit


PASS = Verdict("pass")
NO_TURNS = Verdict("na", detail="没有可检查的对话")
NO_TIMINGS = Verdict("na", detail="没有时间信息（文字会话）")


class Rule(Protocol):
    def evaluate(self, scan: Scan, lo: int, hi: int) -> Verdict:
        """Decide over the turns at positions lo..hi (inclusive)."""
        ...

    def literals(self) -> Iterator[Searched]:
        """Every literal phrase this rule needs the shared scan to find, and in whose turns."""
        ...
