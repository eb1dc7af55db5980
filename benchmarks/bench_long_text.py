"""Annotation time against length on one long single-line article (no newlines), to show it grows linearly.

The text is real news prose (the two articles in examples/) with its newlines replaced by spaces, repeated until
it is as long as asked. Each length is annotated in a fresh article (every per-article stage, then linking) and
timed; the last column is microseconds per character, which stays flat when the cost is linear.

    .venv/bin/python benchmarks/bench_long_text.py [--sizes 100000 500000 2000000] [--json OUT]
"""

from __future__ import annotations

import argparse
import json
import re
import resource
import sys
import time
from pathlib import Path

from kabar.pipeline import annotate_article, link
from kabar.records import Article

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SIZES = (100_000, 500_000, 2_000_000)


def long_line(size: int) -> str:
    """``size`` characters of real news sentences on one line."""
    prose = " ".join(p.read_text(encoding="utf-8") for p in sorted((ROOT / "examples").glob("*.txt")))
    prose = re.sub(r"\s+", " ", prose).strip() + " "
    return (prose * (size // len(prose) + 1))[:size]


def measure(size: int) -> dict[str, float]:
    text = long_line(size)
    start = time.perf_counter()
    doc = annotate_article(Article(id="long", text=text))
    annotated = time.perf_counter() - start
    link([doc])
    seconds = time.perf_counter() - start
    return {
        "characters": size,
        "sentences": len(doc.sentences),
        "mentions": len(doc.mentions),
        "annotate_seconds": round(annotated, 2),
        "total_seconds": round(seconds, 2),
        "us_per_char": round(1e6 * seconds / size, 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=list(DEFAULT_SIZES))
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()

    annotate_article(Article(id="warm", text=long_line(2_000)))  # load the models outside the timed part
    rows = []
    print(
        f"{'characters':>12} {'sentences':>10} {'mentions':>9} {'annotate s':>11} {'total s':>8} {'us/char':>8}"
    )
    for size in args.sizes:
        row = measure(size)
        rows.append(row)
        print(
            f"{row['characters']:>12,} {row['sentences']:>10,} {row['mentions']:>9,} "
            f"{row['annotate_seconds']:>11} {row['total_seconds']:>8} {row['us_per_char']:>8}",
            flush=True,
        )
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak resident memory: {peak_mb:.0f} MB; python {sys.version.split()[0]}")
    if args.json:
        figures = {"rows": rows, "peak_rss_mb": round(peak_mb, 1)}
        args.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
