"""``kabar serve`` under load, from a second process on localhost (bounded in requests and time).

1. GET /api/events/{id} (the event page's JSON: sources, facts, brief) and GET / (the page itself);
2. POST /api/compare with the two example articles (nothing stored);
3. ingest under load: a writer posts articles one request at a time while readers load the event list; then the
   article count must equal what was sent (no lost writes) and no request may have failed.
Reports requests/s, p50 and p95 latency, and errors.
4. a storm: ``--clients`` (200) clients for ``--storm-seconds`` (30) mixing reads (event list, event page JSON,
   search, the web page), compare and ingest, each client in a bounded loop; reports the reads' p95, how fast
   compute requests were answered or refused (503, and why), the articles the server accepted against those it
   stored, the load average before and after, and how long the server takes to stop (SIGINT) right after.

    .venv/bin/python benchmarks/bench_serve.py [--concurrency 8] [--seconds 20] [--clients 200] [--storm-only]
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
_ERRORS_LOCK = threading.Lock()


def request(
    url: str, body: dict[str, object] | None = None, timeout: float = 60, errors: Counter[str] | None = None
) -> tuple[int, float]:
    """The status and the seconds taken; ``errors`` counts the error messages of 503s (their first words)."""
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json"})
    start = time.perf_counter()
    try:
        with urllib.request.urlopen(req, timeout=timeout) as response:
            response.read()
            status = response.status
    except urllib.error.HTTPError as err:
        status = err.code
        message = err.read()
        if status == 503 and errors is not None:
            with _ERRORS_LOCK:
                errors[" ".join(str(json.loads(message).get("error", "")).split()[:5])] += 1
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


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return round(1000 * ordered[min(len(ordered) - 1, int(len(ordered) * share))], 1) if ordered else 0.0


def storm(
    base: str, clients: int, seconds: float, pair: dict[str, object], reads_only: bool = False
) -> dict[str, object]:
    """``clients`` threads for ``seconds``: 3 in 4 requests read, 1 in 8 compares, 1 in 8 ingests (``reads_only``:
    reads alone, the baseline the mix is measured against)."""
    events = json.loads(urllib.request.urlopen(base + "/api/events?sort=articles").read())["items"]
    reads = [base + "/api/events?limit=20", f"{base}/api/events/{events[0]['id']}", base + "/api/search?q=gempa",
             base + "/"]  # fmt: skip
    for _ in range(30):  # the event page's comparison is cached before the storm, as it is once viewed
        if request(reads[1], timeout=60)[0] == 200:
            break
        time.sleep(1.0)
    lock = threading.Lock()
    seen: dict[str, list[tuple[int, float]]] = {"read": [], "compute": [], "ingest": []}
    accepted = [0]
    reasons: Counter[str] = Counter()
    stop = time.perf_counter() + seconds

    def client(number: int) -> None:
        for turn in range(100_000):  # bounded; the clock ends it first
            if time.perf_counter() >= stop:
                return
            mixed = (number + turn) % 4 == 0 and not reads_only
            kind = ("compute", "ingest")[turn % 2] if mixed else "read"
            if kind == "read":
                status, took = request(reads[(number + turn) % len(reads)], timeout=30)
            elif kind == "compute":
                status, took = request(base + "/api/compare", pair, timeout=60, errors=reasons)
            else:
                key = f"storm-{number}-{turn}"
                text = (f"Laporan {key}: banjir setinggi {turn % 90 + 10} sentimeter merendam {number % 40 + 2} rumah "
                        f"di Kecamatan Contoh {number} pada pengamatan ke-{turn}, menurut petugas setempat.")  # fmt: skip
                status, took = request(
                    base + "/api/articles", {"articles": [{"id": key, "text": text}]}, timeout=60
                )
                if status == 200:
                    with lock:
                        accepted[0] += 1
            with lock:
                seen[kind].append((status, took))

    before = json.loads(urllib.request.urlopen(base + "/api/health").read())["counts"]["articles"]
    load_before = os.getloadavg()[0]
    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    time.sleep(1.0)
    after = json.loads(urllib.request.urlopen(base + "/api/health", timeout=30).read())["counts"]["articles"]
    read_times = [took for status, took in seen["read"]]
    figures: dict[str, object] = {
        "reads": len(seen["read"]),
        "reads_ok": sum(status == 200 for status, _ in seen["read"]),
        "reads_p50_ms": percentile(read_times, 0.5),
        "reads_p95_ms": percentile(read_times, 0.95),
        "reads_max_ms": percentile(read_times, 1.0),
        "reads_failed_by_status": dict(Counter(status for status, _ in seen["read"] if status != 200)),
    }
    for kind in ("compute", "ingest"):
        for code, label in ((200, "answered"), (503, "refused")):
            times = [took for status, took in seen[kind] if status == code]
            figures[f"{kind}_{label}"] = len(times)
            figures[f"{kind}_{label}_p95_ms"] = percentile(times, 0.95)
            figures[f"{kind}_{label}_max_ms"] = percentile(times, 1.0)
        figures[f"{kind}_other"] = sum(status not in (200, 503) for status, _ in seen[kind])
    figures["compute_refused_because"] = dict(reasons)
    figures["articles_accepted"] = accepted[0]
    figures["articles_stored"] = after - before
    figures["load_average"] = f"{load_before:.1f}->{os.getloadavg()[0]:.1f}"
    print(f"storm ({clients} clients, {seconds:g} s): " + ", ".join(f"{k} {v}" for k, v in figures.items()),
          flush=True)  # fmt: skip
    return figures


def classic(base: str, args: argparse.Namespace, pair: dict[str, object]) -> None:
    """Cases 1-3 of the module's docstring."""
    events = json.loads(urllib.request.urlopen(base + "/api/events?sort=articles").read())["items"]
    event_url = f"{base}/api/events/{events[0]['id']}"
    request(event_url)  # the first view computes the comparison; later views are cached
    hammer("event page JSON", lambda: request(event_url), args.concurrency, args.seconds, 20_000)
    hammer("web page", lambda: request(base + "/"), args.concurrency, args.seconds / 2, 20_000)
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


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--storm-seconds", type=float, default=30)
    parser.add_argument("--storm-only", action="store_true", help="Run only the storm case.")
    parser.add_argument("--reads-only", action="store_true", help="The storm with reads alone (a baseline).")
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
            pair = {
                "articles": [
                    {"id": p.stem, "text": p.read_text(encoding="utf-8")}
                    for p in sorted((ROOT / "examples").glob("*.txt"))
                ]
            }
            if not args.storm_only:
                classic(base, args, pair)
            storm(base, args.clients, args.storm_seconds, pair, args.reads_only)
            stopping = time.perf_counter()
            server.send_signal(signal.SIGINT)
            server.wait(timeout=60)
            print(f"shutdown after the storm: {time.perf_counter() - stopping:.2f} s", flush=True)
        finally:
            if server.poll() is None:
                server.terminate()
                server.wait(timeout=20)


if __name__ == "__main__":
    main()
