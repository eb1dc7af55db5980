"""The sparse lexical side of the event representation: TF-IDF over hashed word 1- and 2-grams, with an IDF
that is updated as each article arrives (online: no pass over the whole corpus is ever needed).

Terms are hashed (CRC-32, the same in every process) into ``BUCKETS`` buckets, so the document frequencies are
one fixed-size array however large the vocabulary grows, and representations travel as small integers.
"""

from __future__ import annotations

import math
import zlib
from collections.abc import Iterable, Mapping

import numpy as np

NAME = "cluster.tfidf.v1"
BUCKETS = 1 << 21
# An article keeps its ARTICLE_TERMS heaviest terms and an event its EVENT_TERMS heaviest (summed) terms: cosines
# change by under 0.01 on ECB+ against no cut, and the cost per article stays flat as events grow.
ARTICLE_TERMS = 400
EVENT_TERMS = 1000

SparseVector = dict[int, float]


def bucket(term: str) -> int:
    return zlib.crc32(term.encode("utf-8")) & (BUCKETS - 1)


def hashed(terms: Iterable[tuple[str, int]]) -> tuple[tuple[int, int], ...]:
    """(bucket, count) of (term, count) pairs, counts of colliding terms summed, sorted by bucket."""
    out: dict[int, int] = {}
    for term, count in terms:
        key = bucket(term)
        out[key] = out.get(key, 0) + count
    return tuple(sorted(out.items()))


class Idf:
    """Document frequencies of the articles seen so far."""

    def __init__(self) -> None:
        self.df = np.zeros(BUCKETS, dtype=np.int32)
        self.docs = 0

    def add(self, counts: Iterable[tuple[int, int]]) -> SparseVector:
        """Count one article and return its unit TF-IDF vector (sublinear term frequency), cut to its
        ARTICLE_TERMS heaviest terms. Weighed with the frequencies including this article."""
        pairs = list(counts)
        if not pairs:
            self.docs += 1
            return {}
        ids = np.fromiter((k for k, _ in pairs), dtype=np.int64, count=len(pairs))
        self.df[ids] += 1
        self.docs += 1
        tf = 1.0 + np.log(np.fromiter((n for _, n in pairs), dtype=np.float64, count=len(pairs)))
        # Smoothed IDF (+1): a term every article so far shares keeps some weight, so the first articles of a
        # stream (two reports of one story: each shared term in every document) still match.
        weights = tf * (np.log((1.0 + self.docs) / (1.0 + self.df[ids])) + 1.0)
        if len(weights) > ARTICLE_TERMS:
            keep = np.argsort(-weights, kind="stable")[:ARTICLE_TERMS]
            ids, weights = ids[keep], weights[keep]
        norm = float(np.linalg.norm(weights))
        if norm == 0.0:
            return {}
        return {int(k): float(w) / norm for k, w in zip(ids, weights, strict=True) if w > 0}


def add_into(total: SparseVector, vector: Mapping[int, float]) -> SparseVector:
    """Add an article's vector to an event's total, keeping the EVENT_TERMS heaviest terms."""
    for key, weight in vector.items():
        total[key] = total.get(key, 0.0) + weight
    if len(total) > 2 * EVENT_TERMS:
        kept = sorted(total.items(), key=lambda kv: (-kv[1], kv[0]))[:EVENT_TERMS]
        total = dict(kept)
    return total


def norm(vector: Mapping[int, float]) -> float:
    return math.sqrt(sum(w * w for w in vector.values()))


def cosine(article: Mapping[int, float], total: Mapping[int, float], total_norm: float) -> float:
    """Cosine of a unit article vector with an event total of the given norm."""
    if not article or total_norm == 0.0:
        return 0.0
    return sum(w * total.get(k, 0.0) for k, w in article.items()) / total_norm
