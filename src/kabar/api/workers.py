"""Compute off the server's process: compare and relate run in a few worker processes, under admission control.

The server process answers reads and keeps the event loop free; annotation and comparison (seconds of pure Python
each) run in ``workers`` processes started with ``spawn``. Every compute request has a deadline, set when it
arrives from the size of its text (:class:`Budget`), and is answered or refused with 503 (and ``Retry-After``) by
then, whatever the load:

- **Admission.** A request waits at most ``queue_seconds`` (and never past its deadline) for an idle worker, else
  it is refused at once: the number of computations running is the number of workers, and nothing queues.
- **Budget.** The worker is told the time left; at the deadline the server answers 503 and the worker stops the
  computation itself (an alarm signal raises in it), keeping its models loaded, and goes back to the pool. A
  worker that has not stopped ``RECLAIM_SECONDS`` later (stuck in native code) is ended and replaced, so no CPU
  stays busy for a request already refused.
- **Shutdown.** Closing the pool ends every worker, so shutdown does not wait for a computation in flight.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import queue
import signal
import threading
import time
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from types import FrameType
from typing import Any

import anyio

from kabar.errors import ApiError, KabarError

# Two workers for the two cores this was measured on; each holds the models once (about 300 MB).
WORKERS = 2
BASE_SECONDS = 0.3
SECONDS_PER_1000_CHARS = 0.125
"""A compute request's deadline: ``BASE_SECONDS`` plus ``SECONDS_PER_1000_CHARS`` for every 1,000 characters of
text it carries, waiting for a worker included. Measured on a warm worker on the 2-core machine with the other core
busy (nice +15 under a training job at +10): the two example articles (8,122 characters) compare in 0.72-0.87 s,
58,700 characters of dense synthetic text in 7.4 s, so 0.09-0.13 s per 1,000 characters; the base covers the wait
for a worker (at most ``QUEUE_SECONDS``) and the fixed costs of a request. The example pair gets 1.3 s: under the
200-client storm of ``bench_serve.py`` the server's own queueing adds up to 0.7 s to what the client sees, so it
is answered or refused in under 2 s; 300,000 characters (the most a compare takes) get 37.8 s. When other jobs
take both cores (load 7, one at nice 0) the pair takes 1.5-2.5 s and is refused: ``--compute-rate`` raises it."""
BUDGET_SECONDS = 60.0
"""The most any one compute request may take (``kabar serve --compute-seconds``), and the budget of work whose
size is not known when it starts (the background refresh of an event's conflict count)."""
QUEUE_SECONDS = 0.2
"""How long a request waits for an idle worker before it is refused with 503: short, so a client under load hears
"busy" quickly instead of holding a connection. Under the storm a worker is rarely free within it (at 0.5 s, 1,477
of 1,495 compares still found none) and the refusals took 1.28 s at p95, most of it the server's own queueing."""
STARTUP_SECONDS = 60.0
"""How long a new worker may take to start and load its models (1-3 s here) before it is ended and replaced. A
request made before any worker is ready waits for the first one, without its deadline running."""
RECLAIM_SECONDS = 2.0
"""How long after its deadline a worker may take to stop a computation (the alarm fires between two Python
steps; a long native call delays it) before it is ended and replaced."""
RESTOP_SECONDS = 0.05
"""After the deadline the alarm fires again at this interval, in case code in the pipeline caught it once."""
COMPUTE_NICENESS = 10
WRITER_NICENESS = 15
"""How much lower the CPU priority of the compute workers and of the writer process is than the server's: when
the cores are busy, the process answering reads runs first, then compute requests, then storing (its requests
wait; a write waits at most 2 s for its turn, then 503). Set with ``bench_serve.py --storm-only`` on the shared
2-core machine: without it, reads p95 was 2.1 s under the mixed storm, 0.6-1.7 s at +5/+10 and 0.45-0.47 s at
+10/+15; see benchmarks/README.md."""


@dataclass(frozen=True, slots=True)
class Budget:
    """How long one compute request may take: ``base`` seconds plus ``per_1000_chars`` for every 1,000 characters
    of its text, at most ``most`` (see the constants above)."""

    most: float = BUDGET_SECONDS
    base: float = BASE_SECONDS
    per_1000_chars: float = SECONDS_PER_1000_CHARS

    def seconds(self, chars: int | None) -> float:
        """The deadline, in seconds from arrival, of a request carrying ``chars`` characters (None: not known)."""
        if chars is None:
            return self.most
        return min(self.most, self.base + self.per_1000_chars * max(0, chars) / 1000)


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
    from kabar.report import comparison_dict
    from kabar.workflows import compare_stored, conflict_count

    comparison = compare_stored(articles)
    return comparison_dict(comparison), conflict_count(comparison)


_STORES: dict[str, Any] = {}


def _event_conflicts(db: str, event_id: str) -> tuple[int, tuple[str, ...]]:
    """A stored event's conflict count and the versions that found it, its articles read here (not in the server's
    process)."""
    from kabar.workflows import event_conflicts

    if db not in _STORES:
        from kabar.store import open_store

        _STORES[db] = open_store(db)
    conflicts, versions = event_conflicts(_STORES[db], event_id)
    return conflicts, tuple(versions)


def _forget_stores() -> None:
    """Close the stores a stopped computation may have left in the middle of a read."""
    for store in _STORES.values():
        with contextlib.suppress(Exception):
            store.close()
    _STORES.clear()


WARM_TEXTS = (
    "Harga beras di Pasar Induk Cipinang naik 5 persen pada Senin, kata Kepala Dinas Perdagangan DKI Jakarta.",
    "Kepala Dinas Perdagangan DKI Jakarta menyebut harga beras di Pasar Induk Cipinang naik 15 persen pekan ini.",
)


def _warm() -> None:
    """Load the models a compare and a relate request use, before the worker takes its first request."""
    _compare([{"id": f"warm-{k}", "text": text} for k, text in enumerate(WARM_TEXTS)], None)
    _relate([("1", WARM_TEXTS[0], WARM_TEXTS[1])])


TASKS: dict[str, Callable[..., Any]] = {
    "compare": _compare,
    "relate": _relate,
    "compare_articles": _compare_articles,
    "event_conflicts": _event_conflicts,
}


class OverBudget(BaseException):
    """Raised in a worker by its alarm when a computation passes its deadline. Not an ``Exception``: the pipeline
    skips a record that fails with one, and this must stop the whole computation."""


def _alarm(signum: int, frame: FrameType | None) -> None:  # pragma: no cover - runs in the worker process
    raise OverBudget


def _answer(name: str, args: tuple[Any, ...], seconds: float) -> tuple[Any, ...]:
    """Run one task under an alarm at ``seconds``: ("ok", result), ("error", status, message) or ("over",)."""
    from kabar.api.errors import status_of

    try:
        try:
            signal.setitimer(signal.ITIMER_REAL, max(seconds, 0.001), RESTOP_SECONDS)
            return ("ok", TASKS[name](*args))
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
    except OverBudget:
        _forget_stores()
        return ("over",)
    except KabarError as err:
        return ("error", status_of(err), err.message)
    except Exception as err:
        return ("error", 500, f"internal error ({type(err).__name__})")


def _serve(conn: Connection) -> None:  # pragma: no cover - runs in the worker process
    lower_priority(COMPUTE_NICENESS)
    signal.signal(signal.SIGALRM, _alarm)
    try:
        with contextlib.suppress(Exception):  # a model that cannot load: each request answers its error
            _warm()
        conn.send(("ready",))
    except (KeyboardInterrupt, OSError):
        return
    while True:
        try:
            name, args, seconds = conn.recv()
        except (EOFError, KeyboardInterrupt):
            return
        try:
            answer = _answer(name, args, seconds)
        except OverBudget:  # the alarm's last call landed after the task, while its answer was being made
            answer = ("over",)
        conn.send(answer)


class Late(Exception):
    """The worker did not answer by the deadline; ``stopped``: it has stopped the computation since (it answered
    "over budget") and is free."""

    def __init__(self, stopped: bool) -> None:
        super().__init__("late")
        self.stopped = stopped


class _Worker:
    def __init__(self, context: Any) -> None:
        self.conn, child = multiprocessing.Pipe()
        self.process = context.Process(target=_serve, args=(child,), daemon=True, name="kabar-compute")
        self.process.start()
        child.close()

    def call(self, name: str, args: tuple[Any, ...], seconds: float) -> Any:
        """The task's result; ``Late`` when there is none after ``seconds``."""
        try:
            self.conn.send((name, args, seconds))
            if not self.conn.poll(seconds):
                raise Late(stopped=False)
            answer = self.conn.recv()
        except (EOFError, OSError) as err:  # the worker ended, or closing the pool ended it
            self.stop()
            raise ApiError(500, "internal error (a compute worker ended)") from err
        if answer[0] == "over":
            raise Late(stopped=True)
        if answer[0] == "error":
            raise ApiError(answer[1], answer[2])
        return answer[1]

    def answers_within(self, seconds: float) -> bool:
        """Whether the worker sends an answer (ready, or its computation stopped or ended) within ``seconds``; the
        answer is dropped."""
        try:
            if self.conn.poll(seconds):
                self.conn.recv()
                return True
        except (EOFError, OSError):
            pass
        return False

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
        self, workers: int = WORKERS, budget: Budget | None = None, queue_seconds: float = QUEUE_SECONDS
    ) -> None:
        self.size = max(1, workers)
        self.budget = budget or Budget()
        self.queue_seconds = queue_seconds
        self._context = multiprocessing.get_context("spawn")
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._lock = threading.Lock()
        self._started = False
        self._ready = threading.Event()
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
        """Start a worker; it joins the pool once it has loaded its models."""
        worker = _Worker(self._context)
        self._workers.append(worker)
        threading.Thread(target=self._admit, args=(worker,), daemon=True, name="kabar-start").start()

    def _admit(self, worker: _Worker) -> None:
        if worker.answers_within(STARTUP_SECONDS):
            self._ready.set()
        else:
            worker.stop()
        self._release(worker)

    @property
    def idle(self) -> int:
        """Workers free for a request now."""
        return self._idle.qsize()

    def warm(self) -> None:
        """Start the workers now (they load their models in the background), before the first request needs them."""
        self._start()

    async def run(self, name: str, *args: Any, chars: int | None = None) -> Any:
        """Run a task in a worker without blocking the event loop, by the deadline of a request of ``chars``
        characters (None: the longest budget); 503 when no worker is free soon enough or the deadline passes."""
        self._start()
        started = time.monotonic()
        while not self._ready.is_set() and not self._closed and time.monotonic() - started < STARTUP_SECONDS:
            await anyio.sleep(0.05)  # the workers' first start: their models load before any deadline runs
        seconds = self.budget.seconds(chars)
        until = time.monotonic() + seconds
        worker = await self._acquire_async(min(self.queue_seconds, seconds))
        with anyio.CancelScope(
            shield=True
        ):  # a cancelled request still gives its worker back (by its deadline)
            return await anyio.to_thread.run_sync(
                self._call, worker, name, args, until, seconds, limiter=self._limiter
            )

    def run_blocking(self, name: str, *args: Any, chars: int | None = None) -> Any:
        """As ``run``, from a thread."""
        self._start()
        self._ready.wait(STARTUP_SECONDS)
        seconds = self.budget.seconds(chars)
        until = time.monotonic() + seconds
        try:
            worker = self._idle.get(timeout=min(self.queue_seconds, seconds))
        except queue.Empty as err:
            raise busy() from err
        return self._call(worker, name, args, until, seconds)

    async def _acquire_async(self, wait: float) -> _Worker:
        until = time.monotonic() + wait
        while True:
            try:
                return self._idle.get_nowait()
            except queue.Empty:
                if time.monotonic() >= until or self._closed:
                    raise busy() from None
                await anyio.sleep(0.02)

    def _call(self, worker: _Worker, name: str, args: tuple[Any, ...], until: float, seconds: float) -> Any:
        """The task's result from ``worker``, which goes back to the pool once free (at once, or when the reclaim
        has seen it stop)."""
        left = until - time.monotonic()
        if left <= 0:
            self._release(worker)
            raise over_budget(seconds)
        try:
            result = worker.call(name, args, left)
        except Late as late:
            if late.stopped:
                self._release(worker)
            else:  # answer now; the worker is given back (or replaced) when it has stopped
                threading.Thread(
                    target=self._reclaim, args=(worker,), daemon=True, name="kabar-reclaim"
                ).start()
            raise over_budget(seconds) from None
        except BaseException:
            self._release(worker)
            raise
        self._release(worker)
        return result

    def _reclaim(self, worker: _Worker) -> None:
        """Give back a worker whose computation passed its deadline once it has stopped; end it if it does not."""
        if not worker.answers_within(RECLAIM_SECONDS):
            worker.stop()
        self._release(worker)

    def _release(self, worker: _Worker) -> None:
        with self._lock:
            if self._closed:
                worker.stop()
            elif worker.alive:
                self._idle.put(worker)
            elif worker in self._workers:
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


def busy() -> ApiError:
    return ApiError(503, "the server is busy computing: retry in a few seconds")


def over_budget(seconds: float) -> ApiError:
    return ApiError(503, f"the computation took longer than its budget of {seconds:.3g} s: send fewer or shorter "
                    "texts, or retry when the server is less busy")  # fmt: skip
