"""Clause boundaries: conjunctions that open a clause with a predicate, never inside a quotation."""

from __future__ import annotations

import pytest

from kabar.compare.clauses import clause_spans


def pieces(text: str) -> list[str]:
    return [text[a:b] for a, b in clause_spans(text)]


def test_clause_splits_a_sentence_joining_two_events() -> None:
    text = (
        "Pertemuan itu berlangsung beberapa jam setelah Korea Utara menembakkan dua misil balistik ke laut, "
        "karena Kim ingin menunjukkan kekuatan militernya."
    )
    assert pieces(text) == [
        "Pertemuan itu berlangsung beberapa jam",
        "setelah Korea Utara menembakkan dua misil balistik ke laut",
        "karena Kim ingin menunjukkan kekuatan militernya.",
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Uji coba senjata itu sangat provokatif sejak awal 2022 menurut para pengamat di Seoul.",  # a time phrase
        "Setelah tur itu, kedua pemimpin mengadakan pembicaraan selama beberapa jam.",  # opens the sentence
        "Persediaan amunisi yang habis karena perang 18 bulan.",  # too short to be a clause
        '"Kami tidak akan menyerah karena rakyat sudah menderita terlalu lama," kata juru bicara itu kepada wartawan.',
    ],
)
def test_clause_keeps_sentences_without_a_clause_boundary(text: str) -> None:
    assert pieces(text) == [text]


def test_clause_english() -> None:
    text = "The summit came hours after North Korea fired two ballistic missiles into the sea."
    assert pieces(text) == [
        "The summit came hours",
        "after North Korea fired two ballistic missiles into the sea.",
    ]
