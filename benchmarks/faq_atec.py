"""FAQ matching on real customer questions: the ATEC 2018 Alipay question pairs.

    .venv/bin/python benchmarks/faq_atec.py [--data PATH] [--dev]

From the evaluation rows (id > 30000, never used to build or train anything) it builds a
knowledge base of 5,000 real questions — the first question of every same-intent pair, and
other evaluation questions as distractors — and asks 1,500 same-intent rewordings (the
second question of pairs whose first is in the knowledge base, never itself a knowledge-base
text). `lingting faq-train` learns from the rows with id ≤ 30000 only; `lingting faq-match`
answers with and without that model. Printed: MRR@10 and top-1 of plain character BM25
(the baseline, in the same run), the untrained matcher and the trained one, and each MRR
over BM25's (the aim is ≥ 1.25×).

`--dev` never reads the evaluation rows: it trains on ids ≤ 24000 and measures on ids
24001–30000, for choosing things while building.
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from pathlib import Path

import numpy as np
import orjson

from lingting.engine.faq_index import ViewIndex, analyser
from lingting.engine_cli import run_engine_command

DEFAULT_DATA = Path("/work/shared/data/atec/atec_nlp_sim_train.csv")
TRAIN_LAST_ID = 30000
KB_SIZE = 5000
QUERIES = 1500
SEED = 16

type Row = tuple[int, str, str, bool]


def read_rows(path: Path) -> list[Row]:
    rows: list[Row] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        cells = line.split("\t")
        if len(cells) == 4 and cells[0].strip().isdigit():
            rows.append(
                (int(cells[0]), cells[1].strip(), cells[2].strip(), cells[3].strip() == "1")
            )
    return rows


def build_task(rows: list[Row]) -> tuple[list[str], list[tuple[str, int]]]:
    """(knowledge-base questions, [(query, index of its question)]) from these rows."""
    rng = random.Random(SEED)
    positives = [(q1, q2) for _, q1, q2, same in rows if same and q1 != q2]
    answers = list(dict.fromkeys(q1 for q1, _ in positives))
    rng.shuffle(answers)
    answers = answers[:KB_SIZE]
    answer_set = set(answers)
    asked_texts = {q2 for q1, q2 in positives if q1 in answer_set}
    others = list(
        dict.fromkeys(
            q
            for _, q1, q2, _ in rows
            for q in (q1, q2)
            if q not in answer_set and q not in asked_texts
        )
    )
    rng.shuffle(others)
    kb = answers + others[: KB_SIZE - len(answers)]
    rng.shuffle(kb)
    position = {text: n for n, text in enumerate(kb)}
    asked = [(q2, position[q1]) for q1, q2 in positives if q1 in position and q2 not in position]
    rng.shuffle(asked)
    return kb, asked[:QUERIES]


def ranks_of(found: list[list[int]], asked: list[tuple[str, int]]) -> list[int | None]:
    return [
        ids.index(answer) + 1 if answer in ids else None
        for ids, (_, answer) in zip(found, asked, strict=True)
    ]


def figures(ranks: list[int | None]) -> tuple[float, float]:
    mrr = sum(1 / r for r in ranks if r is not None and r <= 10) / len(ranks)
    top1 = sum(1 for r in ranks if r == 1) / len(ranks)
    return mrr, top1


def char_bm25(kb: list[str], asked: list[tuple[str, int]]) -> list[list[int]]:
    """Plain BM25 over single characters (k1 1.2, b 0.75), the top 10 of each query."""
    text = analyser(())
    index = ViewIndex([text.analyse(q).char for q in kb])
    found: list[list[int]] = []
    for begin in range(0, len(asked), 256):
        chunk = [text.analyse(q).char for q, _ in asked[begin : begin + 256]]
        scores = index.bm25(chunk)
        for row in scores:
            found.append([int(n) for n in np.lexsort((np.arange(len(row)), -row))[:10]])
    return found


def matched(
    kb: list[str], asked: list[tuple[str, int]], folder: Path, model: Path | None
) -> list[list[int]]:
    kb_file, queries_file, out = folder / "kb.jsonl", folder / "queries.jsonl", folder / "m.jsonl"
    kb_file.write_bytes(
        b"".join(orjson.dumps({"id": n, "question": q}) + b"\n" for n, q in enumerate(kb))
    )
    queries_file.write_bytes(
        b"".join(orjson.dumps({"id": n, "text": q}) + b"\n" for n, (q, _) in enumerate(asked))
    )
    argv = ["faq-match", str(kb_file), str(queries_file), "--out", str(out), "--top", "10"]
    status = run_engine_command(argv + (["--model", str(model)] if model else []))
    assert status == 0, f"faq-match exited {status}"
    lines = [orjson.loads(line) for line in out.read_bytes().splitlines()]
    return [[m["kb_id"] for m in line["matches"]] for line in lines]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--dev", action="store_true", help="ids ≤ 30000 only (24000 / rest)")
    args = parser.parse_args()
    rows = read_rows(args.data)
    last_train = 24000 if args.dev else TRAIN_LAST_ID
    training = [r for r in rows if r[0] <= last_train]
    evaluation = [r for r in rows if last_train < r[0] <= (TRAIN_LAST_ID if args.dev else 10**9)]
    kb, asked = build_task(evaluation)
    print(
        f"{'DEV (ids ≤ 30000 only)' if args.dev else 'EVALUATION (ids > 30000)'}: "
        f"knowledge base {len(kb)} questions, {len(asked)} rewordings asked; "
        f"training pairs {len(training)} (ids ≤ {last_train})"
    )
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary)
        pairs = folder / "pairs.tsv"
        pairs.write_text(
            "".join(f"{q1}\t{q2}\t{int(same)}\n" for _, q1, q2, same in training), encoding="utf-8"
        )
        began = time.perf_counter()
        status = run_engine_command(["faq-train", str(pairs), "--out", str(folder / "model")])
        assert status == 0, f"faq-train exited {status}"
        print(f"faq-train: {time.perf_counter() - began:.1f} s")
        results = {"character BM25": char_bm25(kb, asked)}
        began = time.perf_counter()
        results["untrained matcher"] = matched(kb, asked, folder, None)
        print(f"faq-match untrained: {time.perf_counter() - began:.1f} s")
        began = time.perf_counter()
        results["trained matcher"] = matched(kb, asked, folder, folder / "model")
        print(f"faq-match trained: {time.perf_counter() - began:.1f} s")
    baseline, _ = figures(ranks_of(results["character BM25"], asked))
    print(f"{'':20} {'MRR@10':>8} {'top-1':>8} {'MRR/BM25':>9}")
    for name, found in results.items():
        mrr, top1 = figures(ranks_of(found, asked))
        print(f"{name:20} {mrr:8.4f} {top1:8.4f} {mrr / baseline:8.2f}×")


if __name__ == "__main__":
    main()
