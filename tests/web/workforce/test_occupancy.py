"""Agent states in the app: `lingting import_states` (idempotent, broken lines reported by
number, the rest stored) and the occupancy page, scoped by role."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from lingting.core.models import Agent, AuditEvent, User
from lingting.performance.services import kpi_target_set
from lingting.workforce.models import AgentStateEvent
from tests.conftest import Org

ClientFor = Callable[[User], Client]

# A1001 (agent_li, 一班): 2 h logged in, 30 min busy + 10 min ACW, 60 min ready, 20 min 小休.
LI_DAY = [
    ("A1001", "login", "08:00", ""),
    ("A1001", "ready", "08:00", ""),
    ("A1001", "busy", "08:30", ""),
    ("A1001", "acw", "09:00", ""),
    ("A1001", "ready", "09:10", ""),
    ("A1001", "not_ready", "09:30", "小休"),
    ("A1001", "ready", "09:50", ""),
    ("A1001", "logout", "10:00", ""),
]
# A1002 (agent_zhang, 二班): 1 h busy of 2 h ready+busy, no logout.
ZHANG_DAY = [
    ("A1002", "login", "08:00", ""),
    ("A1002", "ready", "08:00", ""),
    ("A1002", "busy", "09:00", ""),
    ("A1002", "ready", "10:00", ""),
]


def write_states(
    path: Path, rows: list[tuple[str, str, str, str]], day: str = "2026-10-01"
) -> Path:
    lines = ["agent_id,state,at,reason"]
    lines += [f"{agent},{state},{day}T{hm}:00+08:00,{reason}" for agent, state, hm, reason in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def states(org: Org, tmp_path: Path) -> Path:
    path = write_states(tmp_path / "states.csv", LI_DAY + ZHANG_DAY)
    call_command("import_states", str(path), stdout=None)
    return path


def test_import_stores_events_once_however_often_it_runs(
    org: Org, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_states(tmp_path / "states.csv", LI_DAY)
    call_command("import_states", str(path))
    call_command("import_states", str(path))
    assert AgentStateEvent.objects.count() == len(LI_DAY)
    assert "stored 0 · already stored 8" in capsys.readouterr().out
    assert AuditEvent.objects.filter(action="agent_states.import").count() == 2


def test_import_reports_broken_lines_and_stores_the_rest(org: Org, tmp_path: Path) -> None:
    path = tmp_path / "states.jsonl"
    path.write_text(
        '{"agent_id": "A1001", "state": "login", "at": "2026-10-01T08:00:00+08:00"}\n'
        '{"agent_id": "A1001", "state": "coffee", "at": "2026-10-01T08:05:00+08:00"}\n'
        '{"agent_id": "A7777", "state": "ready", "at": "2026-10-01T08:05:00"}\n',
        encoding="utf-8",
    )
    errors = tmp_path / "errors.jsonl"
    with pytest.raises(CommandError, match="1 line") as raised:
        call_command("import_states", str(path), "--errors", str(errors))
    assert raised.value.returncode == 1
    assert '"line":2' in errors.read_text()
    assert AgentStateEvent.objects.count() == 2
    assert Agent.objects.filter(code="A7777").exists()  # a new agent, as the contact import


def test_a_file_in_an_unknown_encoding_is_refused_and_nothing_is_stored(
    org: Org, tmp_path: Path
) -> None:
    path = tmp_path / "states.csv"
    path.write_bytes("agent_id,state,at\n".encode("utf-16"))
    with pytest.raises(CommandError, match="UTF-16") as raised:
        call_command("import_states", str(path))
    assert raised.value.returncode == 2
    assert not AgentStateEvent.objects.exists()


def _page(client: Client, **params: str) -> str:
    query = {"date_from": "2026-10-01", "date_to": "2026-10-01", **params}
    response = client.get("/workforce/occupancy/", query)
    assert response.status_code == 200
    return response.content.decode()


def test_agent_sees_own_states_and_figures_only(
    states: Path, agent_li: User, client_for: ClientFor
) -> None:
    html = _page(client_for(agent_li))
    assert "A1001 李娜" in html
    assert "A1002" not in html
    assert "在线利用率" in html
    assert "40.0%" in html  # (30 + 10) / (30 + 10 + 60)
    assert "33.3%" in html  # 40 / 120
    assert "小休 0:20" in html


def test_team_leader_sees_own_team_and_missing_logout_is_flagged_for_managers(
    states: Path, leader_wang: User, ops_zhou: User, client_for: ClientFor
) -> None:
    html = _page(client_for(leader_wang))
    assert "A1001" in html
    assert "A1002" not in html
    html = _page(client_for(ops_zhou))
    assert "A1001" in html
    assert "A1002" in html
    assert "缺少登出 1 次" in html  # agent_zhang never logged out


def test_planner_sees_teams_by_month(
    states: Path, planner_qian: User, client_for: ClientFor
) -> None:
    html = _page(client_for(planner_qian), by="team", period="month")
    assert "一班" in html
    assert "二班" in html
    assert "2026-10" in html
    assert "50.0%" in html  # 二班: 1 h busy of 1 h busy + 1 h ready


@pytest.mark.parametrize("username", ["qa_sun", "qa_zhao"])
def test_qa_staff_have_no_occupancy_page(
    states: Path, org: Org, client_for: ClientFor, username: str
) -> None:
    client = client_for(org.users[username])
    assert client.get("/workforce/occupancy/").status_code == 403
    assert "/workforce/occupancy/" not in client.get("/performance/kpis/").content.decode()


def test_page_opens_on_the_latest_week_with_states(
    states: Path, ops_zhou: User, client_for: ClientFor
) -> None:
    html = client_for(ops_zhou).get("/workforce/occupancy/").content.decode()
    assert "2026-09-25 – 2026-10-01" in html
    assert "A1001 李娜" in html


def test_a_backwards_date_range_is_explained(ops_zhou: User, client_for: ClientFor) -> None:
    html = _page(client_for(ops_zhou), date_from="2026-10-05", date_to="2026-10-01")
    assert "开始日期不能晚于结束日期" in html


def test_utilisation_is_coloured_against_the_centers_target(
    states: Path, agent_li: User, ops_zhou: User, client_for: ClientFor
) -> None:
    kpi_target_set(actor=ops_zhou, figure="utilisation", queue=None, green=0.5, amber=0.3)

    html = _page(client_for(agent_li))

    assert 'class="num rag rag-amber">33.3%' in html  # 40 of 120 minutes: under 50%, over 30%
    assert 'rag-amber">40.0%' not in html  # occupancy has no target
