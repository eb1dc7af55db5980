"""RSS/Atom feeds, OPML lists of feeds, and article pages by URL.

Fetching (``kabar.ingest.fetch``) is polite and bounded: a clear User-Agent, a per-read timeout, an overall
deadline, a size limit, and a few retries with back-off on network errors and 429/5xx answers. A list fetched from
the network (OPML, feed) is only followed to http(s) URLs, never to local files; nested OPML lists are read once
each, to a bounded depth. A feed entry with only a teaser is completed by fetching its link and extracting the
article with trafilatura.
"""

from __future__ import annotations

import hashlib
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from kabar.config import DEFAULT, Config
from kabar.errors import FetchError, InputError, NoArticleText
from kabar.ingest.dates import parse_published
from kabar.ingest.fetch import (
    MAX_BYTES,
    RETRIES,
    TIMEOUT,
    USER_AGENT,
    Fetched,
    FetchPolicy,
    fetch,
    is_url,
)
from kabar.ingest.readers import (
    check_size,
    clean_field,
    decode,
    normalise_text,
    read_bounded,
    read_html,
    read_paths,
)
from kabar.records import Article, Failure

Guard = Callable[[str], None]
"""Called with every URL before it is fetched; raises FetchError to refuse it (kabar.api.security)."""

__all__ = ["MAX_BYTES", "RETRIES", "TIMEOUT", "USER_AGENT", "FetchError", "FetchPolicy", "Fetched", "Guard", "feed_articles",
           "fetch", "is_url", "looks_like_feed", "looks_like_opml", "opml_feeds", "read_sources"]  # fmt: skip

# A feed entry shorter than this is a teaser: its link is fetched for the full text.
TEASER_CHARS = 400
# OPML lists may name other OPML lists; deeper nesting than this is refused (real directories nest one level).
MAX_OPML_DEPTH = 3
# At most this many feeds are read from one OPML list (large public directories list a few hundred).
MAX_OPML_FEEDS = 2000


@dataclass
class _Walk:
    """What reading one command's sources has seen: documents already read (an OPML listing itself, or two lists
    naming the same feed, read it once), and the guard and fetch policy every URL found on the way obeys."""

    config: Config
    follow_links: bool
    policy: FetchPolicy
    guard: Guard | None = None
    seen: set[str] = field(default_factory=set)

    def fetch(self, url: str) -> Fetched:
        if self.guard is not None:
            self.guard(url)
        return fetch(url, self.policy, guard=self.guard)


def looks_like_feed(content: bytes) -> bool:
    head = content[:2000].lstrip().lower()
    return (
        head.startswith(b"<?xml") and (b"<rss" in head or b"<feed" in head or b"<rdf" in head)
    ) or head.startswith((b"<rss", b"<feed"))


def looks_like_opml(content: bytes) -> bool:
    return b"<opml" in content[:2000].lower()


def read_sources(
    sources: list[str],
    config: Config = DEFAULT,
    follow_links: bool = True,
    guard: Guard | None = None,
    policy: FetchPolicy | None = None,
) -> Iterator[Article | Failure]:
    """Articles from files, directories, feed files, OPML files and URLs (feeds, OPML or article pages).

    Feeds and OPML lists fetched from a URL may only point to http(s) URLs, never to local files. Every URL met on
    the way (the sources, the feeds of an OPML list, the links of teaser entries, redirects) passes ``guard`` and
    is fetched with ``policy`` (the API's refuses private addresses where it connects).
    """
    walk = _Walk(config, follow_links, policy or FetchPolicy(), guard)
    for source in sources:
        yield from _read_source(source, walk, depth=0, remote=False)


def _read_source(source: str, walk: _Walk, depth: int, remote: bool) -> Iterator[Article | Failure]:
    if source in walk.seen:
        return
    walk.seen.add(source)
    try:
        if is_url(source):
            fetched = walk.fetch(source)
            yield from _from_bytes(fetched.content, fetched.url, walk, depth, remote=True)
            return
        if remote:
            raise FetchError(source, "refused: a list fetched from the network may only name http(s) URLs")
        path = Path(source)
        if path.is_file() and path.suffix.lower() in {".xml", ".rss", ".atom", ".opml"}:
            data = read_bounded(path, walk.config.max_file_bytes)
            yield from _from_bytes(data, source, walk, depth, remote=False)
        else:
            yield from read_paths([path], walk.config)
    except InputError as err:
        yield Failure(err.path, err.reason, err.code)
    except OSError as err:
        yield Failure(source, f"cannot read: {err.strerror or err}", "io")


def _from_bytes(
    content: bytes, where: str, walk: _Walk, depth: int, remote: bool
) -> Iterator[Article | Failure]:
    if looks_like_opml(content):
        if depth >= MAX_OPML_DEPTH:
            raise InputError(where, f"OPML lists nested deeper than {MAX_OPML_DEPTH} levels")
        feeds = opml_feeds(content, where)
        if len(feeds) > MAX_OPML_FEEDS:
            yield Failure(where, f"OPML lists {len(feeds):,} feeds: only the first {MAX_OPML_FEEDS:,} are read",
                          "too-large")  # fmt: skip
        for feed in feeds[:MAX_OPML_FEEDS]:
            yield from _read_source(feed, walk, depth + 1, remote)
    elif looks_like_feed(content):
        yield from feed_articles(content, where, walk.config, walk.follow_links, walk.guard, walk.policy)
    elif is_url(where):
        slug = hashlib.sha1(where.encode()).hexdigest()[:12]
        article = read_html(content, path=where, article_id=f"url-{slug}", config=walk.config)
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
    policy: FetchPolicy | None = None,
) -> Iterator[Article | Failure]:
    import feedparser

    parsed = feedparser.parse(content)
    if parsed.bozo and not parsed.entries:
        reason = getattr(parsed, "bozo_exception", "not a feed")
        yield Failure(where, f"broken feed: {reason}", "feed")
        return
    source = clean_field(parsed.feed.get("title")) or where
    walk = _Walk(config, follow_links, policy or FetchPolicy(), guard)
    for number, entry in enumerate(parsed.entries, start=1):
        try:
            yield _entry_article(entry, number, source, where, config, walk.fetch if follow_links else None)
        except InputError as err:
            yield Failure(err.path, err.reason, err.code)


def _entry_article(
    entry: dict[str, Any],
    number: int,
    source: str,
    where: str,
    config: Config,
    get: Callable[[str], Fetched] | None,
) -> Article:
    """One feed entry as an article, checked like any other; ``get`` fetches a teaser's link (None: keep it)."""
    link = clean_field(entry.get("link")) or ""
    key = entry.get("id") or link or f"{where}#{number}"
    article_id = "feed-" + hashlib.sha1(key.encode("utf-8", "surrogatepass")).hexdigest()[:16]
    html = ""
    for content in entry.get("content") or []:
        html = max(html, content.get("value", ""), key=len)
    html = html or entry.get("summary", "")
    text = _html_text(html)
    title = clean_field(entry.get("title"))
    if get is not None and len(text) < TEASER_CHARS and is_url(link):
        try:
            page = get(link)
            full = read_html(page.content, path=link, article_id=article_id, config=config)
            text, title = full.text, title or full.title
        except InputError:
            pass  # keep the teaser: better a short article than none
    if not text.strip():
        raise NoArticleText(f"{where}#{number}", "feed entry has no text and its link gave none")
    published = entry.get("published") or entry.get("updated")
    if title and not text.startswith(title):
        text = f"{title}\n\n{text}"
    check_size(text, f"{where}#{number}", config)
    return Article(id=article_id, text=text, title=title, source=source, published=parse_published(published),
                   url=link or None, author=clean_field(entry.get("author")), path=where)  # fmt: skip


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
