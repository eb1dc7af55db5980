"""A server that stays up against hostile clients: host and origin checks, streamed body limits, security
headers, compute in bounded workers, reads that never write, a banner without the password, a prompt shutdown."""

from __future__ import annotations

import concurrent.futures
import json
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

from kabar.api.guards import allowed_hosts
from kabar.store import open_store
from tests.api.conftest import _serve, article_count, local_client

TEXT = (
    "Banjir melanda Jakarta Timur pada Selasa, ratusan warga mengungsi ke masjid terdekat, kata petugas BPBD."
)


def test_guards_cross_site_writes_are_refused_without_a_token(db: str) -> None:
    client = local_client(db)
    body = {"articles": [{"text": TEXT}]}
    before = article_count(db)
    for headers in ({"Origin": "http://evil.example", "Sec-Fetch-Site": "cross-site"},
                    {"Sec-Fetch-Site": "same-site"}, {"Origin": "null"}, {"Origin": "http://localhost.evil.example"}):  # fmt: skip
        answer = client.post("/api/articles", json=body, headers=headers)
        assert answer.status_code == 403 and answer.json()["ok"] is False, headers
    upload = client.post("/api/articles/upload", files=[("files", ("a.txt", TEXT.encode(), "text/plain"))],
                         headers={"Origin": "http://evil.example"})  # fmt: skip
    assert upload.status_code == 403
    assert article_count(db) == before
    same = client.post(
        "/api/articles", json=body, headers={"Origin": "http://localhost", "Sec-Fetch-Site": "same-origin"}
    )
    assert same.status_code == 200 and same.json()["added"] == 1
    assert (
        client.post("/api/articles", json=body).json()["already"] == 1
    )  # no browser headers: a script or curl


def test_guards_unknown_host_is_refused(db: str) -> None:
    client = local_client(db)
    answer = client.get("/api/health", headers={"Host": "attacker.example"})
    assert answer.status_code == 400 and answer.json()["status"] == 400
    assert client.get("/api/health", headers={"Host": "127.0.0.1:8000"}).status_code == 200
    assert client.get("/api/health", headers={"Host": "[::1]:8000"}).status_code == 200
    assert allowed_hosts("0.0.0.0") == ("*",)
    assert allowed_hosts("0.0.0.0", ["kabar.example.org"]) == ("0.0.0.0", "localhost", "127.0.0.1", "::1",
                                                               "kabar.example.org")  # fmt: skip


def test_guards_chunked_body_obeys_the_limit(db: str) -> None:
    client = local_client(db, max_body_bytes=200_000)

    def chunks() -> Iterator[bytes]:  # no Content-Length: sent chunked
        for _ in range(50):
            yield b"x" * 100_000

    before = article_count(db)
    for path, kind in (("/api/articles/upload", "multipart/form-data; boundary=zz"), ("/api/compare", "application/json")):  # fmt: skip
        answer = client.post(path, content=chunks(), headers={"Content-Type": kind})
        assert answer.status_code == 413 and "over 200,000 bytes" in answer.json()["error"]
    assert article_count(db) == before


def test_guards_security_headers_and_offsets(db: str) -> None:
    client = local_client(db)
    for path in ("/", "/api/health", "/api/events?offset=99999999999999999999"):
        answer = client.get(path)
        assert answer.headers["x-content-type-options"] == "nosniff", path
        assert "script-src 'self';" in answer.headers["content-security-policy"], path
        assert "frame-ancestors 'none'" in answer.headers["content-security-policy"]
    assert client.get("/api/events?offset=99999999999999999999").status_code == 422


def test_guards_failed_api_ingest_leaves_nothing(db: str) -> None:
    client = local_client(db)
    before = article_count(db)
    bad = ('{"articles": [{"text": "' + TEXT + ' \\ud800"}]}').encode()
    answer = client.post("/api/articles", content=bad, headers={"Content-Type": "application/json"})
    assert answer.status_code == 422 and "unicode" in answer.json()["error"]
    line = ('{"id": "s1", "text": "' + TEXT + ' \\ud800"}\n').encode()
    upload = client.post(
        "/api/articles/upload", files=[("files", ("berita.jsonl", line, "application/json"))]
    ).json()
    assert upload["added"] == 0 and upload["failures"][0]["path"] == "berita.jsonl:1"
    assert "lone surrogate" in upload["failures"][0]["reason"]
    again = client.post("/api/articles", json={"articles": [{"id": "s1", "text": TEXT}]}).json()
    assert again["added"] == 1 and again["duplicates"] == 0  # not a duplicate of the refused text
    assert article_count(db) == before + 1


def test_guards_reading_an_event_writes_nothing(db: str) -> None:
    store = open_store(db)
    event = store.events(1, 0, "articles")[0]
    store.set_event_conflicts(event.id, 99, ("made-up.v0",))
    store.close()
    with local_client(db, compute_workers=1) as client:
        answer = client.get(f"/api/events/{event.id}").json()
        assert "stale" not in answer
        # A repeat joins the event: the old document is served, marked stale, while it is compared again.
        first = store_text(db)
        client.post("/api/articles", json={"articles": [{"id": "repeat-1", "text": first}]})
        again = client.get(f"/api/events/{event.id}").json()
        assert again["stale"] is True and again["event"] == answer["event"]
        for _ in range(100):
            fresh = client.get(f"/api/events/{event.id}").json()
            if "stale" not in fresh:
                break
            time.sleep(0.2)
        assert "stale" not in fresh and any(d["article"] == "repeat-1" for d in fresh["duplicates"])
    assert answer["ok"] and answer["event"]["conflicts"] != 99
    store = open_store(db)
    try:
        row = store.event(event.id)
        assert row is not None and row.conflicts == 99 and row.compared_with == ("made-up.v0",)
    finally:
        store.close()


def store_text(db: str) -> str:
    """The text of an article of the event with the most articles."""
    store = open_store(db)
    try:
        event = store.events(1, 0, "articles")[0]
        return store.articles_of_event(event.id)[0].article.text
    finally:
        store.close()


def _post(url: str, body: dict[str, object]) -> tuple[int, dict[str, object]]:
    request = urllib.request.Request(url, json.dumps(body).encode(), {"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=60) as answer:
            return answer.status, json.loads(answer.read())
    except urllib.error.HTTPError as err:
        return err.code, json.loads(err.read())


def test_guards_compute_is_capped_and_budgeted_while_reads_go_on(db: str) -> None:
    # One worker, a 2 s budget, 0.3 s of queueing: a long compare is stopped, others are told "busy".
    for base in _serve(db, compute_workers=1, compute_seconds=2.0, queue_seconds=0.3):
        long_text = " ".join(
            f"Warga desa ke-{n} di Kecamatan Cibeber menerima bantuan {n} karung beras." for n in range(1500)
        )
        articles = {"articles": [{"id": "a", "text": long_text}, {"id": "b", "text": long_text[::-1]}]}
        for _ in range(20):  # the worker has started (and, on a busy machine, answered within 2 s once)
            if _post(base + "/api/relate", {"pairs": [{"premise": TEXT, "hypothesis": TEXT}]})[0] == 200:
                break
        with concurrent.futures.ThreadPoolExecutor(4) as pool:
            slow = pool.submit(_post, base + "/api/compare", articles)
            time.sleep(0.5)
            busy = [pool.submit(_post, base + "/api/relate", {"pairs": [{"premise": TEXT, "hypothesis": TEXT}]})
                    for _ in range(2)]  # fmt: skip
            with urllib.request.urlopen(base + "/api/events?limit=5", timeout=10) as read:
                assert read.status == 200
            statuses = sorted(f.result()[0] for f in busy)
            status, answer = slow.result()
        assert status == 503 and "longer than its budget of 2 s" in str(answer["error"])
        assert statuses == [503, 503]
        too_much = {"articles": [{"text": long_text}, {"text": long_text}, {"text": long_text}]}
        assert _post(base + "/api/compare", too_much)[0] == 413  # refused before any work
        # The worker stopped the long compare: a next request is answered (once it is free again).
        answers = []
        for _ in range(20):
            answers.append(_post(base + "/api/relate", {"pairs": [{"premise": TEXT, "hypothesis": TEXT}]})[0])
            if answers[-1] == 200:
                break
        assert answers[-1] == 200 and set(answers) <= {200, 503}


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_guards_serve_hides_the_password_and_stops_promptly(db: str, tmp_path: Path) -> None:
    port = _port()
    command = [
        sys.executable,
        "-m",
        "kabar",
        "serve",
        "--db",
        db,
        "--port",
        str(port),
        "--compute-seconds",
        "120",
    ]
    server = subprocess.Popen(command, stderr=subprocess.PIPE, text=True)
    try:
        banner = server.stderr.readline() if server.stderr else ""
        assert f"serving {db} on http://127.0.0.1:{port}/" in banner
        for _ in range(100):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/api/health", timeout=2).close()
                break
            except OSError:
                time.sleep(0.2)
        long_text = " ".join(
            f"Warga desa ke-{n} menerima bantuan {n} karung beras dari pemerintah." for n in range(3000)
        )
        with concurrent.futures.ThreadPoolExecutor(1) as pool:
            pool.submit(_post, f"http://127.0.0.1:{port}/api/compare",
                        {"articles": [{"text": long_text}, {"text": long_text[::-1]}]})  # fmt: skip
            time.sleep(1.0)
            stopping = time.monotonic()
            server.send_signal(signal.SIGINT)
            server.wait(timeout=30)
            took = time.monotonic() - stopping
        assert took < 10, f"shutdown took {took:.1f} s with a computation in flight"
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()
    port = _port()
    url = "postgresql://kabar:hunter2@127.0.0.1:1/kabar"
    hidden = subprocess.Popen([sys.executable, "-m", "kabar", "serve", "--db", url, "--port", str(port)],
                              stderr=subprocess.PIPE, text=True)  # fmt: skip
    try:
        banner = hidden.stderr.readline() if hidden.stderr else ""
    finally:
        hidden.kill()
        hidden.wait()
    assert "postgresql://kabar:***@127.0.0.1:1/kabar" in banner and "hunter2" not in banner
