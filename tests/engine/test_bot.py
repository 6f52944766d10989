"""The FAQ bot's decision on each message: answer, ask to rephrase, or hand off — and why."""

from __future__ import annotations

from lingting.engine.bot import BotAction, HandoffReason, bot_decision, is_angry
from lingting.engine.faq import FaqEntry, FaqMatcher

VAULT = FaqMatcher(
    [
        FaqEntry("balance", "怎样查询话费余额", alternates=("话费还剩多少", "查一下话费")),
        FaqEntry("outage", "家里停电了怎么办", alternates=("突然没电了",)),
        FaqEntry("bill", "话费账单怎么看", alternates=("账单明细在哪看",)),
    ]
)


def decide(*said: str, failures: int = 0, answered_last: bool = False):  # type: ignore[no-untyped-def]
    return bot_decision(
        said, VAULT.match(said[-1], 5), failures=failures, answered_last=answered_last
    )


def test_a_question_the_vault_answers_is_answered_with_related_ones() -> None:
    decision = decide("我想查一下话费还剩多少")
    assert decision.action is BotAction.ANSWER
    assert decision.answer is not None
    assert decision.answer.kb_id == "balance"
    assert "balance" not in [m.kb_id for m in decision.related]


def test_asking_for_a_person_hands_off_at_once() -> None:
    decision = decide("别废话了，转人工")
    assert decision.action is BotAction.HANDOFF
    assert decision.reason is HandoffReason.ASKED


def test_an_angry_customer_is_handed_off() -> None:
    assert is_angry(["你们到底管不管！！！气死我了"])
    decision = decide("你们到底管不管！！！气死我了")
    assert decision.reason is HandoffReason.ANGRY
    assert not is_angry(["我想查一下话费"])


def test_nothing_close_hands_off_for_low_confidence() -> None:
    decision = decide("我的快递丢了谁赔")
    assert decision.action is BotAction.HANDOFF
    assert decision.reason is HandoffReason.LOW_CONFIDENCE


def test_an_unsure_match_asks_to_rephrase_then_a_second_failure_hands_off() -> None:
    first = decide("话费")
    assert first.action is BotAction.REPHRASE
    assert first.failed
    assert first.related
    second = decide("话费", "话费", failures=1)
    assert second.action is BotAction.HANDOFF
    assert second.reason is HandoffReason.FAILED_TWICE


def test_an_answer_that_did_not_help_counts_as_a_failure() -> None:
    decision = decide("查一下话费", "不对，没解决", answered_last=True)
    assert decision.action is not BotAction.ANSWER
    assert decision.failed
