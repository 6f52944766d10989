"""What a rule decides for one contact (`Verdict`), and what every rule kind answers to."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Final, Literal, final

from lingting.engine.record_class import Record
from lingting.engine.results import Evidence
from lingting.engine.rules.scan import Scan, Searched

VerdictOutcome = Literal["pass", "fail", "na"]


@final
class Verdict(Record):
    """What one rule decided for one contact (rules build one per item per contact)."""

    _fields = ("outcome", "evidence", "detail", "hits")
    __slots__ = (*_fields, "_hash")

    def __init__(
        self,
        outcome: VerdictOutcome,
        evidence: tuple[Evidence, ...] = (),
        detail: str = "",
        hits: int = 0,
    ) -> None:
        self.outcome = outcome
        self.evidence = evidence
        self.detail = detail
        self.hits = hits  # deductible occurrences, for items that lose points per hit
        # A contact's verdicts key the scorer's caches (`_CompiledItem.settled`, `_Scored`),
        # so each is hashed twice per contact, and most are shared constants: the hash is
        # made once, small enough to be a machine integer (a full-width one would be a
        # Python int made anew at every call), and leaves out the evidence, which most
        # verdicts lack (equal hashes are then compared in full).
        self._hash = hash((outcome, detail, hits)) >> 2

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Verdict):
            return NotImplemented
        return (
            self.outcome == other.outcome
            and self.detail == other.detail
            and self.hits == other.hits
            and self.evidence == other.evidence
        )

    def __hash__(self) -> int:
        return self._hash


PASS: Final = Verdict("pass")
NO_TURNS: Final = Verdict("na", detail="没有可检查的对话")
NO_TIMINGS: Final = Verdict("na", detail="没有时间信息（文字会话）")


class Rule:
    """What every rule kind is. A base class rather than a protocol: compiled (`accel`), a
    call through it (items, `all`, `only_if`, conditions) is a direct call through the
    class's method table, where a protocol's was a Python attribute lookup and call."""

    __slots__ = ()

    def evaluate(self, scan: Scan, lo: int, hi: int) -> Verdict:
        """Decide over the turns at positions lo..hi (inclusive)."""
        raise NotImplementedError

    def literals(self) -> Iterator[Searched]:
        """Every literal phrase this rule needs the shared scan to find, and in whose turns."""
        raise NotImplementedError
