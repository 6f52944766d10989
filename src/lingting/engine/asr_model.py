"""A speech recognition model the user supplies: what the folder holds, where it runs, and
loading it into sherpa-onnx.

Lingting never downloads a model. The folder holds one of the offline models sherpa-onnx
reads, as its releases ship them, and which one is told by the files present:

- an encoder, a decoder and a joiner (`encoder*.onnx`, `decoder*.onnx`, `joiner*.onnx`):
  a transducer (icefall's Zipformer and Conformer, or NeMo's);
- an encoder and a decoder without a joiner: Whisper;
- one model (`model.onnx`): SenseVoice, Paraformer, a NeMo CTC or a Zipformer CTC model.
  These share their file names, so the model's own metadata decides: the `model_type` that
  sherpa-onnx's export scripts write into it, the key sherpa-onnx itself reads to pick its
  decoder. It is read here without loading the model (`onnx_metadata`).

each beside its `tokens.txt`. Where a folder holds both a model and its int8 variant
(`model.int8.onnx`), the int8 one runs on a CPU (several times faster, nearly as accurate)
and the full one on a GPU. A folder that holds no model is an `AsrModelError` naming the
folder and the files it lacks.

sherpa-onnx runs the model on onnxruntime's CUDA provider when its build has one and the
machine has an NVIDIA GPU with its driver loaded (`choose_provider`), and on the CPU
otherwise. The wheel on PyPI is built for the CPU only; sherpa-onnx publishes CUDA builds
of the same version apart.
"""

from __future__ import annotations

import importlib.util
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import numpy as np
import numpy.typing as npt

RESAMPLE_ZERO_CROSSINGS = 10  # the low-pass filter's reach each side

KIND_NAMES = {
    "sense_voice": "SenseVoice",
    "paraformer": "Paraformer",
    "nemo_ctc": "NeMo CTC",
    "zipformer_ctc": "Zipformer CTC",
    "whisper": "Whisper",
    "transducer": "transducer",
    "nemo_transducer": "NeMo transducer",
}
# The `model_type` in a single-file model's metadata → its kind (sherpa-onnx's names).
_SINGLE_FILE_KINDS = {
    "sense_voice_ctc": "sense_voice",
    "paraformer": "paraformer",
    "EncDecCTCModelBPE": "nemo_ctc",
    "EncDecCTCModel": "nemo_ctc",
    "EncDecHybridRNNTCTCBPEModel": "nemo_ctc",
    "zipformer2_ctc": "zipformer_ctc",
}
_NEMO_TRANSDUCERS = ("EncDecRNNTBPEModel", "EncDecHybridRNNTCTCBPEModel")
_READS = (
    "Lingting reads sherpa-onnx's offline models: SenseVoice, Paraformer, Whisper, "
    "transducers, NeMo and Zipformer CTC"
)
_METADATA_FIELD = 14  # ModelProto.metadata_props in onnx.proto
_ENCODER, _DECODER, _JOINER = "encoder", "decoder", "joiner"


class AsrModelError(ValueError):
    """The folder does not hold a model Lingting can run; the message says why."""


@dataclass(frozen=True, slots=True)
class AsrModel:
    """A model found in a folder: its kind (a key of KIND_NAMES) and its files by role
    (`model`, or `encoder`, `decoder` and `joiner`; and `tokens`)."""

    folder: Path
    kind: str
    files: dict[str, Path]

    def describe(self) -> str:
        used = ", ".join(p.name for role, p in self.files.items() if role != "tokens")
        return f"the {KIND_NAMES[self.kind]} model in {self.folder} ({used})"


@dataclass(frozen=True, slots=True)
class Provider:
    """Where the model runs: `cuda` or `cpu`, and why."""

    name: str
    reason: str


def find_model(folder: Path, *, prefer_int8: bool = True) -> AsrModel:
    """The model in `folder`; raises AsrModelError when there is none Lingting can run."""
    if not folder.is_dir():
        raise AsrModelError(f"{folder}: no such folder")
    onnx = sorted(folder.glob("*.onnx"))
    tokens = _tokens_file(folder)
    parts = {role: [p for p in onnx if role in p.name] for role in (_ENCODER, _DECODER, _JOINER)}
    missing = [] if tokens else ["tokens.txt"]
    if any(parts.values()):
        missing += [f"{role}*.onnx" for role in (_ENCODER, _DECODER) if not parts[role]]
        _complain(folder, missing)
        assert tokens is not None
        return _encoder_decoder(folder, parts, tokens, prefer_int8)
    if not onnx:
        missing.append("model.onnx (or an encoder and a decoder)")
    _complain(folder, missing)
    assert tokens is not None
    named_model = [p for p in onnx if p.name.startswith("model")]
    model = _pick(named_model or onnx, prefer_int8)
    model_type = onnx_metadata(model).get("model_type", "")
    kind = _SINGLE_FILE_KINDS.get(model_type)
    if kind is None:
        said = f"its model type is {model_type!r}" if model_type else "it has no model_type"
        raise AsrModelError(f"{folder}: {model.name} is not a model Lingting can run: {said}")
    return AsrModel(folder, kind, {"model": model, "tokens": tokens})


def _tokens_file(folder: Path) -> Path | None:
    plain = folder / "tokens.txt"
    if plain.is_file():
        return plain
    # Whisper's releases name theirs after the model: tiny-tokens.txt.
    return next(iter(sorted(folder.glob("*tokens.txt"))), None)


def _complain(folder: Path, missing: list[str]) -> None:
    if missing:
        raise AsrModelError(
            f"{folder}: not a speech recognition model: no {' and no '.join(missing)} ({_READS})"
        )


def _encoder_decoder(
    folder: Path, parts: dict[str, list[Path]], tokens: Path, prefer_int8: bool
) -> AsrModel:
    files = {role: _pick(found, prefer_int8) for role, found in parts.items() if found}
    files["tokens"] = tokens
    model_type = onnx_metadata(files[_ENCODER]).get("model_type", "")
    if _JOINER in files:
        kind = "nemo_transducer" if model_type in _NEMO_TRANSDUCERS else "transducer"
        return AsrModel(folder, kind, files)
    if model_type.startswith("whisper"):
        return AsrModel(folder, "whisper", files)
    said = f"is {model_type!r}" if model_type else "is not given"
    raise AsrModelError(
        f"{folder}: an encoder and a decoder without a joiner is a Whisper model, but the"
        f" model type of {files[_ENCODER].name} {said}; a transducer needs its joiner*.onnx"
    )


def _pick(candidates: list[Path], prefer_int8: bool) -> Path:
    int8 = [p for p in candidates if ".int8." in p.name]
    full = [p for p in candidates if ".int8." not in p.name]
    first, then = (int8, full) if prefer_int8 else (full, int8)
    return (first or then)[0]


def onnx_metadata(path: Path) -> dict[str, str]:
    """The key/value metadata of an ONNX model, read without loading the model: only the
    top-level fields of its protobuf are walked, and the graph, which holds the weights
    (hundreds of megabytes), is skipped over."""
    size = path.stat().st_size
    found: dict[str, str] = {}
    with path.open("rb") as stream:
        while (tag := _varint(stream)) is not None:
            field_number, wire = tag >> 3, tag & 7
            if wire == 0:
                _varint(stream)
            elif wire in (1, 5):
                stream.seek(8 if wire == 1 else 4, 1)
            elif wire == 2:
                length = _varint(stream) or 0
                if field_number == _METADATA_FIELD:
                    key, value = _entry(stream.read(length))
                    found[key] = value
                else:
                    stream.seek(length, 1)
            else:
                raise AsrModelError(f"{path}: not an ONNX model (damaged or another format)")
            if stream.tell() > size:
                raise AsrModelError(f"{path}: not an ONNX model (damaged or cut short)")
    return found


def _varint(stream: IO[bytes]) -> int | None:
    value, shift = 0, 0
    while byte := stream.read(1):
        value |= (byte[0] & 0x7F) << shift
        if byte[0] < 0x80:
            return value
        shift += 7
    return None


def _entry(body: bytes) -> tuple[str, str]:
    """A StringStringEntryProto: field 1 the key, field 2 the value."""
    texts = {1: "", 2: ""}
    at = 0
    while at < len(body):
        tag, at = _buffer_varint(body, at)
        length, at = _buffer_varint(body, at)
        if tag & 7 != 2:
            break
        texts[tag >> 3] = body[at : at + length].decode("utf-8", "replace")
        at += length
    return texts[1], texts[2]


def _buffer_varint(body: bytes, at: int) -> tuple[int, int]:
    value, shift = 0, 0
    while at < len(body):
        byte = body[at]
        at += 1
        value |= (byte & 0x7F) << shift
        if byte < 0x80:
            break
        shift += 7
    return value, at


def choose_provider(
    sherpa_dir: Path | None = None, gpus: Path = Path("/proc/driver/nvidia/gpus")
) -> Provider:
    """CUDA when sherpa-onnx's onnxruntime has its CUDA provider and an NVIDIA GPU is there.

    The GPU is found through the driver's entries in /proc, not by initialising CUDA: a
    process that initialised CUDA cannot fork workers that use it."""
    if sherpa_dir is None:
        # Found, not imported: the parent of the workers need not load onnxruntime.
        spec = importlib.util.find_spec("sherpa_onnx")
        origin = spec.origin if spec is not None else None
        if origin is None:
            return Provider("cpu", "sherpa-onnx is not installed")
        sherpa_dir = Path(origin).parent
    if not any(sherpa_dir.rglob("*onnxruntime_providers_cuda*")):
        return Provider("cpu", "this sherpa-onnx build has no CUDA provider")
    if not gpus.is_dir() or not any(gpus.iterdir()):
        return Provider("cpu", "no NVIDIA GPU on this machine")
    return Provider("cuda", "onnxruntime's CUDA provider on the NVIDIA GPU")


@dataclass(frozen=True, slots=True)
class Decoded:
    """What the model made of a clip: its text and, where it gives them, each token with
    its start in seconds from the start of the clip."""

    text: str
    tokens: tuple[tuple[str, float], ...]


class Recognizer:
    """A model loaded into sherpa-onnx, to decode pieces of audio in batches.

    Loading raises AsrModelError where onnxruntime refuses the file; on some broken models
    (metadata missing) sherpa-onnx ends the process instead, so load it in a worker."""

    def __init__(self, model: AsrModel, provider: Provider, *, threads: int = 1) -> None:
        import sherpa_onnx

        self.model = model
        self.provider = provider
        try:
            self._sherpa = _load(sherpa_onnx.OfflineRecognizer, model, provider.name, threads)
        except RuntimeError as exc:  # what onnxruntime says of a file it cannot read
            raise AsrModelError(f"sherpa-onnx cannot load {model.describe()}: {exc}") from exc
        self.sample_rate = int(self._sherpa.config.feat_config.sampling_rate)

    def decode(self, clips: Sequence[npt.NDArray[np.float32]], sample_rate: int) -> list[Decoded]:
        """What the model makes of each clip: samples in [-1, 1) at `sample_rate`, resampled
        to the model's; decoded together, as one batch."""
        streams = []
        for samples in clips:
            stream = self._sherpa.create_stream()
            stream.accept_waveform(
                self.sample_rate, resampled(samples, sample_rate, self.sample_rate)
            )
            streams.append(stream)
        self._sherpa.decode_streams(streams)
        return [_decoded(stream.result) for stream in streams]


def resampled(samples: npt.NDArray[np.float32], rate: int, to_rate: int) -> npt.NDArray[np.float32]:
    """`samples` at `rate` as samples at `to_rate`: zeros stuffed between them, a windowed-sinc
    low-pass below the lower of the two Nyquist frequencies, then every `down`th kept.

    Done here rather than left to sherpa-onnx, which says so on stderr for every piece, and
    with numpy rather than scipy.signal, which takes seconds to import in each worker."""
    if rate == to_rate:
        return samples
    common = math.gcd(rate, to_rate)
    up, down = to_rate // common, rate // common
    reach = RESAMPLE_ZERO_CROSSINGS * max(up, down)
    n = np.arange(-reach, reach + 1)
    cutoff = 1 / max(up, down)  # of the Nyquist frequency at `up` times the rate
    taps = up * cutoff * np.sinc(cutoff * n) * np.kaiser(len(n), 6.0)
    stuffed = np.zeros(len(samples) * up, dtype=np.float32)
    stuffed[::up] = samples
    return np.asarray(np.convolve(stuffed, taps, mode="same")[::down], dtype=np.float32)


def _load(recognizer: Any, model: AsrModel, provider: str, threads: int) -> Any:
    files = {role: str(path) for role, path in model.files.items()}
    common = {"tokens": files["tokens"], "num_threads": threads, "provider": provider}
    match model.kind:
        case "sense_voice":
            # Inverse text normalisation also gives SenseVoice's punctuation.
            return recognizer.from_sense_voice(model=files["model"], use_itn=True, **common)
        case "paraformer":
            return recognizer.from_paraformer(paraformer=files["model"], **common)
        case "nemo_ctc":
            return recognizer.from_nemo_ctc(model=files["model"], **common)
        case "zipformer_ctc":
            return recognizer.from_zipformer_ctc(model=files["model"], **common)
        case "whisper":
            # No language: a multilingual Whisper finds it in the audio.
            return recognizer.from_whisper(
                encoder=files[_ENCODER], decoder=files[_DECODER], language="", **common
            )
        case _:
            return recognizer.from_transducer(
                encoder=files[_ENCODER],
                decoder=files[_DECODER],
                joiner=files[_JOINER],
                model_type=model.kind,
                **common,
            )


def _decoded(result: Any) -> Decoded:
    tokens, times = list(result.tokens), list(result.timestamps)
    timed = tuple(zip(tokens, times, strict=True)) if len(tokens) == len(times) else ()
    return Decoded(result.text.strip(), tuple((t, float(s)) for t, s in timed))
