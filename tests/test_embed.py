"""Sentence embeddings: unit vectors, paraphrases close across languages, and caches that give the same vectors."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from kabar.embed import DIM, Embedder, encoder_stats

TEXTS = [
    "Presiden meresmikan bendungan baru di Jawa Barat.",
    "The president opened a new dam in West Java.",
    "Harga cabai naik tajam menjelang Lebaran.",
]


def test_embed_unit_vectors_and_paraphrases_across_languages() -> None:
    vectors = Embedder(disk_cache=False).encode(TEXTS)
    assert vectors.shape == (3, DIM) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-2)
    same, other = float(vectors[0] @ vectors[1]), float(vectors[0] @ vectors[2])
    assert same > 0.6 and same > other + 0.2


def test_embed_memory_cache_counts_hits_and_repeats() -> None:
    embedder = Embedder(disk_cache=False)
    first = embedder.encode([TEXTS[0], TEXTS[0], TEXTS[2]])
    assert embedder.misses == 2 and embedder.hits == 1  # a repeated text is encoded once
    again = embedder.encode(TEXTS[:1])
    assert embedder.hits == 2 and np.array_equal(again[0], first[0]) and np.array_equal(first[0], first[1])
    assert embedder.encode([]).shape == (0, DIM)


def test_embed_disk_cache_gives_identical_vectors_without_encoding(tmp_path: Path) -> None:
    path = tmp_path / "vectors.sqlite"
    fresh = Embedder(path=path).encode(TEXTS)
    reopened = Embedder(path=path)
    cached = reopened.encode(TEXTS)
    assert reopened.misses == 0 and reopened.hits == 3
    assert np.array_equal(fresh, cached)  # fresh vectors are rounded as stored, so scores do not drift


def test_embed_unwritable_cache_only_costs_speed(tmp_path: Path) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("not a directory", encoding="utf-8")
    embedder = Embedder(path=blocked / "vectors.sqlite")
    assert embedder.encode(TEXTS[:1]).shape == (1, DIM)


def test_embed_encoder_loads_once_per_process() -> None:
    Embedder(disk_cache=False).encode(TEXTS[:1])
    stats = encoder_stats()
    assert stats["encoder_loads"] == 1 and stats["encoder_threads"] >= 1


def test_embed_memory_cache_is_bounded() -> None:
    embedder = Embedder(disk_cache=False, memory_vectors=3)
    texts = [f"Harga beras naik {n} persen di Pasar Induk Cipinang." for n in range(5)]
    first = embedder.encode(texts)
    assert len(embedder.memory) == 3 and list(embedder.memory) == [Embedder.key(t) for t in texts[2:]]
    again = embedder.encode(texts[:1])  # evicted: encoded again, the same vector
    assert float(again[0] @ first[0]) > 0.999 and len(embedder.memory) == 3
