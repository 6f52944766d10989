"""The FAQ bot's decision on each customer message (seed 004 篇3: China Merchants Bank's
WeChat bot answers routine questions and hands the rest to a person with the conversation).

Given what the FAQ matcher found and what was said so far, the bot answers (the best article,
with two or three related questions), asks the customer to say it another way (it is unsure:
the candidates are shown as "did you mean"), or hands off to a person:

- the customer asks for one (转人工, 人工客服, 找客服 …);
- the customer is angry (the emotion reader on their messages so far, `engine.emotion`);
- nothing in the vault is close to what they asked (confidence too low to even suggest);
  two close candidates are no answer either: the bot asks which one was meant;
- the bot has failed twice: asked to rephrase, or answered and was told it did not help.

Thresholds are on the matcher's untrained score (1: a wording that holds the question word for
word); a center changes them in settings. Plain Python, no Django: the web bot and any
other channel decide alike.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from lingting.engine.contacts import Turn
from lingting.engine.emotion import ANGRY, DISSATISFIED, customer_emotion
from lingting.engine.faq import FaqMatch

PERSON_WORDS = (
    "转人工",
    "人工客服",
    "人工服务",
    "人工坐席",
    "找人工",
    "要人工",
    "接人工",
    "找客服",
    "客服人员",
    "真人",
    "活人",
)
NOT_HELPED_WORDS = (
    "没用",
    "没有用",
    "不对",
    "不是这个",
    "答非所问",
    "没解决",
    "没有解决",
    "看不懂",
)
FAILURES_BEFORE_HANDOFF = 2
ANGER_INTENSITY = 0.6  # dissatisfied this strongly counts as angry for handing off


class BotAction(StrEnum):
    ANSWER = "answer"
    REPHRASE = "rephrase"
    HANDOFF = "handoff"


class HandoffReason(StrEnum):
    ASKED = "asked"
    ANGRY = "angry"
    LOW_CONFIDENCE = "low_confidence"
    FAILED_TWICE = "failed_twice"


@dataclass(frozen=True, slots=True)
class BotThresholds:
    answer: float = 0.45  # at least this, and clear of the next: answer with the best article
    margin: float = 0.15  # the best this far above the next, or the bot cannot tell them apart
    suggest: float = 0.2  # at least this: unsure, show it as "did you mean"; below: hand off


@dataclass(frozen=True, slots=True)
class BotDecision:
    action: BotAction
    answer: FaqMatch | None = None
    related: tuple[FaqMatch, ...] = ()  # shown under an answer, or as "did you mean"
    reason: HandoffReason | None = None
    failed: bool = False  # this message counts as one of the bot's failures


def bot_decision(
    said: Sequence[str],
    matches: Sequence[FaqMatch],
    *,
    failures: int,
    answered_last: bool,
    thresholds: BotThresholds = BotThresholds(),
) -> BotDecision:
    """What to do with the last of the customer's messages `said` (all of them so far, in
    order), given the matcher's `matches` for it (best first), the bot's `failures` so far
    and whether its last reply was an answer."""
    text = said[-1]
    if asks_for_person(text):
        return BotDecision(BotAction.HANDOFF, reason=HandoffReason.ASKED)
    if is_angry(said):
        return BotDecision(BotAction.HANDOFF, reason=HandoffReason.ANGRY)
    not_helped = answered_last and _says_any(text, NOT_HELPED_WORDS)
    likely = [m for m in matches if m.score >= thresholds.suggest]
    if not not_helped and _clear_best(likely, thresholds):
        return BotDecision(BotAction.ANSWER, answer=likely[0], related=tuple(likely[1:4]))
    if failures + 1 >= FAILURES_BEFORE_HANDOFF:
        return BotDecision(BotAction.HANDOFF, reason=HandoffReason.FAILED_TWICE, failed=True)
    if not likely and not not_helped:
        return BotDecision(BotAction.HANDOFF, reason=HandoffReason.LOW_CONFIDENCE, failed=True)
    return BotDecision(BotAction.REPHRASE, related=tuple(likely[:3]), failed=True)


def _clear_best(likely: Sequence[FaqMatch], thresholds: BotThresholds) -> bool:
    if not likely or likely[0].score < thresholds.answer:
        return False
    return len(likely) == 1 or likely[0].score - likely[1].score >= thresholds.margin


def asks_for_person(text: str) -> bool:
    return _says_any(text, PERSON_WORDS)


def is_angry(said: Sequence[str]) -> bool:
    """Whether the customer's last message is angry, read in the light of the ones before
    (repetition and escalation count, as on any contact)."""
    turns = [Turn(n, "customer", text) for n, text in enumerate(said)]
    last = customer_emotion(turns).turns[-1]
    return last.emotion == ANGRY or (
        last.emotion == DISSATISFIED and last.intensity >= ANGER_INTENSITY
    )


def _says_any(text: str, words: Sequence[str]) -> bool:
    return any(word in text for word in words)
