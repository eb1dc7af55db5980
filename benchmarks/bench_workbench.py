"""The analyst's workbench on a real corpus: ingest with conflict counts, then the read endpoints' latency.

The IndoSum dev fold from ``../shared/data`` (750 real Indonesian news articles of 10 outlets, rebuilt from their
tokens, dated from the timestamp in their ids) is ingested into a fresh SQLite corpus (``kabar ingest``: store,
group into events, compare every event that gained articles); then each read endpoint is called through the API
in process: the first call (cold) and the median of ``--repeat`` more.

    .venv/bin/python benchmarks/bench_workbench.py [--repeat 5]
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from benchmarks.bench_annotate import DEFAULT_DATA, load_indosum

ENDPOINTS = (
    "/api/stats",
    "/api/outlets",
    "/api/entities?limit=50",
    "/api/search?q=Jokowi",
    "/api/search?q=Jokowi&since=2017-09-01&outlet=CNN%20Indonesia",
    "/api/search?q=%22Setya%20Novanto%22%20OR%20KPK",
    "/api/entities/Jokowi",
    "/api/outlets/Kumparan",
)


def corpus_file(data: Path, out: Path) -> int:
    records = load_indosum(data)
    with out.open("w", encoding="utf-8") as handle:
        for rec in records:
            stamp = rec["id"].split("-", 1)[0]
            published = datetime.fromtimestamp(int(stamp), UTC).isoformat() if stamp.isdigit() else None
            handle.write(
                json.dumps({**rec, "id": rec["id"][:60], "published": published}, ensure_ascii=False) + "\n"
            )
    return len(records)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    from fastapi.testclient import TestClient

    from kabar.api.app import Settings, create_app
    from kabar.corpus import Corpus
    from kabar.store import open_store
    from kabar.workflows import ingest_sources

    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "indosum.jsonl"
        articles = corpus_file(args.data, source)
        db = str(Path(tmp) / "k.sqlite")
        store = open_store(db)
        start = time.perf_counter()
        report = ingest_sources(Corpus(store), [str(source)])
        ingest = time.perf_counter() - start
        store.close()
        print(f"ingest: {articles} articles, {report.new_events} events, {ingest:.1f} s "
              f"({articles / ingest:.1f} articles/s, conflict counts included)")  # fmt: skip
        client = TestClient(create_app(Settings(db=db)))
        event = client.get("/api/events?sort=articles&limit=1").json()["items"][0]["id"]
        print(f"{'endpoint':<64} {'cold ms':>8} {'warm ms':>8}")
        for path in (*ENDPOINTS, f"/api/events/{event}/coverage"):
            times = []
            for _ in range(args.repeat + 1):
                begin = time.perf_counter()
                response = client.get(path)
                times.append((time.perf_counter() - begin) * 1000)
                assert response.status_code == 200, (path, response.text)
            print(f"{path:<64} {times[0]:8.0f} {statistics.median(times[1:]):8.0f}")


if __name__ == "__main__":
    main()
