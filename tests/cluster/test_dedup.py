"""Exact and near duplicates: content hash, 64-bit SimHash, and the banded index."""

from __future__ import annotations

import pytest

from kabar.cluster.dedup import NEAR_DUPLICATE_BITS, SimHashIndex, content_hash, hamming, normalise, simhash
from tests.conftest import SEED_A, SEED_B


def test_dedup_content_hash_ignores_case_spacing_and_punctuation() -> None:
    a = "Gempa  mengguncang Cianjur, Senin siang."
    b = "gempa mengguncang CIANJUR — senin siang"
    assert normalise(a) == normalise(b) == "gempa mengguncang cianjur senin siang"
    assert content_hash(a) == content_hash(b) != content_hash("Gempa mengguncang Garut, Senin siang.")


def test_dedup_simhash_near_for_an_edited_copy_far_for_another_story() -> None:
    text = SEED_A.read_text(encoding="utf-8")
    edited = text.rstrip() + "\n\n(ant/red)"  # a syndicated copy with a credit line
    assert hamming(simhash(text), simhash(edited)) <= NEAR_DUPLICATE_BITS
    assert hamming(simhash(text), simhash(SEED_B.read_text(encoding="utf-8"))) > 10
    assert 0 <= simhash(text) < 1 << 64 and simhash("satu") == simhash("satu")


@pytest.mark.parametrize("flipped", [0, 1, 2, 3])
def test_dedup_index_finds_within_three_bits_only(flipped: int) -> None:
    base = 0x0123_4567_89AB_CDEF
    index = SimHashIndex()
    index.add(base, "asli")
    # Flip bits spread over all four 16-bit bands: only the banding makes these findable.
    near = base
    for k in range(flipped):
        near ^= 1 << (16 * k + 5)
    assert index.find(near) == "asli"
    far = near ^ (1 << 62) ^ (1 << 3) ^ (1 << 20) ^ (1 << 40)
    assert hamming(base, far) > NEAR_DUPLICATE_BITS and index.find(far) is None
