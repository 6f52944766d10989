"""Hours on statutory holidays (法定节假日, 300 %) and on rest days in the roster grid and its
downloads: National Day 2026, 10-01..03 statutory, 10-04..07 days off moved by 调休."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from lingting.calendars.services import calendar_load
from lingting.core.models import User
from lingting.workforce.models import Roster, RosterShift
from tests.conftest import SHANGHAI

pytestmark = pytest.mark.django_db
ClientFor = Callable[[User], Client]


@pytest.fixture
def national_day_roster(org: Any, planner_qian: User) -> Roster:
    """李娜 (A1001) works the night of 09-30 (22:00–06:00: 2 h on 09-30, 6 h on statutory
    10-01), 10-01 09:00–17:00 (8 h statutory), the night of 10-03 (2 h statutory, 6 h on
    bridged 10-04) and 10-04 09:00–17:00 (8 h on a rest day): 16 h statutory, 14 h rest day.
    张伟 (A1002) works Monday 09-28 only."""
    calendar_load(year=2026)
    roster = Roster.objects.create(
        first_day=date(2026, 9, 28), last_day=date(2026, 10, 4), created_by=planner_qian
    )
    shifts = [
        ("A1001", date(2026, 9, 30), "夜", 22),
        ("A1001", date(2026, 10, 1), "白", 9),
        ("A1001", date(2026, 10, 3), "夜", 22),
        ("A1001", date(2026, 10, 4), "白", 9),
        ("A1002", date(2026, 9, 28), "白", 9),
    ]
    for code, day, shift, hour in shifts:
        start = datetime(day.year, day.month, day.day, hour, tzinfo=SHANGHAI)
        RosterShift.objects.create(
            roster=roster,
            agent=org.agents[code],
            day=day,
            code=shift,
            starts_at=start,
            ends_at=start + timedelta(hours=8),
        )
    return roster


def _row_cells(text: str, agent: str) -> list[str]:
    row = text.split(f'data-agent="{agent}"')[1].split("</tr>")[0]
    return re.findall(r'<td class="num ([a-z-]+)">([^<]*)</td>', row)


def test_the_grid_marks_statutory_dates_and_shows_each_agents_hours_on_them(
    client_for: ClientFor, national_day_roster: Roster, planner_qian: User
) -> None:
    url = reverse("workforce:roster_detail", args=[national_day_roster.pk])

    text = client_for(planner_qian).get(url).content.decode()

    marked = re.findall(r'data-statutory="([0-9-]+)"', text)
    assert marked == ["2026-10-01", "2026-10-02", "2026-10-03"]  # not the bridged 10-04
    assert "法定 国庆节" in text
    assert "法定节假日工时 (300%)" in text
    assert "休息日工时" in text
    assert _row_cells(text, "A1001") == [("statutory-hours", "16.0"), ("rest-day-hours", "14.0")]
    assert _row_cells(text, "A1002") == [("statutory-hours", "0.0"), ("rest-day-hours", "0.0")]


def test_the_downloads_carry_the_statutory_and_rest_day_hours(
    client_for: ClientFor, national_day_roster: Roster, planner_qian: User
) -> None:
    client = client_for(planner_qian)
    url = reverse("workforce:roster_detail", args=[national_day_roster.pk])

    body = client.get(url, {"export": "csv"}).content.decode("utf-8-sig")
    xlsx = client.get(url, {"export": "xlsx"})

    rows = list(csv.reader(io.StringIO(body)))
    header = next(row for row in rows if "工号" in row)
    li = next(row for row in rows if "A1001" in row)
    figures = dict(zip(header, li, strict=True))
    assert float(figures["法定节假日工时 (300%)"]) == 16
    assert float(figures["休息日工时"]) == 14
    assert "10-01 四 法定 国庆节" in header
    assert "10-04 日" in header
    book = zipfile.ZipFile(io.BytesIO(xlsx.content))
    strings = book.read("xl/sharedStrings.xml").decode()
    assert "法定节假日工时 (300%)" in strings
    assert "10-01 四 法定 国庆节" in strings
    sheets = [book.read(n).decode() for n in book.namelist() if n.startswith("xl/worksheets/")]
    assert any("<v>16</v>" in sheet and "<v>14</v>" in sheet for sheet in sheets)
