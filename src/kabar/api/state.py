"""What the API's endpoints share: settings, a store per thread, the corpus writers use, the event cache."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Any

from fastapi import Depends, Header, Request

from kabar.api.security import token_matches
from kabar.errors import ApiError

if TYPE_CHECKING:
    from kabar.corpus import Corpus, IngestReport
    from kabar.store.base import Store

MAX_BODY_BYTES = 10_000_000
EVENT_CACHE = 64
"""Compared events kept in memory (a comparison takes seconds; its key changes when the event does)."""


@dataclass(frozen=True, slots=True)
class Settings:
    db: str
    token: str | None = None
    allow_private_urls: bool = False
    max_body_bytes: int = MAX_BODY_BYTES


EventKey = tuple[str, str, int]


class ApiState:
    """Read connections are one per thread; writes go through one shared corpus under a lock."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._local = threading.local()
        self._corpus: Corpus | None = None
        self._corpus_lock = threading.Lock()
        self.write_lock = threading.Lock()
        self._events: OrderedDict[EventKey, dict[str, Any]] = OrderedDict()

    def store(self) -> Store:
        if getattr(self._local, "store", None) is None:
            from kabar.store import open_store

            self._local.store = open_store(self.settings.db)
        store: Store = self._local.store
        return store

    def corpus(self) -> Corpus:
        with self._corpus_lock:
            if self._corpus is None:
                from kabar.corpus import Corpus
                from kabar.store.sql import SQLStore

                self._corpus = Corpus(SQLStore(self.settings.db, shared=True))
            return self._corpus

    def ingest(self, work: Callable[[Corpus], IngestReport]) -> IngestReport:
        """Run an ingest under the write lock; cached events are forgotten."""
        with self.write_lock:
            report = work(self.corpus())
        self._events.clear()
        return report

    def cached_event(self, key: EventKey, compute: Callable[[], dict[str, Any]]) -> dict[str, Any]:
        if key not in self._events:
            self._events[key] = compute()
            while len(self._events) > EVENT_CACHE:
                self._events.popitem(last=False)
        return self._events[key]


def get_state(request: Request) -> ApiState:
    state: ApiState = request.app.state.kabar
    return state


State = Annotated[ApiState, Depends(get_state)]


def require_token(state: State, authorization: str | None = Header(default=None)) -> None:
    """Dependency of the write endpoints: the bearer token, when one is configured."""
    token = state.settings.token
    if token is not None and not token_matches(authorization, token):
        raise ApiError(401, "this endpoint needs Authorization: Bearer <token>")
