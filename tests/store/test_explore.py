"""Read models on SQLite and PostgreSQL: snippets, alias-aware search, filters, outlets, coverage, entities."""

from __future__ import annotations

import pytest

from kabar.corpus import Corpus
from kabar.embed import Embedder
from kabar.errors import QueryError
from kabar.ingest.feeds import read_sources
from kabar.store import SQLStore, explore
from kabar.store.base import EventRow
from tests.conftest import DATA

OUTLETS = DATA / "outlets"


@pytest.fixture()
def corpus_store(store: SQLStore) -> SQLStore:
    Corpus(store, Embedder(disk_cache=False)).ingest(read_sources([str(OUTLETS)]))
    return store


def _marked(hit: explore.SearchHit) -> list[str]:
    return [text for text, matched in hit.snippet if matched]


def test_explore_outlets_from_names_sources_and_pages(corpus_store: SQLStore) -> None:
    outlets = {o["name"]: o["articles"] for o in explore.outlets(corpus_store)}
    assert outlets == {"Kompas": 2, "Detik": 1, "Tempo": 1, "Antara": 2}
    mrt = next(e for e in corpus_store.events(10, 0, "articles") if "MRT" in e.title or "Moda" in e.title)
    assert mrt.sources == 3


def test_explore_search_is_alias_aware_with_highlighted_snippets(corpus_store: SQLStore) -> None:
    result = explore.search(corpus_store, "Jokowi")
    by_id = {h.article: h for h in result.hits}
    assert result.total == 6 and set(by_id) == {"kompas", "kompas-2", "detik", "tempo", "antara-ibu-kota-1",
                                                 "antara-ibu-kota-2"}  # fmt: skip
    assert "Joko Widodo" in _marked(by_id["detik"])  # Detik never writes "Jokowi"
    assert "Jokowi" in _marked(by_id["kompas"])
    assert by_id["detik"].outlet == "Detik" and by_id["detik"].event_title
    plain = "".join(text for text, _ in by_id["tempo"].snippet)
    assert "\x02" not in plain and "\x03" not in plain and "Jokowi" in plain


def test_explore_search_filters(corpus_store: SQLStore) -> None:
    since = explore.search(corpus_store, "Jokowi", explore.Filters(since="2019-08-01"))
    assert {h.article for h in since.hits} == {"antara-ibu-kota-1", "antara-ibu-kota-2"}
    day = explore.search(corpus_store, "Jokowi", explore.Filters(since="2019-08-26", until="2019-08-26"))
    assert [h.article for h in day.hits] == ["antara-ibu-kota-1"]
    kompas = explore.search(corpus_store, "Jokowi", explore.Filters(outlet="Kompas"))
    assert {h.article for h in kompas.hits} == {"kompas", "kompas-2"}
    bambang = explore.search(corpus_store, "ibu kota", explore.Filters(entity="brodjonegoro"))
    assert {h.article for h in bambang.hits} == {"antara-ibu-kota-2"}  # Kompas names him after its lead
    with pytest.raises(QueryError, match="YYYY-MM-DD"):
        explore.search(corpus_store, "Jokowi", explore.Filters(since="26/8/2019"))


def test_explore_search_refuses_what_it_cannot_read(corpus_store: SQLStore) -> None:
    with pytest.raises(QueryError, match="unclosed quote"):
        corpus_store.search('Setya AND "KPK', 10)
    assert corpus_store.search("Setya AND KPK", 10) == []


def test_explore_coverage_names_usual_outlets_that_did_not_cover(corpus_store: SQLStore) -> None:
    mrt = next(e for e in corpus_store.events(10, 0, "sources") if e.sources == 3)  # Detik, Kompas, Tempo
    coverage = explore.coverage(corpus_store, mrt.id)
    assert {c["outlet"] for c in coverage["covered"]} == {"Kompas", "Detik", "Tempo"}
    assert [m["outlet"] for m in coverage["missing"]] == ["Antara"]  # two articles on Jokowi elsewhere
    assert "joko widodo" in coverage["entities"]
    assert explore.per_day(corpus_store, event_id=mrt.id) == [{"day": "2019-03-24", "articles": 1}]
    assert explore.undated(corpus_store, mrt.id) == 2


def test_explore_entities_events_and_company(corpus_store: SQLStore) -> None:
    top = explore.entities(corpus_store, 5)[0]
    assert (top.key, top.articles, top.events) == ("joko widodo", 6, top.events)
    assert len(explore.entity_events(corpus_store, "joko widodo")) == top.events >= 2
    together = {o["key"] for o in explore.cooccurring(corpus_store, "joko widodo")}
    assert {"jakarta", "brodjonegoro"} <= together
    assert {o["outlet"] for o in explore.entity_outlets(corpus_store, "joko widodo")} == {"Kompas", "Detik", "Tempo",
                                                                                          "Antara"}  # fmt: skip
    kompas_events = explore.outlet_events(corpus_store, "Kompas")
    assert len(kompas_events) == 2 and all(e["by_outlet"] == 1 for e in kompas_events)


def test_explore_newest_puts_undated_events_last(store: SQLStore) -> None:
    rows = [EventRow("ev-undated", "Tanpa tanggal", None, None, 1, 1, "2030-01-01T00:00:00+00:00"),
            EventRow("ev-old", "Lama", "2019-01-01", "2019-01-02", 1, 1, "2020-01-01T00:00:00+00:00"),
            EventRow("ev-new", "Baru", "2023-05-01", "2023-05-03", 1, 1, "2020-01-01T00:00:00+00:00")]  # fmt: skip
    for row in rows:
        store.upsert_event(row)
    store.commit()
    assert [e.id for e in store.events(10, 0, "newest")] == ["ev-new", "ev-old", "ev-undated"]


def test_explore_coverage_ignores_names_found_everywhere(store: SQLStore) -> None:
    import numpy as np

    from kabar.records import Article, StoredArticle

    def add(article_id: str, outlet: str, event: str, names: list[str]) -> None:
        article = Article(id=article_id, text=f"Berita {article_id}.", source=outlet)
        stored = StoredArticle(article, f"h-{article_id}", 5, event, None, "2024-01-01T00:00:00+00:00")
        store.add_article(stored, np.ones(512), [(n, "ORG", 1) for n in names])

    add("a1", "Kompas", "ev-kpk", ["kpk", "jakarta"])
    add("a2", "Kompas", "ev-kpk", ["kpk", "jakarta"])
    add("b1", "Tempo", "ev-other", ["kpk", "jakarta"])
    add("b2", "Tempo", "ev-other2", ["kpk"])
    for k in range(explore.COMMON_MIN_CORPUS):
        add(f"c{k}", "Detik", f"ev-city-{k}", ["jakarta"])  # Detik names Jakarta everywhere, KPK never
    store.commit()
    coverage = explore.coverage(store, "ev-kpk")
    assert "jakarta" not in coverage["entities"] and "kpk" in coverage["entities"]
    assert [m["outlet"] for m in coverage["missing"]] == ["Tempo"]
