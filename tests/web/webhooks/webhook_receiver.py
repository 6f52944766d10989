"""A real HTTP receiver for webhook tests: http.server in a thread on 127.0.0.1, recording
every POST (headers, raw body) and answering the status codes it is told to."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any

import pytest


@dataclass(frozen=True)
class Received:
    headers: dict[str, str]
    body: bytes

    @property
    def json(self) -> Any:
        return json.loads(self.body)

    @property
    def event(self) -> str:
        return self.headers["X-Lingting-Event"]


class Receiver:
    """`answers`: the status codes of the next requests, in turn; 200 when none is left."""

    def __init__(self, port: int = 0) -> None:
        self.received: list[Received] = []
        self.answers: list[int] = []
        self._server = HTTPServer(("127.0.0.1", port), self._handler())
        self.port = self._server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}/hooks/lingting"
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        self.running = True

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                receiver.received.append(Received(dict(self.headers.items()), body))
                status = receiver.answers.pop(0) if receiver.answers else 200
                text = b"ok" if status < 300 else b"receiver exploded: " + b"x" * 1000
                self.send_response(status)
                self.send_header("Content-Length", str(len(text)))
                self.end_headers()
                self.wfile.write(text)

            def log_message(self, format: str, *args: Any) -> None:
                return None  # quiet tests

        return Handler

    def stop(self) -> None:
        """Down: the port refuses connections until `Receiver(port)` binds it again."""
        if not self.running:
            return
        self.running = False
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()

    def events(self) -> list[str]:
        return [request.event for request in self.received]


@pytest.fixture(name="receiver")
def receiver_fixture() -> Iterator[Receiver]:
    running = Receiver()
    yield running
    running.stop()
