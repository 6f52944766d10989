"""The demo generator: deterministic, valid interaction records that look like a real month."""

import itertools
import re
import statistics
import time
from collections import Counter
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from lingting.demo.generator.organisation import DemoOrg, demo_org
from lingting.demo.generator.phrases import LINES
from lingting.demo.generator.scenarios import sms_outage
from lingting.demo.generator.traffic import generate_contacts
from lingting.engine.contacts import contact_from_record
from lingting.engine.meaning import Meaning, contact_meaning

SHANGHAI = ZoneInfo("Asia/Shanghai")
START = date(2026, 10, 5)  # a Monday
PUNCTUATION = re.compile("[，。？！、；：…“”‘’（）,.?!;: ]")
BRUSHOFFS = tuple(line.rstrip("。？") for line in LINES["brushoff"])

Record = dict[str, Any]


@pytest.fixture(scope="module")
def org() -> DemoOrg:
    return demo_org(7)


@pytest.fixture(scope="module")
def fortnight(org: DemoOrg) -> list[Record]:
    return list(generate_contacts(org, seed=7, start=START, days=14))


def answered(records: list[Record]) -> list[Record]:
    return [r for r in records if r["disposition"] == "answered"]


def agent_says(record: Record, phrases: tuple[str, ...]) -> bool:
    return any(p in t["text"] for t in record["turns"] if t["speaker"] == "agent" for p in phrases)


def by_skill(org: DemoOrg, records: list[Record], low: float, high: float) -> list[Record]:
    ids = {a.id for a in org.agents if low <= a.skill < high}
    return [r for r in answered(records) if r["agent_id"] in ids]


def share(records: list[Record], test: Any) -> float:
    return sum(1 for r in records if test(r)) / len(records)


# --- the organisation --------------------------------------------------------------------------


def test_org_has_four_queues_eight_teams_forty_agents(org: DemoOrg) -> None:
    assert [q.id for q in org.queues] == ["ACD-01", "ACD-02", "ACD-03", "ACD-04"]
    assert len(org.teams) == 8
    assert Counter(t.queue for t in org.teams) == dict.fromkeys(
        Counter(t.queue for t in org.teams), 2
    )
    assert [a.id for a in org.agents] == [f"A{1001 + i}" for i in range(40)]
    assert len({a.name for a in org.agents}) == 40
    teams = {t.id: t for t in org.teams}
    assert all(teams[a.team].queue == a.queue for a in org.agents)
    assert Counter(a.team for a in org.agents) == dict.fromkeys(teams, 5)


def test_org_mixes_good_poor_and_new_agents(org: DemoOrg) -> None:
    skills = [a.skill for a in org.agents]
    assert all(0.0 <= s <= 1.0 for s in skills)
    assert sum(s < 0.45 for s in skills) >= 4
    assert sum(s >= 0.75 for s in skills) >= 15
    new = [a for a in org.agents if a.is_new]
    assert 2 <= len(new) <= 16
    assert all((date(2026, 10, 1) - a.hired_on).days < 90 for a in new)


def test_former_agents_left_around_the_last_month_half_of_them_early(org: DemoOrg) -> None:
    former = org.former

    assert [a.id for a in former] == [f"A{1041 + i}" for i in range(6)]
    assert not {a.name for a in former} & {a.name for a in org.agents}
    left = [a.left_on for a in former if a.left_on is not None]
    assert len(left) == 6
    assert all(date(2026, 7, 1) <= day <= date(2026, 10, 31) for day in left)  # as_of 1 Oct
    tenure = [(a.left_on - a.hired_on).days for a in former if a.left_on]
    assert sum(days < 90 for days in tenure) == 3
    assert {a.leaving_reason for a in former} <= {"resigned", "dismissed", "transferred", "other"}
    assert all(a.left_on is None for a in org.agents)


def test_agents_take_no_calls_after_their_last_day(org: DemoOrg) -> None:
    leaver = org.former[1]
    assert leaver.left_on is not None
    records = list(
        generate_contacts(
            org, seed=7, start=leaver.left_on - timedelta(days=3), days=6, calls_per_agent_day=4
        )
    )

    days = {r["started_at"][:10] for r in records if r.get("agent_id") == leaver.id}
    assert days
    assert max(days) <= leaver.left_on.isoformat()


def test_org_is_deterministic() -> None:
    assert demo_org(3) == demo_org(3)
    assert demo_org(3) != demo_org(4)
    assert len(demo_org(3, agents=12).agents) == 12


# --- records are valid and deterministic ---------------------------------------------------------


def test_every_record_is_a_valid_contact(fortnight: list[Record]) -> None:
    for record in fortnight:
        contact = contact_from_record(record, tz=SHANGHAI)
        assert contact.channel == "voice"
        assert contact.direction == "inbound"
        if record["disposition"] == "answered":
            assert contact.is_timed
            assert contact.agent_id is not None


def test_same_seed_same_data_different_seed_different_data(org: DemoOrg) -> None:
    def run(seed: int) -> list[Record]:
        return list(generate_contacts(org, seed=seed, start=START, days=2))

    assert run(11) == run(11)
    assert run(11) != run(12)


def test_records_are_in_time_order_with_unique_day_numbered_ids(
    fortnight: list[Record],
) -> None:
    starts = [datetime.fromisoformat(r["started_at"]) for r in fortnight]
    assert starts == sorted(starts)
    assert len({r["id"] for r in fortnight}) == len(fortnight)
    assert fortnight[0]["id"] == "C20261005-000001"
    assert all(re.fullmatch(r"C\d{8}-\d{6}", r["id"]) for r in fortnight)
    assert all(r["started_at"].endswith("+08:00") for r in fortnight)
    assert all(8 <= int(r["started_at"][11:13]) < 22 for r in fortnight)


def test_call_times_add_up(fortnight: list[Record]) -> None:
    for r in answered(fortnight):
        queued = datetime.fromisoformat(r["queued_at"])
        answered_at = datetime.fromisoformat(r["answered_at"])
        length = (datetime.fromisoformat(r["ended_at"]) - answered_at).total_seconds()
        assert datetime.fromisoformat(r["started_at"]) < queued < answered_at
        assert r["wait_s"] == (answered_at - queued).total_seconds()
        assert 1 <= r["rings"] <= 6
        last_end = max(t["end"] for t in r["turns"])
        assert last_end <= length <= last_end + 3.5
        assert r["talk_s"] + r["hold_s"] == pytest.approx(length, abs=0.11)
        assert r["hold_s"] == pytest.approx(sum(h["end"] - h["start"] for h in r["holds"]), abs=0.1)
        assert all(0 < h["start"] < h["end"] <= last_end for h in r["holds"])


# --- traffic shape -------------------------------------------------------------------------------


def test_abandoned_share_and_abandoned_calls_are_cdr_only(fortnight: list[Record]) -> None:
    abandoned = [r for r in fortnight if r["disposition"] == "abandoned"]
    assert 0.03 <= len(abandoned) / len(fortnight) <= 0.10
    assert all("turns" not in r and "agent_id" not in r for r in abandoned)
    assert all(r["hangup_by"] == "customer" and r["wait_s"] >= 1 for r in abandoned)
    assert any(r["wait_s"] < 5 for r in abandoned)  # some short abandons


def test_weekdays_busier_than_weekends(fortnight: list[Record]) -> None:
    per_day = Counter(date.fromisoformat(r["started_at"][:10]) for r in fortnight)
    weekdays = [n for d, n in per_day.items() if d.weekday() < 5]
    weekends = [n for d, n in per_day.items() if d.weekday() >= 5]
    assert len(weekdays) == 10
    assert len(weekends) == 4
    assert statistics.mean(weekdays) > 1.15 * statistics.mean(weekends)
    # 40 agents x 10 calls a day, give or take
    assert 300 < statistics.mean(per_day.values()) < 500


def test_intraday_curve_peaks_mid_morning_and_mid_afternoon(fortnight: list[Record]) -> None:
    hours = Counter(int(r["started_at"][11:13]) for r in fortnight)
    assert set(hours) == set(range(8, 22))
    assert hours[10] > max(hours[8], hours[12], hours[13], hours[21])
    assert hours[15] > max(hours[12], hours[13], hours[18], hours[21])


def test_rings_mostly_three_or_fewer(fortnight: list[Record]) -> None:
    calls = answered(fortnight)
    assert share(calls, lambda r: r["rings"] <= 3) > 0.8
    assert any(r["rings"] >= 5 for r in calls)


def test_every_queue_and_agent_on_staff_takes_calls(org: DemoOrg, fortnight: list[Record]) -> None:
    per_agent = Counter(r["agent_id"] for r in answered(fortnight))
    last = START + timedelta(days=13)
    on_staff = {
        a.id
        for a in org.everyone
        if a.hired_on <= last and (a.left_on is None or a.left_on >= START)
    }
    assert set(per_agent) == on_staff
    assert any(a.id not in per_agent for a in org.former)  # gone before the fortnight
    queues = {a.id: a.queue for a in org.everyone}
    assert all(queues[r["agent_id"]] == r["queue"] for r in answered(fortnight))


# --- transcripts ---------------------------------------------------------------------------------


def test_transcripts_vary_in_length_and_do_not_repeat(fortnight: list[Record]) -> None:
    calls = answered(fortnight)
    lengths = [len(r["turns"]) for r in calls]
    assert min(lengths) >= 4
    assert max(lengths) <= 30
    assert statistics.pstdev(lengths) > 2
    texts = ["".join(t["text"] for t in r["turns"]) for r in calls]
    assert len(set(texts)) > 0.97 * len(texts)


def test_scenarios_cover_the_queues(fortnight: list[Record]) -> None:
    tags = Counter(t for r in answered(fortnight) for t in r["tags"])
    for tag in ("5G套餐", "宽带故障", "信号差", "话费争议", "投诉", "产品订购", "地址变更", "流量"):
        assert tags[tag] > 20, tag


def test_good_agents_open_properly_and_poor_agents_brush_customers_off(
    org: DemoOrg, fortnight: list[Record]
) -> None:
    good = by_skill(org, fortnight, 0.75, 1.01)
    poor = by_skill(org, fortnight, 0.0, 0.45)
    assert share(good, lambda r: agent_says(r, ("很高兴为您服务",))) > 0.85
    assert share(poor, lambda r: agent_says(r, ("很高兴为您服务",))) < 0.6
    good_brush = share(good, lambda r: agent_says(r, BRUSHOFFS))
    poor_brush = share(poor, lambda r: agent_says(r, BRUSHOFFS))
    assert poor_brush > 0.1
    assert poor_brush > 5 * good_brush
    assert share(good, lambda r: agent_says(r, ("祝您",))) > 0.8


def test_harmless_look_alikes_of_forbidden_phrases_appear(
    org: DemoOrg, fortnight: list[Record]
) -> None:
    good = by_skill(org, fortnight, 0.75, 1.01)
    assert any(agent_says(r, ("不清楚的话我帮您查一下",)) for r in good)
    assert any(agent_says(r, ("如果您不明白的话可以再问我",)) for r in good)


def test_upset_customers_get_apologies_from_good_agents(
    org: DemoOrg, fortnight: list[Record]
) -> None:
    good = [r for r in by_skill(org, fortnight, 0.75, 1.01) if "投诉" in r["tags"]]
    poor = [r for r in by_skill(org, fortnight, 0.0, 0.45) if "投诉" in r["tags"]]
    sorry = ("抱歉", "对不起")
    assert share(good, lambda r: agent_says(r, sorry)) > 0.9
    assert share(poor, lambda r: agent_says(r, sorry)) < share(good, lambda r: agent_says(r, sorry))


def test_some_customers_leave_angry_or_dissatisfied_and_unhelped_mostly_from_poor_agents(
    org: DemoOrg, fortnight: list[Record]
) -> None:
    def meaning(record: Record) -> Meaning:
        return contact_meaning(contact_from_record(record, tz=SHANGHAI))

    good = [meaning(r) for r in by_skill(org, fortnight, 0.75, 1.01)]
    poor = [meaning(r) for r in by_skill(org, fortnight, 0.0, 0.45)]
    everyone = [meaning(r) for r in answered(fortnight)]
    ends = Counter(m.emotion.end for m in everyone)
    assert ends["angry"] / len(everyone) > 0.01
    assert ends["dissatisfied"] / len(everyone) > 0.005
    assert share(everyone, lambda m: m.resolution.resolved is False) > 0.1

    def upset_at_end(m: Meaning) -> bool:
        return m.emotion.end in {"angry", "dissatisfied"}

    assert share(poor, upset_at_end) > share(good, upset_at_end)


def test_poor_agents_use_fillers_and_hang_up_first(org: DemoOrg, fortnight: list[Record]) -> None:
    good = by_skill(org, fortnight, 0.75, 1.01)
    poor = by_skill(org, fortnight, 0.0, 0.45)
    fillers = ("啊，", "那个，", "这个，", "呀。")
    assert share(poor, lambda r: agent_says(r, fillers)) > 3 * share(
        good, lambda r: agent_says(r, fillers)
    )
    hangup = share(poor, lambda r: r["hangup_by"] == "agent")
    assert hangup > 2 * share(good, lambda r: r["hangup_by"] == "agent")


def test_insults_are_rare_and_only_from_poor_agents(org: DemoOrg, fortnight: list[Record]) -> None:
    calls = answered(fortnight)
    insults = [r for r in calls if agent_says(r, ("神经病", "你去死"))]
    assert 0 < len(insults) < 0.006 * len(calls)
    skill = {a.id: a.skill for a in org.agents}
    assert all(skill[r["agent_id"]] < 0.45 for r in insults)


def test_order_calls_follow_the_order_flow_fully_or_partly(fortnight: list[Record]) -> None:
    orders = [r for r in answered(fortnight) if "产品订购" in r["tags"]]
    assert len(orders) > 100
    steps = ("贵姓", "打个比方|您可以这样想", "核对|确认一下", "换购|带走", "工号|号客服", "祝您")

    def full(r: Record) -> bool:
        text = "".join(t["text"] for t in r["turns"] if t["speaker"] == "agent")
        return all(re.search(step, text) for step in steps)

    assert 0.2 < share(orders, full) < 0.95
    assert any(not full(r) for r in orders)


def test_interruptions_holds_and_dead_air_exist(fortnight: list[Record]) -> None:
    calls = answered(fortnight)
    interruptions = dead_air = holds_without_wait = 0
    for r in calls:
        turns = r["turns"]
        for prev, turn in itertools.pairwise(turns):
            cut_in = turn["start"] < prev["end"]
            if turn["speaker"] == "agent" and prev["speaker"] == "customer" and cut_in:
                interruptions += 1
                assert prev["end"] - turn["start"] <= 1.51
            in_hold = any(prev["end"] <= h["start"] < turn["start"] for h in r["holds"])
            if turn["start"] - prev["end"] > 10 and not in_hold:
                dead_air += 1
        if r["holds"] and not agent_says(r, ("稍等",)):
            holds_without_wait += 1
    assert share(calls, lambda r: bool(r["holds"])) > 0.2
    assert interruptions > 50
    assert dead_air > 50
    assert holds_without_wait > 20


def test_speech_rates(org: DemoOrg, fortnight: list[Record]) -> None:
    def rates(records: list[Record], speaker: str) -> list[float]:
        out = []
        for r in records:
            turns = [t for t in r["turns"] if t["speaker"] == speaker]
            chars = sum(len(PUNCTUATION.sub("", t["text"])) for t in turns)
            seconds = sum(t["end"] - t["start"] for t in turns)
            if seconds > 20:
                out.append(chars / seconds * 60)
        return out

    agent_rates = rates(answered(fortnight), "agent")
    slow = [x for x in agent_rates if x < 250]
    fast = [x for x in agent_rates if x >= 250]
    assert 165 < statistics.median(slow) < 245
    assert fast
    assert 270 < statistics.median(fast) < 340
    assert 195 < statistics.median(rates(answered(fortnight), "customer")) < 265


# --- speed ---------------------------------------------------------------------------------------


def test_ten_thousand_contacts_generate_quickly(org: DemoOrg) -> None:
    began = time.perf_counter()
    records = list(itertools.islice(generate_contacts(org, seed=1, start=START), 10_000))
    seconds = time.perf_counter() - began
    print(f"generated {len(records)} contacts in {seconds:.2f} s")
    assert len(records) == 10_000


def test_agents_take_calls_only_once_hired(org: DemoOrg) -> None:
    newest = max(org.agents, key=lambda a: a.hired_on)
    start = newest.hired_on - timedelta(days=3)
    records = list(generate_contacts(org, seed=7, start=start, days=6, calls_per_agent_day=4))

    early = {
        r.get("agent_id") for r in records if r["started_at"][:10] < newest.hired_on.isoformat()
    }
    later = {
        r.get("agent_id") for r in records if r["started_at"][:10] >= newest.hired_on.isoformat()
    }
    assert newest.id not in early
    assert newest.id in later


def test_coached_poor_agents_work_better_from_the_coaching_date(org: DemoOrg) -> None:
    poor = {a.id for a in org.agents if a.skill < 0.45}
    start = date(2026, 9, 1)
    records = list(
        generate_contacts(
            org,
            seed=7,
            start=start,
            days=28,
            calls_per_agent_day=6,
            coaching_from=date(2026, 9, 15),
        )
    )

    def handling(before: bool) -> float:
        times = [
            r["talk_s"] + r["hold_s"] + r["acw_s"]
            for r in records
            if r.get("agent_id") in poor and (r["started_at"][:10] < "2026-09-15") == before
        ]
        return sum(times) / len(times)

    assert handling(before=False) < handling(before=True)


def test_a_surge_turns_a_growing_share_of_the_last_weeks_calls_to_one_new_problem(
    org: DemoOrg,
) -> None:
    last_day = START + timedelta(days=20)
    surge = sms_outage(last_day)

    def calls() -> list[Record]:
        return list(generate_contacts(org, seed=7, start=START, days=21, surge=surge))

    records = calls()
    by_day: dict[str, list[Record]] = {}
    for record in answered(records):
        by_day.setdefault(record["started_at"][:10], []).append(record)

    def outage_share(day: date) -> float:
        return share(by_day[day.isoformat()], lambda r: "短信故障" in r["tags"])

    week = [last_day - timedelta(days=6 - n) for n in range(7)]
    before = [r for r in answered(records) if r["started_at"][:10] < week[0].isoformat()]
    assert not any("短信故障" in r["tags"] for r in before)
    assert 0 < share(before, lambda r: "短信验证码" in r["tags"]) < 0.02  # now and then
    assert outage_share(week[3]) > max(0.08, 2 * outage_share(week[0]))  # rising over days
    assert all(outage_share(day) > 0.05 for day in week[2:])  # still many at the end
    outage = [r for r in answered(records) if "短信故障" in r["tags"]]
    assert {r["queue"] for r in outage} == {"ACD-01", "ACD-02"}
    assert all(
        "验证码" in "".join(t["text"] for t in r["turns"] if t["speaker"] == "customer")
        for r in outage
    )
    assert calls() == records  # the same seed, the same wave
