"""Ingest off the server's process: one writer process owns the corpus and stores every article the API receives.

Storing an article means representing, embedding and clustering it: tens of milliseconds of pure Python per
article, which in the server's process would hold the interpreter lock the threads answering reads need. So the
server reads and checks a request's articles, then hands them to a single writer process (started with
``spawn``) that holds the corpus and its clustering state; reads are answered from the store by the server
process. Writes are one at a time, in the order they arrive.

Budgets: a request waits at most ``queue_seconds`` for its turn, else it is refused with 503 before anything is
stored; a batch that stores for longer than ``budget_seconds`` is stopped by ending the writer and answered 503. A
batch is one transaction, so a stopped batch leaves nothing. A new writer is started at once: it rebuilds the
clustering state from the store (12-30 s for 18,000 stored articles on a busy machine, see benchmarks/README.md),
and a write meanwhile is refused with 503 after ``queue_seconds`` instead of waiting for the whole rebuild (only
the first start, when the server starts, is waited for). Closing waits a moment for the write in flight, refuses every later one, then ends
the writer: an article is either stored and answered 200 or refused, never lost.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import threading
import weakref
from collections.abc import Sequence
from multiprocessing.connection import Connection
from typing import TYPE_CHECKING, Any

from kabar.api.workers import WRITER_NICENESS, lower_priority
from kabar.errors import ApiError, KabarError
from kabar.records import Article, Failure

if TYPE_CHECKING:
    from kabar.corpus import IngestReport

BUDGET_SECONDS = 30.0
"""Seconds one batch of at most 64 articles may take to store (503 beyond). Storing runs at 25-200 articles/s
on one core of the 2-core machine this was measured on (``bench_corpus.py``), so a full batch of ordinary news
takes well under 5 s; the budget leaves room for long articles and a loaded machine."""
QUEUE_SECONDS = 2.0
"""How long a write waits for the writer (another write in flight) before it is refused with 503: the time a
client under load waits to hear "busy"."""
DRAIN_SECONDS = 1.5
"""How long closing waits for the write in flight before ending the writer (``kabar serve`` stops in under 5 s)."""


def _ingest(corpus: Any, items: list[Article | Failure]) -> Any:
    from kabar.workflows import ingest_items

    return ingest_items(corpus, items, conflicts=False)


def _serve(conn: Connection, db: str) -> None:  # pragma: no cover - runs in the writer process
    from kabar.api.errors import status_of
    from kabar.corpus import Corpus
    from kabar.store import open_store

    lower_priority(WRITER_NICENESS)
    try:
        corpus = Corpus(
            open_store(db)
        )  # the clustering state is rebuilt from the store: not part of a budget
    except KabarError as err:
        conn.send(("error", status_of(err), err.message))
        return
    conn.send(("ok", None))
    while True:
        try:
            name, args = conn.recv()
        except (EOFError, KeyboardInterrupt):
            break
        try:
            if name == "ingest":
                conn.send(("ok", _ingest(corpus, *args)))
            else:  # "conflicts": an event's conflict count after it was compared
                corpus.store.set_event_conflicts(*args)
                conn.send(("ok", None))
        except KabarError as err:
            conn.send(("error", status_of(err), err.message))
        except Exception as err:
            conn.send(("error", 500, f"internal error ({type(err).__name__})"))
    corpus.store.close()


class Writer:
    """The writer process of the module's docstring, started at the first write."""

    def __init__(
        self, db: str, budget_seconds: float = BUDGET_SECONDS, queue_seconds: float = QUEUE_SECONDS
    ) -> None:
        self.db = db
        self.budget_seconds = budget_seconds
        self.queue_seconds = queue_seconds
        self._context = multiprocessing.get_context("spawn")
        self._turn = threading.Lock()
        self._closed = False
        self._process: Any = None
        self._conn: Connection | None = None
        self._starting = False
        self._started_once = False
        self._procs: list[Any] = []
        weakref.finalize(self, _kill_all, self._procs)

    def warm(self) -> None:
        """Start the writer in the background, before the first write needs it."""

        def start() -> None:
            with self._turn:
                if not self._closed:
                    with contextlib.suppress(ApiError):  # the first write reports it
                        self._connection()

        threading.Thread(target=start, daemon=True, name="kabar-writer-start").start()

    def ingest(self, items: Sequence[Article | Failure]) -> Any:
        """Store ``items`` (an IngestReport); 503 when the writer is busy too long, over budget or closing."""
        return self._call("ingest", (list(items),))

    def set_conflicts(self, event_id: str, conflicts: int, versions: Sequence[str]) -> None:
        self._call("conflicts", (event_id, conflicts, tuple(versions)))

    def _call(self, name: str, args: tuple[Any, ...]) -> Any:
        closing = ApiError(503, "the server is shutting down: nothing was stored, retry later")
        if self._closed:
            raise closing
        if not self._turn.acquire(timeout=self.queue_seconds):
            raise ApiError(503, "the server is busy with other writes: retry in a few seconds")
        try:
            if self._closed:  # closed while this write waited
                raise closing
            conn = self._connection()
            try:
                conn.send((name, args))
                if not conn.poll(self.budget_seconds):
                    self._stop()
                    if not self._closed:  # the new writer rebuilds its state while writes are refused
                        self._spawn()
                    raise ApiError(503, f"storing took longer than {self.budget_seconds:g} s: send fewer or "
                                        "shorter articles per request (this batch was not stored)")  # fmt: skip
                answer = conn.recv()
            except (EOFError, OSError) as err:  # the writer ended, or closing ended it
                self._stop()
                if self._closed:
                    raise ApiError(503, "the server is shutting down: this batch was not stored") from err
                self._spawn()
                raise ApiError(500, "internal error (the writer process ended)") from err
        finally:
            self._turn.release()
        if answer[0] == "error":
            raise ApiError(answer[1], answer[2])
        return answer[1]

    def _connection(self) -> Connection:
        """The writer's connection, starting a writer if there is none. A writer rebuilds the clustering state from
        the store as it starts: the first start is waited for; a write that finds a later one still rebuilding is
        refused (503) after its turn's wait, nothing stored."""
        if self._process is None or not self._process.is_alive() or self._conn is None:
            self._spawn()
        assert self._conn is not None
        if self._starting:
            try:
                if not self._conn.poll(self.queue_seconds if self._started_once else None):
                    raise ApiError(503, "the writer is starting (its state is rebuilt from the store): nothing "
                                        "was stored, retry in a few seconds")  # fmt: skip
                started = self._conn.recv()  # the corpus is open
            except (EOFError, OSError) as err:
                self._stop()
                raise ApiError(500, "internal error (the writer process could not start)") from err
            self._starting = False
            if started[0] == "error":
                self._stop()
                raise ApiError(started[1], started[2])
            self._started_once = True
        return self._conn

    def _spawn(self) -> None:
        """End the writer, if any, and start another (it opens the corpus in the background)."""
        self._stop()
        self._conn, child = multiprocessing.Pipe()
        self._process = self._context.Process(target=_serve, args=(child, self.db), daemon=True,
                                              name="kabar-writer")  # fmt: skip
        self._process.start()
        self._procs.append(self._process)
        child.close()
        self._starting = True

    def _stop(self) -> None:
        self._starting = False
        conn, self._conn = self._conn, None
        if conn is not None:
            with contextlib.suppress(OSError):  # closing and a failed write may both stop the writer
                conn.close()
        process, self._process = self._process, None
        if process is not None:
            if process.is_alive():
                process.kill()
            process.join(timeout=2)
            if process in self._procs:
                self._procs.remove(process)

    def close(self, drain_seconds: float = DRAIN_SECONDS) -> None:
        """Refuse new writes, wait up to ``drain_seconds`` for the one in flight, then end the writer."""
        self._closed = True
        got = self._turn.acquire(timeout=drain_seconds)
        try:
            if self._conn is not None and got:
                with contextlib.suppress(OSError):
                    self._conn.close()  # the writer reads EOF, closes its store and ends
                self._conn = None
                if self._process is not None:
                    self._process.join(timeout=max(0.1, drain_seconds - 0.5))
            self._stop()
        finally:
            if got:
                self._turn.release()


def _kill_all(processes: list[Any]) -> None:
    for process in list(processes):
        if process.is_alive():
            process.kill()
        process.join(timeout=2)


def store_batches(writer: Writer, items: Sequence[Article | Failure]) -> IngestReport:
    """Store ``items`` a batch (one transaction) at a time: an IngestReport of them all. A batch refused after
    others were stored says so (sending the request again is harmless: stored articles are recognised)."""
    from kabar.corpus import BATCH
    from kabar.corpus import IngestReport as Report

    report = Report()
    for start in range(0, max(1, len(items)), BATCH):
        try:
            report.merge(writer.ingest(items[start : start + BATCH]))
        except ApiError as err:
            if start == 0:
                raise
            raise ApiError(
                err.status, f"{err.message} ({start} input(s) before this batch were stored)"
            ) from err
    return report
