"""Feeds, OPML lists and article pages served by a real HTTP server on localhost."""

from __future__ import annotations

import pytest

from kabar.errors import FetchError
from kabar.ingest.feeds import fetch, looks_like_feed, looks_like_opml, opml_feeds, read_sources
from kabar.records import Article, Failure


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
