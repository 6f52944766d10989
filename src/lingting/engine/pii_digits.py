"""Digits as transcripts write and read them out: the digit groups personal numbers are
found in (`lingting.engine.pii`).

A digit is ASCII, full-width or spoken in Chinese (幺三八…, 洞 for 0, 两 for 2); a run is at
least three of them with only separators between (spaces, dashes, commas, a closing
parenthesis); a run is split into groups wherever a separator stands or written digits turn
into spoken ones, so a number can be read from whole groups.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# 洞 and 幺 are how 0 and 1 are read out on the phone; 两 is a common spoken 2.
_SPOKEN_DIGITS = dict(zip("零〇洞幺一两二三四五六七八九", "00011223456789", strict=True))
_DIGIT_VALUES: dict[str, str] = {
    **{str(d): str(d) for d in range(10)},
    **{chr(0xFF10 + d): str(d) for d in range(10)},  # full-width ０-９
    **_SPOKEN_DIGITS,
}
_X_CHARS = frozenset("XxＸｘ")  # the ID card's check character 10

_D = "[0-9０-９" + "".join(_SPOKEN_DIGITS) + "]"
_BLANK = "[ \t\u3000]"
# What may stand between digit groups of one number. Deliberately not "." (decimals) nor ":"
# or "/" (times, dates): those join numbers that are not phone or card numbers.
_SEP = f"(?:{_BLANK}{{0,2}}[-－–—‐]{_BLANK}{{0,2}}|{_BLANK}{{1,2}}|[，,、]{_BLANK}?|[)）]{_BLANK}?)"
# A run: at least three digit characters, separators only between them, and an optional
# ID-card check "X" that is not the start of a word. Shorter runs can never be (part of) a
# number we report, so prose full of 一 and 两 yields few matches to look at.
DIGIT_RUN = re.compile(f"{_D}(?:{_SEP}?{_D}){{2,}}(?:[XxＸｘ](?![A-Za-z]))?")
ANY_DIGIT = re.compile(_D)
# A spoken digit touching one of these is still a digit ("…五六七八吧"); touching any other
# Chinese character it may belong to a word ("两个", "一下", "三要素").
_PARTICLES = frozenset("呢吧啊呀哈嘛哦噢啦嗯的是")


@dataclass(frozen=True, slots=True)
class DigitGroup:
    """Digits written together; groups are split by separators or by written/spoken change."""

    positions: tuple[int, ...]  # character offsets of the digits
    digits: str  # ASCII, possibly ending in "X"
    spoken: bool
    sep: str = ""  # the separator text before this group ("" at a run start or script change)
    edge: bool = False  # a spoken digit at the run's edge that may belong to a word

    @property
    def start(self) -> int:
        return self.positions[0]

    @property
    def end(self) -> int:
        return self.positions[-1] + 1


def digit_groups(text: str, start: int, end: int) -> tuple[DigitGroup, ...]:
    """The groups of the run text[start:end] (a `DIGIT_RUN` match)."""
    groups: list[DigitGroup] = []
    positions: list[int] = []
    digits: list[str] = []
    sep_start = start
    for k in range(start, end):
        char = text[k]
        value = "X" if char in _X_CHARS else _DIGIT_VALUES.get(char)
        if value is None:  # a separator closes the group
            if positions:
                groups.append(_make_group(text, positions, digits, sep_start))
                positions, digits, sep_start = [], [], k
            continue
        spoken = char in _SPOKEN_DIGITS
        if positions and spoken != (text[positions[-1]] in _SPOKEN_DIGITS) and value != "X":
            groups.append(_make_group(text, positions, digits, sep_start))
            positions, digits, sep_start = [], [], k
        positions.append(k)
        digits.append(value)
    groups.append(_make_group(text, positions, digits, sep_start))
    return _split_word_edges(text, groups)


def _make_group(text: str, positions: list[int], digits: list[str], sep_start: int) -> DigitGroup:
    return DigitGroup(
        positions=tuple(positions),
        digits="".join(digits),
        spoken=any(text[k] in _SPOKEN_DIGITS for k in positions),
        sep=text[sep_start : positions[0]],
    )


def _split_word_edges(text: str, groups: list[DigitGroup]) -> tuple[DigitGroup, ...]:
    """Split up to two spoken digits off each end of the run when a Chinese word character
    touches them, so "…五六七八两个" can be read without its "两"."""
    if groups[-1].spoken and _is_word_char(text, groups[-1].end):
        last = groups.pop()
        keep = max(1, len(last.positions) - 2)
        groups.append(_sub_group(text, last, 0, keep, sep=last.sep))
        groups.extend(
            _sub_group(text, last, k, k + 1, edge=True) for k in range(keep, len(last.positions))
        )
    if groups[0].spoken and _is_word_char(text, groups[0].start - 1):
        first = groups[0]
        peel = min(2, len(first.positions) - 1)
        edges = [_sub_group(text, first, k, k + 1, edge=True) for k in range(peel)]
        groups[0:1] = [*edges, _sub_group(text, first, peel, len(first.positions))]
    return tuple(g for g in groups if g.positions)


def _sub_group(
    text: str, group: DigitGroup, lo: int, hi: int, *, sep: str = "", edge: bool = False
) -> DigitGroup:
    return DigitGroup(group.positions[lo:hi], group.digits[lo:hi], group.spoken, sep, edge)


def _is_word_char(text: str, k: int) -> bool:
    if not 0 <= k < len(text):
        return False
    char = text[k]
    return "\u4e00" <= char <= "\u9fff" and char not in _SPOKEN_DIGITS and char not in _PARTICLES


def digit_positions(text: str, start: int, end: int) -> list[int]:
    """The offsets of the digits (an ID card's X included) in text[start:end]: what a mask
    hides, separators left readable."""
    return [
        k
        for k in range(max(0, start), min(len(text), end))
        if text[k] in _DIGIT_VALUES or text[k] in _X_CHARS
    ]
