"""A second reading of the closest statement pairs: the cross-encoder (:mod:`kabar.e5.pair`) reads each candidate
pair together, both ways round, and decides what the bi-encoder's same-fact probability leaves open.

Only the top candidates are read, never all pairs: for each statement, its most probable statement in each other
source, when both are each other's best and the probability lies in the undecided band between the related and
the aligned thresholds; at most ``MAX_PAIRS`` of them, the most probable first. A pair both readings call
*agree* is aligned (its probability is raised to the aligned threshold).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from kabar.compare.align import Statement
from kabar.e5 import pair

NAME = "rerank.e5.v1"
MAX_PAIRS = 32  # 64 cross-encoder readings, about 1 s on one thread (benchmarks/bench_relate.py)
AGREE_MIN = 0.5  # both readings' agree probability at least this: calibrated on the compare dev set


def rerank(
    items: Sequence[Statement], prob: np.ndarray, low: float, high: float, max_pairs: int = MAX_PAIRS
) -> np.ndarray:
    """``prob`` with the undecided candidate pairs the cross-encoder reads as agreeing raised to ``high``."""
    candidates = undecided(items, prob, low, high)[:max_pairs]
    if not candidates or not pair.model_available():
        return prob
    texts = [(items[i].text, items[j].text) for i, j in candidates]
    readings = pair.pair_probabilities(texts + [(h, p) for p, h in texts])
    agree = pair.CLASSES.index("agree")
    both = np.minimum(readings[: len(texts), agree], readings[len(texts) :, agree])
    out = prob.copy()
    for (i, j), p in zip(candidates, both, strict=True):
        if p >= AGREE_MIN:
            out[i, j] = out[j, i] = max(high, prob[i, j])
    return out


def undecided(items: Sequence[Statement], prob: np.ndarray, low: float, high: float) -> list[tuple[int, int]]:
    """Mutual-best pairs of different sources with ``low <= prob < high``, the most probable first."""
    best: dict[tuple[int, int], int] = {}  # (statement, other source) -> its most probable statement there
    for i in range(len(items)):
        for j in range(len(items)):
            if items[i].source != items[j].source:
                key = (i, items[j].source)
                if key not in best or prob[i, j] > prob[i, best[key]]:
                    best[key] = j
    found = [
        (float(prob[i, j]), i, j)
        for (i, _), j in best.items()
        if i < j and best.get((j, items[i].source)) == i and low <= prob[i, j] < high
    ]
    return [(i, j) for _, i, j in sorted(found, reverse=True)]
