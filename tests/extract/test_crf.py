from __future__ import annotations

from pathlib import Path

import pytest

from kabar.extract.crf import map_tag, sentence_features, spans_from_tags, tag_words
from kabar.extract.ner import tag_words as stage_tags


@pytest.mark.parametrize(
    ("tag", "mapped"),
    [("B-PERSON", "B-PER"), ("I-PLACE", "I-LOC"), ("B-ORGANISATION", "B-ORG"), ("B-PPL", "B-PER"),
     ("I-IND", "I-ORG"), ("B-EVT", "B-EVT"), ("O", "O"), ("B-WHATEVER", "O")],
)  # fmt: skip
def test_crf_map_tag(tag: str, mapped: str) -> None:
    assert map_tag(tag) == mapped


def test_crf_spans_conlleval_style() -> None:
    tags = ["B-PER", "I-PER", "O", "I-LOC", "I-LOC", "B-ORG", "B-ORG", "I-PER"]
    spans = [(s.start, s.end, s.type) for s in spans_from_tags(tags)]
    assert spans == [(0, 2, "PER"), (3, 5, "LOC"), (5, 6, "ORG"), (6, 7, "ORG"), (7, 8, "PER")]


def test_crf_features_leave_out_case_in_lowercase_sentences() -> None:
    cased = sentence_features(["Presiden", "Joko", "Widodo", "tiba", "."])
    lower = sentence_features(["presiden", "joko", "widodo", "tiba", "."])
    assert "title" in cased[1] and "nocase" not in cased[1]
    assert "nocase" in lower[1] and "title" not in lower[1]
    assert "gaz=B-PER" in cased[1]  # Joko Widodo is in the gazetteer


def test_crf_tags_people_places_organisations() -> None:
    words = [
        "Menteri",
        "Keuangan",
        "Sri",
        "Mulyani",
        "Indrawati",
        "bertemu",
        "Gubernur",
        "Bank",
        "Indonesia",
        "di",
        "Jakarta",
        "pada",
        "Senin",
        ".",
    ]
    tags = tag_words(words)
    spans = {(" ".join(words[s.start : s.end]), s.type) for s in spans_from_tags(tags)}
    assert ("Sri Mulyani Indrawati", "PER") in spans
    assert ("Jakarta", "LOC") in spans
    assert any(t == "ORG" and "Bank Indonesia" in text for text, t in spans)


def test_crf_stage_joins_name_the_model_cut_short() -> None:
    words = ["Pemimpin", "Korea", "Utara", "Kim", "Jong", "Un", "tiba", "di", "Vladivostok", "."]
    spans = {(" ".join(words[s.start : s.end]), s.type) for s in spans_from_tags(stage_tags(words))}
    assert ("Kim Jong Un", "PER") in spans and ("Korea Utara", "LOC") in spans


def test_crf_training_is_deterministic(tmp_path: Path) -> None:
    import pycrfsuite

    data = [
        (["Joko", "Widodo", "tiba", "di", "Bandung", "."], ["B-PER", "I-PER", "O", "O", "B-LOC", "O"]),
        (["Partai", "Golkar", "menang", "."], ["B-ORG", "I-ORG", "O", "O"]),
        (["Warga", "Surabaya", "senang", "."], ["O", "B-LOC", "O", "O"]),
    ]
    outputs = []
    for name in ("a", "b"):
        trainer = pycrfsuite.Trainer(verbose=False)
        for words, tags in data:
            trainer.append(sentence_features(words), tags)
        trainer.set_params({"c1": 0.0, "c2": 0.1, "max_iterations": 20})
        trainer.train(str(tmp_path / name))
        outputs.append((tmp_path / name).read_bytes())
    assert outputs[0] == outputs[1]
