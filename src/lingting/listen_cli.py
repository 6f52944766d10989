"""`lingting listen` (FORMATS.md, "Listening to audio"): speech figures of call recordings.

No Django and no speech model: voice activity per channel, then talk time, overtalk, dead
air, interruptions, levels, clipping and bleed (`lingting.engine.listening`), from WAV (PCM,
A-law, µ-law), MP3, OGG (Opus, Vorbis) or FLAC. One JSON line per file, in the order given;
several files are heard in parallel, one process per core. A file that cannot be read
(missing, another type or encoding, damaged) gets one error line on stderr and
the others are still heard. Exit status as for `score`: 0 every file heard, 1 some could not
be, 2 none could.

With `--asr-model DIR` (a model folder the user supplies: `lingting.engine.asr`) each line
also has the `turns` recognised, per channel, and the agent's speech rate; `--contacts` then
writes one interaction line per stereo call, ready for `lingting score`. Recognition runs in
a pool of processes even for one file, each loading the model once: sherpa-onnx ends the
process on some broken models, and that must not take the command down with it.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

import orjson

if TYPE_CHECKING:
    from lingting.engine.asr_model import AsrModel, Provider, Recognizer

# The model a recognition worker loaded, once, when it started (`_load_recognizer`), or
# why it could not.
_recognizer: Recognizer | str = "not loaded"


class _ModelNotLoaded(Exception):
    """Raised in a worker that could not load the model, to stop the command with why."""


def add_listen_command(commands: Any) -> None:
    """Register `lingting listen` on the engine's subparsers."""
    listen = commands.add_parser(
        "listen",
        help="talk time, overtalk, dead air and levels of call recordings (WAV, MP3, OGG, FLAC)",
    )
    listen.add_argument("recordings", type=Path, nargs="+", metavar="CALL")
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
    listen.add_argument(
        "--asr-model",
        type=Path,
        metavar="DIR",
        help="a speech recognition model folder for sherpa-onnx (SenseVoice, Paraformer,"
        " Whisper, transducer, NeMo or Zipformer CTC): adds the turns said",
    )
    listen.add_argument(
        "--contacts",
        type=Path,
        metavar="CONTACTS.jsonl",
        help="with --asr-model: one interaction line per stereo call, for lingting score",
    )
    listen.set_defaults(run=run_listen)


def run_listen(args: argparse.Namespace) -> int:
    from lingting.engine_cli import open_out

    if args.contacts is not None and args.asr_model is None:
        print("lingting listen: --contacts needs --asr-model: turns come from it", file=sys.stderr)
        return 2
    began = time.perf_counter()
    paths = [str(p) for p in args.recordings]
    agents = [args.agent_channel] * len(paths)
    if args.asr_model is None:
        results = _heard_all(paths, agents, args.workers)
    else:
        recognition = _recognition(args.asr_model)
        if isinstance(recognition, str):
            print(f"lingting listen: {recognition}", file=sys.stderr)
            return 2
        results = _recognised_all(paths, agents, *recognition, args.workers)
    tally = _Tally()
    with open_out(args.out) as out, _open_contacts(args.contacts) as contacts:
        try:
            _write_lines(zip(paths, results, strict=True), out, contacts, tally)
        except (_ModelNotLoaded, BrokenProcessPool) as exc:
            print(f"lingting listen: {_stopped(exc, args.asr_model)}", file=sys.stderr)
            return 3 if tally.heard else 2
    seconds = time.perf_counter() - began
    print(
        f"files {tally.heard} heard · {tally.failed} failed · "
        f"{tally.audio_s / 60:.1f} min of audio · {seconds:.2f} s",
        file=sys.stderr,
    )
    if not tally.heard:
        return 2
    return 1 if tally.failed else 0


@dataclass(slots=True)
class _Tally:
    heard: int = 0
    failed: int = 0
    audio_s: float = 0.0


def _write_lines(
    results: Iterator[tuple[str, dict[str, Any] | str]],
    out: IO[bytes],
    contacts: IO[bytes] | None,
    tally: _Tally,
) -> None:
    """Each file's line (and contact), or its error on stderr, counted as they come."""
    for path, result in results:
        if isinstance(result, str):
            tally.failed += 1
            print(f"lingting listen: {path}: {result}", file=sys.stderr)
            continue
        tally.heard += 1
        tally.audio_s += result["duration_s"]
        line = {"file": path, **result}
        out.write(orjson.dumps(line, option=orjson.OPT_APPEND_NEWLINE))
        if contacts is not None:
            _write_contact(contacts, path, line)


def _stopped(exc: Exception, model: Path) -> str:
    if isinstance(exc, _ModelNotLoaded):
        return str(exc)
    return (
        f"sherpa-onnx stopped while loading or running the model in {model} (its message is above)"
    )


def _recognition(folder: Path) -> tuple[AsrModel, Provider] | str:
    """The model in `folder` and where it will run (said on stderr), or why there is none."""
    from lingting.engine.asr_model import AsrModelError, choose_provider, find_model

    provider = choose_provider()
    try:
        model = find_model(folder, prefer_int8=provider.name == "cpu")
    except (AsrModelError, OSError) as exc:
        return str(exc)
    print(
        f"lingting listen: speech recognition with {model.describe()},"
        f" on the {provider.name.upper()}: {provider.reason}",
        file=sys.stderr,
    )
    return model, provider


def _open_contacts(path: Path | None) -> nullcontext[None] | IO[bytes]:
    return nullcontext() if path is None else path.open("wb")


def _write_contact(contacts: IO[bytes], path: str, line: dict[str, Any]) -> None:
    """The call as an interaction line: its id from the file name, the turns recognised, the
    recording as given and what was heard (`audio`: the metrics line without the turns)."""
    if line["channels"] != 2:
        print(
            f"lingting listen: {path}: mono: who said what is unknown, so its turns are in"
            " the metrics line only, not in the contacts file",
            file=sys.stderr,
        )
        return
    audio = {key: value for key, value in line.items() if key != "turns"}
    contact = {
        "id": Path(path).stem,
        "channel": "voice",
        "turns": line["turns"],
        "recording": path,
        "audio": audio,
    }
    contacts.write(orjson.dumps(contact, option=orjson.OPT_APPEND_NEWLINE))


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


def _recognised_all(
    paths: list[str], agents: list[int], model: AsrModel, provider: Provider, workers: int
) -> Iterator[dict[str, Any] | str]:
    """Every file heard and recognised, in a pool whose workers each load the model once:
    one thread each when all cores have a worker, more when there are fewer files."""
    workers = max(1, min(workers, len(paths)))
    threads = max(1, (os.cpu_count() or 1) // workers)
    with ProcessPoolExecutor(
        max_workers=workers,
        mp_context=multiprocessing.get_context("fork"),
        initializer=_load_recognizer,
        initargs=(os.getpid(), model, provider, threads),
    ) as pool:
        yield from pool.map(_recognise_file, paths, agents)


def _load_recognizer(parent: int, model: AsrModel, provider: Provider, threads: int) -> None:
    from lingting.engine.asr_model import AsrModelError, Recognizer
    from lingting.engine.processes import die_with_parent

    die_with_parent(parent)
    global _recognizer
    try:
        _recognizer = Recognizer(model, provider, threads=threads)
    except AsrModelError as exc:
        _recognizer = str(exc)


def _recognise_file(path: str, agent_channel: int) -> dict[str, Any] | str:
    if isinstance(_recognizer, str):
        raise _ModelNotLoaded(_recognizer)
    return hear_file(path, agent_channel, _recognizer)


def hear_file(
    path: str, agent_channel: int, recognizer: Recognizer | None = None
) -> dict[str, Any] | str:
    """The file's figures (and, given a recognizer, its turns), or why it could not be heard."""
    from lingting.engine.audio import AudioFormatError
    from lingting.engine.listening import call_metrics, listen

    try:
        heard = listen(Path(path))
        metrics = call_metrics(heard, agent_channel=agent_channel)
        if recognizer is not None:
            from lingting.engine.asr import transcript_metrics

            metrics.update(
                transcript_metrics(Path(path), heard, recognizer, agent_channel=agent_channel)
            )
        return metrics
    except FileNotFoundError:
        return "no such file"
    except IsADirectoryError:
        return "a folder, not a recording"
    except AudioFormatError as exc:
        return str(exc)
    except OSError as exc:
        return f"cannot read it: {exc.strerror or exc}"
