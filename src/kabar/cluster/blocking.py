"""Blocking: candidate same-event pairs from LSH on embeddings and from shared entities, time-bucketed.

Each article gets keys; two articles sharing a key are a candidate pair. The keys are

- ``v:BAND:BITS``: for each of ``BANDS`` bands, the signs of the article vector's projections on ``BITS`` fixed
  random hyperplanes (random-hyperplane LSH: two vectors at cosine c agree on a bit with probability
  1 - arccos(c)/pi, so at cosine 0.7 a pair shares at least one of 16 six-bit bands with probability 0.95);
- ``e:KEY``: each entity key of the lead (gazetteer group or surname),

each prefixed by a time bucket: the week of the article's own time (publication date, else the dates it
states) and the week before it (so two articles at most 7 days apart always share a bucket), and ``*``, the
time-free bucket every article is in, so that an article with no time at all meets the dated reports of its
story. Within one key an article pairs
with at most ``MAX_PARTNERS`` earlier articles (input order), so a frequent key (a country in a busy week) costs
linear, not quadratic, work.

The keys and pairs are plain functions of the vectors, entities and dates, so ``kabar cluster --blocking lsh``
on one machine and the distributed step of ``kabar batch --blocking lsh`` give the same pairs, and the online
engine's decision over them (``EventEngine.assign(..., candidates=...)``) the same events.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import date
from typing import Any

import numpy as np

NAME = "blocking.lsh.v1"
BANDS = 16
BITS = 6
SEED = 20260913
MAX_PARTNERS = 20
WEEK_DAYS = 7


def hyperplanes(dim: int = 512) -> np.ndarray:
    """The fixed random hyperplanes, (dim, BANDS * BITS); the same in every process."""
    return np.random.default_rng(SEED).standard_normal((dim, BANDS * BITS)).astype(np.float32)


def blocking_keys(
    vectors: np.ndarray, entities: Sequence[Iterable[str]], days: Sequence[date | None]
) -> list[list[str]]:
    """The blocking keys of each article (row of ``vectors``)."""
    if len(vectors) == 0:
        return []
    # Rounded to float16 first, as the batch stores vectors, so one machine and a cluster get the same bits.
    rounded = np.asarray(vectors, dtype=np.float16).astype(np.float32)
    bits = (rounded @ hyperplanes(rounded.shape[1])) > 0
    weights = 1 << np.arange(BITS)
    codes = (bits.reshape(len(vectors), BANDS, BITS) * weights).sum(axis=2)
    out = []
    for k in range(len(vectors)):
        base = [f"v:{band}:{int(code)}" for band, code in enumerate(codes[k])]
        base += [f"e:{key}" for key in sorted(set(entities[k]))]
        day = days[k]
        # Every article is also in the time-free bucket, so an article without any time still meets the dated
        # reports of its story (each key keeps only its MAX_PARTNERS latest members: recent ones).
        buckets = ["*"]
        if day is not None:
            week = day.toordinal() // WEEK_DAYS
            buckets += [str(week), str(week - 1)]
        out.append([f"{bucket}|{key}" for bucket in buckets for key in base])
    return out


def pairs_in_group(members: Sequence[Any]) -> Iterator[tuple[Any, Any]]:
    """(earlier, later) article numbers sharing one key: each article with its MAX_PARTNERS predecessors.
    Numbers are anything that sorts in input order (ints here, (partition, row) in the batch)."""
    ordered = sorted(set(members))
    for k, later in enumerate(ordered):
        for earlier in ordered[max(0, k - MAX_PARTNERS) : k]:
            yield earlier, later


def candidate_pairs(keys: Sequence[Sequence[str]]) -> dict[int, set[int]]:
    """For each article number, the earlier article numbers it shares a key with (one machine)."""
    groups: dict[str, list[int]] = {}
    for number, article_keys in enumerate(keys):
        for key in article_keys:
            groups.setdefault(key, []).append(number)
    candidates: dict[int, set[int]] = {}
    for members in groups.values():
        for earlier, later in pairs_in_group(members):
            candidates.setdefault(later, set()).add(earlier)
    return candidates


class Blocker:
    """Incremental blocking on one machine: ``add`` returns the earlier articles an article shares a key with,
    exactly as ``candidate_pairs`` over the whole input would."""

    def __init__(self) -> None:
        self.recent: dict[str, list[int]] = {}
        self.count = 0

    def add(self, keys: Iterable[str]) -> set[int]:
        number = self.count
        self.count += 1
        found: set[int] = set()
        for key in set(keys):
            members = self.recent.setdefault(key, [])
            found.update(members)
            members.append(number)
            if len(members) > MAX_PARTNERS:
                del members[0]
        return found
