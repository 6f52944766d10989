"""Leavers lose their login (issue 14): at once for a leaving day today or past, on its day
for one ahead (the daily job "leavers"); and hire and leaving dates imported from a file by
`lingting agents_import` or the attrition page's upload, each bad line reported with its
number while the rest are stored."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from lingting.core.models import Agent, AuditEvent, User
from tests.conftest import PASSWORD, SHANGHAI, Org

pytestmark = pytest.mark.django_db
ClientFor = Callable[[User], Client]
TODAY = date(2026, 11, 15)


@pytest.fixture(autouse=True)
def mid_november() -> Iterator[None]:
    with time_machine.travel(datetime(2026, 11, 15, 10, 0, tzinfo=SHANGHAI)):
        yield


def signs_in(username: str) -> bool:
    client = Client()
    client.post(reverse("core:login"), {"username": username, "password": PASSWORD})
    return "_auth_user_id" in client.session


def record_leaving(client: Client, agent: Agent, left_on: str) -> Any:
    return client.post(
        reverse("workforce:attrition_leaver"), {"agent": agent.pk, "left_on": left_on}
    )


def test_a_leaver_whose_last_day_has_passed_can_no_longer_sign_in(
    org: Org, client_for: ClientFor, planner_qian: User
) -> None:
    zhang = org.agents["A1002"]
    assert signs_in("agent_zhang")
    session = client_for(org.users["agent_zhang"])

    record_leaving(client_for(planner_qian), zhang, "2026-11-15")  # today

    user = User.objects.get(username="agent_zhang")
    assert not user.is_active
    assert not signs_in("agent_zhang")
    assert session.get(reverse("home")).status_code == 302  # the open session ends too
    zhang.refresh_from_db()
    assert zhang.user == user  # the history stays theirs
    event = AuditEvent.objects.get(action="user.deactivate_leaver")
    assert (event.actor, event.object_id) == (planner_qian, str(user.pk))
    assert event.after == {"is_active": False, "agent": "A1002", "left_on": "2026-11-15"}


def test_a_leaving_ahead_takes_effect_on_its_day_by_the_daily_job(
    org: Org, client_for: ClientFor, planner_qian: User, settings: Any
) -> None:
    record_leaving(client_for(planner_qian), org.agents["A1002"], "2026-11-20")
    assert signs_in("agent_zhang")
    [job] = [job for job in settings.LINGTING_SCHEDULE if job[0] == "leavers"]
    assert job[1].startswith("daily")

    out = io.StringIO()
    with time_machine.travel(datetime(2026, 11, 19, 0, 2, tzinfo=SHANGHAI)):
        call_command(*job[2], stdout=out)
    assert signs_in("agent_zhang")
    with time_machine.travel(datetime(2026, 11, 20, 0, 2, tzinfo=SHANGHAI)):
        call_command(*job[2], stdout=out)
        call_command(*job[2], stdout=out)  # again: nobody more

    assert out.getvalue().splitlines() == [
        "logins deactivated: 0",
        "logins deactivated: 1 (A1002)",
        "logins deactivated: 0",
    ]
    with time_machine.travel(datetime(2026, 11, 20, 9, 0, tzinfo=SHANGHAI)):
        assert not signs_in("agent_zhang")
    event = AuditEvent.objects.get(action="user.deactivate_leaver")
    assert event.actor is None  # the system, on its day


def test_taking_a_leaving_back_restores_the_login_it_took(
    org: Org, client_for: ClientFor, ops_zhou: User
) -> None:
    client = client_for(ops_zhou)
    zhang = org.agents["A1002"]
    record_leaving(client, zhang, "2026-11-01")
    assert not signs_in("agent_zhang")

    client.post(reverse("workforce:attrition_leaver_cancel"), {"agent": zhang.pk})

    assert signs_in("agent_zhang")
    assert AuditEvent.objects.filter(action="user.reactivate_leaver").count() == 1


def test_taking_a_leaving_back_leaves_a_login_disabled_for_another_reason(
    org: Org, client_for: ClientFor, ops_zhou: User
) -> None:
    User.objects.filter(username="agent_zhang").update(is_active=False)  # an admin's doing
    zhang = org.agents["A1002"]
    Agent.objects.filter(pk=zhang.pk).update(left_on=date(2026, 11, 1))

    ops = client_for(ops_zhou)
    ops.post(reverse("workforce:attrition_leaver_cancel"), {"agent": zhang.pk})

    assert not User.objects.get(username="agent_zhang").is_active


# --- Import ---------------------------------------------------------------------------------

STAFF_CSV = (
    "code,name,team,hired_on,left_on,leaving_reason\n"
    "A3001,王芳芳,一班,2026-11-01,,\n"  # a new hire
    "A1002,,,,2026-11-10,主动离职\n"  # 张伟 left: his login goes
    "A1001,,三班,,,\n"  # no such team
    "A3002,赵磊,T02,2026-03-01,2026-02-01,\n"  # leaves before hired
    "A1003,,,,2026-12-31,transferred\n"  # 陈晨 leaves at the year's end
)


def write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> str:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return str(path)


def test_the_cli_imports_a_gbk_csv_and_reports_each_bad_line(org: Org, tmp_path: Path) -> None:
    path = write(tmp_path, "staff.csv", STAFF_CSV, encoding="gbk")
    out, err = io.StringIO(), io.StringIO()

    with pytest.raises(CommandError, match="2 line"):
        call_command("agents_import", path, stdout=out, stderr=err)

    assert out.getvalue().strip() == (
        "read 5 · created 1 · updated 2 · unchanged 0 · rejected 2 · logins deactivated 1"
    )
    assert err.getvalue().splitlines() == [
        "line 4: no team with the code or name '三班'",
        "line 5: 'left_on' 2026-02-01 is before 'hired_on' 2026-03-01",
    ]
    new = Agent.objects.get(code="A3001")
    assert (new.name, new.team, new.hired_on) == ("王芳芳", org.teams["一班"], date(2026, 11, 1))
    zhang = Agent.objects.get(code="A1002")
    assert (zhang.name, zhang.left_on, zhang.leaving_reason) == (
        "张伟",
        date(2026, 11, 10),
        "resigned",
    )
    assert not User.objects.get(username="agent_zhang").is_active
    li = Agent.objects.get(code="A1001")
    assert li.team == org.teams["一班"]  # the bad line changed nothing
    assert not Agent.objects.filter(code="A3002").exists()
    chen = Agent.objects.get(code="A1003")
    assert chen.left_on == date(2026, 12, 31)
    assert AuditEvent.objects.filter(action="agent.import").count() == 3
    summary = AuditEvent.objects.get(action="agents.import")
    assert summary.after["rejected"] == 2


def test_importing_the_same_jsonl_again_changes_nothing(org: Org, tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "staff.jsonl",
        '{"code": "A3001", "name": "王芳芳", "team": "T01", "hired_on": "2026-11-01"}\n'
        '{"code": "A1001", "hired_on": "2025-01-01"}\n',
    )
    call_command("agents_import", path, stdout=io.StringIO())
    out = io.StringIO()

    call_command("agents_import", path, stdout=out)

    assert "created 0 · updated 0 · unchanged 2 · rejected 0" in out.getvalue()
    assert Agent.objects.get(code="A1001").hired_on == date(2025, 1, 1)


def test_a_file_in_another_encoding_is_refused_whole(org: Org, tmp_path: Path) -> None:
    path = write(tmp_path, "staff.csv", STAFF_CSV, encoding="utf-16")

    with pytest.raises(CommandError, match="UTF-16") as refused:
        call_command("agents_import", path, stdout=io.StringIO(), stderr=io.StringIO())

    assert refused.value.returncode == 2
    assert not Agent.objects.filter(code="A3001").exists()


def upload(client: Client, name: str, content: bytes) -> Any:
    return client.post(
        reverse("workforce:attrition_import"), {"file": SimpleUploadedFile(name, content)}
    )


def test_a_planner_uploads_the_staff_list_on_the_attrition_page(
    org: Org, client_for: ClientFor, planner_qian: User
) -> None:
    client = client_for(planner_qian)
    assert 'id="agents-import"' in client.get(reverse("workforce:attrition")).content.decode()

    response = upload(client, "staff.csv", STAFF_CSV.encode("gbk"))

    assert response.status_code == 302
    said = [str(message) for message in get_messages(response.wsgi_request)]
    assert said[0] == (
        "已读取 5 行：新增 1 名坐席，更新 2 名，未变 0 名，停用登录账号 1 个；拒绝 2 行。"
    )
    assert said[1:] == [
        "第 4 行：no team with the code or name '三班'",
        "第 5 行：'left_on' 2026-02-01 is before 'hired_on' 2026-03-01",
    ]
    assert Agent.objects.get(code="A3001").hired_on == date(2026, 11, 1)
    event = AuditEvent.objects.get(action="agent.import", object_id="A1002")
    assert event.actor == planner_qian


def test_an_upload_that_is_no_staff_list_is_refused_clearly(
    org: Org, client_for: ClientFor, ops_zhou: User
) -> None:
    wrong_kind = upload(client_for(ops_zhou), "staff.xlsx", b"PK\x03\x04")
    wrong_encoding = upload(client_for(ops_zhou), "staff.csv", STAFF_CSV.encode("utf-16"))

    assert [str(m) for m in get_messages(wrong_kind.wsgi_request)] == [
        "只能上传 .csv 或 .jsonl 文件"
    ]
    [said] = [str(m) for m in get_messages(wrong_encoding.wsgi_request)]
    assert said.startswith("无法读取文件：the file is UTF-16")
    assert not Agent.objects.filter(code="A3001").exists()


@pytest.mark.parametrize("name", ["leader_wang", "agent_li", "qa_zhao"])
def test_only_those_who_record_leavers_may_upload(
    org: Org, client_for: ClientFor, name: str
) -> None:
    response = upload(client_for(org.users[name]), "staff.csv", STAFF_CSV.encode())

    assert response.status_code == 403
    assert not Agent.objects.filter(code="A3001").exists()
