"""The task worker's speech recognition model (LINGTING_ASR_MODEL), loaded once, in a
process of its own.

sherpa-onnx ends the process that loads some broken models (a NeMo model without its
vocabulary size) instead of raising an error: loaded in the task worker itself, such a
folder would take the worker down with every call it heard, and nothing imported would be
scored. So the model lives in one child process for the worker's life, started with
`spawn` (a fresh interpreter, without the worker's database connections and threads) and
loaded there once; a child that dies is an error that the worker stores and goes on from.
A folder whose model files change (a model replaced in place) is loaded again; one whose
model ended the child is not tried again until its files change.

No Django here: the child imports this module.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lingting.engine.asr import recognise_turns
from lingting.engine.asr_model import (
    AsrModel,
    AsrModelError,
    Provider,
    Recognizer,
    choose_provider,
    find_model,
)
from lingting.engine.listening import Heard
from lingting.engine.processes import die_with_parent

# What a model file is, for telling a model replaced in place: (path, size, modified ns).
FileSignature = tuple[str, int, int]


class RecognitionStopped(Exception):
    """sherpa-onnx ended the process that held the model; the message names the folder."""


@dataclass(frozen=True, slots=True)
class Recognised:
    """The turns said in a recording (the interaction format, by start) and which model
    said them, where ("the NeMo CTC model in … on the CPU")."""

    turns: list[dict[str, Any]]
    by: str


@dataclass(frozen=True, slots=True)
class _Loaded:
    """The model of one folder as its files were, and the process that holds it (None
    once that process died loading or running it: `stopped` says so)."""

    files: tuple[FileSignature, ...]
    by: str
    pool: ProcessPoolExecutor | None
    stopped: str = ""


# The model this worker process loaded last; one folder is configured at a time.
_loaded: _Loaded | None = None
# In the child: the model, or why it could not be loaded.
_recognizer: Recognizer | str = "not loaded"


def recognise(folder: Path, path: Path, heard: Heard, *, agent_channel: int) -> Recognised:
    """The turns of the recording at `path`, which listening heard as `heard`, by the model
    in `folder`. Raises AsrModelError (no model there, or sherpa-onnx refuses it),
    RecognitionStopped, or what reading the file raises (AudioFormatError, OSError)."""
    loaded = _model_of(folder)
    if loaded.pool is None:
        raise RecognitionStopped(loaded.stopped)
    try:
        turns = loaded.pool.submit(_recognise, str(path), heard, agent_channel).result()
    except BrokenProcessPool:
        global _loaded
        loaded.pool.shutdown(wait=False)
        stopped = f"sherpa-onnx stopped while loading or running the model in {folder}"
        _loaded = _Loaded(loaded.files, loaded.by, None, stopped)
        raise RecognitionStopped(stopped) from None
    return Recognised(turns, loaded.by)


def _model_of(folder: Path) -> _Loaded:
    """The model in `folder` as loaded in this process, loading it when it is new or its
    files changed since."""
    global _loaded
    provider = choose_provider()
    # A CPU runs the int8 variant where the folder has one, as `lingting listen` does.
    model = find_model(folder, prefer_int8=provider.name == "cpu")
    files = tuple(_signature(path) for path in model.files.values())
    if _loaded is not None and _loaded.files == files:
        return _loaded
    shut_down()
    by = f"{model.describe()}, on the {provider.name.upper()}"
    _loaded = _Loaded(files, by, _start(model, provider))
    return _loaded


def _signature(path: Path) -> FileSignature:
    stat = path.stat()
    return str(path), stat.st_size, stat.st_mtime_ns


def _start(model: AsrModel, provider: Provider) -> ProcessPoolExecutor:
    # The worker runs one task at a time: the model gets every core.
    return ProcessPoolExecutor(
        max_workers=1,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=_load,
        initargs=(os.getpid(), model, provider, os.cpu_count() or 1),
    )


def shut_down() -> None:
    """End the process that holds the model, if there is one."""
    global _loaded
    if _loaded is not None and _loaded.pool is not None:
        _loaded.pool.shutdown()
    _loaded = None


def _load(parent: int, model: AsrModel, provider: Provider, threads: int) -> None:
    """In the child, first: load the model, or keep why it cannot be."""
    die_with_parent(parent)
    # Stopping the worker (systemd's SIGTERM to all its processes, Ctrl+C to the terminal's)
    # lets the running task finish: so must this process, which ends with the worker.
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    global _recognizer
    try:
        _recognizer = Recognizer(model, provider, threads=threads)
    except AsrModelError as exc:
        _recognizer = str(exc)


def _recognise(path: str, heard: Heard, agent_channel: int) -> list[dict[str, Any]]:
    if isinstance(_recognizer, str):
        raise AsrModelError(_recognizer)
    return recognise_turns(Path(path), heard, _recognizer, agent_channel=agent_channel)
