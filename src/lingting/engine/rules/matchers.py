"""Matchers: where a rule's words occur in a contact, and how details quote them."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Final, Protocol

from lingting.engine.rules.scan import Scan, Searched, Span, phrase_bits

# How a detail names whose words it quotes ("客服说了…").
SPEAKER_NAMES: Final[dict[str | None, str]] = {"agent": "客服", "customer": "客户"}


class Matcher(Protocol):
    @property
    def speaker(self) -> str | None:
        """Whose turns it matches in; None for anyone's."""
        ...

    def spans(self, scan: Scan, lo: int, hi: int) -> list[Span]:
        """Occurrences in turns lo..hi of this matcher's speaker, in conversation order."""
        ...

    def said(self, scan: Scan, lo: int, hi: int) -> bool: ...

    def literals(self) -> Iterator[Searched]: ...

    def describe(self) -> str: ...


@dataclass(frozen=True, slots=True)
class PhraseMatcher:
    """Literal phrases, except where they sit inside a longer excusing context.

    A context (`except_in`) is a longer phrase that contains one of the phrases, e.g.
    `不清楚的话` around `不清楚`: a hit is dropped when the context occurs in the turn around
    its whole span. Contexts are checked at the (rare) hits rather than searched for, which
    keeps them out of the shared automaton: its scanning cost grows with every distinct
    first character it holds.
    """

    phrases: frozenset[str]
    excusers: Mapping[str, tuple[str, ...]]  # phrase → contexts around it (all punctuations)
    speaker: str | None
    description: str = ""  # the first few phrases as written, quoted, for messages
    # `phrase_bits(phrases)`: checked against `Scan.found_bits` before any lookup.
    bits: int = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "bits", phrase_bits(self.phrases))

    def spans(self, scan: Scan, lo: int, hi: int) -> list[Span]:
        present = self._found(scan.found, scan.found_bits)
        if not present:
            return []
        speakers, speaker = scan.speakers, self.speaker
        spans = [
            hit
            for hits in present
            for hit in hits
            if lo <= hit[0] <= hi and (speaker is None or speakers[hit[0]] == speaker)
        ]
        if spans and self.excusers:
            spans = [s for s in spans if not self._excused(scan, s)]
        spans.sort()
        return spans

    def said(self, scan: Scan, lo: int, hi: int) -> bool:
        """Whether any phrase occurs in turns lo..hi (stops at the first)."""
        speakers, speaker = scan.speakers, self.speaker
        for hits in self._found(scan.found, scan.found_bits):
            for hit in hits:
                position = hit[0]
                if (
                    lo <= position <= hi
                    and (speaker is None or speakers[position] == speaker)
                    and not (self.excusers and self._excused(scan, hit))
                ):
                    return True
        return False

    def _found(self, found: dict[str, list[Span]], found_bits: int) -> list[list[Span]]:
        """The hits of each of this matcher's phrases that the contact holds. Most matchers
        find none of theirs in a contact: one `&` of two integers tells so."""
        if not self.bits & found_bits:
            return []
        phrases = self.phrases
        return [hits for phrase, hits in found.items() if phrase in phrases]

    def _excused(self, scan: Scan, span: Span) -> bool:
        contexts = self.excusers.get(span[3])
        if not contexts:
            return False
        text = scan.turns[span[0]].text
        return any(_surrounds(text, context, span[1], span[2]) for context in contexts)

    def literals(self) -> Iterator[Searched]:
        return ((self.speaker, phrase) for phrase in self.phrases)

    def describe(self) -> str:
        return self.description


@dataclass(frozen=True, slots=True)
class RegexMatcher:
    """A regular expression, with optional literal contexts and an exclusion pattern."""

    pattern: re.Pattern[str]
    contexts: tuple[str, ...]  # literal contexts, in all punctuations
    exclude: re.Pattern[str] | None
    speaker: str | None

    def spans(self, scan: Scan, lo: int, hi: int) -> list[Span]:
        spans: list[Span] = []
        turns = scan.turns
        for position in scan.positions(self.speaker, lo, hi):
            text = turns[position].text
            found = [(position, m.start(), m.end(), m.group()) for m in self.pattern.finditer(text)]
            if found and self.exclude is not None:
                excluded = [(position, m.start(), m.end(), "") for m in self.exclude.finditer(text)]
                found = [s for s in found if not _covered(s, excluded)]
            spans.extend(s for s in found if s[2] > s[1] and not self._excused(text, s))
        return spans

    def _excused(self, text: str, span: Span) -> bool:
        return any(_surrounds(text, context, span[1], span[2]) for context in self.contexts)

    def said(self, scan: Scan, lo: int, hi: int) -> bool:
        return bool(self.spans(scan, lo, hi))

    def literals(self) -> Iterator[Searched]:
        return iter(())

    def describe(self) -> str:
        return f"/{self.pattern.pattern}/"


def _covered(span: Span, covers: Iterable[Span]) -> bool:
    return any(c[0] == span[0] and c[1] <= span[1] and span[2] <= c[2] for c in covers)


def _surrounds(text: str, context: str, start: int, end: int) -> bool:
    """Whether `context` occurs in `text` covering the whole of text[start:end]."""
    return text.find(context, max(0, end - len(context)), start + len(context)) >= 0


def quote_some(words: Sequence[str], limit: int = 5) -> str:
    shown = "".join(f"“{w}”" for w in words[:limit])
    return shown + ("等" if len(words) > limit else "")


def matched_words(spans: Iterable[Span]) -> str:
    return quote_some(list(dict.fromkeys(s[3] for s in spans)))
