"""The entity stage: extractor choice, the model combined with the rules, and IOB tags for ``kabar tag``."""

from __future__ import annotations

import pytest

from kabar.config import Config
from kabar.errors import UsageError
from kabar.extract import crf
from kabar.extract.ner import MODEL_LANGUAGES, extract, resolve_mode, sentence_mentions, tag_words
from kabar.records import AnnotatedArticle, Article, Sentence

TEXT = "Presiden Joko Widodo meresmikan Bendungan Jatigede di Sumedang, Jawa Barat, pada Senin."
WORDS = ["Presiden", "Joko", "Widodo", "meresmikan", "Bendungan", "Jatigede", "di", "Sumedang", ",", "Jawa",
         "Barat", ",", "pada", "Senin", "."]  # fmt: skip


def _sentence(text: str = TEXT) -> Sentence:
    return Sentence("a", "a:s1", 0, len(text), text, 0)


def test_ner_resolve_mode() -> None:
    assert resolve_mode("rules") == "rules" and resolve_mode("crf") == "crf"
    assert resolve_mode("auto") == ("crf" if crf.model_available() else "rules")
    with pytest.raises(UsageError, match="unknown entity extractor"):
        resolve_mode("spacy")


def test_ner_model_and_rules_agree_on_clear_names() -> None:
    for mode in ("rules", "crf"):
        found = {(m.text, m.type) for m in sentence_mentions("a", [_sentence()], frozenset(), mode)}
        assert {("Joko Widodo", "PER"), ("Sumedang", "LOC")} <= found, mode
    model = sentence_mentions("a", [_sentence()], frozenset(), "crf")
    assert any(m.origin == "crf" for m in model)  # the model contributes spans the rules lack


@pytest.mark.parametrize("mode", ["auto", "model", "rules"])
def test_ner_tag_words_iob2(mode: str) -> None:
    tags = tag_words(WORDS, mode)
    assert len(tags) == len(WORDS) and tags[1:3] == ["B-PER", "I-PER"] and tags[0] == "O"
    for previous, tag in zip(["O", *tags], tags, strict=False):
        if tag.startswith("I-"):  # IOB2: an inside tag continues an entity of the same type
            assert previous[2:] == tag[2:] and previous != "O"
    assert tag_words([], mode) == []


def test_ner_other_languages_use_the_rules() -> None:
    text = "President Joko Widodo opened the Jatigede Dam in Sumedang, West Java, on Monday."
    sentence = _sentence(text)
    english = AnnotatedArticle(article=Article(id="a", text=text, language="en"), sentences=(sentence,))
    assert "en" not in MODEL_LANGUAGES
    by_stage = extract(english, Config(ner="crf"))
    by_rules = extract(english, Config(ner="rules"))
    assert [(m.start, m.end, m.type) for m in by_stage] == [(m.start, m.end, m.type) for m in by_rules]
