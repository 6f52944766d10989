"""The model judge against a local fake OpenAI-compatible server: verbatim evidence,
masking, retries, timeouts, the cache, cost and latency, the rate limit."""

from __future__ import annotations

import pytest

from lingting.engine.contacts import Turn
from lingting.engine.judge import (
    Judge,
    JudgeConfig,
    JudgeError,
    JudgeItem,
    RateLimiter,
    cache_key,
    parse_answer,
    render_transcript,
)
from lingting.engine.scorecard import ScorecardError
from lingting.engine.scorecard_yaml import builtin_scorecard, parse_scorecard
from tests.fake_llm import FakeModel, fake_model_fixture  # noqa: F401 (a fixture)

TURNS = [
    Turn(0, "agent", "您好，很高兴为您服务"),
    Turn(1, "customer", "我的宽带又断了，回电号码是13812345678"),
    Turn(2, "agent", "这个我不清楚，你自己去营业厅问吧"),
    Turn(3, "customer", "什么态度！"),
]
SHIRKING = JudgeItem(
    id="no_shirking",
    title="不推诿",
    prompt="客服是否推诿？有则判 fail，并摘录推诿的原话。",
    description="正确理解用户询问内容，不得随意推脱隐瞒。",
)


def judge_for(fake_model: FakeModel, **settings: object) -> tuple[Judge, list[float]]:
    slept: list[float] = []
    config = JudgeConfig(
        base_url=fake_model.base_url,
        model="qwen2.5-7b-instruct",
        **settings,  # type: ignore[arg-type]
    )
    return Judge(config, sleep=slept.append), slept


def test_an_answer_quoting_the_transcript_is_accepted_with_its_turn(fake_model: FakeModel) -> None:
    judge, _ = judge_for(fake_model)
    fake_model.answer("fail", "客服让客户自己去营业厅", ["你自己去营业厅问吧"])

    judgement = judge.judge(SHIRKING, judge.transcript(TURNS))

    assert judgement.accepted
    assert judgement.error == ""
    assert judgement.result == "fail"
    assert judgement.reason == "客服让客户自己去营业厅"
    assert [(q.text, q.turn) for q in judgement.evidence] == [("你自己去营业厅问吧", 2)]
    sent = fake_model.requests[0]
    assert sent["model"] == "qwen2.5-7b-instruct"
    assert sent["response_format"] == {"type": "json_object"}
    assert "JSON" in sent["messages"][0]["content"]
    assert "3. 客服：这个我不清楚，你自己去营业厅问吧" in fake_model.sent_text()
    assert "判断要求：客服是否推诿" in fake_model.sent_text()


def test_a_fabricated_quote_discards_the_whole_answer(fake_model: FakeModel) -> None:
    judge, _ = judge_for(fake_model)
    fake_model.answer("fail", "客服推诿", ["你自己去营业厅问吧", "这不归我们管"])

    judgement = judge.judge(SHIRKING, judge.transcript(TURNS))

    assert not judgement.accepted
    assert judgement.result is None
    assert judgement.evidence == ()
    assert "这不归我们管" in judgement.error
    assert "discarded" in judgement.error


def test_a_quote_spanning_two_turns_is_not_verbatim(fake_model: FakeModel) -> None:
    judge, _ = judge_for(fake_model)
    fake_model.answer("fail", "客服推诿", ["什么态度！这个我不清楚"])

    assert not judge.judge(SHIRKING, judge.transcript(TURNS)).accepted


def test_a_failure_without_evidence_is_discarded(fake_model: FakeModel) -> None:
    judge, _ = judge_for(fake_model)
    fake_model.answer("fail", "客服推诿", [])

    judgement = judge.judge(SHIRKING, judge.transcript(TURNS))

    assert not judgement.accepted
    assert "without quoting" in judgement.error


def test_a_pass_may_quote_nothing(fake_model: FakeModel) -> None:
    judge, _ = judge_for(fake_model)
    fake_model.answer("pass", "没有推诿", [])

    assert judge.judge(SHIRKING, judge.transcript(TURNS)).result == "pass"


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ("好的，我判断为通过", "not JSON"),
        ('{"result": "ok", "reason": "x"}', "pass or fail"),
        ('{"result": "pass", "reason": ""}', "no reason"),
        ('{"result": "pass", "reason": "x", "evidence": "您好"}', "list of quotes"),
    ],
)
def test_a_malformed_answer_says_why_it_was_discarded(content: str, problem: str) -> None:
    with pytest.raises(JudgeError, match=problem):
        parse_answer(content, render_transcript(TURNS))


def test_an_answer_in_a_markdown_fence_is_read() -> None:
    content = '```json\n{"result": "pass", "reason": "无推诿", "evidence": ["您好"]}\n```'
    result, reason, quotes = parse_answer(content, render_transcript(TURNS))
    assert (result, reason, quotes[0].turn) == ("pass", "无推诿", 0)


def test_personal_numbers_are_masked_before_sending(fake_model: FakeModel) -> None:
    judge, _ = judge_for(fake_model)
    fake_model.answer("pass", "无推诿", ["回电号码是138****5678"])

    judgement = judge.judge(SHIRKING, judge.transcript(TURNS))

    sent = fake_model.sent_text()
    assert "13812345678" not in sent
    assert "2. 客户：我的宽带又断了，回电号码是138****5678" in sent
    # the quote is checked against the text as sent, masked
    assert judgement.accepted
    assert judgement.evidence[0].turn == 1


def test_an_administrator_may_allow_sending_numbers_in_full(fake_model: FakeModel) -> None:
    judge, _ = judge_for(fake_model, send_unmasked=True)
    fake_model.answer()

    judge.judge(SHIRKING, judge.transcript(TURNS))

    assert "回电号码是13812345678" in fake_model.sent_text()


def test_a_server_error_is_retried_with_backoff(fake_model: FakeModel) -> None:
    judge, slept = judge_for(fake_model, retries=2, backoff_s=0.5)
    fake_model.fail(500, times=2)
    fake_model.answer("pass", "无推诿")

    judgement = judge.judge(SHIRKING, judge.transcript(TURNS))

    assert judgement.accepted
    assert judgement.attempts == 3
    assert len(fake_model.requests) == 3
    assert slept == [0.5, 1.0]


def test_server_errors_beyond_the_retries_leave_an_error(fake_model: FakeModel) -> None:
    judge, _ = judge_for(fake_model, retries=1, backoff_s=0)
    fake_model.fail(503, times=2)

    judgement = judge.judge(SHIRKING, judge.transcript(TURNS))

    assert not judgement.accepted
    assert judgement.error.startswith("HTTP 503")
    assert len(fake_model.requests) == 2


def test_a_client_error_is_not_retried(fake_model: FakeModel) -> None:
    judge, slept = judge_for(fake_model, retries=3)
    fake_model.fail(400)

    judgement = judge.judge(SHIRKING, judge.transcript(TURNS))

    assert judgement.error.startswith("HTTP 400")
    assert "boom" in judgement.error
    assert len(fake_model.requests) == 1
    assert slept == []


def test_a_slow_server_times_out_and_is_retried(fake_model: FakeModel) -> None:
    judge, _ = judge_for(fake_model, timeout_s=0.2, retries=1, backoff_s=0)
    fake_model.stall(1.0)
    fake_model.stall(1.0)

    judgement = judge.judge(SHIRKING, judge.transcript(TURNS))

    assert not judgement.accepted
    assert "timed out" in judgement.error
    assert len(fake_model.requests) == 2


def test_a_server_that_is_not_there_is_an_error_not_an_exception() -> None:
    judge = Judge(JudgeConfig(base_url="http://127.0.0.1:9/v1", model="m", retries=0))
    judgement = judge.judge(SHIRKING, judge.transcript(TURNS))
    assert not judgement.accepted
    assert judgement.error


def test_the_same_question_is_answered_from_the_cache(fake_model: FakeModel) -> None:
    judge, _ = judge_for(fake_model)
    fake_model.answer("fail", "客服推诿", ["你自己去营业厅问吧"])
    first = judge.judge(SHIRKING, judge.transcript(TURNS))

    again = judge.judge(SHIRKING, judge.transcript(TURNS))

    assert len(fake_model.requests) == 1
    assert again.cached
    assert again.result == "fail"
    assert again.cost == 0
    assert again.cache_key == first.cache_key
    # another transcript is another question
    judge.judge(SHIRKING, judge.transcript(TURNS[:3]))
    assert len(fake_model.requests) == 2


def test_a_discarded_answer_is_not_cached(fake_model: FakeModel) -> None:
    judge, _ = judge_for(fake_model)
    fake_model.answer("fail", "客服推诿", ["编造的话"])
    judge.judge(SHIRKING, judge.transcript(TURNS))
    fake_model.answer("pass", "无推诿")

    assert judge.judge(SHIRKING, judge.transcript(TURNS)).result == "pass"
    assert len(fake_model.requests) == 2


def test_the_cache_key_covers_model_prompt_and_transcript() -> None:
    keys = {
        cache_key("m", "p", "t"),
        cache_key("m2", "p", "t"),
        cache_key("m", "p2", "t"),
        cache_key("m", "p", "t2"),
    }
    assert len(keys) == 4
    assert all(len(k) == 64 for k in keys)


def test_cost_comes_from_the_tokens_and_prices(fake_model: FakeModel) -> None:
    judge, _ = judge_for(fake_model, price_input_per_million=2.0, price_output_per_million=8.0)
    fake_model.answer("pass", "无推诿", prompt_tokens=1500, completion_tokens=100)

    judgement = judge.judge(SHIRKING, judge.transcript(TURNS))

    assert (judgement.prompt_tokens, judgement.completion_tokens) == (1500, 100)
    assert judgement.cost == pytest.approx(1500 * 2 / 1e6 + 100 * 8 / 1e6)
    assert judgement.latency_ms >= 0


def test_latency_is_measured(fake_model: FakeModel) -> None:
    judge, _ = judge_for(fake_model)
    fake_model.stall(0.3)
    judgement = judge.judge(SHIRKING, judge.transcript(TURNS))
    assert judgement.latency_ms >= 250


def test_the_api_key_is_sent_as_a_bearer_token(fake_model: FakeModel) -> None:
    judge, _ = judge_for(fake_model, api_key="sk-local")
    judge.judge(SHIRKING, judge.transcript(TURNS))
    assert fake_model.headers[0]["Authorization"] == "Bearer sk-local"


@pytest.mark.parametrize(
    "base_url",
    [
        "http://llm:8000/v1",
        "http://llm:8000/v1/",
        "http://llm:8000",
        "http://llm:8000/v1/chat/completions",
    ],
)
def test_the_endpoint_is_the_chat_completions_path(base_url: str) -> None:
    assert JudgeConfig(base_url=base_url, model="m").endpoint == (
        "http://llm:8000/v1/chat/completions"
    )


def test_the_rate_limit_spaces_requests_evenly() -> None:
    now = [100.0]
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        now[0] += seconds

    limiter = RateLimiter(2, clock=lambda: now[0], sleep=sleep)
    limiter.wait()
    limiter.wait()
    now[0] += 10
    limiter.wait()
    assert slept == [30.0, 20.0]


def test_no_rate_limit_never_waits() -> None:
    slept: list[float] = []
    limiter = RateLimiter(0, sleep=slept.append)
    for _ in range(5):
        limiter.wait()
    assert slept == []


# --- the scorecard's judge prompts ------------------------------------------------------------

CARD = """
scorecard: t
version: "1"
sections:
  - id: s
    title: 段
    items:
      - id: accurate
        title: 准确
        points: 5
        severity: A
        judge:
          prompt: 信息是否准确？
      - id: hello
        title: 开头语
        points: 5
        severity: B
        rule: {kind: phrases, mode: required, phrases: [您好]}
"""


def test_a_manual_item_carries_its_judge_prompt() -> None:
    card = parse_scorecard(CARD)
    assert card.item("accurate").judge_prompt == "信息是否准确？"
    assert card.item("hello").judge_prompt == ""


def test_only_a_manual_item_may_have_a_judge_prompt() -> None:
    text = CARD.replace("rule: {kind", "judge: {prompt: 有没有说您好}\n        rule: {kind")
    with pytest.raises(ScorecardError, match="only a manual item"):
        parse_scorecard(text)


@pytest.mark.parametrize("judge", ["judge: 准确吗", "judge: {prompt: ''}", "judge: {ask: 准确吗}"])
def test_a_judge_without_a_prompt_is_refused(judge: str) -> None:
    text = CARD.replace("judge:\n          prompt: 信息是否准确？", judge)
    with pytest.raises(ScorecardError, match="'judge' must be"):
        parse_scorecard(text)


def test_the_standard_scorecard_prompts_the_items_a_transcript_can_show() -> None:
    card = builtin_scorecard()
    prompted = {item.id for item in card.items if item.judge_prompt}
    assert {"info_accurate", "no_shirking", "patience", "marketing_recommend"} <= prompted
    assert all(card.item(item).kind == "manual" for item in prompted)
    # what only the recording can tell is left to people
    assert not prompted & {"smile", "mandarin", "clear_articulation", "intonation", "no_drawl"}
