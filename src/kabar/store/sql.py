"""The SQL store for SQLite (one file, WAL, FTS5) and PostgreSQL (psycopg 3, tsvector search).

SQLite runs in WAL mode with ``synchronous=NORMAL``: a killed process loses nothing committed, but a power loss or
an operating-system crash may lose the last transactions committed before it (the file stays consistent). A URL
ending in ``?synchronous=full`` (``sqlite:///kabar.sqlite?synchronous=full``) syncs every commit to disk, which
survives power loss too, at the price of slower commits.

On PostgreSQL a read that is not part of a write ends its transaction at once, so a long-lived reader (the API)
never sits "idle in transaction" holding locks a migration or a vacuum waits for.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from kabar.errors import InputError, UsageError
from kabar.records import Article, ClusteredArticle, EventRow, FeedState, StoredArticle
from kabar.store.base import MIGRATIONS, article_from_row, now, unstorable, vector_bytes, vector_from

_ARTICLE_COLUMNS = "id, source, title, url, published, language, author, text, origin"
_STORED_COLUMNS = f"{_ARTICLE_COLUMNS}, content_hash, simhash, event_id, duplicate_of, ingested_at, made_by"
_EVENT_COLUMNS = (
    "id, title, first_published, last_published, articles, sources, updated_at, conflicts, compared_with"
)
_FEED_COLUMNS = (
    "url, etag, last_modified, last_checked, next_check, failures, last_status, last_error, articles"
)
_SYNCHRONOUS = {"normal": "NORMAL", "full": "FULL"}


class SQLStore:
    """Articles, vectors, entities and events in SQLite or PostgreSQL."""

    def __init__(self, url: str, shared: bool = False) -> None:
        """Open (and migrate) the store. ``shared``: one SQLite connection used from several threads, which the
        caller serialises (the API's write lock)."""
        self.url = url
        self._writing = False
        if url.startswith(("postgresql://", "postgres://")):
            self.dialect = "postgres"
            try:
                import psycopg
            except ImportError as err:  # pragma: no cover - psycopg is a dependency
                raise UsageError("PostgreSQL needs psycopg: pip install 'psycopg[binary]'") from err
            try:
                self.conn: Any = psycopg.connect(url, autocommit=False)
            except psycopg.Error as err:
                raise UsageError(f"cannot connect to {redact(url)}: {str(err).strip()}") from err
        else:
            self.dialect = "sqlite"
            path, synchronous = _sqlite_target(url)
            if path != ":memory:":
                Path(path).expanduser().parent.mkdir(parents=True, exist_ok=True)
            try:
                self.conn = sqlite3.connect(
                    path, timeout=30, isolation_level="DEFERRED", check_same_thread=not shared
                )
                self.conn.execute("PRAGMA journal_mode=WAL")
                self.conn.execute(f"PRAGMA synchronous={synchronous}")
                self.conn.execute("PRAGMA foreign_keys=ON")
            except sqlite3.Error as err:
                raise UsageError(f"cannot open the database {path}: {err}") from err
        self._migrate()

    # -- plumbing ------------------------------------------------------------------------------------------

    def _sql(self, sql: str) -> str:
        return sql.replace("?", "%s") if self.dialect == "postgres" else sql

    def _execute(self, sql: str, params: Sequence[Any] = ()) -> Any:
        """Run a write; it stays in the open transaction until ``commit`` or ``rollback``."""
        self._writing = True
        return self.conn.execute(self._sql(sql), tuple(params))

    def _query(self, sql: str, params: Sequence[Any] = ()) -> list[Any]:
        """Run a read and fetch its rows; outside a write, end the read's transaction on PostgreSQL."""
        rows = list(self.conn.execute(self._sql(sql), tuple(params)).fetchall())
        if self.dialect == "postgres" and not self._writing:
            self.conn.rollback()
        return rows

    def _one(self, sql: str, params: Sequence[Any] = ()) -> Any:
        rows = self._query(sql, params)
        return rows[0] if rows else None

    def _migrate(self) -> None:
        self._execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)"
        )
        self.conn.commit()
        self._writing = False
        done = {row[0] for row in self._query("SELECT name FROM schema_migrations")}
        for migration in MIGRATIONS:
            if migration.name in done:
                continue
            script = migration.postgres if self.dialect == "postgres" else migration.sqlite
            try:
                for statement in (s.strip() for s in script.split(";")):
                    if statement:
                        self.conn.execute(statement)
                self._execute("INSERT INTO schema_migrations VALUES (?, ?)", (migration.name, now()))
                self.commit()
            except Exception:
                self.rollback()
                raise

    def migrations(self) -> list[str]:
        return [row[0] for row in self._query("SELECT name FROM schema_migrations ORDER BY name")]

    def commit(self) -> None:
        self.conn.commit()
        self._writing = False

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[Any]:
        """Rows of a read query written with ``?`` placeholders (for read models such as store.explore)."""
        return self._query(sql, params)

    def rollback(self) -> None:
        self.conn.rollback()
        self._writing = False

    def close(self) -> None:
        try:
            self.conn.commit()
        finally:
            self.conn.close()

    # -- writes --------------------------------------------------------------------------------------------

    def add_duplicate(self, stored: StoredArticle) -> None:
        """Write an article that repeats another (``duplicate_of`` set): kept and searchable, not clustered."""
        self._insert_article(stored)

    def add_article(
        self, stored: StoredArticle, vector: np.ndarray, entities: Sequence[tuple[str, str, int]]
    ) -> None:
        """Write an article with its vector, entities and search entry (committed by ``commit``)."""
        self._insert_article(stored)
        a = stored.article
        self._execute("INSERT INTO article_vectors VALUES (?, ?)", (a.id, vector_bytes(vector)))
        for name, type_, mentions in entities:
            self._execute(
                "INSERT INTO article_entities VALUES (?, ?, ?, ?) ON CONFLICT (article_id, name) DO NOTHING",
                (a.id, name, type_, mentions),
            )

    def _insert_article(self, stored: StoredArticle) -> None:
        a = stored.article
        problem = unstorable(a)
        if problem is not None:
            raise InputError(a.path or a.id, problem)
        try:
            self._execute(
                f"INSERT INTO articles ({_STORED_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (a.id, a.source, a.title, a.url, a.published, a.language, a.author, a.text, a.path,
                 stored.content_hash, _signed(stored.simhash), stored.event, stored.duplicate_of,
                 stored.ingested_at, _names(stored.made_by)),
            )  # fmt: skip
        except Exception as err:
            # PostgreSQL refuses some articles' data: SQLSTATE class 22 (data exception) or 54 (a limit, such as
            # a search vector over 1 MB for a long text of many distinct words). That article fails, not the run.
            if str(getattr(err, "sqlstate", "") or "")[:2] in {"22", "54"}:
                reason = str(err).strip().splitlines()[0]
                raise InputError(a.path or a.id, f"the database refused this article: {reason}") from err
            raise
        if self.dialect == "sqlite":
            self._execute("INSERT INTO articles_fts VALUES (?, ?, ?)", (a.id, a.title or "", a.text))

    def upsert_event(self, event: EventRow) -> None:
        """Insert or update an event; a changed article count forgets the stale conflict count."""
        self._execute(
            "INSERT INTO events (id, title, first_published, last_published, articles, sources, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET title = excluded.title, "
            "first_published = excluded.first_published, last_published = excluded.last_published, "
            "conflicts = CASE WHEN events.articles = excluded.articles THEN events.conflicts ELSE NULL END, "
            "compared_with = CASE WHEN events.articles = excluded.articles THEN events.compared_with ELSE NULL END, "
            "articles = excluded.articles, sources = excluded.sources, updated_at = excluded.updated_at",
            (event.id, event.title, event.first_published, event.last_published, event.articles, event.sources,
             event.updated_at),
        )  # fmt: skip

    def put_feed_state(self, state: FeedState) -> None:
        """Remember a feed's poll (committed at once: a restart resumes from it)."""
        self._execute(
            f"INSERT INTO feeds ({_FEED_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (url) DO UPDATE SET "
            "etag = excluded.etag, last_modified = excluded.last_modified, last_checked = excluded.last_checked, "
            "next_check = excluded.next_check, failures = excluded.failures, last_status = excluded.last_status, "
            "last_error = excluded.last_error, articles = excluded.articles",
            (state.url, state.etag, state.last_modified, state.last_checked, state.next_check, state.failures,
             state.last_status, state.last_error, state.articles),
        )  # fmt: skip
        self.commit()

    def feed_states(self) -> dict[str, FeedState]:
        rows = self._query(f"SELECT {_FEED_COLUMNS} FROM feeds")
        return {r[0]: FeedState(*r) for r in rows}

    def set_event_conflicts(self, event_id: str, conflicts: int, versions: Sequence[str] = ()) -> None:
        """Record how many conflicting facts comparing the event found (for ordering by conflicts), and the
        versions of the stages that compared it."""
        self._execute(
            "UPDATE events SET conflicts = ?, compared_with = ? WHERE id = ?",
            (conflicts, _names(versions), event_id),
        )
        self.commit()

    # -- reads ---------------------------------------------------------------------------------------------

    def has_hash(self, content_hash: str) -> str | None:
        row = self._one("SELECT id FROM articles WHERE content_hash = ? LIMIT 1", (content_hash,))
        return None if row is None else str(row[0])

    def has_article(self, article_id: str) -> bool:
        return self._one("SELECT 1 FROM articles WHERE id = ?", (article_id,)) is not None

    def _stored(self, row: Sequence[Any]) -> StoredArticle:
        article: Article = article_from_row(row[:9])
        return StoredArticle(
            article, row[9], _unsigned(int(row[10])), row[11], row[12], row[13], _versions(row[14])
        )

    def article(self, article_id: str) -> StoredArticle | None:
        row = self._one(f"SELECT {_STORED_COLUMNS} FROM articles WHERE id = ?", (article_id,))
        return None if row is None else self._stored(row)

    def articles_of_event(self, event_id: str) -> list[StoredArticle]:
        rows = self._query(
            f"SELECT {_STORED_COLUMNS} FROM articles WHERE event_id = ? ORDER BY published, id", (event_id,)
        )
        return [self._stored(r) for r in rows]

    def events(self, limit: int = 20, offset: int = 0, order: str = "newest") -> list[EventRow]:
        orders = {
            # Undated events go last: an event with no published date is not news of today.
            "newest": "CASE WHEN last_published IS NULL THEN 1 ELSE 0 END, last_published DESC, updated_at DESC, id",
            "sources": "sources DESC, articles DESC, id",
            "articles": "articles DESC, id",
            "conflicts": "coalesce(conflicts, -1) DESC, sources DESC, id",
        }
        if order not in orders:
            raise UsageError(f"unknown order {order!r}: use {', '.join(orders)}")
        rows = self._query(
            f"SELECT {_EVENT_COLUMNS} FROM events ORDER BY {orders[order]} LIMIT ? OFFSET ?", (limit, offset)
        )
        return [_event(r) for r in rows]

    def event(self, event_id: str) -> EventRow | None:
        row = self._one(f"SELECT {_EVENT_COLUMNS} FROM events WHERE id = ?", (event_id,))
        return None if row is None else _event(row)

    def event_entities(self, event_id: str, limit: int = 10) -> list[tuple[str, str, int]]:
        rows = self._query(
            "SELECT e.name, min(e.type), sum(e.mentions) AS n FROM article_entities e JOIN articles a "
            "ON a.id = e.article_id WHERE a.event_id = ? GROUP BY e.name ORDER BY n DESC, e.name LIMIT ?",
            (event_id, limit),
        )
        return [(r[0], r[1], int(r[2])) for r in rows]

    def search(self, query: str, limit: int = 20) -> list[tuple[str, str | None, str | None]]:
        """Articles matching ``query`` (syntax in kabar.store.query): (id, title, event id), best first.

        Raises:
            QueryError: the query cannot be read.
        """
        from kabar.store.explore import search

        return [(h.article, h.title, h.event) for h in search(self, query, limit=limit).hits]

    def iter_vectors(self) -> Iterator[tuple[str, str | None, str | None, int, np.ndarray]]:
        """(article id, event id, published, simhash, vector) of every article, in ingestion order."""
        rows = self._query(
            "SELECT a.id, a.event_id, a.published, a.simhash, v.vector FROM articles a "
            "JOIN article_vectors v ON v.article_id = a.id ORDER BY a.ingested_at, a.id"
        )
        for row in rows:
            yield row[0], row[1], row[2], _unsigned(int(row[3])), vector_from(row[4])

    def iter_clustered(self) -> Iterator[ClusteredArticle]:
        """What rebuilding the clustering state needs, in two queries: every clustered article (one with a
        vector), in ingestion order."""
        names: dict[str, list[str]] = {}
        for article_id, name in self._query(
            "SELECT article_id, name FROM article_entities ORDER BY article_id, name"
        ):
            names.setdefault(article_id, []).append(name)
        rows = self._query(
            "SELECT a.id, a.event_id, a.published, a.simhash, v.vector, a.source, a.url, a.title FROM articles a "
            "JOIN article_vectors v ON v.article_id = a.id ORDER BY a.ingested_at, a.id"
        )
        for row in rows:
            yield ClusteredArticle(row[0], row[1], row[2], _unsigned(int(row[3])), vector_from(row[4]), row[5],
                                   row[6], row[7], tuple(names.get(row[0], ())))  # fmt: skip

    def entities_of(self, article_id: str) -> list[tuple[str, str, int]]:
        rows = self._query(
            "SELECT name, type, mentions FROM article_entities WHERE article_id = ?", (article_id,)
        )
        return [(r[0], r[1], int(r[2])) for r in rows]

    def counts(self) -> dict[str, int]:
        return {
            table: int(self._one(f"SELECT count(*) FROM {table}")[0])
            for table in ("articles", "events", "article_entities")
        }


def _event(row: Sequence[Any]) -> EventRow:
    id_, title, first, last, articles, sources, updated_at, conflicts, compared_with = row
    return EventRow(
        id_, title, first, last, articles, sources, updated_at, conflicts, _versions(compared_with)
    )


def _names(versions: Sequence[str]) -> str | None:
    """Versioned stage names as stored: space-separated (a name has no space)."""
    return " ".join(versions) or None


def _versions(text: str | None) -> tuple[str, ...]:
    return tuple(text.split()) if text else ()


def _signed(value: int) -> int:
    """64-bit unsigned -> signed, for BIGINT / INTEGER columns."""
    return value - (1 << 64) if value >= 1 << 63 else value


def _unsigned(value: int) -> int:
    return value + (1 << 64) if value < 0 else value


def _sqlite_target(url: str) -> tuple[str, str]:
    """(file path, synchronous mode) of a SQLite URL or path; ``?synchronous=full|normal`` picks the mode."""
    path = url.removeprefix("sqlite:///").removeprefix("sqlite://")
    path, _, query = path.partition("?")
    mode = "normal"
    for part in filter(None, query.split("&")):
        key, _, value = part.partition("=")
        if key != "synchronous" or value.lower() not in _SYNCHRONOUS:
            raise UsageError(f"unknown SQLite option {part!r}: the one option is synchronous=normal|full")
        mode = value.lower()
    return path, _SYNCHRONOUS[mode]


def redact(url: str) -> str:
    """A database URL (or ``key=value`` connection string) fit to print: any password replaced by ``***``."""
    url = re.sub(r"//([^:/@]*):[^@]*@", r"//\1:***@", url)
    return re.sub(r"(?i)\b(password\s*=\s*)[^&\s]*", r"\1***", url)


DEFAULT_DB = "kabar.sqlite"
"""The database when none is given and ``KABAR_DB`` is not set."""


def resolve_url(url: str | None = None) -> str:
    """The database to open: ``url`` if given, else the ``KABAR_DB`` environment variable, else kabar.sqlite."""
    import os

    return url or os.environ.get("KABAR_DB") or DEFAULT_DB


def open_store(url: str | None = None) -> SQLStore:
    """Open (and migrate) the store at ``url`` (see :func:`resolve_url`): a PostgreSQL URL, ``sqlite:///path``
    or a file path."""
    return SQLStore(resolve_url(url))
