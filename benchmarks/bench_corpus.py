"""Ingest + clustering at scale: articles/second as the corpus grows, peak memory, database size.

The corpus is built from the real articles at hand (the IndoSum dev fold, 750 Indonesian articles, and ECB+,
772 English ones): each generated article takes a real article, keeps its first sentence and each other
sentence with probability 0.7, and gets a publication date drawn over 2023 and a source drawn from IndoSum's
outlets. Variants of one article published weeks apart fall outside the event time window, so events stay
realistic in size. Deterministic (seed 13). Runs in one process with the fast embedding model (USE).

    .venv/bin/python benchmarks/bench_corpus.py [--articles 100000] [--db /tmp/kabar-bench.sqlite] [--rebuild]

``--rebuild``: then, on that corpus, the API's writer process (``kabar.api.writer``) as ``kabar serve`` runs it:
its start (the clustering state rebuilt from the store), a batch of 64 articles stopped by a budget too short for
it (the writer is ended and another started), and writes of one article sent from then on: how long until one is
stored (the rebuild), and how many were refused as busy meanwhile.
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import resource
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from training.ecbplus import load as load_ecb  # noqa: E402

from benchmarks.bench_annotate import DEFAULT_DATA, load_indosum  # noqa: E402
from kabar.corpus import Corpus  # noqa: E402
from kabar.embed import Embedder  # noqa: E402
from kabar.ingest import read_paths  # noqa: E402
from kabar.store import open_store  # noqa: E402

WINDOW = 10_000


def build(path: Path, count: int, data: Path) -> None:
    indosum = load_indosum(data)
    base = [(r["text"].split("\n")[0], r["text"].split("\n")[1:], r["source"]) for r in indosum]
    base += [(d.sentences[0], d.sentences[1:], "") for d in load_ecb(data / "events" / "ecbplus")]
    outlets = sorted({r["source"] for r in indosum if r["source"]}) or ["kabar"]
    rng = random.Random(13)
    start = date(2023, 1, 1)
    with path.open("w", encoding="utf-8") as out:
        for k in range(count):
            title, rest, _ = base[k % len(base)]
            kept = [s for s in rest if s.strip() and rng.random() < 0.7]
            day = start + timedelta(days=rng.randrange(365))
            record = {"id": f"b{k}", "title": title, "text": "\n\n".join([title, *kept]),
                      "published": day.isoformat(), "source": rng.choice(outlets)}  # fmt: skip
            out.write(json.dumps(record, ensure_ascii=False) + "\n")


def writer_restart(db: str, corpus_file: Path) -> dict[str, object]:
    """The API writer on ``db``: its first start, a stopped batch, and the write after it (module docstring)."""
    from kabar.api.writer import Writer
    from kabar.errors import ApiError
    from kabar.workflows import parse_records

    lines = corpus_file.read_text(encoding="utf-8").splitlines()[:65]
    records = [{**json.loads(line), "id": f"restart-{k}"} for k, line in enumerate(lines)]
    writer = Writer(db)
    try:
        start = time.perf_counter()
        writer.ingest(parse_records(records[:1]))  # starts the writer: the rebuild, then one article
        first = time.perf_counter() - start
        writer.budget_seconds = 0.001  # far too short for 64 articles: the batch is stopped, the writer ended
        try:
            writer.ingest(parse_records(records[1:65]))
            stopped = False
        except ApiError:
            stopped = True
        writer.budget_seconds = 600.0
        start = time.perf_counter()
        refused = 0
        while True:  # the new writer rebuilds meanwhile; a write waits its turn 2 s, then is refused (busy)
            try:
                writer.ingest(parse_records([{**records[64], "id": "restart-after"}]))
                break
            except ApiError:
                refused += 1
        after = time.perf_counter() - start
    finally:
        writer.close()
    return {"writer_first_write_s": round(first, 2), "batch_stopped": stopped,
            "writes_accepted_again_after_s": round(after, 2), "writes_refused_meanwhile": refused}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--db", type=Path)
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument("--rebuild", action="store_true", help="Then time the API writer's restart.")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        corpus_file = Path(tmp) / "corpus.jsonl"
        build(corpus_file, args.articles, args.data)
        db = args.db or Path(tmp) / "bench.sqlite"
        if db.exists():
            db.unlink()
        store = open_store(str(db))
        corpus = Corpus(store, Embedder(disk_cache=False))
        marks: list[float] = [time.perf_counter()]
        seen = 0

        def tick(_: object) -> None:
            nonlocal seen
            seen += 1
            if seen % WINDOW == 0:
                marks.append(time.perf_counter())
                rate = WINDOW / (marks[-1] - marks[-2])
                print(f"  {seen:>7,} articles: {rate:,.0f} articles/s over the last {WINDOW:,}", flush=True)

        start = time.perf_counter()
        report = corpus.ingest(read_paths([corpus_file]), on_item=tick)
        total = time.perf_counter() - start
        counts = store.counts()
        store.close()
        size_mb = sum(p.stat().st_size for p in db.parent.glob(db.name + "*")) / 1e6
        restart = writer_restart(str(db), corpus_file) if args.rebuild else {}
    rates = [WINDOW / (b - a) for a, b in itertools.pairwise(marks)]
    figures = {
        "articles": args.articles,
        "added": report.added,
        "duplicates": report.duplicates,
        "events": counts["events"],
        "seconds": round(total, 1),
        "articles_per_second": round(args.articles / total, 1),
        "first_window_rate": round(rates[0], 1) if rates else None,
        "last_window_rate": round(rates[-1], 1) if rates else None,
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "database_mb": round(size_mb, 1),
        **restart,
    }
    for key, value in figures.items():
        print(f"{key:>20}: {value}")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
