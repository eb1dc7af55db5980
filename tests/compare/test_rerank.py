"""The cross-encoder's second reading of undecided statement pairs."""

from __future__ import annotations

import numpy as np
import pytest

from kabar.compare.rerank import rerank, undecided
from kabar.e5 import pair
from tests.compare.test_conflicts import statement

TEXTS = [
    ("a", "Banjir merendam 300 rumah warga di Bekasi pada Sabtu pagi.", 0),
    ("a", "Wali kota meminta warga tetap waspada.", 0),
    ("b", "Sebanyak 300 rumah di Bekasi terendam banjir sejak Sabtu pagi.", 1),
    ("b", "Harga cabai di pasar Bekasi naik dua kali lipat.", 1),
]


def items() -> list:  # type: ignore[type-arg]
    return [statement(f"{a}{k}", text, source=s) for k, (a, text, s) in enumerate(TEXTS)]


def probabilities() -> np.ndarray:
    prob = np.zeros((4, 4))
    for i, j, p in ((0, 2, 0.4), (0, 3, 0.1), (1, 2, 0.2), (1, 3, 0.3)):
        prob[i, j] = prob[j, i] = p
    return prob


def test_undecided_pairs_are_mutual_best_in_the_band_most_probable_first() -> None:
    assert undecided(items(), probabilities(), 0.25, 0.5) == [(0, 2), (1, 3)]
    assert undecided(items(), probabilities(), 0.35, 0.5) == [(0, 2)]
    assert undecided(items(), probabilities(), 0.1, 0.35) == [(1, 3)]  # (0, 2) is decided already


@pytest.mark.skipif(not pair.model_available(), reason="the relation model is not installed")
def test_rerank_aligns_the_paraphrase_and_leaves_the_unrelated_pair() -> None:
    prob = probabilities()
    out = rerank(items(), prob, 0.25, 0.5)
    assert out[0, 2] == out[2, 0] == 0.5
    assert out[1, 3] == prob[1, 3]
    assert (rerank(items(), prob, 0.25, 0.5, max_pairs=0) == prob).all()
