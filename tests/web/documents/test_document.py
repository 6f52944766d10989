"""The page colours a change as good or bad news by the figure's direction, not its sign."""

from __future__ import annotations

from lingting.documents.document import Column, Fmt, Num, Table


def test_more_fatal_items_is_bad_news_and_a_higher_pass_rate_good_news() -> None:
    table = Table(
        "主要指标",
        [Column("指标"), Column("本期", Fmt.NUMBER), Column("变化", Fmt.NUMBER)],
        [
            ["致命项", Num(6, Fmt.INT), Num(5, Fmt.CHANGE_INT, better=-1)],
            ["合格率", Num(0.85, Fmt.PERCENT), Num(0.003, Fmt.CHANGE_POINTS, better=1)],
            ["联络量", Num(12331, Fmt.INT), Num(8754, Fmt.CHANGE_INT)],
            ["A 类问题", Num(10, Fmt.INT), Num(0, Fmt.CHANGE_INT, better=-1)],
        ],
    )

    rows = table.html_rows()

    assert rows[0][2] == ("+5", "num change-bad")
    assert rows[1][2] == ("+0.3pp", "num change-good")
    assert rows[2][2] == ("+8,754", "num")  # more contacts is neither
    assert rows[3][2] == ("+0", "num")  # no change, no colour
    assert rows[0][0] == ("致命项", "")
