"""Survey results in the app: `lingting import_surveys` (unknown contacts reported, not
stored; re-import updates), and the satisfaction page with CSAT (top-two-box) and the
very-satisfied share per team, queue and day, over the contacts a user may see."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from lingting.core.models import Agent, AuditEvent, User
from lingting.performance.services import kpi_target_set
from lingting.surveys.models import SurveyResponse
from tests.conftest import SHANGHAI, ContactFactory

ClientFor = Callable[[User], Client]


def write_surveys(path: Path, rows: list[str]) -> Path:
    path.write_text(
        "contact_id,score,answered_at,channel,comment\n" + "\n".join(rows) + "\n",
        encoding="utf-8",
    )
    return path


@pytest.fixture
def surveyed(make_contact: ContactFactory, tmp_path: Path) -> None:
    """一班 (A1001, ACD-01): scores 5, 4, 2 → CSAT 66.7%, very satisfied 33.3%.
    二班 (A1002, ACD-02): scores 5, 5 → 100%, 100%. All answered on 2026-10-01."""
    make_contact("C1", agent="A1001")
    make_contact("C2", agent="A1001")
    make_contact("C3", agent="A1001")
    make_contact("C4", agent="A1002", queue="ACD-02")
    path = write_surveys(
        tmp_path / "surveys.csv",
        [
            "C1,5,2026-10-01T10:00:00+08:00,sms,",
            "C2,4,2026-10-01T10:05:00+08:00,ivr,",
            "C3,2,2026-10-01T10:10:00+08:00,sms,等了很久 回电13812345678",
            "C4,5,2026-10-01T11:00:00+08:00,web,",
            "C4,5,2026-10-01T11:01:00+08:00,sms,",
        ],
    )
    call_command("import_surveys", str(path))


def test_a_result_about_an_unknown_contact_is_reported_not_stored(
    make_contact: ContactFactory, tmp_path: Path
) -> None:
    make_contact("C1")
    path = write_surveys(
        tmp_path / "surveys.csv",
        ["C1,5,2026-10-01T10:00:00+08:00,sms,", "C-NOPE,1,2026-10-01T10:00:00+08:00,sms,"],
    )
    errors = tmp_path / "errors.jsonl"
    with pytest.raises(CommandError, match="1 line") as raised:
        call_command("import_surveys", str(path), "--errors", str(errors))
    assert raised.value.returncode == 1
    assert '"line":3' in errors.read_text()
    assert "C-NOPE" in errors.read_text()
    assert SurveyResponse.objects.count() == 1
    assert AuditEvent.objects.filter(action="survey_responses.import").exists()


def test_importing_again_updates_instead_of_adding(
    make_contact: ContactFactory, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    make_contact("C1")
    call_command(
        "import_surveys",
        str(write_surveys(tmp_path / "a.csv", ["C1,3,2026-10-01T10:00:00+08:00,sms,"])),
    )
    call_command(
        "import_surveys",
        str(write_surveys(tmp_path / "b.csv", ["C1,4,2026-10-01T10:00:00+08:00,sms,改评"])),
    )
    response = SurveyResponse.objects.get()
    assert (response.score, response.comment) == (4, "改评")
    assert "stored 0 · updated 1" in capsys.readouterr().out


def _page(client: Client, **params: str | list[str]) -> str:
    query: dict[str, str | list[str]] = {
        "date_from": "2026-10-01",
        "date_to": "2026-10-01",
        **params,
    }
    response = client.get("/surveys/", query)
    assert response.status_code == 200
    return response.content.decode()


def test_manager_sees_csat_and_very_satisfied_share_per_team(
    surveyed: None, ops_zhou: User, client_for: ClientFor
) -> None:
    html = _page(client_for(ops_zhou), by=["team"])
    assert "客户满意度" in html
    assert "66.7%" in html  # 一班: 5 and 4 of 5, 4, 2
    assert "33.3%" in html  # 一班: one 5 of three
    assert "100.0%" in html  # 二班
    assert "80.0%" in html  # all: 4 of 5 in the top two boxes
    # Five answers say little: the 95% interval of 4 of 5 runs from 37.6% to 96.4%.
    assert "±29.4" in html


def test_agent_sees_only_responses_about_own_contacts(
    surveyed: None, agent_li: User, client_for: ClientFor
) -> None:
    html = _page(client_for(agent_li), by=["queue"])
    assert "话费查询" in html
    assert "故障报修" not in html
    table = html.split('id="csat-table"')[1].split("</table>")[0]  # (a chart's axis reads 100%)
    assert "100.0%" not in table


def test_unsatisfied_comments_are_listed_with_numbers_masked(
    surveyed: None, leader_wang: User, qa_zhao: User, client_for: ClientFor
) -> None:
    html = _page(client_for(leader_wang))
    assert "等了很久" in html
    assert "13812345678" not in html
    assert "13812345678" in _page(client_for(qa_zhao))  # a QA supervisor sees numbers


def test_a_contacts_own_satisfaction_counts_as_an_ivr_response_once(
    make_contact: ContactFactory, tmp_path: Path, ops_zhou: User, client_for: ClientFor
) -> None:
    started = datetime(2026, 10, 1, 9, 0, tzinfo=SHANGHAI)
    make_contact("C1", started_at=started, extra={"satisfaction": 5})
    make_contact("C2", started_at=started, extra={"satisfaction": 2})
    html = _page(client_for(ops_zhou))
    assert "50.0%" in html  # one of two rated contacts satisfied
    # A survey file about C2 replaces the contact's own rating: no double count.
    call_command(
        "import_surveys",
        str(write_surveys(tmp_path / "s.csv", ["C2,4,2026-10-01T10:00:00+08:00,ivr,"])),
    )
    html = _page(client_for(ops_zhou), by=["day"])
    assert "100.0%" in html
    assert "2026-10-01" in html


def test_page_explains_the_definition_and_the_empty_case(
    ops_zhou: User, client_for: ClientFor
) -> None:
    html = _page(client_for(ops_zhou))
    assert "前两档" in html
    assert "lingting import_surveys" in html


def test_satisfaction_is_coloured_against_the_team_target_before_the_centers(
    surveyed: None, ops_zhou: User, client_for: ClientFor
) -> None:
    first_team = Agent.objects.get(code="A1001").team
    kpi_target_set(actor=ops_zhou, figure="csat", queue=None, green=0.9, amber=0.6)
    kpi_target_set(actor=ops_zhou, figure="csat", queue=None, team=first_team, green=0.6, amber=0.5)

    html = _page(client_for(ops_zhou), by=["team"])

    # 一班 66.7% meets its own team's 60%; 二班 100% the center's 90%; the center 80% is amber.
    assert html.count('class="num rag rag-green">66.7%') == 1
    assert html.count('class="num rag rag-green">100.0%') == 1
    assert 'class="num rag rag-amber">80.0%' in html
