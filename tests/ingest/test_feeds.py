"""Feeds, OPML lists and article pages served by a real HTTP server on localhost: no local files through a
remote list, no endless nesting, and feed entries checked like any other article."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from kabar.config import Config
from kabar.errors import FetchError
from kabar.ingest.feeds import (
    MAX_OPML_DEPTH,
    fetch,
    looks_like_feed,
    looks_like_opml,
    opml_feeds,
    read_sources,
)
from kabar.records import Article, Failure
from tests.conftest import SEED_A


def test_feeds_sniffing_tells_feeds_from_opml_and_pages() -> None:
    assert looks_like_feed(b'<?xml version="1.0"?>\n<rss version="2.0"><channel/></rss>')
    assert looks_like_feed(b"<feed xmlns='http://www.w3.org/2005/Atom'></feed>")
    assert not looks_like_feed(b"<html><body><p>rss</p></body></html>")
    assert looks_like_opml(b'<?xml version="1.0"?><opml version="2.0"></opml>')
    assert not looks_like_opml(b"<rss></rss>")


def test_feeds_opml_lists_feed_urls_and_rejects_broken_xml() -> None:
    content = b'<opml><body><outline xmlUrl="https://a.example/rss"/><outline text="folder"/></body></opml>'
    assert opml_feeds(content, "x.opml") == ["https://a.example/rss"]
    with pytest.raises(Exception, match="not well-formed"):
        opml_feeds(b"<opml><body>", "bad.opml")


def test_feeds_page_url_is_an_article(news_site: str) -> None:
    (article,) = list(read_sources([f"{news_site}/jalan.html"]))
    assert isinstance(article, Article) and article.url == f"{news_site}/jalan.html"
    assert "Rp 2,4 miliar" in article.text and article.id.startswith("url-")


def test_feeds_opml_url_reads_its_feed_and_follows_the_teaser(news_site: str) -> None:
    items = list(read_sources([f"{news_site}/list.opml"]))
    (article,) = items
    assert isinstance(article, Article) and article.source == "Warta Bogor"
    assert "Terminal Baranangsiang" in article.text  # from the page: the entry was a teaser
    assert article.published == "2023-03-06T08:00:00+07:00"


def test_feeds_remote_opml_never_reads_local_files(news_site: str) -> None:
    (failure,) = list(read_sources([f"{news_site}/local.opml"]))
    assert isinstance(failure, Failure) and failure.path == "/etc/passwd" and "refused" in failure.reason


def test_feeds_guard_sees_every_url_fetched(news_site: str) -> None:
    seen: list[str] = []
    items = list(read_sources([f"{news_site}/list.opml"], guard=seen.append))
    assert len(items) == 1 and seen == [
        f"{news_site}/list.opml",
        f"{news_site}/feed.xml",
        f"{news_site}/jalan.html",
    ]

    def refuse(url: str) -> None:
        raise FetchError(url, "refused by the guard")

    (failure,) = list(read_sources([f"{news_site}/feed.xml"], guard=refuse))
    assert isinstance(failure, Failure) and failure.code == "fetch" and "refused" in failure.reason


def test_feeds_fetch_reports_http_errors_and_limits(news_site: str) -> None:
    with pytest.raises(FetchError, match="HTTP 404"):
        fetch(f"{news_site}/missing.html", retries=1)
    with pytest.raises(FetchError, match="larger than"):
        fetch(f"{news_site}/jalan.html", max_bytes=100)
    with pytest.raises(FetchError, match="only http"):
        fetch("ftp://example.org/x")


SECRET = "Isi berkas rahasia di mesin server: kata sandi basis data adalah kuda-laut-ungu, jangan disebarkan."


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture()
def served(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    root = tmp_path / "site"
    root.mkdir()
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), lambda *a: _Quiet(*a, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", root
    server.shutdown()
    server.server_close()


def _opml(*urls: str) -> str:
    outlines = "".join(f'<outline text="f" xmlUrl="{u}"/>' for u in urls)
    return f'<?xml version="1.0"?><opml version="2.0"><body>{outlines}</body></opml>'


def test_feeds_remote_opml_cannot_read_local_files(served: tuple[str, Path], tmp_path: Path) -> None:
    base, root = served
    secret = tmp_path / "secret.txt"
    secret.write_text(SECRET, encoding="utf-8")
    (root / "list.opml").write_text(_opml(str(secret), f"file://{secret}", str(tmp_path)), encoding="utf-8")
    items = list(read_sources([f"{base}/list.opml"]))
    assert not any(isinstance(i, Article) for i in items)
    assert all("kuda-laut-ungu" not in (i.reason if isinstance(i, Failure) else i.text) for i in items)
    refused = [i for i in items if isinstance(i, Failure) and "only name http(s) URLs" in i.reason]
    assert {f.path for f in refused} == {str(secret), f"file://{secret}", str(tmp_path)}


def test_feeds_local_opml_may_list_local_feeds(tmp_path: Path) -> None:
    (tmp_path / "list.opml").write_text(_opml(str(SEED_A)), encoding="utf-8")
    (article,) = read_sources([str(tmp_path / "list.opml")])
    assert isinstance(article, Article) and article.id == SEED_A.stem


def test_feeds_opml_listing_itself_ends(served: tuple[str, Path], tmp_path: Path) -> None:
    base, root = served
    (root / "self.opml").write_text(_opml(f"{base}/self.opml"), encoding="utf-8")
    for depth in range(MAX_OPML_DEPTH + 2):  # a chain of distinct lists, deeper than allowed
        (root / f"chain{depth}.opml").write_text(_opml(f"{base}/chain{depth + 1}.opml"), encoding="utf-8")
    (tmp_path / "local.opml").write_text(_opml(str(tmp_path / "local.opml")), encoding="utf-8")
    items = list(read_sources([f"{base}/self.opml", f"{base}/chain0.opml", str(tmp_path / "local.opml")]))
    assert all(isinstance(i, Failure) for i in items)
    assert any("nested deeper" in i.reason for i in items if isinstance(i, Failure))


def test_feeds_entries_obey_the_article_size_limits(tmp_path: Path) -> None:
    long_text = "Warga Desa Sukamaju bergotong royong memperbaiki jembatan yang rusak diterjang banjir. " * 30
    feed = tmp_path / "feed.xml"
    feed.write_text(
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Contoh</title>'
        f"<item><title>Panjang</title><guid>a</guid><description>{long_text}</description></item>"
        "<item><title>Kosong</title><guid>b</guid><description>ya</description></item>"
        "</channel></rss>",
        encoding="utf-8",
    )
    items = list(read_sources([str(feed)], Config(max_article_chars=1000), follow_links=False))
    codes = sorted((i.path, i.code) for i in items if isinstance(i, Failure))
    assert codes == [(f"{feed}#1", "too-large"), (f"{feed}#2", "empty")]
