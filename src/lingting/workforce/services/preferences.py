"""An agent's wishes for the roster: shifts they prefer or avoid, days they would rather have
off (issue 14, "agents' preferences"). Soft: the solver weighs them after coverage, rules and
fairness."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db import transaction

from lingting.core.models import Agent, User
from lingting.core.services import audit_record
from lingting.workforce.models import DayOffWish, ShiftPreference


def shift_preferences_set(
    *, agent: Agent, prefers: Iterable[str], avoids: Iterable[str], actor: User
) -> None:
    """Replace the agent's shift wishes; a code both preferred and avoided is neither."""
    liked, disliked = set(prefers), set(avoids)
    both = liked & disliked
    liked, disliked = liked - both, disliked - both
    with transaction.atomic():
        before = _wishes(agent)
        ShiftPreference.objects.filter(agent=agent).delete()
        ShiftPreference.objects.bulk_create(
            [ShiftPreference(agent=agent, code=code, prefers=True) for code in sorted(liked)]
            + [ShiftPreference(agent=agent, code=code, prefers=False) for code in sorted(disliked)]
        )
        audit_record(
            actor=actor,
            action="shift_preferences.set",
            object_type="agent",
            object_id=agent.code,
            before=before,
            after=_wishes(agent),
        )


def _wishes(agent: Agent) -> dict[str, list[str]]:
    rows = ShiftPreference.objects.filter(agent=agent).order_by("code")
    return {
        "prefers": [row.code for row in rows if row.prefers],
        "avoids": [row.code for row in rows if not row.prefers],
    }


def day_off_wish_add(*, agent: Agent, day: date, note: str, actor: User) -> DayOffWish:
    """Ask for `day` off (kept once per day; asking again changes the note)."""
    with transaction.atomic():
        wish, _created = DayOffWish.objects.update_or_create(
            agent=agent, day=day, defaults={"note": note.strip()}
        )
        audit_record(
            actor=actor,
            action="day_off_wish.add",
            object_type="agent",
            object_id=agent.code,
            after={"day": day.isoformat(), "note": wish.note},
        )
    return wish


def day_off_wish_remove(*, wish: DayOffWish, actor: User) -> None:
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="day_off_wish.remove",
            object_type="agent",
            object_id=wish.agent.code,
            before={"day": wish.day.isoformat(), "note": wish.note},
        )
        wish.delete()
