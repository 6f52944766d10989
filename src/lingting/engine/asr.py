"""Speech recognition of a call recording, over the voice segments the detector found.

Each voice segment (`lingting.engine.listening`) is recognised alone, so on a stereo call
each is one speaker's turn: the agent's channel or the customer's. A segment longer than
`MAX_PIECE_S` is cut at its quietest moment within the last `CUT_WINDOW_S` (Whisper and
SenseVoice read 30 s at most) and its text joined again. Pieces are decoded in batches of
about `BATCH_S` of audio, so memory stays flat however long the call; each turn keeps the
model's punctuation, and its tokens' times where the model gives them. The model itself,
found in the folder the user supplies and loaded into sherpa-onnx, is `asr_model`'s.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from lingting.engine.asr_model import Decoded, Recognizer
from lingting.engine.audio import (
    RecordingInfo,
    heard_rate,
    read_recording_blocks,
    read_recording_info,
)
from lingting.engine.listening import Heard
from lingting.engine.speech_rate import speaker_speech_rate, turn_speech_rate

MAX_PIECE_S = 20.0
CUT_WINDOW_S = 5.0
BATCH_S = 60.0
BLOCK_S = 10
_PER_SAMPLE = np.float32(1 / 32768)  # int16 samples to the [-1, 1) sherpa-onnx takes


@dataclass(frozen=True, slots=True)
class Piece:
    """Audio of one turn to recognise: `samples` in [-1, 1) from `offset_s` into the call."""

    turn: int
    offset_s: float
    samples: npt.NDArray[np.float32]


def recognise_turns(
    path: Path, heard: Heard, recognizer: Recognizer, *, agent_channel: int = 0
) -> list[dict[str, Any]]:
    """The turns of the recording at `path` in the interaction format, ordered by start:
    `speaker`, `start`, `end`, `text`, and `tokens` ([{text, start}]) where the model times
    them. One turn per voice segment that has words; on a mono recording, which mixes both
    sides, `speaker` is None: who said it is not known."""
    info = read_recording_info(path)
    # The samples as listening heard them (a rate the detector takes, resampled if need be),
    # so the segments' frames fall on the same samples.
    rate = heard_rate(info.sample_rate)
    spans = _spans(heard, agent_channel)
    frame_len = round(rate * heard.frame_s)
    in_samples = [(c, s * frame_len, e * frame_len) for c, s, e in spans]
    # Only what was said is kept, not the audio: memory stays flat however long the call.
    said_in: dict[int, list[tuple[float, Decoded]]] = defaultdict(list)
    for batch in _batches(_pieces(path, info, rate, in_samples), rate):
        decoded = recognizer.decode([piece.samples for piece in batch], rate)
        for piece, said in zip(batch, decoded, strict=True):
            said_in[piece.turn].append((piece.offset_s, said))
    by_channel = ("agent", "customer") if agent_channel == 0 else ("customer", "agent")
    turns = []
    for index, (channel, start, end) in enumerate(spans):
        speaker = by_channel[channel] if heard.channels == 2 else None
        times = (round(start * heard.frame_s, 2), round(end * heard.frame_s, 2))
        turn = _turn(speaker, times, sorted(said_in[index], key=lambda part: part[0]))
        if turn is not None:
            turns.append(turn)
    return turns


def _turn(
    speaker: str | None, times: tuple[float, float], parts: list[tuple[float, Decoded]]
) -> dict[str, Any] | None:
    """A segment's turn from what was said in its pieces (each with its offset in the call),
    in order; None when the model heard no words."""
    text = _joined([said.text for _, said in parts])
    if not text:
        return None
    turn: dict[str, Any] = {"speaker": speaker, "start": times[0], "end": times[1], "text": text}
    tokens = [
        {"text": token, "start": round(offset + at, 2)}
        for offset, said in parts
        for token, at in said.tokens
    ]
    if tokens:
        turn["tokens"] = tokens
    return turn


def _spans(heard: Heard, agent_channel: int) -> list[tuple[int, int, int]]:
    """Every voice segment as (channel, start frame, end frame), by start; the agent's
    first when two start and end together, as in `call_metrics`' segments."""
    spans = [(c, s, e) for c, segments in enumerate(heard.segments) for s, e in segments]
    return sorted(spans, key=lambda span: (span[1], span[2], span[0] != agent_channel))


@dataclass(slots=True)
class _Gathering:
    """A segment's samples as the blocks bring them, given out a piece at a time."""

    turn: int
    channel: int
    next_sample: int  # the first sample of the call not yet gathered
    end: int
    offset: int  # where the samples gathered so far start in the call
    parts: list[npt.NDArray[np.float32]] = field(default_factory=list)
    held: int = 0

    @property
    def done(self) -> bool:
        return self.next_sample >= self.end

    def take(self, block: npt.NDArray[np.int16], block_start: int) -> None:
        """What of the segment the block holds."""
        upto = min(self.end, block_start + len(block))
        if upto > self.next_sample:
            samples = block[self.next_sample - block_start : upto - block_start, self.channel]
            self.parts.append(samples.astype(np.float32) * _PER_SAMPLE)
            self.held += upto - self.next_sample
            self.next_sample = upto

    def cut(self, longest: int, window: int, rate: int) -> Piece:
        """The first `longest` samples or fewer, up to the quietest 10 ms of the last
        `window`; the rest stays gathered."""
        held = np.concatenate(self.parts)
        frame = rate // 100
        tail = held[longest - window : longest]
        energy = np.square(tail[: len(tail) // frame * frame].reshape(-1, frame)).sum(axis=1)
        at = longest - window + int(np.argmin(energy)) * frame + frame // 2
        piece = Piece(self.turn, self.offset / rate, held[:at])
        self.parts, self.held, self.offset = [held[at:]], len(held) - at, self.offset + at
        return piece

    def rest(self, rate: int) -> Piece:
        return Piece(self.turn, self.offset / rate, np.concatenate(self.parts))


def _pieces(
    path: Path, info: RecordingInfo, rate: int, spans: list[tuple[int, int, int]]
) -> Iterator[Piece]:
    """The samples of each span (channel, first sample, end sample at `rate`), a piece at a
    time, reading the file once in blocks."""
    longest, window = round(MAX_PIECE_S * rate), round(CUT_WINDOW_S * rate)
    waiting = iter(enumerate(spans))
    upcoming = next(waiting, None)
    gathering: list[_Gathering] = []
    block_start = 0
    for block in read_recording_blocks(path, info, BLOCK_S * rate):
        while upcoming is not None and upcoming[1][1] < block_start + len(block):
            turn, (channel, start, end) = upcoming
            gathering.append(_Gathering(turn, channel, start, end, start))
            upcoming = next(waiting, None)
        for segment in gathering:
            segment.take(block, block_start)
            while segment.held > longest:
                yield segment.cut(longest, window, rate)
        yield from (segment.rest(rate) for segment in gathering if segment.done and segment.held)
        gathering = [segment for segment in gathering if not segment.done]
        block_start += len(block)
    # A segment whose last frame ran past the samples (a file cut short): what it holds.
    yield from (segment.rest(rate) for segment in gathering if segment.held)


def _batches(pieces: Iterator[Piece], rate: int) -> Iterator[list[Piece]]:
    """Pieces in batches of about BATCH_S of audio, each sorted by length so that the
    padding to the longest in a batch stays small."""
    batch: list[Piece] = []
    held = 0
    for piece in pieces:
        batch.append(piece)
        held += len(piece.samples)
        if held >= BATCH_S * rate:
            yield sorted(batch, key=lambda p: len(p.samples))
            batch, held = [], 0
    if batch:
        yield sorted(batch, key=lambda p: len(p.samples))


def _joined(texts: list[str]) -> str:
    """The texts of a turn's pieces as one: a space only between two words of a language
    written with spaces (a letter or digit on both sides)."""
    joined = ""
    for text in filter(None, texts):
        if joined and _word_character(joined[-1]) and _word_character(text[0]):
            joined += " "
        joined += text
    return joined


def _word_character(character: str) -> bool:
    return character.isascii() and character.isalnum()


def transcript_metrics(
    path: Path, heard: Heard, recognizer: Recognizer, *, agent_channel: int = 0
) -> dict[str, Any]:
    """What `lingting listen --asr-model` adds to a file's line: `turns`, each agent turn with
    its `speech_rate_cpm`, and `agent_speech_rate_cpm` over the call (None on a mono file,
    where no turn is known to be the agent's)."""
    turns = recognise_turns(path, heard, recognizer, agent_channel=agent_channel)
    for turn in turns:
        if turn["speaker"] == "agent":
            turn["speech_rate_cpm"] = _rounded(
                turn_speech_rate(turn["text"], turn["start"], turn["end"])
            )
    return {
        "turns": turns,
        "agent_speech_rate_cpm": _rounded(speaker_speech_rate(turns, "agent")),
    }


def _rounded(rate: float | None) -> float | None:
    return None if rate is None else round(rate, 1)
