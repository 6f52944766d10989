"""Every date filter shows its date as ISO `YYYY-MM-DD`, the only format `<input type=date>`
accepts: a date in another format (the Chinese locale's `2026/11/24`) leaves the input empty."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.test import Client

from lingting.core.models import User

DATE_INPUT = re.compile(r"<input\b[^>]*\btype=\"date\"[^>]*>")
VALUE = re.compile(r"\bvalue=\"([^\"]*)\"")
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

PAGES_WITH_DATE_FILTERS = [
    ("planner_qian", "/workforce/occupancy/"),
    ("ops_zhou", "/workforce/occupancy/"),
    ("ops_zhou", "/surveys/"),
    ("qa_zhao", "/contacts/"),
    ("qa_zhao", "/contacts/?date_from=2026-10-01&date_to=2026-10-31"),
    ("leader_wang", "/coaching/detect/"),
    ("ops_zhou", "/workforce/broadcast/"),
    ("qa_zhao", "/quality/trust/?from=2026-10-01&to=2026-10-31"),
    ("qa_zhao", "/quality/disputes/report/?from=2026-10-01&to=2026-10-31"),
    ("ops_zhou", "/calendars/"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("username", "url"), PAGES_WITH_DATE_FILTERS)
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_every_date_input_shows_an_iso_date(
    org: object,
    client_for: Callable[[User], Client],
    username: str,
    url: str,
    language: str,
) -> None:
    client = client_for(User.objects.get(username=username))
    client.cookies["django_language"] = language
    page = client.get(url)
    assert page.status_code == 200
    inputs = DATE_INPUT.findall(page.content.decode())
    assert inputs, f"{url} has no date filter"
    for tag in inputs:
        value = VALUE.search(tag)
        if value and value.group(1):
            assert ISO_DATE.match(value.group(1)), f"{url}: {tag}"


@pytest.mark.django_db
def test_the_default_week_of_occupancy_is_filled_in(
    org: object, client_for: Callable[[User], Client], planner_qian: User
) -> None:
    page = client_for(planner_qian).get("/workforce/occupancy/").content.decode()
    values = [VALUE.search(tag) for tag in DATE_INPUT.findall(page)]
    assert all(value and ISO_DATE.match(value.group(1)) for value in values)
