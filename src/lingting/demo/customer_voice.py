"""Demo steps of issue 17's customer voice: surveys after the last week's contacts (seed
000's SMS satisfaction, and a recommend question on the H5 page) with the customers'
replies, seed 004 篇1's service competitiveness index over three choice-intention waves,
and its fixed-customer panel called back twice.

Everything goes through the same services as the pages; a second run leaves it as it is.
"""

from __future__ import annotations

import random
import zlib
from datetime import date, datetime, time, timedelta

from django.db.models import Max, QuerySet
from django.utils import timezone

from lingting.campaigns.forms_panels import PanelForm
from lingting.campaigns.models import (
    Panel,
    PanelCallOutcome,
    PanelLeaveReason,
    PanelMember,
    PanelWave,
    PerceptionChoice,
    Segment,
)
from lingting.campaigns.services.panels import (
    AnswerGiven,
    panel_answer_record,
    panel_member_leave,
    panel_recruit,
    panel_save,
    panel_waves_schedule,
)
from lingting.core.models import User
from lingting.engine.competitiveness import OperatorAnswers
from lingting.engine.survey_invitations import ADDRESS_FIELDS
from lingting.interactions.models import Contact
from lingting.quality.models import ContactMeaning
from lingting.surveys.gateways import OutgoingSurvey
from lingting.surveys.models import (
    CompetitivenessWave,
    InvitationStatus,
    SurveyChannel,
    SurveyInvitation,
    SurveyPlan,
    SurveyQuestion,
)
from lingting.surveys.services.competitiveness import WaveDetails, competitiveness_wave_save
from lingting.surveys.services.invitations import (
    AnswerRefused,
    survey_answer_by_link,
    survey_invitations_decide,
    survey_reply_receive,
)
from lingting.surveys.services.sending import survey_invitations_send

SURVEY_DAYS = 7
SMS_PLAN, NPS_PLAN = "通话后短信满意度", "推荐意愿调查（H5）"
REPLY_SHARE, OPT_OUT_SHARE = 0.35, 0.02
LOW_WORDS = ("等太久了", "问题还是没解决", "信号还是不好", "客服态度一般", "")


class _CentersGateway:
    """The center's SMS gateway in the demo: it takes every message (nothing leaves)."""

    def send(self, message: OutgoingSurvey) -> None:
        return None


def demo_surveys(*, seed: int) -> str:
    """Two plans over the last week of contacts before now — SMS satisfaction (1–5) after
    the calls of half the queues, the recommend question (0–10) by H5 link after the rest —
    decided and sent day by day as `lingting surveys_send` would have, and about a third of
    the customers answering, more warmly where the contact went well."""
    if SurveyPlan.objects.filter(name=SMS_PLAN).exists():
        return "surveys: already there"
    now = timezone.now()
    latest = Contact.objects.filter(ended_at__lte=now).aggregate(last=Max("ended_at"))["last"]
    if latest is None:
        return "surveys: no contacts to follow"
    start = latest - timedelta(days=SURVEY_DAYS)
    week = Contact.objects.filter(started_at__gte=start - timedelta(days=1), ended_at__gte=start)
    week = week.filter(ended_at__lte=now)
    _give_numbers(week)
    queues = sorted(set(week.exclude(queue=None).values_list("queue__code", flat=True)))
    for name, channel, asks, scale, chosen in (
        (SMS_PLAN, SurveyChannel.SMS, SurveyQuestion.SATISFACTION, 5, queues[::2]),
        (NPS_PLAN, SurveyChannel.WEB, SurveyQuestion.RECOMMEND, 10, queues[1::2]),
    ):
        SurveyPlan.objects.create(
            name=name,
            channel=channel,
            asks=asks,
            scale=scale,
            question="【畅联】感谢来电，请回复 1–5 评价本次服务：5 非常满意 … 1 非常不满意"
            if asks == SurveyQuestion.SATISFACTION
            else "【畅联】您有多大可能把畅联推荐给亲友？0–10 分，点此评价：{link}",
            queues=chosen,
            low_score_at_most=2 if asks == SurveyQuestion.SATISFACTION else 6,
        )
    rng = random.Random(seed)
    day = timezone.localtime(start).date()
    while day <= timezone.localdate(latest):
        evening = timezone.make_aware(datetime.combine(day, time(20)))
        survey_invitations_decide(now=min(evening, now))
        morning = min(evening + timedelta(hours=13), now)
        while survey_invitations_send(now=morning, gateway=_CentersGateway()).sent:
            pass
        day += timedelta(days=1)
    answered = _answers(rng, now)
    sent = SurveyInvitation.objects.exclude(sent_at=None).count()
    return f"surveys: {sent} invitations sent over {SURVEY_DAYS} days, {answered} answered"


def _give_numbers(contacts: QuerySet[Contact]) -> None:
    """The week's calls carry the caller's number (the switch's ANI), the same number for
    the same customer, as the center's interaction files would."""
    batch: list[Contact] = []
    for contact in contacts.select_related("customer").iterator(chunk_size=2000):
        if any(name in contact.extra for name in ADDRESS_FIELDS):
            continue
        key = contact.customer.code if contact.customer else f"contact-{contact.pk}"
        contact.extra = {**contact.extra, "ani": f"13{zlib.crc32(key.encode()) % 10**9:09d}"}
        batch.append(contact)
    Contact.objects.bulk_update(batch, ["extra"], batch_size=1000)


def _answers(rng: random.Random, now: datetime) -> int:
    """Each sent invitation answered or not, in the minutes after it arrived."""
    answered = 0
    sent = SurveyInvitation.objects.filter(status=InvitationStatus.SENT).select_related("plan")
    predicted = dict(ContactMeaning.objects.values_list("contact_id", "satisfaction_predicted"))
    for invitation in sent.order_by("sent_at", "pk"):
        assert invitation.sent_at is not None
        at = min(invitation.sent_at + timedelta(minutes=rng.randrange(2, 240)), now)
        if rng.random() < OPT_OUT_SHARE:
            _reply(invitation, "TD", at)
            continue
        if rng.random() >= REPLY_SHARE:
            continue
        warmth = predicted.get(invitation.contact_id) or 0.6
        if invitation.plan.asks == SurveyQuestion.RECOMMEND:
            score = max(0, min(10, round(10 * warmth + rng.gauss(1.5, 2))))
            words = rng.choice(LOW_WORDS) if score <= 6 else ""
            try:
                survey_answer_by_link(
                    token=invitation.token or "", score=score, comment=words, now=at
                )
            except AnswerRefused:
                continue
        else:
            score = max(1, min(5, round(1 + 4 * warmth + rng.gauss(0.6, 0.8))))
            words = rng.choice(LOW_WORDS) if score <= 3 else ""
            _reply(invitation, f"{score}{words}", at)
        answered += 1
    return answered


def _reply(invitation: SurveyInvitation, text: str, at: datetime) -> None:
    survey_reply_receive(
        message_id=f"demo-{invitation.pk}", address=invitation.address, text=text, received_at=at
    )


# Three half-yearly 口碑测评 waves of a mobile market like seed 004's Shanghai: our share
# of each operator's users who would choose us, with the subscribers (万户) of the time.
# Retention rises wave by wave while the rivals' users drift a little, as in the seed
# (维系竞争力 +4.4%, 市场竞争力 −0.7%).
INDEX_WAVES = (
    (
        "2025年下半年口碑测评",
        (
            ("畅联", True, 980, 400, 322),
            ("移动", False, 2650, 400, 41),
            ("电信", False, 760, 300, 27),
        ),
    ),
    (
        "2026年上半年口碑测评",
        (
            ("畅联", True, 1010, 400, 335),
            ("移动", False, 2620, 400, 40),
            ("电信", False, 790, 300, 25),
        ),
    ),
    (
        "2026年下半年口碑测评",
        (
            ("畅联", True, 1045, 400, 351),
            ("移动", False, 2600, 400, 38),
            ("电信", False, 820, 300, 24),
        ),
    ),
)


def demo_competitiveness(*, users: dict[str, User], today: date) -> str:
    """The index over three waves, the last one this half-year."""
    if CompetitivenessWave.objects.exists():
        return "competitiveness index: already there"
    for number, (name, operators) in enumerate(INDEX_WAVES):
        months_ago = 6 * (len(INDEX_WAVES) - 1 - number)
        competitiveness_wave_save(
            actor=users["manager_chen"],
            wave=None,
            details=WaveDetails(
                name=name,
                surveyed_on=_months_before(today, months_ago).replace(day=15),
                note="三家运营商用户对畅联的选择意向（电话访问）",
            ),
            operators=[
                OperatorAnswers(
                    operator=operator,
                    subscribers=subscribers * 10_000,
                    asked=asked,
                    choosing_us=choosing,
                    ours=ours,
                )
                for operator, ours, subscribers, asked, choosing in operators
            ],
        )
    return f"competitiveness index: {len(INDEX_WAVES)} waves"


def _months_before(day: date, months: int) -> date:
    month = day.year * 12 + day.month - 1 - months
    return date(month // 12, month % 12 + 1, 1)


PANEL = "3G与宽带重点客户感知跟踪"
PANEL_SEGMENTS = (
    ("宽带重点客户", "product has 宽带", "办理宽带的客户"),
    ("4G重点客户", "product has 4G", "办理 4G 的客户"),
)
PANEL_SIZE = 60
WAVE_DAYS = 30
# Each wave's answer: reached or not, then the overall score; the second wave leans better,
# the service year's measures showing (seed 004: 24.2% felt the service improved).
OUTCOMES = (
    (PanelCallOutcome.ANSWERED, 82),
    (PanelCallOutcome.UNREACHABLE, 13),
    (PanelCallOutcome.DECLINED, 5),
)
SCORES = ((5, 4, 3, 2, 1), ((22, 38, 26, 10, 4), (30, 40, 20, 7, 3)))
PERCEPTION = (
    (PerceptionChoice.IMPROVED, 26),
    (PerceptionChoice.SAME, 64),
    (PerceptionChoice.WORSE, 10),
)
COMMENTS = ("信号比以前稳定了", "营业厅排队还是久", "宽带晚上偶尔卡", "话费提醒很及时", "")


def demo_panel(*, users: dict[str, User], today: date, seed: int) -> str:
    """Seed 004's fixed-customer panel of key broadband and 4G customers (the callback
    campaign's customer profiles): recruited half a year ago, called back by manager_chen
    in two quarterly waves — two members leaving in between, replaced — and the third wave
    open now."""
    if Panel.objects.filter(name=PANEL).exists():
        return f"panel {PANEL!r}: already there"
    rng = random.Random(seed)
    manager = users["manager_chen"]
    segments = [
        Segment.objects.update_or_create(
            name=name, defaults={"rules": rules, "description": description}
        )[0]
        for name, rules, description in PANEL_SEGMENTS
    ]
    form = PanelForm(
        data={
            "name": PANEL,
            "description": "服务管理人员每季度亲自回访同一批重点客户（种子 004）",
            "segments": [segment.pk for segment in segments],
            "size": PANEL_SIZE,
            "aspects": "网络质量\n窗口服务\n增值业务\n消费提醒",
        }
    )
    assert form.is_valid(), form.errors
    panel = panel_save(actor=manager, form=form)
    # Two quarters of calls behind; the third wave opened ten days ago, nobody called yet.
    first = today - timedelta(days=193)
    panel_recruit(actor=manager, panel=panel, today=first - timedelta(days=7))
    waves = panel_waves_schedule(
        actor=manager, panel=panel, first_opens_on=first, count=3, open_days=WAVE_DAYS
    )
    answered = 0
    for number, wave in enumerate(waves[:2]):
        answered += _call_the_wave(wave, manager, rng, later=number > 0)
        if number == 0:
            _two_leave(panel, manager, wave.closes_on + timedelta(days=3))
    return (
        f"panel {PANEL!r}: {panel.members.count()} members over time, "
        f"{answered} answers in two waves, the third open"
    )


def _call_the_wave(wave: PanelWave, manager: User, rng: random.Random, *, later: bool) -> int:
    """Every member of the wave called once; from the second wave on they are also asked
    whether the service changed since the last call."""
    answered = 0
    weights = SCORES[1][later]
    members = PanelMember.objects.filter(panel=wave.panel, joined_on__lte=wave.opens_on)
    members = members.filter(left_on__isnull=True).select_related("panel")
    for number, member in enumerate(members.order_by("pk")):
        outcome = rng.choices([o for o, _ in OUTCOMES], [w for _, w in OUTCOMES])[0]
        reached = outcome == PanelCallOutcome.ANSWERED
        score = rng.choices(SCORES[0], weights)[0]
        day = wave.opens_on + timedelta(days=number % (WAVE_DAYS - 5))
        panel_answer_record(
            actor=manager,
            wave=wave,
            member=member,
            given=AnswerGiven(
                outcome=outcome,
                satisfaction=score if reached else None,
                aspects={
                    aspect: max(1, min(5, score + rng.choice((-1, 0, 0, 1))))
                    for aspect in wave.panel.aspects
                }
                if reached
                else {},
                perception=_perception(rng) if reached and later else "",
                comment=rng.choice(COMMENTS) if reached else "",
            ),
            answered_at=timezone.make_aware(datetime.combine(day, time(10, 30))),
        )
        answered += reached
    return answered


def _perception(rng: random.Random) -> str:
    return str(rng.choices([p for p, _ in PERCEPTION], [w for _, w in PERCEPTION])[0])


def _two_leave(panel: Panel, manager: User, day: date) -> None:
    """Between the waves one member cancelled the service and one would not go on."""
    leavers = PanelMember.objects.filter(panel=panel, left_on__isnull=True).order_by("pk")[:2]
    for member, reason in zip(
        list(leavers), (PanelLeaveReason.CANCELLED, PanelLeaveReason.DECLINED), strict=True
    ):
        panel_member_leave(actor=manager, member=member, reason=reason, today=day)
