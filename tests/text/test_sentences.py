from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kabar.records import Span
from kabar.text.clean import find_boilerplate
from kabar.text.sentences import MAX_SENTENCE_CHARS, split_sentences
from tests.conftest import SEED_A, SEED_B


def _texts(text: str) -> list[str]:
    return [s.text for s in split_sentences(text, "t")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Dr. Budi tiba di Jl. Sudirman No. 5 pukul 10.30 WIB. Ia langsung rapat.",
         ["Dr. Budi tiba di Jl. Sudirman No. 5 pukul 10.30 WIB.", "Ia langsung rapat."]),
        ("Suku bunga naik menjadi 5,75 persen. Bank Indonesia menahan diri.",
         ["Suku bunga naik menjadi 5,75 persen.", "Bank Indonesia menahan diri."]),
        ("Saham PT Astra International Tbk. naik. Investor senang.",
         ["Saham PT Astra International Tbk. naik.", "Investor senang."]),
        ("Penelitian Sutanto dkk. menunjukkan hal itu. Hasilnya dimuat jurnal.",
         ["Penelitian Sutanto dkk. menunjukkan hal itu.", "Hasilnya dimuat jurnal."]),
        ('Ia berkata, "Kami siap. Kami tidak takut." Lalu ia pergi.',
         ['Ia berkata, "Kami siap. Kami tidak takut."', "Lalu ia pergi."]),
        ("“Kami siap. Kami tidak takut,” kata Budi. Semua bertepuk tangan.",
         ["“Kami siap. Kami tidak takut,” kata Budi.", "Semua bertepuk tangan."]),
        ("Wartawan Edith M. Lederer melapor dari New York. Sidang ditunda.",
         ["Wartawan Edith M. Lederer melapor dari New York.", "Sidang ditunda."]),
        ("Apakah itu benar? Tidak ada yang tahu! Semua diam.",
         ["Apakah itu benar?", "Tidak ada yang tahu!", "Semua diam."]),
    ],
)  # fmt: skip
def test_sentences_split(text: str, expected: list[str]) -> None:
    assert _texts(text) == expected


def test_sentences_quote_with_several_sentences_stays_with_attribution() -> None:
    text = SEED_B.read_text(encoding="utf-8")
    sentences = split_sentences(text, "b", find_boilerplate(text))
    multi = [s for s in sentences if "itulah sebabnya kami datang ke sini" in s.text]
    assert len(multi) == 1
    assert "Mereka juga mencoba mengembangkan ruang angkasa" in multi[0].text
    assert multi[0].text.startswith("Ditanya apakah Rusia")


def test_sentences_unbalanced_quote_does_not_swallow_paragraph() -> None:
    text = "Ia berkata “kami siap. Semua orang pulang. Besok kami kembali."
    assert len(_texts(text)) == 3


def test_sentences_boilerplate_gets_its_own_sentences() -> None:
    text = SEED_A.read_text(encoding="utf-8")
    spans = find_boilerplate(text)
    sentences = split_sentences(
        text, "a", spans, title="Putin dan Kim Bahas Masalah Militer, Perang Ukraina, dan Satelit"
    )
    kinds = [s.boilerplate for s in sentences if s.boilerplate]
    assert kinds == ["caption", "credit", "teaser", "signature"]
    assert [s.states_facts for s in sentences if s.boilerplate] == [True, False, False, False]
    last_content = [s for s in sentences if not s.boilerplate][-1]
    assert last_content.text.endswith("kerja sama di bidang teknologi.")
    assert sentences[0].is_title and not sentences[1].is_title


def test_sentences_ids_unique_and_offsets_exact() -> None:
    text = SEED_B.read_text(encoding="utf-8")
    sentences = split_sentences(text, "b", find_boilerplate(text))
    assert len({s.id for s in sentences}) == len(sentences)
    for s in sentences:
        assert text[s.start : s.end] == s.text


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("abc ABC.,!?“”\"'\n12")), max_size=200))
def test_sentences_offsets_round_trip_on_any_text(text: str) -> None:
    spans = [Span(0, min(3, len(text)), "teaser")] if text else []
    for s in split_sentences(text, "x", spans):
        assert text[s.start : s.end] == s.text
        assert s.text.strip() == s.text and s.text


def test_sentences_run_without_ends_is_cut_at_clause_breaks() -> None:
    clause = "warga mengungsi ke balai desa, sebagian lagi ke rumah kerabat di kecamatan sebelah"
    text = ", ".join([clause] * 200)  # 17,000 characters on one line, no sentence end
    sentences = split_sentences(text, "t")
    assert len(sentences) > 1
    assert all(len(s.text) <= MAX_SENTENCE_CHARS for s in sentences)
    assert all(s.text.endswith(",") for s in sentences[:-1])  # cut after a comma, never inside a word
    assert all(text[a.end : b.start].strip() == "" for a, b in itertools.pairwise(sentences))
    assert sentences[0].start == 0 and sentences[-1].end == len(text)


def test_sentences_long_line_of_real_sentences_splits_as_short_text() -> None:
    short = "Dr. Budi tiba di Jl. Sudirman No. 5 pukul 10.30 WIB. Ia langsung rapat dengan Edith M. Lederer."
    long = " ".join([short] * 500)
    texts = _texts(long)
    assert texts == _texts(short) * 500
