"""Admission control for compute requests: each has a deadline set from its size; one that finds every worker
busy is refused at once, one that passes its deadline is refused and its worker stops the computation and takes
the next request; every refusal is a 503 in the one error shape, with Retry-After."""

from __future__ import annotations

import concurrent.futures
import signal
import time
from typing import Any

import pytest
from fastapi.testclient import TestClient

from kabar.api import workers
from kabar.api.workers import Budget, ComputePool
from tests.api.conftest import local_client

LONG_TEXT = " ".join(
    f"Warga desa ke-{n} di Kecamatan Cibeber menerima bantuan {n} karung beras dari pemerintah."
    for n in range(1500)
)
"""About 130,000 characters: comparing it with its reverse takes tens of seconds, far past the budgets here."""
PAIR = {"pairs": [{"premise": "Harga beras naik 5 persen.", "hypothesis": "Harga beras naik 15 persen."}]}


def _refusal(answer: Any) -> str:
    """The message of a 503 in the one error shape, with its Retry-After."""
    body = answer.json()
    assert answer.status_code == 503, body
    assert body == {"ok": False, "error": body["error"], "status": 503}
    assert int(answer.headers["retry-after"]) > 0
    return str(body["error"])


def _wait_idle(pool: ComputePool, workers: int) -> None:
    """Wait (bounded) until ``workers`` workers are free; the assertions that follow say whether they were."""
    for _ in range(600):
        if pool.idle >= workers:
            return
        time.sleep(0.05)


def test_compute_budget_grows_with_the_text_up_to_the_most() -> None:
    budget = Budget(most=60.0, base=0.5, per_1000_chars=0.125)
    assert budget.seconds(0) == 0.5
    assert budget.seconds(8_000) == pytest.approx(1.5)
    assert budget.seconds(300_000) == pytest.approx(38.0)
    assert budget.seconds(10_000_000) == 60.0 and budget.seconds(None) == 60.0


def test_compute_is_refused_at_once_when_every_worker_is_busy(db: str) -> None:
    # One worker, held by a long compare (budget 30 s): a further request is refused while it still runs.
    with local_client(db, compute_workers=1, compute_seconds=30.0, queue_seconds=0.2) as client:
        pool: ComputePool = client.app.state.kabar.compute  # type: ignore[attr-defined]
        assert client.post("/api/relate", json=PAIR).status_code == 200  # the worker has started
        long = {"articles": [{"id": "a", "text": LONG_TEXT}, {"id": "b", "text": LONG_TEXT[::-1]}]}
        with concurrent.futures.ThreadPoolExecutor(1) as threads:
            slow = threads.submit(client.post, "/api/compare", json=long)
            for _ in range(200):
                if pool.idle == 0:
                    break
                time.sleep(0.05)
            assert pool.idle == 0
            refused = client.post("/api/relate", json=PAIR)
            assert not slow.done()  # refused while the worker was still busy: no waiting for it
            assert "busy computing" in _refusal(refused)
            pool.close()  # ends the long compare: the test does not wait 30 s for it
            assert slow.result().status_code >= 500


def test_compute_over_its_budget_is_refused_and_the_worker_stops_and_serves_on(db: str) -> None:
    # A 2 s deadline at most: the long compare is stopped in its worker, which then answers the next request.
    with local_client(db, compute_workers=1, compute_seconds=2.0) as client:
        pool: ComputePool = client.app.state.kabar.compute  # type: ignore[attr-defined]
        pool.warm()
        process = pool._workers[0].process
        long = {"articles": [{"id": "a", "text": LONG_TEXT}, {"id": "b", "text": LONG_TEXT[::-1]}]}
        assert "longer than its budget of 2 s" in _refusal(client.post("/api/compare", json=long))
        _wait_idle(pool, 1)
        assert pool.idle == 1 and len(pool._workers) == 1
        assert pool._workers[0].process is process and process.is_alive()  # stopped the work, not ended
        pool.budget = Budget(most=60.0, base=10.0)  # however busy the machine, the next request fits
        assert client.post("/api/relate", json=PAIR).json()["items"][0]["relation"] == "conflict"


def test_compute_deadline_follows_the_size_of_the_text(db: str) -> None:
    # 1 ms per 1,000 characters: the long compare's deadline is 0.5 s plus a quarter second for its size.
    long = {"articles": [{"id": "a", "text": LONG_TEXT}, {"id": "b", "text": LONG_TEXT[::-1]}]}
    expected = 0.5 + 0.001 * 2 * len(LONG_TEXT) / 1000
    with local_client(db, compute_workers=1, compute_base=0.5, compute_rate=0.001) as client:
        pool: ComputePool = client.app.state.kabar.compute  # type: ignore[attr-defined]
        assert f"longer than its budget of {expected:.3g} s" in _refusal(
            client.post("/api/compare", json=long)
        )
        _wait_idle(pool, 1)
        assert pool.idle == 1


def test_compute_worker_stops_a_computation_between_two_steps(monkeypatch: pytest.MonkeyPatch) -> None:
    """In the worker, the alarm stops even code that catches every ``Exception`` and goes on."""

    def stubborn(rounds: int) -> int:
        done = 0
        for _ in range(rounds):
            try:
                time.sleep(0.01)
                done += 1
            except Exception:  # the pipeline skips a record that fails: the stop is not such a failure
                continue
        return done

    monkeypatch.setitem(workers.TASKS, "stubborn", stubborn)
    previous = signal.signal(signal.SIGALRM, workers._alarm)
    try:
        assert workers._answer("stubborn", (3,), 5.0) == ("ok", 3)
        assert workers._answer("stubborn", (100_000,), 0.2) == ("over",)
        assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)  # no alarm left to fire later
    finally:
        signal.signal(signal.SIGALRM, previous)


def test_every_503_carries_retry_after(db: str) -> None:
    client: TestClient = local_client(db)
    with client:
        client.app.state.kabar.writer.close()  # type: ignore[attr-defined]
        refused = client.post(
            "/api/articles", json={"articles": [{"text": "Banjir di Contoh, kata petugas."}]}
        )
        assert "shutting down" in _refusal(refused)
