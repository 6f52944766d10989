"""KPIs (FORMATS.md "KPI definitions"): hand-computed cases for every figure and edge,
properties that hold for any contacts, and February 1999 of the Technion "Anonymous Bank"
call center, read from `../shared/data` (never copied into the repository) and checked
against figures computed here straight from the source TSV."""

from __future__ import annotations

import csv
import random
from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import orjson
import pytest
from hypothesis import given
from hypothesis import strategies as st

from lingting.engine.contacts import Contact, contact_from_record
from lingting.engine.kpis import (
    EXTRA_FIGURES,
    FIGURES,
    GROUPINGS,
    KpiAccumulator,
    KpiError,
    KpiOptions,
    KpiRow,
    fcr_open_split,
    handle_seconds,
    is_offered,
    kpi_rows,
    parse_groupings,
    transfer_of,
    wait_seconds,
)
from lingting.engine.reader import ParsedLine, read_contacts_file

SHANGHAI = ZoneInfo("Asia/Shanghai")
DATA = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "anonymous_bank"
BANK_JSONL = DATA / "anonymous_bank_1999_02.jsonl"
BANK_TSV = DATA / "anonymous_bank_1999_02.tsv"
needs_bank = pytest.mark.skipif(
    not (BANK_JSONL.is_file() and BANK_TSV.is_file()),
    reason=f"the Anonymous Bank call log is not under {DATA} (it lives outside the repository)",
)


def call(disposition: str = "answered", **fields: Any) -> Contact:
    """An inbound contact read as the CLI reads a line (naive times in Asia/Shanghai)."""
    record = {"id": "x", "direction": "inbound", "disposition": disposition, **fields}
    return contact_from_record(record, tz=SHANGHAI)


def total(contacts: list[Contact], **options: Any) -> KpiRow:
    [row] = kpi_rows(contacts, by=(), options=KpiOptions(**options), tz=SHANGHAI)
    return row


# --- every figure, by hand -------------------------------------------------------------------


def test_every_figure_of_a_small_day_computed_by_hand() -> None:
    contacts = [
        call(wait_s=10, talk_s=100, hold_s=20, acw_s=30),  # handle 150, within 20 s
        call(wait_s=30, talk_s=200),  # handle 200, too slow
        call(  # wait 20 s from the times (≤ T counts), handle 280 s from the times
            queued_at="2026-10-01T09:00:00",
            answered_at="2026-10-01T09:00:20",
            ended_at="2026-10-01T09:05:00",
        ),
        call("abandoned", wait_s=3),  # short abandon
        call("abandoned", wait_s=5),  # 5 is not < 5: a real abandon
        call("abandoned", wait_s=60),
    ]
    row = total(contacts)
    assert (row.offered, row.answered, row.abandoned, row.short_abandoned) == (6, 3, 2, 1)
    # Denominator: 6 offered - 1 short abandon = 5.
    assert row.answer_rate == pytest.approx(3 / 5)
    assert row.abandon_rate == pytest.approx(2 / 5)
    assert row.service_level == pytest.approx(2 / 5)
    assert row.asa_s == pytest.approx((10 + 30 + 20) / 3)
    assert row.aht_s == pytest.approx((150 + 200 + 280) / 3)


def test_thresholds_are_options() -> None:
    contacts = [call(wait_s=25, talk_s=60), call("abandoned", wait_s=8)]
    assert total(contacts).short_abandoned == 0
    assert total(contacts).service_level == 0.0
    strict = total(contacts, service_level_seconds=30, short_abandon_seconds=10)
    assert (strict.short_abandoned, strict.abandoned) == (1, 0)
    assert strict.service_level == 1.0
    assert strict.answer_rate == 1.0


def test_zero_denominators_are_null_not_zero() -> None:
    only_short = total([call("abandoned", wait_s=1)])
    assert (only_short.offered, only_short.short_abandoned) == (1, 1)
    assert only_short.answer_rate is None
    assert only_short.abandon_rate is None
    assert only_short.service_level is None
    assert only_short.asa_s is None
    assert only_short.aht_s is None

    only_abandoned = total([call("abandoned", wait_s=40)])
    # The rates have a denominator (1) and are truly zero; the means have none.
    assert only_abandoned.answer_rate == 0.0
    assert only_abandoned.service_level == 0.0
    assert only_abandoned.abandon_rate == 1.0
    assert only_abandoned.asa_s is None
    assert only_abandoned.aht_s is None


def test_nothing_offered_gives_one_total_row_of_nulls_or_no_grouped_rows() -> None:
    empty = total([call("ivr_only")])
    assert empty.offered == 0
    assert [empty.answer_rate, empty.service_level, empty.asa_s, empty.aht_s] == [None] * 4
    assert kpi_rows([], by=("day",), tz=SHANGHAI) == []


# --- wait and handle time ----------------------------------------------------------------


def test_wait_comes_from_the_record_first() -> None:
    contact = call(wait_s=7, queued_at="2026-10-01T09:00:00", answered_at="2026-10-01T09:01:00")
    assert wait_seconds(contact, tz=SHANGHAI) == 7


def test_wait_is_answered_minus_queued_else_minus_started() -> None:
    times = {"started_at": "2026-10-01T09:00:00", "answered_at": "2026-10-01T09:00:50"}
    queued = call(queued_at="2026-10-01T09:00:30", **times)
    assert wait_seconds(queued, tz=SHANGHAI) == 20
    assert wait_seconds(call(**times), tz=SHANGHAI) == 50


def test_an_abandoned_wait_runs_to_the_end_of_the_contact() -> None:
    contact = call(
        "abandoned",
        queued_at="2026-10-01T09:00:00",
        answered_at="2026-10-01T09:00:02",  # nonsense on an abandon: ignored
        ended_at="2026-10-01T09:00:45",
    )
    assert wait_seconds(contact, tz=SHANGHAI) == 45


def test_a_wait_that_cannot_be_known_is_none() -> None:
    assert wait_seconds(call(answered_at="2026-10-01T09:00:00"), tz=SHANGHAI) is None
    assert wait_seconds(call(queued_at="2026-10-01T09:00:00"), tz=SHANGHAI) is None
    assert wait_seconds(call("abandoned", started_at="2026-10-01T09:00:00"), tz=SHANGHAI) is None
    clocks_disagree = call(queued_at="2026-10-01T09:00:10", answered_at="2026-10-01T09:00:00")
    assert wait_seconds(clocks_disagree, tz=SHANGHAI) is None


def test_wait_between_naive_and_offset_times() -> None:
    # 09:00 in Shanghai is 01:00 UTC: a naive queued time and an offset answer time meet.
    contact = call(queued_at="2026-10-01T09:00:00", answered_at="2026-10-01T01:00:15+00:00")
    assert wait_seconds(contact, tz=SHANGHAI) == 15
    # A contact built in code with naive datetimes reads them in the zone given.
    built = Contact(
        id="b",
        direction="inbound",
        disposition="answered",
        queued_at=datetime(2026, 10, 1, 9, 0, 0),
        answered_at=datetime(2026, 10, 1, 1, 0, 15, tzinfo=ZoneInfo("UTC")),
    )
    assert wait_seconds(built, tz=SHANGHAI) == 15


def test_handle_time_is_talk_else_answered_to_ended_plus_hold_and_after_call_work() -> None:
    times = {"answered_at": "2026-10-01T09:00:00", "ended_at": "2026-10-01T09:02:00"}
    assert handle_seconds(call(talk_s=90, hold_s=10, acw_s=5, **times), tz=SHANGHAI) == 105
    assert handle_seconds(call(hold_s=10, **times), tz=SHANGHAI) == 130
    assert handle_seconds(call(acw_s=30, **times), tz=SHANGHAI) == 150
    assert handle_seconds(call(answered_at="2026-10-01T09:00:00"), tz=SHANGHAI) is None


def test_answered_without_a_known_wait_counts_but_stays_out_of_asa() -> None:
    row = total([call(wait_s=10, talk_s=60), call(talk_s=100)])
    assert row.answered == 2
    assert row.asa_s == 10
    # The unknown wait is not proof of a fast answer: it stays in the denominator.
    assert row.service_level == 0.5
    assert row.aht_s == 80


def test_answered_without_talk_or_times_stays_out_of_aht_only() -> None:
    row = total([call(wait_s=4, talk_s=60), call(wait_s=8)])
    assert (row.answered, row.asa_s, row.aht_s) == (2, 6, 60)


def test_abandoned_without_a_known_wait_is_a_real_abandon() -> None:
    row = total([call("abandoned")])
    assert (row.abandoned, row.short_abandoned, row.abandon_rate) == (1, 0, 1.0)


# --- what is offered ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "record",
    [
        {"direction": "outbound", "disposition": "answered"},
        {"direction": "inbound", "disposition": "ivr_only"},
        {"direction": "inbound", "disposition": "phantom"},
        {"direction": "inbound"},
        {"disposition": "answered"},
        {"direction": "Inbound", "disposition": "answered"},
    ],
)
def test_only_inbound_answered_or_abandoned_contacts_are_offered(record: dict[str, str]) -> None:
    contact = contact_from_record({"id": "x", "wait_s": 1, **record}, tz=SHANGHAI)
    assert not is_offered(contact)
    accumulator = KpiAccumulator(by=("queue",), tz=SHANGHAI)
    assert accumulator.add(contact) is False
    assert accumulator.rows() == []


# --- groups --------------------------------------------------------------------------------


def rows_as_dicts(contacts: list[Contact], by: str) -> list[dict[str, Any]]:
    return [row.to_dict() for row in kpi_rows(contacts, by=parse_groupings(by), tz=SHANGHAI)]


def test_day_is_the_local_date_of_queued_else_started() -> None:
    contacts = [
        # Queued just before midnight, started the day before: the queue time decides.
        call(started_at="2026-09-30T23:59:00", queued_at="2026-10-01T00:00:10", wait_s=1),
        call(started_at="2026-10-01T12:00:00", wait_s=1),
        # 17:00 UTC is 01:00 the next day in Shanghai.
        call(started_at="2026-10-01T17:00:00+00:00", wait_s=1),
        call(wait_s=1),  # no time at all: its own group, last
    ]
    assert [(r["day"], r["offered"]) for r in rows_as_dicts(contacts, "day")] == [
        ("2026-10-01", 2),
        ("2026-10-02", 1),
        (None, 1),
    ]


def test_day_follows_the_time_zone_asked_for() -> None:
    contact = call(started_at="2026-10-01T17:00:00+00:00", wait_s=1)
    [utc] = kpi_rows([contact], by=("day", "hour"), tz=ZoneInfo("UTC"))
    [local] = kpi_rows([contact], by=("day", "hour"), tz=SHANGHAI)
    assert utc.group == (("day", "2026-10-01"), ("hour", 17))
    assert local.group == (("day", "2026-10-02"), ("hour", 1))


def test_hour_week_and_month_labels() -> None:
    contacts = [
        call(started_at="2026-10-01T09:30:00", wait_s=1),  # Thursday of ISO week 40
        call(started_at="2021-01-03T23:10:00", wait_s=1),  # Sunday of 2020's week 53
        call(started_at="2026-12-31T00:05:00", wait_s=1),  # ISO 2026-W53
    ]
    assert [r["hour"] for r in rows_as_dicts(contacts, "hour")] == [0, 9, 23]
    assert [r["week"] for r in rows_as_dicts(contacts, "week")] == [
        "2020-W53",
        "2026-W40",
        "2026-W53",
    ]
    assert [r["month"] for r in rows_as_dicts(contacts, "month")] == [
        "2021-01",
        "2026-10",
        "2026-12",
    ]


def test_queue_and_agent_groups_with_missing_keys_last() -> None:
    contacts = [
        call(queue="B", agent_id="A2", wait_s=1, talk_s=10),
        call(queue="A", agent_id="A1", wait_s=1, talk_s=10),
        call("abandoned", queue="A", wait_s=30),  # no agent on an abandon
        call(queue="A", agent_id="A2", wait_s=1, talk_s=10),
    ]
    assert [(r["queue"], r["offered"]) for r in rows_as_dicts(contacts, "queue")] == [
        ("A", 3),
        ("B", 1),
    ]
    by_agent = rows_as_dicts(contacts, "agent")
    assert [(r["agent"], r["answered"], r["abandoned"]) for r in by_agent] == [
        ("A1", 1, 0),
        ("A2", 2, 0),
        (None, 0, 1),
    ]
    by_queue_agent = rows_as_dicts(contacts, "queue,agent")
    assert [(r["queue"], r["agent"]) for r in by_queue_agent] == [
        ("A", "A1"),
        ("A", "A2"),
        ("A", None),
        ("B", "A2"),
    ]


def test_a_row_lists_group_keys_in_the_order_asked_then_the_figures() -> None:
    contacts = [call(queue="Q", started_at="2026-10-01T09:00:00", wait_s=1, talk_s=1)]
    [row] = rows_as_dicts(contacts, "queue,day")
    assert list(row) == ["queue", "day", *FIGURES]


def test_output_rounds_rates_to_four_places_and_means_to_a_tenth() -> None:
    contacts = [call(wait_s=1, talk_s=10), call(wait_s=2, talk_s=10), call(wait_s=30, talk_s=11)]
    row = total(contacts).to_dict()
    assert row["service_level"] == 0.6667
    assert row["asa_s"] == 11.0
    assert row["aht_s"] == 10.3


def test_groupings_are_parsed_and_unknown_ones_named() -> None:
    assert parse_groupings("day, queue") == ("day", "queue")
    assert parse_groupings("") == ()
    with pytest.raises(KpiError, match=r"'dya'.*day, queue, agent, hour, week, month"):
        parse_groupings("dya,queue")
    with pytest.raises(KpiError, match="twice"):
        parse_groupings("day,day")
    with pytest.raises(KpiError):
        KpiAccumulator(by=("weekday",), tz=SHANGHAI)


# --- properties ----------------------------------------------------------------------------

START = datetime(2026, 9, 28, 0, 0, tzinfo=SHANGHAI)


@st.composite
def contacts(draw: st.DrawFn) -> Contact:
    started = START + timedelta(minutes=draw(st.integers(0, 60 * 24 * 10)))
    waited = draw(st.none() | st.integers(0, 120))
    return Contact(
        id="p",
        direction=draw(st.sampled_from(["inbound", "inbound", "inbound", "outbound", None])),
        disposition=draw(st.sampled_from(["answered", "abandoned", "ivr_only", "phantom"])),
        queue=draw(st.sampled_from(["Q1", "Q2", "Q3", None])),
        agent_id=draw(st.sampled_from(["A1", "A2", None])),
        started_at=draw(st.none() | st.just(started)),
        queued_at=None if waited is None else started + timedelta(seconds=5),
        answered_at=None if waited is None else started + timedelta(seconds=5 + waited),
        ended_at=started + timedelta(seconds=600),
        wait_s=draw(st.none() | st.floats(0, 300)),
        talk_s=draw(st.none() | st.floats(0, 3000)),
    )


many_contacts = st.lists(contacts(), max_size=60)
groupings = st.lists(st.sampled_from(GROUPINGS), unique=True, max_size=3)


@given(many_contacts, groupings)
def test_every_offered_contact_is_answered_abandoned_or_short(
    sample: list[Contact], by: list[str]
) -> None:
    rows = kpi_rows(sample, by=by, tz=SHANGHAI)
    for row in rows:
        assert row.answered + row.abandoned + row.short_abandoned == row.offered
    assert sum(row.offered for row in rows) == sum(map(is_offered, sample))


@given(many_contacts, groupings)
def test_rates_are_fractions_that_add_up(sample: list[Contact], by: list[str]) -> None:
    for row in kpi_rows(sample, by=by, tz=SHANGHAI):
        for rate in (row.answer_rate, row.abandon_rate, row.service_level):
            assert rate is None or 0 <= rate <= 1
        if row.answer_rate is not None and row.abandon_rate is not None:
            assert row.answer_rate + row.abandon_rate == pytest.approx(1)
            assert row.service_level is not None
            assert row.service_level <= row.answer_rate
        assert (row.answer_rate is None) == (row.offered == row.short_abandoned)


@given(many_contacts)
def test_a_finer_grouping_sums_back_to_the_coarser_one(sample: list[Contact]) -> None:
    counts = ("offered", "answered", "abandoned", "short_abandoned")
    by_day = {
        row.group[0][1]: [getattr(row, n) for n in counts]
        for row in kpi_rows(sample, by=("day",), tz=SHANGHAI)
    }
    summed: dict[Any, list[int]] = {}
    for row in kpi_rows(sample, by=("day", "queue"), tz=SHANGHAI):
        day = row.group[0][1]
        summed[day] = [
            a + getattr(row, n) for a, n in zip(summed.get(day, [0] * 4), counts, strict=True)
        ]
    assert summed == by_day


@given(many_contacts, groupings, st.randoms(use_true_random=False))
def test_figures_do_not_depend_on_the_order_of_contacts(
    sample: list[Contact], by: list[str], rng: random.Random
) -> None:
    shuffled = sample[:]
    rng.shuffle(shuffled)
    expected = kpi_rows(sample, by=by, tz=SHANGHAI)
    again = kpi_rows(shuffled, by=by, tz=SHANGHAI)
    assert [r.to_dict() for r in again] == [r.to_dict() for r in expected]


# --- real data: Anonymous Bank, February 1999 -------------------------------------------------


@pytest.fixture(scope="module")
def bank_tsv() -> list[dict[str, str]]:
    """The source rows; AGENT = answered, HANG after joining the queue = abandoned (HANG
    straight from the IVR never reached the queue, PHANTOM never was a call)."""
    with BANK_TSV.open(encoding="utf-8", newline="") as stream:
        return list(csv.DictReader(stream, delimiter="\t"))


@pytest.fixture(scope="module")
def bank_contacts() -> list[Contact]:
    return [
        parsed.contact
        for parsed in read_contacts_file(str(BANK_JSONL), tz=SHANGHAI)
        if isinstance(parsed, ParsedLine)
    ]


def queued_in_tsv(row: dict[str, str]) -> bool:
    """The source writes 0:00:00 for "never queued"; a call that joined the queue at
    midnight exactly (31056) has the same queue start but a time in the queue."""
    return row["q_start"] != "0:00:00" or int(row["q_time"]) > 0


def offered_in_tsv(row: dict[str, str]) -> bool:
    return row["outcome"] == "AGENT" or (row["outcome"] == "HANG" and queued_in_tsv(row))


def wait_in_tsv(row: dict[str, str]) -> int:
    """Time in queue; 0 for a call that never queued."""
    return int(row["q_time"]) if queued_in_tsv(row) else 0


def moment_in_tsv(row: dict[str, str]) -> datetime:
    """When the call joined the queue (else entered the switch), local time. The log gives
    clock times on the entry's date: a queue start earlier than the entry is past midnight."""
    day = datetime.strptime("19" + row["date"], "%Y%m%d")
    hours, minutes, seconds = map(int, row["vru_entry"].split(":"))
    entered = day + timedelta(hours=hours, minutes=minutes, seconds=seconds)
    if not queued_in_tsv(row):
        return entered
    hours, minutes, seconds = map(int, row["q_start"].split(":"))
    queued = day + timedelta(hours=hours, minutes=minutes, seconds=seconds)
    return queued if queued >= entered else queued + timedelta(days=1)


@needs_bank
def test_bank_month_totals_match_the_source_file(
    bank_contacts: list[Contact], bank_tsv: list[dict[str, str]]
) -> None:
    [month] = kpi_rows(bank_contacts, by=("month",), tz=SHANGHAI)
    offered = [row for row in bank_tsv if offered_in_tsv(row)]
    answered = [row for row in offered if row["outcome"] == "AGENT"]
    short = [row for row in offered if row["outcome"] == "HANG" and wait_in_tsv(row) < 5]
    fast = [row for row in answered if wait_in_tsv(row) <= 20]
    assert month.group == (("month", "1999-02"),)
    assert (month.offered, month.answered, month.short_abandoned) == (
        len(offered),
        len(answered),
        len(short),
    )
    assert month.offered == 31125
    assert month.service_level == pytest.approx(len(fast) / (len(offered) - len(short)))
    assert month.asa_s == pytest.approx(sum(map(wait_in_tsv, answered)) / len(answered))
    assert month.aht_s == pytest.approx(sum(int(r["ser_time"]) for r in answered) / len(answered))


@needs_bank
def test_bank_days_and_queues_are_plausible(
    bank_contacts: list[Contact], bank_tsv: list[dict[str, str]]
) -> None:
    contacts = bank_contacts
    days = kpi_rows(contacts, by=("day",), tz=SHANGHAI)
    offered_per_day = Counter(
        moment_in_tsv(r).date().isoformat() for r in bank_tsv if offered_in_tsv(r)
    )
    assert {row.group[0][1] for row in days} == set(offered_per_day)
    for row in days:
        assert row.offered == offered_per_day[str(row.group[0][1])]
        assert row.answer_rate is not None
        assert 0.6 < row.answer_rate <= 1
    queues = kpi_rows(contacts, by=("queue",), tz=SHANGHAI)
    assert sum(row.offered for row in queues) == 31125
    assert {row.group[0][1] for row in queues} >= {"PS", "NW", "NE", "IN", "TT"}


# --- beyond FORMATS.md: first-contact resolution, transfers, complaints ------------------------


def at(day: int, hour: int = 9) -> str:
    return f"2026-10-{day:02d}T{hour:02d}:00:00"


def extra_total(contacts: list[Contact], **options: Any) -> KpiRow:
    [row] = kpi_rows(contacts, by=(), options=KpiOptions(**options), tz=SHANGHAI, extra=True)
    return row


def test_a_customer_who_calls_back_within_the_window_was_not_resolved_first_time() -> None:
    contacts = [
        call(customer_id="U1", started_at=at(1)),  # U1 calls back on the 5th: repeated
        call(customer_id="U1", started_at=at(5)),  # then not again by the 20th: resolved
        call(customer_id="U2", started_at=at(1)),  # U2 calls back on the 9th, 8 days later
        call(customer_id="U2", started_at=at(9)),  # resolved
        call(customer_id="U3", started_at=at(2)),  # U3 comes back only to abandon: repeated
        call("abandoned", customer_id="U3", started_at=at(3), wait_s=40),
        call(customer_id="U9", started_at=at(20)),  # the end of the data
    ]
    row = extra_total(contacts)
    assert (row.fcr_resolved, row.fcr_repeated) == (3, 2)
    assert row.fcr == pytest.approx(3 / 5)
    # U9 on the 20th: the last 7 days of the data are not yet known
    assert row.fcr_pending == 1


def test_the_fcr_window_is_an_option() -> None:
    contacts = [
        call(customer_id="U2", started_at=at(1)),
        call(customer_id="U2", started_at=at(9)),
        call(customer_id="U9", started_at=at(30)),
    ]
    assert extra_total(contacts).fcr_repeated == 0
    assert extra_total(contacts, fcr_days=10).fcr_repeated == 1


def test_a_repeat_exactly_at_the_end_of_the_window_still_counts() -> None:
    contacts = [
        call(customer_id="U1", started_at=at(1)),
        call(customer_id="U1", started_at=at(8)),  # 7 days to the second
        call(customer_id="U9", started_at=at(30)),
    ]
    assert extra_total(contacts).fcr_repeated == 1


def test_contacts_without_a_customer_stay_out_of_fcr_and_are_counted() -> None:
    contacts = [
        call(started_at=at(1)),
        call(customer_id="0", started_at=at(1)),  # the switch's "not identified"
        call(customer_id="0", started_at=at(2)),
        call(customer_id="U1"),  # no time: cannot be placed in a window
        call(customer_id="U2", started_at=at(1)),
        call(customer_id="U9", started_at=at(30)),
    ]
    row = extra_total(contacts)
    assert row.fcr_unidentified == 4
    assert (row.fcr_resolved, row.fcr_repeated, row.fcr_pending) == (1, 0, 1)
    assert row.fcr == 1.0


def test_a_repeat_found_before_the_window_closes_is_known_at_once() -> None:
    contacts = [call(customer_id="U1", started_at=at(1)), call(customer_id="U1", started_at=at(2))]
    row = extra_total(contacts)
    assert (row.fcr_repeated, row.fcr_pending, row.fcr_resolved) == (1, 1, 0)


def test_the_repeat_may_be_in_another_group_and_fcr_stays_with_the_first_contact() -> None:
    contacts = [
        call(customer_id="U1", queue="Q1", started_at=at(1)),
        call(customer_id="U1", queue="Q2", started_at=at(2)),
        call(customer_id="U9", queue="Q2", started_at=at(30)),
    ]
    rows = {
        row.group[0][1]: row for row in kpi_rows(contacts, by=("queue",), tz=SHANGHAI, extra=True)
    }
    assert (rows["Q1"].fcr_repeated, rows["Q1"].fcr) == (1, 0.0)
    assert (rows["Q2"].fcr_resolved, rows["Q2"].fcr_pending) == (1, 1)


def test_possible_repeats_that_are_not_counted_still_end_a_first_contacts_resolution() -> None:
    accumulator = KpiAccumulator(
        by=(), tz=SHANGHAI, extra=True, known_until=datetime(2026, 11, 1, tzinfo=SHANGHAI)
    )
    accumulator.add(call(customer_id="U1", started_at=at(1)))
    accumulator.add(call(customer_id="U2", started_at=at(1)))
    assert accumulator.add_possible_repeat(call(customer_id="U1", started_at=at(3)))
    assert not accumulator.add_possible_repeat(call("ivr_only", customer_id="U2", started_at=at(2)))
    [row] = accumulator.rows()
    assert (row.offered, row.fcr_repeated, row.fcr_resolved, row.fcr_pending) == (2, 1, 1, 0)


@pytest.mark.parametrize(
    ("fields", "transferred"),
    [
        ({"transferred": True}, True),
        ({"transferred": False}, False),
        ({"hangup_by": "transfer"}, True),
        ({"tags": ["转接"]}, True),
        ({"hangup_by": "customer"}, None),
        ({"transferred": "yes"}, None),
        ({}, None),
    ],
)
def test_how_a_transfer_is_read_from_the_record(
    fields: dict[str, Any], transferred: bool | None
) -> None:
    assert transfer_of(call(**fields)) is transferred


def test_transfer_rate_is_over_answered_contacts_and_null_when_nothing_records_transfers() -> None:
    recorded = [
        call(transferred=True),
        call(tags=["转接", "宽带"]),
        call(transferred=False),
        call(),  # says nothing: not transferred, as far as the log tells
        call("abandoned", wait_s=30, transferred=True),  # abandoned: never reached an agent
    ]
    row = extra_total(recorded)
    assert (row.transferred, row.transfer_rate) == (2, 0.5)
    assert extra_total([call(), call(hangup_by="agent")]).transfer_rate is None


def test_complaints_are_tagged_or_in_a_complaints_queue() -> None:
    contacts = [
        call(tags=["投诉"], queue="ACD-01"),
        call("abandoned", wait_s=30, tags=["投诉", "话费争议"]),
        call(queue="ACD-03"),
        call(queue="ACD-01", tags=["投诉建议"]),  # another tag, not 投诉
        call("ivr_only", tags=["投诉"]),  # never offered
    ]
    assert extra_total(contacts).complaints == 2
    assert extra_total(contacts, complaint_queues=frozenset({"ACD-03"})).complaints == 3


def test_without_extra_a_row_is_exactly_the_formats_md_figures() -> None:
    [row] = kpi_rows([call(customer_id="U1", tags=["投诉"])], by=("queue",), tz=SHANGHAI)
    assert list(row.to_dict()) == ["queue", *FIGURES]
    [extra] = kpi_rows([call(customer_id="U1")], by=("queue",), tz=SHANGHAI, extra=True)
    assert list(extra.to_dict(extra=True)) == ["queue", *FIGURES, *EXTRA_FIGURES]
    assert extra.to_dict() == row.to_dict()


customers = st.lists(
    st.tuples(st.sampled_from(["U1", "U2", "U3", "0"]), st.integers(0, 60 * 24 * 20)),
    max_size=40,
)


def _answered_calls(calls: list[tuple[str, int]], *, seconds: float = 0) -> list[Contact]:
    """An answered call per (customer, minute after START), `seconds` into the minute."""
    return [
        Contact(
            id="f",
            direction="inbound",
            disposition="answered",
            queue=("Q1", "Q2")[minute % 2],
            customer_id=customer,
            started_at=START + timedelta(minutes=minute, seconds=seconds),
        )
        for customer, minute in calls
    ]


@given(customers, st.randoms(use_true_random=False))
def test_fcr_parts_add_up_and_do_not_depend_on_order(
    calls: list[tuple[str, int]], rng: random.Random
) -> None:
    sample = _answered_calls(calls)
    rows = kpi_rows(sample, by=("queue",), tz=SHANGHAI, extra=True)
    for row in rows:
        parts = row.fcr_resolved + row.fcr_repeated + row.fcr_pending + row.fcr_unidentified
        assert parts == row.answered
        assert row.fcr is None or 0 <= row.fcr <= 1
    shuffled = sample[:]
    rng.shuffle(shuffled)
    again = kpi_rows(shuffled, by=("queue",), tz=SHANGHAI, extra=True)
    assert [r.to_dict(extra=True) for r in again] == [r.to_dict(extra=True) for r in rows]


@given(customers, st.integers(0, 60 * 24 * 30))
def test_a_store_of_open_moments_settles_fcr_as_the_engine_does_at_any_end(
    calls: list[tuple[str, int]], end_minute: int
) -> None:
    """What the web app's tallies keep (sums unsettled, the open contacts' moments) gives
    the same resolved/not-yet-known split as the engine reading the contacts, wherever the
    data ends."""
    sample = _answered_calls(calls, seconds=0.5)
    end = START + timedelta(minutes=end_minute)
    settled = KpiAccumulator(by=("queue",), tz=SHANGHAI, extra=True, known_until=end)
    stored = KpiAccumulator(by=("queue",), tz=SHANGHAI, extra=True)
    for contact in sample:
        settled.add(contact)
        stored.add(contact)
    expected = settled.sums()
    kept, moments = stored.sums(settle=False), stored.pending_moments()
    for key, sums in kept.items():
        assert len(moments.get(key, [])) == sums.fcr_pending
        resolved, pending = fcr_open_split(moments.get(key, []), options=KpiOptions(), end=end)
        assert (resolved, pending) == (expected[key].fcr_resolved, expected[key].fcr_pending)
        assert sums.fcr_repeated == expected[key].fcr_repeated


@needs_bank
def test_bank_fcr_against_the_source_file(
    bank_contacts: list[Contact], bank_tsv: list[dict[str, str]]
) -> None:
    """The log has customer ids (0 = not identified) but nothing about transfers."""
    [month] = kpi_rows(bank_contacts, by=("month",), tz=SHANGHAI, extra=True)

    offered = [row for row in bank_tsv if offered_in_tsv(row)]
    end = max(map(moment_in_tsv, offered))
    by_customer: dict[str, list[datetime]] = {}
    for row in offered:
        by_customer.setdefault(row["customer_id"], []).append(moment_in_tsv(row))
    resolved = repeated = pending = 0
    for row in offered:
        if row["outcome"] != "AGENT" or row["customer_id"] == "0":
            continue
        start = moment_in_tsv(row)
        later = [m for m in by_customer[row["customer_id"]] if m > start]
        if later and min(later) - start <= timedelta(days=7):
            repeated += 1
        elif start + timedelta(days=7) > end:
            pending += 1
        else:
            resolved += 1
    assert (month.fcr_resolved, month.fcr_repeated, month.fcr_pending) == (
        resolved,
        repeated,
        pending,
    )
    assert month.transfer_rate is None
    assert month.complaints == 0


# --- values at the calendar's edge ----------------------------------------------------------


@pytest.mark.parametrize("by", ["day", "hour", "week", "month", "queue"])
def test_kpis_reject_a_time_at_the_calendars_edge_and_count_the_rest(
    tmp_path: Path, by: str, capsys: pytest.CaptureFixture[str]
) -> None:
    from lingting.cli import main

    call = {
        "direction": "inbound",
        "disposition": "answered",
        "queue": "Q",
        "answered_at": "2026-10-01T09:00:11+08:00",
        "ended_at": "2026-10-01T09:05:40+08:00",
    }
    lines = [
        {**call, "id": "K1", "started_at": "0001-01-01T00:00:00+08:00"},
        {**call, "id": "K2", "started_at": "2026-10-01T09:00:05+08:00"},
        {**call, "id": "K3", "queued_at": "9999-12-31T23:00:05-08:00"},
        {**call, "id": "K4", "queued_at": "0001-01-01T05:00:05"},
    ]
    source = tmp_path / "edge.jsonl"
    source.write_bytes(b"".join(orjson.dumps(line) + b"\n" for line in lines))
    errors = tmp_path / "errors.jsonl"
    argv = ["kpis", str(source), "--by", by, "--extra", "--out", "-", "--errors", str(errors)]

    assert main(argv) == 1
    rows = orjson.loads(capsys.readouterr().out)
    assert sum(row["offered"] for row in rows) == 1
    rejected = [orjson.loads(line) for line in errors.read_bytes().splitlines()]
    assert [(e["line"], e["id"]) for e in rejected] == [(1, "K1"), (3, "K3"), (4, "K4")]
    assert all("out of range" in e["reason"] for e in rejected)
