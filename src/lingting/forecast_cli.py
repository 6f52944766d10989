"""`lingting forecast`: contacts per interval for the days ahead, from a `time,count` history.

FORMATS.md ("Forecast"): HISTORY.csv in, FORECAST.csv (`time,forecast,lower,upper`, one row
per open interval from --from to --to) out. Bad rows are reported on stderr with their line
number and reason and the rest is used; the exit status is that of `lingting score`: 0 all
rows used, 1 some rejected, 2 nothing usable (an unreadable file, no good row, a range or an
interval that cannot be forecast). The backtest that chose the method is summed up on
stderr, and written in full with --backtest (beyond FORMATS.md).
"""

from __future__ import annotations

import argparse
import sys
import time
from contextlib import nullcontext
from datetime import date
from pathlib import Path
from typing import IO, TYPE_CHECKING

from lingting.engine.excel_csv import ExcelSafeWriter
from lingting.engine.reader import UnreadableFileError

if TYPE_CHECKING:
    from lingting.engine.arrival_csv import HistoryFile
    from lingting.engine.arrivals import ArrivalForecast, BandChoice
    from lingting.engine.calendars import BusinessCalendar

SHOWN_ERRORS = 100  # bad rows listed one by one on stderr; the rest are counted
NAIVE_METHODS = ("last_week", "mean_4w", "median_4w", "mean_8w", "median_8w")


def add_forecast_command(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    forecast = commands.add_parser(
        "forecast", help="contacts per interval for the days ahead, from a time,count history"
    )
    forecast.add_argument("history", type=Path, metavar="HISTORY.csv")
    forecast.add_argument("--from", dest="first", required=True, type=_date, metavar="DATE")
    forecast.add_argument("--to", dest="last", required=True, type=_date, metavar="DATE")
    forecast.add_argument("--out", required=True, metavar="FORECAST.csv", help="'-' for stdout")
    forecast.add_argument("--interval-minutes", type=int, default=15, metavar="N")
    forecast.add_argument(
        "--calendar",
        choices=("cn", "none"),
        default="cn",
        help="cn: Chinese holidays closed, make-up workdays open (default); none: foreign data",
    )
    forecast.add_argument(
        "--backtest",
        type=Path,
        metavar="BACKTEST.csv",
        help="also write every method's WAPE and MAPE per lead time in days",
    )
    forecast.set_defaults(run=run_forecast)


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"must be a date such as 2026-10-01, not {text!r}"
        ) from None


def run_forecast(args: argparse.Namespace) -> int:
    # Imported here: forecasting brings numpy, and every engine command (`lingting score`
    # above all) registers this one.
    from lingting.engine.arrival_csv import read_history_file, write_forecast
    from lingting.engine.arrivals import ArrivalsError, forecast_arrivals

    began = time.perf_counter()
    try:
        history = read_history_file(str(args.history))
    except (OSError, UnreadableFileError) as exc:
        print(f"lingting forecast: cannot read {args.history}: {exc}", file=sys.stderr)
        return 2
    _report_errors(history)
    if not history.points:
        print(f"lingting forecast: no usable row in {args.history}", file=sys.stderr)
        return 2
    try:
        result = forecast_arrivals(
            history.points,
            first=args.first,
            last=args.last,
            interval_minutes=args.interval_minutes,
            calendar=_calendar(history, args),
        )
    except ArrivalsError as exc:
        print(f"lingting forecast: {exc}", file=sys.stderr)
        return 2
    for warning in result.warnings:
        print(f"warning: {warning.text}", file=sys.stderr)
    try:
        with _open_text(args.out) as out:
            write_forecast(result.rows, history.form, out)
        if args.backtest is not None:
            with args.backtest.open("w", encoding="utf-8", newline="") as out:
                _write_backtest(result, out)
    except OSError as exc:
        print(f"lingting forecast: cannot write: {exc}", file=sys.stderr)
        return 2
    print(_describe(history, result, time.perf_counter() - began), file=sys.stderr)
    return 1 if history.errors else 0


def _report_errors(history: HistoryFile) -> None:
    for error in history.errors[:SHOWN_ERRORS]:
        print(f"line {error.line}: {error.reason}", file=sys.stderr)
    if len(history.errors) > SHOWN_ERRORS:
        print(f"… and {len(history.errors) - SHOWN_ERRORS} more bad row(s)", file=sys.stderr)


def _calendar(history: HistoryFile, args: argparse.Namespace) -> BusinessCalendar | None:
    """The package's official schedule for the years it knows; the engine warns of the rest."""
    from lingting.engine.calendars import BusinessCalendar, package_years

    if args.calendar == "none":
        return None
    first_year = min(moment.year for moment, _ in history.points)
    wanted = range(first_year, max(args.last.year, first_year) + 1)
    return BusinessCalendar.from_package(year for year in wanted if year in package_years())


def _open_text(target: str) -> nullcontext[IO[str]] | IO[str]:
    if target == "-":
        return nullcontext(sys.stdout)
    return open(target, "w", encoding="utf-8", newline="")


def _write_backtest(result: ArrivalForecast, out: IO[str]) -> None:
    writer = ExcelSafeWriter(out, lineterminator="\n")
    writer.writerow(["method", "lead_days", "wape", "mape", "intervals"])
    for score in result.backtest:
        writer.writerow([score.method, score.lead_days, score.wape, score.mape, score.intervals])


def _describe(history: HistoryFile, result: ArrivalForecast, seconds: float) -> str:
    lines = [
        f"read {history.rows} row(s) · used {len(history.points)} · rejected "
        f"{len(history.errors)} · {len(result.rows)} interval(s) forecast · {seconds:.2f} s"
    ]
    if not result.origins:
        return "\n".join([*lines, "backtest: none (see the warning)"])
    lines.append(
        f"backtest: {result.origins} weekly origin(s) before {result.history_last_day}; "
        "per lead time in days, the method chosen and its WAPE / MAPE:"
    )
    leads = {row.lead_days for row in result.rows}
    lines += [
        f"  {_describe_band(band)}"
        for band in result.bands
        if any(band.covers(lead) for lead in leads)
    ]
    return "\n".join(lines)


def _describe_band(band: BandChoice) -> str:
    figures = f"WAPE {_share(band.wape)} / MAPE {_share(band.mape)}"
    naive = [(name, w) for name, w in band.method_wapes if name in NAIVE_METHODS and w is not None]
    best_naive = min(naive, key=lambda pair: pair[1] or 0.0, default=None)
    against = f"; best naive {best_naive[0]} {_share(best_naive[1])}" if best_naive else ""
    borrowed = "" if band.tested else " (not reached by the backtest: as the nearest band)"
    return f"{band.label:>6}  {band.method:<20} {figures}{against}{borrowed}"


def _share(value: float | None) -> str:
    return "—" if value is None else f"{value:.3f}"
