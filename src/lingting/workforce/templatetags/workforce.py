"""Small display filters of the workforce pages."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lingting.engine.occupancy import StateTotals
from lingting.workforce.intraday_document import activity_name, did_text
from lingting.workforce.selectors import TeamBoard

register = template.Library()


@register.filter
def hours_minutes(seconds: float | None) -> str:
    """7530 → "2:05" (hours and minutes, rounded to the minute)."""
    if seconds is None:
        return "—"
    minutes = round(seconds / 60)
    return f"{minutes // 60}:{minutes % 60:02d}"


@register.filter
def percent(value: float | None) -> str:
    """0.8234 → "82.3%"; None → "—"."""
    return "—" if value is None else f"{value * 100:.1f}%"


_SEGMENTS = (
    ("busy", "busy_s"),
    ("acw", "acw_s"),
    ("ready", "ready_s"),
    ("not-ready", "not_ready_s"),
)


@register.filter
def state_segments(totals: StateTotals) -> list[tuple[str, float, float]]:
    """(state, x, width) of each state's share of the logged-in time, on a 0–100 bar."""
    whole = totals.logged_in_s
    segments: list[tuple[str, float, float]] = []
    x = 0.0
    for name, attribute in _SEGMENTS:
        width = getattr(totals, attribute) * 100 / whole if whole else 0.0
        if width > 0:
            segments.append((name, round(x, 2), round(width, 2)))
        x += width
    return segments


CHART_TOP, CHART_HEIGHT, SLOT = 22.0, 96.0, 20.0


@register.filter
def hour_bars(board: TeamBoard) -> list[dict[str, object]]:
    """Where each hour's bar, call count and satisfaction go in the 480×150 hour chart."""
    busiest = board.busiest or 1
    bars: list[dict[str, object]] = []
    for figures in board.hours:
        height = round(figures.calls * CHART_HEIGHT / busiest, 1)
        top = CHART_TOP + CHART_HEIGHT - height
        csat = figures.satisfaction.csat
        bars.append(
            {
                "hour": figures.hour,
                "x": figures.hour * SLOT + 3,
                "mid": figures.hour * SLOT + SLOT / 2,
                "y": top,
                "height": height,
                "calls": figures.calls,
                "label_y": top - 3,
                "csat": None if csat is None else round(csat * 100),
                "current": figures.current,
            }
        )
    return bars


@register.filter
def forecast_warning(warning: dict[str, Any]) -> str:
    """A forecast's warning (engine.arrivals.ForecastWarning as stored) in the reader's
    language."""
    years = "、".join(str(year) for year in warning.get("years", []))
    days = "、".join(warning.get("days", []))
    kind = warning.get("kind")
    if kind == "unknown_years":
        return _(
            "工作日历中没有 %(years)s 年的法定节假日：这些年份的放假与调休未知，"
            "按历史的每周规律预测。请管理员在工作日历中载入或补录。"
        ) % {"years": years}
    if kind == "too_short_to_backtest":
        return _(
            "历史只有 %(count)s 个营业日，不足以回测："
            "每个星期几按其历史平均预测，区间只含泊松波动。"
        ) % {"count": warning.get("count", 0)}
    if kind == "nothing_open":
        return _("所选日期内没有营业日，没有可预测的时段。")
    if kind == "after_days_off":
        return _(
            "%(days)s 是法定假期后的第一个营业日，来电通常多于平常（含假期积压），"
            "目前按普通日预测。"
        ) % {"days": days}
    return str(warning.get("text", ""))


@register.filter
def adherence_did(did: tuple[tuple[str, float], ...]) -> str:
    """What an agent did in an adherence exception, in words: "未就绪 10 分钟"."""
    return did_text(did)


@register.filter
def scheduled_activity(activity: str) -> str:
    """What the schedule asked for (work, break, off) in words."""
    return activity_name(activity)


_FORECAST_METHODS = {
    "last_week": gettext_lazy("上周同一天"),
    "mean_4w": gettext_lazy("近 4 周同星期几的均值"),
    "median_4w": gettext_lazy("近 4 周同星期几的中位数"),
    "mean_8w": gettext_lazy("近 8 周同星期几的均值"),
    "median_8w": gettext_lazy("近 8 周同星期几的中位数"),
    "daily_profile": gettext_lazy("日总量 × 日内分布"),
    "daily_profile_ar": gettext_lazy("日总量 × 日内分布，延续最近一天的偏离"),
    "daily_profile_month": gettext_lazy("日总量 × 日内分布，含月初月末"),
    "daily_month_ar": gettext_lazy("日总量 × 日内分布，含月初月末，延续最近一天的偏离"),
    "same_weekday_mean": gettext_lazy("同星期几的历史均值"),
}


@register.filter
def forecast_method(name: str) -> str:
    """A forecast method (engine.arrival_methods) in words; an unknown name as it is."""
    return str(_FORECAST_METHODS.get(name, name))
