"""Compute off the server's process: compare and relate run in a few worker processes, with budgets.

The server process answers reads and keeps the event loop free; annotation and comparison (seconds of pure Python
each) run in ``workers`` processes started with ``spawn``. A request waits at most ``queue_seconds`` for an idle
worker, else it is answered 503 at once (retry later); a computation that passes ``budget_seconds`` is stopped by
ending its worker (which is replaced) and answered 503. Closing the pool ends every worker, so shutdown does not
wait for a computation in flight.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import queue
import threading
import time
import weakref
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any

import anyio

from kabar.errors import ApiError, KabarError

# Two workers for the two cores this was measured on; each holds the models once (about 300 MB).
WORKERS = 2
# A comparison of 50 ordinary articles takes about 20 s on one core; a request over this budget is stopped.
BUDGET_SECONDS = 60.0
# How long a request waits for an idle worker before it is refused with 503: short, so a client under load hears
# "busy" quickly instead of holding a connection.
QUEUE_SECONDS = 0.5
COMPUTE_NICENESS = 10
WRITER_NICENESS = 15
"""How much lower the CPU priority of the compute workers and of the writer process is than the server's: when
the cores are busy, the process answering reads runs first, then compute requests, then storing (its requests
wait; a write waits at most 2 s for its turn, then 503). Set with ``bench_serve.py --storm-only`` on the shared
2-core machine: without it, reads p95 was 2.1 s under the mixed storm, 0.6-1.7 s at +5/+10 and 0.45-0.47 s at
+10/+15; see benchmarks/README.md."""


def lower_priority(niceness: int) -> None:
    """Lower this process's CPU priority by ``niceness`` (where the system allows it)."""
    import os

    with contextlib.suppress(AttributeError, OSError):
        os.nice(niceness)


def _compare(records: list[dict[str, Any]], brief_length: int | None) -> dict[str, Any]:
    from kabar.report import comparison_dict
    from kabar.workflows import compare_items, parse_records

    return comparison_dict(compare_items(parse_records(records), brief_length))


def _relate(triples: list[tuple[str, str, str]]) -> list[dict[str, Any]]:
    from kabar.workflows import relate_pairs, relation_dict

    return [relation_dict(r) for r in relate_pairs(triples)]


def _compare_articles(articles: list[Any]) -> tuple[dict[str, Any], int]:
    from kabar.compare.run import compare
    from kabar.pipeline import annotate
    from kabar.report import comparison_dict
    from kabar.workflows import conflict_count

    comparison = compare(annotate(articles))
    return comparison_dict(comparison), conflict_count(comparison)


_STORES: dict[str, Any] = {}


def _event_conflicts(db: str, event_id: str) -> tuple[int, tuple[str, ...]]:
    """A stored event's conflict count and the versions that found it, its articles read here (not in the server's
    process)."""
    from kabar.versions import result_versions

    if db not in _STORES:
        from kabar.store import open_store

        _STORES[db] = open_store(db)
    members = _STORES[db].articles_of_event(event_id)
    articles = [m.article for m in members if m.duplicate_of is None]
    if len(articles) < 2:  # one article: nothing to compare, nothing ran
        return 0, tuple(result_versions())
    data, conflicts = _compare_articles(articles)
    return conflicts, tuple(data["versions"])


def _warm() -> bool:
    from kabar.workflows import relate_pairs

    relate_pairs([("1", "Harga beras naik 5 persen.", "Harga beras naik 15 persen.")])
    return True


TASKS: dict[str, Callable[..., Any]] = {
    "compare": _compare,
    "relate": _relate,
    "compare_articles": _compare_articles,
    "event_conflicts": _event_conflicts,
    "warm": _warm,
}


def _serve(conn: Connection) -> None:  # pragma: no cover - runs in the worker process
    from kabar.api.errors import status_of

    lower_priority(COMPUTE_NICENESS)
    while True:
        try:
            name, args = conn.recv()
        except (EOFError, KeyboardInterrupt):
            return
        try:
            conn.send(("ok", TASKS[name](*args)))
        except KabarError as err:
            conn.send(("error", status_of(err), err.message))
        except Exception as err:
            conn.send(("error", 500, f"internal error ({type(err).__name__})"))


class _Worker:
    def __init__(self, context: Any) -> None:
        self.conn, child = multiprocessing.Pipe()
        self.process = context.Process(target=_serve, args=(child,), daemon=True, name="kabar-compute")
        self.process.start()
        child.close()

    def call(self, name: str, args: tuple[Any, ...], budget: float) -> Any:
        try:
            self.conn.send((name, args))
            if not self.conn.poll(budget):
                self.stop()
                raise ApiError(
                    503, f"the computation took longer than {budget:g} s: send fewer or shorter texts"
                )
            answer = self.conn.recv()
        except (EOFError, OSError) as err:  # the worker ended, or closing the pool ended it
            self.stop()
            raise ApiError(500, "internal error (a compute worker ended)") from err
        if answer[0] == "error":
            raise ApiError(answer[1], answer[2])
        return answer[1]

    @property
    def alive(self) -> bool:
        return bool(self.process.is_alive())

    def stop(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join(timeout=2)
        with contextlib.suppress(OSError):  # closing the pool and a failed call may both stop a worker
            self.conn.close()


class ComputePool:
    """Worker processes for compute requests; see the module's docstring."""

    def __init__(
        self,
        workers: int = WORKERS,
        budget_seconds: float = BUDGET_SECONDS,
        queue_seconds: float = QUEUE_SECONDS,
    ) -> None:
        self.size = max(1, workers)
        self.budget_seconds = budget_seconds
        self.queue_seconds = queue_seconds
        self._context = multiprocessing.get_context("spawn")
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._lock = threading.Lock()
        self._started = False
        self._closed = False
        self._workers: list[_Worker] = []
        self._limiter = anyio.CapacityLimiter(self.size)
        # A pool dropped without close (an app built for one test) still ends its processes.
        weakref.finalize(self, _stop_all, self._workers)

    def _start(self) -> None:
        with self._lock:
            if self._started or self._closed:
                return
            self._started = True
            for _ in range(self.size):
                self._add()

    def _add(self) -> None:
        worker = _Worker(self._context)
        self._workers.append(worker)
        self._idle.put(worker)

    def warm(self) -> None:
        """Start the workers and load their models in the background, before the first request needs them."""
        self._start()

        def load() -> None:
            for _ in range(self.size):
                try:
                    self.run_blocking("warm")
                except ApiError:
                    return

        threading.Thread(target=load, daemon=True, name="kabar-warm").start()

    async def run(self, name: str, *args: Any) -> Any:
        """Run a task in a worker without blocking the event loop; 503 when none is free soon enough."""
        self._start()
        worker = await self._acquire_async()
        return await anyio.to_thread.run_sync(self._call, worker, name, args, limiter=self._limiter)

    def run_blocking(self, name: str, *args: Any) -> Any:
        """As ``run``, from a thread."""
        self._start()
        try:
            worker = self._idle.get(timeout=self.queue_seconds)
        except queue.Empty as err:
            raise _busy() from err
        return self._call(worker, name, args)

    async def _acquire_async(self) -> _Worker:
        until = time.monotonic() + self.queue_seconds
        while True:
            try:
                return self._idle.get_nowait()
            except queue.Empty:
                if time.monotonic() >= until or self._closed:
                    raise _busy() from None
                await anyio.sleep(0.02)

    def _call(self, worker: _Worker, name: str, args: tuple[Any, ...]) -> Any:
        try:
            return worker.call(name, args, self.budget_seconds)
        finally:
            with self._lock:
                if self._closed:
                    worker.stop()
                elif worker.alive:
                    self._idle.put(worker)
                else:
                    self._workers.remove(worker)
                    self._add()

    def close(self) -> None:
        """End every worker now (a computation in flight is abandoned)."""
        with self._lock:
            self._closed = True
            workers = list(self._workers)
            self._workers.clear()
        _stop_all(workers)


def _stop_all(workers: list[_Worker]) -> None:
    for worker in list(workers):
        worker.stop()


def _busy() -> ApiError:
    return ApiError(503, "the server is busy computing: retry in a few seconds")
