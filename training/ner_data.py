"""Readers for the Indonesian NER sets in ../shared/data/ner (CoNLL-style: token first, tag last)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from kabar.extract.crf import map_tag

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "ner"

# name: (train file, dev file, the types the set annotates)
SETS = {
    "idner-news-2k": ("idner-news-2k/train.txt", "idner-news-2k/dev.txt", ("PER", "ORG", "LOC")),
    "nergrit": ("nergrit/train_preprocess.txt", "nergrit/valid_preprocess.txt", ("PER", "ORG", "LOC")),
    "nerp": ("nerp/train_preprocess.txt", "nerp/valid_preprocess.txt", ("PER", "ORG", "LOC", "EVT", "FNB")),
}

Sentence = tuple[list[str], list[str]]


def read_conll(path: Path) -> Iterator[Sentence]:
    """Sentences of (words, tags mapped to Kabar's types); blank lines separate sentences."""
    words: list[str] = []
    tags: list[str] = []
    with path.open(encoding="utf-8") as handle:
        for raw in handle:
            line = raw.strip("\r\n")
            if not line.strip():
                if words:
                    yield words, tags
                words, tags = [], []
                continue
            parts = line.split("\t") if "\t" in line else line.split(" ")
            words.append(parts[0])
            tags.append(map_tag(parts[-1].strip()) if len(parts) > 1 else "O")
    if words:
        yield words, tags


def load(data: Path, name: str, split: str) -> list[Sentence]:
    train, dev, _ = SETS[name]
    return list(read_conll(data / (train if split == "train" else dev)))
