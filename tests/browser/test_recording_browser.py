"""In a real browser: the recording follows along the transcript, and a turn's time seeks it."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from lingting.core.models import User
from lingting.interactions.models import Recording
from tests.browser.conftest import screenshot, sign_in
from tests.web.conftest import silent_wav

pytestmark = pytest.mark.browser


def test_a_turns_time_seeks_the_recording_and_marks_the_turn(
    live_server: Any,
    transactional_db: None,
    page: Page,
    make_contact: Any,
    settings: Any,
    tmp_path: Path,
    agent_li: User,
    password: str,
) -> None:
    settings.LINGTING_RECORDINGS_ROOT = tmp_path
    silent_wav(tmp_path / "call.wav", seconds=12)
    contact = make_contact(
        "C-PLAY",
        turns=[
            ("agent", "您好，很高兴为您服务。", 0.0, 2.5),
            ("customer", "我想查一下话费。", 3.0, 5.0),
            ("agent", "好的，请您稍等。", 5.5, 7.0),
        ],
    )
    Recording.objects.create(contact=contact, uri="call.wav")

    sign_in(page, live_server.url, agent_li.username, password)
    page.goto(f"{live_server.url}/contacts/{contact.pk}/")
    audio = page.locator("audio#recording")
    expect(audio).to_be_visible()
    page.wait_for_function("document.getElementById('recording').readyState >= 1")

    page.locator("#turn-1 button.seek").click()

    expect(page.locator("#turn-1")).to_have_class(re.compile(r"\bis-playing\b"))
    assert page.evaluate("document.getElementById('recording').currentTime") == pytest.approx(3.0)
    page.locator("#turn-2 button.seek").click()
    expect(page.locator("#turn-2")).to_have_class(re.compile(r"\bis-playing\b"))
    expect(page.locator("#turn-1")).not_to_have_class(re.compile(r"\bis-playing\b"))
    screenshot(page, "recording-follows-transcript")
