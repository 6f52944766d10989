"""Why a customer was dissatisfied, coded from their own words (issue 17).

Seed 004 sorts dissatisfaction into four kinds — people (人员: attitude, skill), process
(流程: waiting, being passed around, no follow-up), product (产品: prices, charges, offers)
and network (网络: signal, speed, outages) — and seed 000 follows the share caused by people
month by month. The words per kind are rules a supervisor edits; a reason can also be set by
hand, which the app keeps apart from the coded one.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence
from enum import StrEnum


class Reason(StrEnum):
    PEOPLE = "people"
    PROCESS = "process"
    PRODUCT = "product"
    NETWORK = "network"


DEFAULT_REASON_WORDS: dict[Reason, tuple[str, ...]] = {
    Reason.PEOPLE: (
        "态度", "不耐烦", "敷衍", "不专业", "听不懂", "说不清", "推诿", "挂我电话", "凶",
        "不礼貌", "爱答不理", "答非所问",
    ),
    Reason.PROCESS: (
        "等太久", "等了", "排队", "转来转去", "来回转", "流程", "手续", "太慢", "没人回",
        "没回复", "没人处理", "跑了", "没解决", "还没好", "重复", "麻烦",
    ),
    Reason.PRODUCT: (
        "资费", "套餐", "扣费", "乱收费", "收费", "太贵", "话费", "流量", "活动", "优惠",
        "合约", "电费", "价格",
    ),
    Reason.NETWORK: (
        "信号", "没网", "网速", "掉线", "断网", "打不通", "宽带", "卡顿", "停电", "网络",
        "覆盖", "上不了网",
    ),
}  # fmt: skip


def reasons_of(
    text: str, rules: Mapping[Reason, Sequence[str]] = DEFAULT_REASON_WORDS
) -> list[Reason]:
    """The kinds of dissatisfaction `text` names, in the rules' order; none when no word
    of any kind occurs (the answer waits for a person to code it)."""
    plain = unicodedata.normalize("NFKC", text).lower()
    return [
        reason for reason, words in rules.items() if any(w and w.lower() in plain for w in words)
    ]


def parse_reason_rules(text: str) -> dict[Reason, tuple[str, ...]]:
    """Rules as a supervisor writes them, one kind per line: ``people: 态度, 不耐烦``.
    Raises ValueError naming the line that is not of that form."""
    rules: dict[Reason, tuple[str, ...]] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        line = unicodedata.normalize("NFKC", line).strip()
        if not line or line.startswith("#"):
            continue
        name, colon, words = line.partition(":")
        try:
            reason = Reason(name.strip().lower())
        except ValueError:
            kinds = ", ".join(r.value for r in Reason)
            raise ValueError(f"line {number}: {name.strip()!r} is not one of {kinds}") from None
        if not colon:
            raise ValueError(f"line {number}: write the kind, a colon, then its words")
        found = tuple(w.strip() for w in words.replace("、", ",").split(",") if w.strip())
        rules[reason] = rules.get(reason, ()) + found
    return rules


def format_reason_rules(rules: Mapping[Reason, Sequence[str]]) -> str:
    return "\n".join(f"{reason.value}: {', '.join(words)}" for reason, words in rules.items())
