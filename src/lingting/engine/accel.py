"""Scoring compiled to C where it has been built and matches its sources; pure Python otherwise.

`lingting score` reads tens of thousands of contacts a second, and on each one the scan, the
rules and the three meaning readers run. `scripts/build-accel` (run by `make`) compiles the
modules of that path, `COMPILED`, with mypyc — the same typed Python, no second copy of any
logic — into extension modules beside their sources, and writes a manifest of the sources it
compiled. Python imports an extension module before the source beside it, so a stale build
would silently run old code: `install()` (run when `lingting.engine` is imported, before any
of these modules) checks the manifest against the sources and, when anything differs or
`LINGTING_PURE_PYTHON` is set, makes every one of them import from source. All or none: the
compiled modules call each other directly, so a mix of fresh and stale cannot run.
"""

from __future__ import annotations

import hashlib
import importlib.machinery
import importlib.util
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType

# The modules `lingting score` runs on every contact: parsing, the scan and rules, meaning.
COMPILED = (
    "lingting.engine.record_class",
    "lingting.engine.reader",
    "lingting.engine.call_sound",
    "lingting.engine.contacts",
    "lingting.engine.results",
    "lingting.engine.phrase_search",
    "lingting.engine.phrase_cues",
    "lingting.engine.emotion",
    "lingting.engine.agent_tone",
    "lingting.engine.resolution",
    "lingting.engine.meaning_cues",
    "lingting.engine.meaning",
    "lingting.engine.rules.verdicts",
    "lingting.engine.rules.scan",
    "lingting.engine.rules.matchers",
    "lingting.engine.rules.words",
    "lingting.engine.rules.timings",
    "lingting.engine.rules.sound",
    "lingting.engine.rules.meaning",
    "lingting.engine.rules.combined",
    "lingting.engine.scorecard",
)
PACKAGE_ROOT = Path(__file__).resolve().parents[1]  # src/lingting
MANIFEST = Path(__file__).with_name("accel.json")
PURE_PYTHON_VARIABLE = "LINGTING_PURE_PYTHON"


def source_path(module: str) -> Path:
    return PACKAGE_ROOT.joinpath(*module.split(".")[1:]).with_suffix(".py")


def source_digests() -> dict[str, str]:
    """Each compiled module's source, as its SHA-256."""
    return {
        module: hashlib.sha256(source_path(module).read_bytes()).hexdigest() for module in COMPILED
    }


def build_tag() -> str:
    """The interpreter a build is for: its extension modules load in no other."""
    return f"{sys.implementation.cache_tag}-{importlib.machinery.EXTENSION_SUFFIXES[0]}"


def manifest() -> dict[str, str]:
    """What the last build compiled: the interpreter and each source digest."""
    return {"interpreter": build_tag(), **source_digests()}


def is_fresh() -> bool:
    """Whether a build exists and was made from exactly the current sources, for this Python."""
    try:
        built = json.loads(MANIFEST.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return bool(built == manifest())


def compiled_in_use() -> bool:
    """Whether the scoring modules loaded are the compiled ones (for benchmarks and reports)."""
    module = sys.modules.get("lingting.engine.scorecard")
    return module is not None and not (module.__file__ or "").endswith(".py")


class _SourceFirst:
    """A finder that loads the compiled modules' sources, so no extension module is used."""

    def find_spec(
        self, name: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        if name not in COMPILED:
            return None
        return importlib.util.spec_from_file_location(name, source_path(name))


def install() -> None:
    """Make the compiled modules import from source unless a fresh build is wanted and there."""
    if any(isinstance(finder, _SourceFirst) for finder in sys.meta_path):
        return
    if os.environ.get(PURE_PYTHON_VARIABLE) or not is_fresh():
        sys.meta_path.insert(0, _SourceFirst())
