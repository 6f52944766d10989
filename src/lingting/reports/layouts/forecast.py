"""The quality report's forecast section: the series, next period's forecast with its
interval, and how far the method's backtests missed."""

from __future__ import annotations

from django.utils.translation import gettext as _

from lingting.documents.document import Cell, Chart, Column, Fmt, Num, Section, Table, display
from lingting.engine.charts import ForecastBand, Series
from lingting.engine.forecast import METHOD_HOLT_DAMPED, METHOD_NAIVE, Forecast
from lingting.reports.selectors import QualityReport


def method_text(forecast: Forecast) -> str:
    if forecast.method == METHOD_HOLT_DAMPED:
        return _(
            "Holt 阻尼趋势指数平滑（α=%(a)s，β=%(b)s，φ=%(p)s，按一步预测误差平方和最小选取）"
        ) % {
            "a": forecast.alpha,
            "b": forecast.beta,
            "p": forecast.phi,
        }
    if forecast.method == METHOD_NAIVE:
        return _("朴素预测（历史不足 3 期，取最后一期）")
    return _("无数据，无法预测")


def forecast_section(report: QualityReport) -> Section:
    trend = report.trend
    forecasts = report.forecasts
    next_period = report.period.next()
    rows: list[list[Cell]] = [
        [
            p.period.key,
            p.totals.volume,
            Num(p.totals.auto_pass_rate, Fmt.PERCENT),
            p.totals.reviewed,
            Num(p.totals.reviewed_pass_rate, Fmt.PERCENT),
        ]
        for p in trend
    ]
    rows.append(
        [
            _("%(key)s（预测）") % {"key": next_period.key},
            Num(forecasts["volume"].value, Fmt.INT),
            Num(forecasts["auto_pass_rate"].value, Fmt.PERCENT),
            None,
            Num(forecasts["reviewed_pass_rate"].value, Fmt.PERCENT),
        ]
    )
    series_table = Table(
        _("各期数据与下期预测"),
        [
            Column(_("周期")),
            Column(_("联络量"), Fmt.INT),
            Column(_("自动质检合格率"), Fmt.PERCENT),
            Column(_("监听量"), Fmt.INT),
            Column(_("抽检合格率"), Fmt.PERCENT),
        ],
        rows,
    )
    names = {
        "volume": (_("联络量"), Fmt.INT),
        "auto_pass_rate": (_("自动质检合格率"), Fmt.PERCENT),
        "reviewed_pass_rate": (_("抽检合格率"), Fmt.PERCENT),
    }
    accuracy = Table(
        _("预测与回测误差（滚动起点，每期只用之前的数据）"),
        [
            Column(_("指标")),
            Column(_("下期预测")),
            Column(_("约95%区间")),
            Column(_("MAE")),
            Column(_("MAPE"), Fmt.PERCENT),
            Column(_("回测期数"), Fmt.INT),
            Column(_("方法"), wide=True),
        ],
        [
            [
                label,
                Num(f.value, fmt),
                (
                    f"{display(f.low, fmt)} – {display(f.high, fmt)}"
                    if f.low is not None and f.high is not None
                    else "—"
                ),
                Num(f.mae, fmt if fmt != Fmt.PERCENT else Fmt.CHANGE_POINTS),
                f.mape,
                len(f.backtest),
                method_text(f),
            ]
            for key, (label, fmt) in names.items()
            for f in [forecasts[key]]
        ],
    )
    labels = [p.period.key for p in trend]

    def band(key: str) -> ForecastBand | None:
        f = forecasts[key]
        if f.value is None or not labels:
            return None
        return ForecastBand(next_period.key, f.value, f.low, f.high)

    charts = [
        Chart(
            "line",
            _("合格率趋势与下期预测"),
            labels,
            [
                Series(_("自动质检合格率"), [p.totals.auto_pass_rate for p in trend]),
                Series(_("抽检合格率"), [p.totals.reviewed_pass_rate for p in trend]),
            ],
            percent=True,
            forecast=[band("auto_pass_rate"), band("reviewed_pass_rate")],
            forecast_name=_("预测"),
        ),
        Chart(
            "line",
            _("联络量趋势与下期预测"),
            labels,
            [Series(_("联络量"), [float(p.totals.volume) for p in trend])],
            forecast=[band("volume")],
            forecast_name=_("预测"),
        ),
    ]
    return Section(
        _("七、质量趋势预测"),
        paragraphs=[
            _(
                "方法：Holt 阻尼趋势指数平滑。水平和趋势每期更新，下期 = 水平 + φ×趋势；"
                "α、β、φ 在网格中按一步预测误差平方和最小选取，不足 3 期时取最后一期。"
                "误差：滚动起点回测，每一期只用它之前的数据预测，再与实际比较，"
                "给出平均绝对误差 MAE 和平均绝对百分比误差 MAPE；区间为 ±1.96×回测均方根误差。"
            )
        ],
        tables=[series_table, accuracy],
        charts=charts if labels else [],
    )
