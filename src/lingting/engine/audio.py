"""Reading call recordings, a block at a time: WAV here, MP3, OGG (Opus, Vorbis) and FLAC
through libsndfile.

Call recorders write WAV files as 16-bit linear PCM or as G.711 (A-law, format tag 6, and
µ-law, tag 7: the telephone network's own encodings, one byte a sample). The header is read
here chunk by chunk rather than with the standard `wave` module, which knows PCM only; G.711
is decoded with two 256-entry tables (the standard `audioop` is gone from Python 3.13).
Compressed recordings are decoded offline by libsndfile (the `soundfile` package's wheels
bundle it with its MP3, Opus, Vorbis and FLAC decoders). Which reader a file gets is chosen
by its extension. Samples come out as int16 blocks, so a two-hour recording is read in flat
memory. A recording at a rate the voice detector does not work at (11.025, 22.05, 44.1 kHz
…) is resampled to 16 kHz as it is read.

A file that is not a WAV, holds another encoding (24-bit, float, ADPCM …), or is shorter
than its header says raises `AudioFormatError` with a reason a user can act on; so does a
compressed file libsndfile cannot decode, and a file of any other type.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import numpy as np
import numpy.typing as npt

Samples = npt.NDArray[np.int16]  # (frames, channels)

PCM, IEEE_FLOAT, ALAW, MULAW, EXTENSIBLE = 1, 3, 6, 7, 0xFFFE
# The rates the voice detector works at (telephone 8 kHz and wideband 16 kHz among them);
# a recording at another rate in the range read is resampled to RESAMPLED_RATE: wideband
# speech, enough for the detector and for levels.
SAMPLE_RATES = (8000, 16000, 32000, 48000)
LOWEST_RATE, HIGHEST_RATE, RESAMPLED_RATE = 8000, 192000, 16000
_FORMAT_NAMES = {IEEE_FLOAT: "IEEE float", 2: "MS ADPCM", 0x11: "IMA ADPCM", 0x55: "MP3"}
UNKNOWN_SIZE = 0xFFFFFFFF
SUPPORTED = "Lingting reads 16-bit PCM, A-law or µ-law WAV"
# The extensions of the compressed recordings libsndfile decodes, and what each one holds.
COMPRESSED = {".mp3": "MP3", ".ogg": "OGG", ".oga": "OGG", ".opus": "OGG/Opus", ".flac": "FLAC"}
RECORDING_TYPES = ".wav, .mp3, .ogg, .oga, .opus or .flac"


class AudioFormatError(ValueError):
    """The file cannot be read as a call recording; the message says why."""


@dataclass(frozen=True, slots=True)
class WavInfo:
    channels: int
    sample_rate: int
    encoding: str  # "pcm16", "alaw" or "mulaw"
    frames: int  # samples per channel
    data_offset: int

    @property
    def bytes_per_frame(self) -> int:
        return self.channels * (2 if self.encoding == "pcm16" else 1)

    @property
    def duration_s(self) -> float:
        return self.frames / self.sample_rate

    @property
    def full_scale(self) -> int:
        """The largest magnitude a sample can take: G.711's loudest code decodes below the
        int16 limit, so a clipped A-law or µ-law call reaches this, not 32767."""
        return {"alaw": int(ALAW_TABLE.max()), "mulaw": int(MULAW_TABLE.max())}.get(
            self.encoding, 32767
        )


@dataclass(frozen=True, slots=True)
class CompressedInfo:
    """A compressed recording as libsndfile announces it (`frames` may be an estimate for
    MP3: the samples read are what counts)."""

    channels: int
    sample_rate: int
    encoding: str  # libsndfile's subtype: "MPEG_LAYER_III", "OPUS", "VORBIS", "PCM_16" …
    frames: int
    full_scale: int = 32767

    @property
    def duration_s(self) -> float:
        return self.frames / self.sample_rate


RecordingInfo = WavInfo | CompressedInfo


def _mulaw_table() -> npt.NDArray[np.int16]:
    code = ~np.arange(256, dtype=np.int32) & 0xFF
    exponent = (code >> 4) & 0x07
    magnitude = (((code & 0x0F) << 3) + 0x84) << exponent
    value = magnitude - 0x84
    return np.where(code & 0x80, -value, value).astype(np.int16)


def _alaw_table() -> npt.NDArray[np.int16]:
    code = np.arange(256, dtype=np.int32) ^ 0x55
    exponent = (code >> 4) & 0x07
    mantissa = code & 0x0F
    magnitude = np.where(
        exponent == 0, (mantissa << 4) + 8, ((mantissa << 4) + 0x108) << np.maximum(exponent - 1, 0)
    )
    # In A-law the sign bit set means a positive sample.
    return np.where(code & 0x80, magnitude, -magnitude).astype(np.int16)


MULAW_TABLE = _mulaw_table()
ALAW_TABLE = _alaw_table()


def read_recording_info(path: Path) -> RecordingInfo:
    """The recording's format, by its extension: raises AudioFormatError for a file of
    another type or one that cannot be read."""
    suffix = path.suffix.lower()
    if suffix == ".wav":
        return read_wav_info(path)
    if suffix in COMPRESSED:
        return _read_compressed_info(path, COMPRESSED[suffix])
    named = f"'{suffix}'" if suffix else "a file without an extension"
    raise AudioFormatError(f"{named} is not a recording type Lingting reads ({RECORDING_TYPES})")


def heard_rate(sample_rate: int) -> int:
    """The rate `read_recording_blocks` gives a recording's samples at."""
    return sample_rate if sample_rate in SAMPLE_RATES else RESAMPLED_RATE


def read_recording_blocks(
    path: Path, info: RecordingInfo, frames_per_block: int
) -> Iterator[Samples]:
    """The samples as int16 arrays of shape (frames, channels), `frames_per_block` at a time
    (the last block may be shorter), at `heard_rate(info.sample_rate)`, whatever the
    recording's type."""
    rate = heard_rate(info.sample_rate)
    if rate == info.sample_rate:
        return _read_native_blocks(path, info, frames_per_block)
    per_read = max(1, frames_per_block * info.sample_rate // rate)
    resampler = _Resampler.between(info.sample_rate, rate, info.channels)
    return _rechunked(map(resampler, _read_native_blocks(path, info, per_read)), frames_per_block)


def _read_native_blocks(
    path: Path, info: RecordingInfo, frames_per_block: int
) -> Iterator[Samples]:
    if isinstance(info, WavInfo):
        return read_blocks(path, info, frames_per_block)
    # A decoder may hand over fewer frames than asked before the end.
    return _rechunked(_read_compressed_blocks(path, frames_per_block), frames_per_block)


def read_wav_info(path: Path) -> WavInfo:
    """The recording's format, checked: raises AudioFormatError for anything unreadable."""
    size = path.stat().st_size
    with path.open("rb") as stream:
        head = stream.read(12)
        if len(head) < 12 or head[:4] != b"RIFF" or head[8:12] != b"WAVE":
            raise AudioFormatError(f"not a WAV file (no RIFF/WAVE header); {SUPPORTED}")
        fmt: tuple[int, int, int, int, int] | None = None
        while True:
            chunk = stream.read(8)
            if len(chunk) < 8:
                raise AudioFormatError("truncated: the file ends before its audio data")
            name, length = chunk[:4], struct.unpack("<I", chunk[4:])[0]
            if name == b"fmt ":
                fmt = _read_fmt(stream, length)
            elif name == b"data":
                if fmt is None:
                    raise AudioFormatError("no format chunk before the audio data")
                return _info(fmt, length, stream.tell(), size)
            else:
                stream.seek(length + (length & 1), 1)


def _read_fmt(stream: BinaryIO, length: int) -> tuple[int, int, int, int, int]:
    body = stream.read(length + (length & 1))
    if length < 16 or len(body) < 16:
        raise AudioFormatError("truncated or damaged format chunk")
    tag, channels, rate, _, block_align, bits = struct.unpack("<HHIIHH", body[:16])
    if tag == EXTENSIBLE and length >= 26:
        tag = struct.unpack("<H", body[24:26])[0]
    return tag, channels, rate, block_align, bits


def _info(fmt: tuple[int, int, int, int, int], length: int, offset: int, size: int) -> WavInfo:
    tag, channels, rate, block_align, bits = fmt
    encoding = {(PCM, 16): "pcm16", (ALAW, 8): "alaw", (MULAW, 8): "mulaw"}.get((tag, bits))
    if encoding is None:
        name = _FORMAT_NAMES.get(tag, "PCM" if tag == PCM else f"format tag {tag}")
        raise AudioFormatError(f"unsupported encoding: {bits}-bit {name}; {SUPPORTED}")
    _check_layout(channels, rate)
    width = 2 if encoding == "pcm16" else 1
    if block_align != channels * width:
        raise AudioFormatError(f"damaged format chunk: block size {block_align}")
    held = size - offset
    if length in (0, UNKNOWN_SIZE) and held > 0:
        # A recorder that writes as it goes fills the size in when it stops; one that never
        # did (stopped hard, or streaming) leaves 0 or all ones: the audio runs to the end.
        length = held - held % block_align
    if length > held or length % block_align:
        raise AudioFormatError(
            f"truncated: the header announces {length} bytes of audio, the file holds {held}"
        )
    return WavInfo(channels, rate, encoding, length // block_align, offset)


def read_blocks(
    path: Path, info: WavInfo, frames_per_block: int
) -> Iterator[npt.NDArray[np.int16]]:
    """The samples as int16 arrays of shape (frames, channels), `frames_per_block` at a time
    (the last block may be shorter)."""
    table = {"alaw": ALAW_TABLE, "mulaw": MULAW_TABLE}.get(info.encoding)
    left = info.frames
    with path.open("rb") as stream:
        stream.seek(info.data_offset)
        while left > 0:
            count = min(frames_per_block, left)
            raw = stream.read(count * info.bytes_per_frame)
            if len(raw) < count * info.bytes_per_frame:
                raise AudioFormatError("truncated: the file got shorter while it was read")
            if table is None:
                samples = np.frombuffer(raw, dtype="<i2").astype(np.int16)
            else:
                samples = table[np.frombuffer(raw, dtype=np.uint8)]
            yield samples.reshape(count, info.channels)
            left -= count


def _read_compressed_info(path: Path, kind: str) -> CompressedInfo:
    import soundfile

    with path.open("rb") as stream:
        try:
            found = soundfile.info(stream)
        except soundfile.LibsndfileError as exc:
            raise AudioFormatError(f"not a readable {kind} file ({exc.error_string})") from exc
    _check_layout(found.channels, found.samplerate)
    return CompressedInfo(found.channels, found.samplerate, found.subtype, found.frames)


def _check_layout(channels: int, rate: int) -> None:
    if channels not in (1, 2):
        raise AudioFormatError(f"{channels} channels: a call is mono or stereo (one per side)")
    if not LOWEST_RATE <= rate <= HIGHEST_RATE:
        raise AudioFormatError(
            f"sample rate {rate} Hz is not supported "
            f"({LOWEST_RATE // 1000} kHz to {HIGHEST_RATE // 1000} kHz)"
        )


def _read_compressed_blocks(path: Path, frames_per_block: int) -> Iterator[Samples]:
    import soundfile

    kind = COMPRESSED[path.suffix.lower()]
    with path.open("rb") as stream, soundfile.SoundFile(stream) as decoded:
        # soundfile's own `blocks` yields a whole block even when fewer frames were left
        # (its tail then repeats stale samples): a truncated file would gain sound.
        done = 0
        while True:
            try:
                block = decoded.read(frames_per_block, dtype="float32", always_2d=True)
            except soundfile.LibsndfileError as exc:
                at = done / decoded.samplerate
                raise AudioFormatError(
                    f"damaged {kind} data after {at:.1f} s ({exc.error_string})"
                ) from exc
            if not len(block):
                return
            done += len(block)
            # Decoded as float and rounded here: a lossy codec overshoots full scale where
            # the original clipped, and libsndfile's own conversion of Opus to int16 wraps.
            yield np.clip(np.rint(block * 32768.0), -32768, 32767).astype(np.int16)


@dataclass(slots=True)
class _Resampler:
    """One rate into another, block after block as if the recording were one piece: a
    low-pass filter against aliasing when going down (its state carried from block to
    block), then linear interpolation between neighbouring samples. Speech below 7 kHz,
    all the detector and a level need, comes through within a fraction of a decibel."""

    rate: int
    target: int
    low_pass: npt.NDArray[np.float64] | None
    state: npt.NDArray[np.float64] | None
    previous: npt.NDArray[np.float64]  # the last sample read, for the first gap of a block
    read: int = 0  # input samples so far
    made: int = 0  # output samples so far

    @classmethod
    def between(cls, rate: int, target: int, channels: int) -> _Resampler:
        from scipy import signal

        if target > rate:
            return cls(rate, target, None, None, np.zeros((1, channels)))
        sections = signal.butter(8, 0.45 * target, fs=rate, output="sos")
        state = np.zeros((len(sections), 2, channels))
        return cls(rate, target, sections, state, np.zeros((1, channels)))

    def __call__(self, block: Samples) -> Samples:
        from scipy import signal

        samples = block.astype(np.float64)
        if self.low_pass is not None:
            samples, self.state = signal.sosfilt(self.low_pass, samples, axis=0, zi=self.state)
        known = np.concatenate([self.previous, samples])  # input samples read - 1 onwards
        end = self.read + len(samples)
        # Output sample k lies at input position k·rate/target; those up to the last sample
        # read are made now.
        last = (end - 1) * self.target // self.rate
        whole, part = np.divmod(np.arange(self.made, last + 1) * self.rate, self.target)
        at = whole - (self.read - 1)
        weight = (part / self.target)[:, None]
        after = known[np.minimum(at + 1, len(known) - 1)]
        made = known[at] * (1 - weight) + after * weight
        self.previous, self.read, self.made = known[-1:], end, last + 1
        out: Samples = np.clip(np.rint(made), -32768, 32767).astype(np.int16)
        return out


def _rechunked(blocks: Iterator[Samples], size: int) -> Iterator[Samples]:
    """The same samples in blocks of exactly `size` frames (the last may be shorter)."""
    held: list[Samples] = []
    count = 0
    for block in blocks:
        held.append(block)
        count += len(block)
        if count >= size:
            joined = np.concatenate(held)
            whole = len(joined) // size * size
            yield from np.split(joined[:whole], whole // size)
            held, count = [joined[whole:]], len(joined) - whole
    if count:
        yield np.concatenate(held)
