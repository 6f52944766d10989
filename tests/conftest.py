"""Shared fixtures: one small contact center with a named user for each role.

    team 一班 (leader_wang): A1001 李 (agent_li), A1003 陈 (no login)
    team 二班 (leader_liu):  A1002 张 (agent_zhang)
    no team:                 A1999 (outsider: an agent with no contacts)
    qa_zhao: QA supervisor    qa_sun: QA analyst    ops_zhou: operations manager

`make_contact` writes a contact with its turns and, when asked, a current ContactScore
with ItemFailure rows, straight into the tables: web tests do not run the scoring engine.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from importlib import import_module
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.apps import apps
from django.db import transaction
from django.test import Client, override_settings
from pytest_django.plugin import blocking_manager_key

from lingting.core.models import Agent, Role, Team, User
from lingting.interactions.models import Contact, Customer, Queue, Turn
from lingting.quality.models import (
    AssignmentKind,
    ContactScore,
    Evaluation,
    ItemFailure,
    ReviewedItem,
    Scorecard,
    ScorecardVersion,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")
PASSWORD = "ting-2026-secret"


FAST_HASHING = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# The modules that take minutes, started first: on several workers (`make unit`) one of them
# runs the longest while the others share out the rest, instead of the run ending on it.
# (Never a module with live-server tests: those empty the database, so they run last.)
LONGEST_FIRST = (
    "tests/web/config/test_url_walk.py",
    "tests/web/config/test_url_walk_agent.py",
    "tests/web/demo/test_planning.py",
)


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    def rank(item: pytest.Item) -> int:
        module = item.nodeid.partition("::")[0]
        return LONGEST_FIRST.index(module) if module in LONGEST_FIRST else len(LONGEST_FIRST)

    items.sort(key=rank)  # stable: the rest keep pytest-django's order


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Any) -> None:
    settings.PASSWORD_HASHERS = FAST_HASHING


@dataclass
class Org:
    users: dict[str, User] = field(default_factory=dict)
    agents: dict[str, Agent] = field(default_factory=dict)
    teams: dict[str, Team] = field(default_factory=dict)
    queues: dict[str, Queue] = field(default_factory=dict)


def _user(username: str, role: Role, name: str) -> User:
    user = User.objects.create_user(username, password=PASSWORD, role=role)
    user.first_name = name
    user.save(update_fields=["first_name"])
    return user


# The named users of `org`, one or two per role, in the order the role-matrix tables read.
STAFF = (
    "agent_li",
    "agent_zhang",
    "leader_wang",
    "leader_liu",
    "qa_sun",
    "qa_zhao",
    "ops_zhou",
    "planner_qian",
)


@pytest.fixture
def org(db: None) -> Org:
    org = Org()
    for username, role, name in [
        ("agent_li", Role.AGENT, "李娜"),
        ("agent_zhang", Role.AGENT, "张伟"),
        ("outsider", Role.AGENT, "吴新"),
        ("leader_wang", Role.TEAM_LEADER, "王芳"),
        ("leader_liu", Role.TEAM_LEADER, "刘洋"),
        ("qa_zhao", Role.QA_SUPERVISOR, "赵敏"),
        ("qa_sun", Role.QA_ANALYST, "孙丽"),
        ("ops_zhou", Role.OPERATIONS_MANAGER, "周强"),
        ("planner_qian", Role.WFM_PLANNER, "钱进"),
    ]:
        org.users[username] = _user(username, role, name)
    org.teams["一班"] = Team.objects.create(
        code="T01", name="一班", leader=org.users["leader_wang"]
    )
    org.teams["二班"] = Team.objects.create(code="T02", name="二班", leader=org.users["leader_liu"])
    agents: list[tuple[str, str, str | None, str | None]] = [
        ("A1001", "李娜", "一班", "agent_li"),
        ("A1003", "陈晨", "一班", None),
        ("A1002", "张伟", "二班", "agent_zhang"),
        ("A1999", "吴新", None, "outsider"),
    ]
    for code, name, team, login in agents:
        org.agents[code] = Agent.objects.create(
            code=code,
            name=name,
            team=org.teams[team] if team else None,
            user=org.users[login] if login else None,
        )
    for code, name in [("ACD-01", "话费查询"), ("ACD-02", "故障报修")]:
        org.queues[code] = Queue.objects.create(code=code, name=name)
    return org


@pytest.fixture
def agent_li(org: Org) -> User:
    return org.users["agent_li"]


@pytest.fixture
def agent_zhang(org: Org) -> User:
    return org.users["agent_zhang"]


@pytest.fixture
def outsider(org: Org) -> User:
    return org.users["outsider"]


@pytest.fixture
def leader_wang(org: Org) -> User:
    return org.users["leader_wang"]


@pytest.fixture
def qa_zhao(org: Org) -> User:
    return org.users["qa_zhao"]


@pytest.fixture
def qa_sun(org: Org) -> User:
    return org.users["qa_sun"]


@pytest.fixture
def ops_zhou(org: Org) -> User:
    return org.users["ops_zhou"]


@pytest.fixture
def planner_qian(org: Org) -> User:
    return org.users["planner_qian"]


@pytest.fixture
def password() -> str:
    """Every fixture user's password, for tests that sign in through the login form."""
    return PASSWORD


# Rows the migrations seed (the 95598 work-order types, the escalation ladder): a test on a
# live database ends by emptying every table, so the tests after it on that worker would
# start without them. Once its fixtures are torn down (the emptying among them), they are
# put back.
SEEDING_MIGRATIONS = (
    "lingting.workorders.migrations.0002_seed_95598_types",
    "lingting.workorders.migrations.0004_escalation",
)


def _empties_the_database(item: pytest.Item) -> bool:
    marker = item.get_closest_marker("django_db")
    names = set(getattr(item, "fixturenames", ()))
    return bool(
        names & {"transactional_db", "live_server"}
        or (marker is not None and marker.kwargs.get("transaction"))
    )


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> Iterator[None]:
    yield
    # After the last test the database itself is gone: nothing to put back.
    if nextitem is not None and _empties_the_database(item):
        with item.config.stash[blocking_manager_key].unblock():
            for name in SEEDING_MIGRATIONS:
                import_module(name).seed(apps, None)


@pytest.fixture(scope="module")
def module_db(django_db_setup: None, django_db_blocker: Any) -> Iterator[Any]:
    """A transaction around a module's tests, for data that takes long to build (the demo):
    what a module fixture writes through the blocker it yields is seen by every test of the
    module (each test still rolls back its own writes, in a savepoint) and is rolled back
    after the last one, so the next module starts from the empty database as always."""
    with django_db_blocker.unblock():
        around = transaction.atomic()
        around.__enter__()
    try:
        # Passwords set while building are checked by the tests, under their fast hasher.
        with override_settings(PASSWORD_HASHERS=FAST_HASHING):
            yield django_db_blocker
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            around.__exit__(None, None, None)


@pytest.fixture
def client_for(db: None) -> Callable[[User], Client]:
    """A test client signed in as `user`."""

    def signed_in(user: User) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return signed_in


TurnSpec = tuple[str, str] | tuple[str, str, float, float]


class ContactFactory:
    def __init__(self, org: Org) -> None:
        self.org = org
        self.count = 0
        self._version: ScorecardVersion | None = None

    @staticmethod
    def forbidden_phrase_item(turn: int, start: int, end: int, text: str) -> dict[str, Any]:
        """A failed 服务禁语 item as the scoring engine writes it (FORMATS.md)."""
        return {
            "item": "forbidden_phrases",
            "title": "服务禁语",
            "result": "fail",
            "points_lost": 10,
            "severity": "A",
            "detail": "坐席使用了服务禁语",
            "evidence": [
                {
                    "turn": turn,
                    "speaker": "agent",
                    "start_char": start,
                    "end_char": end,
                    "text": text,
                    "time": None,
                }
            ],
        }

    @staticmethod
    def passed_item(item: str, title: str) -> dict[str, Any]:
        return {"item": item, "title": title, "result": "pass", "points_lost": 0, "evidence": []}

    @property
    def version(self) -> ScorecardVersion:
        if self._version is None:
            card = Scorecard.objects.create(name="standard", title="标准质检评分表")
            self._version = ScorecardVersion.objects.create(
                scorecard=card,
                number=1,
                label="2026-10 版",
                fingerprint="f" * 64,
                source_text="name: standard",
                is_active=True,
            )
        return self._version

    def __call__(
        self,
        external_id: str | None = None,
        *,
        agent: str | None = "A1001",
        queue: str | None = "ACD-01",
        started_at: datetime | None = None,
        turns: Sequence[TurnSpec] = (
            ("agent", "您好，很高兴为您服务，请问有什么可以帮您？", 0.0, 3.1),
            ("customer", "我想问一下这个月的话费。", 3.4, 7.9),
        ),
        score: float | None = None,
        items: Iterable[dict[str, Any]] = (),
        fatal: bool = False,
        customer: str | None = None,
        **fields: Any,
    ) -> Contact:
        self.count += 1
        started = started_at or datetime(2026, 10, 1, 9, 0, tzinfo=SHANGHAI) + timedelta(
            minutes=self.count
        )
        contact = Contact.objects.create(
            external_id=external_id or f"C20261001-{self.count:06d}",
            channel=fields.pop("channel", "voice"),
            direction=fields.pop("direction", "inbound"),
            queue=self.org.queues[queue] if queue else None,
            agent=self.org.agents[agent] if agent else None,
            customer=Customer.objects.get_or_create(code=customer)[0] if customer else None,
            started_at=started,
            answered_at=fields.pop("answered_at", started + timedelta(seconds=6)),
            ended_at=fields.pop("ended_at", started + timedelta(seconds=335)),
            turn_count=len(turns),
            **fields,
        )
        Turn.objects.bulk_create(
            Turn(
                contact=contact,
                index=index,
                speaker=spec[0],
                text=spec[1],
                start=spec[2] if len(spec) == 4 else None,
                end=spec[3] if len(spec) == 4 else None,
            )
            for index, spec in enumerate(turns)
        )
        if score is not None:
            self.score(contact, score=score, items=list(items), fatal=fatal)
        return contact

    def score(
        self, contact: Contact, *, score: float, items: list[dict[str, Any]], fatal: bool
    ) -> ContactScore:
        failed = [i for i in items if i["result"] == "fail"]
        severities = [i.get("severity", "") for i in failed]
        result = ContactScore.objects.create(
            contact=contact,
            version=self.version,
            score=score,
            passed=score >= 60 and not fatal,
            fatal=fatal,
            severity_a=severities.count("A"),
            severity_b=severities.count("B"),
            severity_c=severities.count("C"),
            items=items,
        )
        ItemFailure.objects.bulk_create(
            ItemFailure(
                score=result,
                item=i["item"],
                severity=i.get("severity", ""),
                points_lost=i["points_lost"],
            )
            for i in failed
        )
        contact.current_score = result
        contact.save(update_fields=["current_score"])
        return result


def review(
    contact: Contact, reviewer: User, score: float, *, attitude_lost: float = 0
) -> Evaluation:
    """A reviewer's sample record of `contact`: `score`, passing from 80, and one reviewed
    attitude item that loses `attitude_lost` points."""
    assert contact.current_score is not None
    evaluation = Evaluation.objects.create(
        contact=contact,
        reviewer=reviewer,
        kind=AssignmentKind.SAMPLE,
        version=contact.current_score.version,
        score=score,
        passed=score >= 80,
        fatal=False,
    )
    ReviewedItem.objects.create(
        evaluation=evaluation,
        position=0,
        item="patience",
        title="服务耐心",
        section="attitude",
        points=2,
        result="fail" if attitude_lost else "pass",
        points_lost=attitude_lost,
    )
    return evaluation


@pytest.fixture
def make_contact(org: Org) -> ContactFactory:
    return ContactFactory(org)
