"""`lingting check` warns when the official schedule SLA deadlines need is not loaded."""

from __future__ import annotations

from typing import Any

from django.core.checks import CheckMessage, Warning, register

from lingting.calendars.selectors import calendar_gap_year_or_none


@register("lingting")
def calendar_loaded(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """This year's schedule at any time, next year's from November on (see selectors).

    Skipped where the tables are not migrated yet (a fresh checkout).
    """
    gap = calendar_gap_year_or_none()
    if gap is None:
        return []
    return [
        Warning(
            f"The official holiday schedule of {gap} is not in the business calendar: SLA "
            f"deadlines in {gap} count Monday to Friday only, without public holidays or "
            "make-up workdays.",
            hint=(
                f"Run `lingting calendar_load --year {gap}` once chinese_calendar knows {gap} "
                "(pip install -U chinesecalendar), or enter the days on /calendars/ and mark "
                "the year complete."
            ),
            id="calendars.W001",
        )
    ]
