"""The speech recognition model a user supplies: finding it in its folder, where it runs,
and the audio it is given (`lingting.engine.asr_model`)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import numpy as np
import onnx
import pytest

from lingting.engine.asr_model import (
    AsrModelError,
    Provider,
    Recognizer,
    choose_provider,
    find_model,
    onnx_metadata,
    resampled,
)
from tests.engine.tiny_asr_model import METADATA, build_tiny_model


def tiny_model_as(folder: Path, model_type: str, *names: str) -> Path:
    """A folder whose .onnx files (named `names`) say they are `model_type`."""
    built = build_tiny_model(folder, metadata={**METADATA, "model_type": model_type}) / "model.onnx"
    for name in names:
        if name != built.name:
            shutil.copy(built, folder / name)
    if names and built.name not in names:
        built.unlink()
    return folder


# --- finding the model --------------------------------------------------------------------


def test_a_nemo_ctc_folder_is_found_with_its_files(tmp_path: Path) -> None:
    model = find_model(build_tiny_model(tmp_path))

    assert model.kind == "nemo_ctc"
    assert model.files == {"model": tmp_path / "model.onnx", "tokens": tmp_path / "tokens.txt"}
    assert model.describe() == f"the NeMo CTC model in {tmp_path} (model.onnx)"


@pytest.mark.parametrize(
    ("model_type", "kind"),
    [
        ("sense_voice_ctc", "sense_voice"),
        ("paraformer", "paraformer"),
        ("EncDecCTCModel", "nemo_ctc"),
        ("EncDecHybridRNNTCTCBPEModel", "nemo_ctc"),
        ("zipformer2_ctc", "zipformer_ctc"),
    ],
)
def test_one_file_models_are_told_apart_by_their_metadata(
    tmp_path: Path, model_type: str, kind: str
) -> None:
    assert find_model(tiny_model_as(tmp_path, model_type)).kind == kind


def test_the_int8_variant_runs_on_a_cpu_and_the_full_model_on_a_gpu(tmp_path: Path) -> None:
    tiny_model_as(tmp_path, "sense_voice_ctc", "model.onnx", "model.int8.onnx")

    assert find_model(tmp_path).files["model"].name == "model.int8.onnx"
    assert find_model(tmp_path, prefer_int8=False).files["model"].name == "model.onnx"


def test_an_encoder_decoder_and_joiner_are_a_transducer(tmp_path: Path) -> None:
    names = ("encoder-epoch-99.int8.onnx", "decoder-epoch-99.onnx", "joiner-epoch-99.int8.onnx")
    model = find_model(tiny_model_as(tmp_path, "zipformer2", *names))

    assert model.kind == "transducer"
    assert [model.files[role].name for role in ("encoder", "decoder", "joiner")] == list(names)


def test_a_nemo_transducer_is_told_by_its_encoder(tmp_path: Path) -> None:
    names = ("encoder.onnx", "decoder.onnx", "joiner.onnx")
    assert find_model(tiny_model_as(tmp_path, "EncDecRNNTBPEModel", *names)).kind == (
        "nemo_transducer"
    )


def test_an_encoder_and_decoder_without_joiner_are_whisper(tmp_path: Path) -> None:
    tiny_model_as(tmp_path, "whisper-tiny", "tiny-encoder.int8.onnx", "tiny-decoder.int8.onnx")
    (tmp_path / "tokens.txt").rename(tmp_path / "tiny-tokens.txt")

    model = find_model(tmp_path)

    assert model.kind == "whisper"
    assert model.files["tokens"].name == "tiny-tokens.txt"
    assert model.describe().startswith("the Whisper model in")


def test_a_missing_folder_is_named(tmp_path: Path) -> None:
    with pytest.raises(
        AsrModelError, match=f"^{re.escape(str(tmp_path))}/nowhere: no such folder$"
    ):
        find_model(tmp_path / "nowhere")


def test_an_empty_folder_names_the_files_it_lacks(tmp_path: Path) -> None:
    with pytest.raises(AsrModelError) as error:
        find_model(tmp_path)

    assert str(error.value).startswith(
        f"{tmp_path}: not a speech recognition model: no tokens.txt and no model.onnx"
    )
    assert "SenseVoice, Paraformer, Whisper" in str(error.value)


def test_a_model_without_its_tokens_is_named(tmp_path: Path) -> None:
    (build_tiny_model(tmp_path) / "tokens.txt").unlink()

    with pytest.raises(AsrModelError, match=r"not a speech recognition model: no tokens\.txt \("):
        find_model(tmp_path)


def test_a_transducer_without_its_decoder_is_named(tmp_path: Path) -> None:
    tiny_model_as(tmp_path, "zipformer2", "encoder.onnx", "joiner.onnx")

    with pytest.raises(AsrModelError, match=r"no decoder\*\.onnx"):
        find_model(tmp_path)


def test_an_encoder_and_decoder_of_another_kind_are_refused(tmp_path: Path) -> None:
    tiny_model_as(tmp_path, "zipformer2", "encoder.onnx", "decoder.onnx")

    with pytest.raises(AsrModelError, match="a transducer needs its joiner"):
        find_model(tmp_path)


def test_a_model_of_an_unknown_type_or_none_is_refused(tmp_path: Path) -> None:
    tiny_model_as(tmp_path / "tts", "vits")
    build_tiny_model(tmp_path / "bare", metadata={"vocab_size": "2"})

    with pytest.raises(AsrModelError, match=r"model\.onnx is not a model .*'vits'"):
        find_model(tmp_path / "tts")
    with pytest.raises(AsrModelError, match="it has no model_type"):
        find_model(tmp_path / "bare")


def test_a_file_that_is_not_onnx_is_refused(tmp_path: Path) -> None:
    (tmp_path / "model.onnx").write_text("hello, not a model", encoding="utf-8")
    (tmp_path / "tokens.txt").write_text("<blk> 0\n", encoding="utf-8")

    with pytest.raises(AsrModelError, match=r"model\.onnx: not an ONNX model"):
        find_model(tmp_path)


def test_the_metadata_is_read_as_onnx_reads_it(tmp_path: Path) -> None:
    path = build_tiny_model(tmp_path, metadata={**METADATA, "comment": "中文 ok"}) / "model.onnx"

    expected = {entry.key: entry.value for entry in onnx.load(str(path)).metadata_props}

    assert onnx_metadata(path) == expected
    assert expected["comment"] == "中文 ok"


def test_a_model_onnxruntime_refuses_is_an_error_naming_it(tmp_path: Path) -> None:
    folder = build_tiny_model(tmp_path)
    future = onnx.load(str(folder / "model.onnx"))
    future.ir_version = 99  # from an onnxruntime years ahead
    onnx.save(future, str(folder / "model.onnx"))

    with pytest.raises(AsrModelError, match="sherpa-onnx cannot load the NeMo CTC model in"):
        Recognizer(find_model(folder), Provider("cpu", "tests"))


# --- where it runs ------------------------------------------------------------------------


def test_the_cpu_runs_it_when_sherpa_onnx_has_no_cuda_provider(tmp_path: Path) -> None:
    (tmp_path / "lib").mkdir()
    (tmp_path / "lib" / "libonnxruntime.so").touch()
    gpus = tmp_path / "gpus"
    (gpus / "0000:01:00.0").mkdir(parents=True)

    assert choose_provider(tmp_path, gpus) == Provider(
        "cpu", "this sherpa-onnx build has no CUDA provider"
    )


def test_the_gpu_runs_it_when_both_the_provider_and_a_gpu_are_there(tmp_path: Path) -> None:
    (tmp_path / "lib").mkdir()
    (tmp_path / "lib" / "libonnxruntime_providers_cuda.so").touch()
    gpus = tmp_path / "gpus"
    gpus.mkdir()

    assert choose_provider(tmp_path, gpus).reason == "no NVIDIA GPU on this machine"
    (gpus / "0000:01:00.0").mkdir()
    assert choose_provider(tmp_path, gpus).name == "cuda"


def test_the_installed_sherpa_onnx_is_looked_at() -> None:
    assert choose_provider().name in ("cpu", "cuda")


# --- resampling ---------------------------------------------------------------------------


@pytest.mark.parametrize("rate", [8000, 32000, 48000])
def test_a_tone_keeps_its_pitch_and_level_at_the_models_rate(rate: int) -> None:
    tone = (0.5 * np.sin(2 * np.pi * 1000 * np.arange(rate) / rate)).astype(np.float32)

    out = resampled(tone, rate, 16000)

    expected = 0.5 * np.sin(2 * np.pi * 1000 * np.arange(16000) / 16000)
    assert len(out) == 16000
    assert np.abs(out[200:-200] - expected[200:-200]).max() < 1e-3


def test_what_the_models_rate_cannot_hold_is_filtered_out() -> None:
    rate = 48000
    tone = (0.5 * np.sin(2 * np.pi * 12000 * np.arange(rate) / rate)).astype(np.float32)

    out = resampled(tone, rate, 16000)

    assert np.sqrt(np.mean(out[200:-200] ** 2)) < 1e-3  # not folded back to 4 kHz
