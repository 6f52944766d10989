"""Fixtures for the QA workflow tests: the real standard scorecard, scored contacts."""

from __future__ import annotations

import wave
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from lingting.core.models import User
from lingting.core.services import api_token_create
from lingting.engine.scorecard_yaml import builtin_scorecard
from lingting.interactions.models import Contact
from lingting.quality.models import ContactMeaning, ScorecardVersion
from lingting.quality.services import contacts_score, scorecard_load, scorecard_version_activate
from tests.conftest import SHANGHAI

DRAW_DAY = date(2026, 10, 2)  # samples the contacts of 2026-10-01
BRUSH_OFF = (
    ("agent", "您好，很高兴为您服务。", 0.0, 2.0),
    ("customer", "我的宽带又断了，你们到底管不管？", 2.5, 6.0),
    ("agent", "这个我不清楚，你自己去营业厅问吧。", 6.5, 10.0),
    ("customer", "什么态度！", 10.5, 11.5),
)


@pytest.fixture
def standard_version(db: None) -> ScorecardVersion:
    version = scorecard_load(scorecard=builtin_scorecard(), actor=None)
    scorecard_version_activate(version=version, actor=None, rescore=False)
    return version


ScoredContact = Callable[..., Contact]


@pytest.fixture
def scored_contact(make_contact: Any, standard_version: ScorecardVersion) -> ScoredContact:
    """A contact of 2026-10-01 scored by the real engine with the standard scorecard."""

    def made(external_id: str | None = None, *, hour: int = 9, **fields: Any) -> Contact:
        fields.setdefault("started_at", datetime(2026, 10, 1, hour, 0, tzinfo=SHANGHAI))
        fields["started_at"] += timedelta(seconds=make_contact.count)
        contact: Contact = make_contact(external_id, **fields)
        contacts_score(contact_ids=[contact.pk], version=standard_version)
        contact.refresh_from_db()
        return contact

    return made


class Api:
    """A client that speaks JSON to /api/ with one user's key."""

    def __init__(self, user: User) -> None:
        _, key = api_token_create(user=user, name="test")
        self.client = Client(headers={"Authorization": f"Bearer {key}"})

    def get(self, path: str, **params: Any) -> Any:
        return self.client.get(f"/api{path}", params)

    def post(self, path: str, body: dict[str, Any]) -> Any:
        return self.client.post(f"/api{path}", body, content_type="application/json")

    def put(self, path: str, body: dict[str, Any]) -> Any:
        return self.client.put(f"/api{path}", body, content_type="application/json")


def silent_wav(path: Path, seconds: float = 2.0) -> bytes:
    """A playable WAV of silence at `path` (8 kHz mono, as call recordings often are)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with wave.open(str(path), "wb") as audio:
        audio.setnchannels(1)
        audio.setsampwidth(2)
        audio.setframerate(8000)
        audio.writeframes(b"\0\0" * int(8000 * seconds))
    return path.read_bytes()


# Two chats whose meaning is plain: an angry customer left unresolved, a pleased one helped.
ANGRY_UNRESOLVED = (
    ("agent", "您好，很高兴为您服务。"),
    ("customer", "我的宽带又断了，你们到底管不管？"),
    ("agent", "这个我不清楚，你自己去营业厅问吧。"),
    ("customer", "什么态度！我要投诉你们！"),
)
PLEASED_RESOLVED = (
    ("agent", "您好，请问有什么可以帮您？"),
    ("customer", "我想问一下这个月的话费。"),
    ("agent", "您本月话费58元。"),
    ("customer", "好的，谢谢，没问题了"),
)


def store_meaning(
    contact: Contact, end: str, resolved: bool | None, satisfaction: float | None
) -> Contact:
    """Store what `contact`'s customer meant, as scoring would: how they ended (`end`; "":
    the customer never spoke), whether it was resolved, the predicted satisfaction."""
    ContactMeaning.objects.create(
        contact=contact,
        emotion_start=end and "calm",
        emotion_peak=end,
        emotion_end=end,
        resolved=resolved,
        resolution_reason="test",
        satisfaction_predicted=satisfaction,
    )
    return contact
