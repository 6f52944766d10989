"""The service competitiveness index pages (issue 17): a manager enters the waves by hand or
from an answers file and reads the index, its two parts and their trend; the refusals and
the rejected lines are told; only those who manage surveys see or change anything."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from lingting.core.models import AuditEvent, User
from lingting.surveys.models import CompetitivenessWave, WaveOperator

pytestmark = pytest.mark.django_db

Row = tuple[str, int | str, int | str, int | str]  # operator, subscribers, asked, choosing us
# Subscribers (thousands) 联通 (ours) 1500, 移动 2000, 电信 500 in the first two waves.
END_2012: list[Row] = [("联通", 1500, 500, 400), ("移动", 2000, 800, 80), ("电信", 500, 400, 48)]
MID_2013: list[Row] = [("联通", 1500, 500, 422), ("移动", 2000, 800, 73), ("电信", 500, 400, 48)]
END_2013: list[Row] = [("联通", 1600, 500, 410), ("移动", 2000, 800, 88), ("电信", 400, 400, 60)]


def wave_form(name: str, day: str, rows: list[Row], **fields: Any) -> dict[str, Any]:
    """The form as the page posts it: the wave and one formset row per operator."""
    data: dict[str, Any] = {
        "name": name,
        "surveyed_on": day,
        "note": "",
        "op-TOTAL_FORMS": str(len(rows) + 1),  # and the spare row, left blank
        "op-INITIAL_FORMS": "0",
        "op-MIN_NUM_FORMS": "0",
        "op-MAX_NUM_FORMS": "1000",
    }
    for i, (operator, subscribers, asked, choosing_us) in enumerate(rows):
        data |= {
            f"op-{i}-operator": operator,
            f"op-{i}-subscribers": str(subscribers),
            f"op-{i}-asked": str(asked),
            f"op-{i}-choosing_us": str(choosing_us),
        }
    return data | fields


def enter(client: Client, name: str, day: str, rows: list[Row]) -> CompetitivenessWave:
    answer = client.post("/surveys/competitiveness/new/", wave_form(name, day, rows))
    assert answer.status_code == 302, answer.content.decode()
    return CompetitivenessWave.objects.get(name=name)


def test_a_manager_enters_three_waves_and_reads_the_index_and_its_trend(
    client_for: Any, ops_zhou: User
) -> None:
    manager = client_for(ops_zhou)
    enter(manager, "2012年末", "2012-12-20", END_2012)
    second = enter(manager, "2013年中", "2013-06-20", MID_2013)
    enter(manager, "2013年末", "2013-12-20", END_2013)

    page = manager.get("/surveys/competitiveness/").content.decode()

    table = page[page.index('id="competitiveness-waves"') :]
    # 2012: (1200 + 200 + 60) / 4000 = 36.5; retention 80.0; market (200 + 60) / 2500 = 10.4
    assert '<td class="num index">36.5</td>' in table
    # 2013 mid: (1266 + 182.5 + 60) / 4000 = 37.7125 (↑1.2); 84.4 (↑4.4); 242.5 / 2500 = 9.7 (↓0.7)
    assert "37.7" in table
    assert "↑1.2" in table
    assert "↑4.4" in table
    assert "↓0.7" in table
    # 2013 end: (1312 + 220 + 60) / 4000 = 39.8 (↑2.1); 82.0 (↓2.4); 280 / 2400 = 11.67 (↑2.0)
    assert "39.8" in table
    assert "↑2.1" in table
    assert "↓2.4" in table
    assert "↑2.0" in table
    assert table.index("2012年末") < table.index("2013年中") < table.index("2013年末")
    # per wave, each operator's subscribers: ours first, then the largest rival
    third_wave = table[table.index("2013年末") :]
    assert third_wave.index("联通（本网） 1,600") < third_wave.index("移动 2,000")
    assert third_wave.index("移动 2,000") < third_wave.index("电信 400")
    assert page.count("<svg") == 1  # the trend chart, inline
    assert "服务竞争力指数走势" in page

    wave_page = manager.get(f"/surveys/competitiveness/{second.pk}/").content.decode()
    formula = wave_page[wave_page.index('id="wave-formula"') :]
    assert "联通用户选择联通占比 84.4% × 联通用户数 1,500" in formula
    assert "移动用户选择联通占比 9.1% × 移动用户数 2,000" in formula
    assert "(1,500 + 2,000 + 500) ] × 100 = <strong>37.7</strong>" in formula
    assert "继续选择联通的 422 人 ÷ 受访联通用户 500 人" in formula
    assert "(2,000 + 500) ] × 100 = <strong>9.7</strong>" in formula


def test_the_waves_download_as_csv(client_for: Any, qa_zhao: User) -> None:
    manager = client_for(qa_zhao)
    enter(manager, "2012年末", "2012-12-20", END_2012)
    enter(manager, "2013年中", "2013-06-20", MID_2013)

    answer = manager.get("/surveys/competitiveness/", {"export": "csv"})

    assert answer["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(answer.content.decode("utf-8-sig"))))
    assert ["2013年中", "2013-06-20", "37.71", "1.21", "84.4", "4.4", "9.7", "-0.7"] in rows
    assert ["2012年末", "移动", "", "2000", "800", "80", "0.1"] in rows
    xlsx = manager.get("/surveys/competitiveness/", {"export": "xlsx"})
    assert xlsx.status_code == 200
    assert xlsx.content[:2] == b"PK"


def test_editing_a_wave_shows_its_rows_and_saves_the_change(
    client_for: Any, ops_zhou: User
) -> None:
    manager = client_for(ops_zhou)
    wave = enter(manager, "2012年末", "2012-12-20", END_2012)

    form = manager.get(f"/surveys/competitiveness/{wave.pk}/edit/").content.decode()
    assert 'name="op-0-operator" value="联通"' in form
    assert 'name="op-3-operator"' in form  # a spare row
    assert 'id="wave-row-template"' in form

    rows: list[Row] = [*END_2012[:2], ("", "", "", ""), ("广电", 100, 50, 5)]  # 电信 cleared
    data = wave_form("2012年末", "2012-12-21", rows) | {"op-INITIAL_FORMS": "3"}
    answer = manager.post(f"/surveys/competitiveness/{wave.pk}/edit/", data)

    assert answer.status_code == 302
    operators = WaveOperator.objects.filter(wave=wave).values_list("operator", flat=True)
    assert sorted(operators) == ["广电", "移动", "联通"]


@pytest.mark.parametrize(
    ("rows", "told"),
    [
        ([("", "", "", ""), *END_2012[1:]], "第一行须填写本网运营商"),
        (
            [*END_2012[:2], ("电信", 500, 40, 41)],
            "电信：人数不能为负，选择我方的人数不能多于受访用户数",
        ),
        ([(name, 0, asked, chose) for name, _s, asked, chose in END_2012], "用户数合计为 0"),
        ([*END_2012, ("移动", 10, 10, 1)], "运营商“移动”填写了两次"),
    ],
)
def test_a_wave_without_an_index_is_told_and_not_stored(
    client_for: Any, ops_zhou: User, rows: list[Row], told: str
) -> None:
    answer = client_for(ops_zhou).post(
        "/surveys/competitiveness/new/", wave_form("2013年中", "2013-06-20", rows)
    )

    assert answer.status_code == 400
    page = answer.content.decode()
    assert "无法计算服务竞争力指数，未保存" in page
    assert told in page
    assert not CompetitivenessWave.objects.exists()


def test_a_second_wave_of_the_same_name_is_told(client_for: Any, ops_zhou: User) -> None:
    manager = client_for(ops_zhou)
    enter(manager, "2012年末", "2012-12-20", END_2012)

    answer = manager.post(
        "/surveys/competitiveness/new/", wave_form("2012年末", "2013-06-20", MID_2013)
    )

    assert answer.status_code == 400
    assert "已有同名的测评" in answer.content.decode()
    assert CompetitivenessWave.objects.count() == 1


def test_a_row_without_its_counts_is_told_by_field(client_for: Any, ops_zhou: User) -> None:
    rows: list[Row] = [*END_2012[:2], ("电信", 500, "", "")]

    answer = client_for(ops_zhou).post(
        "/surveys/competitiveness/new/", wave_form("2013年中", "2013-06-20", rows)
    )

    assert answer.status_code == 400
    assert answer.content.decode().count("请填写") >= 2
    assert not CompetitivenessWave.objects.exists()


ANSWERS = """\
运营商,选择意向
联通,联通
联通,联通
联通,移动
移动,联通
移动,
移动,移动,多余
移动,移动
电信,联通
电信,电信
"""


def test_an_answers_file_counts_the_wave_and_its_bad_lines_are_listed(
    client_for: Any, ops_zhou: User
) -> None:
    rows: list[Row] = [("联通", 1500, "", ""), ("移动", 2000, "", ""), ("电信", 600, "", "")]
    upload = SimpleUploadedFile("口碑测评.csv", ANSWERS.encode("gbk"), content_type="text/csv")

    answer = client_for(ops_zhou).post(
        "/surveys/competitiveness/new/",
        wave_form("2013年中", "2013-06-20", rows, answers=upload),
        follow=True,
    )

    page = answer.content.decode()
    assert answer.redirect_chain[-1][1] == 302
    assert "第 6 行：missing &#x27;would_choose&#x27;" in page
    assert "第 7 行：more cells than header columns" in page
    assert "读取 9 行，计入 7 位受访用户，拒绝 2 行" in page
    wave = CompetitivenessWave.objects.get()
    counts = set(wave.operators.values_list("operator", "asked", "choosing_us"))
    assert counts == {("联通", 3, 2), ("移动", 2, 1), ("电信", 2, 1)}
    # (2/3 × 1500 + 1/2 × 2000 + 1/2 × 600) / 4100 × 100 = 2300 / 4100 × 100 = 56.1
    assert "<strong>56.1</strong>" in page
    assert AuditEvent.objects.filter(action="competitiveness_wave.import").exists()


def test_an_answers_file_naming_an_operator_not_entered_is_refused_with_its_lines(
    client_for: Any, ops_zhou: User
) -> None:
    rows: list[Row] = [("联通", 1500, "", ""), ("移动", 2000, "", "")]
    upload = SimpleUploadedFile("wave.csv", ANSWERS.encode("utf-8"))

    answer = client_for(ops_zhou).post(
        "/surveys/competitiveness/new/", wave_form("2013年中", "2013-06-20", rows, answers=upload)
    )

    page = answer.content.decode()
    assert answer.status_code == 400
    assert "表中却没有它们的用户数：电信 (2)" in page
    assert "第 6 行" in page
    assert not CompetitivenessWave.objects.exists()


def test_a_file_of_another_kind_is_refused(client_for: Any, ops_zhou: User) -> None:
    upload = SimpleUploadedFile("wave.xlsx", b"PK\x03\x04")

    answer = client_for(ops_zhou).post(
        "/surveys/competitiveness/new/", wave_form("w", "2013-06-20", END_2012, answers=upload)
    )

    assert answer.status_code == 400
    assert "只能上传 .csv 或 .jsonl 文件" in answer.content.decode()
    assert not CompetitivenessWave.objects.exists()


def test_a_manager_deletes_a_wave(client_for: Any, ops_zhou: User) -> None:
    manager = client_for(ops_zhou)
    wave = enter(manager, "2012年末", "2012-12-20", END_2012)

    assert manager.get(f"/surveys/competitiveness/{wave.pk}/delete/").status_code == 405
    answer = manager.post(f"/surveys/competitiveness/{wave.pk}/delete/")

    assert answer.status_code == 302
    assert not CompetitivenessWave.objects.exists()
    assert AuditEvent.objects.filter(action="competitiveness_wave.delete").exists()


def test_the_navigation_leads_managers_to_the_index(
    client_for: Any, ops_zhou: User, agent_li: User
) -> None:
    link = 'href="/surveys/competitiveness/"'

    assert link in client_for(ops_zhou).get("/surveys/").content.decode()
    assert link not in client_for(agent_li).get("/surveys/").content.decode()


@pytest.mark.parametrize("username", ["agent_li", "leader_wang", "qa_sun", "planner_qian"])
def test_only_those_who_manage_surveys_see_or_enter_waves(
    client_for: Any, org: Any, ops_zhou: User, username: str
) -> None:
    wave = enter(client_for(ops_zhou), "2012年末", "2012-12-20", END_2012)
    client = client_for(org.users[username])

    assert client.get("/surveys/competitiveness/").status_code == 403
    assert client.get("/surveys/competitiveness/", {"export": "csv"}).status_code == 403
    assert client.get(f"/surveys/competitiveness/{wave.pk}/").status_code == 403
    assert client.get("/surveys/competitiveness/new/").status_code == 403
    new = wave_form("2013年中", "2013-06-20", MID_2013)
    assert client.post("/surveys/competitiveness/new/", new).status_code == 403
    assert client.post(f"/surveys/competitiveness/{wave.pk}/delete/").status_code == 403
    assert list(CompetitivenessWave.objects.values_list("name", flat=True)) == ["2012年末"]


def test_the_forms_need_the_csrf_token(ops_zhou: User) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(ops_zhou)

    answer = client.post("/surveys/competitiveness/new/", wave_form("w", "2013-06-20", END_2012))

    assert answer.status_code == 403
    assert not CompetitivenessWave.objects.exists()
