"""Personal numbers in transcripts: find and mask mobiles, landlines, ID cards and bank cards.

Contact-center transcripts carry numbers people read out: a mobile to call back, an ID card
number for identity checks, a bank card for a refund. This module finds them so the UI and
exports can mask them, in the forms they take in Chinese calls and chats:

- written digits (ASCII or full-width) with spaces, dashes, commas or a closing parenthesis
  between groups: ``138-1234-5678``, ``+86 138 1234 5678``, ``(0571)87654321``,
  ``6222 0212 3456 7890``;
- digits spoken in Chinese (幺三八…, 洞 for 0, 两 for 2), alone or mixed with written ones;
- a number read out across turns (``138 1234`` … ``嗯`` … ``5678``), joined when the pieces
  together make a valid number.

Precision comes from structure, not from keywords: a mobile is 1[3-9] and 11 digits, a
landline needs a real area-code shape, an ID card must pass the GB 11643-1999 checksum with a
plausible region and birth date, a bank card must pass Luhn. Amounts, decimals, dates, times,
alphanumeric codes and labelled order numbers are left alone.

How digits are written and grouped is `pii_digits`; what each kind of number looks like,
`pii_numbers`. Offsets are `str` character offsets. `PiiSpan.turn` is the turn's `Turn.index`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from lingting.engine.contacts import Turn
from lingting.engine.pii_digits import (
    ANY_DIGIT,
    DIGIT_RUN,
    DigitGroup,
    digit_groups,
    digit_positions,
)
from lingting.engine.pii_numbers import (
    LANDLINE,
    MAX_DIGITS,
    MOBILE,
    NUMBER_LENGTHS,
    is_bank_card,
    is_id_card,
)


class PiiKind(StrEnum):
    MOBILE = "mobile"
    LANDLINE = "landline"
    ID_CARD = "id_card"
    BANK_CARD = "bank_card"


@dataclass(frozen=True, slots=True)
class PiiSpan:
    """Characters [start_char, end_char) of one turn: from the first digit (or the "+" of
    "+86") to the last, separators between them included."""

    turn: int
    start_char: int
    end_char: int


@dataclass(frozen=True, slots=True)
class PiiFinding:
    """One personal number; `spans` has one entry per turn it was read out in."""

    kind: PiiKind
    value: str  # ASCII digits (a final "X" for some ID cards); mobiles without +86
    spans: tuple[PiiSpan, ...]


# The masking rule, in one place: how many digits stay visible at the start and at the end.
# A mobile's first three digits name the carrier, not the person, and help agents confirm.
VISIBLE_DIGITS: Mapping[PiiKind, tuple[int, int]] = {
    PiiKind.MOBILE: (3, 4),
    PiiKind.LANDLINE: (0, 4),
    PiiKind.ID_CARD: (0, 4),
    PiiKind.BANK_CARD: (0, 4),
}

MASK_CHAR = "*"

_MIN_FRAGMENT_DIGITS = 3  # a piece of a number read out in one turn
_MAX_CHAIN_TURNS = 4  # turns one number may be spread over
_MAX_ACK_TURNS = 2  # other-party acknowledgements allowed between two pieces
_MAX_ACK_CHARS = 20
_MAX_EDGE_CHARS = 12  # how much filler may stand before/after a piece at a turn's edge

# Context that says "not a personal number": letters glued on (a code like SF1234…), a
# currency sign, or digits continuing through "." ":" "/" (decimals, times, dates).
_BAD_BEFORE = re.compile(r"(?:[A-Za-z]|\d[.:/]|[¥￥$][ \t]?)$")
_BAD_AFTER = re.compile(r"(?:[A-Za-z]|[.:/]\d|[ \t]?(?:[元块圆角%‰万亿]|RMB))", re.IGNORECASE)
_ORDER_LABEL = re.compile(
    r"(?:订单|单号|编号|流水|交易|运单|快递|物流|工单|order)[ \t]*(?:号|码|id|no\.?)?"
    r"[ \t]*(?:是|为)?[ \t]*[:：#]?[ \t]*$",
    re.IGNORECASE,
)
# Words people put around a piece of a number read across turns: "然后是 5678", "1234 吧".
_HEAD_FILLER = re.compile(
    r"[\W_]*(?:(?:嗯|呃|额|啊|哦|噢|对|是|然后|接着|后面|还有|最后|再|尾号|后[四4]位)[\W_]*)*"
)
_TAIL_FILLER = re.compile(r"[\W_]*(?:(?:呢|吧|啊|呀|哈|嘛|哦|噢|啦|的|对|是|没错)[\W_]*)*")


@dataclass(slots=True)
class _Run:
    groups: tuple[DigitGroup, ...]
    used: list[bool]  # which groups already belong to a finding


@dataclass(frozen=True, slots=True)
class _Hit:
    """A number inside one text: groups [lo, hi) of one run, spanning [start, end)."""

    kind: PiiKind
    value: str
    start: int
    end: int
    lo: int
    hi: int


@dataclass(slots=True)
class _Scan:
    text: str
    runs: list[_Run] = field(default_factory=list)
    hits: list[_Hit] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class _Piece:
    """Groups of one run in one turn that make part of a number read across turns."""

    turn: int  # position in the turn sequence
    run: int
    lo: int
    hi: int


@dataclass(frozen=True, slots=True)
class _Found:
    kind: PiiKind
    value: str
    spans: tuple[tuple[int, int, int], ...]  # (turn position, start, end)


# --- public API ---------------------------------------------------------------------------


def find_in_text(text: str) -> list[tuple[PiiKind, int, int, str]]:
    """Personal numbers in one text: (kind, start_char, end_char, normalised value)."""
    return [(h.kind, h.start, h.end, h.value) for h in _scan(text).hits]


def find_personal_numbers(turns: Sequence[Turn]) -> list[PiiFinding]:
    """Personal numbers in a conversation, including numbers read out across turns."""
    return [
        PiiFinding(f.kind, f.value, tuple(PiiSpan(turns[p].index, s, e) for p, s, e in f.spans))
        for f in _find(turns)
    ]


def mask_text(
    text: str, spans: Iterable[tuple[int, int]], keep_last: int = 4, *, keep_first: int = 0
) -> str:
    """Replace the digits of each span with `MASK_CHAR`, one character for one, keeping
    separators and the first `keep_first` and last `keep_last` digits of each span.

    Each span is taken as a whole number. A span with no more digits than would stay visible
    is masked entirely: it is most likely a piece of a longer number.
    """
    chars = list(text)
    for start, end in spans:
        _blank(chars, digit_positions(text, start, end), keep_first, keep_last)
    return "".join(chars)


def has_digits(text: str) -> bool:
    """Whether `text` has a digit of any kind (written, full-width or spoken): without one
    it holds no personal number, nor part of one."""
    return ANY_DIGIT.search(text) is not None


def mask_personal_numbers(text: str) -> str:
    """`text` (a note, a title, a reason: free text written in one go) with every personal
    number masked per `VISIBLE_DIGITS`, as a transcript turn is: 138****5678."""
    if not text:
        return text
    return mask_turn_texts([Turn(0, "", text)])[0]


def mask_whole_number(value: str) -> str:
    """A value that is a number as a whole (a form's phone field), masked at the same depth
    as in text: as the number the detector finds in it, else as a mobile (first three and
    last four digits shown) so that no unrecognised format is shown in full."""
    masked = mask_personal_numbers(value)
    if masked != value:
        return masked
    keep_first, keep_last = VISIBLE_DIGITS[PiiKind.MOBILE]
    return mask_text(value, [(0, len(value))], keep_last, keep_first=keep_first)


def mask_turn_texts(turns: Sequence[Turn]) -> list[str]:
    """Every turn's text, in order, with all personal numbers masked per `VISIBLE_DIGITS`.

    A number read across turns is masked as one number: its visible digits are the first and
    last of the whole number, wherever they fall.
    """
    chars = [list(t.text) for t in turns]
    for found in _find(turns):
        positions = [
            (p, k) for p, s, e in found.spans for k in digit_positions(turns[p].text, s, e)
        ]
        keep_first, keep_last = VISIBLE_DIGITS[found.kind]
        # "+86" before a mobile is not the person's; keep it readable and count from 138.
        prefix = len(positions) - len(found.value)
        hidden = _hidden_slice(len(positions), keep_first + prefix, keep_last)
        for p, k in positions[hidden]:
            chars[p][k] = MASK_CHAR
    return ["".join(c) for c in chars]


# --- scanning one text ----------------------------------------------------------------------


def _scan(text: str) -> _Scan:
    scan = _Scan(text)
    if not ANY_DIGIT.search(text):  # most turns: no digit of any kind, nothing to do
        return scan
    for match in DIGIT_RUN.finditer(text):
        groups = digit_groups(text, match.start(), match.end())
        run = _Run(groups, [False] * len(groups))
        scan.runs.append(run)
        for hit in _search_run(text, groups):
            run.used[hit.lo : hit.hi] = [True] * (hit.hi - hit.lo)
            scan.hits.append(hit)
    return scan


def _search_run(text: str, groups: Sequence[DigitGroup]) -> list[_Hit]:
    """The numbers in one run, as whole groups. A run may hold several numbers
    ("13812345678，13987654321") or a number plus noise ("13812345678 3 点后")."""
    if _is_formatted_amount(groups):
        return []
    core = [k for k, g in enumerate(groups) if not g.edge]
    if len(core) == len(groups):
        return _search_range(text, groups, 0, len(groups))
    # Read the run without its word-edge digits first; fall back to all of it.
    if core and (hits := _search_range(text, groups, core[0], core[-1] + 1)):
        return hits
    return _search_range(text, groups, 0, len(groups))


def _search_range(text: str, groups: Sequence[DigitGroup], lo: int, hi: int) -> list[_Hit]:
    # A group that is a number on its own is not merged with its neighbours, so a date or a
    # count next to a phone number cannot turn both into a "bank card".
    anchors = {k: h for k in range(lo, hi) if (h := _window(text, groups, k, k + 1))}
    whole = _window(text, groups, lo, hi)
    if whole and (not anchors or {h.value for h in anchors.values()} == {whole.value}):
        return [whole]  # e.g. "+86 13812345678": the prefix belongs to the number
    hits: list[_Hit] = []
    i = lo
    while i < hi:
        hit = anchors.get(i) or _longest_window(text, groups, i, _next_anchor(anchors, i, hi))
        if hit:
            hits.append(hit)
            i = hit.hi
        else:
            i += 1
    return hits


def _next_anchor(anchors: Mapping[int, _Hit], i: int, hi: int) -> int:
    # A window never holds more groups than digits, so looking MAX_DIGITS ahead is enough;
    # that bound also keeps a huge run of spaced digits linear rather than cubic.
    stop = min(hi, i + 1 + MAX_DIGITS)
    return next((k for k in range(i + 1, stop) if k in anchors), stop)


def _longest_window(text: str, groups: Sequence[DigitGroup], i: int, stop: int) -> _Hit | None:
    ends: list[int] = []
    total = 0
    for j in range(i, stop):
        total += len(groups[j].digits)
        if total > MAX_DIGITS:
            break
        if total in NUMBER_LENGTHS:  # only these lengths can classify; skip the rest cheaply
            ends.append(j + 1)
    for j in reversed(ends):
        if hit := _window(text, groups, i, j):
            return hit
    return None


def _window(text: str, groups: Sequence[DigitGroup], lo: int, hi: int) -> _Hit | None:
    chosen = groups[lo:hi]
    if sum(len(g.digits) for g in chosen) > MAX_DIGITS:
        return None
    number = _classify(chosen)
    start, end = chosen[0].start, chosen[-1].end
    if number is None or not (_before_ok(text, start) and _after_ok(text, end)):
        return None
    kind, value = number
    return _Hit(kind, value, _with_plus(text, start, chosen, value), end, lo, hi)


def _is_formatted_amount(groups: Sequence[DigitGroup]) -> bool:
    """1,380,000 is money, not a phone number: ASCII commas between groups of three."""
    rest = groups[1:]
    return (
        bool(rest)
        and any("," in g.sep for g in rest)
        and all(len(g.digits) == 3 and not g.spoken for g in rest)
    )


def _with_plus(text: str, start: int, groups: Sequence[DigitGroup], value: str) -> int:
    """Start the span at the "+" of a country code read with the number ("+86 138…")."""
    if sum(len(g.digits) for g in groups) == len(value):
        return start
    for k in (start - 1, start - 2):
        if k >= 0 and text[k] in "+＋":
            return k
        if k < 0 or text[k] != " ":
            break
    return start


# --- what a digit string is -----------------------------------------------------------------


def _classify(groups: Sequence[DigitGroup]) -> tuple[PiiKind, str] | None:
    digits = "".join(g.digits for g in groups)
    if len(digits) not in NUMBER_LENGTHS:
        return None
    if "X" in digits:
        return (PiiKind.ID_CARD, digits) if is_id_card(digits) else None
    if mobile := MOBILE.fullmatch(digits):
        return PiiKind.MOBILE, mobile.group(1)
    if LANDLINE.fullmatch(digits):
        return PiiKind.LANDLINE, digits
    if is_id_card(digits):
        return PiiKind.ID_CARD, digits
    if is_bank_card(digits) and _card_grouping(groups):
        return PiiKind.BANK_CARD, digits
    return None


def _card_grouping(groups: Sequence[DigitGroup]) -> bool:
    """Written cards come in one block or in fours ("6222 0212 3456 7890 123"); anything
    else, like a date next to a number, is not read as one card. Spoken digits may group
    any way."""
    if len(groups) == 1 or any(g.spoken for g in groups):
        return True
    return all(len(g.digits) == 4 for g in groups[:-1]) and len(groups[-1].digits) <= 4


def _before_ok(text: str, start: int) -> bool:
    before = text[max(0, start - 16) : start]
    return not (_BAD_BEFORE.search(before) or _ORDER_LABEL.search(before))


def _after_ok(text: str, end: int) -> bool:
    return not _BAD_AFTER.match(text, end)


# --- a conversation -------------------------------------------------------------------------


def _find(turns: Sequence[Turn]) -> list[_Found]:
    scans = [_scan(t.text) for t in turns]
    found = [
        _Found(h.kind, h.value, ((p, h.start, h.end),))
        for p, scan in enumerate(scans)
        for h in scan.hits
    ]
    found.extend(_across_turns(turns, scans))
    return sorted(found, key=lambda f: f.spans[0])


def _across_turns(turns: Sequence[Turn], scans: Sequence[_Scan]) -> list[_Found]:
    """Numbers read out in pieces: the digits ending one turn, then the digits starting the
    same speaker's next turns, with at most short acknowledgements from others between."""
    found: list[_Found] = []
    for a in range(len(turns)):
        first = _trailing_piece(scans[a], a)
        if first is None:
            continue
        chain = [first]
        while len(chain) < _MAX_CHAIN_TURNS:
            b = _next_turn_of_speaker(turns, scans, chain[-1].turn)
            piece = None if b is None else _leading_piece(scans[b], b)
            if piece is None:
                break
            chain.append(piece)
            if not _is_whole_turn(scans[piece.turn], piece):
                break
        if len(chain) > 1 and (hit := _best_chain(scans, chain)):
            found.append(hit)
    return found


def _trailing_piece(scan: _Scan, turn: int) -> _Piece | None:
    if not scan.runs:
        return None
    run = scan.runs[-1]
    lo = max((k + 1 for k, used in enumerate(run.used) if used), default=0)
    tail = scan.text[run.groups[-1].end :]
    if lo == len(run.groups) or not _edge_filler(_TAIL_FILLER, tail):
        return None
    return _min_piece(scan, _Piece(turn, len(scan.runs) - 1, lo, len(run.groups)))


def _leading_piece(scan: _Scan, turn: int) -> _Piece | None:
    if not scan.runs:
        return None
    run = scan.runs[0]
    hi = next((k for k, used in enumerate(run.used) if used), len(run.groups))
    head = scan.text[: run.groups[0].start]
    if hi == 0 or not _edge_filler(_HEAD_FILLER, head):
        return None
    return _min_piece(scan, _Piece(turn, 0, 0, hi))


def _min_piece(scan: _Scan, piece: _Piece) -> _Piece | None:
    digits = sum(len(g.digits) for g in scan.runs[piece.run].groups[piece.lo : piece.hi])
    return piece if digits >= _MIN_FRAGMENT_DIGITS else None


def _edge_filler(filler: re.Pattern[str], text: str) -> bool:
    # Length is checked first: it keeps the piece at the turn's edge and the regex cheap.
    return len(text) <= _MAX_EDGE_CHARS and filler.fullmatch(text) is not None


def _is_whole_turn(scan: _Scan, piece: _Piece) -> bool:
    """The turn is nothing but this piece, so the number may go on in the next turn."""
    return len(scan.runs) == 1 and _trailing_piece(scan, piece.turn) == piece


def _next_turn_of_speaker(turns: Sequence[Turn], scans: Sequence[_Scan], k: int) -> int | None:
    for skipped, m in enumerate(range(k + 1, len(turns))):
        if turns[m].speaker == turns[k].speaker:
            return m
        # "嗯" / "好的，请继续" keep the customer reading; anything with digits or any longer
        # turn means the number has ended (an agent repeating it back is its own text).
        if skipped == _MAX_ACK_TURNS or scans[m].runs or len(turns[m].text) > _MAX_ACK_CHARS:
            return None
    return None


def _best_chain(scans: Sequence[_Scan], chain: Sequence[_Piece]) -> _Found | None:
    """The longest valid number the chain's pieces make, allowing the first piece to drop
    leading groups and the last to drop trailing ones (other words read before/after)."""
    for length in range(len(chain), 1, -1):
        first, *middle, last = chain[:length]
        for cut_first in range(min(2, first.hi - first.lo - 1) + 1):
            for cut_last in range(min(2, last.hi - last.lo - 1) + 1):
                pieces = [
                    _Piece(first.turn, first.run, first.lo + cut_first, first.hi),
                    *middle,
                    _Piece(last.turn, last.run, last.lo, last.hi - cut_last),
                ]
                if hit := _chain_hit(scans, pieces):
                    _mark_used(scans, pieces)
                    return hit
    return None


def _chain_hit(scans: Sequence[_Scan], pieces: Sequence[_Piece]) -> _Found | None:
    parts = [scans[p.turn].runs[p.run].groups[p.lo : p.hi] for p in pieces]
    groups = [g for part in parts for g in part]
    if sum(len(g.digits) for g in groups) > MAX_DIGITS:
        return None
    number = _classify(groups)
    first_text, last_text = scans[pieces[0].turn].text, scans[pieces[-1].turn].text
    if number is None or not _before_ok(first_text, parts[0][0].start):
        return None
    if not _after_ok(last_text, parts[-1][-1].end):
        return None
    kind, value = number
    spans = [(p.turn, part[0].start, part[-1].end) for p, part in zip(pieces, parts, strict=True)]
    spans[0] = (pieces[0].turn, _with_plus(first_text, spans[0][1], parts[0], value), spans[0][2])
    return _Found(kind, value, tuple(spans))


def _mark_used(scans: Sequence[_Scan], pieces: Iterable[_Piece]) -> None:
    for p in pieces:
        scans[p.turn].runs[p.run].used[p.lo : p.hi] = [True] * (p.hi - p.lo)


# --- masking --------------------------------------------------------------------------------


def _hidden_slice(count: int, keep_first: int, keep_last: int) -> slice:
    # Showing every digit would be no mask at all: hide everything in that case.
    if keep_first + keep_last >= count:
        return slice(0, count)
    return slice(keep_first, count - keep_last)


def _blank(chars: list[str], positions: Sequence[int], keep_first: int, keep_last: int) -> None:
    for k in positions[_hidden_slice(len(positions), keep_first, keep_last)]:
        chars[k] = MASK_CHAR
