"""A call recording's waveform, small enough to store and draw: per channel, the loudest
sample of each of a few hundred equal slices of the call.

A stereo call gives two lanes, the agent's and the customer's (the agent on channel 0
unless told); a mono recording mixes both sides and gives one lane, `mono`, rather than a
guess at who spoke. Peaks are |sample| as a share of full scale (0–1), to three digits:
enough to draw, a few kilobytes to keep. The file is read in blocks
(`lingting.engine.audio`), so memory stays flat however long the call.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from lingting.engine.audio import heard_rate, read_recording_blocks, read_recording_info

# About one slice per pixel of a waveform drawn across a page.
POINTS = 800
BLOCK_S = 10
FULL_SCALE = 32768.0


def waveform(path: Path, *, agent_channel: int = 0, points: int = POINTS) -> dict[str, Any]:
    """{"duration_s", "lanes": {"agent": [...], "customer": [...]}} for a stereo call,
    {"duration_s", "lanes": {"mono": [...]}} for a mono one: `points` peaks per lane (fewer
    when the call has fewer samples).

    Raises `AudioFormatError` (or OSError) when the file cannot be read as a call."""
    if points < 1:
        raise ValueError(f"points must be at least 1, not {points}")
    if agent_channel not in (0, 1):
        raise ValueError(f"agent_channel must be 0 or 1, not {agent_channel}")
    info = read_recording_info(path)
    # Read as listening reads it (any type, resampled where the rate needs it), so the
    # waveform lines up with the segments; a compressed file's length is the decoder's
    # estimate, and samples past it fold into the last slice.
    rate = heard_rate(info.sample_rate)
    frames = round(info.frames * rate / info.sample_rate)
    slices = min(points, frames)
    peaks = np.zeros((slices, info.channels), dtype=np.int32)
    first = 0
    for block in read_recording_blocks(path, info, rate * BLOCK_S):
        _fold_peaks(peaks, block, first, frames)
        first += len(block)
    shares = np.round(peaks / FULL_SCALE, 3)
    if info.channels == 1:
        lanes = {"mono": shares[:, 0].tolist()}
    else:
        lanes = {
            "agent": shares[:, agent_channel].tolist(),
            "customer": shares[:, 1 - agent_channel].tolist(),
        }
    return {"duration_s": round(info.duration_s, 2), "lanes": lanes}


def _fold_peaks(
    peaks: npt.NDArray[np.int32], block: npt.NDArray[np.int16], first: int, frames: int
) -> None:
    """Raise each slice's peak to the loudest sample of `block` (frames `first`…) in it.

    Frame f belongs to slice f * slices // frames: slices differ in length by one frame at
    most, and a block's frames fall into consecutive slices, so each slice's part of the
    block is one run, reduced at once."""
    slices = len(peaks)
    if slices == 0:  # a decoder that announced no samples and gave some: nothing to draw on
        return
    # int32 first: the magnitude of -32768 does not fit in int16.
    magnitudes = np.abs(block.astype(np.int32))
    owner = np.minimum(
        (np.arange(first, first + len(block), dtype=np.int64) * slices) // frames, slices - 1
    )
    starts = np.concatenate(([0], np.flatnonzero(np.diff(owner)) + 1))
    loudest = np.maximum.reduceat(magnitudes, starts, axis=0)
    touched = owner[starts]
    peaks[touched] = np.maximum(peaks[touched], loudest)
