"""How fast does `lingting listen` hear a call, and does its memory stay flat?

Synthesises stereo 8 kHz 16-bit calls (two sides taking turns with a speech-like voiced
signal, 2-6 s turns with pauses and some overtalk, over line noise at about −55 dBFS so that
every frame goes through the voice detector, as on a real line), then times in new processes:

- one 30-minute call, one worker: × real time per core;
- as many 30-minute calls as cores, all cores: × real time per core when every core works;
- the peak resident memory of hearing a 10-minute and a two-hour call (one process each):
  the reader holds one 10-second block, so both should be about the same;
- a 10-minute call encoded (by libsndfile, not timed) as MP3 and as OGG/Opus, one worker:
  × real time per core, decoding included; and the peak memory of a 10- and a 60-minute
  MP3.

Target (issue 18): ≥ 500× real time per core without speech recognition.

    .venv/bin/python benchmarks/listen_throughput.py [--minutes 30]
"""

from __future__ import annotations

import argparse
import os
import resource
import struct
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import soundfile

RATE = 8000
PATTERN_S = 60  # one minute of conversation, repeated to the length asked for


def conversation_minute(seed: int) -> bytes:
    """A minute of a stereo call: turns of 2-6 s, alternating, sometimes overlapping."""
    rng = np.random.default_rng(seed)
    samples = rng.normal(0, 60, size=(PATTERN_S * RATE, 2))
    at, channel = 0.5, 0
    while at < PATTERN_S - 7:
        length = rng.uniform(2, 6)
        first = int(at * RATE)
        samples[first : first + int(length * RATE), channel] += voiced(length, rng)
        at += length + rng.uniform(-0.8, 1.5)
        channel = 1 - channel
    return np.clip(samples, -32768, 32767).astype("<i2").tobytes()


def voiced(seconds: float, rng: np.random.Generator) -> np.ndarray:
    t = np.arange(int(seconds * RATE)) / RATE
    pitch = 150 + 25 * np.sin(2 * np.pi * 0.7 * t + rng.uniform(0, 6))
    phase = 2 * np.pi * np.cumsum(pitch) / RATE
    harmonics = sum(np.sin(k * phase) / k for k in range(1, 25))
    envelope = 0.6 + 0.4 * np.sin(2 * np.pi * 4 * t)
    signal = harmonics * envelope
    return np.asarray(signal / np.abs(signal).max() * 6000, dtype=np.float64)


def write_call(path: Path, minutes: int) -> Path:
    minute = conversation_minute(seed=minutes)
    size = len(minute) * minutes
    fmt = struct.pack("<HHIIHH", 1, 2, RATE, RATE * 4, 4, 16)
    with path.open("wb") as out:
        out.write(b"RIFF" + struct.pack("<I", 4 + 8 + len(fmt) + 8 + size) + b"WAVE")
        out.write(b"fmt " + struct.pack("<I", len(fmt)) + fmt)
        out.write(b"data" + struct.pack("<I", size))
        for _ in range(minutes):
            out.write(minute)
    return path


def encode(wav: Path, path: Path, container: str, codec: str) -> Path:
    with (
        soundfile.SoundFile(wav) as source,
        soundfile.SoundFile(
            path, "w", source.samplerate, source.channels, codec, format=container
        ) as target,
    ):
        # As floats: libsndfile 1.2.2's MP3 encoder garbles 16-bit input.
        for block in source.blocks(RATE * 60, dtype="float32"):
            target.write(block)
    return path


def listen(files: list[Path], workers: int, out: Path) -> tuple[float, float]:
    """Seconds on the clock and CPU seconds (every process's) of hearing the files."""
    command = [sys.executable, "-m", "lingting.cli", "listen", *map(str, files)]
    began, cpu_before = time.perf_counter(), cpu_seconds()
    subprocess.run(
        [*command, "--out", str(out), "--workers", str(workers)],
        check=True,
        stderr=subprocess.DEVNULL,
    )
    return time.perf_counter() - began, cpu_seconds() - cpu_before


def cpu_seconds() -> float:
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def per_core(audio_s: float, wall: float, cpu: float, cores: int = 1) -> str:
    """× real time per core on the clock, and per CPU-second: the figure that holds when
    other work shares the machine."""
    return (
        f"{wall:.2f} s = {audio_s / wall / cores:,.0f}× real time per core"
        f" ({audio_s / cpu:,.0f}× per CPU-second)"
    )


def peak_memory_mib(path: Path, out: Path) -> float:
    code = (
        "import resource, sys; from lingting.cli import main;"
        f"main(['listen', {str(path)!r}, '--out', {str(out)!r}]);"
        "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)"
    )
    shown = subprocess.run(
        [sys.executable, "-c", code], check=True, capture_output=True, text=True
    ).stdout
    return int(shown.split()[-1]) / 1024  # Linux gives KiB


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=int, default=30)
    args = parser.parse_args()
    cores = os.cpu_count() or 1
    with tempfile.TemporaryDirectory(prefix="lingting-listen-") as folder:
        work = Path(folder)
        call = write_call(work / "call.wav", args.minutes)
        audio_s = args.minutes * 60
        print(
            f"{args.minutes}-minute stereo 8 kHz 16-bit call, {call.stat().st_size / 2**20:.0f} MiB"
        )

        print("one call, one worker:", per_core(audio_s, *listen([call], 1, work / "one.jsonl")))

        copies = [call] + [work / f"copy{n}.wav" for n in range(1, cores)]
        for copy in copies[1:]:
            copy.hardlink_to(call)
        every = listen(copies, cores, work / "every.jsonl")
        print(
            f"{len(copies)} calls, {cores} workers:",
            per_core(audio_s * len(copies), *every, cores=cores),
        )

        for minutes in (10, 120):
            path = write_call(work / f"call{minutes}.wav", minutes)
            peak = peak_memory_mib(path, work / "memory.jsonl")
            size = path.stat().st_size / 2**20
            print(f"{minutes}-minute call ({size:.0f} MiB on disk): peak memory {peak:.0f} MiB")
            path.unlink()

        ten = write_call(work / "ten.wav", 10)
        for name, container, codec in (("mp3", "MP3", "MPEG_LAYER_III"), ("opus", "OGG", "OPUS")):
            coded = encode(ten, work / f"ten.{name}", container, codec)
            took = listen([coded], 1, work / f"{name}.jsonl")
            print(f"10-minute call as {name}, one worker:", per_core(600, *took))
        for minutes in (10, 60):
            mp3 = encode(
                write_call(work / "long.wav", minutes), work / "long.mp3", "MP3", "MPEG_LAYER_III"
            )
            peak = peak_memory_mib(mp3, work / "memory.jsonl")
            print(f"{minutes}-minute call as mp3: peak memory {peak:.0f} MiB")
        print("target (issue 18): ≥ 500× real time per core; memory the same for 10 and 120 min")


if __name__ == "__main__":
    main()
