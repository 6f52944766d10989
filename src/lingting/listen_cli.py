"""`lingting listen` (FORMATS.md, "Listening to audio"): speech figures of call recordings.

No Django and no speech model: voice activity per channel, then talk time, overtalk, dead
air, interruptions and levels (`lingting.engine.listening`). One JSON line per file, in the
order given; several files are heard in parallel, one process per core. A file that cannot
be read (missing, not a WAV, another encoding, truncated) gets one error line on stderr and
the others are still heard. Exit status as for `score`: 0 every file heard, 1 some could not
be, 2 none could.

Speech recognition (`--asr-model`, `--contacts`) is not part of this command yet.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import orjson


def add_listen_command(commands: Any) -> None:
    """Register `lingting listen` on the engine's subparsers."""
    listen = commands.add_parser(
        "listen", help="talk time, overtalk, dead air and levels of call recordings (WAV)"
    )
    listen.add_argument("recordings", type=Path, nargs="+", metavar="CALL.wav")
    listen.add_argument("--out", required=True, metavar="METRICS.jsonl", help="'-' for stdout")
    listen.add_argument(
        "--agent-channel",
        type=int,
        choices=(0, 1),
        default=0,
        help="the stereo channel that holds the agent (default 0)",
    )
    listen.add_argument(
        "--workers", type=int, default=os.cpu_count() or 1, help="processes (default: all cores)"
    )
    listen.set_defaults(run=run_listen)


def run_listen(args: argparse.Namespace) -> int:
    from lingting.engine_cli import open_out

    began = time.perf_counter()
    paths = [str(p) for p in args.recordings]
    agents = [args.agent_channel] * len(paths)
    heard = failed = 0
    audio_s = 0.0
    with open_out(args.out) as out:
        for path, result in zip(paths, _heard_all(paths, agents, args.workers), strict=True):
            if isinstance(result, str):
                failed += 1
                print(f"lingting listen: {path}: {result}", file=sys.stderr)
                continue
            heard += 1
            audio_s += result["duration_s"]
            out.write(orjson.dumps({"file": path, **result}, option=orjson.OPT_APPEND_NEWLINE))
    seconds = time.perf_counter() - began
    print(
        f"files {heard} heard · {failed} failed · "
        f"{audio_s / 60:.1f} min of audio · {seconds:.2f} s",
        file=sys.stderr,
    )
    if not heard:
        return 2
    return 1 if failed else 0


def _heard_all(paths: list[str], agents: list[int], workers: int) -> Iterator[dict[str, Any] | str]:
    if len(paths) == 1 or workers <= 1:
        return map(hear_file, paths, agents)
    return _heard_in_parallel(paths, agents, min(workers, len(paths)))


def _heard_in_parallel(
    paths: list[str], agents: list[int], workers: int
) -> Iterator[dict[str, Any] | str]:
    from lingting.engine.processes import die_with_parent

    with ProcessPoolExecutor(
        max_workers=workers,
        mp_context=multiprocessing.get_context("fork"),
        initializer=die_with_parent,
        initargs=(os.getpid(),),
    ) as pool:
        yield from pool.map(hear_file, paths, agents)


def hear_file(path: str, agent_channel: int) -> dict[str, Any] | str:
    """The file's figures, or the reason it could not be heard."""
    from lingting.engine.audio import AudioFormatError
    from lingting.engine.listening import call_metrics, listen

    try:
        return call_metrics(listen(Path(path)), agent_channel=agent_channel)
    except FileNotFoundError:
        return "no such file"
    except IsADirectoryError:
        return "a folder, not a recording"
    except AudioFormatError as exc:
        return str(exc)
    except OSError as exc:
        return f"cannot read it: {exc.strerror or exc}"
