"""The language resources: one tokenizer, one stop-word list, word lists read from data files."""

from __future__ import annotations

import pytest

from kabar import lang


def test_lang_tokenize_keeps_offsets_and_inner_joins() -> None:
    text = "Pejabat-pejabat BNPB tiba Jum'at pukul 10.30, kata Suharyanto."
    tokens = lang.tokenize(text, offset=100)
    assert [t.text for t in tokens][:4] == ["Pejabat-pejabat", "BNPB", "tiba", "Jum'at"]
    for token in tokens:
        assert text[token.start - 100 : token.end - 100] == token.text
    assert lang.words(text) == [t.text for t in tokens if t.text[0].isalnum()]


def test_lang_word_patterns_agree_with_tokenizer() -> None:
    assert lang.WORD.findall("korban-korban di Cugenang") == ["korban-korban", "di", "Cugenang"]
    assert lang.LETTER_WORD.findall("COVID-19 menewaskan 3 orang") == ["COVID", "menewaskan", "orang"]


def test_lang_spelled_word_keeps_apostrophes_and_hyphens_but_not_digits() -> None:
    found = lang.SPELLED_WORD.findall("Jum'at, kupu-kupu dan COVID-19 di tahun 2020")
    assert found == ["Jum'at", "kupu-kupu", "dan", "COVID", "di", "tahun"]


@pytest.mark.parametrize("word", ["yang", "Tetapi", "menurut", "the", "According", "sekitar"])
def test_lang_stopwords_cover_both_languages(word: str) -> None:
    assert lang.is_stopword(word)


@pytest.mark.parametrize("word", ["gempa", "korban", "Presiden", "earthquake", "Cianjur"])
def test_lang_content_words_are_not_stopwords(word: str) -> None:
    assert not lang.is_stopword(word)


def test_lang_stopwords_come_from_the_data_file() -> None:
    listed = {row[0] for row in lang.data_lines("stopwords.txt")}
    assert listed == set(lang.stopwords())
    assert len(listed) > 150


@pytest.mark.parametrize(
    ("word", "root"),
    [("pertahanan", "tahan"), ("menulis", "tulis"), ("pejabat-pejabat", "jabat"), ("Cugenang", None)],
)
def test_lang_root_of(word: str, root: str | None) -> None:
    assert lang.root_of(word) == root


def test_lang_title_words() -> None:
    assert lang.completes_title("Luar") and lang.completes_title("Pertahanan")
    assert not lang.completes_title("Budi")
    assert lang.is_common_word("mengatakan") and not lang.is_common_word("Suharyanto")


def test_lang_gazetteer_links_aliases_and_countries() -> None:
    gaz = lang.gazetteer()
    assert gaz[lang.name_key("Korea Utara")].group == gaz[lang.name_key("North Korea")].group
    assert gaz[lang.name_key("Indonesia")].type == "LOC"
