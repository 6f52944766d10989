"""`lingting score` over a whole file, on every core.

The input is cut into byte ranges on line boundaries (a few per worker); each worker
process takes ranges in turn, reads only those, scores them and writes their results and
rejected lines to temporary files. The
parent then joins the parts in input order and turns each worker's local line numbers
into file line numbers (it knows how many lines every earlier part held), so no process
ever holds more than one line at a time: a 1 GB file is scored in constant memory.
"""

from __future__ import annotations

import io
import itertools
import multiprocessing
import os
import shutil
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import tzinfo
from pathlib import Path
from typing import IO

import orjson

from lingting.engine.contacts import Contact
from lingting.engine.meaning import MeaningTally
from lingting.engine.processes import die_with_parent
from lingting.engine.reader import LineError, NumberedLines, parse_json_line
from lingting.engine.results import ContactResult

# Below this size one process is faster than starting workers.
PARALLEL_MIN_BYTES = 4 * 1024 * 1024
# Each worker takes several parts in turn rather than one: a worker slowed down (a busy
# core, a part of long calls) then scores fewer parts while the others take more, instead
# of the whole run waiting for it. Sixteen rather than four: at the end a worker waits at
# most for another's last part, and a sixteenth of a share is a tenth of a second on 50,000
# contacts (50,000 JDDC chats on 2 cores, paired runs: 0.15–0.6 s faster than with 4).
PARTS_PER_WORKER = 16
# Results are ~6 KB a contact: with the default 8 KB buffer each took a write system call of
# its own, and the kernel's share of the time was a tenth of the whole.
_FILE_BUFFER = 1024 * 1024

Scorer = Callable[[Contact], ContactResult]
Encoder = Callable[[ContactResult], bytes]


def encode_result(result: ContactResult) -> bytes:
    return orjson.dumps(result.to_dict())


@dataclass(frozen=True, slots=True)
class PartOutcome:
    lines: int  # every line of the part, blank ones included, for numbering the next part
    scored: int
    passed: int
    rejected: int
    skipped: int  # CDR-only records: counted for KPIs, never scored
    results_path: str
    errors_path: str
    meaning: MeaningTally


@dataclass(frozen=True, slots=True)
class ScoreSummary:
    read: int
    scored: int
    rejected: int
    skipped: int
    passed: int
    seconds: float
    encoding: str
    meaning: MeaningTally = field(default_factory=MeaningTally)

    @property
    def pass_rate(self) -> float | None:
        return self.passed / self.scored if self.scored else None

    @property
    def contacts_per_second(self) -> float:
        return self.read / self.seconds if self.seconds > 0 else 0.0

    @property
    def exit_status(self) -> int:
        if self.rejected and not self.scored and not self.skipped:
            return 2
        return 1 if self.rejected else 0

    def describe(self) -> str:
        rate = "n/a" if self.pass_rate is None else f"{self.pass_rate:.1%}"
        return (
            f"read {self.read} · scored {self.scored} · rejected {self.rejected} · "
            f"skipped (CDR-only, no turns) {self.skipped} · pass rate {rate} · "
            f"{self.seconds:.2f} s · {self.contacts_per_second:,.0f} contacts/s"
            + ("" if self.encoding.startswith("utf-8") else f" · read as {self.encoding}")
            + (f"\n{self.meaning.describe()}" if self.scored else "")
        )


def line_aligned_ranges(path: Path, parts: int) -> list[tuple[int, int]]:
    """Cut the file into at most `parts` byte ranges that each start at a line start."""
    size = path.stat().st_size
    if size == 0:
        return [(0, 0)]
    bounds = [0]
    with path.open("rb") as stream:
        for part in range(1, parts):
            stream.seek(max(size * part // parts, bounds[-1]))
            if stream.tell() > 0:
                stream.readline()  # finish the line we landed in; the next part starts after
            position = stream.tell()
            if position >= size:
                break
            if position > bounds[-1]:
                bounds.append(position)
    bounds.append(size)
    return list(itertools.pairwise(bounds))


# Set in the parent before the workers fork, so each worker inherits the compiled scorecard
# instead of compiling it again (or pickling it across).
_score: Scorer | None = None
_encode: Encoder = encode_result


def _score_part(
    path: str, start: int, end: int, encoding: str, tz: tzinfo, workdir: str, index: int
) -> PartOutcome:
    assert _score is not None, "the scorer is set before workers start"
    score, encode = _score, _encode
    results_path = os.path.join(workdir, f"results-{index:04d}.jsonl")
    errors_path = os.path.join(workdir, f"errors-{index:04d}.jsonl")
    scored = passed = rejected = skipped = 0
    meaning = MeaningTally()
    dumps = orjson.dumps
    with (
        open(path, "rb", buffering=_FILE_BUFFER) as source,
        open(results_path, "wb", buffering=_FILE_BUFFER) as results,
        open(errors_path, "wb") as errors,
    ):
        source.seek(start)
        # Numbering restarts at 1 in every part (the parent shifts it); only the first part
        # can start with a BOM.
        if index > 0 and encoding == "utf-8-sig":
            encoding = "utf-8"
        lines = NumberedLines(source, encoding=encoding, limit=end - start)
        for number, text in lines.json_lines():
            parsed = text if isinstance(text, LineError) else parse_json_line(number, text, tz=tz)
            if isinstance(parsed, LineError):
                rejected += 1
                errors.write(dumps(parsed.to_dict()) + b"\n")
            elif not parsed.contact.turns:
                skipped += 1
            else:
                result = score(parsed.contact)
                scored += 1
                passed += result.passed
                if result.meaning is not None:
                    meaning.add(result.meaning)
                results.write(encode(result))  # (not `+ b"\n"`: a copy of ~7 KB a contact)
                results.write(b"\n")
    return PartOutcome(
        lines.lines_read, scored, passed, rejected, skipped, results_path, errors_path, meaning
    )


def score_file(
    path: Path,
    *,
    out: IO[bytes],
    errors_out: IO[bytes] | None,
    score: Scorer,
    tz: tzinfo,
    encoding: str,
    workers: int,
    encode: Encoder = encode_result,
) -> ScoreSummary:
    """Score every line of `path`, writing results in input order to `out`."""
    global _score, _encode
    began = time.perf_counter()
    _score, _encode = score, encode
    workers = max(1, workers)
    parts = 1 if path.stat().st_size < PARALLEL_MIN_BYTES else workers * PARTS_PER_WORKER
    ranges = line_aligned_ranges(path, parts)
    with tempfile.TemporaryDirectory(prefix="lingting-score-") as workdir:
        jobs = [(str(path), s, e, encoding, tz, workdir, i) for i, (s, e) in enumerate(ranges)]
        joined = _JoinedParts(out, errors_out)
        if len(jobs) == 1:
            joined.add(_score_part(*jobs[0]))
        else:
            context = multiprocessing.get_context("fork")
            with ProcessPoolExecutor(
                max_workers=min(workers, len(jobs)),
                mp_context=context,
                initializer=die_with_parent,
                initargs=(os.getpid(),),
            ) as pool:
                # In input order, each part as soon as it and those before it are done: the
                # copying overlaps the scoring of the parts still running.
                for outcome in pool.map(_score_part, *zip(*jobs, strict=True)):
                    joined.add(outcome)
        outcomes = joined.outcomes
    scored = sum(o.scored for o in outcomes)
    rejected = sum(o.rejected for o in outcomes)
    skipped = sum(o.skipped for o in outcomes)
    meaning = MeaningTally()
    for outcome in outcomes:
        meaning.merge(outcome.meaning)
    return ScoreSummary(
        read=scored + rejected + skipped,
        scored=scored,
        rejected=rejected,
        skipped=skipped,
        passed=sum(o.passed for o in outcomes),
        seconds=time.perf_counter() - began,
        encoding=encoding,
        meaning=meaning,
    )


class _JoinedParts:
    """The parts' results and errors appended to the outputs in input order, error lines
    renumbered from each part's own count to the file's."""

    def __init__(self, out: IO[bytes], errors_out: IO[bytes] | None) -> None:
        self.out, self.errors_out = out, errors_out
        self.outcomes: list[PartOutcome] = []
        self.lines_before = 0

    def add(self, outcome: PartOutcome) -> None:
        with open(outcome.results_path, "rb") as part:
            _append(part, self.out)
        if self.errors_out is not None and outcome.rejected:
            with open(outcome.errors_path, "rb") as part:
                for raw in part:
                    error = orjson.loads(raw)
                    error["line"] += self.lines_before
                    self.errors_out.write(orjson.dumps(error) + b"\n")
        self.lines_before += outcome.lines
        self.outcomes.append(outcome)


def _append(part: IO[bytes], out: IO[bytes]) -> None:
    """Copy all of `part` to the end of `out`, in the kernel where it can (sendfile).

    The parent joins the workers' results while the workers go on: copying them through
    Python's buffers took it a few hundredths of a second per 100 MB.
    """
    try:
        out_fd = out.fileno()
    except io.UnsupportedOperation:  # an in-memory stream
        shutil.copyfileobj(part, out)
        return
    out.flush()
    size = os.fstat(part.fileno()).st_size
    sent = 0
    try:
        while sent < size:
            count = os.sendfile(out_fd, part.fileno(), sent, size - sent)
            if count == 0:
                break
            sent += count
    except OSError:
        if sent:  # failed part way: a real error, not a kind of file sendfile refuses
            raise
        shutil.copyfileobj(part, out)
