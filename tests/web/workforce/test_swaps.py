"""Shift swaps (换班) on a published roster, end to end through the pages: an agent asks a
colleague from their schedule page, the colleague accepts there, the requester's team leader
approves on the swap list with the rule check shown; the shifts change hands with their
breaks, the roster's coverage stays the same, and everyone concerned is told.

The week of Monday 12 October 2026 (no holiday), 早 08:00–16:00 and 中 16:00–24:00 on
ACD-01; 李娜 (agent_li, A1001) is in wang's 一班, 张伟 (agent_zhang, A1002) in liu's 二班.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta
from io import StringIO
from typing import Any

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from lingting.core.models import Agent, AuditEvent, Notification, User
from lingting.workforce.models import (
    Absence,
    AgentSkill,
    Roster,
    RosterBreak,
    RosterShift,
    RosterStatus,
    Rotation,
    RotationTeam,
    ShiftSwap,
    SwapStatus,
)
from tests.conftest import SHANGHAI, Org

pytestmark = pytest.mark.django_db
ClientFor = Callable[[User], Client]

MON = date(2026, 10, 12)
HOURS = {"早": 8, "中": 16}
SATURDAY_BEFORE = datetime(2026, 10, 10, 9, tzinfo=SHANGHAI)


@pytest.fixture(autouse=True)
def _saturday_before() -> Iterator[None]:
    with time_machine.travel(SATURDAY_BEFORE, tick=False):
        yield


@pytest.fixture
def roster(org: Org) -> Roster:
    for code in ("A1001", "A1002", "A1003"):
        AgentSkill.objects.create(agent=org.agents[code], queue=org.queues["ACD-01"])
    return Roster.objects.create(
        first_day=MON,
        last_day=MON + timedelta(days=6),
        status=RosterStatus.PUBLISHED,
        solver_status="optimal",
    )


def put(roster: Roster, agent: Agent, offset: int, code: str = "早") -> RosterShift:
    day = MON + timedelta(days=offset)
    start = datetime(day.year, day.month, day.day, HOURS[code], tzinfo=SHANGHAI)
    return RosterShift.objects.create(
        roster=roster,
        agent=agent,
        day=day,
        code=code,
        queue=roster_queue(agent),
        starts_at=start,
        ends_at=start + timedelta(hours=8),
    )


def roster_queue(agent: Agent) -> Any:
    return AgentSkill.objects.filter(agent=agent).first().queue  # type: ignore[union-attr]


def ask(client: Client, shift: RosterShift, counterpart: Agent, **fields: Any) -> str:
    body = {"shift": shift.pk, "counterpart": counterpart.pk, "reason": "孩子发烧"} | fields
    answer = client.post(reverse("workforce:swap_create"), body, follow=True)
    return str(answer.content.decode())


def step(client: Client, swap: ShiftSwap, name: str, **body: str) -> Any:
    return client.post(reverse("workforce:swap_step", args=[swap.pk, name]), body, follow=True)


def coverage(roster: Roster) -> Counter[tuple[Any, ...]]:
    """Who is not counted: the shifts by date, code, pool and hours."""
    return Counter(roster.shifts.values_list("day", "code", "queue", "starts_at", "ends_at"))


def test_a_give_away_is_asked_accepted_approved_and_applied(
    client_for: ClientFor, org: Org, roster: Roster, agent_li: User, agent_zhang: User,
    leader_wang: User,
) -> None:  # fmt: skip
    li, zhang = org.agents["A1001"], org.agents["A1002"]
    wednesday = put(roster, li, 2)
    put(roster, zhang, 0)
    RosterBreak.objects.create(
        shift=wednesday,
        starts_at=wednesday.starts_at + timedelta(hours=2),
        ends_at=wednesday.starts_at + timedelta(hours=2, minutes=10),
        rule="小休",
    )
    before = coverage(roster)

    asked = ask(client_for(agent_li), wednesday, zhang)

    assert "已发出换班申请" in asked
    swap = ShiftSwap.objects.get()
    assert (swap.status, swap.reason) == (SwapStatus.PROPOSED, "孩子发烧")
    incoming = client_for(agent_zhang).get(reverse("workforce:my_schedule")).content.decode()
    assert f'data-swap="{swap.pk}" data-status="proposed"' in incoming
    assert "符合排班规则" in incoming

    step(client_for(agent_zhang), swap, "accept")
    swap.refresh_from_db()
    assert swap.status == SwapStatus.ACCEPTED
    listed = client_for(leader_wang).get(reverse("workforce:swap_list")).content.decode()
    assert 'id="swap-waiting"' in listed
    assert f'data-swap="{swap.pk}" data-status="accepted"' in listed

    step(client_for(leader_wang), swap, "approve")

    swap.refresh_from_db()
    wednesday.refresh_from_db()
    assert (swap.status, swap.decided_by) == (SwapStatus.APPROVED, leader_wang)
    assert wednesday.agent == zhang
    assert RosterBreak.objects.get().shift == wednesday  # the break went with its shift
    assert coverage(roster) == before  # the same shifts in the same pool: coverage unchanged
    told = sorted(Notification.objects.values_list("user__username", "text"))
    assert [user for user, _ in told] == [
        "agent_li",
        "agent_li",
        "agent_zhang",
        "agent_zhang",
        "leader_wang",
    ]
    texts = " ".join(text for _, text in told)
    assert "李娜 想把 10-14 早 08:00–16:00 换给您" in texts
    assert "张伟 已同意换班" in texts
    assert "待您审批" in texts
    assert texts.count("已批准生效") == 2
    assert list(
        AuditEvent.objects.filter(object_type="shift_swap").values_list("action", flat=True)
    ) == ["shift_swap.proposed", "shift_swap.accepted", "shift_swap.approved"]


def test_a_swap_that_leaves_too_little_rest_is_refused_with_the_reason(
    client_for: ClientFor, org: Org, roster: Roster, agent_li: User
) -> None:
    # 张伟 works 中 on Monday until 24:00; 李娜's 早 on Tuesday starts at 08:00.
    li, zhang = org.agents["A1001"], org.agents["A1002"]
    tuesday = put(roster, li, 1)
    put(roster, zhang, 0, "中")

    refused = ask(client_for(agent_li), tuesday, zhang)

    assert "未能申请换班" in refused
    assert "张伟 的 10-13 早 与 10-12 中 之间只休息 8 小时，至少需要 11 小时" in refused
    assert "违反顺向轮换" in refused
    assert not ShiftSwap.objects.exists()


def test_the_rules_are_checked_again_before_approval(
    client_for: ClientFor, org: Org, roster: Roster, agent_li: User, agent_zhang: User,
    leader_wang: User,
) -> None:  # fmt: skip
    li, zhang = org.agents["A1001"], org.agents["A1002"]
    wednesday = put(roster, li, 2)
    ask(client_for(agent_li), wednesday, zhang)
    swap = ShiftSwap.objects.get()
    step(client_for(agent_zhang), swap, "accept")
    # Then his leave for Wednesday is entered.
    Absence.objects.create(
        agent=zhang, first_day=wednesday.day, last_day=wednesday.day, kind="sick"
    )

    listed = client_for(leader_wang).get(reverse("workforce:swap_list")).content.decode()
    answer = step(client_for(leader_wang), swap, "approve").content.decode()

    assert "张伟 当天请假，不能上 10-14 早" in listed
    assert "未能处理换班" in answer
    swap.refresh_from_db()
    wednesday.refresh_from_db()
    assert swap.status == SwapStatus.ACCEPTED
    assert wednesday.agent == li


def test_the_weekly_cap_follows_the_takers_contract(
    client_for: ClientFor, org: Org, roster: Roster, agent_li: User
) -> None:
    # 张伟 works 早 Monday to Friday: 40 h, the 标准工时 week. A sixth morning is refused,
    # until his team walks 四班三运转 (综合计算工时: no weekly cap, the cycle counts).
    li, zhang = org.agents["A1001"], org.agents["A1002"]
    saturday = put(roster, li, 5)
    for offset in range(5):
        put(roster, zhang, offset)

    refused = ask(client_for(agent_li), saturday, zhang)
    rotation = Rotation.objects.create(name="四班三运转", cycle="早早中中夜夜休休", anchor=MON)
    RotationTeam.objects.create(rotation=rotation, team=org.teams["二班"], offset=0)
    asked = ask(client_for(agent_li), saturday, zhang)

    assert "张伟 上 10-17 早 后当周共 48 小时，每周最多 40 小时" in refused
    assert "已发出换班申请" in asked
    assert ShiftSwap.objects.get().shift == saturday


def test_an_exchange_of_two_dates_gives_each_the_others_shift(
    client_for: ClientFor, org: Org, roster: Roster, agent_li: User, agent_zhang: User,
    planner_qian: User,
) -> None:  # fmt: skip
    li, zhang = org.agents["A1001"], org.agents["A1002"]
    hers, his = put(roster, li, 2), put(roster, zhang, 3)

    ask(client_for(agent_li), hers, zhang, returned_shift=his.pk)
    swap = ShiftSwap.objects.get()
    step(client_for(agent_zhang), swap, "accept")
    step(client_for(planner_qian), swap, "approve")

    hers.refresh_from_db()
    his.refresh_from_db()
    assert (hers.agent, his.agent) == (zhang, li)
    assert ShiftSwap.objects.get().status == SwapStatus.APPROVED


def test_an_exchange_on_one_date_trades_the_shifts_with_their_breaks(
    client_for: ClientFor, org: Org, roster: Roster, agent_li: User, agent_zhang: User,
    leader_wang: User,
) -> None:  # fmt: skip
    li, zhang = org.agents["A1001"], org.agents["A1002"]
    early, late = put(roster, li, 2, "早"), put(roster, zhang, 2, "中")
    RosterBreak.objects.create(
        shift=early,
        starts_at=early.starts_at + timedelta(hours=2),
        ends_at=early.starts_at + timedelta(hours=2, minutes=10),
        rule="小休",
    )
    before = coverage(roster)

    ask(client_for(agent_li), early, zhang, returned_shift=late.pk)
    swap = ShiftSwap.objects.get()
    step(client_for(agent_zhang), swap, "accept")
    step(client_for(leader_wang), swap, "approve")

    worked = dict(roster.shifts.values_list("agent__code", "code"))
    assert worked == {"A1001": "中", "A1002": "早"}
    assert RosterBreak.objects.get().shift.agent == zhang  # the 早's break is his now
    assert coverage(roster) == before
    swap.refresh_from_db()
    assert (swap.shift.agent, swap.shift.code) == (zhang, "早")
    assert (swap.returned_shift.agent, swap.returned_shift.code) == (li, "中")  # type: ignore[union-attr]


def test_declined_and_withdrawn_requests_tell_the_other_side(
    client_for: ClientFor, org: Org, roster: Roster, agent_li: User, agent_zhang: User
) -> None:
    li, zhang = org.agents["A1001"], org.agents["A1002"]
    first, second = put(roster, li, 2), put(roster, li, 3)
    ask(client_for(agent_li), first, zhang)
    ask(client_for(agent_li), second, zhang)
    one, two = ShiftSwap.objects.order_by("pk")

    step(client_for(agent_zhang), one, "decline", note="那天有事")
    step(client_for(agent_li), two, "withdraw")

    one.refresh_from_db()
    two.refresh_from_db()
    assert (one.status, one.decision_note, one.decided_by) == (
        SwapStatus.DECLINED,
        "那天有事",
        agent_zhang,
    )
    assert two.status == SwapStatus.WITHDRAWN
    assert Notification.objects.filter(user=agent_li, text__contains="没有同意换班").exists()
    assert Notification.objects.filter(user=agent_zhang, text__contains="撤回了换班").exists()
    # A withdrawn or declined request is over: it cannot be accepted any more.
    answer = step(client_for(agent_zhang), two, "accept").content.decode()
    assert "这个换班申请已是「已撤回」" in answer


def test_a_request_whose_shift_has_started_expires(
    client_for: ClientFor, org: Org, roster: Roster, agent_li: User, agent_zhang: User
) -> None:
    li, zhang = org.agents["A1001"], org.agents["A1002"]
    ask(client_for(agent_li), put(roster, li, 0), zhang)
    swap = ShiftSwap.objects.get()

    with time_machine.travel(datetime(2026, 10, 12, 8, 30, tzinfo=SHANGHAI), tick=False):
        page = client_for(agent_zhang).get(reverse("workforce:my_schedule")).content.decode()
        answer = step(client_for(agent_zhang), swap, "accept").content.decode()

    assert f'data-swap="{swap.pk}" data-status="expired"' in page
    assert "班次已开始，不能再换班" in answer
    swap.refresh_from_db()
    assert swap.status == SwapStatus.EXPIRED


def test_the_hourly_job_closes_a_request_nobody_answered_and_tells_both(
    client_for: ClientFor, org: Org, roster: Roster, agent_li: User, agent_zhang: User
) -> None:
    li, zhang = org.agents["A1001"], org.agents["A1002"]
    ask(client_for(agent_li), put(roster, li, 0), zhang)
    ask(client_for(agent_li), put(roster, li, 2), zhang)
    waiting, not_yet = ShiftSwap.objects.order_by("pk")

    with time_machine.travel(datetime(2026, 10, 12, 8, 10, tzinfo=SHANGHAI), tick=False):
        call_command("swaps_expire", stdout=StringIO())
        call_command("swaps_expire", stdout=StringIO())  # a second run closes nothing more

    waiting.refresh_from_db()
    not_yet.refresh_from_db()
    assert (waiting.status, not_yet.status) == (SwapStatus.EXPIRED, SwapStatus.PROPOSED)
    assert waiting.decision_note == "班次已开始，不能再换班"
    for user in (agent_li, agent_zhang):
        told = Notification.objects.filter(user=user, text__contains="已失效").count()
        assert told == 1
    assert AuditEvent.objects.filter(action="shift_swap.expired").count() == 1


def test_who_sees_and_decides_which_swap(
    client_for: ClientFor, org: Org, roster: Roster, agent_li: User, agent_zhang: User,
    leader_wang: User, outsider: User, qa_zhao: User,
) -> None:  # fmt: skip
    li, zhang = org.agents["A1001"], org.agents["A1002"]
    ask(client_for(agent_li), put(roster, li, 2), zhang)
    swap = ShiftSwap.objects.get()
    leader_liu = org.users["leader_liu"]

    # She cannot accept her own request, nor he withdraw it; a stranger does not see it.
    assert step(client_for(agent_li), swap, "accept").status_code == 403
    assert step(client_for(agent_zhang), swap, "withdraw").status_code == 403
    assert step(client_for(outsider), swap, "decline").status_code == 404
    step(client_for(agent_zhang), swap, "accept")
    # 张伟's leader sees the swap (his agent takes a shift) but approving is 李娜's leader's.
    assert (
        f'data-swap="{swap.pk}"'
        in client_for(leader_liu).get(reverse("workforce:swap_list")).content.decode()
    )
    assert step(client_for(leader_liu), swap, "approve").status_code == 403
    assert client_for(qa_zhao).get(reverse("workforce:swap_list")).status_code == 403
    assert step(client_for(qa_zhao), swap, "approve").status_code == 404
    # Without a CSRF token no post goes through.
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(leader_wang)
    assert strict.post(reverse("workforce:swap_step", args=[swap.pk, "approve"])).status_code == 403
    swap.refresh_from_db()
    assert swap.status == SwapStatus.ACCEPTED


def test_only_colleagues_of_the_pool_and_shifts_to_come_are_offered(
    client_for: ClientFor, org: Org, roster: Roster, agent_li: User
) -> None:
    li, zhang = org.agents["A1001"], org.agents["A1002"]
    AgentSkill.objects.create(agent=org.agents["A1999"], queue=org.queues["ACD-02"])
    put(roster, li, 2)
    page = client_for(agent_li).get(reverse("workforce:my_schedule")).content.decode()

    assert 'id="swap-form"' in page
    assert "张伟 (A1002)" in page  # the same pool, and a login to answer with
    assert "吴新" not in page  # another pool only
    assert "陈晨" not in page  # no login: cannot accept
    # Someone else's shift cannot be offered.
    refused = ask(client_for(agent_li), put(roster, zhang, 3), zhang)
    assert "未能申请换班" in refused
    assert not ShiftSwap.objects.exists()
