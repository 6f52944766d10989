"""A tiny speech model that sherpa-onnx really loads and runs: a NeMo CTC model of seven
ONNX operators, built with the `onnx` package (a registry package; no weights downloaded).

It hears syllables, not words. sherpa-onnx gives it log-mel features normalised per feature
(`normalize_type: per_feature`, as NeMo's models ask), so each frame is louder or quieter
than the piece's average; the model averages that over the mel bins, smooths it over 90 ms
and emits its one token, 啊, while the sound is louder than average, and blank otherwise.
CTC's greedy search turns each loud stretch into one 啊 with its time: on the speech-like
signal of `call_audio.voiced` (four syllables a second) that is four 啊 a second, each at a
syllable, wherever the piece lies in a call. Real speech gives fewer (about one 啊 for two
characters on the Mandarin recordings in ../shared).
"""

from __future__ import annotations

from pathlib import Path

import onnx
from onnx import TensorProto, helper

TOKEN = "啊"
SYLLABLES_PER_SECOND = 4  # call_audio.voiced's envelope
METADATA = {
    "model_type": "EncDecCTCModelBPE",
    "vocab_size": "2",
    "subsampling_factor": "1",
    "normalize_type": "per_feature",
}


def build_tiny_model(folder: Path, *, metadata: dict[str, str] | None = None) -> Path:
    """Write model.onnx and tokens.txt into `folder` (made if need be) and return it."""
    folder.mkdir(parents=True, exist_ok=True)
    nodes = [
        helper.make_node("ReduceMean", ["features"], ["loudness"], axes=[1], keepdims=1),
        helper.make_node(
            "AveragePool",
            ["loudness"],
            ["smoothed"],
            kernel_shape=[9],
            pads=[4, 4],
            count_include_pad=0,
        ),
        helper.make_node("Transpose", ["smoothed"], ["per_frame"], perm=[0, 2, 1]),
        helper.make_node("Sub", ["per_frame", "per_frame"], ["blank"]),
        helper.make_node("Mul", ["per_frame", "gain"], ["token"]),
        helper.make_node("Concat", ["blank", "token"], ["logits"], axis=2),
        helper.make_node("LogSoftmax", ["logits"], ["log_probs"], axis=2),
    ]
    graph = helper.make_graph(
        nodes,
        "syllables",
        [
            helper.make_tensor_value_info("features", TensorProto.FLOAT, ["N", 80, "T"]),
            helper.make_tensor_value_info("length", TensorProto.INT64, ["N"]),
        ],
        [helper.make_tensor_value_info("log_probs", TensorProto.FLOAT, ["N", "T", 2])],
        initializer=[helper.make_tensor("gain", TensorProto.FLOAT, [], [10.0])],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)], ir_version=8)
    for key, value in (METADATA if metadata is None else metadata).items():
        entry = model.metadata_props.add()
        entry.key, entry.value = key, value
    onnx.checker.check_model(model)
    onnx.save(model, str(folder / "model.onnx"))
    (folder / "tokens.txt").write_text(f"<blk> 0\n{TOKEN} 1\n", encoding="utf-8")
    return folder
