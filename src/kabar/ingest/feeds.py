"""RSS/Atom feeds, OPML lists of feeds, and article pages by URL.

Fetching is polite: a clear User-Agent, a timeout, a size limit, and a few retries with back-off on network
errors and 429/5xx answers. A feed entry with only a teaser is completed by fetching its link and extracting the
article with trafilatura.
"""

from __future__ import annotations

import hashlib
import time
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from kabar import __version__
from kabar.config import DEFAULT, Config
from kabar.errors import FetchError, InputError, NoArticleText
from kabar.ingest.dates import parse_published
from kabar.ingest.readers import decode, normalise_text, read_html, read_paths
from kabar.records import Article, Failure

USER_AGENT = f"kabar/{__version__} (+news monitoring; offline-first)"
TIMEOUT = 15.0
RETRIES = 3
MAX_BYTES = 10_000_000
# A feed entry shorter than this is a teaser: its link is fetched for the full text.
TEASER_CHARS = 400


@dataclass(frozen=True, slots=True)
class Fetched:
    url: str
    content: bytes
    content_type: str


class _GuardedRedirects(urllib.request.HTTPRedirectHandler):
    """Checks every redirect target with the same guard as the first URL."""

    def __init__(self, guard: Callable[[str], None]) -> None:
        self.guard = guard

    def redirect_request(self, req: Any, fp: Any, code: int, msg: str, headers: Any, newurl: str) -> Any:
        self.guard(newurl)
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def fetch(
    url: str,
    timeout: float = TIMEOUT,
    retries: int = RETRIES,
    max_bytes: int = MAX_BYTES,
    guard: Callable[[str], None] | None = None,
) -> Fetched:
    """GET a URL with retries; raises FetchError with a reason a user can act on.

    ``guard`` is called with the URL and every redirect target, and raises to refuse one (kabar.api.security).
    """
    if not is_url(url):
        raise FetchError(url, "only http and https URLs are fetched")
    if guard is not None:
        guard(url)
    opener = urllib.request.build_opener(_GuardedRedirects(guard)) if guard else urllib.request.build_opener()
    last = "no attempt"
    for attempt in range(retries):
        request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept": "*/*"})
        try:
            with opener.open(request, timeout=timeout) as response:
                content = response.read(max_bytes + 1)
                if len(content) > max_bytes:
                    raise FetchError(url, f"response larger than {max_bytes:,} bytes")
                return Fetched(response.geturl(), content, response.headers.get("Content-Type", ""))
        except urllib.error.HTTPError as err:
            last = f"HTTP {err.code} {err.reason}"
            if err.code not in {408, 429, 500, 502, 503, 504}:
                break
        except (urllib.error.URLError, TimeoutError, ConnectionError, OSError) as err:
            last = f"unreachable ({getattr(err, 'reason', err)})"
        if attempt + 1 < retries:
            time.sleep(0.5 * 2**attempt)
    raise FetchError(url, last)


def is_url(source: str) -> bool:
    return source.startswith(("http://", "https://"))


def looks_like_feed(content: bytes) -> bool:
    head = content[:2000].lstrip().lower()
    return (
        head.startswith(b"<?xml") and (b"<rss" in head or b"<feed" in head or b"<rdf" in head)
    ) or head.startswith((b"<rss", b"<feed"))


def looks_like_opml(content: bytes) -> bool:
    return b"<opml" in content[:2000].lower()


Guard = Callable[[str], None]
"""Called with every URL before it is fetched; raises FetchError to refuse it (kabar.api.security)."""


def read_sources(
    sources: list[str], config: Config = DEFAULT, follow_links: bool = True, guard: Guard | None = None
) -> Iterator[Article | Failure]:
    """Articles from files, directories, feed files, OPML files and URLs (feeds, OPML or article pages).

    ``guard`` checks every URL fetched (the sources, the feeds of an OPML list, the links of teaser entries)."""
    for source in sources:
        try:
            if is_url(source):
                fetched = fetch(source, guard=guard)
                yield from _from_bytes(fetched.content, fetched.url, config, follow_links, guard)
                continue
            path = Path(source)
            if path.is_file() and path.suffix.lower() in {".xml", ".rss", ".atom", ".opml"}:
                yield from _from_bytes(path.read_bytes(), str(path), config, follow_links, guard)
            else:
                yield from read_paths([path], config)
        except InputError as err:
            yield Failure(err.path, err.reason, err.code)
        except OSError as err:
            yield Failure(source, f"cannot read: {err}", "io")


def _from_bytes(
    content: bytes, where: str, config: Config, follow_links: bool, guard: Guard | None = None
) -> Iterator[Article | Failure]:
    if looks_like_opml(content):
        for feed in opml_feeds(content, where):
            if is_url(where) and not is_url(feed):
                # A list fetched from the network never names a file on this machine.
                yield Failure(feed, f"refused: {where} lists a local path, not a URL", "fetch")
                continue
            yield from read_sources([feed], config, follow_links, guard)
    elif looks_like_feed(content):
        yield from feed_articles(content, where, config, follow_links, guard)
    elif is_url(where):
        slug = hashlib.sha1(where.encode()).hexdigest()[:12]
        article = read_html(content, path=where, article_id=f"url-{slug}", config=config)
        yield replace(article, url=article.url or where)
    else:
        raise NoArticleText(where, "neither a feed, an OPML list nor an article")


def opml_feeds(content: bytes, where: str) -> list[str]:
    try:
        root = ET.fromstring(content)
    except ET.ParseError as err:
        raise InputError(where, f"OPML is not well-formed XML ({err})") from err
    feeds = [o.get("xmlUrl") or o.get("xmlurl") or "" for o in root.iter("outline")]
    return [f for f in feeds if f]


def feed_articles(
    content: bytes,
    where: str,
    config: Config = DEFAULT,
    follow_links: bool = True,
    guard: Guard | None = None,
) -> Iterator[Article | Failure]:
    import feedparser

    parsed = feedparser.parse(content)
    if parsed.bozo and not parsed.entries:
        reason = getattr(parsed, "bozo_exception", "not a feed")
        yield Failure(where, f"broken feed: {reason}", "feed")
        return
    source = parsed.feed.get("title") or where
    for number, entry in enumerate(parsed.entries, start=1):
        try:
            yield _entry_article(entry, number, source, where, config, follow_links, guard)
        except InputError as err:
            yield Failure(err.path, err.reason, err.code)


def _entry_article(
    entry: dict[str, Any],
    number: int,
    source: str,
    where: str,
    config: Config,
    follow_links: bool,
    guard: Guard | None = None,
) -> Article:
    link = entry.get("link") or ""
    key = entry.get("id") or link or f"{where}#{number}"
    article_id = "feed-" + hashlib.sha1(key.encode()).hexdigest()[:16]
    html = ""
    for content in entry.get("content") or []:
        html = max(html, content.get("value", ""), key=len)
    html = html or entry.get("summary", "")
    text = _html_text(html)
    title = entry.get("title")
    if follow_links and len(text) < TEASER_CHARS and is_url(link):
        try:
            page = fetch(link, guard=guard)
            full = read_html(page.content, path=link, article_id=article_id, config=config)
            text, title = full.text, title or full.title
        except InputError:
            pass  # keep the teaser: better a short article than none
    if not text.strip():
        raise NoArticleText(f"{where}#{number}", "feed entry has no text and its link gave none")
    published = entry.get("published") or entry.get("updated")
    if title and not text.startswith(title):
        text = f"{title}\n\n{text}"
    return Article(id=article_id, text=text, title=title, source=source, published=parse_published(published),
                   url=link or None, author=entry.get("author"), path=where)  # fmt: skip


def _html_text(html: str) -> str:
    if "<" not in html:
        return normalise_text(html)
    from lxml import html as lxml_html

    try:
        tree = lxml_html.fromstring(f"<div>{html}</div>")
    except Exception:  # malformed fragments
        return normalise_text(decode(html.encode(), "feed"))
    for bad in tree.xpath("//script|//style"):
        bad.drop_tree()
    blocks = [b.text_content().strip() for b in tree.xpath("//p|//li|//h1|//h2|//h3|//blockquote")]
    text = "\n\n".join(b for b in blocks if b) or tree.text_content()
    return normalise_text(text)
