"""In a real browser: a QA supervisor lists this week's angry customers with the list's
filters, opens one, and reads the customer's emotion along the transcript and the summary —
at desktop and at phone width (390 px)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from lingting.core.models import User
from lingting.engine.scorecard_yaml import builtin_scorecard
from lingting.quality.services import contacts_score, scorecard_load, scorecard_version_activate
from tests.browser.conftest import screenshot, sign_in
from tests.conftest import SHANGHAI
from tests.web.quality.test_meaning_filters import ANGRY, CALMED, PLEASED

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


def test_angry_customers_are_filtered_and_their_emotion_read_along_the_transcript(
    live_server: Any,
    transactional_db: None,
    page: Page,
    make_contact: Any,
    qa_zhao: User,
    password: str,
) -> None:
    day = datetime(2026, 10, 6, 9, tzinfo=SHANGHAI)
    angry = make_contact("C-ANGRY", turns=ANGRY, started_at=day)
    others = [
        make_contact(external_id, turns=turns, started_at=day)
        for external_id, turns in (("C-CALMED", CALMED), ("C-PLEASED", PLEASED))
    ]
    version = scorecard_load(scorecard=builtin_scorecard(), actor=None)
    scorecard_version_activate(version=version, actor=None, rescore=False)
    contacts_score(contact_ids=[angry.pk, *(c.pk for c in others)], version=version)

    sign_in(page, live_server.url, qa_zhao.username, password)
    page.goto(live_server.url + "/contacts/?date_from=2026-10-05&date_to=2026-10-11")
    expect(page.locator("a.contact-link")).to_have_count(3)
    page.locator("fieldset.meaning-filter").first.get_by_label("生气").check()
    expect(page.locator("a.contact-link")).to_have_count(1)  # the results, fetched again
    expect(page.locator("a.contact-link")).to_have_text(angry.external_id)
    screenshot(page, "contacts-ending-angry")

    page.locator("a.contact-link").click()
    expect(page.locator("#turn-3 .emo-angry")).to_have_text("生气 95%")
    expect(page.locator("#turn-3 mark.ev-emotion").first).to_have_text("什么态度")
    expect(page.locator("#meaning-resolved")).to_contain_text("未解决")
    page.locator("#meaning-resolved a.turn-link").first.click()
    assert page.url.endswith("#turn-3")
    screenshot(page, "contact-meaning")

    page.set_viewport_size(PHONE)
    page.reload()
    expect(page.locator("#meaning-trajectory")).to_be_visible()
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    screenshot(page, "contact-meaning-phone")
