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

Offsets are `str` character offsets. `PiiSpan.turn` is the turn's `Turn.index`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from lingting.engine.contacts import Turn


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
_RUN = re.compile(f"{_D}(?:{_SEP}?{_D}){{2,}}(?:[XxＸｘ](?![A-Za-z]))?")
_ANY_DIGIT = re.compile(_D)

_MOBILE = re.compile(r"(?:0086|86)?(1[3-9]\d{9})")
# 010 and 02x carry 8-digit local numbers; other area codes are 0 + 3 digits with 7 or 8.
# Local numbers never start with 0.
_LANDLINE = re.compile(r"0(?:10|2\d)[1-9]\d{7}|0[3-9]\d\d[1-9]\d{6,7}")

# First two digits of a resident ID: the province-level region (GB/T 2260), plus 83 used on
# residence permits for Taiwan residents.
_ID_REGIONS = frozenset(
    str(n)
    for block in (range(11, 16), range(21, 24), range(31, 38), range(41, 47), range(50, 55))
    for n in block
) | {"61", "62", "63", "64", "65", "71", "81", "82", "83"}
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"

_MAX_DIGITS = 19  # the longest number we report (a 19-digit bank card)
# Mobile 11 (13 with 86, 15 with 0086), landline 11-12, ID card 18, bank card 16-19.
_NUMBER_LENGTHS = frozenset({11, 12, 13, 15, 16, 17, 18, 19})
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
# A spoken digit touching one of these is still a digit ("…五六七八吧"); touching any other
# Chinese character it may belong to a word ("两个", "一下", "三要素").
_PARTICLES = frozenset("呢吧啊呀哈嘛哦噢啦嗯的是")


@dataclass(frozen=True, slots=True)
class _Group:
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


@dataclass(slots=True)
class _Run:
    groups: tuple[_Group, ...]
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
        _blank(chars, _digit_positions(text, start, end), keep_first, keep_last)
    return "".join(chars)


def has_digits(text: str) -> bool:
    """Whether `text` has a digit of any kind (written, full-width or spoken): without one
    it holds no personal number, nor part of one."""
    return _ANY_DIGIT.search(text) is not None


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
            (p, k) for p, s, e in found.spans for k in _digit_positions(turns[p].text, s, e)
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
    if not _ANY_DIGIT.search(text):  # most turns: no digit of any kind, nothing to do
        return scan
    for match in _RUN.finditer(text):
        groups = _groups(text, match.start(), match.end())
        run = _Run(groups, [False] * len(groups))
        scan.runs.append(run)
        for hit in _search_run(text, groups):
            run.used[hit.lo : hit.hi] = [True] * (hit.hi - hit.lo)
            scan.hits.append(hit)
    return scan


def _groups(text: str, start: int, end: int) -> tuple[_Group, ...]:
    groups: list[_Group] = []
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


def _make_group(text: str, positions: list[int], digits: list[str], sep_start: int) -> _Group:
    return _Group(
        positions=tuple(positions),
        digits="".join(digits),
        spoken=any(text[k] in _SPOKEN_DIGITS for k in positions),
        sep=text[sep_start : positions[0]],
    )


def _split_word_edges(text: str, groups: list[_Group]) -> tuple[_Group, ...]:
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
    text: str, group: _Group, lo: int, hi: int, *, sep: str = "", edge: bool = False
) -> _Group:
    return _Group(group.positions[lo:hi], group.digits[lo:hi], group.spoken, sep, edge)


def _is_word_char(text: str, k: int) -> bool:
    if not 0 <= k < len(text):
        return False
    char = text[k]
    return "\u4e00" <= char <= "\u9fff" and char not in _SPOKEN_DIGITS and char not in _PARTICLES


def _search_run(text: str, groups: Sequence[_Group]) -> list[_Hit]:
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


def _search_range(text: str, groups: Sequence[_Group], lo: int, hi: int) -> list[_Hit]:
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
    # A window never holds more groups than digits, so looking _MAX_DIGITS ahead is enough;
    # that bound also keeps a huge run of spaced digits linear rather than cubic.
    stop = min(hi, i + 1 + _MAX_DIGITS)
    return next((k for k in range(i + 1, stop) if k in anchors), stop)


def _longest_window(text: str, groups: Sequence[_Group], i: int, stop: int) -> _Hit | None:
    ends: list[int] = []
    total = 0
    for j in range(i, stop):
        total += len(groups[j].digits)
        if total > _MAX_DIGITS:
            break
        if total in _NUMBER_LENGTHS:  # only these lengths can classify; skip the rest cheaply
            ends.append(j + 1)
    for j in reversed(ends):
        if hit := _window(text, groups, i, j):
            return hit
    return None


def _window(text: str, groups: Sequence[_Group], lo: int, hi: int) -> _Hit | None:
    chosen = groups[lo:hi]
    if sum(len(g.digits) for g in chosen) > _MAX_DIGITS:
        return None
    number = _classify(chosen)
    start, end = chosen[0].start, chosen[-1].end
    if number is None or not (_before_ok(text, start) and _after_ok(text, end)):
        return None
    kind, value = number
    return _Hit(kind, value, _with_plus(text, start, chosen, value), end, lo, hi)


def _is_formatted_amount(groups: Sequence[_Group]) -> bool:
    """1,380,000 is money, not a phone number: ASCII commas between groups of three."""
    rest = groups[1:]
    return (
        bool(rest)
        and any("," in g.sep for g in rest)
        and all(len(g.digits) == 3 and not g.spoken for g in rest)
    )


def _with_plus(text: str, start: int, groups: Sequence[_Group], value: str) -> int:
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


def _classify(groups: Sequence[_Group]) -> tuple[PiiKind, str] | None:
    digits = "".join(g.digits for g in groups)
    if len(digits) not in _NUMBER_LENGTHS:
        return None
    if "X" in digits:
        return (PiiKind.ID_CARD, digits) if _is_id_card(digits) else None
    if mobile := _MOBILE.fullmatch(digits):
        return PiiKind.MOBILE, mobile.group(1)
    if _LANDLINE.fullmatch(digits):
        return PiiKind.LANDLINE, digits
    if _is_id_card(digits):
        return PiiKind.ID_CARD, digits
    if _is_bank_card(digits) and _card_grouping(groups):
        return PiiKind.BANK_CARD, digits
    return None


def _is_id_card(number: str) -> bool:
    """GB 11643-1999: region, a real birth date, and the ISO 7064 MOD 11-2 check character."""
    body = number[:17]
    if len(number) != 18 or not body.isascii() or not body.isdigit():
        return False
    if number[:2] not in _ID_REGIONS or not _plausible_birth(body[6:14]):
        return False
    total = sum(int(d) * w for d, w in zip(body, _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11] == number[17]


def _plausible_birth(yyyymmdd: str) -> bool:
    try:
        born = date(int(yyyymmdd[:4]), int(yyyymmdd[4:6]), int(yyyymmdd[6:]))
    except ValueError:
        return False
    return date(1900, 1, 1) <= born <= date.today()


def _is_bank_card(number: str) -> bool:
    if not 16 <= len(number) <= _MAX_DIGITS or number[0] == "0" or len(set(number)) == 1:
        return False
    return _luhn_ok(number)


def _luhn_ok(number: str) -> bool:
    total = 0
    for k, char in enumerate(reversed(number)):
        d = int(char)
        if k % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def _card_grouping(groups: Sequence[_Group]) -> bool:
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
    if sum(len(g.digits) for g in groups) > _MAX_DIGITS:
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


def _digit_positions(text: str, start: int, end: int) -> list[int]:
    return [
        k
        for k in range(max(0, start), min(len(text), end))
        if text[k] in _DIGIT_VALUES or text[k] in _X_CHARS
    ]


def _hidden_slice(count: int, keep_first: int, keep_last: int) -> slice:
    # Showing every digit would be no mask at all: hide everything in that case.
    if keep_first + keep_last >= count:
        return slice(0, count)
    return slice(keep_first, count - keep_last)


def _blank(chars: list[str], positions: Sequence[int], keep_first: int, keep_last: int) -> None:
    for k in positions[_hidden_slice(len(positions), keep_first, keep_last)]:
        chars[k] = MASK_CHAR
