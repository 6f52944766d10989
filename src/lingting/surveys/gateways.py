"""The gateways a survey invitation leaves through (issue 17), chosen by
LINGTING_SURVEY_GATEWAY:

- ``{"kind": "http", "url": …, "secret": …}``: a JSON POST to the center's SMS/IVR/WeChat
  platform, signed as Lingting's webhooks are (``X-Lingting-Signature``, HMAC-SHA256 over
  timestamp + body); any 2xx is delivered, anything else is tried again later.
- ``{"kind": "file", "folder": …}``: one JSON line per invitation appended to
  ``surveys-YYYYMMDD.jsonl`` in the folder, for batch systems that collect files.
- ``{"kind": "fake"}``: kept in memory (`FakeGateway.sent`), for tests and the demo; the
  default, so that nothing is ever sent to a real customer until a center configures it.
"""

from __future__ import annotations

import json
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, ClassVar, Protocol

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from lingting.engine.webhooks import signature
from lingting.webhooks.transport import post


class GatewayError(Exception):
    """The gateway did not take the message; the text says why (kept on the invitation)."""


@dataclass(frozen=True, slots=True)
class OutgoingSurvey:
    invitation: int  # the invitation's id: the gateway's idempotency key
    channel: str  # sms, ivr, web, wechat …
    address: str  # the customer's number (or open id) — in full: the gateway must reach it
    text: str  # the question, with the H5 link where the plan has one
    link: str  # the H5 page, signed and single-use ("" when the channel has none)
    expires_at: str  # ISO 8601


class Gateway(Protocol):
    def send(self, message: OutgoingSurvey) -> None:
        """Hand `message` over; GatewayError when it was not taken."""


class FakeGateway:
    """Sends nothing: remembers what it was given. Set `failing` to make it refuse."""

    sent: ClassVar[list[OutgoingSurvey]] = []
    failing: ClassVar[str] = ""

    def send(self, message: OutgoingSurvey) -> None:
        if FakeGateway.failing:
            raise GatewayError(FakeGateway.failing)
        FakeGateway.sent.append(message)


class FileDropGateway:
    def __init__(self, folder: str) -> None:
        self.folder = Path(folder)

    def send(self, message: OutgoingSurvey) -> None:
        name = f"surveys-{time.strftime('%Y%m%d')}.jsonl"
        line = json.dumps(asdict(message), ensure_ascii=False) + "\n"
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            with (self.folder / name).open("a", encoding="utf-8") as out:
                out.write(line)
        except OSError as error:
            raise GatewayError(f"{self.folder / name}: {error.strerror or error}") from None


class HttpGateway:
    def __init__(self, url: str, secret: str) -> None:
        self.url, self.secret = url, secret

    def send(self, message: OutgoingSurvey) -> None:
        body = json.dumps(asdict(message), ensure_ascii=False).encode("utf-8")
        timestamp = int(time.time())
        answer = post(
            self.url,
            body,
            {
                "X-Lingting-Timestamp": str(timestamp),
                "X-Lingting-Signature": signature(self.secret, timestamp, body),
                "Idempotency-Key": f"survey-{message.invitation}",
            },
        )
        if not answer.succeeded:
            raise GatewayError(f"{answer.status_code or '-'} {answer.text}".strip())


def configured_gateway() -> Gateway:
    config: dict[str, Any] = settings.LINGTING_SURVEY_GATEWAY
    kind = config.get("kind", "fake")
    if kind == "fake":
        return FakeGateway()
    if kind == "file" and config.get("folder"):
        return FileDropGateway(str(config["folder"]))
    if kind == "http" and config.get("url") and config.get("secret"):
        return HttpGateway(str(config["url"]), str(config["secret"]))
    raise ImproperlyConfigured(
        "LINGTING_SURVEY_GATEWAY: kind 'fake', 'file' with a folder, or 'http' with a url and a"
        f" secret, not kind {kind!r} with {sorted(k for k, v in config.items() if v)}"
    )
