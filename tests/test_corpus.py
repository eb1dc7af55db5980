"""The growing corpus: events, duplicates, idempotent re-runs, conflicting ids, crash safety, feeds."""

from __future__ import annotations

import http.server
import json
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from kabar.corpus import Corpus
from kabar.embed import Embedder
from kabar.ingest.feeds import read_sources
from kabar.records import Article
from kabar.store import open_store
from tests.conftest import DATA, SEED_A, SEED_B, SEEDS

PAIRS = DATA / "pairs"


@pytest.fixture(scope="module")
def embedder() -> Embedder:
    return Embedder(disk_cache=False)


def test_corpus_groups_events_across_languages(tmp_path: Path, embedder: Embedder) -> None:
    store = open_store(str(tmp_path / "k.sqlite"))
    report = Corpus(store, embedder).ingest(read_sources([str(SEEDS), str(PAIRS)]))
    assert report.added == 5 and report.new_events == 2
    event_of = {a: store.article(a).event for a in ["000_88221f3e0d7eafc3", "001_6da34223ceeac54f", "cianjur_a",
                                                      "cianjur_b", "cianjur_en"]}  # type: ignore[union-attr]  # fmt: skip
    assert event_of["000_88221f3e0d7eafc3"] == event_of["001_6da34223ceeac54f"]
    assert (
        event_of["cianjur_a"] == event_of["cianjur_b"] == event_of["cianjur_en"]
    )  # English joins Indonesian
    assert event_of["cianjur_a"] != event_of["000_88221f3e0d7eafc3"]
    store.close()


def test_corpus_duplicates_reruns_and_conflicting_ids(tmp_path: Path, embedder: Embedder) -> None:
    db = str(tmp_path / "k.sqlite")
    store = open_store(db)
    corpus = Corpus(store, embedder)
    first = corpus.ingest(read_sources([str(SEEDS)]))
    assert first.added == 2
    # The HTML page carries seed A's text: a near duplicate, kept as such, in A's event.
    page = corpus.ingest(read_sources([str(DATA / "html" / "news_page.html")]))
    assert page.duplicates == 1 and page.added == 0
    dup = store.article("news_page")
    assert dup is not None and dup.duplicate_of == SEED_A.stem
    assert dup.event == store.article(SEED_A.stem).event  # type: ignore[union-attr]
    store.close()
    # Re-running is idempotent, also after reopening (state rebuilt from the store).
    store = open_store(db)
    again = Corpus(store, embedder).ingest(read_sources([str(SEEDS)]))
    assert again.added == 0 and again.already == 2
    # The same id with another text is stored under a new id and reported.
    other = Article(
        id=SEED_B.stem, text="Harga cabai rawit di Pasar Kramat Jati naik dua kali lipat pekan ini."
    )
    renamed = Corpus(store, embedder).ingest([other])
    assert renamed.renamed == [(SEED_B.stem, f"{SEED_B.stem}~2")] and renamed.added == 1
    assert store.counts()["articles"] == 4
    store.close()


def test_corpus_kill_mid_ingest_leaves_no_half_article(tmp_path: Path) -> None:
    corpus = tmp_path / "many.jsonl"
    base = SEED_B.read_text(encoding="utf-8")
    with corpus.open("w", encoding="utf-8") as out:
        for k in range(3000):
            out.write(json.dumps({"id": f"a{k}", "text": f"Laporan nomor {k}. " + base[k % 500 :]}) + "\n")
    db = tmp_path / "k.sqlite"
    proc = subprocess.Popen([sys.executable, "-m", "kabar", "ingest", str(corpus), "--db", str(db), "-q"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    deadline = time.time() + 120
    while time.time() < deadline:
        time.sleep(0.5)
        if db.exists():
            store = open_store(str(db))
            done = store.counts()["articles"]
            store.close()
            if done >= 64:
                break
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    store = open_store(str(db))
    articles = store.counts()["articles"]
    vectors = len(list(store.iter_vectors()))
    dups = store._execute("SELECT count(*) FROM articles WHERE duplicate_of IS NOT NULL").fetchone()[0]
    assert articles > 0 and articles % 64 == 0  # whole batches only
    assert articles == vectors + dups  # every clustered article has its vector
    assert store.events(1)  # events were written with their articles
    store.close()
    # The re-run completes the rest without duplicating anything.
    rerun = subprocess.run([sys.executable, "-m", "kabar", "ingest", str(corpus), "--db", str(db), "-q"],
                           capture_output=True, text=True, timeout=600)  # fmt: skip
    assert rerun.returncode == 0, rerun.stderr
    store = open_store(str(db))
    assert store.counts()["articles"] == 3000
    store.close()


class _Handler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("site")
    text = (PAIRS / "cianjur_b.txt").read_text(encoding="utf-8")
    paragraphs = "".join(f"<p>{p}</p>" for p in text.split("\n\n")[1:])
    (root / "berita.html").write_text(f"<html><head><title>Gempa Cianjur</title></head><body><article><h1>Gempa "
                                      f"Cianjur</h1>{paragraphs}</article></body></html>", encoding="utf-8")  # fmt: skip
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), lambda *a: _Handler(*a, directory=str(root)))
    base = f"http://127.0.0.1:{server.server_address[1]}"
    (root / "feed.xml").write_text(f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Kabar Contoh</title><link>{base}/</link>
<item><title>Gempa Cianjur: Korban Meninggal Terus Bertambah</title><link>{base}/berita.html</link>
<guid>berita-1</guid><pubDate>Mon, 21 Nov 2022 18:00:00 +0700</pubDate>
<description>Gempa berkekuatan 5,6 mengguncang Cianjur.</description></item>
<item><title>Tautan mati</title><link>{base}/hilang.html</link><guid>berita-2</guid>
<description>Ringkasan pendek.</description></item>
</channel></rss>""", encoding="utf-8")  # fmt: skip
    (root / "broken.xml").write_text(
        "<?xml version='1.0'?><rss><channel><item><title>putus", encoding="utf-8"
    )
    (root / "list.opml").write_text(f'<?xml version="1.0"?><opml version="2.0"><body><outline text="Contoh" '
                                    f'xmlUrl="{base}/feed.xml"/></body></opml>', encoding="utf-8")  # fmt: skip
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield base
    server.shutdown()


def test_feed_from_localhost_follows_teaser_link(site: str) -> None:
    items = list(read_sources([f"{site}/feed.xml"]))
    articles = [i for i in items if isinstance(i, Article)]
    full = next(a for a in articles if a.url and a.url.endswith("berita.html"))
    assert "Badan Nasional Penanggulangan Bencana" in full.text  # from the page, not the teaser
    assert full.published == "2022-11-21T18:00:00+07:00" and full.source == "Kabar Contoh"
    teaser = next(a for a in articles if a.url and a.url.endswith("hilang.html"))
    assert teaser.text.endswith("Ringkasan pendek.")  # the link is dead: the teaser is kept


def test_opml_and_broken_feed_and_unreachable_url(site: str) -> None:
    items = list(read_sources([f"{site}/list.opml", f"{site}/broken.xml", "http://127.0.0.1:9/nothing.xml"]))
    assert sum(isinstance(i, Article) for i in items) == 2
    failures = [i for i in items if not isinstance(i, Article)]
    assert any("broken feed" in f.reason or "no text" in f.reason or "neither" in f.reason for f in failures)
    assert any(f.path == "http://127.0.0.1:9/nothing.xml" and "unreachable" in f.reason for f in failures)
