"""How fast does `lingting listen --asr-model` recognise calls, in × real time?

Builds a stereo call of the length asked for, the two sides taking turns of 2-6 s: from the
real Mandarin recordings in ../shared/data/zh_speech where they are (16 kHz), else from the
speech-like signal of the tests (8 kHz). Then measures, on the provider Lingting chooses
(printed, with why):

- recognition alone on one core (one process, one thread): the call's seconds over the
  seconds spent recognising its voice segments, and over listening and recognising together;
- the whole command on every core (`lingting listen --workers N`, one call per core, each
  worker loading the model once): × real time in all, and per core.

Without `--model` it runs the tiny test model (tests/engine/tiny_asr_model.py: a seven-
operator NeMo CTC model that hears syllables). That measures Lingting's own work around the
model — reading, cutting, resampling, batching, sherpa-onnx's features and decoding — not a
real model's speed: give a real one (SenseVoice, Paraformer, Whisper …) with --model DIR.

    .venv/bin/python benchmarks/asr_throughput.py [--model DIR] [--minutes 10] [--workers N]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))

from lingting.engine.asr import recognise_turns  # noqa: E402
from lingting.engine.asr_model import Recognizer, choose_provider, find_model  # noqa: E402
from lingting.engine.listening import listen  # noqa: E402
from tests.engine.call_audio import (  # noqa: E402
    AISHELL,
    FUNASR,
    call,
    recording,
    voiced,
    write_wav,
)
from tests.engine.tiny_asr_model import build_tiny_model  # noqa: E402


def speech_turns(real: bool, rate: int, seed: int) -> list[np.ndarray]:
    if real:
        return [recording(AISHELL), recording(FUNASR)]
    rng = np.random.default_rng(seed)
    return [voiced(rng.uniform(2, 6), rate, seed=n) for n in range(8)]


def write_call(path: Path, minutes: float, real: bool, seed: int) -> Path:
    """Turns alternating between the channels, 0.3-1.5 s apart, for `minutes`."""
    rate = 16000 if real else 8000
    rng = np.random.default_rng(seed)
    turns = speech_turns(real, rate, seed)
    placed, at, channel = [], 0.5, 0
    while True:
        samples = turns[int(rng.integers(len(turns)))]
        if at + len(samples) / rate > minutes * 60 - 0.5:
            break
        placed.append((channel, at, samples))
        at += len(samples) / rate + rng.uniform(0.3, 1.5)
        channel = 1 - channel
    return write_wav(path, call(minutes * 60, rate, placed), rate)


def one_core(model_dir: Path, path: Path, seconds: float) -> None:
    provider = choose_provider()
    recognizer = Recognizer(find_model(model_dir, prefer_int8=provider.name == "cpu"), provider)
    began, began_cpu = time.perf_counter(), time.process_time()
    heard = listen(path)
    listened, listened_cpu = time.perf_counter(), time.process_time()
    turns = recognise_turns(path, heard, recognizer)
    done, done_cpu = time.perf_counter(), time.process_time()
    print(
        f"one core: {len(turns)} turns · recognition alone {seconds / (done - listened):.0f}×"
        f" real time · listening and recognition {seconds / (done - began):.0f}× real time"
    )
    # On a machine others share, the CPU seconds say what the wall clock cannot.
    print(
        f"  per CPU second: recognition alone {seconds / (done_cpu - listened_cpu):.0f}×"
        f" · listening and recognition {seconds / (done_cpu - began_cpu):.0f}×"
    )


def all_cores(model_dir: Path, paths: list[Path], seconds: float, workers: int) -> None:
    command = [sys.executable, "-m", "lingting.cli", "listen", *map(str, paths)]
    command += ["--out", os.devnull, "--asr-model", str(model_dir), "--workers", str(workers)]
    environment = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    began = time.perf_counter()
    subprocess.run(command, check=True, env=environment, stderr=subprocess.DEVNULL)
    took = time.perf_counter() - began
    total = seconds * len(paths) / took
    print(
        f"{workers} cores ({len(paths)} calls, lingting listen --asr-model):"
        f" {total:.0f}× real time · {total / workers:.0f}× per core (model loads included)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--model", type=Path, help="a model folder (default: the tiny test model)")
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    real = AISHELL.is_file() and FUNASR.is_file()
    provider = choose_provider()
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        model_dir = args.model or build_tiny_model(folder / "tiny-model")
        model = find_model(model_dir, prefer_int8=provider.name == "cpu")
        label = "" if args.model else " — the TINY TEST MODEL: Lingting's work, not a real model's"
        print(f"model: {model.describe()}{label}")
        print(f"provider: {provider.name} ({provider.reason})")
        speech = "the Mandarin recordings of ../shared" if real else "a speech-like signal"
        print(f"calls: {args.minutes:g} min stereo, turns of {speech}")
        paths = [write_call(folder / f"call{n}.wav", args.minutes, real, n) for n in range(2)]
        seconds = args.minutes * 60
        one_core(model_dir, paths[0], seconds)
        calls = [paths[n % 2] for n in range(args.workers)]
        all_cores(model_dir, calls, seconds, args.workers)


if __name__ == "__main__":
    main()
