"""A small local stand-in for an OpenAI-compatible chat-completions server: nothing in the
tests ever calls a real model. Each test scripts the replies and reads what was sent."""

from __future__ import annotations

import json
import threading
import time
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest


@dataclass
class Reply:
    status: int = 200
    body: Any = None  # a dict sent as JSON, or raw text
    delay_s: float = 0.0


@dataclass
class FakeModel:
    """The server's script and log. Without a scripted reply it passes the item."""

    url: str = ""
    replies: deque[Reply] = field(default_factory=deque)
    requests: list[dict[str, Any]] = field(default_factory=list)
    per_item: dict[str, Reply] = field(default_factory=dict)  # by the item's title
    headers: list[dict[str, str]] = field(default_factory=list)

    @property
    def base_url(self) -> str:
        return f"{self.url}/v1"

    def answer(
        self,
        result: str = "pass",
        reason: str = "客服态度良好",
        evidence: list[str] | None = None,
        *,
        prompt_tokens: int = 1200,
        completion_tokens: int = 80,
    ) -> None:
        """Script one model answer (as the model's JSON content)."""
        content = json.dumps(
            {"result": result, "reason": reason, "evidence": evidence or []}, ensure_ascii=False
        )
        self.replies.append(Reply(body=completion(content, prompt_tokens, completion_tokens)))

    def answer_item(self, title: str, result: str, reason: str, evidence: list[str]) -> None:
        """Always answer this for the item titled `title`, whatever the order asked."""
        content = json.dumps(
            {"result": result, "reason": reason, "evidence": evidence}, ensure_ascii=False
        )
        self.per_item[title] = Reply(body=completion(content))

    def fail(self, status: int, *, times: int = 1) -> None:
        for _ in range(times):
            self.replies.append(Reply(status=status, body={"error": {"message": "boom"}}))

    def stall(self, seconds: float) -> None:
        self.replies.append(Reply(body=completion('{"result": "pass"}'), delay_s=seconds))

    def next_reply(self, request: dict[str, Any]) -> Reply:
        asked = str(request["messages"][-1]["content"])
        for title, reply in self.per_item.items():
            if f"评分项：{title}\n" in asked:
                return reply
        if self.replies:
            return self.replies.popleft()
        return Reply(body=completion('{"result": "pass", "reason": "未发现问题", "evidence": []}'))

    def sent_text(self, number: int = -1) -> str:
        """The user message of a request: the item's prompt and the transcript."""
        return str(self.requests[number]["messages"][-1]["content"])


def completion(
    content: str, prompt_tokens: int = 1200, completion_tokens: int = 80
) -> dict[str, Any]:
    return {
        "id": "chatcmpl-test",
        "object": "chat.completion",
        "choices": [{"index": 0, "message": {"role": "assistant", "content": content}}],
        "usage": {
            "prompt_tokens": prompt_tokens,
            "completion_tokens": completion_tokens,
            "total_tokens": prompt_tokens + completion_tokens,
        },
    }


def _handler(model: FakeModel) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", 0))
            request = json.loads(self.rfile.read(length))
            model.requests.append(request)
            model.headers.append(dict(self.headers))
            reply = model.next_reply(request)
            if reply.delay_s:
                time.sleep(reply.delay_s)
            body = reply.body if isinstance(reply.body, str) else json.dumps(reply.body)
            raw = body.encode("utf-8")
            try:
                self.send_response(reply.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(raw)))
                self.end_headers()
                self.wfile.write(raw)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up waiting (a timeout test)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    return Handler


@pytest.fixture(name="fake_model")
def fake_model_fixture() -> Iterator[FakeModel]:
    model = FakeModel()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(model))
    server.daemon_threads = True
    server.block_on_close = False  # a stalled reply (a timeout test) must not hold teardown
    model.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield model
    finally:
        server.shutdown()
        server.server_close()
