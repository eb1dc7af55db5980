"""Exact and near-duplicate articles: a content hash of the normalised text, and a 64-bit SimHash of word
3-shingles indexed by four 16-bit bands (two SimHashes within Hamming distance 3 share at least one band)."""

from __future__ import annotations

import hashlib
import re
import unicodedata

import numpy as np

NAME = "dedup.simhash64.v1"
# SimHashes this close (bits) are the same text syndicated with small edits (headline, credit line).
NEAR_DUPLICATE_BITS = 3
_WORD = re.compile(r"\w+", re.UNICODE)
_MASK = (1 << 64) - 1


def normalise(text: str) -> str:
    return " ".join(_WORD.findall(unicodedata.normalize("NFKC", text).casefold()))


def content_hash(text: str) -> str:
    return hashlib.sha1(normalise(text).encode("utf-8")).hexdigest()


def simhash(text: str) -> int:
    words = normalise(text).split()
    shingles = [" ".join(words[k : k + 3]) for k in range(max(1, len(words) - 2))]
    digests = b"".join(hashlib.blake2b(s.encode("utf-8"), digest_size=8).digest() for s in shingles)
    bits = np.unpackbits(np.frombuffer(digests, dtype=np.uint8).reshape(len(shingles), 8), axis=1)
    # Column 0 is the most significant bit of the big-endian digest: bit 63.
    votes = bits.sum(axis=0) * 2 > len(shingles)
    return int(sum(1 << (63 - k) for k in np.flatnonzero(votes))) & _MASK


def hamming(a: int, b: int) -> int:
    return (a ^ b).bit_count()


class SimHashIndex:
    """Find a stored article whose SimHash is within NEAR_DUPLICATE_BITS of a new one."""

    def __init__(self) -> None:
        self.bands: list[dict[int, list[tuple[int, str]]]] = [{} for _ in range(4)]

    def add(self, value: int, article_id: str) -> None:
        for k, band in enumerate(self.bands):
            band.setdefault(value >> (16 * k) & 0xFFFF, []).append((value, article_id))

    def find(self, value: int) -> str | None:
        for k, band in enumerate(self.bands):
            for other, article_id in band.get(value >> (16 * k) & 0xFFFF, ()):
                if hamming(value, other) <= NEAR_DUPLICATE_BITS:
                    return article_id
        return None
