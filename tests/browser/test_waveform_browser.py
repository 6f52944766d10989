"""In a real browser: the call's two-lane waveform plays the recording from where it is
clicked (a deduction's marker, anywhere on it), a playhead follows, and the speed control
sets how fast the call plays."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from lingting.core.models import User
from lingting.interactions.models import Contact
from tests.browser.conftest import screenshot, sign_in
from tests.conftest import ContactFactory
from tests.web.interactions.heard_call import (
    STEREO_METRICS,
    STEREO_WAVEFORM,
    listened,
    recorded_brush_off,
)

pytestmark = pytest.mark.browser


@pytest.fixture
def heard_call(
    live_server: Any,
    transactional_db: None,
    make_contact: ContactFactory,
    settings: Any,
    tmp_path: Path,
) -> Contact:
    settings.LINGTING_RECORDINGS_ROOT = tmp_path
    contact = recorded_brush_off(make_contact, tmp_path)
    listened(contact, metrics=STEREO_METRICS, waveform=STEREO_WAVEFORM)
    return contact


def open_contact(page: Page, base_url: str, contact: Contact, agent: User, password: str) -> None:
    sign_in(page, base_url, agent.username, password)
    page.goto(f"{base_url}/contacts/{contact.pk}/")
    page.wait_for_function("document.getElementById('recording').readyState >= 1")


def current_time(page: Page) -> float:
    return float(page.evaluate("document.getElementById('recording').currentTime"))


def test_a_deductions_marker_plays_the_call_from_its_evidence(
    live_server: Any, heard_call: Contact, page: Page, agent_li: User, password: str
) -> None:
    open_contact(page, live_server.url, heard_call, agent_li, password)
    waveform = page.locator("svg#waveform")
    expect(waveform).to_be_visible()
    expect(waveform.locator("g.wf-lane-agent path.wf-peaks")).to_be_visible()
    expect(waveform.locator("g.wf-lane-customer path.wf-peaks")).to_be_visible()
    expect(waveform.locator("rect.wf-silence")).to_have_count(1)
    expect(waveform.locator("rect.wf-overtalk")).to_have_count(1)

    # Marker 2: the forbidden phrase, in the agent's turn that starts at 8.5 s.
    waveform.locator('g.wf-marker[data-number="2"] circle').click()

    page.wait_for_function("!document.getElementById('recording').paused")
    assert current_time(page) == pytest.approx(8.5, abs=0.5)
    expect(page.locator("#turn-2")).to_have_class("turn turn-agent is-playing")
    expect(page.locator("#waveform-playhead")).to_have_class("wf-playhead is-shown")
    screenshot(page, "waveform-contact-page")

    # Anywhere on the waveform: a quarter of the way across the 12-second call.
    box = waveform.bounding_box()
    assert box is not None
    waveform.click(position={"x": box["width"] / 4, "y": box["height"] / 2})
    assert current_time(page) == pytest.approx(3.0, abs=0.5)

    # The list under the waveform does the same from the keyboard.
    page.get_by_role("button", name="1 0:06 冷场").focus()
    page.keyboard.press("Enter")
    assert current_time(page) == pytest.approx(6.0, abs=0.5)


def test_the_speed_control_sets_how_fast_the_call_plays(
    live_server: Any, heard_call: Contact, page: Page, agent_li: User, password: str
) -> None:
    open_contact(page, live_server.url, heard_call, agent_li, password)
    speed = page.get_by_role("group", name="播放速度")

    speed.get_by_role("button", name="1.5×").click()

    assert page.evaluate("document.getElementById('recording').playbackRate") == 1.5
    expect(speed.get_by_role("button", name="1.5×")).to_have_attribute("aria-pressed", "true")
    expect(speed.get_by_role("button", name="1×", exact=True)).to_have_attribute(
        "aria-pressed", "false"
    )

    speed.get_by_role("button", name="0.75×").focus()
    page.keyboard.press("Space")

    assert page.evaluate("document.getElementById('recording').playbackRate") == 0.75
    expect(speed.get_by_role("button", name="0.75×")).to_have_attribute("aria-pressed", "true")
