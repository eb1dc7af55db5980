"""What the API's endpoints share: settings, a store per thread, the writer process that stores articles, the
event cache, the compute workers, and the gate that keeps writes from piling up."""

from __future__ import annotations

import queue
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated

import anyio
from fastapi import Depends, Header, Request

from kabar.api.guards import LOCAL_NAMES
from kabar.api.security import token_matches
from kabar.api.workers import (
    BASE_SECONDS,
    BUDGET_SECONDS,
    QUEUE_SECONDS,
    SECONDS_PER_1000_CHARS,
    WORKERS,
    Budget,
    ComputePool,
)
from kabar.api.writer import BUDGET_SECONDS as INGEST_SECONDS
from kabar.api.writer import Writer
from kabar.errors import ApiError

if TYPE_CHECKING:
    from kabar.corpus import IngestReport
    from kabar.records import Article, Failure
    from kabar.store.base import Store

MAX_BODY_BYTES = 10_000_000
EVENT_CACHE = 64
"""Compared events kept in memory (a comparison takes seconds; its key changes when the event does)."""
WRITES_WAITING = 4
"""Write requests running or waiting for the write lock at once; more answer 503 (each holds a server thread,
and threads are what reads need)."""
WRITES_WAIT_SECONDS = 0.5
"""How long a write waits for one of those places before it is refused with 503."""
REFRESH_QUEUE = 256
"""Events waiting for their conflict count to be refreshed after an ingest; more are left for the next one."""


@dataclass(frozen=True, slots=True)
class Settings:
    db: str
    token: str | None = None
    allow_private_urls: bool = False
    max_body_bytes: int = MAX_BODY_BYTES
    allowed_hosts: tuple[str, ...] = LOCAL_NAMES
    """Names the server answers to (the ``Host`` header); ``("*",)`` for any."""
    compute_workers: int = WORKERS
    compute_seconds: float = BUDGET_SECONDS
    """The most one compute request may take (waiting for a worker included); 503 beyond."""
    compute_rate: float = SECONDS_PER_1000_CHARS
    """Seconds a compute request may take per 1,000 characters of text, beside ``compute_base`` (``Budget``)."""
    compute_base: float = BASE_SECONDS
    queue_seconds: float = QUEUE_SECONDS
    """How long a compute request waits for a free worker (503 beyond)."""
    ingest_seconds: float = INGEST_SECONDS
    """Seconds the writer process may take to store one batch of articles (503 beyond)."""


EventKey = tuple[str, str, int]


class ApiState:
    """Read connections are one per thread; articles are stored by the writer process, one write at a time."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._local = threading.local()
        self._corpus_lock = threading.Lock()
        self.writer = Writer(settings.db, settings.ingest_seconds)
        self._write_gate = threading.BoundedSemaphore(WRITES_WAITING)
        self._events: OrderedDict[EventKey, bytes] = OrderedDict()
        self._event_locks: OrderedDict[EventKey, anyio.Lock] = OrderedDict()
        self._running: set[EventKey] = set()
        budget = Budget(settings.compute_seconds, settings.compute_base, settings.compute_rate)
        self.compute = ComputePool(settings.compute_workers, budget, settings.queue_seconds)
        self._stale: queue.Queue[str] = queue.Queue(REFRESH_QUEUE)
        self._refresher: threading.Thread | None = None
        self._pending: set[str] = set()

    def store(self) -> Store:
        if getattr(self._local, "store", None) is None:
            from kabar.store import open_store

            self._local.store = open_store(self.settings.db)
        store: Store = self._local.store
        return store

    def ingest(self, items: Sequence[Article | Failure]) -> IngestReport:
        """Store articles already read, in the writer process, a batch at a time (503 when too many writes are
        already waiting); the conflict counts of the events that grew are refreshed in the background."""
        from kabar.api.writer import store_batches

        if not self._write_gate.acquire(timeout=WRITES_WAIT_SECONDS):
            raise ApiError(503, "the server is busy with other writes: retry in a few seconds")
        try:
            report = store_batches(self.writer, items)
        finally:
            self._write_gate.release()
        self._refresh_later(
            report.events
        )  # a cached event that grew has a new key: no need to forget the others
        return report

    def cached_event(self, key: EventKey) -> bytes | None:
        """An event's document, rendered as JSON."""
        return self._events.get(key)

    def latest_event(self, event_id: str) -> bytes | None:
        """The most recent document cached for an event, whatever its key."""
        for key in reversed(self._events):
            if key[0] == event_id:
                return self._events[key]
        return None

    def in_background(self, key: EventKey, work: Callable[[], None]) -> None:
        """Run ``work`` in a thread unless work for ``key`` is already under way (a busy pool just skips it)."""
        with self._corpus_lock:
            if key in self._running:
                return
            self._running.add(key)

        def run() -> None:
            try:
                work()
            except ApiError:
                pass  # busy or over budget: the next request tries again
            finally:
                with self._corpus_lock:
                    self._running.discard(key)

        threading.Thread(target=run, daemon=True, name="kabar-event").start()

    def event_lock(self, key: EventKey) -> anyio.Lock:
        """One lock per event being compared: a second request waits for the first one's document."""
        with self._corpus_lock:
            lock = self._event_locks.get(key)
            if lock is None:
                lock = self._event_locks[key] = anyio.Lock()
                while len(self._event_locks) > 4 * EVENT_CACHE:
                    self._event_locks.popitem(last=False)
            return lock

    def remember_event(self, key: EventKey, document: bytes) -> None:
        self._events[key] = document
        while len(self._events) > EVENT_CACHE:
            self._events.popitem(last=False)

    def _refresh_later(self, events: Iterable[str]) -> None:
        for event_id in sorted(events):
            with self._corpus_lock:
                if event_id in self._pending:
                    continue  # already waiting: one comparison counts all the articles it gained
                try:
                    self._stale.put_nowait(event_id)
                except queue.Full:
                    break
                self._pending.add(event_id)
        if self._refresher is None or not self._refresher.is_alive():
            self._refresher = threading.Thread(target=self._refresh, daemon=True, name="kabar-conflicts")
            self._refresher.start()

    def _refresh(self) -> None:
        """Compare events that grew, in a worker, and record their conflict counts (writes, under the lock)."""
        while True:
            try:
                event_id = self._stale.get(timeout=1.0)
            except queue.Empty:
                return
            with self._corpus_lock:
                self._pending.discard(event_id)
            try:  # the worker reads the event's articles: nothing of it passes through this process
                conflicts, versions = self.compute.run_blocking("event_conflicts", self.settings.db, event_id)
            except ApiError:
                continue  # busy or over budget: the count stays unknown until the event grows again
            try:
                self.writer.set_conflicts(event_id, conflicts, versions)
            except ApiError:
                continue  # busy writing or closing: the count is refreshed when the event grows again

    def close(self) -> None:
        self.compute.close()
        self.writer.close()


def get_state(request: Request) -> ApiState:
    state: ApiState = request.app.state.kabar
    return state


State = Annotated[ApiState, Depends(get_state)]


def require_token(state: State, authorization: str | None = Header(default=None)) -> None:
    """Dependency of the write endpoints: the bearer token, when one is configured."""
    token = state.settings.token
    if token is not None and not token_matches(authorization, token):
        raise ApiError(401, "this endpoint needs Authorization: Bearer <token>")
