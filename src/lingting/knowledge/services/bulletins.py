"""Must-read bulletins (必读, seed 003: agents must read what changed in the business
material): sending one to teams and roles with a deadline, a reader acknowledging it (after
answering its check questions right), and reminding those who have not read.

Who must read is fixed when it is sent — one receipt each, with their team then — so
reading rates stay what they were when people join or move teams later."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from lingting.core.models import Agent, Team, User
from lingting.core.services import audit_record, notification_send
from lingting.engine.bulletin_checks import CheckQuestion, QuestionError, wrong_answers
from lingting.knowledge.models import Article, Bulletin, BulletinReceipt
from lingting.knowledge.permissions import follows_every_team, may_publish_bulletins
from lingting.knowledge.selectors.bulletins import bulletin_questions


class BulletinError(ValidationError):
    """A bulletin that cannot be sent as asked; the message says why."""


def bulletin_publish(
    *,
    actor: User,
    title: str,
    body: str,
    deadline: datetime,
    teams: Sequence[Team] = (),
    roles: Sequence[str] = (),
    questions: Sequence[CheckQuestion] = (),
    article: Article | None = None,
) -> Bulletin:
    """Send a bulletin; everyone it reaches gets a receipt and a notification."""
    if not may_publish_bulletins(actor):
        raise PermissionDenied(_("你不能发布必读"))
    if not follows_every_team(actor) and (
        roles or any(team.leader_id != actor.pk for team in teams)
    ):
        raise PermissionDenied(_("班组长只能向自己的班组发布必读"))
    if not title.strip() or not body.strip():
        raise BulletinError(_("请填写标题和内容"))
    if deadline <= timezone.now():
        raise BulletinError(_("阅读截止时间必须晚于现在"))
    readers = _readers(teams, roles)
    if not readers:
        raise BulletinError(_("所选班组和角色中没有可发送的人员"))
    with transaction.atomic():
        bulletin = Bulletin.objects.create(
            title=title.strip(),
            body=body.strip(),
            article=article,
            roles=list(roles),
            deadline=deadline,
            questions=[q.to_dict() for q in questions],
            author=actor,
        )
        bulletin.teams.set(teams)
        BulletinReceipt.objects.bulk_create(
            BulletinReceipt(bulletin=bulletin, user=user, team=team)
            for user, team in readers.items()
        )
        url = reverse("knowledge:bulletin", kwargs={"bulletin_id": bulletin.pk})
        text = _("必读：%(title)s（%(deadline)s 前阅读）") % {
            "title": bulletin.title,
            "deadline": timezone.localtime(deadline).strftime("%Y-%m-%d %H:%M"),
        }
        for user in readers:
            notification_send(user=user, text=text, url=url)
        audit_record(
            actor=actor,
            action="bulletin.publish",
            object_type="bulletin",
            object_id=bulletin.pk,
            after={"title": bulletin.title, "readers": len(readers), "roles": list(roles)},
        )
    return bulletin


def bulletin_acknowledge(
    *, user: User, bulletin: Bulletin, answers: Sequence[int | None] = ()
) -> list[int]:
    """Mark the bulletin read by `user` when every check question is answered right; the
    numbers of the wrong ones otherwise (they read again and answer again)."""
    with transaction.atomic():
        receipt = (
            BulletinReceipt.objects.select_for_update().filter(bulletin=bulletin, user=user).first()
        )
        if receipt is None:
            raise PermissionDenied(_("这条必读没有发给你"))
        if receipt.read_at is not None:
            return []
        try:
            questions = bulletin_questions(bulletin)
        except QuestionError as error:  # stored ones were checked when sent
            raise BulletinError(str(error)) from error
        wrong = wrong_answers(questions, answers)
        receipt.attempts += 1
        if not wrong:
            receipt.read_at = timezone.now()
        receipt.save(update_fields=["attempts", "read_at"])
    return wrong


def bulletin_remind(*, actor: User, bulletin: Bulletin) -> int:
    """Notify everyone `actor` follows who has not read it yet; how many were reminded."""
    if not may_publish_bulletins(actor):
        raise PermissionDenied(_("你不能催读"))
    unread = BulletinReceipt.objects.filter(bulletin=bulletin, read_at__isnull=True)
    if not follows_every_team(actor):
        unread = unread.filter(team__leader=actor)
    url = reverse("knowledge:bulletin", kwargs={"bulletin_id": bulletin.pk})
    text = _("提醒：必读「%(title)s」还未阅读，请在 %(deadline)s 前阅读") % {
        "title": bulletin.title,
        "deadline": timezone.localtime(bulletin.deadline).strftime("%Y-%m-%d %H:%M"),
    }
    with transaction.atomic():
        receipts = list(unread.select_related("user"))
        for receipt in receipts:
            notification_send(user=receipt.user, text=text, url=url)
        unread.filter(pk__in=[r.pk for r in receipts]).update(reminded_at=timezone.now())
    return len(receipts)


def _readers(teams: Sequence[Team], roles: Sequence[str]) -> dict[User, Team | None]:
    """Everyone a bulletin reaches, with their team: the agents on staff in `teams` and
    those teams' leaders, and every active user holding one of `roles`."""
    readers: dict[User, Team | None] = {}
    for agent in Agent.objects.filter(
        team__in=teams, user__isnull=False, user__is_active=True, left_on__isnull=True
    ).select_related("user", "team"):
        assert agent.user is not None
        readers[agent.user] = agent.team
    for team in teams:
        if team.leader is not None and team.leader.is_active:
            readers.setdefault(team.leader, team)
    teams_of = {
        a.user_id: a.team for a in Agent.objects.filter(user__isnull=False).select_related("team")
    }
    for user in User.objects.filter(Q(role__in=roles) & Q(is_active=True)):
        readers.setdefault(user, teams_of.get(user.pk))
    return readers
