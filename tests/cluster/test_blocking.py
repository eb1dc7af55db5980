"""Blocking: LSH and entity keys in week buckets, and the engine's decision over the candidates they give."""

from __future__ import annotations

from datetime import date

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from kabar.cluster.blocking import BANDS, MAX_PARTNERS, Blocker, blocking_keys, candidate_pairs
from kabar.cluster.run import cluster_articles
from kabar.embed import Embedder
from kabar.ingest import read_paths
from kabar.records import Article
from tests.conftest import DATA, SEEDS


def unit(rng: np.random.Generator, n: int = 1) -> np.ndarray:
    v = rng.standard_normal((n, 512)).astype(np.float32)
    out: np.ndarray = v / np.linalg.norm(v, axis=1, keepdims=True)
    return out


def at_cosine(rng: np.random.Generator, base: np.ndarray, cosine: float) -> np.ndarray:
    noise = unit(rng)[0]
    noise -= (noise @ base) * base
    noise /= np.linalg.norm(noise)
    out: np.ndarray = cosine * base + np.sqrt(1 - cosine**2) * noise
    return out


def shared(a: list[str], b: list[str]) -> set[str]:
    return set(a) & set(b)


def test_blocking_lsh_finds_close_pairs_and_not_unrelated_ones() -> None:
    rng = np.random.default_rng(7)
    close = far = 0
    for _ in range(200):
        base = unit(rng)[0]
        keys = blocking_keys(
            np.vstack([base, at_cosine(rng, base, 0.75), unit(rng)[0]]), [[], [], []], [None] * 3
        )
        close += bool(shared(keys[0], keys[1]))
        far += bool(shared(keys[0], keys[2]))
    assert close >= 190  # theory: 1 - (1 - 0.77**6)**16 = 0.96 at cosine 0.75
    # Unrelated vectors (cosine about 0) share a band only by chance: 1 - (1 - 1/64)**16 = 0.22, about 44.
    assert far <= 70


def test_blocking_keys_time_buckets_and_entities() -> None:
    rng = np.random.default_rng(1)
    v = unit(rng, 1)
    same = np.vstack([v, v, v, v])
    days = [date(2023, 9, 13), date(2023, 9, 19), date(2023, 10, 20), None]
    keys = blocking_keys(same, [["putin"], ["putin"], [], []], days)
    dated = [[k for k in article if not k.startswith("*|")] for article in keys]
    assert len(shared(dated[0], dated[1])) == BANDS + 1  # 6 days apart: every band and the entity, by week
    assert not shared(dated[0], dated[2])  # five weeks apart: no week in common
    assert all(k.startswith("*|") for k in keys[3])  # no time at all: only the time-free bucket...
    assert shared(keys[0], keys[3]) == {
        k for k in keys[3] if not k.startswith("*|e:")
    }  # ...where dated ones are too


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(st.sampled_from("abcdefg"), max_size=3), max_size=60))
def test_blocking_incremental_blocker_equals_grouped_pairs(keys: list[list[str]]) -> None:
    blocker = Blocker()
    incremental = {n: found for n, k in enumerate(keys) if (found := blocker.add(k))}
    assert incremental == candidate_pairs(keys)
    assert all(len(found) <= MAX_PARTNERS * 3 for found in incremental.values())


def test_cluster_with_lsh_blocking_groups_the_real_stories() -> None:
    articles = [a for a in read_paths([SEEDS, DATA / "pairs"]) if isinstance(a, Article)]
    events = dict(cluster_articles(articles, embedder=Embedder(disk_cache=False), blocking="lsh"))
    assert events["000_88221f3e0d7eafc3"] == events["001_6da34223ceeac54f"]
    assert events["cianjur_a"] == events["cianjur_b"] == events["cianjur_en"]
    assert events["cianjur_a"] != events["000_88221f3e0d7eafc3"]
