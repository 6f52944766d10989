"""Compiled scoring runs only when built from the current sources, and scores exactly as
pure Python does (`lingting.engine.accel`, built by `scripts/build-accel` under `make`)."""

import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import orjson
import pytest

from lingting.demo.generator.organisation import demo_org
from lingting.demo.generator.traffic import generate_contacts
from lingting.engine import accel

REPO = Path(__file__).resolve().parents[2]


def run_python(code: str, *, pure: bool) -> str:
    """Run `code` in a fresh interpreter (the choice is made when lingting.engine is imported)."""
    env = {k: v for k, v in os.environ.items() if k != accel.PURE_PYTHON_VARIABLE}
    if pure:
        env[accel.PURE_PYTHON_VARIABLE] = "1"
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    return done.stdout


WHICH = (
    "import lingting.engine.scorecard as s, lingting.engine.accel as a; print(a.compiled_in_use())"
)


def test_pure_python_is_used_when_asked() -> None:
    assert run_python(WHICH, pure=True).strip() == "False"


def test_a_fresh_build_is_used() -> None:
    if not accel.is_fresh():
        pytest.skip("compiled scoring is not built from these sources (run scripts/build-accel)")
    assert run_python(WHICH, pure=False).strip() == "True"


def test_a_build_from_other_sources_is_not_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    stale = accel.manifest()
    stale["lingting.engine.emotion"] = "0" * 64  # emotion.py changed since the build
    manifest = tmp_path / "accel.json"
    manifest.write_text(json.dumps(stale), encoding="utf-8")
    monkeypatch.setattr(accel, "MANIFEST", manifest)
    monkeypatch.setattr(
        sys, "meta_path", [f for f in sys.meta_path if type(f).__name__ != "_SourceFirst"]
    )

    assert not accel.is_fresh()
    accel.install()

    finder = sys.meta_path[0]
    spec = finder.find_spec("lingting.engine.emotion", None)  # type: ignore[union-attr]
    assert spec is not None
    assert spec.origin == str(accel.source_path("lingting.engine.emotion"))
    assert finder.find_spec("lingting.engine.kpis", None) is None  # type: ignore[union-attr]


def test_a_build_for_the_current_sources_is_fresh(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    manifest = tmp_path / "accel.json"
    manifest.write_text(json.dumps(accel.manifest()), encoding="utf-8")
    monkeypatch.setattr(accel, "MANIFEST", manifest)
    assert accel.is_fresh()


def test_compiled_and_pure_python_score_alike(tmp_path: Path) -> None:
    """Every byte of `lingting score` output, meaning included, on a day of demo contacts."""
    if not accel.is_fresh():
        pytest.skip("compiled scoring is not built from these sources (run scripts/build-accel)")
    records = generate_contacts(demo_org(3), seed=3, start=date(2026, 10, 1), days=1)
    contacts = tmp_path / "contacts.jsonl"
    contacts.write_bytes(b"".join(orjson.dumps(r, default=str) + b"\n" for r in records))
    outputs = {}
    for pure in (False, True):
        out = tmp_path / f"out-{pure}.jsonl"
        code = (
            "import sys; from lingting.cli import main; "
            f"sys.argv = ['lingting', 'score', {str(contacts)!r}, '--out', {str(out)!r}, "
            "'--workers', '1']; main()"
        )
        run_python(code, pure=pure)
        outputs[pure] = out.read_bytes()
    assert outputs[True].count(b"\n") > 100
    assert b'"satisfaction_predicted"' in outputs[True]
    assert outputs[False] == outputs[True]


def test_no_extension_module_but_the_compiled_ones() -> None:
    """An old build of a module no longer compiled would still be imported before its
    source: the build removes every extension module it did not just make."""
    root = accel.PACKAGE_ROOT
    built = {
        ".".join(("lingting", *path.relative_to(root).with_suffix("").with_suffix("").parts))
        for path in root.rglob("*.so")
    }
    assert built <= set(accel.COMPILED)


def test_parsed_lines_and_line_errors_cross_processes() -> None:
    """PostgreSQL imports parse in worker processes and send lines and errors back by pickle,
    which a compiled frozen dataclass cannot do without being told how."""
    if not accel.is_fresh():
        pytest.skip("compiled scoring is not built from these sources (run scripts/build-accel)")
    code = (
        "import pickle, datetime; from lingting.engine.reader import LineError, parse_json_line; "
        "e = LineError(7, '不是 JSON', '{坏', 'c-7'); "
        'p = parse_json_line(7, b\'{"id": "c-7", "turns": [{"speaker": "agent", '
        '"text": "hello"}]}\', tz=datetime.UTC); '
        "print(pickle.loads(pickle.dumps(e)) == e, pickle.loads(pickle.dumps(p)) == p)"
    )
    assert run_python(code, pure=False).split() == ["True", "True"]
