"""The HTTP POST of one delivery, with the standard library: a short timeout, redirects not
followed (a receiver that moved answers 3xx and is recorded as failing, as GitHub does),
and whatever went wrong turned into a result instead of an exception."""

from __future__ import annotations

import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from email.message import Message
from typing import IO, Any

TIMEOUT_SECONDS = 5.0
KEPT_CHARS = 500  # of the response body or the error, for the delivery log
USER_AGENT = "Lingting-Webhooks/1"


@dataclass(frozen=True, slots=True)
class Answer:
    status_code: int | None  # None: no HTTP answer (refused, timed out, bad address)
    text: str  # the start of the response body, or the error
    duration_ms: int

    @property
    def succeeded(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(
        self,
        req: urllib.request.Request,
        fp: IO[bytes],
        code: int,
        msg: str,
        headers: Message,
        newurl: str,
    ) -> None:
        return None  # urllib then raises HTTPError with the 3xx


_opener = urllib.request.build_opener(_NoRedirects)


def post(url: str, body: bytes, headers: dict[str, str]) -> Answer:
    request = urllib.request.Request(
        url,
        data=body,
        method="POST",
        headers={"Content-Type": "application/json", "User-Agent": USER_AGENT, **headers},
    )
    started = time.monotonic()
    try:
        with _opener.open(request, timeout=TIMEOUT_SECONDS) as response:
            return Answer(response.status, _text(response), _since(started))
    except urllib.error.HTTPError as error:
        return Answer(error.code, _text(error), _since(started))
    except (urllib.error.URLError, OSError, ValueError) as error:
        reason = getattr(error, "reason", error)
        return Answer(None, f"{type(error).__name__}: {reason}"[:KEPT_CHARS], _since(started))


def _text(response: Any) -> str:
    try:
        raw: bytes = response.read(KEPT_CHARS * 4)
    except OSError as error:
        return f"{type(error).__name__}: {error}"[:KEPT_CHARS]
    return raw.decode("utf-8", errors="replace")[:KEPT_CHARS]


def _since(started: float) -> int:
    return round((time.monotonic() - started) * 1000)
