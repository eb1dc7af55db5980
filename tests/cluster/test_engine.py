"""The online event engine on hand-built unit vectors: join above the threshold, the entity bonus, the time
window, and the same decisions with candidates from blocking."""

from __future__ import annotations

import numpy as np
import pytest

from kabar.cluster.engine import DIM, ENTITY_WEIGHT, JOIN_THRESHOLD, WINDOW_DAYS, EventEngine

rng = np.random.default_rng(7)
BASE = rng.normal(size=DIM)
BASE /= np.linalg.norm(BASE)


def at_cosine(target: float) -> np.ndarray:
    """A unit vector whose cosine with BASE is ``target``."""
    noise = rng.normal(size=DIM)
    noise -= (noise @ BASE) * BASE
    noise /= np.linalg.norm(noise)
    return np.asarray(target * BASE + np.sqrt(1 - target**2) * noise, dtype=np.float32)


@pytest.mark.parametrize("use_index", [True, False])
def test_engine_joins_above_the_threshold_only(use_index: bool) -> None:
    engine = EventEngine(use_index=use_index)

    def assign(vector: np.ndarray, day: str = "2024-03-04") -> tuple[str, bool]:
        candidates = None if use_index else list(engine.events)
        return engine.assign(vector, [], day, "kompas", "judul", candidates=candidates)

    first, new = assign(BASE)
    assert new and first == "ev000001"
    assert assign(at_cosine(JOIN_THRESHOLD + 0.05)) == (first, False)
    other, new = assign(at_cosine(JOIN_THRESHOLD - 0.15))
    assert new and other != first
    assert engine.events[first].count == 2 and engine.events[first].title == "judul"


def test_engine_shared_entities_tip_a_close_call() -> None:
    close = JOIN_THRESHOLD - ENTITY_WEIGHT / 2  # below the threshold by cosine alone
    alone = EventEngine()
    alone.assign(BASE, ["jokowi", "sumedang"], "2024-03-04", "a")
    assert alone.assign(at_cosine(close), ["prabowo"], "2024-03-04", "b")[1] is True
    shared = EventEngine()
    event, _ = shared.assign(BASE, ["jokowi", "sumedang"], "2024-03-04", "a")
    assert shared.assign(at_cosine(close), ["jokowi", "sumedang"], "2024-03-04", "b") == (event, False)


def test_engine_time_window() -> None:
    engine = EventEngine()
    event, _ = engine.assign(BASE, [], "2024-03-04", "a")
    assert engine.assign(BASE, [], f"2024-03-{4 + WINDOW_DAYS:02d}", "b") == (event, False)
    assert engine.assign(BASE, [], "2024-05-01", "c")[1] is True  # weeks later: another event
    assert engine.assign(BASE, [], None, "d")[1] is False  # undated: the window does not apply


def test_engine_restore_rebuilds_the_same_state() -> None:
    live = EventEngine()
    for vector, day in ((BASE, "2024-03-04"), (at_cosine(0.9), "2024-03-05")):
        live.assign(vector, ["jokowi"], day, "kompas", "judul")
    state = live.events["ev000001"]
    again = EventEngine()
    again.restore("ev000001", BASE, ["jokowi"], "2024-03-04", "kompas", "judul")
    again.restore("ev000001", at_cosine(0.9), ["jokowi"], "2024-03-05", "kompas")
    again.reindex_all()
    restored = again.events["ev000001"]
    assert restored.count == state.count == 2 and restored.first == state.first and restored.title == "judul"
    assert again.assign(BASE, [], "2024-03-06", "tempo") == ("ev000001", False)
