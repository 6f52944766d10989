"""A model judge for manual scorecard items: a large language model the center runs itself
(vLLM, Ollama, Xinference, or an allowed cloud endpoint) pre-scores the items only a person
could judge, through an OpenAI-compatible `/v1/chat/completions` API.

The model's answer is only a suggestion for the reviewer, and one that must show its
grounds: it answers `{"result": "pass"|"fail", "reason": …, "evidence": [quotes]}` and every
quote must appear verbatim in a turn of the transcript it was sent, else the whole answer is
discarded (a model that invents what the agent said must never put words in an agent's
mouth). A failure needs at least one quote.

Personal numbers are masked before anything leaves the server unless the configuration
allows otherwise. Requests have a timeout, are retried with exponential backoff on 5xx,
429 and network errors (never on another 4xx: the same request would fail the same way),
and are paced by a client-side rate limit. Accepted answers are cached under
sha256(model, prompt, transcript as sent), so the same question is never paid for twice.
Only the standard library is used.
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Literal, Protocol

from lingting.engine.contacts import Turn
from lingting.engine.pii import mask_turn_texts

JudgeResult = Literal["pass", "fail"]
JUDGE_RESULTS: tuple[JudgeResult, ...] = ("pass", "fail")
SPEAKER_LABELS = {"agent": "客服", "customer": "客户", "bot": "机器人", "system": "系统"}
USER_AGENT = "Lingting-Judge/1"
MAX_REASON_CHARS = 1000
MAX_QUOTES = 10
_FENCE = re.compile(r"^```(?:json)?\s*|\s*```$")

SYSTEM_PROMPT = (
    "你是呼叫中心的质检员，按评分表的一项给一通客服对话评分。"
    "只回答一个 JSON 对象，不要写别的内容，格式为："
    '{"result": "pass" 或 "fail", "reason": "一两句中文理由", '
    '"evidence": ["从对话中逐字摘录的原话", …]}。'
    "evidence 里的每一条都必须是对话中某一句话里一字不差的连续片段（不含行首的编号和说话人），"
    "不要改写、不要拼接不同的句子；判为 fail 时至少摘录一条。"
)


class JudgeError(Exception):
    """The model could not be asked (network, HTTP status) or its answer was unusable."""


@dataclass(frozen=True, slots=True)
class JudgeConfig:
    """What an administrator sets: where the model is and how to talk to it."""

    base_url: str  # e.g. http://127.0.0.1:8000/v1 (vLLM) or http://127.0.0.1:11434/v1 (Ollama)
    model: str
    api_key: str = ""
    timeout_s: float = 60.0
    retries: int = 2  # further tries after the first
    requests_per_minute: int = 0  # 0: no limit
    price_input_per_million: float = 0.0  # 元 per million prompt tokens
    price_output_per_million: float = 0.0  # 元 per million completion tokens
    send_unmasked: bool = False  # send personal numbers in full (an on-premises model)
    backoff_s: float = 1.0  # the first retry's wait; doubled for each next one

    @property
    def endpoint(self) -> str:
        base = self.base_url.rstrip("/")
        if base.endswith("/chat/completions"):
            return base
        if not base.endswith("/v1"):
            base += "/v1"
        return base + "/chat/completions"


@dataclass(frozen=True, slots=True)
class JudgeItem:
    """One manual item to judge and the scorecard's prompt for it."""

    id: str
    title: str
    prompt: str
    description: str = ""


@dataclass(frozen=True, slots=True)
class Transcript:
    """The conversation as the model reads it: numbered turns (1. 客服：…), personal numbers
    masked unless allowed. `turns` pairs each turn's `Turn.index` with the text as sent."""

    text: str
    turns: tuple[tuple[int, str], ...]
    masked: bool


@dataclass(frozen=True, slots=True)
class Quote:
    text: str
    turn: int  # the `Turn.index` of the turn that says it

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "turn": self.turn}


@dataclass(frozen=True, slots=True)
class Judgement:
    """The model's answer for one item, or why there is none (`error`)."""

    item: str
    model: str
    cache_key: str
    result: JudgeResult | None = None  # None: no usable answer (see `error`)
    reason: str = ""
    evidence: tuple[Quote, ...] = ()
    error: str = ""
    latency_ms: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cost: float = 0.0
    attempts: int = 0
    cached: bool = False

    @property
    def accepted(self) -> bool:
        return self.result is not None


class JudgementCache(Protocol):
    """Accepted judgements by cache key (the app keeps them in its database)."""

    def get(self, key: str) -> Judgement | None: ...

    def put(self, judgement: Judgement) -> None: ...


@dataclass
class MemoryCache:
    entries: dict[str, Judgement] = field(default_factory=dict)

    def get(self, key: str) -> Judgement | None:
        return self.entries.get(key)

    def put(self, judgement: Judgement) -> None:
        self.entries[judgement.cache_key] = judgement


class RateLimiter:
    """At most `per_minute` requests a minute from this process, evenly spaced."""

    def __init__(
        self,
        per_minute: int,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.interval = 60.0 / per_minute if per_minute > 0 else 0.0
        self._clock = clock
        self._sleep = sleep
        self._next = 0.0
        self._lock = threading.Lock()

    def wait(self) -> None:
        if not self.interval:
            return
        with self._lock:
            now = self._clock()
            start = max(now, self._next)
            self._next = start + self.interval
        if start > now:
            self._sleep(start - now)


def render_transcript(turns: Sequence[Turn], *, mask: bool = True) -> Transcript:
    """Numbered turns, one a line, so the model can quote them and quotes map to turns."""
    texts = mask_turn_texts(turns) if mask else [t.text for t in turns]
    lines = [
        f"{number}. {SPEAKER_LABELS.get(turn.speaker, turn.speaker)}：{text}"
        for number, (turn, text) in enumerate(zip(turns, texts, strict=True), start=1)
    ]
    return Transcript(
        text="\n".join(lines),
        turns=tuple((turn.index, text) for turn, text in zip(turns, texts, strict=True)),
        masked=mask,
    )


def item_prompt(item: JudgeItem) -> str:
    """The item's part of the question: what is judged, and how."""
    parts = [f"评分项：{item.title}"]
    if item.description:
        parts.append(f"评分标准：{item.description}")
    parts.append(f"判断要求：{item.prompt}")
    return "\n".join(parts)


def cache_key(model: str, prompt: str, transcript: str) -> str:
    """sha256 of the model, the whole prompt and the transcript exactly as sent."""
    payload = json.dumps([model, prompt, transcript], ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


class Judge:
    """Asks the configured model about items of contacts; thread-safe, reuse one."""

    def __init__(
        self,
        config: JudgeConfig,
        *,
        cache: JudgementCache | None = None,
        sleep: Callable[[float], None] = time.sleep,
        limiter: RateLimiter | None = None,
    ) -> None:
        self.config = config
        self.cache: JudgementCache = cache if cache is not None else MemoryCache()
        self._sleep = sleep
        self.limiter = limiter or RateLimiter(config.requests_per_minute, sleep=sleep)

    def transcript(self, turns: Sequence[Turn]) -> Transcript:
        return render_transcript(turns, mask=not self.config.send_unmasked)

    def judge(self, item: JudgeItem, transcript: Transcript) -> Judgement:
        """The model's judgement of `item` on `transcript` (never raises for the model's
        sake: what went wrong is the judgement's `error`)."""
        prompt = f"{SYSTEM_PROMPT}\n\n{item_prompt(item)}"
        key = cache_key(self.config.model, prompt, transcript.text)
        cached = self.cache.get(key)
        if cached is not None:
            # Nothing was asked, nothing paid: only the answer is reused.
            return replace(
                cached,
                item=item.id,
                cached=True,
                latency_ms=0,
                attempts=0,
                prompt_tokens=0,
                completion_tokens=0,
                cost=0.0,
            )
        base = Judgement(item=item.id, model=self.config.model, cache_key=key)
        started = time.monotonic()
        try:
            body, attempts = self._post(self._request_body(item, transcript))
        except JudgeError as error:
            return replace(base, error=str(error), latency_ms=_ms_since(started))
        usage = body.get("usage")
        if not isinstance(usage, dict):
            usage = {}
        prompt_tokens = _int(usage.get("prompt_tokens"))
        completion_tokens = _int(usage.get("completion_tokens"))
        measured = replace(
            base,
            latency_ms=_ms_since(started),
            attempts=attempts,
            prompt_tokens=prompt_tokens,
            completion_tokens=completion_tokens,
            cost=self._cost(prompt_tokens, completion_tokens),
        )
        try:
            result, reason, evidence = parse_answer(_content(body), transcript)
        except JudgeError as error:
            return replace(measured, error=str(error))
        judgement = replace(measured, result=result, reason=reason, evidence=evidence)
        self.cache.put(judgement)
        return judgement

    def _request_body(self, item: JudgeItem, transcript: Transcript) -> dict[str, Any]:
        return {
            "model": self.config.model,
            "temperature": 0,
            "response_format": {"type": "json_object"},
            "messages": [
                {"role": "system", "content": SYSTEM_PROMPT},
                {
                    "role": "user",
                    "content": f"{item_prompt(item)}\n\n对话记录：\n{transcript.text}",
                },
            ],
        }

    def _cost(self, prompt_tokens: int, completion_tokens: int) -> float:
        return round(
            prompt_tokens * self.config.price_input_per_million / 1e6
            + completion_tokens * self.config.price_output_per_million / 1e6,
            6,
        )

    def _post(self, body: dict[str, Any]) -> tuple[dict[str, Any], int]:
        """The parsed response and the number of tries it took; JudgeError when every try
        failed or one failed in a way a retry cannot mend."""
        data = json.dumps(body, ensure_ascii=False).encode("utf-8")
        headers = {"Content-Type": "application/json", "User-Agent": USER_AGENT}
        if self.config.api_key:
            headers["Authorization"] = f"Bearer {self.config.api_key}"
        tries = max(self.config.retries, 0) + 1
        for attempt in range(1, tries + 1):
            self.limiter.wait()
            request = urllib.request.Request(
                self.config.endpoint, data=data, method="POST", headers=headers
            )
            try:
                with urllib.request.urlopen(request, timeout=self.config.timeout_s) as response:
                    raw: bytes = response.read()
            except urllib.error.HTTPError as error:
                problem = f"HTTP {error.code}: {_start_of(error)}"
                if not _retryable(error.code) or attempt == tries:
                    raise JudgeError(problem) from None
            except TimeoutError as error:
                problem = f"timed out after {self.config.timeout_s:g} s ({error})"
                if attempt == tries:
                    raise JudgeError(problem) from None
            except (urllib.error.URLError, OSError, ValueError) as error:
                reason = getattr(error, "reason", error)
                problem = f"{type(error).__name__}: {reason}"
                if attempt == tries:
                    raise JudgeError(problem) from None
            else:
                try:
                    parsed = json.loads(raw.decode("utf-8"))
                except (UnicodeDecodeError, json.JSONDecodeError):
                    raise JudgeError("the server's response is not JSON") from None
                if not isinstance(parsed, dict):
                    raise JudgeError("the server's response is not a JSON object")
                return parsed, attempt
            self._sleep(self.config.backoff_s * 2 ** (attempt - 1))
        raise JudgeError("no try was made")  # unreachable: tries ≥ 1


def parse_answer(
    content: str, transcript: Transcript
) -> tuple[JudgeResult, str, tuple[Quote, ...]]:
    """The model's answer checked: a result, a reason, and quotes found verbatim in the
    turns sent. JudgeError says why an answer is discarded."""
    try:
        answer = json.loads(_FENCE.sub("", content.strip()))
    except json.JSONDecodeError:
        raise JudgeError("the model's answer is not JSON") from None
    if not isinstance(answer, dict):
        raise JudgeError("the model's answer is not a JSON object")
    result = answer.get("result")
    if result not in JUDGE_RESULTS:
        raise JudgeError(f"the model's result must be pass or fail, not {result!r}")
    reason = answer.get("reason")
    if not isinstance(reason, str) or not reason.strip():
        raise JudgeError("the model gave no reason")
    raw_quotes = answer.get("evidence", [])
    if not isinstance(raw_quotes, list) or not all(isinstance(q, str) for q in raw_quotes):
        raise JudgeError("the model's evidence must be a list of quotes")
    quotes = tuple(_located(quote.strip(), transcript) for quote in raw_quotes[:MAX_QUOTES])
    if result == "fail" and not quotes:
        raise JudgeError("the model failed the item without quoting the transcript")
    return result, reason.strip()[:MAX_REASON_CHARS], quotes


def _located(quote: str, transcript: Transcript) -> Quote:
    if quote:
        for index, text in transcript.turns:
            if quote in text:
                return Quote(quote, index)
    raise JudgeError(f"the quote {quote[:60]!r} is not in the transcript; answer discarded")


def _content(body: dict[str, Any]) -> str:
    try:
        content = body["choices"][0]["message"]["content"]
    except (KeyError, IndexError, TypeError):
        raise JudgeError("the server's response has no choices[0].message.content") from None
    if not isinstance(content, str):
        raise JudgeError("the model's message is not text")
    return content


def _retryable(status: int) -> bool:
    return status >= 500 or status == 429


def _start_of(error: urllib.error.HTTPError) -> str:
    try:
        return error.read(300).decode("utf-8", errors="replace")
    except OSError:
        return str(error.reason)


def _int(value: object) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else 0


def _ms_since(started: float) -> int:
    return round((time.monotonic() - started) * 1000)
