"""Report charts: well-formed SVG, escaped text, no style attributes, forecast drawn."""

from __future__ import annotations

import itertools
import xml.etree.ElementTree as ET

import pytest

from lingting.engine.charts import ForecastBand, Series, bar_chart, line_chart

SVG = "{http://www.w3.org/2000/svg}"


def _parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def test_bar_chart_draws_one_bar_per_value_and_labels_each_group() -> None:
    svg = bar_chart(
        title="各ACD组合格率",
        labels=["话费查询", "故障报修"],
        series=[Series("本月", [0.9, 0.75]), Series("上月", [0.8, None])],
        percent=True,
    )
    root = _parse(svg)

    bars = [r for r in root.iter(f"{SVG}rect") if r.find(f"{SVG}title") is not None]
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert len(bars) == 3  # the missing value draws nothing
    assert "各ACD组合格率" in texts
    assert "话费查询" in texts
    assert "故障报修" in texts
    assert "90.0%" in texts
    assert "75.0%" in texts


def test_labels_are_escaped_not_markup() -> None:
    svg = bar_chart(title='<script>"x"</script>', labels=["<b>&"], series=[Series("a&b", [3])])

    assert "<script>" not in svg
    assert "<b>" not in svg
    root = _parse(svg)  # still well-formed
    assert root.find(f"{SVG}title") is not None
    assert any(t.text == "<b>&" for t in root.iter(f"{SVG}text"))


def test_no_style_attributes_for_the_csp() -> None:
    for svg in (
        bar_chart(title="t", labels=["a"], series=[Series("s", [1])]),
        line_chart(
            title="t",
            labels=["a", "b"],
            series=[Series("s", [1, 2])],
            forecast=[ForecastBand("c", 3, 2, 4)],
        ),
    ):
        assert " style=" not in svg
        assert "<script" not in svg


def test_line_chart_extends_with_a_dashed_forecast_and_its_band() -> None:
    svg = line_chart(
        title="合格率趋势",
        labels=["2026-08", "2026-09", "2026-10"],
        series=[Series("自动质检合格率", [0.8, 0.82, 0.85])],
        forecast=[ForecastBand("2026-11", 0.87, 0.83, 0.91)],
        forecast_name="预测",
        percent=True,
    )
    root = _parse(svg)

    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert "2026-11" in texts  # the forecast period is on the axis
    assert "87.0%" in texts
    assert "预测" in texts
    assert any(line.get("stroke-dasharray") for line in root.iter(f"{SVG}line"))
    band = [r for r in root.iter(f"{SVG}rect") if r.get("fill-opacity")]
    assert len(band) == 1
    assert float(band[0].get("height", "0")) > 1


def test_a_series_of_the_wrong_length_is_refused() -> None:
    with pytest.raises(ValueError, match="2 values for 3"):
        line_chart(title="t", labels=["a", "b", "c"], series=[Series("s", [1, 2])])


def test_an_empty_chart_is_still_a_picture() -> None:
    root = _parse(bar_chart(title="空", labels=[], series=[]))

    assert root.get("width") == "640"


def test_a_month_of_days_labels_every_few_days_without_overlap() -> None:
    days = [f"2026-10-{d:02d}" for d in range(1, 32)]
    root = _parse(line_chart(title="接通率", labels=days, series=[Series("接通率", [0.9] * 31)]))

    shown = [t for t in root.iter(f"{SVG}text") if t.text in days]
    xs = [float(t.get("x", "0")) for t in shown]
    assert shown[0].text == "2026-10-01"
    assert 4 <= len(shown) < len(days)
    label_width = 10 * 5.6  # ten digits and dashes at font-size 10
    assert min(b - a for a, b in itertools.pairwise(xs)) >= label_width


def test_few_labels_are_all_shown() -> None:
    months = ["2026-08", "2026-09", "2026-10"]
    root = _parse(line_chart(title="t", labels=months, series=[Series("s", [1, 2, 3])]))

    assert [t.text for t in root.iter(f"{SVG}text") if t.text in months] == months


def test_crowded_category_names_slant_and_each_is_still_shown() -> None:
    items = [f"服务规范检查项目之细则说明{n}" for n in range(16)]
    root = _parse(
        bar_chart(title="扣分准确率", labels=items, series=[Series("准确率", [1.0] * 16)])
    )

    names = [t for t in root.iter(f"{SVG}text") if t.text and t.text.startswith("服务")]
    assert len(names) == len(items)
    assert all(t.get("transform", "").startswith("rotate(-") for t in names)
    assert all(t.text and t.text.endswith("…") for t in names)  # shortened to the room
    tooltips = [t.text for t in root.iter(f"{SVG}title")]
    assert all(any(item in (tip or "") for tip in tooltips) for item in items)
