"""``kabar watch`` against a feed server on 127.0.0.1: conditional GET, back-off, resuming, fresh events."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email.utils import formatdate
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from kabar.corpus import Corpus
from kabar.embed import Embedder
from kabar.ingest.watch import MAX_BACKOFF, Watcher, expand_sources
from kabar.store import open_store
from tests.conftest import DATA

OUTLETS = DATA / "outlets"


def rss(stems: list[str]) -> bytes:
    """An RSS feed whose items are the test articles of tests/data/outlets (full text in the description)."""
    items = []
    for k, stem in enumerate(stems):
        title, _, body = (OUTLETS / f"{stem}.txt").read_text(encoding="utf-8").partition("\n\n")
        items.append(f"<item><title>{escape(title)}</title><link>https://www.{stem.split('-')[0]}.com/read/{k}</link>"
                     f"<guid>{stem}</guid><pubDate>{formatdate(1553400000 + k * 3600)}</pubDate>"
                     f"<description>{escape(body)}</description></item>")  # fmt: skip
    return ('<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Kompas.com</title>'
            f"<link>https://www.kompas.com</link>{''.join(items)}</channel></rss>").encode()  # fmt: skip


class FeedServer:
    """Serves /feed.xml with an ETag and Last-Modified, answers 304 to matching validators, /down.xml fails."""

    def __init__(self) -> None:
        self.body = rss(["kompas"])
        self.version = 1
        self.requests: list[tuple[str, str | None]] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                server.requests.append((self.path, self.headers.get("If-None-Match")))
                if self.path == "/down.xml":
                    self.send_response(503)
                    self.end_headers()
                    return
                etag = f'"v{server.version}"'
                if self.headers.get("If-None-Match") == etag:
                    self.send_response(304)
                    self.end_headers()
                    return
                self.send_response(200)
                self.send_header("Content-Type", "application/rss+xml")
                self.send_header("ETag", etag)
                self.send_header("Last-Modified", formatdate(1700000000 + server.version, usegmt=True))
                self.end_headers()
                self.wfile.write(server.body)

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def publish(self, stems: list[str]) -> None:
        self.body = rss(stems)
        self.version += 1


@pytest.fixture()
def feed_server() -> Iterator[FeedServer]:
    server = FeedServer()
    yield server
    server.httpd.shutdown()


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 1, 5, 8, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


def test_watch_polls_conditionally_backs_off_and_resumes(feed_server: FeedServer, tmp_path: Path) -> None:
    db = str(tmp_path / "k.sqlite")
    feeds = [feed_server.url + "/feed.xml", feed_server.url + "/down.xml"]
    clock = Clock()
    embedder = Embedder(disk_cache=False)

    store = open_store(db)
    watcher = Watcher(
        Corpus(store, embedder), interval=600, follow_links=False, clock=clock, sleep=clock.sleep
    )
    first = watcher.poll_round(feeds)
    assert (first.new, first.failed, first.added) == (1, 1, 1)
    assert store.counts()["articles"] == 1
    state = store.feed_states()[feeds[0]]
    assert state.etag == '"v1"' and state.last_status == "new" and state.articles == 1

    clock.sleep(30)  # nothing is due yet
    assert watcher.poll_round(feeds).polled == 0
    clock.sleep(600)
    second = watcher.poll_round(feeds)
    assert (second.unchanged, second.failed, second.added) == (1, 1, 0)
    assert feed_server.requests[-2] == ("/feed.xml", '"v1"')  # the validator was sent; 304 came back
    down = store.feed_states()[feeds[1]]
    assert down.failures == 2 and "503" in (down.last_error or "")
    wait = datetime.fromisoformat(down.next_check or "") - clock.now
    assert wait == timedelta(seconds=1200)  # the interval doubled after a second failure in a row
    store.close()

    # A restart resumes: validators and schedule come from the database.
    feed_server.publish(["kompas", "detik"])
    clock.sleep(600)
    store = open_store(db)
    watcher = Watcher(
        Corpus(store, embedder), interval=600, follow_links=False, clock=clock, sleep=clock.sleep
    )
    assert watcher.due(feeds) == [feeds[0]]  # the failing feed waits out its back-off
    third = watcher.poll_round(feeds)
    assert (third.new, third.added, third.polled) == (1, 1, 1)
    assert store.counts()["articles"] == 2
    (event,) = [store.event(e) for e in third.events]
    assert event is not None and event.articles == 2 and event.sources == 2
    assert event.conflicts is not None  # compared as the article arrived, not on first view
    store.close()


def test_watch_back_off_is_capped(feed_server: FeedServer, tmp_path: Path) -> None:
    store = open_store(str(tmp_path / "k.sqlite"))
    clock = Clock()
    watcher = Watcher(
        Corpus(store, Embedder(disk_cache=False)), interval=3600, clock=clock, sleep=clock.sleep
    )
    down = feed_server.url + "/down.xml"
    waits = []
    for _ in range(6):
        watcher.run([down], rounds=1)
        state = store.feed_states()[down]
        waits.append((datetime.fromisoformat(state.next_check or "") - clock.now).total_seconds())
    assert waits[:3] == [3600, 7200, 14400] and max(waits) == MAX_BACKOFF
    store.close()


def test_watch_expands_opml_lists(tmp_path: Path) -> None:
    feeds, failures = expand_sources(
        [str(Path("examples") / "feeds-id.opml"), str(tmp_path / "missing.opml")]
    )
    assert len(feeds) >= 10 and all(f.startswith("https://") for f in feeds)
    assert [f.code for f in failures] == ["io"]


def test_watch_command_runs_rounds(feed_server: FeedServer, tmp_path: Path) -> None:
    from tests.cli.test_main import kabar

    opml = tmp_path / "feeds.opml"
    opml.write_text(f'<opml version="2.0"><body><outline xmlUrl="{feed_server.url}/feed.xml"/>'
                    f'<outline xmlUrl="{feed_server.url}/down.xml"/></body></opml>', encoding="utf-8")  # fmt: skip
    db = str(tmp_path / "k.sqlite")
    run = kabar("watch", str(opml), "--db", db, "--rounds", "1", "--no-follow")
    assert run.returncode == 0, run.stderr
    assert "watching 2 feed(s)" in run.stderr and "1 article(s) added" in run.stderr and "503" in run.stderr
    assert len(open_store(db).feed_states()) == 2


def test_watch_polls_within_the_fetch_limits(tmp_path: Path) -> None:
    """A feed that drips bytes is given up at the deadline; a FIFO or device named as a feed is not read."""
    import http.server
    import os
    import threading
    import time

    from kabar.ingest.fetch import FetchPolicy
    from kabar.ingest.watch import conditional_get, read_local
    from kabar.records import FeedState

    class Drip(http.server.BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Length", "100")
            self.end_headers()
            for _ in range(40):
                try:
                    self.wfile.write(b"<")
                    self.wfile.flush()
                except OSError:
                    return
                time.sleep(0.25)

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Drip)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/feed.xml"
        poll = conditional_get(url, FeedState(url), timeout=2.0, policy=FetchPolicy(deadline=1.5))
        assert poll.status == "failed" and "deadline" in (poll.error or "")
    finally:
        server.shutdown()
        server.server_close()
    os.mkfifo(tmp_path / "feed.xml")
    os.symlink("/dev/zero", tmp_path / "zero.xml")
    for name in ("feed.xml", "zero.xml"):
        poll = read_local(str(tmp_path / name), FeedState(str(tmp_path / name)))
        assert poll.status == "failed" and "not a regular file" in (poll.error or "")
