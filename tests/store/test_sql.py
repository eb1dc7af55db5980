"""One suite for both databases."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from pathlib import Path

import numpy as np
import psycopg
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kabar.errors import QueryError
from kabar.records import Article
from kabar.store import SQLStore, open_store, resolve_url
from kabar.store.base import EventRow, StoredArticle


def _stored(article_id: str, text: str = "Harga beras naik di Pasar Induk Cipinang.", event: str | None = "ev1",
            **meta: str | None) -> StoredArticle:  # fmt: skip
    return StoredArticle(Article(id=article_id, text=text, **meta), f"h-{article_id}", (1 << 63) + 5, event, None,
                         "2024-01-01T00:00:00+00:00")  # fmt: skip


def test_sql_migrations_recorded_once(store_url: str) -> None:
    first = open_store(store_url)
    assert first.migrations() == ["001_articles_events", "002_event_conflicts", "003_versions", "004_feeds"]
    first.close()
    again = open_store(store_url)
    assert again.migrations() == ["001_articles_events", "002_event_conflicts", "003_versions", "004_feeds"]
    again.close()


def test_sql_article_round_trip(store: SQLStore) -> None:
    stored = _stored("a1", title="Harga Beras", source="Harian Contoh", url="https://example.org/a1",
                     published="2024-01-02", language="id", author="Budi")  # fmt: skip
    vector = np.linspace(-1, 1, 512).astype(np.float32)
    store.add_article(stored, vector, [("jakarta", "LOC", 2)])
    store.commit()
    back = store.article("a1")
    assert back is not None and back.article == stored.article and back.simhash == stored.simhash
    (row,) = list(store.iter_vectors())
    assert row[0] == "a1" and np.allclose(row[4], vector, atol=1e-3)
    assert store.entities_of("a1") == [("jakarta", "LOC", 2)]
    assert store.has_hash("h-a1") == "a1" and store.has_hash("nope") is None


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    text=st.text(min_size=1, max_size=300).filter(lambda t: "\x00" not in t),
    title=st.one_of(st.none(), st.text(max_size=80).filter(lambda t: "\x00" not in t)),
)
def test_sql_any_text_round_trips(store: SQLStore, text: str, title: str | None) -> None:
    article_id = f"h{abs(hash((text, title)))}"
    if store.has_article(article_id):
        return
    store.add_duplicate(_stored(article_id, text=text, title=title))
    store.commit()
    back = store.article(article_id)
    assert back is not None and back.article.text == text and back.article.title == title


def test_sql_search(store: SQLStore) -> None:
    store.add_article(_stored("a1", text="Banjir melanda Jakarta Timur pada Selasa."), np.ones(512), [])
    store.add_article(_stored("a2", text="Gempa mengguncang Cianjur, Jawa Barat."), np.ones(512), [])
    store.commit()
    assert [hit[0] for hit in store.search("gempa Cianjur")] == ["a2"]
    assert [hit[0] for hit in store.search("banjir")] == ["a1"]
    assert store.search('""; DROP TABLE articles; --') == []
    with pytest.raises(QueryError, match="unclosed quote"):
        store.search('"; DROP TABLE articles; --')
    assert store.counts()["articles"] == 2


def test_sql_events_order_and_pages(store: SQLStore) -> None:
    for k, (articles, sources, last) in enumerate(
        [(3, 1, "2024-01-03"), (5, 4, "2024-01-01"), (1, 1, "2024-01-05")]
    ):
        store.upsert_event(EventRow(f"ev{k}", f"Event {k}", "2024-01-01", last, articles, sources, "t"))
    store.commit()
    assert [e.id for e in store.events(10, 0, "newest")] == ["ev2", "ev0", "ev1"]
    assert next(e.id for e in store.events(10, 0, "sources")) == "ev1"
    assert [e.id for e in store.events(1, 1, "newest")] == ["ev0"]
    store.upsert_event(EventRow("ev0", "Renamed", "2024-01-01", "2024-01-09", 4, 2, "t2"))
    store.commit()
    event = store.event("ev0")
    assert event is not None and event.title == "Renamed" and event.articles == 4
    store.set_event_conflicts("ev2", 3, ("align.v1", "compare.v2"))
    assert next(e.id for e in store.events(10, 0, "conflicts")) == "ev2"
    store.upsert_event(EventRow("ev2", "Event 2", "2024-01-01", "2024-01-05", 1, 1, "t3"))
    store.commit()
    kept = store.event("ev2")
    assert kept is not None and kept.conflicts == 3  # same articles: the count stands
    assert kept.compared_with == ("align.v1", "compare.v2")
    store.upsert_event(EventRow("ev2", "Event 2", "2024-01-01", "2024-01-06", 2, 1, "t4"))
    store.commit()
    stale = store.event("ev2")
    assert stale is not None and stale.conflicts is None and stale.compared_with == ()  # compare again


def test_sql_article_keeps_the_versions_that_placed_it(store: SQLStore) -> None:
    stored = _stored("a1")
    store.add_article(replace(stored, made_by=("dedup.simhash64.v1", "cluster.online.v1")), np.ones(512), [])
    store.add_duplicate(replace(_stored("a2"), duplicate_of="a1"))
    store.commit()
    first, second = store.article("a1"), store.article("a2")
    assert first is not None and first.made_by == ("dedup.simhash64.v1", "cluster.online.v1")
    assert second is not None and second.made_by == () and second.duplicate_of == "a1"


def test_sql_rollback_leaves_nothing(store: SQLStore) -> None:
    store.add_article(_stored("a1"), np.ones(512), [])
    with pytest.raises((sqlite3.IntegrityError, psycopg.errors.UniqueViolation)):
        store.add_article(_stored("a1"), np.ones(512), [])  # same id: the batch fails
    store.rollback()
    assert store.article("a1") is None and list(store.iter_vectors()) == []


def test_sql_feed_state_round_trips(store: SQLStore) -> None:
    from kabar.records import FeedState

    state = FeedState("https://example.org/rss", etag='"v1"', last_modified="Mon, 05 Jan 2026 08:00:00 GMT",
                      last_checked="2026-01-05T08:00:00+00:00", next_check="2026-01-05T08:15:00+00:00",
                      failures=0, last_status="new", articles=3)  # fmt: skip
    store.put_feed_state(state)
    store.put_feed_state(
        FeedState("https://example.org/down", failures=2, last_status="failed", last_error="503")
    )
    assert store.feed_states()[state.url] == state
    store.put_feed_state(FeedState(state.url, etag='"v2"', articles=4))
    assert store.feed_states()[state.url].etag == '"v2"' and len(store.feed_states()) == 2


@pytest.mark.parametrize("field", ["text", "title", "source"])
def test_sql_nul_is_refused_as_the_article_s_input_error(store: SQLStore, field: str) -> None:
    from kabar.errors import InputError

    meta = {"text": "Harga beras naik\x00 di Pasar Induk."} if field == "text" else {field: "Kompas\x00"}
    text = meta.pop("text", "Harga beras naik di Pasar Induk Cipinang.")
    with pytest.raises(InputError, match=f"field '{field}' holds a NUL"):
        store.add_duplicate(_stored("n1", text=text, path="berkas.jsonl:3", **meta))
    store.rollback()
    assert store.article("n1") is None


def test_sql_postgres_reads_do_not_stay_in_transaction(pg_server: str) -> None:
    from tests.store.conftest import _new_database

    url = _new_database(pg_server)
    reader = open_store(url)
    try:
        reader.events(5, 0, "newest")
        reader.search("beras", 5)
        reader.counts()
        reader.article("nope")
        with psycopg.connect(url, autocommit=True) as watcher:
            (state,) = watcher.execute(
                "SELECT state FROM pg_stat_activity WHERE pid = %s", (reader.conn.info.backend_pid,)
            ).fetchone()  # type: ignore[misc]
            assert state == "idle"
            # a migration-like lock is not kept waiting by the idle reader
            watcher.execute("SET lock_timeout = '2s'")
            watcher.execute("ALTER TABLE events ADD COLUMN extra TEXT")
    finally:
        reader.close()


def test_sql_sqlite_synchronous_is_chosen_in_the_url(tmp_path: Path) -> None:
    from kabar.errors import UsageError

    default = open_store(str(tmp_path / "a.sqlite"))
    full = open_store(f"sqlite:///{tmp_path / 'b.sqlite'}?synchronous=full")
    try:
        assert default.conn.execute("PRAGMA synchronous").fetchone()[0] == 1  # NORMAL
        assert full.conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
        assert (tmp_path / "b.sqlite").exists() and not (tmp_path / "b.sqlite?synchronous=full").exists()
    finally:
        default.close()
        full.close()
    with pytest.raises(UsageError, match="synchronous=normal\\|full"):
        open_store(f"sqlite:///{tmp_path / 'c.sqlite'}?synchronous=off")


def test_sql_resolve_url_prefers_the_given_url_then_kabar_db(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("KABAR_DB", raising=False)
    assert resolve_url(None) == "kabar.sqlite"
    monkeypatch.setenv("KABAR_DB", "postgresql://kabar@localhost/news")
    assert resolve_url(None) == "postgresql://kabar@localhost/news"
    assert resolve_url("other.sqlite") == "other.sqlite"
