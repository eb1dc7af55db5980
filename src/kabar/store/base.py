"""The storage interface: articles, their vectors and entities, events, full-text search, named migrations.

One implementation serves SQLite and PostgreSQL through a small dialect (placeholders, types, full-text search);
``open_store(url)`` picks it from the URL. Writes happen in transactions: an article, its vector, entities and
search entry are written together or not at all.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol

import numpy as np

from kabar.records import Article, ClusteredArticle, EventRow, FeedState, StoredArticle

__all__ = [
    "MIGRATIONS",
    "EventRow",
    "Migration",
    "Store",
    "StoredArticle",
    "article_from_row",
    "now",
    "unstorable",
    "vector_bytes",
    "vector_from",
]


@dataclass(frozen=True, slots=True)
class Migration:
    name: str
    sqlite: str
    postgres: str


class Cursor(Protocol):
    def execute(self, sql: str, params: Sequence[Any] = ...) -> Any: ...
    def fetchall(self) -> list[Any]: ...
    def fetchone(self) -> Any: ...


_FEEDS = """
CREATE TABLE feeds (url TEXT PRIMARY KEY, etag TEXT, last_modified TEXT, last_checked TEXT, next_check TEXT,
    failures INTEGER NOT NULL DEFAULT 0, last_status TEXT, last_error TEXT, articles INTEGER NOT NULL DEFAULT 0)
"""

MIGRATIONS: tuple[Migration, ...] = (
    Migration(
        "001_articles_events",
        sqlite="""
        CREATE TABLE articles (
            id TEXT PRIMARY KEY, source TEXT, title TEXT, url TEXT, published TEXT, language TEXT, author TEXT,
            text TEXT NOT NULL, origin TEXT, content_hash TEXT NOT NULL, simhash INTEGER NOT NULL,
            duplicate_of TEXT, event_id TEXT, ingested_at TEXT NOT NULL);
        CREATE INDEX articles_hash ON articles(content_hash);
        CREATE INDEX articles_event ON articles(event_id);
        CREATE INDEX articles_url ON articles(url);
        CREATE TABLE article_vectors (article_id TEXT PRIMARY KEY REFERENCES articles(id), vector BLOB NOT NULL);
        CREATE TABLE article_entities (article_id TEXT NOT NULL REFERENCES articles(id), name TEXT NOT NULL,
            type TEXT NOT NULL, mentions INTEGER NOT NULL, PRIMARY KEY (article_id, name));
        CREATE TABLE events (id TEXT PRIMARY KEY, title TEXT NOT NULL, first_published TEXT, last_published TEXT,
            articles INTEGER NOT NULL, sources INTEGER NOT NULL, updated_at TEXT NOT NULL);
        CREATE VIRTUAL TABLE articles_fts USING fts5(article_id UNINDEXED, title, text);
        """,
        postgres="""
        CREATE TABLE articles (
            id TEXT PRIMARY KEY, source TEXT, title TEXT, url TEXT, published TEXT, language TEXT, author TEXT,
            text TEXT NOT NULL, origin TEXT, content_hash TEXT NOT NULL, simhash BIGINT NOT NULL,
            duplicate_of TEXT, event_id TEXT, ingested_at TEXT NOT NULL,
            search tsvector GENERATED ALWAYS AS (to_tsvector('simple', coalesce(title, '') || ' ' || text)) STORED);
        CREATE INDEX articles_hash ON articles(content_hash);
        CREATE INDEX articles_event ON articles(event_id);
        CREATE INDEX articles_url ON articles(url);
        CREATE INDEX articles_search ON articles USING GIN (search);
        CREATE TABLE article_vectors (article_id TEXT PRIMARY KEY REFERENCES articles(id), vector BYTEA NOT NULL);
        CREATE TABLE article_entities (article_id TEXT NOT NULL REFERENCES articles(id), name TEXT NOT NULL,
            type TEXT NOT NULL, mentions INTEGER NOT NULL, PRIMARY KEY (article_id, name));
        CREATE TABLE events (id TEXT PRIMARY KEY, title TEXT NOT NULL, first_published TEXT, last_published TEXT,
            articles INTEGER NOT NULL, sources INTEGER NOT NULL, updated_at TEXT NOT NULL);
        """,
    ),
    Migration(
        "002_event_conflicts",
        sqlite="ALTER TABLE events ADD COLUMN conflicts INTEGER",
        postgres="ALTER TABLE events ADD COLUMN conflicts INTEGER",
    ),
    Migration(
        "003_versions",
        sqlite="ALTER TABLE articles ADD COLUMN made_by TEXT; ALTER TABLE events ADD COLUMN compared_with TEXT",
        postgres="ALTER TABLE articles ADD COLUMN made_by TEXT; ALTER TABLE events ADD COLUMN compared_with TEXT",
    ),
    Migration(
        "004_feeds",
        sqlite=_FEEDS,
        postgres=_FEEDS,
    ),
)


def now() -> str:
    """The time a row is written, in UTC, to the second."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def vector_bytes(vector: np.ndarray) -> bytes:
    return np.asarray(vector, dtype=np.float16).tobytes()


def vector_from(blob: bytes | memoryview) -> np.ndarray:
    return np.frombuffer(bytes(blob), dtype=np.float16).astype(np.float32)


def article_from_row(row: Sequence[Any]) -> Article:
    keys = ("id", "source", "title", "url", "published", "language", "author", "text", "path")
    return Article(**dict(zip(keys, row, strict=True)))


_STORED_FIELDS = ("id", "source", "title", "url", "published", "language", "author", "text", "path")


def unstorable(article: Article) -> str | None:
    """Why an article's text fields cannot be stored (a lone surrogate is not UTF-8; PostgreSQL refuses NUL), or
    None. The readers clean what they read; this guards articles built elsewhere."""
    for name in _STORED_FIELDS:
        value = getattr(article, name)
        if not isinstance(value, str):
            continue
        if "\x00" in value:
            return f"field {name!r} holds a NUL character, which the database cannot store"
        try:
            value.encode("utf-8")
        except UnicodeEncodeError as err:
            return f"field {name!r} holds a character that is not valid Unicode text at position {err.start}"
    return None


def dumps(obj: object) -> str:
    return json.dumps(obj, ensure_ascii=False)


class Store(Protocol):
    """What ``Corpus``, the shells and the batch loader need of a store; ``SQLStore`` implements it for SQLite
    and PostgreSQL. Writes are buffered until ``commit``; ``rollback`` drops them."""

    url: str
    dialect: str
    """"sqlite" or "postgres"."""

    # -- transactions
    def migrations(self) -> list[str]: ...
    def commit(self) -> None: ...
    def rollback(self) -> None: ...
    def close(self) -> None: ...

    # -- writes
    def add_article(
        self,
        stored: StoredArticle,
        vector: np.ndarray,
        entities: Sequence[tuple[str, str, int]],
    ) -> None: ...
    def add_duplicate(self, stored: StoredArticle) -> None: ...
    def upsert_event(self, event: EventRow) -> None: ...
    def set_event_conflicts(self, event_id: str, conflicts: int, versions: Sequence[str] = ()) -> None: ...

    # -- reads
    def has_hash(self, content_hash: str) -> str | None: ...
    def has_article(self, article_id: str) -> bool: ...
    def article(self, article_id: str) -> StoredArticle | None: ...
    def articles_of_event(self, event_id: str) -> list[StoredArticle]: ...
    def events(self, limit: int, offset: int, order: str) -> list[EventRow]: ...
    def event(self, event_id: str) -> EventRow | None: ...
    def event_entities(self, event_id: str, limit: int) -> list[tuple[str, str, int]]: ...
    def entities_of(self, article_id: str) -> list[tuple[str, str, int]]: ...
    def search(self, query: str, limit: int) -> list[tuple[str, str | None, str | None]]: ...
    def iter_vectors(self) -> Iterator[tuple[str, str | None, str | None, int, np.ndarray]]: ...
    def iter_clustered(self) -> Iterator[ClusteredArticle]: ...
    def counts(self) -> dict[str, int]: ...
    def query(self, sql: str, params: Sequence[Any] = ...) -> list[Any]: ...
    def feed_states(self) -> dict[str, FeedState]: ...
    def put_feed_state(self, state: FeedState) -> None: ...
