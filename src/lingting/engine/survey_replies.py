"""What a customer's SMS reply to a survey says (issue 17; seed 000's SMS satisfaction).

The invitation asks for a digit (1 非常不满意 … 5 非常满意); customers answer with the digit,
full-width or with 分, with words (满意, 很满意, 一般, 不满意), or with TD/退订 to stop every
later survey. Anything else is kept as an unreadable reply for a person to look at, never
guessed into a score.

An NPS invitation asks how likely the customer is to recommend us, 0 to 10: only a number
from 0 to 10 answers it ("9", "１０", "10分"). Words of satisfaction say nothing about
recommending, so they stay unreadable there too.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum

from lingting.engine.survey_figures import NPS_SCALE, RECOMMEND, SATISFACTION


class ReplyKind(StrEnum):
    SCORE = "score"
    OPT_OUT = "opt_out"
    UNREADABLE = "unreadable"


@dataclass(frozen=True, slots=True)
class Reply:
    kind: ReplyKind
    score: int | None = None  # on the survey's scale, when kind is SCORE
    comment: str = ""  # the words after the score ("3 等太久了")


OPT_OUT_WORDS = ("td", "t", "退订", "取消订阅", "不要再发", "别再发", "拒收")

# Longest first, so that 非常满意 is not read as 满意 and 不满意 not as 满意.
WORDS_ON_FIVE = (
    ("非常不满意", 1),
    ("很不满意", 1),
    ("非常满意", 5),
    ("十分满意", 5),
    ("很满意", 5),
    ("不太满意", 2),
    ("不满意", 2),
    ("比较满意", 4),
    ("还行", 3),
    ("一般", 3),
    ("满意", 4),
    ("好评", 5),
    ("差评", 1),
)

_LEADING_SCORE = re.compile(r"^(\d{1,2})\s*分?(?:[\s,，.。!！;；:：、-]+|$)(.*)$", re.DOTALL)
_DECIMAL = re.compile(r"^\d+\.\d")  # "4.5": between two answers, not one of them
_EDGES = " \t\r\n,，.。!！~～;；:：、\"'“”‘’【】[]()（）"


def read_reply(text: str, *, scale: int = 5, question: str = SATISFACTION) -> Reply:
    """The reply's meaning to a survey asking `question`; on a satisfaction survey words are
    read on a 1–5 scale and stretched to `scale`, on a recommend survey (0–10) only numbers
    count."""
    plain = unicodedata.normalize("NFKC", text).strip().strip(_EDGES)
    lowered = plain.lower()
    if lowered in OPT_OUT_WORDS or any(w in lowered for w in OPT_OUT_WORDS[2:]):
        return Reply(ReplyKind.OPT_OUT)
    lowest, highest = (0, NPS_SCALE) if question == RECOMMEND else (1, scale)
    match = _LEADING_SCORE.match(plain)
    if match and not _DECIMAL.match(plain):
        score = int(match.group(1))
        if lowest <= score <= highest:
            return Reply(ReplyKind.SCORE, score, match.group(2).strip().strip(_EDGES))
        return Reply(ReplyKind.UNREADABLE)
    if question == RECOMMEND:
        return Reply(ReplyKind.UNREADABLE)
    for word, on_five in WORDS_ON_FIVE:
        if word in plain:
            return Reply(ReplyKind.SCORE, _stretch(on_five, scale), plain)
    return Reply(ReplyKind.UNREADABLE)


def _stretch(on_five: int, scale: int) -> int:
    """A 1–5 answer on a 1–`scale` scale, ends kept at the ends, halves rounded up."""
    return 1 + int((on_five - 1) * (scale - 1) / 4 + 0.5)
