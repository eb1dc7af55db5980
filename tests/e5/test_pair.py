"""The cross-encoder's input: one sequence of premise and hypothesis, cut to fit, premise first."""

from __future__ import annotations

import pytest

from kabar.e5 import pair
from kabar.e5.runtime import padded
from kabar.e5.tokenizer import piece_tokenizer


def test_pair_ids_join_premise_and_hypothesis_between_separators() -> None:
    tok = piece_tokenizer()
    ids = pair.pair_ids("Harga beras naik.", "Harga beras turun.")
    premise, hypothesis = tok.encode("Harga beras naik."), tok.encode("Harga beras turun.")
    assert ids == [*premise, tok.eos, *hypothesis[1:]]
    assert ids.count(tok.eos) == 3


def test_pair_ids_cut_the_premise_first_and_keep_half_for_the_hypothesis() -> None:
    tok = piece_tokenizer()
    long_premise = " ".join(["Banjir merendam ratusan rumah warga di Bekasi."] * 60)
    short = pair.pair_ids(long_premise, "Banjir merendam rumah.")
    assert len(short) == pair.MAX_TOKENS
    assert short[-len(tok.encode("Banjir merendam rumah.")) + 1 :] == tok.encode("Banjir merendam rumah.")[1:]
    both_long = pair.pair_ids(long_premise, long_premise)
    assert len(both_long) == pair.MAX_TOKENS
    second = both_long.index(tok.eos) + 2
    assert len(both_long) - second - 1 == pair.MAX_TOKENS // 2


def test_padded_rows_and_mask() -> None:
    ids, mask = padded([[5, 6, 7], [8]])
    assert ids.shape == mask.shape == (2, 3)
    assert mask.tolist() == [[1, 1, 1], [1, 0, 0]]
    assert ids[1, 1] == piece_tokenizer().pad


@pytest.mark.skipif(not pair.model_available(), reason="the relation model is not installed")
def test_pair_probabilities_tell_agreement_from_conflict() -> None:
    prob = pair.pair_probabilities(
        [
            (
                "Gempa bermagnitudo 5,6 mengguncang Garut pada Senin pagi.",
                "Garut diguncang gempa pada Senin.",
            ),
            ("Presiden tidak hadir dalam rapat itu.", "Presiden hadir dalam rapat itu."),
        ]
    )
    assert prob.shape == (2, 3)
    assert abs(prob.sum(axis=1) - 1).max() < 1e-6
    agree, conflict = pair.CLASSES.index("agree"), pair.CLASSES.index("conflict")
    assert prob[0].argmax() == agree
    assert prob[1].argmax() == conflict
