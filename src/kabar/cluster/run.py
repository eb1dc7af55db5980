"""Cluster a set of articles in one go with the online engine (``kabar cluster``)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence

from kabar.cluster.engine import EventEngine, represent
from kabar.embed import Embedder, default_embedder
from kabar.records import Article

BATCH = 64


def cluster_articles(
    articles: Iterable[Article],
    engine: EventEngine | None = None,
    embedder: Embedder | None = None,
    on_batch: Callable[[int], None] | None = None,
) -> Iterator[tuple[str, str]]:
    """(article id, event id) for each article, in input order. Articles are embedded in batches and
    assigned one by one, in order, as an incoming stream would be."""
    engine = engine or EventEngine()
    encoder = embedder or default_embedder()
    batch: list[Article] = []
    for article in articles:
        batch.append(article)
        if len(batch) >= BATCH:
            yield from _assign(batch, engine, encoder)
            if on_batch:
                on_batch(len(batch))
            batch = []
    if batch:
        yield from _assign(batch, engine, encoder)
        if on_batch:
            on_batch(len(batch))


def _assign(batch: Sequence[Article], engine: EventEngine, encoder: Embedder) -> Iterator[tuple[str, str]]:
    reps = [represent(a) for a in batch]
    vectors = encoder.encode([r.text for r in reps])
    for article, rep, vector in zip(batch, reps, vectors, strict=True):
        event, _ = engine.assign(vector, [k for k, _, _ in rep.entities], article.published, article.source,
                                 article.title or rep.text[:120])  # fmt: skip
        yield article.id, event
