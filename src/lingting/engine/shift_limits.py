"""Which shift templates an agent with a shift limit may be rostered on (issue 14).

女职工劳动保护特别规定 (2012) 第九条 and 第十条: a woman pregnant for 7 months or more, or
nursing a baby under one, is not given night work (夜班劳动), which is work at any hour
between 22:00 and 06:00. A medical note or a student's hours may rule out named shifts
besides. `allowed_shifts` turns a limit into the roster solver's `Agent.shifts`.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from datetime import timedelta

from lingting.engine.rotation import ShiftTemplate

DAY = timedelta(days=1)
NIGHT_STARTS = timedelta(hours=22)  # 夜班劳动: 22:00 to 06:00 of the next day
NIGHT_ENDS = timedelta(hours=6)
NIGHT_LENGTH = DAY - NIGHT_STARTS + NIGHT_ENDS


def works_at_night(template: ShiftTemplate) -> bool:
    """Whether the shift has any working minute between 22:00 and 06:00: 08:00–16:00 no,
    16:00–24:00 yes (22:00–24:00), 24:00–08:00 yes, 06:00–14:00 no, 05:30–13:30 yes."""
    start, end = template.start, template.start + template.length
    # Each night window [22:00, 06:00), from the one that ends on the shift's date's morning.
    evening = NIGHT_STARTS - DAY
    while evening < end:
        if start < evening + NIGHT_LENGTH:
            return True
        evening += DAY
    return False


def allowed_shifts(
    templates: Iterable[ShiftTemplate], *, no_night: bool, excluded: Collection[str]
) -> frozenset[str] | None:
    """The codes of `templates` an agent may work under the limit, or None where it rules
    none of them out (the solver's "every template")."""
    every = list(templates)
    allowed = frozenset(
        t.code for t in every if t.code not in excluded and not (no_night and works_at_night(t))
    )
    return None if len(allowed) == len(every) else allowed
