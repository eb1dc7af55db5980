"""``kabar batch`` with 1 and 2 worker processes on this machine: throughput of each stage, the ratio, memory per
worker, and an estimate of what 10 million articles need.

The input is the IndoSum dev fold (750 real Indonesian articles) cycled to --articles with new ids, as JSONL;
annotation is on; each run starts with an empty embedding cache.

    .venv/bin/python benchmarks/bench_batch.py [--articles 1500] [--partition-size 150]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.bench_annotate import DEFAULT_DATA, load_indosum  # noqa: E402
from kabar.batch.runner import run_batch  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--articles", type=int, default=1500)
    parser.add_argument("--partition-size", type=int, default=150)
    parser.add_argument("--order", choices=["1,2", "2,1"], default="1,2", help="which run goes first")
    parser.add_argument(
        "--blocking", choices=["ann", "lsh"], default="ann", help="candidate events for assignment"
    )
    args = parser.parse_args()
    base = load_indosum(DEFAULT_DATA)
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus.jsonl"
        with corpus.open("w", encoding="utf-8") as out:
            for k in range(args.articles):
                rec = dict(base[k % len(base)])
                out.write(
                    json.dumps(
                        {"id": f"a{k}", "text": rec["text"], "source": rec["source"]}, ensure_ascii=False
                    )
                    + "\n"
                )
        for workers in (int(w) for w in args.order.split(",")):
            os.environ["KABAR_CACHE"] = str(Path(tmp) / f"cache{workers}")
            report = run_batch(
                [corpus],
                Path(tmp) / f"out{workers}",
                workers=workers,
                partition_size=args.partition_size,
                blocking=args.blocking,
            )
            results[workers] = report
            rate = report.articles / report.seconds["represent"]
            block = (
                f"block {report.seconds['block']} s ({report.candidate_pairs} pairs); "
                if "block" in report.seconds
                else ""
            )
            print(f"{workers} worker(s): represent (annotate + embed) {report.seconds['represent']} s = {rate:.1f} "
                  f"articles/s; {block}assign {report.seconds['assign']} s; compare {report.seconds['compare']} s for "
                  f"{report.comparisons} events; worker memory {report.worker_rss_mb} MB; busy seconds per "
                  f"worker {report.busy}")  # fmt: skip
    one, two = results[1], results[2]
    for stage in ("represent", "block", "compare"):
        if stage in one.seconds:
            print(f"speed-up of {stage} with 2 workers: {one.seconds[stage] / two.seconds[stage]:.2f}x")
    n = 10_000_000
    represent_core_s = one.seconds["represent"] / one.articles
    assign_s = two.seconds["assign"] / two.articles
    compare_core_s = one.seconds["compare"] / max(1, one.articles)
    block_core_s = one.seconds.get("block", 0.0) / max(1, one.articles)
    for workers in (16, 64):
        hours = (n * (represent_core_s + block_core_s + compare_core_s) / workers + n * assign_s) / 3600
        print(f"estimate, 10M articles on {workers} single-core workers: {hours:.1f} h "
              f"(represent {n * represent_core_s / workers / 3600:.1f} h, block {n * block_core_s / workers / 3600:.2f} h, "
              f"compare {n * compare_core_s / workers / 3600:.1f} h, sequential assign {n * assign_s / 3600:.1f} h)")  # fmt: skip


if __name__ == "__main__":
    main()
