"""Does memory stay flat as the input grows? Peak RSS of `lingting score` on growing files.

Writes files of 1×, 4× and 16× the base size (`--base-mb`, default 64 MB, so up to ~1 GB),
runs `lingting score` on each in a fresh process and prints the peak resident memory of the
process and its workers. Streaming means the peak does not grow with the file.

    .venv/bin/python benchmarks/streaming_memory.py [--base-mb 64] [--import]

With `--import` it measures `lingting import` into the database named by DATABASE_URL too.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import orjson

LINES = [
    ("agent", 0.0, 3.0, "您好，很高兴为您服务，请问有什么可以帮您？"),
    ("customer", 3.5, 6.0, "我想问一下这个月的话费怎么多了"),
    ("agent", 6.5, 12.0, "好的，请稍等，我帮您查询一下本月的账单明细"),
    ("customer", 12.5, 14.0, "好的谢谢"),
    ("agent", 14.5, 18.0, "感谢您的来电，祝您生活愉快，再见"),
]
TURNS = [{"speaker": s, "start": b, "end": e, "text": t} for s, b, e, t in LINES]


def write_file(path: Path, megabytes: int) -> int:
    target = megabytes * 1_000_000
    written = count = 0
    with path.open("wb") as out:
        while written < target:
            line = orjson.dumps({"id": f"M{count:09d}", "queue": "ACD-01", "turns": TURNS}) + b"\n"
            out.write(line)
            written += len(line)
            count += 1
    return count


def peak_rss_mb(command: list[str]) -> float:
    """Peak RSS of the command and the workers it waited for (wait4's rusage)."""
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    if os.waitstatus_to_exitcode(status) not in (0, 1):
        raise SystemExit(f"{command[1]} failed with status {status}")
    return usage.ru_maxrss / 1024  # Linux reports kilobytes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-mb", type=int, default=64)
    parser.add_argument("--import", dest="also_import", action="store_true")
    args = parser.parse_args()
    lingting = str(Path(sys.executable).with_name("lingting"))
    with tempfile.TemporaryDirectory() as workdir:
        for factor in (1, 4, 16):
            path = Path(workdir) / "contacts.jsonl"
            count = write_file(path, args.base_mb * factor)
            size = path.stat().st_size / 1e6
            score_mb = peak_rss_mb([lingting, "score", str(path), "--out", os.devnull])
            line = f"{size:7.0f} MB, {count:>9,} contacts: score peak {score_mb:6.0f} MB"
            if args.also_import:
                import_mb = peak_rss_mb([lingting, "import", str(path), "--no-score"])
                line += f", import peak {import_mb:6.0f} MB"
            print(line, flush=True)
            path.unlink()


if __name__ == "__main__":
    main()
