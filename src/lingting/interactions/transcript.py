"""How a transcript is shown: turns cut into segments by evidence and personal numbers.

Pure functions on plain data (no Django), so the rules are unit-tested on their own:

- `split_segments` cuts one turn's text at every evidence and personal-number boundary
  (character offsets into the text, as the scoring engine gives them) and says, for each
  piece, which evidence covers it, which evidence starts there (the anchor a link jumps
  to), and whether it is part of a personal number (its text comes from the shown,
  masked text, which keeps every character offset).
- `format_clock` writes seconds as m:ss (h:mm:ss past an hour).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Highlight:
    """Evidence: characters [start, end) of a turn; `anchor` is its id on the page."""

    start: int
    end: int
    anchor: str
    label: str = ""


@dataclass(frozen=True, slots=True)
class Segment:
    text: str
    covered_by: tuple[str, ...] = ()  # anchors of the evidence that covers this piece
    anchors: tuple[str, ...] = ()  # anchors of the evidence that starts on this piece
    labels: tuple[str, ...] = ()  # what the covering evidence is for (item titles)
    personal: bool = False  # part of a personal number (text masked unless revealed)

    @property
    def marked(self) -> bool:
        return bool(self.covered_by)

    @property
    def anchor_id(self) -> str:
        return self.anchors[0] if self.anchors else ""

    @property
    def extra_anchor_ids(self) -> tuple[str, ...]:
        return self.anchors[1:]

    @property
    def title(self) -> str:
        return "、".join(dict.fromkeys(self.labels))

    @property
    def emotion_only(self) -> bool:
        """Marked only as a customer's emotion cue, not as any item's evidence."""
        return bool(self.covered_by) and all(
            anchor.startswith(EMOTION_ANCHOR_PREFIX) for anchor in self.covered_by
        )


EMOTION_ANCHOR_PREFIX = "emo-"


def emotion_anchor(turn: int, n: int) -> str:
    """The page id of the n-th emotion cue of a turn, e.g. ``emo-3-0``."""
    return f"{EMOTION_ANCHOR_PREFIX}{turn}-{n}"


def evidence_anchor(item: str, n: int) -> str:
    """The page id of the n-th evidence of an item, e.g. ``ev-forbidden_phrases-0``."""
    return f"ev-{item}-{n}"


def format_clock(seconds: float | None) -> str:
    """12.4 → "0:12", 95 → "1:35", 3725 → "1:02:05"; None → ""."""
    if seconds is None:
        return ""
    total = max(0, int(seconds))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}:{minutes:02d}:{secs:02d}"
    return f"{minutes}:{secs:02d}"


def merge_spans(spans: Iterable[tuple[int, int]], length: int) -> list[tuple[int, int]]:
    """Clamp spans to [0, length], drop empty ones, and join those that overlap or touch."""
    clamped = sorted((max(0, s), min(length, e)) for s, e in spans if min(length, e) > max(0, s))
    merged: list[tuple[int, int]] = []
    for start, end in clamped:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def split_segments(
    text: str,
    highlights: Sequence[Highlight] = (),
    personal: Iterable[tuple[int, int]] = (),
    *,
    shown: str | None = None,
) -> list[Segment]:
    """Cut `text` into segments at every highlight and personal-number boundary.

    Offsets outside the text are clamped. A zero-length highlight becomes an empty segment
    that still carries its anchor (a point in the text, e.g. where dead air began).
    `shown` is the text as the reader may see it (personal numbers masked), character for
    character the same length as `text`; segments take their text from it.
    """
    if shown is None:
        shown = text
    if len(shown) != len(text):
        raise ValueError("the shown text must keep the original's character offsets")
    length = len(text)
    spans = [_clamp(h, length) for h in highlights]
    numbers = merge_spans(personal, length)
    cuts = {0, length}
    for h in spans:
        cuts.update((h.start, h.end))
    for start, end in numbers:
        cuts.update((start, end))
    edges = sorted(cuts)

    segments: list[Segment] = []
    for i, position in enumerate(edges):
        points = [h for h in spans if h.start == h.end == position]
        if points:
            segments.append(
                Segment(
                    "",
                    covered_by=tuple(h.anchor for h in points),
                    anchors=tuple(h.anchor for h in points),
                    labels=tuple(h.label for h in points if h.label),
                )
            )
        if i + 1 == len(edges):
            break
        end = edges[i + 1]
        covering = [h for h in spans if h.start <= position and h.end >= end and h.start < h.end]
        segments.append(
            Segment(
                shown[position:end],
                covered_by=tuple(h.anchor for h in covering),
                anchors=tuple(h.anchor for h in covering if h.start == position),
                labels=tuple(h.label for h in covering if h.label),
                personal=any(s <= position and e >= end for s, e in numbers),
            )
        )
    return segments


def _clamp(highlight: Highlight, length: int) -> Highlight:
    start = min(max(0, highlight.start), length)
    end = min(max(start, highlight.end), length)
    return Highlight(start, end, highlight.anchor, highlight.label)


def covered_text(segments: Iterable[Segment], anchor: str) -> str:
    """The shown (possibly masked) text of one highlight, joined from its segments."""
    return "".join(s.text for s in segments if anchor in s.covered_by)
