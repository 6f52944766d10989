"""Agent states → seconds per state per day → occupancy and utilisation: hand-computed
days, the day boundary, missing logouts and logins, the file format, and properties that
hold for any sequence of events."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lingting.engine.occupancy import (
    STATES,
    AgentDay,
    StateEvent,
    StateTotals,
    agent_days,
    read_state_events,
)
from lingting.engine.reader import LineError, UnreadableFileError

SHANGHAI = ZoneInfo("Asia/Shanghai")
DAY = date(2026, 10, 1)


def at(hour: int, minute: int = 0, *, day: date = DAY) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=SHANGHAI)


def ev(state: str, when: datetime, reason: str = "", agent: str = "A1001") -> StateEvent:
    return StateEvent(agent, state, when, reason)


def one_day(events: list[StateEvent], **kwargs: object) -> StateTotals:
    days = agent_days(events, tz=SHANGHAI, **kwargs)  # type: ignore[arg-type]
    assert len(days) == 1
    return days[0].totals


def test_a_simple_morning_by_hand() -> None:
    # 08:00 login, 08:10 ready, 08:30 busy, 08:50 acw, 09:00 ready, 09:30 小休, 09:40 ready,
    # 10:00 logout → not ready 10 + 10 min, ready 20 + 30 + 20 min, busy 20, acw 10.
    totals = one_day(
        [
            ev("login", at(8)),
            ev("ready", at(8, 10)),
            ev("busy", at(8, 30)),
            ev("acw", at(8, 50)),
            ev("ready", at(9)),
            ev("not_ready", at(9, 30), "小休"),
            ev("ready", at(9, 40)),
            ev("logout", at(10)),
        ]
    )
    assert totals.ready_s == 70 * 60
    assert totals.busy_s == 20 * 60
    assert totals.acw_s == 10 * 60
    assert totals.not_ready_s == 20 * 60
    assert totals.not_ready_reasons == {"": 10 * 60, "小休": 10 * 60}
    assert totals.logged_in_s == 120 * 60
    assert totals.occupancy == round(30 / 100, 4)  # (20 + 10) / (20 + 10 + 70)
    assert totals.utilisation == 0.25  # 30 / 120
    assert totals.missing_logouts == totals.missing_logins == 0


def test_events_in_any_order_give_the_same_day() -> None:
    events = [ev("login", at(8)), ev("busy", at(8, 5)), ev("ready", at(8, 20)), ev("logout", at(9))]
    assert one_day(events) == one_day(list(reversed(events)))


def test_an_interval_open_at_midnight_is_split_at_the_day_boundary() -> None:
    night = date(2026, 10, 2)
    days = agent_days(
        [
            ev("login", at(22)),
            ev("ready", at(22, 0)),
            ev("busy", at(23, 40)),
            ev("acw", at(0, 20, day=night)),
            ev("logout", at(0, 30, day=night)),
        ],
        tz=SHANGHAI,
    )
    assert [d.day for d in days] == [DAY, night]
    first, second = days[0].totals, days[1].totals
    assert (first.ready_s, first.busy_s) == (100 * 60, 20 * 60)
    assert (second.busy_s, second.acw_s) == (20 * 60, 10 * 60)
    assert first.missing_logouts == second.missing_logouts == 0


def test_days_are_cut_in_the_given_time_zone() -> None:
    # 07:00–09:00 in Shanghai is 23:00–01:00 UTC: one day there, two in UTC.
    events = [ev("login", at(7)), ev("ready", at(7)), ev("logout", at(9))]
    assert len(agent_days(events, tz=SHANGHAI)) == 1
    utc_days = agent_days(events, tz=ZoneInfo("UTC"))
    assert [d.totals.ready_s for d in utc_days] == [3600, 3600]


def test_a_missing_logout_is_closed_at_the_last_event_and_flagged() -> None:
    # No logout: the day ends at the 17:00 ready, which counts no time; the next morning's
    # login starts a new session.
    next_day = date(2026, 10, 2)
    days = agent_days(
        [
            ev("login", at(9)),
            ev("ready", at(9)),
            ev("busy", at(16)),
            ev("ready", at(17)),
            ev("login", at(9, day=next_day)),
            ev("ready", at(9, day=next_day)),
            ev("logout", at(10, day=next_day)),
        ],
        tz=SHANGHAI,
    )
    first, second = days[0].totals, days[1].totals
    assert (first.ready_s, first.busy_s, first.logged_in_s) == (7 * 3600, 3600, 8 * 3600)
    assert first.missing_logouts == 1
    assert second.ready_s == 3600
    assert second.missing_logouts == 0


def test_a_long_silence_ends_the_session_even_without_a_new_login() -> None:
    next_day = date(2026, 10, 2)
    days = agent_days(
        [
            ev("login", at(9)),
            ev("ready", at(9)),
            ev("ready", at(17)),
            ev("busy", at(9, day=next_day)),
            ev("logout", at(9, 10, day=next_day)),
        ],
        tz=SHANGHAI,
    )
    first, second = days[0].totals, days[1].totals
    assert first.ready_s == 8 * 3600
    assert first.missing_logouts == 1
    assert second.busy_s == 600
    assert second.missing_logins == 1


def test_the_data_ends_with_the_agent_still_logged_in() -> None:
    events = [ev("login", at(9)), ev("ready", at(9)), ev("busy", at(10))]
    closed = one_day(events)
    assert (closed.ready_s, closed.busy_s, closed.missing_logouts) == (3600, 0, 1)
    # Up to now (10:15), the agent is simply still on the call.
    live = one_day(events, until=at(10, 15))
    assert (live.ready_s, live.busy_s, live.missing_logouts) == (3600, 900, 0)


def test_a_state_without_a_login_opens_a_session_and_is_flagged() -> None:
    totals = one_day([ev("ready", at(9)), ev("logout", at(9, 30))])
    assert totals.ready_s == 1800
    assert totals.missing_logins == 1


def test_login_counts_as_not_ready_until_the_next_state() -> None:
    totals = one_day([ev("login", at(9)), ev("ready", at(9, 5)), ev("logout", at(9, 10))])
    assert totals.not_ready_s == 300
    assert totals.ready_s == 300


def test_figures_with_nothing_to_divide_by_are_none() -> None:
    totals = one_day([ev("login", at(9)), ev("not_ready", at(9), "培训"), ev("logout", at(11))])
    assert totals.occupancy is None
    assert totals.utilisation == 0.0
    assert StateTotals().utilisation is None


def test_agents_are_kept_apart_and_totals_add_up() -> None:
    events = [
        ev("login", at(9), agent="A1"),
        ev("busy", at(9), agent="A1"),
        ev("logout", at(10), agent="A1"),
        ev("login", at(9), agent="A2"),
        ev("ready", at(9), agent="A2"),
        ev("logout", at(11), agent="A2"),
    ]
    days = agent_days(events, tz=SHANGHAI)
    assert [(d.agent_id, d.totals.busy_s, d.totals.ready_s) for d in days] == [
        ("A1", 3600, 0),
        ("A2", 0, 7200),
    ]
    team = StateTotals()
    for day in days:
        team.add(day.totals)
    assert team.occupancy == round(1 / 3, 4)  # pooled seconds, not a mean of ratios
    assert team.utilisation == round(1 / 3, 4)


# -- the file format ----------------------------------------------------------------------


def test_jsonl_file_reports_broken_lines_with_numbers_and_keeps_the_rest(tmp_path: Path) -> None:
    path = tmp_path / "states.jsonl"
    path.write_text(
        "\n".join(
            [
                '{"agent_id": "A1001", "state": "login", "at": "2026-10-01T08:00:00+08:00"}',
                '{"agent_id": "A1001", "state": "not_ready", "reason": "小休",'
                ' "at": "2026-10-01T10:00:00"}',
                '{"agent_id": "A1001", "state": "lunch", "at": "2026-10-01T11:00:00+08:00"}',
                "not json",
                '{"state": "ready", "at": "2026-10-01T11:00:00+08:00"}',
                '{"agent_id": "A1001", "state": "ready", "at": "yesterday"}',
                "",
                '{"agent_id": 1002, "state": "LOGOUT", "at": "2026-10-01T18:00:00+08:00"}',
            ]
        ),
        encoding="utf-8",
    )
    results = list(read_state_events(str(path), tz=SHANGHAI))
    good = [r for r in results if not isinstance(r, LineError)]
    bad = [r for r in results if isinstance(r, LineError)]
    assert [line for line, _ in good] == [1, 2, 8]
    assert good[1][1] == StateEvent("A1001", "not_ready", at(10), "小休")  # configured zone
    assert good[2][1].agent_id == "1002"
    assert good[2][1].state == "logout"
    assert [(e.line, e.reason.split(" ")[0]) for e in bad] == [
        (3, "'state'"),
        (4, "not"),
        (5, "missing"),
        (6, "'at'"),
    ]


def test_csv_in_gbk_is_read(tmp_path: Path) -> None:
    path = tmp_path / "states.csv"
    path.write_bytes(
        "agent_id,state,at,reason\n"
        "A1001,login,2026-10-01T08:00:00+08:00,\n"
        "A1001,not_ready,2026-10-01T08:00:00+08:00,培训\n"
        "A1001,logout,2026-10-01T09:00:00+08:00,\n".encode("gbk")
    )
    events = [r[1] for r in read_state_events(str(path), tz=SHANGHAI) if isinstance(r, tuple)]
    assert [e.reason for e in events] == ["", "培训", ""]
    assert one_day(events).not_ready_reasons == {"培训": 3600}


def test_csv_without_the_required_columns_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "states.csv"
    path.write_text("agent,state,time\nA1,login,2026-10-01T08:00:00\n", encoding="utf-8")
    with pytest.raises(UnreadableFileError, match="agent_id, at"):
        list(read_state_events(str(path), tz=SHANGHAI))


# -- properties ---------------------------------------------------------------------------

_START = datetime(2026, 10, 1, 20, 0, tzinfo=SHANGHAI)
_events = st.lists(
    st.tuples(st.sampled_from(STATES), st.integers(0, 36 * 60), st.sampled_from(["", "小休"])),
    max_size=30,
)


def _to_events(raw: list[tuple[str, int, str]]) -> list[StateEvent]:
    return [ev(state, _START + timedelta(minutes=m), reason) for state, m, reason in raw]


@given(_events)
def test_states_sum_to_logged_in_time_and_figures_stay_in_bounds(
    raw: list[tuple[str, int, str]],
) -> None:
    for day in agent_days(_to_events(raw), tz=SHANGHAI):
        t = day.totals
        assert t.logged_in_s == pytest.approx(t.ready_s + t.busy_s + t.acw_s + t.not_ready_s)
        assert sum(t.not_ready_reasons.values()) == pytest.approx(t.not_ready_s)
        assert 0 <= t.logged_in_s <= 24 * 3600
        if t.occupancy is not None and t.utilisation is not None:
            assert 0 <= t.utilisation <= t.occupancy <= 1


@given(_events)
def test_cutting_into_days_loses_no_time(raw: list[tuple[str, int, str]]) -> None:
    # Whatever the zone, the same events give the same total logged-in time.
    events = _to_events(raw)

    def total(days: list[AgentDay]) -> float:
        return sum(d.totals.logged_in_s for d in days)

    assert total(agent_days(events, tz=SHANGHAI)) == pytest.approx(
        total(agent_days(events, tz=ZoneInfo("America/New_York")))
    )
