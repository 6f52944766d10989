"""Writes of the business calendar: loading the official schedule and an admin's corrections."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lingting.calendars.models import CalendarDay, CalendarYear, DayKind, Source
from lingting.calendars.permissions import may_correct_calendar
from lingting.core.models import User
from lingting.core.services import audit_record
from lingting.engine.calendars import official_days, package_version


@dataclass
class YearLoad:
    """What loading one year changed; `kept` are admin corrections left as they were."""

    year: int
    added: list[date] = field(default_factory=list)
    changed: list[date] = field(default_factory=list)
    removed: list[date] = field(default_factory=list)
    kept: list[date] = field(default_factory=list)

    @property
    def changes(self) -> int:
        return len(self.added) + len(self.changed) + len(self.removed)


def calendar_load(*, year: int, actor: User | None = None) -> YearLoad:
    """Bring `year`'s official days from ``chinese_calendar`` into the table.

    Idempotent: a second load changes nothing. A row an administrator wrote is never
    overwritten (it is reported as kept); package rows the package no longer lists are
    removed. Raises `lingting.engine.calendars.CalendarGap` when the package lacks the year.
    """
    official = {day.date: day for day in official_days(year)}
    load = YearLoad(year=year)
    now = timezone.now()
    with transaction.atomic():
        existing = {
            row.date: row for row in CalendarDay.objects.select_for_update().filter(date__year=year)
        }
        for day, entry in official.items():
            row = existing.get(day)
            if row is None:
                CalendarDay.objects.create(
                    date=day,
                    kind=entry.kind,
                    name=entry.name,
                    source=Source.PACKAGE,
                    changed_at=now,
                )
                load.added.append(day)
            elif row.source == Source.ADMIN:
                load.kept.append(day)
            elif (row.kind, row.name) != (entry.kind, entry.name):
                row.kind, row.name, row.changed_at = entry.kind, entry.name, now
                row.save(update_fields=["kind", "name", "changed_at"])
                load.changed.append(day)
        for day, row in existing.items():
            if row.source == Source.PACKAGE and day not in official:
                row.delete()
                load.removed.append(day)
        CalendarYear.objects.update_or_create(
            year=year,
            defaults={
                "source": Source.PACKAGE,
                "package_version": package_version(),
                "loaded_by": actor,
                "loaded_at": now,
            },
        )
        if load.changes:
            audit_record(
                actor=actor,
                action="calendar.load",
                object_type="calendar_year",
                object_id=year,
                after={
                    "package_version": package_version(),
                    "added": [str(day) for day in load.added],
                    "changed": [str(day) for day in load.changed],
                    "removed": [str(day) for day in load.removed],
                    "kept": [str(day) for day in load.kept],
                },
            )
    return load


def calendar_day_correct(
    *, actor: User, day: date, kind: str, name: str = "", note: str
) -> CalendarDay:
    """An administrator's correction of one date: a day off, a worked day, or as usual.

    Audited with the row before and after; the reason (`note`) is required. A later
    ``calendar_load`` leaves the date as corrected.
    """
    if not may_correct_calendar(actor):
        raise PermissionDenied
    if kind not in DayKind.values:
        raise ValidationError(_("日期类型无效"))
    if not note.strip():
        raise ValidationError(_("请填写更正原因"))
    if kind == DayKind.HOLIDAY and day.weekday() >= 5:
        raise ValidationError(_("周末本来就休息，无需设为放假"))
    if kind == DayKind.WORKDAY and day.weekday() < 5:
        raise ValidationError(_("工作日本来就上班，无需设为调休上班"))
    with transaction.atomic():
        row = CalendarDay.objects.select_for_update().filter(date=day).first()
        before = _snapshot(row)
        if row is None:
            row = CalendarDay(date=day)
        row.kind, row.name, row.note = kind, name.strip(), note.strip()
        row.source, row.changed_by, row.changed_at = Source.ADMIN, actor, timezone.now()
        row.save()
        audit_record(
            actor=actor,
            action="calendar_day.correct",
            object_type="calendar_day",
            object_id=day.isoformat(),
            before=before,
            after=_snapshot(row),
            note=row.note,
        )
    return row


def calendar_year_mark_complete(*, actor: User, year: int) -> CalendarYear:
    """An administrator says `year`'s days are all entered by hand (the package lacks it)."""
    if not may_correct_calendar(actor):
        raise PermissionDenied
    with transaction.atomic():
        entry, created = CalendarYear.objects.get_or_create(
            year=year,
            defaults={"source": Source.ADMIN, "loaded_by": actor, "loaded_at": timezone.now()},
        )
        if created:
            audit_record(
                actor=actor,
                action="calendar_year.complete",
                object_type="calendar_year",
                object_id=year,
                after={"source": Source.ADMIN},
            )
    return entry


def _snapshot(row: CalendarDay | None) -> dict[str, str] | None:
    if row is None:
        return None
    return {"kind": row.kind, "name": row.name, "source": row.source, "note": row.note}
