"""Cluster a set of articles in one go with the online engine (``kabar cluster``)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence

from kabar.cluster.blocking import Blocker, blocking_keys
from kabar.cluster.engine import EventEngine, parse_day, represent
from kabar.embed import Embedder, default_embedder
from kabar.errors import UsageError
from kabar.records import Article

BATCH = 64


def cluster_articles(
    articles: Iterable[Article],
    engine: EventEngine | None = None,
    embedder: Embedder | None = None,
    on_batch: Callable[[int], None] | None = None,
    blocking: str = "ann",
) -> Iterator[tuple[str, str]]:
    """(article id, event id) for each article, in input order. Articles are embedded in batches and
    assigned one by one, in order, as an incoming stream would be. ``blocking``: where candidate events come
    from: "ann" (an ANN index over event centroids) or "lsh" (articles sharing an LSH or entity key in the
    same time bucket: ``kabar.cluster.blocking``, as ``kabar batch --blocking lsh`` computes on a cluster)."""
    if blocking not in {"ann", "lsh"}:
        raise UsageError(f"unknown blocking {blocking!r} (ann or lsh)")
    engine = engine or EventEngine(use_index=blocking == "ann")
    blocker = Blocker() if blocking == "lsh" else None
    events: list[str] = []  # event of each article number (lsh)
    encoder = embedder or default_embedder()
    batch: list[Article] = []
    for article in articles:
        batch.append(article)
        if len(batch) >= BATCH:
            yield from _assign(batch, engine, encoder, blocker, events)
            if on_batch:
                on_batch(len(batch))
            batch = []
    if batch:
        yield from _assign(batch, engine, encoder, blocker, events)
        if on_batch:
            on_batch(len(batch))


def _assign(
    batch: Sequence[Article],
    engine: EventEngine,
    encoder: Embedder,
    blocker: Blocker | None,
    events: list[str],
) -> Iterator[tuple[str, str]]:
    reps = [represent(a) for a in batch]
    vectors = encoder.encode([r.text for r in reps])
    days = [parse_day(r.day) for r in reps]
    keys = blocking_keys(vectors, [r.keys() for r in reps], days) if blocker else []
    for k, (article, rep, vector) in enumerate(zip(batch, reps, vectors, strict=True)):
        candidates = None
        if blocker is not None:
            candidates = {events[n] for n in blocker.add(keys[k])}
        event, _ = engine.assign(vector, rep, article.source, article.title or rep.text[:120], candidates)
        events.append(event)
        yield article.id, event
