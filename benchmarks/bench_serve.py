"""``kabar serve`` under load, from a second process on localhost (bounded in requests and time).

1. GET /api/events/{id} (the event page's JSON: sources, facts, brief) and GET / (the page itself);
2. POST /api/compare with the two example articles (nothing stored);
3. ingest under load: a writer posts articles one request at a time while readers load the event list; then the
   article count must equal what was sent (no lost writes) and no request may have failed.
Reports requests/s, p50 and p95 latency, and errors.

    .venv/bin/python benchmarks/bench_serve.py [--concurrency 8] [--seconds 20]
"""

from __future__ import annotations

import argparse
import json
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def request(url: str, body: dict[str, object] | None = None, timeout: float = 60) -> tuple[int, float]:
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json"})
    start = time.perf_counter()
    try:
        with urllib.request.urlopen(req, timeout=timeout) as response:
            response.read()
            status = response.status
    except urllib.error.HTTPError as err:
        status = err.code
    except OSError:
        status = 0
    return status, time.perf_counter() - start


def hammer(
    name: str, target: callable, concurrency: int, seconds: float, max_requests: int
) -> dict[str, float]:  # type: ignore[valid-type]
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    stop = time.perf_counter() + seconds

    def worker() -> None:
        while time.perf_counter() < stop:
            with lock:
                if len(latencies) >= max_requests:
                    return
            status, took = target()
            with lock:
                latencies.append(took)
                if status != 200:
                    errors[0] += 1

    start = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - start
    latencies.sort()
    figures = {
        "requests": len(latencies),
        "requests_per_second": round(len(latencies) / elapsed, 1),
        "p50_ms": round(1000 * latencies[len(latencies) // 2], 1) if latencies else 0,
        "p95_ms": round(1000 * latencies[int(len(latencies) * 0.95)], 1) if latencies else 0,
        "errors": errors[0],
    }
    print(f"{name}: " + ", ".join(f"{k} {v}" for k, v in figures.items()), flush=True)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = str(Path(tmp) / "serve.sqlite")
        subprocess.run([sys.executable, "-m", "kabar", "ingest", str(ROOT / "examples"),
                        str(ROOT / "tests" / "data" / "pairs"), "--db", db, "-q"], check=True, capture_output=True)  # fmt: skip
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        server = subprocess.Popen([sys.executable, "-m", "kabar", "serve", "--db", db, "--port", str(port)],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(100):
                if request(base + "/api/health", timeout=2)[0] == 200:
                    break
                time.sleep(0.2)
            events = json.loads(urllib.request.urlopen(base + "/api/events?sort=articles").read())["items"]
            event_url = f"{base}/api/events/{events[0]['id']}"
            request(event_url)  # the first view computes the comparison; later views are cached
            hammer("event page JSON", lambda: request(event_url), args.concurrency, args.seconds, 20_000)
            hammer("web page", lambda: request(base + "/"), args.concurrency, args.seconds / 2, 20_000)
            pair = {
                "articles": [
                    {"id": p.stem, "text": p.read_text(encoding="utf-8")}
                    for p in sorted((ROOT / "examples").glob("*.txt"))
                ]
            }
            hammer(
                "compare endpoint",
                lambda: request(base + "/api/compare", pair),
                args.concurrency,
                args.seconds,
                2_000,
            )
            before = json.loads(urllib.request.urlopen(base + "/api/health").read())["counts"]["articles"]
            sent = [0]

            def write() -> tuple[int, float]:
                k = sent[0] = sent[0] + 1
                text = (f"Laporan nomor {k}: banjir setinggi {k % 90 + 10} sentimeter merendam {k % 40 + 2} rumah di "
                        f"Kecamatan Contoh pada pekan ke-{k} pengamatan, menurut petugas setempat.")  # fmt: skip
                return request(base + "/api/articles", {"articles": [{"id": f"load-{k}", "text": text}]})

            writer = threading.Thread(
                target=hammer, args=("ingest under load (1 writer)", write, 1, args.seconds, 500)
            )
            writer.start()
            hammer(
                "event list while ingesting",
                lambda: request(base + "/api/events"),
                args.concurrency,
                args.seconds,
                20_000,
            )
            writer.join()
            after = json.loads(urllib.request.urlopen(base + "/api/health").read())["counts"]["articles"]
            print(
                f"articles sent {sent[0]}, stored {after - before}: {'no lost writes' if after - before == sent[0] else 'LOST WRITES'}"
            )
        finally:
            server.terminate()
            server.wait(timeout=20)


if __name__ == "__main__":
    main()
