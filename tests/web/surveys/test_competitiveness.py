"""The service competitiveness index's waves (issue 17, seed 004 篇1) in the services: a wave
saved with its operators, or counted from its answers file, only when it gives an index
(nothing stored otherwise); every change audited; the waves read back in order with their
change since the wave before, as the API gives them."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from lingting.core.models import AuditEvent, User
from lingting.engine.competitiveness import (
    OperatorAnswers,
    OperatorSubscribers,
    WaveError,
    WaveProblem,
)
from lingting.engine.reader import LineError, UnreadableFileError
from lingting.surveys.competitiveness_selectors import competitiveness_waves
from lingting.surveys.models import CompetitivenessWave, WaveOperator
from lingting.surveys.services.competitiveness import (
    AnswersReport,
    WaveDetails,
    competitiveness_wave_delete,
    competitiveness_wave_import,
    competitiveness_wave_save,
)
from tests.web.conftest import Api

pytestmark = pytest.mark.django_db

END_2012 = WaveDetails("2012年末口碑测评", date(2012, 12, 20), "第三方电话访问")
MID_2013 = WaveDetails("2013年上半年口碑测评", date(2013, 6, 20))
# Subscribers (thousands): ours 1500, 移动 2000, 电信 500.
END_2012_OPERATORS = [
    OperatorAnswers("联通", subscribers=1_500, asked=500, choosing_us=400, ours=True),  # 80%
    OperatorAnswers("移动", subscribers=2_000, asked=800, choosing_us=80),  # 10%
    OperatorAnswers("电信", subscribers=500, asked=400, choosing_us=48),  # 12%
]
MID_2013_OPERATORS = [
    OperatorAnswers("联通", subscribers=1_500, asked=500, choosing_us=422, ours=True),  # 84.4%
    OperatorAnswers("移动", subscribers=2_000, asked=800, choosing_us=73),  # 9.125%
    OperatorAnswers("电信", subscribers=500, asked=400, choosing_us=48),  # 12%
]
SUBSCRIBERS = [
    OperatorSubscribers("联通", 1_500, ours=True),
    OperatorSubscribers("移动", 2_000),
    OperatorSubscribers("电信", 500),
]
# 联通: 5 asked, 4 choose us; 移动: 4 asked, 1; 电信: 3 asked, 1. Lines 7 and 9 are broken.
ANSWERS_CSV = """\
运营商,选择意向
联通,联通
联通,联通
联通,联通
联通,联通
联通,移动
移动,
移动,联通
移动,移动,多余
移动,移动
移动,不确定
电信,联通
电信,电信
电信,移动
"""


def stored(wave: CompetitivenessWave) -> list[tuple[str, bool, int, int, int]]:
    return list(
        WaveOperator.objects.filter(wave=wave).values_list(
            "operator", "ours", "subscribers", "asked", "choosing_us"
        )
    )


def test_a_saved_wave_keeps_its_operators_and_is_audited_with_its_index(ops_zhou: User) -> None:
    wave = competitiveness_wave_save(
        actor=ops_zhou, wave=None, details=END_2012, operators=END_2012_OPERATORS
    )

    assert (wave.name, wave.surveyed_on, wave.note, wave.created_by) == (
        "2012年末口碑测评",
        date(2012, 12, 20),
        "第三方电话访问",
        ops_zhou,
    )
    assert stored(wave) == [
        ("联通", True, 1500, 500, 400),
        ("电信", False, 500, 400, 48),
        ("移动", False, 2000, 800, 80),
    ]
    event = AuditEvent.objects.get(action="competitiveness_wave.save")
    assert (event.actor, event.object_id, event.before) == (ops_zhou, str(wave.pk), None)
    assert event.after is not None
    # (0.8 × 1500 + 0.1 × 2000 + 0.12 × 500) / 4000 × 100; rivals: 260 / 2500 × 100
    assert (event.after["index"], event.after["retention"], event.after["market"]) == (
        36.5,
        80.0,
        10.4,
    )


def test_changing_a_wave_replaces_its_operators_and_audits_what_they_were(
    qa_zhao: User,
) -> None:
    wave = competitiveness_wave_save(
        actor=qa_zhao, wave=None, details=END_2012, operators=END_2012_OPERATORS
    )

    competitiveness_wave_save(
        actor=qa_zhao,
        wave=wave,
        details=WaveDetails("2012年末", date(2012, 12, 21)),
        operators=END_2012_OPERATORS[:2],
    )

    wave.refresh_from_db()
    assert (wave.name, wave.note) == ("2012年末", "")
    assert [row[0] for row in stored(wave)] == ["联通", "移动"]
    event = AuditEvent.objects.filter(action="competitiveness_wave.save").first()
    assert event is not None
    assert event.before is not None
    assert event.before["name"] == "2012年末口碑测评"
    assert len(event.before["operators"]) == 3


@pytest.mark.parametrize(
    ("operators", "problem"),
    [
        ([a for a in END_2012_OPERATORS if not a.ours], WaveProblem.NOT_ONE_OURS),
        (
            [*END_2012_OPERATORS[:2], OperatorAnswers("电信", 500, asked=40, choosing_us=41)],
            WaveProblem.BAD_COUNTS,
        ),
        (
            [
                OperatorAnswers(a.operator, 0, a.asked, a.choosing_us, a.ours)
                for a in MID_2013_OPERATORS
            ],
            WaveProblem.NO_SUBSCRIBERS,
        ),
    ],
)
def test_a_wave_without_an_index_is_refused_and_nothing_is_stored(
    ops_zhou: User, operators: list[OperatorAnswers], problem: WaveProblem
) -> None:
    kept = competitiveness_wave_save(
        actor=ops_zhou, wave=None, details=END_2012, operators=END_2012_OPERATORS
    )
    audited = AuditEvent.objects.count()

    with pytest.raises(WaveError) as new_refused:
        competitiveness_wave_save(actor=ops_zhou, wave=None, details=MID_2013, operators=operators)
    with pytest.raises(WaveError) as change_refused:
        competitiveness_wave_save(actor=ops_zhou, wave=kept, details=MID_2013, operators=operators)

    assert new_refused.value.problem == change_refused.value.problem == problem
    assert list(CompetitivenessWave.objects.values_list("name", flat=True)) == ["2012年末口碑测评"]
    assert len(stored(kept)) == 3
    assert AuditEvent.objects.count() == audited


def test_a_wave_is_counted_from_its_gbk_answers_file_with_broken_lines_left_out(
    tmp_path: Path, ops_zhou: User
) -> None:
    path = tmp_path / "2013年口碑测评.csv"
    path.write_bytes(ANSWERS_CSV.encode("gbk"))
    rejected: list[LineError] = []

    wave, report = competitiveness_wave_import(
        actor=ops_zhou,
        wave=None,
        details=MID_2013,
        operators=SUBSCRIBERS,
        path=str(path),
        on_error=rejected.append,
    )

    assert report == AnswersReport(read=13, rejected=2)
    assert [(error.line, "would_choose" in error.reason) for error in rejected] == [
        (7, True),
        (9, False),
    ]
    assert stored(wave) == [
        ("联通", True, 1500, 5, 4),
        ("电信", False, 500, 3, 1),
        ("移动", False, 2000, 3, 1),
    ]
    event = AuditEvent.objects.get(action="competitiveness_wave.import")
    assert event.actor == ops_zhou
    assert event.note == "2013年口碑测评.csv: 13 lines, 2 rejected"


def test_answers_from_an_operator_without_subscribers_store_nothing(
    tmp_path: Path, ops_zhou: User
) -> None:
    path = tmp_path / "wave.jsonl"
    path.write_text(
        '{"operator": "联通", "would_choose": "联通"}\n'
        '{"operator": "广电", "would_choose": "联通"}\n',
        encoding="utf-8",
    )

    with pytest.raises(WaveError) as refused:
        competitiveness_wave_import(
            actor=ops_zhou, wave=None, details=MID_2013, operators=SUBSCRIBERS, path=str(path)
        )

    assert refused.value.problem == WaveProblem.NOT_ENTERED
    assert "广电" in refused.value.operator
    assert not CompetitivenessWave.objects.exists()
    assert not AuditEvent.objects.exists()


def test_an_unreadable_answers_file_stores_nothing(tmp_path: Path, ops_zhou: User) -> None:
    path = tmp_path / "wave.csv"
    path.write_text("号码,意向\n1,联通\n", encoding="utf-8")

    with pytest.raises(UnreadableFileError):
        competitiveness_wave_import(
            actor=ops_zhou, wave=None, details=MID_2013, operators=SUBSCRIBERS, path=str(path)
        )

    assert not CompetitivenessWave.objects.exists()


def test_deleting_a_wave_removes_its_operators_and_is_audited(ops_zhou: User) -> None:
    wave = competitiveness_wave_save(
        actor=ops_zhou, wave=None, details=END_2012, operators=END_2012_OPERATORS
    )
    wave_id = wave.pk

    competitiveness_wave_delete(actor=ops_zhou, wave=wave)

    assert not CompetitivenessWave.objects.exists()
    assert not WaveOperator.objects.exists()
    event = AuditEvent.objects.get(action="competitiveness_wave.delete")
    assert event.object_id == str(wave_id)
    assert event.before is not None
    assert event.before["name"] == "2012年末口碑测评"


def test_the_waves_read_back_by_date_with_their_change_since_the_wave_before(
    ops_zhou: User,
) -> None:
    # entered out of order: the later survey first
    competitiveness_wave_save(
        actor=ops_zhou, wave=None, details=MID_2013, operators=MID_2013_OPERATORS
    )
    competitiveness_wave_save(
        actor=ops_zhou, wave=None, details=END_2012, operators=END_2012_OPERATORS
    )

    first, second = competitiveness_waves()

    assert (first.wave.name, first.change) == ("2012年末口碑测评", None)
    assert second.wave.name == "2013年上半年口碑测评"
    assert second.change is not None
    # "较2012年末上升了1.2, 其中维系竞争力提升4.4%, 市场竞争力下降0.7%"
    assert second.change.index == pytest.approx(1.2125)
    assert second.change.retention == pytest.approx(4.4)
    assert second.change.market == pytest.approx(-0.7)


def test_the_api_lists_the_waves_with_the_index_and_its_parts(
    ops_zhou: User, agent_li: User, leader_wang: User
) -> None:
    competitiveness_wave_save(
        actor=ops_zhou, wave=None, details=END_2012, operators=END_2012_OPERATORS
    )
    competitiveness_wave_save(
        actor=ops_zhou, wave=None, details=MID_2013, operators=MID_2013_OPERATORS
    )

    answer = Api(ops_zhou).get("/surveys/competitiveness")

    assert answer.status_code == 200
    first, second = answer.json()
    assert (first["name"], first["surveyed_on"], first["change"]) == (
        "2012年末口碑测评",
        "2012-12-20",
        None,
    )
    assert first["index"] == pytest.approx(36.5)
    assert first["retention"] == pytest.approx(80.0)
    assert first["market"] == pytest.approx(10.4)
    assert [o["operator"] for o in first["operators"]] == ["联通", "移动", "电信"]  # largest first
    assert first["operators"][0] == {
        "operator": "联通",
        "ours": True,
        "subscribers": 1500,
        "asked": 500,
        "choosing_us": 400,
        "share": 0.8,
    }
    assert second["index"] == pytest.approx(37.7125)
    assert second["change"]["index"] == pytest.approx(1.2125)
    assert second["change"]["market"] == pytest.approx(-0.7)
    assert Api(agent_li).get("/surveys/competitiveness").status_code == 403
    assert Api(leader_wang).get("/surveys/competitiveness").status_code == 403
