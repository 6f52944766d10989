"""Survey results and CSAT (top-two-box) / very-satisfied share / NPS (promoters 9–10 minus
detractors 0–6, recommend answers only) / response rate: hand-computed figures with their
margins, other scales, the file format (with its optional question) and its broken lines,
and properties."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lingting.engine.csat import (
    CsatTotals,
    InvitationTotals,
    SurveyResult,
    is_satisfied,
    is_very_satisfied,
    read_survey_results,
    survey_from_record,
)
from lingting.engine.reader import LineError
from lingting.engine.records import RecordError
from lingting.engine.survey_figures import NPS_SCALE, RECOMMEND, SATISFACTION

SHANGHAI = ZoneInfo("Asia/Shanghai")


def test_csat_is_the_top_two_boxes_and_very_satisfied_the_top_one() -> None:
    totals = CsatTotals()
    for score in (5, 5, 4, 3, 1, 4, 5, 2):
        totals.add(score)
    assert totals.responses == 8
    assert totals.csat == 0.625  # 5, 5, 4, 4, 5 of 8
    assert totals.very_satisfied_share == 0.375  # three 5s of 8


def test_other_scales_use_their_own_top_boxes() -> None:
    assert is_satisfied(9, 10)
    assert not is_satisfied(8, 10)
    assert is_very_satisfied(10, 10)
    assert not is_very_satisfied(5, 10)
    assert is_satisfied(2, 3)
    assert not is_satisfied(1, 3)


def test_no_responses_give_no_figure_rather_than_zero() -> None:
    assert CsatTotals().csat is None
    assert CsatTotals().very_satisfied_share is None


def test_merged_totals_equal_one_pass() -> None:
    morning, afternoon, day = CsatTotals(), CsatTotals(), CsatTotals()
    for score in (5, 3):
        morning.add(score)
        day.add(score)
    for score in (4, 4, 1):
        afternoon.add(score)
        day.add(score)
    morning.merge(afternoon)
    assert morning == day


def test_survey_file_keeps_good_lines_and_explains_bad_ones(tmp_path: Path) -> None:
    path = tmp_path / "surveys.jsonl"
    path.write_text(
        "\n".join(
            [
                '{"contact_id": "C1", "score": 5, "answered_at": "2026-10-01T09:07:00+08:00",'
                ' "channel": "SMS", "comment": "很好"}',
                '{"contact_id": "C2", "score": 9, "scale": 10, "answered_at":'
                ' "2026-10-01T09:08:00", "channel": "web"}',
                '{"contact_id": "C3", "score": 6, "answered_at": "2026-10-01T09:09:00",'
                ' "channel": "ivr"}',
                '{"contact_id": "C4", "score": 4, "answered_at": "2026-10-01T09:09:00",'
                ' "channel": "fax"}',
                '{"score": 4, "answered_at": "2026-10-01T09:09:00", "channel": "ivr"}',
                '{"contact_id": "C6", "score": "好", "answered_at": "2026-10-01",'
                ' "channel": "ivr"}',
            ]
        ),
        encoding="utf-8",
    )
    results = list(read_survey_results(str(path), tz=SHANGHAI))
    good = [r for r in results if isinstance(r, tuple)]
    assert good[0] == (
        1,
        SurveyResult("C1", 5, datetime(2026, 10, 1, 9, 7, tzinfo=SHANGHAI), "sms", comment="很好"),
    )
    assert good[1][1].scale == 10
    assert good[1][1].answered_at.tzinfo is SHANGHAI
    errors = [r for r in results if isinstance(r, LineError)]
    assert [e.line for e in errors] == [3, 4, 5, 6]
    assert "between 1 and 5" in errors[0].reason
    assert "'channel'" in errors[1].reason
    assert "contact_id" in errors[2].reason
    assert "whole number" in errors[3].reason


def test_survey_csv_in_gbk(tmp_path: Path) -> None:
    path = tmp_path / "surveys.csv"
    path.write_bytes(
        "contact_id,score,answered_at,channel,comment\n"
        "C1,2,2026-10-01T09:07:00+08:00,ivr,等太久了\n".encode("gbk")
    )
    [(line, result)] = list(read_survey_results(str(path), tz=SHANGHAI))  # type: ignore[misc]
    assert line == 2
    assert result.comment == "等太久了"
    assert result.score == 2


@given(st.lists(st.integers(1, 5)))
def test_very_satisfied_is_part_of_satisfied(scores: list[int]) -> None:
    totals = CsatTotals()
    for score in scores:
        totals.add(score)
    if scores:
        assert totals.csat is not None
        assert totals.very_satisfied_share is not None
        assert 0 <= totals.very_satisfied_share <= totals.csat <= 1


def test_nps_counts_only_recommend_answers_and_csat_only_satisfaction_ones() -> None:
    totals = CsatTotals()
    for score in (5, 4, 2):
        totals.add(score)
    for score in (10, 9, 9, 8, 7, 6, 0, 10, 3, 9):  # 5 promoters, 3 detractors of 10
        totals.add(score, NPS_SCALE, RECOMMEND)

    assert (totals.responses, totals.recommends, totals.answers) == (3, 10, 13)
    assert totals.csat == 0.6667  # 5 and 4 of 5, 4, 2: a 10 or a 9 is no satisfaction answer
    assert totals.very_satisfied_share == 0.3333
    assert totals.nps == 20.0  # 50% promoters − 30% detractors
    # adjusted Wald, P′ = 5.75/13, D′ = 3.75/13: ±1.96·√((P′ + D′ − (P′ − D′)²)/13)·100 = ±45.7
    assert totals.nps_estimate.margin == pytest.approx(45.7, abs=0.1)


def test_an_nps_of_a_hundred_answers_moves_about_fifteen_points() -> None:
    totals = CsatTotals()
    for score in [10] * 45 + [8] * 25 + [5] * 30:
        totals.add(score, NPS_SCALE, RECOMMEND)

    assert totals.nps == 15.0
    assert totals.nps_estimate.margin == pytest.approx(16.4, abs=0.1)
    assert totals.csat is None  # no satisfaction answers: no figure, not 0


def test_seven_and_eight_are_passives_counted_in_the_base_only() -> None:
    passives = CsatTotals()
    for score in (7, 8):
        passives.add(score, NPS_SCALE, RECOMMEND)

    assert passives.nps == 0.0
    assert CsatTotals().nps is None


def test_merged_totals_carry_the_recommend_answers() -> None:
    one, other, both = CsatTotals(), CsatTotals(), CsatTotals()
    for totals, score in ((one, 10), (other, 0), (other, 8)):
        totals.add(score, NPS_SCALE, RECOMMEND)
        both.add(score, NPS_SCALE, RECOMMEND)
    one.add(5)
    both.add(5)

    one.merge(other)

    assert one == both
    assert one.nps == 0.0


def test_the_response_rate_is_the_answered_share_of_the_invitations_sent() -> None:
    totals, later = InvitationTotals(sent=80, answered=20), InvitationTotals(sent=20, answered=5)
    totals.merge(later)

    assert totals.response_rate == 0.25
    assert totals.response_rate_estimate.margin == pytest.approx(0.084, abs=0.001)
    assert InvitationTotals().response_rate is None


def _record(**fields: object) -> dict[str, object]:
    return {"contact_id": "C1", "answered_at": "2026-10-01T09:00:00+08:00", "channel": "sms"} | {
        **fields
    }


def test_a_record_may_answer_the_recommend_question_from_0_to_10() -> None:
    zero = survey_from_record(_record(question="nps", score=0), tz=SHANGHAI)
    ten = survey_from_record(_record(question=" NPS ", score="10", scale="10"), tz=SHANGHAI)
    plain = survey_from_record(_record(score=5, question=""), tz=SHANGHAI)

    assert (zero.question, zero.score, zero.scale) == (RECOMMEND, 0, NPS_SCALE)
    assert (ten.question, ten.score) == (RECOMMEND, 10)
    assert plain.question == SATISFACTION


@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        ({"question": "ces", "score": 3}, "'question' must be csat"),
        ({"question": 1, "score": 3}, "'question' must be csat"),
        ({"question": "nps", "score": 11}, "between 0 and 10, not 11"),
        ({"question": "nps", "score": -1}, "between 0 and 10"),
        ({"question": "nps", "score": 5, "scale": 5}, "'scale' of an nps answer is 10"),
        ({"question": "csat", "score": 0}, "between 1 and 5, not 0"),
    ],
)
def test_a_bad_question_or_a_score_off_its_scale_is_refused_with_the_reason(
    fields: dict[str, object], reason: str
) -> None:
    with pytest.raises(RecordError, match=reason):
        survey_from_record(_record(**fields), tz=SHANGHAI)


def test_a_survey_csv_may_name_the_question_and_its_bad_lines_are_numbered(
    tmp_path: Path,
) -> None:
    path = tmp_path / "surveys.csv"
    path.write_text(
        "contact_id,score,answered_at,channel,question\n"
        "C1,9,2026-10-01T09:07:00+08:00,sms,nps\n"
        "C2,4,2026-10-01T09:08:00+08:00,sms,\n"
        "C3,9,2026-10-01T09:09:00+08:00,sms,recommend\n",
        encoding="utf-8",
    )

    results = list(read_survey_results(str(path), tz=SHANGHAI))

    assert [r[1].question for r in results if isinstance(r, tuple)] == [RECOMMEND, SATISFACTION]
    [error] = [r for r in results if isinstance(r, LineError)]
    assert error.line == 4
    assert "'question'" in error.reason
    assert "recommend" in error.reason


@given(st.lists(st.integers(0, 10)))
def test_nps_is_promoters_minus_detractors_within_its_interval(scores: list[int]) -> None:
    totals = CsatTotals()
    for score in scores:
        totals.add(score, NPS_SCALE, RECOMMEND)
    estimate = totals.nps_estimate
    if not scores:
        assert totals.nps is None
        return
    promoters = sum(score >= 9 for score in scores)
    detractors = sum(score <= 6 for score in scores)
    assert totals.nps == round((promoters - detractors) / len(scores) * 100, 1)
    assert estimate.low is not None
    assert estimate.value is not None
    assert estimate.high is not None
    assert -100 <= estimate.low <= estimate.value <= estimate.high <= 100
