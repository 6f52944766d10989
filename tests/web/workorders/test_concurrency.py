"""Two people acting on one work order at the same moment, each through their own database
connection (as two web requests are): exactly one step lands, the other is told
"该工单已被他人修改，请刷新后再试", and the order's counters still add up to its trail. Two
concurrent runs of the deadline warnings send each warning once.

The threads really overlap: the first to lock the order's row holds it until the second is
waiting for it (on PostgreSQL, seen in ``pg_locks``; on SQLite, whose transactions take the
database's write lock up front, the second waits at its ``BEGIN IMMEDIATE``).

SQLite's test database is an in-memory one shared between threads, whose table locks fail
at once ("database table is locked") where a database file waits for the lock as in
production (busy timeout); so on SQLite these tests run on a copy in a file.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from django.db import connection, connections

from lingting.calendars.services import calendar_load
from lingting.core.models import Notification, Role, User
from lingting.workorders.models import Department, WorkOrder, WorkOrderType, WorkOrderWarning
from lingting.workorders.seeds import workorder_types_ensure
from lingting.workorders.services import transitions
from lingting.workorders.services.creation import workorder_create
from lingting.workorders.services.deadlines import workorder_warnings_send
from lingting.workorders.services.steps import workorder_note, workorder_urge
from lingting.workorders.services.transitions import ConcurrentEdit
from tests.conftest import SHANGHAI

STALE = "该工单已被他人修改，请刷新后再试"
WAIT = 10.0  # seconds: far more than two steps need; a hung test fails instead of hanging

# Each thread commits through its own connection, so the test is a transactional one: it
# starts from emptied tables (the 95598 types are put back by `people`) and empties them.
pytestmark = pytest.mark.django_db(transaction=True)


class Connections:
    """Gives each thread its own connection to the test database (on SQLite, to a copy of
    it in a file, with the project's connection options: WAL, IMMEDIATE, busy timeout)."""

    def __init__(self, file_settings: dict[str, Any] | None) -> None:
        self.file_settings = file_settings

    def connect(self) -> None:
        if self.file_settings is not None:
            wrapper = type(connections["default"])
            connections["default"] = wrapper(dict(self.file_settings), "default")


@pytest.fixture
def own_connections(db: None, tmp_path: Path) -> Iterator[Connections]:
    if connection.vendor != "sqlite":
        yield Connections(None)
        return
    in_memory = connections["default"]
    in_memory.ensure_connection()
    path = tmp_path / "concurrent.sqlite3"
    with sqlite3.connect(path) as copy:
        in_memory.connection.backup(copy)
    shared = Connections({**in_memory.settings_dict, "NAME": str(path)})
    shared.connect()
    yield shared
    connections["default"].close()
    connections["default"] = in_memory


@pytest.fixture
def people(own_connections: Connections) -> dict[str, User]:
    workorder_types_ensure()
    made = {
        username: User.objects.create_user(username, role=role)
        for username, role in [
            ("agent_li", Role.AGENT),
            ("leader_wang", Role.TEAM_LEADER),
            ("yx_lead", Role.AGENT),
        ]
    }
    Department.objects.create(code="D-YX", name="营销部", lead=made["yx_lead"])
    return made


def _order(actor: User) -> WorkOrder:
    return workorder_create(
        actor=actor,
        order_type=WorkOrderType.objects.get(code="complaint"),
        title="停电三天无人处理",
        fields={"phone": "13812345678"},
        department=Department.objects.get(code="D-YX"),
    )


class Overlap:
    """Makes two threads meet inside the step: the first to lock the order's row waits,
    holding the lock, until the other is blocked on it (or, on SQLite, a moment)."""

    def __init__(self) -> None:
        self.start = threading.Barrier(2, timeout=WAIT)
        self.pids: dict[str, int] = {}
        self.lock_waits: list[bool] = []
        self._first = threading.Lock()

    def hold_the_row(self) -> None:
        """Called in the thread holding the row lock, before it decides the step."""
        if threading.current_thread() is threading.main_thread():
            return
        if not self._first.acquire(blocking=False):
            return
        self.lock_waits.append(self._other_waits())

    def _other_waits(self) -> bool:
        if connection.vendor != "postgresql":
            time.sleep(0.3)  # the other thread is at its BEGIN IMMEDIATE, waiting
            return True
        mine = _backend_pid()
        others = [pid for pid in self.pids.values() if pid != mine]
        deadline = time.monotonic() + WAIT
        with connections["default"].cursor() as cursor:
            while time.monotonic() < deadline:
                cursor.execute(
                    "SELECT count(*) FROM pg_locks WHERE pid = ANY(%s) AND NOT granted", [others]
                )
                if cursor.fetchone()[0]:
                    return True
                time.sleep(0.02)
        return False


def _backend_pid() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid: int = cursor.fetchone()[0]
    return pid


def _side_by_side(
    own_connections: Connections, overlap: Overlap, steps: dict[str, Callable[[], Any]]
) -> dict[str, BaseException | None]:
    """Run each step in its own thread with its own connection, both starting together;
    what each raised (None: it went through)."""
    outcome: dict[str, BaseException | None] = {}

    def run(name: str, step: Callable[[], Any]) -> None:
        own_connections.connect()
        try:
            if connection.vendor == "postgresql":
                overlap.pids[name] = _backend_pid()
            overlap.start.wait()
            step()
            outcome[name] = None
        except BaseException as error:
            outcome[name] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=item) for item in steps.items()]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(WAIT * 2)
    return outcome


@pytest.fixture
def overlap(monkeypatch: pytest.MonkeyPatch) -> Overlap:
    """The services' decision point (the facts read under the row lock) made to wait."""
    meeting = Overlap()
    facts = transitions.order_facts

    def held(order: WorkOrder) -> Any:
        meeting.hold_the_row()
        return facts(order)

    monkeypatch.setattr(transitions, "order_facts", held)
    return meeting


def _assert_one_went_through(outcome: dict[str, BaseException | None]) -> None:
    assert sorted(outcome) == ["first", "second"], outcome
    errors = [error for error in outcome.values() if error is not None]
    assert len(errors) == 1, outcome
    assert isinstance(errors[0], ConcurrentEdit), outcome
    assert str(errors[0]) == STALE


def test_two_urges_at_once_one_lands_the_other_is_told_to_refresh(
    people: dict[str, User], overlap: Overlap, own_connections: Connections
) -> None:
    order = _order(people["agent_li"])
    seen = order.version
    outcome = _side_by_side(
        own_connections,
        overlap,
        {
            "first": lambda: workorder_urge(
                actor=people["agent_li"], order=order, version=seen, by_customer=True
            ),
            "second": lambda: workorder_urge(
                actor=people["leader_wang"], order=order, version=seen, by_customer=False
            ),
        },
    )
    _assert_one_went_through(outcome)
    assert overlap.lock_waits == [True]
    order.refresh_from_db()
    assert order.version == seen + 1
    assert order.urges == order.events.filter(action="urge").count() == 1
    assert order.priority == "high"  # raised once, not twice


def test_an_urge_and_a_note_at_once_neither_is_lost_silently(
    people: dict[str, User], overlap: Overlap, own_connections: Connections
) -> None:
    order = _order(people["agent_li"])
    seen = order.version
    outcome = _side_by_side(
        own_connections,
        overlap,
        {
            "first": lambda: workorder_note(
                actor=people["leader_wang"], order=order, version=seen, note="客户又来电"
            ),
            "second": lambda: workorder_urge(
                actor=people["agent_li"], order=order, version=seen, by_customer=True
            ),
        },
    )
    _assert_one_went_through(outcome)
    order.refresh_from_db()
    landed = "note" if outcome["first"] is None else "urge"
    assert list(order.events.values_list("action", flat=True)) == ["create", landed]
    assert order.version == seen + 1
    assert order.urges == order.events.filter(action="urge").count()


@pytest.mark.skipif("connection.vendor != 'postgresql'")
def test_the_two_writers_use_two_database_connections(
    people: dict[str, User], overlap: Overlap, own_connections: Connections
) -> None:
    order = _order(people["agent_li"])
    _side_by_side(
        own_connections,
        overlap,
        {
            "first": lambda: workorder_note(
                actor=people["agent_li"], order=order, version=order.version, note="一"
            ),
            "second": lambda: workorder_note(
                actor=people["agent_li"], order=order, version=order.version, note="二"
            ),
        },
    )
    assert len(set(overlap.pids.values())) == 2
    assert _backend_pid() not in overlap.pids.values()


def test_two_warning_runs_at_once_send_each_warning_once(
    people: dict[str, User], own_connections: Connections
) -> None:
    """A complaint taken Wed 2026-09-30 10:00 (5 working days, due Tue 10-13 10:00) is past
    its 50% and 80% points at noon on Mon 10-12 (32 of 37.5 working hours used): whichever
    run gets there first sends the 80% warning (the 50% one recorded as passed with it);
    the other sends nothing."""
    calendar_load(year=2026)
    order = _order(people["agent_li"])
    WorkOrder.objects.filter(pk=order.pk).update(
        created_at=datetime(2026, 9, 30, 10, 0, tzinfo=SHANGHAI)
    )
    now = datetime(2026, 10, 12, 12, 0, tzinfo=SHANGHAI)
    sent: dict[str, int] = {}

    def warn(name: str) -> Callable[[], None]:
        def run() -> None:
            sent[name] = len(workorder_warnings_send(now=now).sent)

        return run

    outcome = _side_by_side(
        own_connections, Overlap(), {"first": warn("first"), "second": warn("second")}
    )
    assert outcome == {"first": None, "second": None}
    assert sorted(sent.values()) == [0, 1]
    warnings = WorkOrderWarning.objects.filter(order=order)
    assert sorted(warnings.values_list("point", "superseded")) == [(50, True), (80, False)]
    told = Notification.objects.filter(user=people["yx_lead"], text__startswith="时限预警")
    assert told.count() == 1
