"""The corpus on both databases: an article the store refuses fails alone and leaves no state behind."""

from __future__ import annotations

import pytest

from kabar.corpus import Corpus
from kabar.embed import Embedder
from kabar.records import Article
from kabar.store import open_store
from tests.conftest import SEED_A, SEED_B


@pytest.fixture(scope="module")
def embedder() -> Embedder:
    return Embedder(disk_cache=False)


def test_corpus_refused_article_leaves_no_state(store_url: str, embedder: Embedder) -> None:
    """A batch the store refuses part of: the others are stored, the refused one is reported, and nothing of the
    failed attempt stays in memory (no later article becomes a duplicate of one never stored)."""
    store = open_store(store_url)
    try:
        corpus = Corpus(store, embedder)
        seed_a, seed_b = (
            Article(id=p.stem, text=p.read_text(encoding="utf-8"), path=str(p)) for p in (SEED_A, SEED_B)
        )
        nul = Article(
            id="nul", text="Harga beras naik di Pasar Induk Cipinang pekan ini.", source="Kompas\x00"
        )
        # Many distinct words: fine for SQLite, over PostgreSQL's 1 MB search-vector limit.
        big = Article(id="big", text=" ".join(f"k{n:07d}x" for n in range(150_000)), path="big.jsonl:1")
        report = corpus.ingest([seed_a, nul, big, seed_b])
        refused = {f.path for f in report.failures}
        assert "nul" in refused and report.added == (3 if store.dialect == "sqlite" else 2)
        assert ("big.jsonl:1" in refused) == (store.dialect == "postgres")
        assert {store.article(a.id).duplicate_of for a in (seed_a, seed_b)} == {None}  # type: ignore[union-attr]
        # Sent again, the refused article is refused again, never stored as a duplicate of itself.
        again = corpus.ingest([seed_a, big])
        assert again.already == 1 + (store.dialect == "sqlite") and again.duplicates == 0
        assert store.counts()["articles"] == report.added
    finally:
        store.close()
