"""Seed 004 篇1's service competitiveness index and its retention and market parts."""

from __future__ import annotations

from pathlib import Path

import pytest

from lingting.engine.competitiveness import (
    ChoiceAnswer,
    OperatorAnswers,
    OperatorSubscribers,
    WaveError,
    WaveProblem,
    competitiveness,
    competitiveness_change,
    competitiveness_trend,
    read_choice_answers,
    tally_answers,
)
from lingting.engine.reader import LineError, UnreadableFileError

WAVE = [
    OperatorAnswers("联通", subscribers=1_000, asked=400, choosing_us=320, ours=True),
    OperatorAnswers("移动", subscribers=3_000, asked=600, choosing_us=60),
    OperatorAnswers("电信", subscribers=1_000, asked=300, choosing_us=45),
]


def test_the_index_weights_each_operators_choice_by_its_subscribers() -> None:
    figures = competitiveness(WAVE)

    # (0.8 × 1000 + 0.1 × 3000 + 0.15 × 1000) / 5000 × 100
    assert figures.index == pytest.approx(25.0)
    assert figures.retention == pytest.approx(80.0)
    # (0.1 × 3000 + 0.15 × 1000) / 4000 × 100
    assert figures.market == pytest.approx(11.25)


def test_a_wave_of_our_users_only_has_no_market_part() -> None:
    figures = competitiveness(WAVE[:1])

    assert figures.index == figures.retention == pytest.approx(80.0)
    assert figures.market is None


@pytest.mark.parametrize(
    "wave",
    [
        WAVE[1:],  # no operator of ours
        [*WAVE, OperatorAnswers("其他", 10, 0, 0)],  # nobody asked
        [*WAVE[:2], OperatorAnswers("电信", 1000, 10, 11)],  # more choosing us than asked
    ],
)
def test_a_wave_that_cannot_give_an_index_says_why(wave: list[OperatorAnswers]) -> None:
    with pytest.raises(WaveError):
        competitiveness(wave)


@pytest.mark.parametrize(
    ("wave", "problem"),
    [
        (WAVE[1:], WaveProblem.NOT_ONE_OURS),
        ([*WAVE, OperatorAnswers("移动 ", 10, 5, 1)], WaveProblem.NAMED_TWICE),
        ([*WAVE, OperatorAnswers(" ", 10, 5, 1)], WaveProblem.UNNAMED),
        ([*WAVE[:2], OperatorAnswers("电信", 1000, 10, 11)], WaveProblem.BAD_COUNTS),
        ([*WAVE, OperatorAnswers("其他", 10, 0, 0)], WaveProblem.NONE_ASKED),
        ([OperatorAnswers(a.operator, 0, a.asked, a.choosing_us, a.ours) for a in WAVE], None),
    ],
)
def test_the_refusal_names_its_problem_for_the_pages_to_say(
    wave: list[OperatorAnswers], problem: WaveProblem | None
) -> None:
    with pytest.raises(WaveError) as refused:
        competitiveness(wave)

    assert refused.value.problem == (problem or WaveProblem.NO_SUBSCRIBERS)


# --- the trend, worked by hand ------------------------------------------------------------

# Seed 004 篇1: "较2012年末上升了1.2, 其中维系竞争力提升4.4%, 市场竞争力下降0.7%".
# Subscribers (thousands) as in both waves: ours 1500, 移动 2000, 电信 500; total 4000.
END_2012 = [
    OperatorAnswers("联通", subscribers=1_500, asked=500, choosing_us=400, ours=True),  # 80%
    OperatorAnswers("移动", subscribers=2_000, asked=800, choosing_us=80),  # 10%
    OperatorAnswers("电信", subscribers=500, asked=400, choosing_us=48),  # 12%
]
MID_2013 = [
    OperatorAnswers("联通", subscribers=1_500, asked=500, choosing_us=422, ours=True),  # 84.4%
    OperatorAnswers("移动", subscribers=2_000, asked=800, choosing_us=73),  # 9.125%
    OperatorAnswers("电信", subscribers=500, asked=400, choosing_us=48),  # 12%
]


def test_the_seed_example_worked_by_hand() -> None:
    before, after = competitiveness(END_2012), competitiveness(MID_2013)

    # 2012: (0.8 × 1500 + 0.1 × 2000 + 0.12 × 500) / 4000 = (1200 + 200 + 60) / 4000
    assert before.index == pytest.approx(36.5)
    assert before.retention == pytest.approx(80.0)
    assert before.market == pytest.approx(10.4)  # (200 + 60) / 2500
    # 2013: (0.844 × 1500 + 0.09125 × 2000 + 0.12 × 500) / 4000 = (1266 + 182.5 + 60) / 4000
    assert after.index == pytest.approx(37.7125)
    assert after.market == pytest.approx(9.7)  # (182.5 + 60) / 2500
    change = competitiveness_change(before, after)
    assert change.index == pytest.approx(1.2125)  # "上升了1.2"
    assert change.retention == pytest.approx(4.4)  # "维系竞争力提升4.4"
    assert change.market == pytest.approx(-0.7)  # "市场竞争力下降0.7"


def test_the_trend_compares_each_wave_with_the_one_before() -> None:
    ours_only = competitiveness(MID_2013[:1])
    waves = [competitiveness(END_2012), competitiveness(MID_2013), ours_only]

    first, second, third = competitiveness_trend(waves)

    assert first is None
    assert second is not None
    assert second.index == pytest.approx(1.2125)
    # the third wave asked no rival's users: no market part to compare
    assert third is not None
    assert third.index == pytest.approx(84.4 - 37.7125)
    assert third.retention == pytest.approx(0.0)
    assert third.market is None
    assert competitiveness_trend([]) == []


# --- the answers file ---------------------------------------------------------------------

ANSWERS_CSV = """\
受访者,运营商,选择意向
1,联通,联通
2,联通,联通
3,联通,移动
4,移动,联通
5,移动,移动
6,移动,不确定
7,电信,联通
8,电信,
9,电信,电信,多余
10,电信,电信
"""

THREE_OPERATORS = [
    OperatorSubscribers("联通", 1500, ours=True),
    OperatorSubscribers("移动", 2000),
    OperatorSubscribers("电信", 500),
]


def read(path: Path) -> tuple[list[ChoiceAnswer], dict[int, str]]:
    answers: list[ChoiceAnswer] = []
    errors: dict[int, str] = {}
    for item in read_choice_answers(str(path)):
        if isinstance(item, LineError):
            errors[item.line] = item.reason
        else:
            answers.append(item[1])
    return answers, errors


def test_a_gbk_csv_with_chinese_headers_is_tallied_and_its_broken_lines_reported(
    tmp_path: Path,
) -> None:
    path = tmp_path / "口碑测评.csv"
    path.write_bytes(ANSWERS_CSV.encode("gbk"))

    answers, errors = read(path)
    wave = tally_answers(answers, THREE_OPERATORS)

    assert sorted(errors) == [9, 10]  # the header is line 1
    assert "would_choose" in errors[9]
    assert "more cells" in errors[10]
    assert wave == [
        OperatorAnswers("联通", 1500, asked=3, choosing_us=2, ours=True),
        OperatorAnswers("移动", 2000, asked=3, choosing_us=1),
        OperatorAnswers("电信", 500, asked=2, choosing_us=1),
    ]


def test_json_lines_take_either_spelling_and_match_operators_regardless_of_case(
    tmp_path: Path,
) -> None:
    path = tmp_path / "wave.jsonl"
    path.write_text(
        '{"operator": "CMCC", "would_choose": "cucc"}\n'
        "not json\n"
        '{"运营商": "cucc ", "选择意向": "CUCC"}\n'
        '{"operator": "CUCC"}\n'
        "[1, 2]\n",
        encoding="utf-8",
    )

    answers, errors = read(path)
    wave = tally_answers(
        answers, [OperatorSubscribers("CUCC", 10, ours=True), OperatorSubscribers("CMCC", 30)]
    )

    assert sorted(errors) == [2, 4, 5]
    assert "would_choose" in errors[4]
    assert wave == [
        OperatorAnswers("CUCC", 10, asked=1, choosing_us=1, ours=True),
        OperatorAnswers("CMCC", 30, asked=1, choosing_us=1),
    ]


def test_a_csv_without_an_operator_column_is_refused_whole(tmp_path: Path) -> None:
    path = tmp_path / "wave.csv"
    path.write_text("carrier,would_choose\n联通,联通\n", encoding="utf-8")

    with pytest.raises(UnreadableFileError, match="operator"):
        list(read_choice_answers(str(path)))


def test_respondents_of_an_operator_without_subscribers_refuse_the_tally() -> None:
    answers = [
        ChoiceAnswer("联通", "联通"),
        ChoiceAnswer("广电", "联通"),
        ChoiceAnswer("广电", "广电"),
    ]

    with pytest.raises(WaveError) as refused:
        tally_answers(answers, THREE_OPERATORS[:1])

    assert refused.value.problem == WaveProblem.NOT_ENTERED
    assert refused.value.operator == "广电 (2)"


def test_an_operator_entered_but_not_in_the_file_has_nobody_asked() -> None:
    wave = tally_answers([ChoiceAnswer("联通", "联通")], THREE_OPERATORS)

    with pytest.raises(WaveError) as refused:
        competitiveness(wave)

    assert (refused.value.problem, refused.value.operator) == (WaveProblem.NONE_ASKED, "移动")
