"""`lingting forecast` as a user runs it (FORMATS.md "Forecast"): the header, one row for
every open interval from --from to --to, times in the history's form, bad rows reported
with their line numbers, and the exit statuses of `lingting score`."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from pathlib import Path

import pytest

from lingting.cli import main

HEADER = b"time,forecast,lower,upper\n"
Writer = Callable[[datetime], str]


def write_history(
    path: Path,
    *,
    first: date = date(2026, 2, 2),
    weeks: int = 8,
    step: int = 15,
    opens: int = 9,
    closes: int = 12,
    form: Writer = lambda moment: moment.isoformat() + "+08:00",
    extra: list[str] | None = None,
    encoding: str = "utf-8",
) -> Path:
    """Weekdays from `opens` to `closes` o'clock, a count per `step` minutes that varies
    with the interval and the weekday (a pattern, no noise)."""
    lines = ["time,count"]
    for offset in range(weeks * 7):
        day = first + timedelta(days=offset)
        if day.weekday() >= 5:
            continue
        for minutes in range(opens * 60, closes * 60, step):
            moment = datetime.combine(day, time(minutes // 60, minutes % 60))
            lines.append(f"{form(moment)},{10 + minutes % 45 // step + day.weekday()}")
    lines += extra or []
    path.write_bytes(("\n".join(lines) + "\n").encode(encoding))
    return path


def forecast(history: Path, out: Path, *options: str) -> int:
    return main(["forecast", str(history), "--out", str(out), *options])


def times_of(out: Path) -> list[str]:
    return [line.split(",")[0] for line in out.read_text(encoding="utf-8").splitlines()[1:]]


def weekday_intervals(first: date, last: date, *, closed: tuple[date, ...] = ()) -> list[str]:
    expected = []
    for offset in range((last - first).days + 1):
        day = first + timedelta(days=offset)
        if day.weekday() < 5 and day not in closed:
            for minutes in range(9 * 60, 12 * 60, 15):
                moment = datetime.combine(day, time(minutes // 60, minutes % 60))
                expected.append(moment.isoformat() + "+08:00")
    return expected


def test_the_forecast_has_the_contract_header_and_every_open_interval(tmp_path: Path) -> None:
    history = write_history(tmp_path / "history.csv")
    out = tmp_path / "forecast.csv"

    status = forecast(history, out, "--from", "2026-03-30", "--to", "2026-04-12")

    assert status == 0
    assert out.read_bytes().startswith(HEADER)
    # 清明节 closes Monday 2026-04-06 under the default Chinese calendar.
    assert times_of(out) == weekday_intervals(
        date(2026, 3, 30), date(2026, 4, 12), closed=(date(2026, 4, 6),)
    )
    for line in out.read_text(encoding="utf-8").splitlines()[1:]:
        value, lower, upper = map(float, line.split(",")[1:])
        assert 0 <= lower <= value <= upper


def test_calendar_none_keeps_chinese_holidays_open(tmp_path: Path) -> None:
    history = write_history(tmp_path / "history.csv")
    out = tmp_path / "forecast.csv"

    status = forecast(
        history, out, "--from", "2026-03-30", "--to", "2026-04-12", "--calendar", "none"
    )

    assert status == 0
    assert times_of(out) == weekday_intervals(date(2026, 3, 30), date(2026, 4, 12))


@pytest.mark.parametrize(
    ("form", "first_time"),
    [
        (lambda m: m.isoformat() + "Z", "2026-03-30T09:00:00Z"),
        (lambda m: m.isoformat() + "+08:00", "2026-03-30T09:00:00+08:00"),
        (lambda m: m.isoformat(), "2026-03-30T09:00:00"),
        (lambda m: m.isoformat(sep=" ", timespec="minutes"), "2026-03-30 09:00"),
        (lambda m: m.isoformat(timespec="minutes") + "-0500", "2026-03-30T09:00-0500"),
    ],
    ids=["utc-z", "offset", "local", "space-no-seconds", "basic-offset"],
)
def test_times_are_written_in_the_history_form(
    tmp_path: Path, form: Writer, first_time: str
) -> None:
    history = write_history(tmp_path / "history.csv", form=form)
    out = tmp_path / "forecast.csv"

    status = forecast(
        history, out, "--from", "2026-03-30", "--to", "2026-03-30", "--calendar", "none"
    )

    assert status == 0
    assert times_of(out)[0] == first_time
    assert len(times_of(out)) == 12


def test_the_interval_is_fifteen_minutes_unless_asked(tmp_path: Path) -> None:
    history = write_history(tmp_path / "history.csv", step=5)
    quarter, five = tmp_path / "quarter.csv", tmp_path / "five.csv"

    forecast(history, quarter, "--from", "2026-03-30", "--to", "2026-03-30")
    forecast(history, five, "--from", "2026-03-30", "--to", "2026-03-30", "--interval-minutes", "5")

    assert times_of(quarter)[:2] == ["2026-03-30T09:00:00+08:00", "2026-03-30T09:15:00+08:00"]
    assert len(times_of(quarter)) == 12
    assert len(times_of(five)) == 36


def test_bad_rows_are_reported_by_line_and_the_rest_is_used(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = [
        "yesterday,3",
        "2026-03-27T12:00:00+08:00,-2",
        "2026-03-27T12:15:00+08:00,lots",
        "2026-03-27T09:00:00+08:00,11",
        "2026-03-27T12:30:00,4",
        "2026-03-27,4",
    ]
    history = write_history(tmp_path / "history.csv", extra=bad)
    rows = len(history.read_text().splitlines())
    out = tmp_path / "forecast.csv"

    status = forecast(history, out, "--from", "2026-03-30", "--to", "2026-04-03")

    err = capsys.readouterr().err
    assert status == 1
    first_bad = rows - len(bad) + 1
    assert f"line {first_bad}: time 'yesterday' is not an ISO 8601" in err
    assert f"line {first_bad + 1}: count '-2' must be a number of contacts, 0 or more" in err
    assert f"line {first_bad + 2}: count 'lots' is not a number" in err
    assert (
        f"line {first_bad + 3}: a second row for the interval at 2026-03-27T09:00:00+08:00" in err
    )
    assert f"line {first_bad + 4}: the time has no UTC offset" in err
    assert f"line {first_bad + 5}: time '2026-03-27' is not an ISO 8601" in err
    assert "rejected 6" in err
    assert len(times_of(out)) == 5 * 12


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"time,count\nnot a time,1\n", "no usable row"),
        (b"rownames,DateTime,Calls\n1,2003-03-03T07:00:00Z,111\n", "header must name"),
        (b"", "the file is empty"),
        (b"\x00\x01\x02\x03" * 100, "binary"),
    ],
    ids=["no-good-row", "foreign-header", "empty", "binary"],
)
def test_a_file_with_nothing_usable_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes, reason: str
) -> None:
    history = tmp_path / "history.csv"
    history.write_bytes(content)

    status = forecast(history, tmp_path / "out.csv", "--from", "2026-03-30", "--to", "2026-04-03")

    assert status == 2
    assert reason in capsys.readouterr().err


def test_a_missing_file_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status = forecast(
        tmp_path / "nowhere.csv", tmp_path / "out.csv", "--from", "2026-03-30", "--to", "2026-04-03"
    )

    assert status == 2
    assert "cannot read" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("dates", "reason"),
    [
        (("2026-04-03", "2026-03-30"), "ends (2026-03-30) before it starts (2026-04-03)"),
        (("2026-03-20", "2026-04-03"), "must start after the history's last day (2026-03-27)"),
    ],
)
def test_a_range_that_cannot_be_forecast_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], dates: tuple[str, str], reason: str
) -> None:
    history = write_history(tmp_path / "history.csv")

    status = forecast(history, tmp_path / "out.csv", "--from", dates[0], "--to", dates[1])

    assert status == 2
    assert reason in capsys.readouterr().err


def test_a_date_that_is_not_a_date_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    history = write_history(tmp_path / "history.csv")

    with pytest.raises(SystemExit) as stopped:
        forecast(history, tmp_path / "out.csv", "--from", "2026-13-01", "--to", "2026-12-31")

    assert stopped.value.code == 2
    assert "must be a date such as 2026-10-01, not '2026-13-01'" in capsys.readouterr().err


def test_hourly_history_asked_for_quarter_hours_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    history = write_history(tmp_path / "history.csv", step=60)

    status = forecast(history, tmp_path / "out.csv", "--from", "2026-03-30", "--to", "2026-04-03")

    assert status == 2
    assert "counts per 60 minutes" in capsys.readouterr().err


def test_bom_and_gbk_files_are_read(tmp_path: Path) -> None:
    bom = write_history(tmp_path / "bom.csv", encoding="utf-8-sig")
    gbk = tmp_path / "gbk.csv"
    lines = write_history(tmp_path / "plain.csv").read_text().splitlines()
    rows = [f"{lines[0]},备注"] + [f"{line},话务高峰" for line in lines[1:]]
    gbk.write_bytes(("\n".join(rows) + "\n").encode("gbk"))

    for history in (bom, gbk):
        out = tmp_path / f"{history.stem}-forecast.csv"
        assert forecast(history, out, "--from", "2026-03-30", "--to", "2026-04-03") == 0
        assert len(times_of(out)) == 5 * 12


def test_a_year_the_calendar_does_not_know_is_a_warning_on_stderr(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    history = write_history(tmp_path / "history.csv", first=date(2003, 3, 3))

    cn = forecast(history, tmp_path / "cn.csv", "--from", "2003-05-01", "--to", "2003-05-02")
    cn_err = capsys.readouterr().err
    plain = forecast(
        history, tmp_path / "none.csv", "--from", "2003-05-01", "--to", "2003-05-02",
        "--calendar", "none",
    )  # fmt: skip
    plain_err = capsys.readouterr().err

    assert cn == plain == 0
    assert "warning: the business calendar has no official holidays for 2003" in cn_err
    assert "warning" not in plain_err
    assert times_of(tmp_path / "cn.csv")[0] == "2003-05-01T09:00:00+08:00"  # not closed


def test_out_dash_writes_the_forecast_to_stdout(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    history = write_history(tmp_path / "history.csv")

    status = main(
        ["forecast", str(history), "--from", "2026-03-30", "--to", "2026-03-30", "--out", "-"]
    )

    lines = capsys.readouterr().out.splitlines()
    assert status == 0
    assert lines[0] == "time,forecast,lower,upper"
    assert len(lines) == 1 + 12


def test_the_backtest_is_summed_up_and_written_on_request(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    history = write_history(tmp_path / "history.csv", weeks=12)
    backtest = tmp_path / "backtest.csv"

    status = forecast(
        history, tmp_path / "out.csv", "--from", "2026-04-27", "--to", "2026-05-08",
        "--backtest", str(backtest),
    )  # fmt: skip

    err = capsys.readouterr().err
    lines = backtest.read_text(encoding="utf-8").splitlines()
    assert status == 0
    assert lines[0] == "method,lead_days,wape,mape,intervals"
    assert {line.split(",")[0] for line in lines[1:]} >= {"last_week", "mean_8w", "daily_profile"}
    assert "weekly origin(s)" in err
    assert "WAPE" in err
