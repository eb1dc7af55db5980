"""A growing corpus: ingest articles into the store, recognise duplicates, and group new articles into events.

Articles are processed in batches; each batch is one transaction, so a crash or a kill loses at most the batch
in progress and never leaves half an article. Re-running an ingest is idempotent: an article already stored
(same id, same text) is skipped; the same id with a different text is stored under a new id and reported.

A batch that fails leaves nothing behind: the transaction is rolled back and the in-memory clustering state
(near-duplicate index, events) is rebuilt from the store, so no later article is taken for a duplicate of one that
was never stored. When the store refuses one article's data, the batch is retried one article at a time and only
that article is reported as a failure.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from kabar.cluster.dedup import NAME as DEDUP
from kabar.cluster.dedup import SimHashIndex, content_hash, simhash
from kabar.cluster.engine import EventEngine, EventState
from kabar.cluster.features import from_stored, represent
from kabar.embed import Embedder, default_embedder
from kabar.errors import InputError, MalformedRecord
from kabar.ingest.outlets import outlet_of
from kabar.records import Article, AssignedArticle, EventRow, Failure, StoredArticle
from kabar.store.base import Store, now, unstorable
from kabar.versions import cluster_versions

BATCH = 64


@dataclass
class IngestReport:
    added: int = 0
    duplicates: int = 0
    already: int = 0
    new_events: int = 0
    renamed: list[tuple[str, str]] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)
    events: set[str] = field(default_factory=set)
    """Events that gained articles (new or grown)."""

    def merge(self, other: IngestReport) -> None:
        self.added += other.added
        self.duplicates += other.duplicates
        self.already += other.already
        self.new_events += other.new_events
        self.renamed.extend(other.renamed)
        self.failures.extend(other.failures)
        self.events.update(other.events)

    @property
    def used(self) -> bool:
        """Whether any input was an article (added, already stored, or a duplicate)."""
        return bool(self.added or self.already or self.duplicates)

    def to_dict(self) -> dict[str, Any]:
        """The report as the API answers it."""
        return {"added": self.added, "duplicates": self.duplicates, "already": self.already,
                "new_events": self.new_events, "renamed": [{"from": a, "to": b} for a, b in self.renamed],
                "failures": [{"path": f.path, "reason": f.reason, "code": f.code} for f in self.failures]}  # fmt: skip

    def summary(self) -> str:
        parts = [f"{self.added} article(s) added", f"{self.new_events} new event(s)"]
        if self.duplicates:
            parts.append(f"{self.duplicates} duplicate(s) kept as duplicates")
        if self.already:
            parts.append(f"{self.already} already stored")
        if self.renamed:
            parts.append(f"{len(self.renamed)} conflicting id(s) stored under new ids")
        if self.failures:
            parts.append(f"{len(self.failures)} input(s) skipped")
        return ", ".join(parts)


def source_of(article: Article) -> str | None:
    """The article's outlet (kabar.ingest.outlets)."""
    return outlet_of(article)


class Corpus:
    """The store plus the clustering state built from it."""

    def __init__(
        self,
        store: Store,
        embedder: Embedder | None = None,
        engine: EventEngine | None = None,
        restore: bool = True,
    ) -> None:
        """``restore``: rebuild the clustering state from the stored articles (off for a loader that brings
        its own assignments, :meth:`load_assigned`)."""
        self.store = store
        self.embedder = embedder or default_embedder()
        self.engine = engine or EventEngine()
        self.simhashes = SimHashIndex()
        self.made_by = tuple(cluster_versions())
        if restore:
            self._restore()

    def _reset(self) -> None:
        """Forget the in-memory state of a failed batch: rebuild it from what the store holds."""
        old = self.engine
        self.engine = EventEngine(old.weights, prefix=old.prefix, use_index=old.use_index)
        self.simhashes = SimHashIndex()
        self._restore()

    def _restore(self) -> None:
        for row in self.store.iter_clustered():
            self.simhashes.add(row.simhash, row.id)
            if row.event is None:
                continue
            stored = self.store.article(row.id)
            if stored is None:
                continue
            # Terms and own time are re-read from the stored text, in ingestion order, so the IDF is rebuilt too.
            rep = from_stored(stored.article, self.store.entities_of(row.id))
            self.engine.restore(row.event, row.vector, rep, source_of(stored.article), row.title or "")
        self.engine.reindex_all()

    def ingest(
        self,
        items: Iterable[Article | Failure],
        on_item: Callable[[Article | Failure], None] | None = None,
        outlet: str | None = None,
    ) -> IngestReport:
        """Store the articles (failures are counted) and group them into events; ``outlet`` names the outlet
        of every article outright (else kabar.ingest.outlets finds each one's)."""
        report = IngestReport()
        batch: list[Article] = []
        for item in items:
            if isinstance(item, Failure):
                report.failures.append(item)
            elif (problem := unstorable(item)) is not None:
                report.failures.append(Failure(item.path or item.id, problem, MalformedRecord.code))
            else:
                batch.append(item)
                if len(batch) >= BATCH:
                    self._ingest_batch(batch, report, outlet)
                    batch = []
            if on_item is not None:
                on_item(item)
        if batch:
            self._ingest_batch(batch, report, outlet)
        return report

    def _ingest_batch(self, batch: list[Article], report: IngestReport, outlet: str | None = None) -> None:
        """Store one batch in one transaction; on failure leave no trace of it (see the module's docstring)."""
        part = IngestReport()
        try:
            self._store_batch(batch, part, outlet)
        except InputError as err:
            self.store.rollback()
            self._reset()
            if len(batch) == 1:
                report.failures.append(Failure(err.path, err.reason, err.code))
                return
            for article in batch:
                self._ingest_batch([article], report, outlet)
            return
        except Exception:
            self.store.rollback()
            self._reset()
            raise
        except BaseException:  # an interrupt: the process is ending, nothing to rebuild
            self.store.rollback()
            raise
        report.merge(part)

    def _store_batch(self, batch: list[Article], report: IngestReport, outlet: str | None) -> None:
        fresh = self._sift(batch, report, outlet)
        reps = [represent(a) for a, _, _ in fresh]
        vectors = self.embedder.encode([r.text for r in reps])
        touched: dict[str, EventState] = {}
        for (article, digest, value), rep, vector in zip(fresh, reps, vectors, strict=True):
            title = article.title or rep.text[:120]
            event_id, is_new = self.engine.assign(vector, rep, source_of(article), title)
            report.new_events += is_new
            stored = StoredArticle(article, digest, value, event_id, None, now(), self.made_by)
            self._write(stored, vector, rep.entities)
            touched[event_id] = self.engine.events[event_id]
            report.added += 1
        self._finish(touched.values())
        report.events.update(touched)

    def _sift(
        self, batch: list[Article], report: IngestReport, outlet: str | None
    ) -> list[tuple[Article, str, int]]:
        """The batch's new articles (with content hash and SimHash); those already stored are counted, repeated
        ids renamed, duplicates stored as such."""
        fresh: list[tuple[Article, str, int]] = []
        seen_hashes: dict[str, str] = {}
        for article in batch:
            article = replace(article, source=outlet or outlet_of(article))
            digest = content_hash(article.text)
            stored = self.store.article(article.id)
            if stored is not None:
                if stored.content_hash == digest:
                    report.already += 1
                    continue
                new_id = self._free_id(article.id)
                report.renamed.append((article.id, new_id))
                article = replace(article, id=new_id)
            value = simhash(article.text)
            original = seen_hashes.get(digest) or self.store.has_hash(digest) or self.simhashes.find(value)
            if original is not None:
                self._add_duplicate(article, digest, value, original)
                report.duplicates += 1
                continue
            seen_hashes[digest] = article.id
            self.simhashes.add(value, article.id)
            fresh.append((article, digest, value))
        return fresh

    def _write(
        self, stored: StoredArticle, vector: np.ndarray, entities: Sequence[tuple[str, str, int]]
    ) -> None:
        self.store.add_article(stored, vector, entities)

    def _finish(self, events: Iterable[EventState]) -> None:
        for state in events:
            self.store.upsert_event(event_row(state))
        self.store.commit()

    def load_assigned(self, rows: Iterable[AssignedArticle]) -> int:
        """Store articles represented and assigned to events elsewhere (``kabar batch``), in the transactions
        and rows of :meth:`ingest`; an id already stored is left alone. Returns how many were stored."""
        loaded = 0
        touched: dict[str, EventState] = {}
        try:
            for row in rows:
                rep = from_stored(row.article, row.entities)
                self.engine.restore(
                    row.event, row.vector, rep, source_of(row.article), row.article.title or ""
                )
                touched[row.event] = self.engine.events[row.event]
                if self.store.has_article(row.article.id):
                    continue
                text = row.article.text
                stored = StoredArticle(
                    row.article, content_hash(text), simhash(text), row.event, None, now(), self.made_by
                )
                self._write(stored, row.vector, row.entities)
                loaded += 1
                if loaded % BATCH == 0:
                    self.store.commit()
            self._finish(touched.values())
        except Exception:
            self.store.rollback()
            raise
        return loaded

    def _free_id(self, article_id: str) -> str:
        k = 2
        while self.store.has_article(f"{article_id}~{k}"):
            k += 1
        return f"{article_id}~{k}"

    def _add_duplicate(self, article: Article, digest: str, value: int, original: str) -> None:
        first = self.store.article(original)
        event = first.event if first is not None else None
        self.store.add_duplicate(StoredArticle(article, digest, value, event, original, now(), (DEDUP,)))


def event_row(state: EventState) -> EventRow:
    """The stored row of an event's clustering state."""
    return EventRow(
        id=state.id,
        title=state.title or state.id,
        first_published=state.first.isoformat() if state.first else None,
        last_published=state.last.isoformat() if state.last else None,
        articles=state.count,
        sources=max(1, len(state.sources)),
        updated_at=now(),
    )
