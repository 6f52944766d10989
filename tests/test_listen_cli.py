"""`lingting listen` as a center runs it (FORMATS.md, "Listening to audio")."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import onnx
import orjson
import pytest

from lingting.cli import main
from tests.engine.call_audio import (
    AISHELL,
    FUNASR,
    PER_SPEAKER_FIELDS,
    call,
    needs_zh_speech,
    recording,
    voiced,
)
from tests.engine.call_audio import write_wav as wav
from tests.engine.tiny_asr_model import METADATA, TOKEN, build_tiny_model

FIELDS = {
    "file",
    "channels",
    "duration_s",
    "speech_s",
    "longest_silence_s",
    "silences",
    "clipping",
    *PER_SPEAKER_FIELDS,
}


def read(path: Path) -> list[dict[str, Any]]:
    return [orjson.loads(line) for line in path.read_bytes().splitlines()]


def stereo_call(path: Path, rate: int = 8000) -> Path:
    """The agent 0.5-2.5 s, the customer cutting in at 2.0 until 4.0."""
    samples = call(5, rate, [(0, 0.5, voiced(2.0, rate, seed=1)), (1, 2.0, voiced(2.0, rate))])
    return wav(path, samples, rate)


def mono_call(path: Path) -> Path:
    return wav(path, call(3, 8000, [(0, 0.5, voiced(1.5, 8000))], channels=1), 8000)


def test_one_line_per_file_with_every_field(tmp_path: Path) -> None:
    out = tmp_path / "metrics.jsonl"
    files = [stereo_call(tmp_path / "a.wav"), mono_call(tmp_path / "b.wav")]

    assert main(["listen", *map(str, files), "--out", str(out)]) == 0

    stereo, mono = read(out)
    assert set(stereo) == set(mono) == FIELDS
    assert stereo["file"] == str(files[0])
    assert mono["file"] == str(files[1])
    assert stereo["channels"] == 2
    assert stereo["duration_s"] == 5.0
    assert stereo["agent_talk_s"] == pytest.approx(2.0, abs=0.06)
    assert stereo["customer_talk_s"] == pytest.approx(2.0, abs=0.06)
    assert stereo["overtalk_s"] == pytest.approx(0.5, abs=0.06)
    assert stereo["customer_interruptions"] == 1
    assert stereo["agent_interruptions"] == 0
    assert [s["speaker"] for s in stereo["segments"]] == ["agent", "customer"]
    assert set(stereo["segments"][0]) == {"speaker", "start", "end", "level_dbfs"}
    assert mono["channels"] == 1
    assert mono["speech_s"] == pytest.approx(1.5, abs=0.06)
    assert mono["agent_talk_s"] is None
    assert mono["segments"] is None


def test_the_agent_channel_option_swaps_the_sides(tmp_path: Path) -> None:
    call_file = str(stereo_call(tmp_path / "a.wav"))
    usual, swapped = tmp_path / "usual.jsonl", tmp_path / "swapped.jsonl"

    assert main(["listen", call_file, "--out", str(usual)]) == 0
    assert main(["listen", call_file, "--out", str(swapped), "--agent-channel", "1"]) == 0

    [before], [after] = read(usual), read(swapped)
    assert after["agent_interruptions"] == before["customer_interruptions"] == 1
    assert after["customer_interruptions"] == before["agent_interruptions"] == 0
    assert [s["speaker"] for s in after["segments"]] == ["customer", "agent"]


def test_many_files_are_heard_in_parallel_in_the_order_given(tmp_path: Path) -> None:
    files = [str(stereo_call(tmp_path / f"{n}.wav")) for n in range(3)]
    files.insert(1, str(mono_call(tmp_path / "mono.wav")))
    out = tmp_path / "metrics.jsonl"

    assert main(["listen", *files, "--out", str(out), "--workers", "2"]) == 0

    assert [line["file"] for line in read(out)] == files


def test_broken_files_are_reported_and_the_others_still_heard(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = str(stereo_call(tmp_path / "good.wav"))
    not_wav = tmp_path / "notes.wav"
    not_wav.write_text("not audio", encoding="utf-8")
    truncated = tmp_path / "cut.wav"
    truncated.write_bytes(stereo_call(tmp_path / "whole.wav").read_bytes()[:5000])
    missing = tmp_path / "missing.wav"
    out = tmp_path / "metrics.jsonl"

    status = main(["listen", str(not_wav), good, str(truncated), str(missing), "--out", str(out)])

    assert status == 1
    assert [line["file"] for line in read(out)] == [good]
    errors = capsys.readouterr().err.splitlines()
    assert f"lingting listen: {not_wav}: not a WAV file (no RIFF/WAVE header)" in errors[0]
    assert errors[1].startswith(f"lingting listen: {truncated}: truncated: the header announces")
    assert errors[2] == f"lingting listen: {missing}: no such file"
    assert "files 1 heard · 3 failed" in errors[3]


def test_nothing_heard_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "metrics.jsonl"

    assert main(["listen", str(tmp_path / "missing.wav"), "--out", str(out)]) == 2
    assert out.read_bytes() == b""
    assert "no such file" in capsys.readouterr().err


def test_an_agent_channel_other_than_0_or_1_is_a_usage_error(tmp_path: Path) -> None:
    call_file = str(stereo_call(tmp_path / "a.wav"))

    with pytest.raises(SystemExit) as exited:
        main(["listen", call_file, "--out", "-", "--agent-channel", "2"])

    assert exited.value.code == 2


def listened_in_a_new_process(tmp_path: Path, *shown: str) -> list[str]:
    """What the expressions `shown` print after `lingting listen` of a stereo call in a
    fresh interpreter (`status` is its exit status)."""
    call_file = str(stereo_call(tmp_path / "a.wav"))
    code = (
        "import sys; from lingting.cli import main;"
        f"status = main(['listen', {call_file!r}, '--out', {str(tmp_path / 'm.jsonl')!r}]);"
        f"print({', '.join(shown)})"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return done.stdout.split()


def test_the_command_loads_without_django(tmp_path: Path) -> None:
    shown = listened_in_a_new_process(tmp_path, "status", "'django' in sys.modules")

    assert shown == ["0", "False"]


@needs_zh_speech
def test_a_real_stereo_call(tmp_path: Path) -> None:
    rate = 16000
    agent, customer = recording(AISHELL), recording(FUNASR)
    samples = call(12, rate, [(0, 0.0, agent), (1, 6.0, customer)])
    out = tmp_path / "metrics.jsonl"

    assert main(["listen", str(wav(tmp_path / "call.wav", samples, rate)), "--out", str(out)]) == 0

    [line] = read(out)
    assert line["duration_s"] == 12.0
    assert 3.0 < line["agent_talk_s"] < 4.28
    assert 4.0 < line["customer_talk_s"] < 5.55
    assert line["overtalk_s"] == 0
    assert line["longest_silence_s"] > 2.0
    assert {s["speaker"] for s in line["segments"]} == {"agent", "customer"}


def test_the_other_engine_commands_do_not_load_the_detector() -> None:
    code = (
        "import sys; from lingting.engine_cli import _parser; _parser();"
        "print('lingting.engine.listening' in sys.modules, 'webrtcvad' in sys.modules)"
    )

    shown = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)

    assert shown.stdout.split() == ["False", "False"]


# --- speech recognition (--asr-model, --contacts) ------------------------------------------


@pytest.fixture(scope="module")
def model(tmp_path_factory: pytest.TempPathFactory) -> str:
    return str(build_tiny_model(tmp_path_factory.mktemp("model")))


def conversation(path: Path, rate: int = 8000) -> Path:
    """The agent 0.5-3.5 s and 6.5-9.5 s, the customer 4.0-6.0 s."""
    placed = [
        (0, 0.5, voiced(3.0, rate, seed=1)),
        (1, 4.0, voiced(2.0, rate, seed=2)),
        (0, 6.5, voiced(3.0, rate, seed=3)),
    ]
    return wav(path, call(10, rate, placed), rate)


def test_a_model_adds_the_turns_and_the_agents_speech_rate(
    tmp_path: Path, model: str, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "metrics.jsonl"
    files = [str(conversation(tmp_path / "call.wav")), str(mono_call(tmp_path / "mono.wav"))]

    assert main(["listen", *files, "--out", str(out), "--asr-model", model]) == 0

    stereo, mono = read(out)
    assert set(stereo) == set(mono) == FIELDS | {"turns", "agent_speech_rate_cpm"}
    assert [(t["speaker"], round(t["start"]), round(t["end"])) for t in stereo["turns"]] == [
        ("agent", 0, 4),
        ("customer", 4, 6),
        ("agent", 6, 10),
    ]
    assert all(set(t["text"]) == {TOKEN} for t in stereo["turns"])
    assert stereo["agent_speech_rate_cpm"] == pytest.approx(240, rel=0.1)
    assert [t["speaker"] for t in mono["turns"]] == [None]
    assert mono["agent_speech_rate_cpm"] is None
    said = capsys.readouterr().err
    assert f"speech recognition with the NeMo CTC model in {model} (model.onnx), on the CPU" in said


def test_contacts_are_interaction_lines_that_lingting_score_scores(
    tmp_path: Path, model: str, capsys: pytest.CaptureFixture[str]
) -> None:
    calls = [str(conversation(tmp_path / f"C2026-{n}.wav")) for n in (1, 2)]
    metrics, contacts, results = (tmp_path / n for n in ("m.jsonl", "c.jsonl", "r.jsonl"))

    status = main(
        [
            *("listen", *calls, "--out", str(metrics), "--asr-model", model),
            *("--contacts", str(contacts), "--workers", "2"),
        ]
    )

    assert status == 0
    lines = read(contacts)
    assert [line["id"] for line in lines] == ["C2026-1", "C2026-2"]
    first, heard = lines[0], read(metrics)[0]
    assert first["channel"] == "voice"
    assert first["recording"] == calls[0]
    assert first["turns"] == heard["turns"]
    assert first["audio"] == {key: value for key, value in heard.items() if key != "turns"}
    capsys.readouterr()

    assert main(["score", str(contacts), "--out", str(results)]) == 0

    scored = read(results)
    assert [result["id"] for result in scored] == ["C2026-1", "C2026-2"]
    items = {item["item"]: item for item in scored[0]["items"]}
    assert items["interruption"]["result"] == "pass"  # the timings were read


def test_a_mono_call_is_not_written_as_a_contact(
    tmp_path: Path, model: str, capsys: pytest.CaptureFixture[str]
) -> None:
    mono = str(mono_call(tmp_path / "mono.wav"))
    contacts = tmp_path / "c.jsonl"

    status = main(
        [
            *("listen", mono, "--out", str(tmp_path / "m.jsonl")),
            *("--asr-model", model, "--contacts", str(contacts)),
        ]
    )

    assert status == 0
    assert contacts.read_bytes() == b""
    assert f"{mono}: mono: who said what is unknown" in capsys.readouterr().err


def test_a_folder_without_a_model_is_named_with_what_it_lacks(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "metrics.jsonl"
    call_file = str(conversation(tmp_path / "call.wav"))
    empty = tmp_path / "models"
    empty.mkdir()

    assert main(["listen", call_file, "--out", str(out), "--asr-model", str(empty)]) == 2

    assert not out.exists()
    said = capsys.readouterr().err
    assert f"lingting listen: {empty}: not a speech recognition model: no tokens.txt" in said


def test_a_model_sherpa_onnx_cannot_load_stops_the_command_cleanly(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # sherpa-onnx ends the process when a NeMo model lacks its vocabulary size; the worker
    # goes, the command says so.
    without_vocabulary = {k: v for k, v in METADATA.items() if k != "vocab_size"}
    broken = build_tiny_model(tmp_path / "broken", metadata=without_vocabulary)
    call_file = str(conversation(tmp_path / "call.wav"))

    status = main(
        ["listen", call_file, "--out", str(tmp_path / "m.jsonl"), "--asr-model", str(broken)]
    )

    assert status == 2
    assert f"sherpa-onnx stopped while loading or running the model in {broken}" in (
        capsys.readouterr().err
    )


def test_a_model_file_onnxruntime_refuses_is_reported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = build_tiny_model(tmp_path / "future")
    future = onnx.load(str(folder / "model.onnx"))
    future.ir_version = 99  # from an onnxruntime years ahead
    onnx.save(future, str(folder / "model.onnx"))
    call_file = str(conversation(tmp_path / "call.wav"))

    status = main(
        ["listen", call_file, "--out", str(tmp_path / "m.jsonl"), "--asr-model", str(folder)]
    )

    assert status == 2
    said = capsys.readouterr().err
    assert f"sherpa-onnx cannot load the NeMo CTC model in {folder}" in said


def test_contacts_need_a_model(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    call_file = str(conversation(tmp_path / "call.wav"))

    status = main(["listen", call_file, "--out", "-", "--contacts", str(tmp_path / "c.jsonl")])

    assert status == 2
    assert "--contacts needs --asr-model" in capsys.readouterr().err


def test_listening_without_a_model_does_not_load_speech_recognition(tmp_path: Path) -> None:
    shown = listened_in_a_new_process(
        tmp_path, "'lingting.engine.asr' in sys.modules", "'sherpa_onnx' in sys.modules"
    )

    assert shown == ["False", "False"]


@needs_zh_speech
def test_a_real_call_recognised_and_scored(tmp_path: Path, model: str) -> None:
    rate = 16000
    samples = call(12, rate, [(0, 0.0, recording(AISHELL)), (1, 6.0, recording(FUNASR))])
    path = str(wav(tmp_path / "real.wav", samples, rate))
    contacts, results = tmp_path / "c.jsonl", tmp_path / "r.jsonl"

    status = main(
        [
            *("listen", path, "--out", str(tmp_path / "m.jsonl")),
            *("--asr-model", model, "--contacts", str(contacts)),
        ]
    )

    assert status == 0
    [contact] = read(contacts)
    assert {t["speaker"] for t in contact["turns"]} == {"agent", "customer"}
    assert main(["score", str(contacts), "--out", str(results)]) == 0
    assert read(results)[0]["id"] == "real"
