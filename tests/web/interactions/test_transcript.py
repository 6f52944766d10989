"""The transcript's segmentation: evidence and personal numbers cut a turn into pieces."""

from __future__ import annotations

import pytest

from lingting.interactions.transcript import (
    Highlight,
    Segment,
    covered_text,
    evidence_anchor,
    format_clock,
    merge_spans,
    split_segments,
)


def texts(segments: list[Segment]) -> list[str]:
    return [s.text for s in segments]


def test_text_without_spans_is_one_plain_segment() -> None:
    assert split_segments("您好，请问有什么可以帮您？") == [Segment("您好，请问有什么可以帮您？")]


def test_empty_text_has_no_segments() -> None:
    assert split_segments("") == []


def test_evidence_is_cut_out_by_character_offsets_of_chinese_text() -> None:
    text = "你自己去查吧，我不知道。"
    segments = split_segments(text, [Highlight(0, 5, "ev-forbidden_phrases-0", "服务禁语")])

    assert texts(segments) == ["你自己去查", "吧，我不知道。"]
    first, rest = segments
    assert first.marked
    assert first.anchor_id == "ev-forbidden_phrases-0"
    assert first.title == "服务禁语"
    assert not rest.marked
    assert rest.anchor_id == ""


def test_overlapping_evidence_splits_at_every_boundary() -> None:
    a = Highlight(0, 4, "ev-a-0", "甲")
    b = Highlight(2, 6, "ev-b-0", "乙")
    segments = split_segments("一二三四五六七", [a, b])

    assert texts(segments) == ["一二", "三四", "五六", "七"]
    assert [s.covered_by for s in segments] == [
        ("ev-a-0",),
        ("ev-a-0", "ev-b-0"),
        ("ev-b-0",),
        (),
    ]
    assert [s.anchors for s in segments] == [("ev-a-0",), ("ev-b-0",), (), ()]
    assert segments[1].title == "甲、乙"


def test_two_evidence_spans_starting_together_keep_both_anchors() -> None:
    segments = split_segments(
        "滚蛋", [Highlight(0, 2, "ev-insults-0"), Highlight(0, 2, "ev-forbidden_phrases-0")]
    )

    assert len(segments) == 1
    assert segments[0].anchor_id == "ev-insults-0"
    assert segments[0].extra_anchor_ids == ("ev-forbidden_phrases-0",)


def test_zero_length_evidence_is_an_empty_marked_point() -> None:
    segments = split_segments("喂？", [Highlight(2, 2, "ev-dead_air-0", "冷场")])

    assert texts(segments) == ["喂？", ""]
    assert segments[1].marked
    assert segments[1].anchor_id == "ev-dead_air-0"


def test_offsets_outside_the_text_are_clamped() -> None:
    segments = split_segments("好的", [Highlight(-3, 99, "ev-x-0")])

    assert texts(segments) == ["好的"]
    assert segments[0].anchor_id == "ev-x-0"


def test_personal_number_segments_take_the_masked_text() -> None:
    text = "手机13812345678"
    shown = "手机138****5678"
    segments = split_segments(text, personal=[(2, 13)], shown=shown)

    assert texts(segments) == ["手机", "138****5678"]
    assert segments[1].personal
    assert not segments[0].personal


def test_evidence_cutting_a_personal_number_masks_each_piece() -> None:
    text = "号码是13812345678"
    shown = "号码是138****5678"
    anchor = "ev-identity_check-0"
    segments = split_segments(text, [Highlight(0, 9, anchor)], [(3, 14)], shown=shown)

    assert texts(segments) == ["号码是", "138***", "*5678"]
    assert covered_text(segments, anchor) == "号码是138***"
    assert "12345" not in "".join(texts(segments))


def test_shown_text_must_keep_offsets() -> None:
    with pytest.raises(ValueError, match="offsets"):
        split_segments("13812345678", personal=[(0, 11)], shown="***")


def test_merge_spans_joins_overlaps_and_drops_empty_ones() -> None:
    assert merge_spans([(5, 9), (0, 3), (2, 4), (7, 7), (8, 20)], 12) == [(0, 4), (5, 12)]


@pytest.mark.parametrize(
    ("seconds", "clock"),
    [(None, ""), (0, "0:00"), (12.4, "0:12"), (95, "1:35"), (3725, "1:02:05"), (-1, "0:00")],
)
def test_format_clock(seconds: float | None, clock: str) -> None:
    assert format_clock(seconds) == clock


def test_evidence_anchor_names_item_and_position() -> None:
    assert evidence_anchor("forbidden_phrases", 0) == "ev-forbidden_phrases-0"
