"""The waveform's drawing and the figures row, from what a listening stores."""

from __future__ import annotations

from typing import Any

import pytest

from lingting.interactions.waveform_layout import (
    MAX_COLUMNS,
    WIDTH,
    Deduction,
    sound_figures,
    waveform_layout,
)
from tests.web.interactions.heard_call import STEREO_METRICS


def stereo(agent: list[Any], customer: list[Any], duration: float = 12.0) -> dict[str, Any]:
    return {"duration_s": duration, "lanes": {"agent": agent, "customer": customer}}


def test_a_stereo_call_draws_the_agent_above_the_customer() -> None:
    drawing = waveform_layout(stereo([0.5] * 10, [0.2] * 10), STEREO_METRICS)

    assert drawing is not None
    agent, customer = drawing.lanes
    assert (agent.speaker, customer.speaker) == ("agent", "customer")
    assert agent.top + agent.height <= customer.top
    assert drawing.stereo


def test_a_lanes_outline_reaches_as_far_from_its_middle_as_the_peak_is_loud() -> None:
    drawing = waveform_layout(stereo([1.0, 0.0], [0.5, 0.5]), STEREO_METRICS)

    assert drawing is not None
    agent = drawing.lanes[0]
    reach = agent.height / 2 - 1
    # Two columns: centred at a quarter and three quarters of the width.
    assert f"L250 {agent.middle - reach:g}" in agent.outline
    assert f"L750 {agent.middle:g}" in agent.outline
    assert agent.outline.startswith(f"M0 {agent.middle:g}")
    assert agent.outline.endswith("Z")


def test_dead_air_and_overtalk_are_shaded_where_they_happened() -> None:
    drawing = waveform_layout(stereo([0.1] * 4, [0.1] * 4), STEREO_METRICS)

    assert drawing is not None
    shaded = {(s.kind, s.start, s.end, s.x, s.width) for s in drawing.spans}
    # 12 s across 1000 units: dead air 6.0–8.5 s, the customer starting over the agent 2.6–3.0 s.
    assert shaded == {("silence", 6.0, 8.5, 500.0, 208.3), ("overtalk", 2.6, 3.0, 216.7, 33.3)}


def test_an_interruption_is_a_notch_on_the_lane_of_who_started_talking() -> None:
    drawing = waveform_layout(stereo([0.1] * 4, [0.1] * 4), STEREO_METRICS)

    assert drawing is not None
    (notch,) = drawing.interruptions
    assert (notch.by, notch.at, notch.x, notch.top) == (
        "customer",
        2.6,
        216.7,
        drawing.lanes[1].top,
    )


def test_a_mono_call_is_one_lane_with_no_overtalk_or_interruption() -> None:
    metrics = {**STEREO_METRICS, "channels": 1}
    drawing = waveform_layout({"duration_s": 12.0, "lanes": {"mono": [0.3] * 5}}, metrics)

    assert drawing is not None
    assert [lane.speaker for lane in drawing.lanes] == ["mono"]
    assert not drawing.stereo
    assert {span.kind for span in drawing.spans} == {"silence"}
    assert drawing.interruptions == []


@pytest.mark.parametrize(
    "stored",
    [
        None,
        "peaks",
        {"duration_s": 12.0},
        {"duration_s": 12.0, "lanes": {"agent": [0.1]}},  # half a stereo call
        {"duration_s": 0, "lanes": {"mono": [0.1]}},
        {"duration_s": "12", "lanes": {"mono": [0.1]}},
    ],
    ids=["none", "text", "no-lanes", "one-of-two", "no-duration", "duration-as-text"],
)
def test_a_stored_waveform_that_cannot_be_drawn_draws_nothing(stored: object) -> None:
    assert waveform_layout(stored, {}) is None


def test_the_duration_comes_from_the_metrics_when_the_waveform_lacks_it() -> None:
    drawing = waveform_layout({"lanes": {"mono": [0.1]}}, {"duration_s": 30.0})

    assert drawing is not None
    assert drawing.duration_s == 30.0


def test_peaks_that_are_not_0_to_1_numbers_are_read_as_quiet_or_full() -> None:
    drawing = waveform_layout(
        stereo(["loud", None, float("nan"), 2.5, -1, True, 10**400], [0.0] * 7),
        STEREO_METRICS,
    )

    assert drawing is not None
    agent = drawing.lanes[0]
    top_edge = agent.outline.split(f"L{WIDTH:g} ")[0]
    heights = [float(point.split(" ")[1]) for point in top_edge.split("L")[1:]]
    full = agent.middle - (agent.height / 2 - 1)
    assert heights == [agent.middle] * 3 + [full, agent.middle, agent.middle, agent.middle]


def test_many_peaks_are_pooled_into_columns_keeping_the_loudest() -> None:
    peaks = [0.0] * (MAX_COLUMNS * 3)
    peaks[7] = 0.9
    drawing = waveform_layout(stereo(peaks, peaks), STEREO_METRICS)

    assert drawing is not None
    points = drawing.lanes[0].outline.count("L")
    assert points == 2 * MAX_COLUMNS + 1  # each column above and below, and the far end
    # Peak 7 is in the third column (peaks 6–8), centred at 2.5 of 500 columns across 1000.
    agent = drawing.lanes[0]
    assert f"L3 {agent.middle:g}L5 {agent.middle - 0.9 * (agent.height / 2 - 1):.1f}L7 " in (
        agent.outline
    )


def test_silences_and_segments_that_are_not_spans_are_left_out() -> None:
    metrics = {
        "silences": [{"start": 5.0}, "6-7", {"start": 9.0, "end": 8.0}, {"start": 1, "end": 2}],
        "segments": [{"speaker": "robot", "start": 0, "end": 5}, None],
    }
    drawing = waveform_layout(stereo([0.1], [0.1], duration=10.0), metrics)

    assert drawing is not None
    assert [(s.kind, s.start, s.end) for s in drawing.spans] == [("silence", 1.0, 2.0)]


def test_the_time_axis_has_a_few_round_ticks_across_the_call() -> None:
    short = waveform_layout(stereo([0.1], [0.1], duration=12.0), {})
    hour = waveform_layout(stereo([0.1], [0.1], duration=3725.0), {})

    assert short is not None
    assert hour is not None
    assert [t.label for t in short.ticks] == [
        "0:00",
        "0:02",
        "0:04",
        "0:06",
        "0:08",
        "0:10",
        "0:12",
    ]
    assert [t.label for t in hour.ticks] == [
        "0:00",
        "10:00",
        "20:00",
        "30:00",
        "40:00",
        "50:00",
        "1:00:00",
    ]
    assert (short.ticks[0].anchor, short.ticks[1].anchor, short.ticks[-1].anchor) == (
        "start",
        "middle",
        "end",
    )


def test_deductions_are_numbered_in_the_order_they_are_heard() -> None:
    drawing = waveform_layout(stereo([0.1], [0.1]), STEREO_METRICS)

    assert drawing is not None
    marks = drawing.marks(
        [
            Deduction(at=8.5, title="服务禁语", anchor="ev-forbidden_phrases-0"),
            Deduction(at=6.0, title="冷场", anchor="ev-dead_air-0"),
            Deduction(at=8.5, title="服务禁语", anchor="ev-forbidden_phrases-1"),  # same turn
            Deduction(at=40.0, title="结束语", anchor="ev-closing-0"),  # past the recording
        ]
    )

    assert [(m.number, m.title, m.clock, m.x) for m in marks] == [
        (1, "冷场", "0:06", 500.0),
        (2, "服务禁语", "0:08", 708.3),
        (3, "结束语", "0:40", None),
    ]


def test_a_badge_at_the_very_start_or_end_stays_inside_the_drawing() -> None:
    drawing = waveform_layout(stereo([0.1], [0.1]), STEREO_METRICS)

    assert drawing is not None
    first, last = drawing.marks([Deduction(0.0, "开场白", "a"), Deduction(12.0, "结束语", "b")])
    assert first.badge_x - drawing.badge_radius >= 0
    assert last.badge_x + drawing.badge_radius <= drawing.width


def test_the_figures_of_a_stereo_call() -> None:
    figures = sound_figures(STEREO_METRICS)

    assert figures is not None
    assert figures.stereo
    assert (figures.agent_level_dbfs, figures.customer_level_dbfs) == (-18.2, -24.6)
    assert figures.agent_talk_percent == 62  # 5.5 of 8.9 s of talk
    assert (figures.silence_count, figures.dead_air_s, figures.longest_silence_s) == (1, 2.5, 2.5)
    assert (figures.agent_interruptions, figures.customer_interruptions) == (0, 1)


def test_a_mono_call_has_no_per_speaker_figure() -> None:
    metrics = {
        "channels": 1,
        "duration_s": 12.0,
        "speech_s": 9.0,
        "agent_talk_s": None,
        "customer_talk_s": None,
        "agent_level_dbfs": None,
        "silences": [{"start": 1.0, "end": 2.0}, {"start": 4.0, "end": 7.0}],
    }

    figures = sound_figures(metrics)

    assert figures is not None
    assert not figures.stereo
    assert figures.agent_talk_percent is None
    assert figures.agent_level_dbfs is None
    # No longest silence stated: the longest listed.
    assert (figures.silence_count, figures.dead_air_s, figures.longest_silence_s) == (2, 4.0, 3.0)


def test_metrics_that_are_not_an_object_have_no_figures() -> None:
    assert sound_figures(None) is None
    assert sound_figures(["channels", 2]) is None
