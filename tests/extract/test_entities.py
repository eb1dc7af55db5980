"""The rule-based entity extractor on hand-built sentences: spans, types, boilerplate, known capitals."""

from __future__ import annotations

from kabar.extract.entities import extract_mentions, known_capitals
from kabar.records import Sentence

TEXT = "Presiden Joko Widodo meresmikan Bendungan Jatigede di Sumedang, Jawa Barat, pada Senin."
OFFSET = 10  # the sentence starts at character 10 of its article


def sentence(
    text: str = TEXT, start: int = OFFSET, sid: str = "a:s1", boilerplate: str | None = None
) -> Sentence:
    return Sentence("a", sid, start, start + len(text), text, 0, boilerplate)


def test_entities_spans_point_into_the_article_and_carry_types() -> None:
    mentions = extract_mentions("a", [sentence()])
    article = " " * OFFSET + TEXT
    assert mentions and all(article[m.start : m.end] == m.text and m.article == "a" for m in mentions)
    found = {(m.text, m.type) for m in mentions}
    assert ("Joko Widodo", "PER") in found and ("Sumedang", "LOC") in found
    assert not any(m.text in {"Presiden", "Senin"} for m in mentions)  # a title and a weekday are not names


def test_entities_skip_boilerplate_that_states_no_facts() -> None:
    credit = sentence("Foto: Joko Widodo di Sumedang.", start=200, sid="a:s2", boilerplate="credit")
    assert [m.text for m in extract_mentions("a", [credit])] == []
    assert extract_mentions("a", [sentence(), credit]) == extract_mentions("a", [sentence()])


def test_entities_known_capitals_are_words_always_capitalised_mid_sentence() -> None:
    text = "Warga menyebut Wadas desa tua. Di Wadas warga menolak. Polisi datang ke desa itu."
    known = known_capitals(text, [sentence(text, 0)])
    assert "wadas" in known and "warga" not in known and "desa" not in known
