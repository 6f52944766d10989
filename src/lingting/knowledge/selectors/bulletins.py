"""Reading must-read bulletins: a person's own, who has (not) read one, and reading rates
per team — each narrowed to the teams the viewer follows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, F, Q, QuerySet

from lingting.core.models import User
from lingting.engine.bulletin_checks import CheckQuestion, check_questions
from lingting.knowledge.models import Bulletin, BulletinReceipt
from lingting.knowledge.permissions import follows_every_team


@dataclass(frozen=True, slots=True)
class TeamReading:
    team: str
    sent: int
    read: int
    on_time: int

    @property
    def rate(self) -> float | None:
        return self.read / self.sent if self.sent else None

    @property
    def on_time_rate(self) -> float | None:
        return self.on_time / self.sent if self.sent else None


def bulletin_questions(bulletin: Bulletin) -> list[CheckQuestion]:
    return check_questions(bulletin.questions)


def my_receipts(user: User) -> QuerySet[BulletinReceipt]:
    """`user`'s bulletins, unread first, then newest."""
    return (
        BulletinReceipt.objects.filter(user=user)
        .select_related("bulletin")
        .order_by(F("read_at").asc(nulls_first=True), "-bulletin__published_at")
    )


def unread_count(user: User) -> int:
    return BulletinReceipt.objects.filter(user=user, read_at__isnull=True).count()


def followed_receipts(user: User) -> QuerySet[BulletinReceipt]:
    """The receipts of the people `user` follows: everyone, or a leader's own teams."""
    receipts = BulletinReceipt.objects.all()
    return receipts if follows_every_team(user) else receipts.filter(team__leader=user)


def followed_bulletins(user: User) -> QuerySet[Bulletin]:
    """Bulletins with at least one receipt `user` follows, with their reading counts."""
    mine = followed_receipts(user)
    return (
        Bulletin.objects.filter(receipts__in=mine)
        .annotate(
            sent=Count("receipts", filter=Q(receipts__in=mine), distinct=True),
            read=Count(
                "receipts",
                filter=Q(receipts__in=mine, receipts__read_at__isnull=False),
                distinct=True,
            ),
        )
        .order_by("-published_at", "-id")
    )


def bulletin_readers(user: User, bulletin: Bulletin) -> QuerySet[BulletinReceipt]:
    """Who `user` follows among the readers of `bulletin`: unread first, then by team."""
    return (
        followed_receipts(user)
        .filter(bulletin=bulletin)
        .select_related("user", "team")
        .order_by(F("read_at").asc(nulls_first=True), "team__name", "user__username")
    )


def reading_by_team(user: User, since: datetime, until: datetime) -> list[TeamReading]:
    """Per team, bulletins sent in [since, until): receipts, read, read by the deadline."""
    rows = (
        followed_receipts(user)
        .filter(bulletin__published_at__gte=since, bulletin__published_at__lt=until)
        .values("team__name")
        .annotate(
            sent=Count("pk"),
            read=Count("pk", filter=Q(read_at__isnull=False)),
            on_time=Count("pk", filter=Q(read_at__lte=F("bulletin__deadline"))),
        )
        .order_by("team__name")
    )
    return [TeamReading(r["team__name"] or "—", r["sent"], r["read"], r["on_time"]) for r in rows]
